"""Locale selection and translated labels for codes stored in the database."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context

# JSON paths: their language comes from Accept-Language alone (no ?lang=, no session).
API_PREFIXES = ("/users/", "/csrf_token/", "/openapi.json")

# The status of an order or of one of its items, shown on a badge.
ORDER_STATUSES = {
    50: _l("Cancellation waiting"),
    100: _l("Cancelled"),
    200: _l("Waiting"),
    300: _l("Payment waiting"),
    350: _l("Confirmation waiting"),
    400: _l("Approved"),
    450: _l("Preparing"),
    500: _l("Shipped"),
    510: _l("Shipped and informed"),
    520: _l("Ready for pickup"),
    540: _l("Attempted delivery"),
    544: _l("Review started"),
    545: _l("Review waiting"),
    550: _l("Delivered"),
    600: _l("Refunded"),
}

# The status of a cancellation or refund request, shown on a badge.
REQUEST_STATUSES = {
    "open": _l("Open"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "completed": _l("Completed"),
}

# TRANSLATORS: the kind of a request: a cancellation or a return for a refund (nouns).
CANCELLATION_TYPES = {"cancel": _l("Cancel"), "refund": _l("Refund")}

# TRANSLATORS: the status of an easy return code (the code shown at the carrier).
EASY_RETURN_STATUSES = {"active": _l("Active"), "used": _l("Used"), "expired": _l("Expired")}

# How an order was paid.
PAYMENT_TYPES = {
    "credit_card": _l("Credit card"),
    "funds_transfer": _l("Bank transfer"),
    "pay_on_delivery": _l("Pay on delivery"),
    "other": _l("Other"),
}


# (id of a mapping above, language) -> {code: {"value", "label"}}: the catalogs do not change
# while the process runs, and translating each label anew cost a fifth of a lookup's time.
_LABEL_TABLES: dict[tuple[int, str], dict[Any, dict[str, str]]] = {}


def label(mapping: dict, value, language: str | None = None) -> dict[str, str]:
    """A ``{"value", "label"}`` pair; unknown codes fall back to the raw value."""
    key = (id(mapping), language or current_language())
    table = _LABEL_TABLES.get(key)
    if table is None:
        table = {code: {"value": str(code), "label": str(text)} for code, text in mapping.items()}
        _LABEL_TABLES[key] = table
    found = table.get(value)
    if found is None:
        return {"value": str(value), "label": str(value)}
    return dict(found)


def select_locale() -> str | None:
    """Pages: ``?lang=`` (remembered in the session), then the remembered choice, then
    Accept-Language, then the default. JSON paths: Accept-Language, then the default."""
    if not has_request_context():
        return None  # the default locale (CLI commands, services called without a request)
    languages = current_app.config["LANGUAGES"]
    if not request.path.startswith(API_PREFIXES):
        wanted = request.args.get("lang")
        if wanted in languages:
            session["lang"] = wanted
            return wanted
        remembered = session.get("lang")
        if remembered in languages:
            return remembered
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def current_language() -> str:
    return str(get_locale() or "en")


def _render_translations(context: Any) -> Any:
    """The catalog for this template render, looked up once instead of at every string."""
    eval_context = context.eval_ctx
    translations = getattr(eval_context, "translations", None)
    if translations is None:
        translations = eval_context.translations = get_translations()
    return translations


@pass_context
def _template_gettext(context: Any, string: str) -> str:
    return _render_translations(context).ugettext(string)


@pass_context
def _template_ngettext(context: Any, singular: str, plural: str, n: int) -> str:
    return _render_translations(context).ungettext(singular, plural, n)


def install_template_gettext(app: Flask) -> None:
    """Templates' ``_`` and ``ngettext`` with the catalog looked up once per render (the order
    page has about a thousand strings); newstyle as Flask-Babel's (autoescape, ``%(name)s``)."""
    app.jinja_env.install_gettext_callables(
        gettext=_template_gettext, ngettext=_template_ngettext, newstyle=True
    )
