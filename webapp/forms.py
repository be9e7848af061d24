"""WTForms for the guest pages; they read the browser's input and hand plain dicts to services.

The forms check the shape of the input (a field is filled in, something is chosen, a pickup
has both its day and its time), with messages that say what to do. Every business rule
(quantities, reasons by type, pickup window, IBAN) is checked by the service layer, whose field
errors the views attach to these same fields.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import DateInput, NumberInput

from .errors import IBAN_REQUIRED, PICKUP_ADDRESS_REQUIRED
from .vocabulary import CancellationType
from .wtforms_messages import TranslatedMeta

# The pickup hour ranges offered to shoppers, as (start, end).
PICKUP_SLOTS: tuple[tuple[str, str], ...] = (
    ("08:00", "12:00"),
    ("12:00", "16:00"),
    ("16:00", "20:00"),
)

# Service errors carrying one of these codes are shown next to this field.
CODED_ERROR_FIELDS = {
    PICKUP_ADDRESS_REQUIRED: "pickup_address",
    IBAN_REQUIRED: "iban",
}

# Service error keys of the fields asked once per form (in the bulk form: for every item).
SHARED_FIELDS = frozenset(
    {
        "description",
        "shipping_company",
        "pickup_address",
        "pickup_date",
        "fully_refund_as_loyalty_money",
        "iban",
        "holder_name",
    }
)
# Service error keys of the fields asked per item.
ITEM_FIELDS = frozenset({"cancellation_type", "reason", "quantity"})

# How the two request types are offered to shoppers.
TYPE_CHOICE_LABELS = {
    CancellationType.CANCEL: _l("Cancel it (it has not shipped yet)"),
    CancellationType.REFUND: _l("Return it for a refund"),
}
# The reason list's group of each type, when an item allows both.
REASON_GROUPS = {
    CancellationType.CANCEL: _l("Reasons to cancel"),
    CancellationType.REFUND: _l("Reasons to return"),
}

Choices = list[tuple[str, str]]


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
    return None if value in (None, "") else value


def slot_value(start: str, end: str) -> str:
    return f"{start}-{end}"


class SiteForm(FlaskForm):
    """Base of the site's forms: WTForms' own messages come from the site's catalogs."""

    Meta = TranslatedMeta


class AccessLinkForm(SiteForm):
    """An order's email and number, to email a link to it (the lookup form's fields, so the
    lookup form can send them here too)."""

    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(message=_l("Enter the email address you ordered with.")),
            Length(max=254, message=_l("The email address is too long.")),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    order = StringField(
        _l("Order number"),
        validators=[
            DataRequired(message=_l("Enter your order number.")),
            Length(max=64, message=_l("The order number is too long.")),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )

    def to_data(self) -> dict[str, Any]:
        return {"email": self.email.data, "order": self.order.data}


class LookupForm(AccessLinkForm):
    """An order's email and number, to open it."""

    # Where to go once the order is found (a page of that order, from a link in an email).
    next = HiddenField()


class OpenLinkForm(SiteForm):
    """Only the CSRF token: opening an emailed link is a POST."""


class ConfirmOrderForm(Form):
    """The order's email and number asked again on a request form whose session ran out."""

    Meta = TranslatedMeta

    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(message=_l("Enter the email address you ordered with."))],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    order = StringField(
        _l("Order number"),
        validators=[DataRequired(message=_l("Enter your order number."))],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )

    def to_data(self) -> dict[str, Any]:
        return {"email": self.email.data, "order": self.order.data}


def setup_type_and_reason(
    type_field: RadioField,
    reason_field: SelectField,
    kinds: list[CancellationType],
    reasons: dict[CancellationType, Choices],
) -> None:
    """The request types an item allows (the only one chosen already), and the reasons of
    those types, grouped by type when there are two."""
    type_field.choices = [(kind.value, TYPE_CHOICE_LABELS[kind]) for kind in kinds]
    if len(kinds) == 1 and not type_field.data:
        type_field.data = kinds[0].value
    empty = ("", _l("Choose a reason"))
    if len(kinds) > 1:
        grouped = {str(REASON_GROUPS[kind]): reasons[kind] for kind in kinds if reasons[kind]}
        reason_field.choices = {"": [empty], **grouped}
    else:
        reason_field.choices = [empty, *(option for kind in kinds for option in reasons[kind])]


