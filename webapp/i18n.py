"""Locale selection and translated labels for codes stored in the database."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import Locale
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from markupsafe import Markup

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


def select_locale() -> Locale | None:
    """Pages: ``?lang=`` (remembered in the session), then the remembered choice, then
    Accept-Language, then the default. JSON paths: Accept-Language, then the default."""
    if not has_request_context():
        return None  # the default locale (CLI commands, services called without a request)
    languages = current_app.config["LANGUAGES"]
    if not request.path.startswith(API_PREFIXES):
        wanted = request.args.get("lang")
        if wanted in languages:
            session["lang"] = wanted
            return locale_of(wanted)
        remembered = session.get("lang")
        if remembered in languages:
            return locale_of(remembered)
    return locale_of(
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


@lru_cache(maxsize=32)
def locale_of(code: str) -> Locale:
    """Babel's parsed locale, once per code (Flask-Babel parses the selector's answer anew)."""
    return Locale.parse(code)


def current_language() -> str:
    return str(get_locale() or "en")


def _render_catalog(context: Any) -> tuple[Any, dict]:
    """The catalog for this template render, and the strings already translated with it.

    The catalog is looked up once per render instead of at every string. Catalogs do not
    change while the process runs, so each keeps its translated template strings (the order
    page repeats the same labels for every item).
    """
    eval_context = context.eval_ctx
    found = getattr(eval_context, "catalog", None)
    if found is None:
        translations = get_translations()
        memo = translations.__dict__.get("_template_strings")
        if memo is None:
            memo = translations._template_strings = {}
        found = eval_context.catalog = (translations, memo)
    return found


@pass_context
def _template_gettext(context: Any, string: str, **variables: Any) -> str:
    """Jinja's newstyle gettext (autoescaped, ``%(name)s`` filled and escaped), memoised."""
    translations, memo = _render_catalog(context)
    autoescape = context.eval_ctx.autoescape
    key = (string, autoescape)
    found = memo.get(key)
    if found is None:
        found = translations.ugettext(string)
        if autoescape:
            found = Markup(found)
        memo[key] = found
    if variables:
        return found % variables
    plain = memo.get((key, None))
    if plain is None:
        plain = memo[(key, None)] = found % variables
    return plain


@pass_context
def _template_ngettext(context: Any, singular: str, plural: str, num: int, **variables: Any) -> str:
    translations, _memo = _render_catalog(context)
    found = translations.ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        found = Markup(found)
    variables.setdefault("num", num)
    return found % variables


def install_template_gettext(app: Flask) -> None:
    """Templates' ``_``, ``gettext`` and ``ngettext``, newstyle as Flask-Babel's (autoescape,
    ``%(name)s``) but without Jinja's two wrapper calls per string, with the catalog looked up
    once per render and each translated string kept (the order page has about a hundred)."""
    app.jinja_env.install_gettext_callables(
        gettext=_template_gettext, ngettext=_template_ngettext, newstyle=True
    )
    app.jinja_env.globals.update(
        _=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext
    )
