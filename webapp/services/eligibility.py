"""Which requests an order item allows right now, and the settings those rules read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from flask import current_app

from ..clock import utcnow
from ..vocabulary import (
    CANCELLABLE_STATUSES,
    ON_ITS_WAY_STATUSES,
    CancellationType,
    OrderStatus,
    PaymentType,
    Unavailable,
)
from .read_models import ItemView, OrderView

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Policy:
    """The shop's settings the rules read (``REFUND_WINDOW_DAYS`` and the like)."""

    refund_window: timedelta
    pickup_window_days: int
    store_timezone: ZoneInfo
    earliest_pickup_hour: str
    latest_pickup_hour: str

    @classmethod
    def from_config(cls) -> Policy:
        config = current_app.config
        return cls(
            refund_window=timedelta(days=int(config["REFUND_WINDOW_DAYS"])),
            pickup_window_days=int(config["PICKUP_WINDOW_DAYS"]),
            store_timezone=ZoneInfo(config["STORE_TIMEZONE"]),
            earliest_pickup_hour=config["PICKUP_EARLIEST_HOUR"],
            latest_pickup_hour=config["PICKUP_LATEST_HOUR"],
        )

    def pickup_window(self) -> tuple[date, date]:
        """The first and last day a pickup can be booked, in the store's time zone."""
        today = datetime.now(self.store_timezone).date()
        return today + timedelta(days=1), today + timedelta(days=self.pickup_window_days)


def delivered_at(order: OrderView, item: ItemView) -> datetime | None:
    """When the item was delivered: its own date, else the order's."""
    return item.delivered_date or order.delivered_date


def refund_deadline(order: OrderView, item: ItemView, policy: Policy) -> datetime | None:
    """The last moment a delivered item can be returned; None if it was not delivered."""
    delivered = delivered_at(order, item)
    if item.status != OrderStatus.DELIVERED or delivered is None:
        return None
    return delivered + policy.refund_window


def status_allows(
    order: OrderView, item: ItemView, kind: CancellationType, policy: Policy, now: datetime
) -> bool:
    """Rule 4: the type by the item's status (and, for refunds, the delivery window)."""
    if kind == CancellationType.CANCEL:
        return item.status in CANCELLABLE_STATUSES
    deadline = refund_deadline(order, item, policy)
    return deadline is not None and now <= deadline


def annotate(order: OrderView, policy: Policy | None = None, now: datetime | None = None) -> None:
    """Fill each item's ``allowed_types`` (the types a new request for at least one unit would
    be accepted for), else ``unavailable`` (why none is), and ``refund_deadline``, for an
    answer or a page."""
    policy = policy or Policy.from_config()
    now = now or utcnow()
    for item in order.items:
        item.refund_deadline = refund_deadline(order, item, policy)
        item.allowed_types = []
        if item.active_request is None and item.remaining_quantity > 0:
            item.allowed_types = [
                kind for kind in CancellationType if status_allows(order, item, kind, policy, now)
            ]
        item.unavailable = None if item.allowed_types else unavailable(item)


def unavailable(item: ItemView) -> Unavailable:
    """Why an item that allows no request now allows none (most telling reason first)."""
    if item.active_request is not None:
        return Unavailable.IN_PROGRESS
    if item.status == OrderStatus.CANCELLED:
        return Unavailable.CANCELLED
    if item.status == OrderStatus.REFUNDED:
        return Unavailable.REFUNDED
    if item.remaining_quantity <= 0:
        return Unavailable.NOTHING_LEFT
    if item.status in ON_ITS_WAY_STATUSES:
        return Unavailable.ON_ITS_WAY
    if item.status == OrderStatus.DELIVERED and item.refund_deadline is not None:
        return Unavailable.WINDOW_CLOSED
    return Unavailable.NOT_ONLINE


def refund_amount(
    order: OrderView, item: ItemView, kind: CancellationType, quantity: int
) -> Decimal:
    """The money that comes back for ``quantity`` units of an item: their price, less their
    share of the order's discount, shared over the items' total as the import format computes
    the order's amounts (``amount`` = items + shipping - discount); shipping is not refunded.
    Nothing for cancelling what is paid on delivery: nothing was charged."""
    if kind == CancellationType.CANCEL and (
        order.payment_option.payment_type == PaymentType.PAY_ON_DELIVERY
    ):
        return Decimal("0.00")
    gross = item.price * quantity
    items_total = order.amount_without_discount - order.shipping_amount
    if items_total <= 0 or not order.discount_amount:
        return gross.quantize(CENT, ROUND_HALF_UP)
    share = order.discount_amount * gross / items_total
    return max(gross - share, Decimal(0)).quantize(CENT, ROUND_HALF_UP)


def refund_amounts(order: OrderView, item: ItemView, kind: CancellationType) -> list[Decimal]:
    """``refund_amount`` for 1, 2, ... up to what is left of the item."""
    return [
        refund_amount(order, item, kind, quantity)
        for quantity in range(1, item.remaining_quantity + 1)
    ]


def store_day(moment: datetime, policy: Policy) -> date:
    """The calendar day a UTC time falls on in the store's time zone."""
    return moment.replace(tzinfo=UTC).astimezone(policy.store_timezone).date()


def needs_bank_account(order: OrderView, kind: CancellationType) -> bool:
    """Rule 10: money goes back to an IBAN for bank transfers, and for pay-on-delivery refunds."""
    payment_type = order.payment_option.payment_type
    return payment_type == PaymentType.FUNDS_TRANSFER or (
        payment_type == PaymentType.PAY_ON_DELIVERY and kind == CancellationType.REFUND
    )