class RequestFieldsForm(SiteForm):
    """Fields asked once per form: the note, how it goes back, where the money goes."""

    # One token per rendered form: a second submission of it shows the first one's result.
    form_token = HiddenField()

    description = TextAreaField(
        _l("Anything else we should know? (optional)"),
        validators=[Optional()],
        render_kw={"rows": 3, "maxlength": 1000},
    )
    shipping_company = SelectField(
        _l("Return with"), choices=[], validate_choice=False, validators=[Optional()]
    )
    pickup_address = SelectField(
        _l("Pickup address"), choices=[], validate_choice=False, validators=[Optional()]
    )
    pickup_date = StringField(_l("Pickup date"), widget=DateInput())
    pickup_hours = SelectField(_l("Pickup time"), choices=[], validate_choice=False)
    fully_refund_as_loyalty_money = BooleanField(_l("Refund as loyalty money instead"))
    iban = StringField(
        _l("IBAN"),
        validators=[Optional()],
        render_kw={"autocomplete": "off", "spellcheck": "false", "maxlength": 64},
    )
    holder_name = StringField(
        _l("Account holder's name"),
        validators=[Optional()],
        render_kw={"autocomplete": "name", "maxlength": 100},
    )

    def issue_token(self) -> None:
        """A fresh form gets a new token; a form shown again keeps the one it was sent with."""
        if not self.form_token.data:
            self.form_token.data = secrets.token_urlsafe(16)

    def setup_shared(self, companies: Choices, addresses: Choices) -> None:
        self.shipping_company.choices = [("", _l("None: I will send it myself")), *companies]
        self.pickup_address.choices = [("", _l("Choose an address")), *addresses]
        self.pickup_hours.choices = [
            ("", _l("Choose a time")),
            *((slot_value(start, end), f"{start} – {end}") for start, end in PICKUP_SLOTS),
        ]

    def validate_pickup_hours(self, field: SelectField) -> None:
        """A pickup needs both its day and its time."""
        if _blank_to_none(self.pickup_date.data) and not _blank_to_none(field.data):
            field.errors.append(str(_l("Choose a pickup time.")))
        elif _blank_to_none(field.data) and not _blank_to_none(self.pickup_date.data):
            self.pickup_date.errors.append(str(_l("Choose a pickup date.")))

    def shared_data(self, refund: bool) -> dict[str, Any]:
        """The fields each entry of a request carries, as the JSON API expects them; how it
        goes back only for a return."""
        data: dict[str, Any] = {
            "description": _blank_to_none(self.description.data),
            "iban": _blank_to_none(self.iban.data),
            "holder_name": _blank_to_none(self.holder_name.data),
            "fully_refund_as_loyalty_money": bool(self.fully_refund_as_loyalty_money.data),
        }
        if not refund:
            return data
        data["shipping_company"] = _blank_to_none(self.shipping_company.data)
        data["pickup_address"] = _blank_to_none(self.pickup_address.data)
        day = _blank_to_none(self.pickup_date.data)
        hours = _blank_to_none(self.pickup_hours.data)
        if day is not None or hours is not None:
            start, _, end = (hours or "").partition("-")
            data["pickup_date"] = {
                "date": day,
                "hour_range": {"start": start, "end": end} if hours else None,
            }
        return data

    def shared_error_field(self, key: str, error_code: str | None = None) -> str | None:
        """The field of this form a service error key belongs to, or None."""
        if key == "non_field_errors":
            return CODED_ERROR_FIELDS.get(error_code or "")
        if key in SHARED_FIELDS:
            return key
        return None


