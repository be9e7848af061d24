"""Creating cancellation and refund requests, one or in bulk, all rules of the contract."""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import Row, bindparam, insert, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumValidationError

from .. import errors as codes
from ..errors import DomainError, OrderNotFound, ValidationFailed, coded
from ..extensions import db
from ..models import (
    CANCEL,
    GUEST,
    REFUND,
    REQUEST_OPEN,
    CancellationReason,
    CancellationRequest,
    EasyReturn,
    ShippingCompany,
    reason_allows,
)
from .audit import add_acceptance, audited
from .base import (
    FieldError,
    as_bool,
    as_int,
    as_text,
    lock_order_items,
    now_utc,
    required,
    setting,
    unit_of_work,
)
from .eligibility import needs_bank_account, pickup_window, status_allows
from .orders import proven_orders_from_body
from .snapshots import ItemFacts, load_item_facts

MAX_BULK_ITEMS = 100
MAX_DESCRIPTION_LENGTH = 1000
MAX_HOLDER_NAME_LENGTH = 100
MAX_IBAN_INPUT_LENGTH = 64
HOUR_PATTERN = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$")
EASY_RETURN_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PICKUP_FIELDS = ("shipping_company", "pickup_address", "pickup_date")
_reasons = CancellationReason.__table__
REASON = select(_reasons.c.id, _reasons.c.is_active, _reasons.c.cancellation_type).where(
    _reasons.c.id == bindparam("id")
)


@dataclass
class Plan:
    """A validated request, ready to be written."""

    item: ItemFacts
    cancellation_type: str
    reason: Row  # id, is_active, cancellation_type
    quantity: int
    description: str | None = None
    iban: str | None = None
    holder_name: str | None = None
    fully_refund_as_loyalty_money: bool = False
    shipping_company: ShippingCompany | None = None
    pickup_address_id: int | None = None
    pickup_date: date | None = None
    pickup_hours: tuple[str, str] | None = None


@dataclass
class Checked:
    """Outcome of checking one entry: a plan, or an error body with its status."""

    plan: Plan | None = None
    errors: dict[str, str] = field(default_factory=dict)
    status: int = 400


@audited("single")
def create_cancellation_request(
    data: dict[str, Any], proven_order_ids: Collection[int] = ()
) -> CancellationRequest:
    """One request for one item (``POST .../cancellation_requests/``)."""
    if not isinstance(data, dict):
        raise ValidationFailed({"non_field_errors": _("Invalid data. Expected an object.")})
    proven = _proven_orders(data, proven_order_ids)
    item_id = _item_id_or_error(data)
    if isinstance(item_id, dict):
        raise ValidationFailed(item_id)
    with unit_of_work():
        items = _owned_items([item_id], proven)
        checked = _check_entry(items[item_id], data, pending=set(), reasons={})
        if checked.plan is None:
            raise DomainError(checked.errors, checked.status)
        created = _write(checked.plan)
    return created


@audited("bulk")
def create_bulk_cancellation_requests(
    data: dict[str, Any], proven_order_ids: Collection[int] = ()
) -> list[CancellationRequest]:
    """Several requests at once, all or nothing (``POST .../bulk_cancellation_requests/``)."""
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
    proven = _proven_orders(data, proven_order_ids)
    item_ids = [_item_id_or_error(entry) for entry in entries]
    wanted = [item_id for item_id in item_ids if isinstance(item_id, int)]
    with unit_of_work():
        items = _owned_items(wanted, proven)
        pending: set[int] = set()
        reasons: dict[int, Row | None] = {}  # most bulks give every item the same reason
        results: list[Checked] = []
        for entry, item_id in zip(entries, item_ids, strict=True):
            if isinstance(item_id, dict):
                results.append(Checked(errors=item_id))
                continue
            checked = _check_entry(items[item_id], entry, pending, reasons)
            if checked.plan is not None:
                pending.add(item_id)
            results.append(checked)
        failed = [checked for checked in results if checked.plan is None]
        if failed:
            status = 406 if all(checked.status == 406 for checked in failed) else 400
            raise DomainError(
                {"cancel_order_items": [checked.errors for checked in results]}, status
            )
        created = [_write(checked.plan) for checked in results]
    return created


