"""Service errors put back next to the form fields they are about, and the error summary."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from wtforms import Form

from ..forms import ITEM_FIELDS, BulkRequestForm, ConfirmOrderForm, ItemRequestForm, LookupForm

ErrorList = list[tuple[str, str]]


def add_error(field: Any, message: str) -> None:
    if message not in field.errors:
        field.errors = [*field.errors, message]


def attach_errors(
    form: ItemRequestForm | LookupForm | ConfirmOrderForm, body: dict[str, Any]
) -> None:
    """A service error body (``{"field": "message", ...}``) onto the form's fields."""
    code = body.get("error_code")
    for key, message in body.items():
        if key == "error_code" or not isinstance(message, str):
            continue
        if isinstance(form, LookupForm | ConfirmOrderForm):
            name = key if key in ("email", "order") else None
        else:
            name = form.error_field(key, code)
        if name is not None:
            add_error(form[name], message)
        else:
            form.form_errors.append(message)


def attach_bulk_errors(form: BulkRequestForm, body: dict[str, Any]) -> None:
    """Per-item error objects: the item's own fields in its row, the fields asked once next to
    them (each message once), anything else about the item in its row."""
    entries = body.get("cancel_order_items")
    if not isinstance(entries, list):
        for key, message in body.items():
            if key != "error_code" and isinstance(message, str):
                form.form_errors.append(message)
        return
    for row, errors in zip(form.selected_rows(), entries, strict=False):
        item_id = form.row_item_id(row) or 0
        code = errors.get("error_code")
        for key, message in errors.items():
            if key == "error_code":
                continue
            shared = form.shared_error_field(key, code)
            if key in ITEM_FIELDS:
                add_error(row[key], message)
            elif shared is not None:
                add_error(form[shared], message)
            else:
                form.row_errors.setdefault(item_id, []).append(message)


def _about(subject: str, message: str) -> str:
    if not subject:
        return message
    # TRANSLATORS: an error in the summary at the top of a form: what it is about, then what
    # to do, e.g. "Reason: Choose a reason." or "Oak chair: Every unit is already in a request."
    return _("%(subject)s: %(message)s", subject=subject, message=message)


def error_summary(form: Form, anchor: str, products: dict[int, str] | None = None) -> ErrorList:
    """Every error of a form as (id to link to, message naming its field), in page order."""
    found: ErrorList = [(anchor, message) for message in form.form_errors]
    if isinstance(form, BulkRequestForm):
        found += [(f"{form.items.id}", message) for message in form.selection_errors]
        for row in form.items:
            item_id = form.row_item_id(row) or 0
            product = (products or {}).get(item_id, "")
            for message in form.row_errors.get(item_id, []):
                found.append((row.selected.id, _about(product, message)))
            for field in (row.cancellation_type, row.reason, row.quantity):
                for message in field.errors:
                    named = _about(str(field.label.text), message)
                    found.append((field.id, _about(product, named)))
    plain = [field for field in form if field.type not in ("CSRFTokenField", "FieldList")]
    return found + [
        (field.id, _about(str(field.label.text), message))
        for field in plain
        for message in field.errors
    ]
