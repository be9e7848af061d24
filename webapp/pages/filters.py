"""Formatting for the templates, as Jinja filters: money, dates, addresses and labels in the
current request's language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from babel.core import get_global
from babel.numbers import get_currency_symbol
from flask import current_app
from flask_babel import format_currency, format_date, format_time, get_locale, ngettext
from flask_babel import gettext as _

from ..i18n import current_language
from ..serializers import mask_iban
from ..services.read_models import AddressView, ItemView, ReasonView
from ..vocabulary import (
    CancellationType,
    EasyReturnStatus,
    OrderStatus,
    PaymentType,
    RequestStatus,
    Unavailable,
    label,
)
from . import bp

REQUEST_TONES = {
    RequestStatus.OPEN: "pending",
    RequestStatus.APPROVED: "info",
    RequestStatus.REJECTED: "danger",
    RequestStatus.COMPLETED: "success",
}


@bp.app_template_filter()
def money(value: Decimal | None, currency: str) -> str:
    """An amount in a currency, as the current language writes it; where the language has no
    symbol of its own for the currency (English writes "TRY"), the symbol of the currency's
    own country ("₺")."""
    code = currency.upper()
    text = str(format_currency(value or Decimal("0"), code))
    if get_currency_symbol(code, current_language()) == code:
        text = text.replace(code, home_symbol(code))
    return text


@cache
def home_symbol(currency: str) -> str:
    """The symbol the currency's own country writes, from Babel's locale data (the code
    itself when there is none)."""
    territories = [
        territory
        for territory, currencies in get_global("territory_currencies").items()
        if any(found == currency and end is None for found, _start, end, _tender in currencies)
    ]
    territories.sort(key=lambda territory: territory != currency[:2])
    for territory in territories:
        locale = get_global("likely_subtags").get(f"und_{territory}")
        if locale is not None:
            return str(get_currency_symbol(currency, locale))
    return currency


@bp.app_template_global()
def return_address() -> list[str]:
    """The store's return address (``RETURN_ADDRESS``), in the current language's order."""
    return address_lines(current_app.config["RETURN_ADDRESS"])


def address_lines(address: Mapping[str, str]) -> list[str]:
    """An address's lines in the order the current language writes them (the country by its
    name in that language); empty lines left out."""
    country = address.get("country", "")
    values = {
        "name": address.get("name", ""),
        "line": address.get("line", ""),
        "district": address.get("district", ""),
        "postcode": address.get("postcode", ""),
        "city": address.get("city", ""),
        "country": str(get_locale().territories.get(country, country)) if country else "",
    }
    # TRANSLATORS: how your language writes a postal address, one line each (keep the line
    # breaks and every %(...)s; reorder them as your language does).
    layout = _("%(name)s\n%(line)s\n%(district)s\n%(city)s %(postcode)s\n%(country)s", **values)
    return [line.strip(" ,/") for line in layout.split("\n") if line.strip(" ,/")]


@bp.app_template_filter()
def unavailable_reason(item: ItemView) -> str:
    """Why an item can not be cancelled or returned online now, in words."""
    messages = {
        Unavailable.IN_PROGRESS: _("We are working on your request for this item."),
        Unavailable.NOTHING_LEFT: _("Every unit of this item is already in a request."),
        Unavailable.CANCELLED: _("This item was cancelled."),
        Unavailable.REFUNDED: _("This item was refunded."),
        Unavailable.ON_ITS_WAY: _("This item is on its way."),
        Unavailable.WINDOW_CLOSED: _(
            "The return window for this item closed on %(date)s.", date=day(item.refund_deadline)
        ),
        Unavailable.NOT_ONLINE: _("This item can not be cancelled or returned online."),
    }
    return messages[item.unavailable or Unavailable.NOT_ONLINE]


@bp.app_template_filter()
def unavailable_next_step(item: ItemView, refund_days: int) -> str:
    """What the shopper can do instead, for an item that allows no request now."""
    if item.unavailable == Unavailable.IN_PROGRESS:
        return _("You can ask for the rest once we have answered this request.")
    if item.unavailable == Unavailable.ON_ITS_WAY:
        return ngettext(
            "Once it has been delivered, you can return it here within %(num)d day.",
            "Once it has been delivered, you can return it here within %(num)d days.",
            refund_days,
        )
    if item.unavailable in (Unavailable.CANCELLED, Unavailable.REFUNDED):
        return ""
    return _("If something is wrong with it, write to us and we will help.")


@bp.app_template_filter()
def day(value: date | datetime | None) -> str:
    """A calendar day in the language's long form (a time: its day in the store's zone)."""
    return str(format_date(value, "long")) if value else ""


@bp.app_template_filter()
def when(value: datetime | None) -> str:
    """A date and time in the store's zone."""
    if value is None:
        return ""
    return _("%(date)s, %(time)s", date=format_date(value, "medium"),
             time=format_time(value, "short"))  # fmt: skip


@bp.app_template_filter()
def address_line(address: AddressView | None) -> str:
    if address is None:
        return ""
    name = f"{address.first_name} {address.last_name}".strip()
    place = " ".join(part for part in (address.postcode, address.city) if part)
    parts = (name, address.line, address.district, place, address.country)
    return ", ".join(part for part in parts if part)


@bp.app_template_filter()
def order_status(code: int) -> str:
    return label(OrderStatus, code)


@bp.app_template_filter()
def request_status(code: str) -> str:
    return label(RequestStatus, code)


@bp.app_template_filter()
def request_type(code: str) -> str:
    return label(CancellationType, code)


@bp.app_template_filter()
def easy_return_status(code: str) -> str:
    return label(EasyReturnStatus, code)


@bp.app_template_filter()
def payment_type(code: str) -> str:
    return label(PaymentType, code)


@bp.app_template_filter()
def order_tone(code: int) -> str:
    """A colour family for a status badge (the badge always carries the status text too)."""
    if code in (OrderStatus.CANCELLED, OrderStatus.REFUNDED):
        return "neutral"
    if code == OrderStatus.DELIVERED:
        return "success"
    if OrderStatus.SHIPPED <= code < OrderStatus.DELIVERED:
        return "info"
    return "pending"


@bp.app_template_filter()
def request_tone(code: str) -> str:
    try:
        return REQUEST_TONES[RequestStatus(code)]
    except ValueError:
        return "neutral"


@bp.app_template_filter()
def masked_iban(iban: str | None) -> str:
    return mask_iban(iban) or ""


@bp.app_template_filter()
def reason_subject(reason: ReasonView | None) -> str:
    return reason.subject_for(current_language()) if reason is not None else ""


@bp.app_template_global()
def field_attributes(field: Any, hint: object = None) -> dict[str, str]:
    """``aria-describedby`` and ``aria-invalid`` for a form control, tying it to its hint and
    its error message."""
    ids = []
    if hint:
        ids.append(f"{field.id}-hint")
    if field.errors:
        ids.append(f"{field.id}-error")
    attributes = {}
    if ids:
        attributes["aria-describedby"] = " ".join(ids)
    if field.errors:
        attributes["aria-invalid"] = "true"
    return attributes