def _proven_orders(data: dict[str, Any], session_order_ids: Collection[int]) -> set[int]:
    from_body = proven_orders_from_body(data)
    return from_body if from_body is not None else set(session_order_ids)


def _item_id_or_error(entry: dict[str, Any]) -> int | dict[str, str]:
    try:
        return as_int(required(entry, "order_item"))
    except FieldError as error:
        return {"order_item": error.message}


def _owned_items(item_ids: list[int], proven: set[int]) -> dict[int, ItemFacts]:
    """Lock the items, then load them fresh; any unknown or unproven id is the uniform miss.

    Ownership is judged on the fresh rows (an item's order never changes), so unknown, foreign
    and owned ids take the same path up to the answer; the locks of a miss end with its
    rollback.
    """
    if not item_ids:
        return {}
    if any(item_id < 1 or item_id > 2**31 - 1 for item_id in item_ids):  # INTEGER ids
        raise OrderNotFound()
    lock_order_items(item_ids)
    found = load_item_facts(db.session.connection(), sorted(set(item_ids)))
    for item_id in item_ids:
        item = found.get(item_id)
        if item is None or item.order.id not in proven or item.order.user.user_type != GUEST:
            raise OrderNotFound()
    return found


def _check_entry(
    item: ItemFacts, entry: dict[str, Any], pending: set[int], reasons: dict[int, Row | None]
) -> Checked:
    """Rule order: one active request, then type by status, then every field error at once.

    ``reasons`` keeps the reasons this use case has read, by id, for the entries after it.
    """
    if item.active_request is not None or item.id in pending:
        return Checked(
            errors=coded(
                _("This item already has an active cancellation request."),
                codes.ACTIVE_REQUEST_EXISTS,
            )
        )
    errors: dict[str, str] = {}
    cancellation_type = entry.get("cancellation_type")
    if cancellation_type in (None, ""):
        errors["cancellation_type"] = _("This field is required.")
    elif cancellation_type not in (CANCEL, REFUND):
        errors["cancellation_type"] = _("Choose cancel or refund.")
    elif not status_allows(item, cancellation_type) or item.remaining_quantity < 1:
        if cancellation_type == CANCEL:
            body = coded(_("This item can not be cancelled."), codes.NOT_CANCELLABLE)
        else:
            body = coded(_("This item can not be refunded."), codes.NOT_REFUNDABLE)
        return Checked(errors=body)

    valid_type = cancellation_type if cancellation_type in (CANCEL, REFUND) else None
    checker = _FieldChecker(item, entry, valid_type, errors, reasons)
    plan = checker.run()
    if plan is not None:
        return Checked(plan=plan)
    only_pickup_code = (
        errors.get("error_code") == codes.PICKUP_ADDRESS_REQUIRED
        and set(errors) == {"non_field_errors", "error_code"}
        and not checker.outranked
    )
    return Checked(errors=errors, status=406 if only_pickup_code else 400)


