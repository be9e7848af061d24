"""Finding a guest's order: the lookup and the proof of ownership."""

from __future__ import annotations

import hmac
import re
from collections.abc import Collection
from decimal import Decimal
from typing import Any, NamedTuple

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import Connection, bindparam, select

from ..errors import OrderNotFound, ValidationFailed
from ..models import Order, User
from ..vocabulary import CancellationType, UserType
from . import throttle
from .eligibility import annotate, refund_amount
from .input import FieldError, as_text, required
from .read_models import CompanyView, ItemView, OrderView, RequestView, load_order
from .reasons import list_easy_return_companies
from .unit_of_work import reading

MAX_EMAIL_LENGTH = 254
MAX_NUMBER_LENGTH = 64
NUMBER_SEPARATORS = re.compile(r"[#\s\-\u2010-\u2015.]")

_orders, _users = Order.__table__, User.__table__
FIND_BY_NUMBER = (
    select(
        _orders.c.id.label("order_id"),
        _users.c.email_normalized.label("email_normalized"),
        _users.c.user_type.label("user_type"),
    )
    .join(_users, _users.c.id == _orders.c.user_id)
    .where(_orders.c.number == bindparam("number"))
)


class Lookup(NamedTuple):
    order: OrderView
    companies: list[CompanyView]


def normalize_email(email: str) -> str:
    return email.strip().lower()


def normalize_number(number: str) -> str:
    """An order number as typed or pasted (``#1000 0000 0001``, ``1000-0000-0001``) as it is
    stored: without a leading ``#``, spaces, dashes or dots."""
    return NUMBER_SEPARATORS.sub("", number)


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
        number = normalize_number(as_text(raw, MAX_NUMBER_LENGTH))
        if not number:
            raise FieldError(_("Enter your order number."))
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


def find_guest_order_id(connection: Connection, email: str, number: str) -> int:
    """The id of the guest order with this number and email, else the uniform miss.

    Every miss costs the same: one small query, one constant-time comparison and the email's
    syntax check (a malformed email is a 400, not a miss), so the answer time does not tell an
    unknown number from a wrong email or a registered user.
    """
    throttle.ensure_number_not_blocked(number)
    row = connection.execute(FIND_BY_NUMBER, {"number": number}).mappings().one_or_none()
    stored = row["email_normalized"] if row is not None else "\x00"
    email_matches = hmac.compare_digest(
        stored.encode("utf-8"), normalize_email(email).encode("utf-8")
    )
    if row is None or not email_matches or row["user_type"] != UserType.GUEST:
        if message := email_syntax_error(email):
            raise ValidationFailed({"email": message})
        throttle.record_failed_lookup(number)
        raise OrderNotFound()
    order_id: int = row["order_id"]
    return order_id


def lookup_order_id(data: dict[str, Any]) -> int:
    """The page's lookup: validate the body, then find the guest order's id or raise the miss."""
    email, number = parse_lookup(data)
    with reading() as connection:
        return find_guest_order_id(connection, email, number)


def lookup_order(data: dict[str, Any]) -> Lookup:
    """The API's lookup: the order as the API answers it and the easy-return companies its
    refundable items offer."""
    email, number = parse_lookup(data)
    with reading() as connection:
        order = load_order(connection, find_guest_order_id(connection, email, number))
        if order is None:  # deleted between the two reads
            raise OrderNotFound()
        companies = list_easy_return_companies(connection)
    annotate(order)
    return Lookup(order, companies)


def view_proven_order(order_id: int, proven_order_ids: Collection[int]) -> OrderView:
    """An order this session has proven, with its requests' reasons, for its pages; else the
    uniform miss."""
    if order_id not in proven_order_ids:
        raise OrderNotFound()
    with reading() as connection:
        order = load_order(connection, order_id, with_reasons=True)
    if order is None or order.user_type != UserType.GUEST:
        raise OrderNotFound()
    annotate(order)
    return order


ORDER_HEADER = (
    select(_orders.c.number.label("number"), _users.c.email.label("email"))
    .join(_users, _users.c.id == _orders.c.user_id)
    .where(_orders.c.id == bindparam("order_id"))
)


def view_order_header(order_id: int) -> tuple[str, str] | None:
    """An order's number and email address (for a message to it)."""
    with reading() as connection:
        row = connection.execute(ORDER_HEADER, {"order_id": order_id}).mappings().first()
    return (row["number"], row["email"]) if row is not None else None


def view_order_requests(
    order_id: int, request_ids: Collection[int]
) -> tuple[OrderView, list[tuple[ItemView, RequestView]], dict[int, Decimal]] | None:
    """An order's requests among ``request_ids``, with their items and the money each gives
    back, for the message that tells about them; None when there are none any more."""
    with reading() as connection:
        order = load_order(connection, order_id, with_reasons=True)
    if order is None:
        return None
    annotate(order)
    wanted = set(request_ids)
    created = [(item, request) for item, request in order.requests() if request.id in wanted]
    if not created:
        return None
    amounts = {
        request.id: refund_amount(
            order, item, CancellationType(request.cancellation_type), request.quantity
        )
        for item, request in created
    }
    return order, created, amounts


def proven_orders_from_body(data: dict[str, Any]) -> set[int] | None:
    """Order ids proven by ``email`` and ``order``/``number`` in a body; None when absent.

    Any proof attempt that fails (missing half, bad value, miss) is the uniform 404.
    """
    if not any(data.get(key) not in (None, "") for key in ("email", "order", "number")):
        return None
    try:
        email, number = parse_lookup(data)
    except ValidationFailed:
        raise OrderNotFound() from None
    with reading() as connection:
        try:
            return {find_guest_order_id(connection, email, number)}
        except ValidationFailed:
            raise OrderNotFound() from None
