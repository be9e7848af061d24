"""Formatting for the templates, as Jinja filters: money, dates, addresses and labels in the
current request's language."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import format_currency, format_date, format_time
from flask_babel import gettext as _

from ..i18n import current_language
from ..serializers import mask_iban
from ..services.read_models import AddressView, ReasonView
from ..vocabulary import (
    CancellationType,
    EasyReturnStatus,
    OrderStatus,
    PaymentType,
    RequestStatus,
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
    """An amount in a currency, as the current language writes it."""
    return str(format_currency(value or Decimal("0"), currency.upper()))


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