class _FieldChecker:
    """Collects every field error of one entry; coded errors: 100_8 wins over 100_5."""

    def __init__(
        self,
        item: ItemFacts,
        entry: dict,
        cancellation_type: str | None,
        errors: dict,
        reasons: dict[int, Row | None],
    ):
        self.item = item
        self.reasons = reasons
        self.entry = entry
        self.type = cancellation_type
        self.errors = errors
        self.coded: dict[str, str] | None = None
        self.outranked = False  # a 100_5 hidden behind the 100_8 shown: not a 406

    def field(self, name: str, parse):
        value = self.entry.get(name)
        if value is None or value == "":
            return None
        try:
            return parse(value)
        except FieldError as error:
            self.errors[name] = error.message
            return None

    def run(self) -> Plan | None:
        reason = self.reason()
        quantity = self.quantity()
        description = self.field(
            "description", lambda v: as_text(v, MAX_DESCRIPTION_LENGTH) or None
        )
        loyalty = self.field("fully_refund_as_loyalty_money", as_bool) or False
        holder_name = self.field(
            "holder_name", lambda v: as_text(v, MAX_HOLDER_NAME_LENGTH) or None
        )
        iban = self.field("iban", _parse_iban)
        company = pickup_address_id = pickup_date = pickup_hours = None
        if self.type == CANCEL:
            for name in PICKUP_FIELDS:
                if self.entry.get(name) not in (None, ""):
                    self.errors[name] = _("Only a refund can have this field.")
        elif self.type == REFUND:
            company = self.field("shipping_company", _parse_company)
            pickup_address_id = self.field("pickup_address", self.parse_address)
            pickup = self.field("pickup_date", _parse_pickup)
            if pickup is not None:
                pickup_date, pickup_hours = pickup
            self.check_pickup()
        self.check_refund_destination(iban, holder_name, loyalty)
        if self.coded:
            self.errors.update(self.coded)
        if self.errors or self.type is None or reason is None:
            return None
        return Plan(
            item=self.item,
            cancellation_type=self.type,
            reason=reason,
            quantity=quantity if quantity is not None else self.item.remaining_quantity,
            description=description,
            iban=iban,
            holder_name=holder_name,
            fully_refund_as_loyalty_money=loyalty,
            shipping_company=company,
            pickup_address_id=pickup_address_id,
            pickup_date=pickup_date,
            pickup_hours=pickup_hours,
        )

    def reason(self) -> Row | None:
        try:
            reason_id = as_int(required(self.entry, "reason"))
        except FieldError as error:
            self.errors["reason"] = error.message
            return None
        reason = None
        if reason_id in self.reasons:
            reason = self.reasons[reason_id]
        elif 0 < reason_id < 2**31:
            reason = db.session.connection().execute(REASON, {"id": reason_id}).one_or_none()
            self.reasons[reason_id] = reason
        if reason is None or not reason.is_active:
            self.errors["reason"] = _("Select a valid reason.")
            return None
        if self.type in (CANCEL, REFUND) and not reason_allows(reason.cancellation_type, self.type):
            self.errors["reason"] = _("This reason can not be used for this request type.")
            return None
        return reason

    def quantity(self) -> int | None:
        quantity = self.field("quantity", as_int)
        if quantity is None:
            return None
        if quantity < 1:
            self.errors["quantity"] = _("Ensure this value is greater than or equal to 1.")
            return None
        if quantity > self.item.remaining_quantity:
            self.errors["quantity"] = _("Quantity can not be greater than order item quantity.")
            return None
        return quantity

    def parse_address(self, value: Any) -> int:
        address_id = as_int(value)
        if address_id not in self.item.order.address_ids:
            raise FieldError(_("Choose one of this order's addresses."))
        return address_id

    def check_pickup(self) -> None:
        has_date = self.entry.get("pickup_date") not in (None, "")
        has_address = self.entry.get("pickup_address") not in (None, "")
        has_company = self.entry.get("shipping_company") not in (None, "")
        if has_date and not has_address:
            self.coded = coded(_("Pickup address is required."), codes.PICKUP_ADDRESS_REQUIRED)
        if has_address and not has_date and "pickup_address" not in self.errors:
            self.errors.setdefault("pickup_date", _("A pickup address needs a pickup date."))
        if (has_date or has_address) and not has_company:
            self.errors.setdefault("shipping_company", _("A pickup needs a shipping company."))

    def check_refund_destination(self, iban, holder_name, loyalty: bool) -> None:
        if iban and not holder_name and "holder_name" not in self.errors:
            self.errors["holder_name"] = _("Enter the name of the account holder.")
        if loyalty or self.type is None or "iban" in self.errors:
            return
        if needs_bank_account(self.item.order, self.type) and not iban:
            if self.coded is not None:
                self.outranked = True
                return
            self.coded = coded(
                _("An IBAN and the account holder's name are required for this refund."),
                codes.IBAN_REQUIRED,
            )


