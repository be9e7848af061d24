"""WTForms for the guest pages; they read the browser's input and hand plain dicts to services.

The forms check only the shape of the input (a field is filled in, something is selected).
Every business rule (quantities, reasons by type, pickup window, IBAN) is checked by the
service layer, whose field errors the views attach to these same fields.
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


# Service error keys that name a field of the request forms.
SHARED_FIELDS = frozenset(
    {
        "cancellation_type",
        "reason",
        "description",
        "shipping_company",
        "pickup_address",
        "pickup_date",
        "fully_refund_as_loyalty_money",
        "iban",
        "holder_name",
    }
)


# How the two request types are offered to shoppers.
TYPE_CHOICE_LABELS = {
    CancellationType.CANCEL: _l("Cancel it (it has not shipped yet)"),
    CancellationType.REFUND: _l("Return it for a refund"),
}


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
    return None if value in (None, "") else value


def slot_value(start: str, end: str) -> str:
    return f"{start}-{end}"


class SiteForm(FlaskForm):
    """Base of the site's forms: WTForms' own messages come from the site's catalogs."""

    Meta = TranslatedMeta


class LookupForm(SiteForm):
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
        render_kw={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"},
    )

    def to_data(self) -> dict[str, Any]:
        return {"email": self.email.data, "order": self.order.data}


class RequestFieldsForm(SiteForm):
    """Fields shared by the single-item and the bulk form."""

    # One token per rendered form: a second submission of it shows the first one's result.
    form_token = HiddenField()

    cancellation_type = RadioField(
        _l("What would you like to do?"), choices=[], validate_choice=False
    )
    reason = SelectField(_l("Reason"), choices=[], validate_choice=False)
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
    pickup_date = StringField(_l("Pickup date"), widget=DateInput(), validators=[Optional()])
    pickup_hours = SelectField(
        _l("Pickup time"), choices=[], validate_choice=False, validators=[Optional()]
    )
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

    def setup(
        self,
        types: list[tuple[str, str]],
        reasons: dict[str, list[tuple[str, str]]],
        companies: list[tuple[str, str]],
        addresses: list[tuple[str, str]],
    ) -> None:
        """Fill the choices: types as (code, label), reasons per type as (id, subject)."""
        self.cancellation_type.choices = types
        if len(types) == 1 and not self.cancellation_type.data:
            self.cancellation_type.data = types[0][0]
        labels = dict(types)
        if len(types) > 1:
            grouped = {str(labels[code]): options for code, options in reasons.items() if options}
            self.reason.choices = {"": [("", _l("Choose a reason"))], **grouped}
        else:
            options = [option for code, _ in types for option in reasons.get(code, [])]
            self.reason.choices = [("", _l("Choose a reason")), *options]
        self.shipping_company.choices = [
            ("", _l("None: I will send it myself")),
            *companies,
        ]
        self.pickup_address.choices = [("", _l("No pickup")), *addresses]
        self.pickup_hours.choices = [
            ("", _l("Choose a time")),
            *((slot_value(start, end), f"{start} – {end}") for start, end in PICKUP_SLOTS),
        ]

    def shared_data(self) -> dict[str, Any]:
        """The fields every entry of a request carries, as the JSON API expects them."""
        data: dict[str, Any] = {
            "cancellation_type": _blank_to_none(self.cancellation_type.data),
            "reason": _blank_to_none(self.reason.data),
            "description": _blank_to_none(self.description.data),
            "shipping_company": _blank_to_none(self.shipping_company.data),
            "pickup_address": _blank_to_none(self.pickup_address.data),
            "iban": _blank_to_none(self.iban.data),
            "holder_name": _blank_to_none(self.holder_name.data),
            "fully_refund_as_loyalty_money": bool(self.fully_refund_as_loyalty_money.data),
        }
        day = _blank_to_none(self.pickup_date.data)
        hours = _blank_to_none(self.pickup_hours.data)
        if day is not None or hours is not None:
            start, _, end = (hours or "").partition("-")
            data["pickup_date"] = {
                "date": day,
                "hour_range": {"start": start, "end": end} if hours else None,
            }
        return data

    def error_field(self, key: str, error_code: str | None = None) -> str | None:
        """The field a service error key belongs to, or None for the form as a whole."""
        if key == "non_field_errors":
            return CODED_ERROR_FIELDS.get(error_code or "")
        if key in SHARED_FIELDS:
            return key
        return None


class ItemRequestForm(RequestFieldsForm):
    """Cancel or refund one order item."""

    quantity = StringField(
        _l("Quantity"), widget=NumberInput(min=1, step=1), validators=[Optional()]
    )

    def set_quantity_limit(self, remaining: int) -> None:
        self.quantity.render_kw = {"max": remaining, "inputmode": "numeric"}
        if self.quantity.data in (None, ""):
            self.quantity.data = str(remaining)

    def error_field(self, key: str, error_code: str | None = None) -> str | None:
        if key == "quantity":
            return key
        return super().error_field(key, error_code)

    def to_data(self, order_item: int) -> dict[str, Any]:
        return {
            "order_item": order_item,
            "quantity": _blank_to_none(self.quantity.data),
            **self.shared_data(),
        }


class BulkItemForm(Form):
    """One row of the bulk form: a checkbox and a quantity for one order item."""

    Meta = TranslatedMeta

    order_item = HiddenField()
    selected = BooleanField(_l("Include this item"))
    quantity = StringField(
        _l("Quantity"), widget=NumberInput(min=1, step=1), validators=[Optional()]
    )


class BulkRequestForm(RequestFieldsForm):
    """Cancel or refund several items at once with the same answers."""

    items = FieldList(FormField(BulkItemForm), min_entries=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.selection_errors: list[str] = []
        self.row_errors: dict[int, list[str]] = {}

    def set_items(self, remaining_by_item: dict[int, int]) -> None:
        """One row per eligible item, in order; quantities default to all that is left."""
        if not self.items.entries:
            for item_id, remaining in remaining_by_item.items():
                self.items.append_entry({"order_item": str(item_id), "quantity": str(remaining)})
        for row in self.items:
            left = remaining_by_item.get(self.row_item_id(row) or 0)
            if left:
                row.quantity.render_kw = {"max": left, "inputmode": "numeric"}

    @staticmethod
    def row_item_id(row: FormField) -> int | None:
        value = row.order_item.data
        return int(value) if isinstance(value, str) and value.isdigit() else None

    def selected_rows(self) -> list[FormField]:
        return [row for row in self.items if row.selected.data]

    def validate(self, extra_validators: dict | None = None) -> bool:
        valid = super().validate(extra_validators)
        self.selection_errors = []
        if not self.selected_rows():
            self.selection_errors.append(str(_l("Choose at least one item.")))
            valid = False
        return valid

    def to_data(self) -> dict[str, Any]:
        shared = self.shared_data()
        return {
            "cancel_order_items": [
                {
                    "order_item": row.order_item.data,
                    "quantity": _blank_to_none(row.quantity.data),
                    **shared,
                }
                for row in self.selected_rows()
            ]
        }


class ForgetOrderForm(SiteForm):
    """Only the CSRF token: forgetting an order is a POST."""
