"""Finding a guest's order: the lookup and the proof of ownership."""

from __future__ import annotations

import hmac
from collections.abc import Collection
from typing import Any, NamedTuple

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import Connection, Row, bindparam, select
from sqlalchemy.orm import joinedload

from ..errors import OrderNotFound, ValidationFailed
from ..extensions import db
from ..models import GUEST, CancellationRequest, EasyReturn, Order, OrderItem, User
from . import throttle
from .base import FieldError, as_text, reading, required
from .reasons import list_easy_return_companies
from .snapshots import OrderSnapshot, load_order_snapshot

MAX_EMAIL_LENGTH = 254
MAX_NUMBER_LENGTH = 64


def normalize_email(email: str) -> str:
    return email.strip().lower()


# Everything an order page shows, in a fixed number of queries; the statement is built once
# (building loader options costs more than running the cached SQL).
ORDER_WITH_EVERYTHING = (
    select(Order)
    .options(
        joinedload(Order.user),
        joinedload(Order.payment_option),
        joinedload(Order.shipping_address),
        joinedload(Order.billing_address),
        joinedload(Order.items).joinedload(OrderItem.product),
        joinedload(Order.items)
        .selectinload(OrderItem.cancellation_requests)
        .joinedload(CancellationRequest.easy_return)
        .joinedload(EasyReturn.shipping_company),
    )
    .where(Order.id == bindparam("order_id"))
)


_orders, _users = Order.__table__, User.__table__
FIND_BY_NUMBER = (
    select(_orders.c.id, _users.c.email_normalized, _users.c.user_type)
    .join(_users, _users.c.id == _orders.c.user_id)
    .where(_orders.c.number == bindparam("number"))
)


class Lookup(NamedTuple):
    order: OrderSnapshot
    companies: list[Row]


def parse_lookup(data: dict[str, Any]) -> tuple[str, str]:
    """Email and order number from a body; ``order`` is the documented key, ``number`` works too.

    The email's syntax is checked here only when the number is wrong too (to report both);
    else on a miss (``find_guest_order_id``): an email equal to the order's own needs no check.
    """
    errors: dict[str, str] = {}
    email = number = ""
    try:
        email = as_text(required(data, "email"), MAX_EMAIL_LENGTH)
    except FieldError as error:
        errors["email"] = error.message
    key = "order" if data.get("order") not in (None, "") else "number"
    try:
        raw = required(data, key)
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = str(raw)
        number = as_text(raw, MAX_NUMBER_LENGTH)
    except FieldError as error:
        errors["order"] = error.message
    if errors:
        if "email" not in errors and (message := email_syntax_error(email)):
            errors["email"] = message
        raise ValidationFailed(errors)
    return email, number


def email_syntax_error(email: str) -> str | None:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return _("Enter a valid email address.")
    return None


def find_guest_order_id(email: str, number: str, connection: Connection | None = None) -> int:
    """The id of the guest order with this number and email, else the uniform miss.

    Every miss costs the same: one small query, one constant-time comparison and the email's
    syntax check (a malformed email is a 400, not a miss), so the answer time does not tell an
    unknown number from a wrong email or a registered user.
    """
    throttle.ensure_number_not_blocked(number)
    connection = connection or db.session.connection()
    row = connection.execute(FIND_BY_NUMBER, {"number": number}).one_or_none()
    stored = row.email_normalized if row is not None else "\x00"
    email_matches = hmac.compare_digest(
        stored.encode("utf-8"), normalize_email(email).encode("utf-8")
    )
    if row is None or not email_matches or row.user_type != GUEST:
        if message := email_syntax_error(email):
            raise ValidationFailed({"email": message})
        throttle.record_failed_lookup(number)
        raise OrderNotFound()
    return row.id


def lookup_order_id(data: dict[str, Any]) -> int:
    """The lookup use case: validate the body, then find the guest order's id or raise the miss."""
    email, number = parse_lookup(data)
    return find_guest_order_id(email, number)


def lookup_order(data: dict[str, Any]) -> Lookup:
    """The lookup use case: the order as the API answers it (a read-only snapshot) and the
    easy-return companies its refundable items offer."""
    email, number = parse_lookup(data)
    with reading() as connection:
        order = load_order_snapshot(find_guest_order_id(email, number, connection), connection)
        if order is None:  # deleted between the two reads
            raise OrderNotFound()
        companies = list_easy_return_companies(connection)
    return Lookup(order, companies)


def get_proven_order(order_id: int, proven_order_ids: Collection[int]) -> Order:
    """An order this session has proven, fully loaded for display; else the uniform miss."""
    if order_id not in proven_order_ids:
        raise OrderNotFound()
    order = db.session.scalars(ORDER_WITH_EVERYTHING, {"order_id": order_id}).unique().one_or_none()
    if order is None or order.user.user_type != GUEST:
        raise OrderNotFound()
    return order


def view_proven_order(order_id: int, proven_order_ids: Collection[int]) -> OrderSnapshot:
    """An order this session has proven, as a read-only snapshot for its page; else the miss."""
    if order_id not in proven_order_ids:
        raise OrderNotFound()
    with reading() as connection:
        order = load_order_snapshot(order_id, connection, with_reasons=True)
    if order is None or order.user.user_type != GUEST:
        raise OrderNotFound()
    return order


def proven_orders_from_body(data: dict[str, Any]) -> set[int] | None:
    """Order ids proven by ``email`` and ``order``/``number`` in a body; None when absent.

    Any proof attempt that fails (missing half, bad value, miss) is the uniform 404.
    """
    if not any(data.get(key) not in (None, "") for key in ("email", "order", "number")):
        return None
    try:
        return {find_guest_order_id(*parse_lookup(data))}
    except ValidationFailed:
        raise OrderNotFound() from None
