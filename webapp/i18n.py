"""Locale selection and translated labels for codes stored in the database."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

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

REQUEST_STATUSES = {
    "open": _l("Open"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "completed": _l("Completed"),
}

CANCELLATION_TYPES = {"cancel": _l("Cancel"), "refund": _l("Refund")}

EASY_RETURN_STATUSES = {"active": _l("Active"), "used": _l("Used"), "expired": _l("Expired")}

PAYMENT_TYPES = {
    "credit_card": _l("Credit card"),
    "funds_transfer": _l("Bank transfer"),
    "pay_on_delivery": _l("Pay on delivery"),
    "other": _l("Other"),
}


def label(mapping: dict, value) -> dict[str, str]:
    """A ``{"value", "label"}`` pair; unknown codes fall back to the raw value."""
    text = mapping.get(value)
    return {"value": str(value), "label": str(text) if text is not None else str(value)}


def select_locale() -> str:
    """``?lang=`` (remembered in the session), then Accept-Language, then the default."""
    languages = current_app.config["LANGUAGES"]
    wanted = request.args.get("lang")
    if wanted in languages:
        session["lang"] = wanted
        return wanted
    if not request.path.startswith(("/users/", "/csrf_token/")):
        remembered = session.get("lang")
        if remembered in languages:
            return remembered
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def current_language() -> str:
    return str(get_locale() or "en")
