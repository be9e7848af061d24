"""Service errors put back next to the form fields they are about, and the error summary."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ..forms import BulkRequestForm, ItemRequestForm, LookupForm

ErrorList = list[tuple[str, str]]


def add_error(field: Any, message: str) -> None:
    if message not in field.errors:
        field.errors = [*field.errors, message]


def attach_errors(form: ItemRequestForm | LookupForm, body: dict[str, Any]) -> None:
    """A service error body (``{"field": "message", ...}``) onto the form's fields."""
    code = body.get("error_code")
    for key, message in body.items():
        if key == "error_code" or not isinstance(message, str):
            continue
        if isinstance(form, LookupForm):
            name = key if key in ("email", "order") else None
        else:
            name = form.error_field(key, code)
        if name is not None:
            add_error(form[name], message)
        else:
            form.form_errors.append(message)


def attach_bulk_errors(form: BulkRequestForm, body: dict[str, Any]) -> None:
    """Per-item error objects: shared fields get their message once, the rest go to the row."""
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
            name = form.error_field(key, code)
            if key == "quantity":
                add_error(row.quantity, message)
            elif name is not None:
                add_error(form[name], message)
            else:
                form.row_errors.setdefault(item_id, []).append(message)


def _about(product: str, message: str) -> str:
    if not product:
        return message
    return _("%(product)s: %(message)s", product=product, message=message)


def error_summary(
    form: FlaskForm, anchor: str, products: dict[int, str] | None = None
) -> ErrorList:
    """Every error of a form as (id to link to, message), in the order of the page."""
    found: ErrorList = [(anchor, message) for message in form.form_errors]
    if isinstance(form, BulkRequestForm):
        found += [(f"{form.items.id}", message) for message in form.selection_errors]
        for row in form.items:
            item_id = form.row_item_id(row) or 0
            product = (products or {}).get(item_id, "")
            for message in form.row_errors.get(item_id, []):
                found.append((row.selected.id, _about(product, message)))
            for message in row.quantity.errors:
                found.append((row.quantity.id, _about(product, message)))
    plain = [field for field in form if field.type not in ("CSRFTokenField", "FieldList")]
    return found + [(field.id, message) for field in plain for message in field.errors]