def _parse_iban(value: Any) -> str:
    text = as_text(value, MAX_IBAN_INPUT_LENGTH)
    try:
        return stdnum_iban.validate(text)
    except StdnumValidationError:
        raise FieldError(_("Enter a valid IBAN.")) from None


def _parse_company(value: Any) -> ShippingCompany:
    company_id = as_int(value)
    company = db.session.get(ShippingCompany, company_id) if 0 < company_id < 2**31 else None
    if company is None or not company.is_active or not company.easy_return:
        raise FieldError(_("Choose a shipping company that offers easy return."))
    return company


def _parse_pickup(value: Any) -> tuple[date, tuple[str, str]]:
    """``{"date": "YYYY-MM-DD", "hour_range": {"start": "HH:MM", "end": "HH:MM"}}``."""
    if not isinstance(value, dict):
        raise FieldError(_("Give a date and an hour range."))
    try:
        day = date.fromisoformat(value.get("date")) if isinstance(value.get("date"), str) else None
    except ValueError:
        day = None
    if day is None or len(value["date"]) != 10:
        raise FieldError(_("Enter a valid date (YYYY-MM-DD)."))
    first, last = pickup_window()
    if not first <= day <= last:
        raise FieldError(
            _(
                "Choose a pickup date from %(first)s to %(last)s.",
                first=format_date(first, "long"),
                last=format_date(last, "long"),
            )
        )
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
    earliest, latest = setting("PICKUP_EARLIEST_HOUR"), setting("PICKUP_LATEST_HOUR")
    if not earliest <= start < end <= latest:
        raise FieldError(
            _(
                "Choose an hour range between %(earliest)s and %(latest)s, start before end.",
                earliest=earliest,
                latest=latest,
            )
        )
    return day, (start, end)


_requests = CancellationRequest.__table__
REQUEST_INSERT = insert(_requests).returning(_requests.c.id)


def _write(plan: Plan) -> CancellationRequest:
    """Insert the request (a plain INSERT: the ORM's flush cost most of a cancellation's time)
    and, for a refund picked up by a company, its easy return; the request is given back as a
    persistent object of the session, without reading it again."""
    now = now_utc()
    values = {
        "uuid": str(uuid4()),
        "order_item_id": plan.item.id,
        "cancellation_type": plan.cancellation_type,
        "status": REQUEST_OPEN,
        "reason_id": plan.reason.id,
        "quantity": plan.quantity,
        "description": plan.description,
        "iban": plan.iban,
        "holder_name": plan.holder_name,
        "fully_refund_as_loyalty_money": plan.fully_refund_as_loyalty_money,
        "shipping_company_id": plan.shipping_company.id if plan.shipping_company else None,
        "pickup_address_id": plan.pickup_address_id,
        "pickup_date": plan.pickup_date,
        "pickup_hour_start": plan.pickup_hours[0] if plan.pickup_hours else None,
        "pickup_hour_end": plan.pickup_hours[1] if plan.pickup_hours else None,
        "created_date": now,
        "modified_date": now,
    }
    request_id = db.session.connection().execute(REQUEST_INSERT, values).scalar_one()
    request = CancellationRequest(id=request_id, **values)
    make_transient_to_detached(request)
    db.session.add(request)
    set_committed_value(request, "easy_return", None)
    if plan.cancellation_type == REFUND and plan.shipping_company is not None:
        request.easy_return = EasyReturn(
            code=_new_easy_return_code(),
            shipping_company=plan.shipping_company,
            start_date=now,
            end_date=now + timedelta(days=int(setting("PICKUP_WINDOW_DAYS"))),
        )
        db.session.flush()
    add_acceptance(request, plan.item.order.id)
    return request


def _new_easy_return_code() -> str:
    while True:
        code = "".join(secrets.choice(EASY_RETURN_ALPHABET) for _ in range(8))
        exists = db.session.scalar(select(EasyReturn.id).where(EasyReturn.code == code))
        if exists is None:
            return code
