"""Reading a cancellation body: each entry's values, typed, and what could not be read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumValidationError

from ..errors import ValidationFailed
from ..vocabulary import CancellationType
from .input import FieldError, as_bool, as_int, as_text, is_blank, required

MAX_BULK_ITEMS = 100
MAX_DESCRIPTION_LENGTH = 1000
MAX_HOLDER_NAME_LENGTH = 100
MAX_IBAN_INPUT_LENGTH = 64
HOUR_PATTERN = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{4,30}")
PICKUP_FIELDS = ("shipping_company", "pickup_address", "pickup_date")
FIELDS = ("order_item", "cancellation_type", "reason", "quantity", "description", "iban",
          "holder_name", "fully_refund_as_loyalty_money", *PICKUP_FIELDS)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PickupInput:
    day: date
    start: str
    end: str


@dataclass(slots=True)
class EntryInput:
    """One entry of a body as read: the values that could be read, the fields that were given
    (not empty), and a message for each field that could not be read."""

    order_item: int | None = None
    cancellation_type: CancellationType | None = None
    reason: int | None = None
    quantity: int | None = None
    description: str | None = None
    iban: str | None = None
    holder_name: str | None = None
    fully_refund_as_loyalty_money: bool = False
    shipping_company: int | None = None
    pickup_address: int | None = None
    pickup: PickupInput | None = None
    given: frozenset[str] = frozenset()
    errors: dict[str, str] = field(default_factory=dict)


def read_single(data: Any) -> EntryInput:
    """The body of ``POST .../cancellation_requests/``."""
    if not isinstance(data, dict):
        raise ValidationFailed({"non_field_errors": _("Invalid data. Expected an object.")})
    return read_entry(data)


def read_bulk(data: Any) -> list[EntryInput]:
    """The body of ``POST .../bulk_cancellation_requests/``: 1 to 100 entries."""
    if not isinstance(data, dict):
        raise ValidationFailed({"non_field_errors": _("Invalid data. Expected an object.")})
    entries = data.get("cancel_order_items")
    if (
        not isinstance(entries, list)
        or not 1 <= len(entries) <= MAX_BULK_ITEMS
        or not all(isinstance(entry, dict) for entry in entries)
    ):
        raise ValidationFailed(
            {
                "cancel_order_items": _(
                    "Send a list of 1 to %(max)d order items to cancel.", max=MAX_BULK_ITEMS
                )
            }
        )
    return [read_entry(entry) for entry in entries]


def read_entry(data: dict[str, Any]) -> EntryInput:
    entry = EntryInput(given=frozenset(name for name in FIELDS if not is_blank(data.get(name))))
    errors = entry.errors
    try:
        entry.order_item = as_int(required(data, "order_item"))
    except FieldError as error:
        errors["order_item"] = error.message
    kind = data.get("cancellation_type")
    if is_blank(kind):
        errors["cancellation_type"] = _("This field is required.")
    elif kind in tuple(CancellationType):
        entry.cancellation_type = CancellationType(kind)
    else:
        errors["cancellation_type"] = _("Choose cancel or refund.")
    try:
        entry.reason = as_int(required(data, "reason"))
    except FieldError as error:
        errors["reason"] = error.message

    def read(name: str, parse: Any) -> Any:
        value = data.get(name)
        if is_blank(value):
            return None
        try:
            return parse(value)
        except FieldError as error:
            errors[name] = error.message
            return None

    entry.quantity = read("quantity", _quantity)
    entry.description = read("description", lambda v: as_text(v, MAX_DESCRIPTION_LENGTH) or None)
    entry.fully_refund_as_loyalty_money = bool(read("fully_refund_as_loyalty_money", as_bool))
    entry.holder_name = read("holder_name", lambda v: as_text(v, MAX_HOLDER_NAME_LENGTH) or None)
    entry.iban = read("iban", _iban)
    entry.shipping_company = read("shipping_company", as_int)
    entry.pickup_address = read("pickup_address", as_int)
    entry.pickup = read("pickup_date", _pickup)
    return entry


def _quantity(value: Any) -> int:
    quantity = as_int(value)
    if quantity < 1:
        raise FieldError(_("Ensure this value is greater than or equal to 1."))
    return quantity


def _iban(value: Any) -> str:
    """A valid IBAN (country length and check digits), normalised: no spaces, upper case;
    the message says what is wrong."""
    text = stdnum_iban.compact(as_text(value, MAX_IBAN_INPUT_LENGTH))
    if not IBAN_SHAPE.fullmatch(text):
        raise FieldError(
            _("An IBAN starts with the country's two letters and two check digits: check it again.")
        )
    try:
        return str(stdnum_iban.validate(text))
    except InvalidChecksum:
        raise FieldError(_("The IBAN's check digits do not match: check for a typo.")) from None
    except StdnumValidationError:
        raise FieldError(
            _("This IBAN has too many or too few characters for its country: check it again.")
        ) from None


def _pickup(value: Any) -> PickupInput:
    """``{"date": "YYYY-MM-DD", "hour_range": {"start": "HH:MM", "end": "HH:MM"}}``."""
    if not isinstance(value, dict):
        raise FieldError(_("Give a date and an hour range."))
    text = value.get("date")
    try:
        day = date.fromisoformat(text) if isinstance(text, str) and len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise FieldError(_("Enter a valid date (YYYY-MM-DD)."))
    hours = value.get("hour_range")
    start = hours.get("start") if isinstance(hours, dict) else None
    end = hours.get("end") if isinstance(hours, dict) else None
    if not (
        isinstance(start, str)
        and isinstance(end, str)
        and HOUR_PATTERN.match(start)
        and HOUR_PATTERN.match(end)
    ):
        raise FieldError(_("Enter the hour range as HH:MM to HH:MM."))
    return PickupInput(day, start, end)