class ItemRequestForm(RequestFieldsForm):
    """Cancel or return one order item."""

    cancellation_type = RadioField(
        _l("What would you like to do?"),
        choices=[],
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose whether to cancel or to return it."))],
    )
    quantity = StringField(
        _l("Quantity"),
        widget=NumberInput(min=1, step=1),
        validators=[DataRequired(message=_l("Enter how many."))],
    )
    reason = SelectField(
        _l("Reason"),
        choices=[],
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose a reason."))],
    )

    def setup(
        self,
        kinds: list[CancellationType],
        reasons: dict[CancellationType, Choices],
        remaining: int,
    ) -> None:
        """The types and reasons the item allows, and how many units it has left."""
        setup_type_and_reason(self.cancellation_type, self.reason, kinds, reasons)
        self.quantity.render_kw = {"max": remaining, "inputmode": "numeric"}
        if self.quantity.data in (None, ""):
            self.quantity.data = "1"

    def error_field(self, key: str, error_code: str | None = None) -> str | None:
        if key in ITEM_FIELDS:
            return key
        return self.shared_error_field(key, error_code)

    def to_data(self, order_item: int) -> dict[str, Any]:
        kind = _blank_to_none(self.cancellation_type.data)
        return {
            "order_item": order_item,
            "cancellation_type": kind,
            "reason": _blank_to_none(self.reason.data),
            "quantity": _blank_to_none(self.quantity.data),
            **self.shared_data(refund=kind == CancellationType.REFUND),
        }


class BulkItemForm(Form):
    """One item of the several-items form: chosen or not, and its own type, reason, quantity."""

    Meta = TranslatedMeta

    order_item = HiddenField()
    selected = BooleanField(_l("Include this item"))
    cancellation_type = RadioField(
        _l("What would you like to do?"), choices=[], validate_choice=False
    )
    reason = SelectField(_l("Reason"), choices=[], validate_choice=False)
    quantity = StringField(
        _l("Quantity"), widget=NumberInput(min=1, step=1), validators=[Optional()]
    )

    def validate(self, extra_validators: Any = None) -> bool:
        """A chosen item needs its type, reason and quantity; other items need nothing."""
        if not self.selected.data:
            return True
        valid = super().validate(extra_validators)
        if not _blank_to_none(self.cancellation_type.data):
            self.cancellation_type.errors = [str(_l("Choose whether to cancel or to return it."))]
            valid = False
        if not _blank_to_none(self.reason.data):
            self.reason.errors = [str(_l("Choose a reason."))]
            valid = False
        if not _blank_to_none(self.quantity.data):
            self.quantity.errors = [str(_l("Enter how many."))]
            valid = False
        return valid


class BulkRequestForm(RequestFieldsForm):
    """Cancel or return several items at once: each its own way, the rest asked once."""

    items = FieldList(FormField(BulkItemForm), min_entries=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.selection_errors: list[str] = []
        self.row_errors: dict[int, list[str]] = {}

    def set_items(
        self,
        allowed: dict[int, list[CancellationType]],
        remaining: dict[int, int],
        reasons: dict[CancellationType, Choices],
    ) -> None:
        """One row per eligible item, in order; each offers the types its item allows."""
        if not self.items.entries:
            for item_id in allowed:
                self.items.append_entry({"order_item": str(item_id), "quantity": "1"})
        for row in self.items:
            item_id = self.row_item_id(row) or 0
            kinds = allowed.get(item_id, [])
            setup_type_and_reason(row.cancellation_type, row.reason, kinds, reasons)
            if remaining.get(item_id):
                row.quantity.render_kw = {"max": remaining[item_id], "inputmode": "numeric"}

    @staticmethod
    def row_item_id(row: FormField) -> int | None:
        value = row.order_item.data
        return int(value) if isinstance(value, str) and value.isdigit() else None

    def selected_rows(self) -> list[FormField]:
        return [row for row in self.items if row.selected.data]

    def chosen_types(self) -> set[str]:
        return {str(row.cancellation_type.data) for row in self.selected_rows()}

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        self.selection_errors = []
        if not self.selected_rows():
            self.selection_errors.append(str(_l("Choose at least one item.")))
            valid = False
        return valid

    def to_data(self) -> dict[str, Any]:
        entries = []
        for row in self.selected_rows():
            kind = _blank_to_none(row.cancellation_type.data)
            entries.append(
                {
                    "order_item": row.order_item.data,
                    "cancellation_type": kind,
                    "reason": _blank_to_none(row.reason.data),
                    "quantity": _blank_to_none(row.quantity.data),
                    **self.shared_data(refund=kind == CancellationType.REFUND),
                }
            )
        return {"cancel_order_items": entries}


class ForgetOrderForm(SiteForm):
    """Only the CSRF token: forgetting an order is a POST."""
