"""Which cancellation types an order item allows right now."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..models import CANCEL, REFUND, Order, OrderItem
from .base import now_utc, setting

CANCELLABLE_STATUSES = frozenset({200, 300, 350, 400, 450})
DELIVERED = 550


def delivered_at(item: OrderItem) -> datetime | None:
    return item.delivered_date or item.order.delivered_date


def status_allows(item: OrderItem, cancellation_type: str, now: datetime | None = None) -> bool:
    """Rule 4: the type by the item's status (and, for refunds, the delivery window)."""
    if cancellation_type == CANCEL:
        return item.status in CANCELLABLE_STATUSES
    if cancellation_type == REFUND:
        delivered = delivered_at(item)
        if item.status != DELIVERED or delivered is None:
            return False
        window = timedelta(days=int(setting("REFUND_WINDOW_DAYS")))
        return (now or now_utc()) - delivered <= window
    return False


def allowed_types(item: OrderItem, now: datetime | None = None) -> tuple[bool, bool]:
    """``(is_cancellable, is_refundable)``: whether a new request of each type would be
    accepted for at least one unit; the checks both share are done once."""
    if item.active_request is not None or item.remaining_quantity <= 0:
        return False, False
    return status_allows(item, CANCEL, now), status_allows(item, REFUND, now)


def is_cancellable(item: OrderItem, now: datetime | None = None) -> bool:
    return allowed_types(item, now)[0]


def is_refundable(item: OrderItem, now: datetime | None = None) -> bool:
    return allowed_types(item, now)[1]


def needs_bank_account(order: Order, cancellation_type: str) -> bool:
    """Rule 10: money goes back to an IBAN for bank transfers, and for pay-on-delivery refunds."""
    payment_type = order.payment_option.payment_type
    return payment_type == "funds_transfer" or (
        payment_type == "pay_on_delivery" and cancellation_type == REFUND
    )


def pickup_window() -> tuple[date, date]:
    """The first and last day a pickup can be booked, in the store's time zone."""
    today = datetime.now(ZoneInfo(setting("STORE_TIMEZONE"))).date()
    return today + timedelta(days=1), today + timedelta(days=int(setting("PICKUP_WINDOW_DAYS")))
