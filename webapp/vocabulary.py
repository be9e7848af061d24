"""The product's vocabulary: statuses and types, defined once, each with its translated label.

Models store the plain values (an integer or a short string); every other layer names them
through these enums. ``pair`` gives the API's ``{"value", "label"}`` shape in the current
request's language.
"""

from __future__ import annotations

from enum import Enum, IntEnum, StrEnum

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


class OrderStatus(IntEnum):
    """The status of an order or of one of its items."""

    CANCELLATION_WAITING = 50
    CANCELLED = 100
    WAITING = 200
    PAYMENT_WAITING = 300
    CONFIRMATION_WAITING = 350
    APPROVED = 400
    PREPARING = 450
    SHIPPED = 500
    SHIPPED_AND_INFORMED = 510
    READY_FOR_PICKUP = 520
    ATTEMPTED_DELIVERY = 540
    REVIEW_STARTED = 544
    REVIEW_WAITING = 545
    DELIVERED = 550
    REFUNDED = 600


class RequestStatus(StrEnum):
    """The status of a cancellation or refund request."""

    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    COMPLETED = "completed"


class CancellationType(StrEnum):
    CANCEL = "cancel"
    REFUND = "refund"


class ReasonType(StrEnum):
    """What a cancellation reason may be given for."""

    CANCEL = "cancel"
    REFUND = "refund"
    BOTH = "both"


class PaymentType(StrEnum):
    CREDIT_CARD = "credit_card"
    FUNDS_TRANSFER = "funds_transfer"
    PAY_ON_DELIVERY = "pay_on_delivery"
    OTHER = "other"


class UserType(StrEnum):
    GUEST = "guest"
    REGISTERED = "registered"


class EasyReturnStatus(StrEnum):
    ACTIVE = "active"
    USED = "used"
    EXPIRED = "expired"


CANCELLABLE_STATUSES = frozenset(
    {
        OrderStatus.WAITING,
        OrderStatus.PAYMENT_WAITING,
        OrderStatus.CONFIRMATION_WAITING,
        OrderStatus.APPROVED,
        OrderStatus.PREPARING,
    }
)
ACTIVE_REQUEST_STATUSES = frozenset({RequestStatus.OPEN, RequestStatus.APPROVED})

LABELS: dict[Enum, LazyString] = {
    OrderStatus.CANCELLATION_WAITING: _l("Cancellation waiting"),
    OrderStatus.CANCELLED: _l("Cancelled"),
    OrderStatus.WAITING: _l("Waiting"),
    OrderStatus.PAYMENT_WAITING: _l("Payment waiting"),
    OrderStatus.CONFIRMATION_WAITING: _l("Confirmation waiting"),
    OrderStatus.APPROVED: _l("Approved"),
    OrderStatus.PREPARING: _l("Preparing"),
    OrderStatus.SHIPPED: _l("Shipped"),
    OrderStatus.SHIPPED_AND_INFORMED: _l("Shipped and informed"),
    OrderStatus.READY_FOR_PICKUP: _l("Ready for pickup"),
    OrderStatus.ATTEMPTED_DELIVERY: _l("Attempted delivery"),
    OrderStatus.REVIEW_STARTED: _l("Review started"),
    OrderStatus.REVIEW_WAITING: _l("Review waiting"),
    OrderStatus.DELIVERED: _l("Delivered"),
    OrderStatus.REFUNDED: _l("Refunded"),
    RequestStatus.OPEN: _l("Open"),
    RequestStatus.APPROVED: _l("Approved"),
    RequestStatus.REJECTED: _l("Rejected"),
    RequestStatus.COMPLETED: _l("Completed"),
    # TRANSLATORS: the kind of a request: a cancellation or a return for a refund (nouns).
    CancellationType.CANCEL: _l("Cancel"),
    CancellationType.REFUND: _l("Refund"),
    PaymentType.CREDIT_CARD: _l("Credit card"),
    PaymentType.FUNDS_TRANSFER: _l("Bank transfer"),
    PaymentType.PAY_ON_DELIVERY: _l("Pay on delivery"),
    PaymentType.OTHER: _l("Other"),
    # TRANSLATORS: the status of an easy return code (the code shown at the carrier).
    EasyReturnStatus.ACTIVE: _l("Active"),
    EasyReturnStatus.USED: _l("Used"),
    EasyReturnStatus.EXPIRED: _l("Expired"),
}


def reason_allows(reason_type: str, kind: CancellationType) -> bool:
    """A reason of ``reason_type`` (cancel, refund or both) can be given for a ``kind`` request."""
    return reason_type in (kind.value, ReasonType.BOTH.value)


def label(kind: type[Enum], value: object) -> str:
    """The translated name of a stored ``value`` of ``kind``; an unknown value as it is."""
    try:
        member = kind(value)
    except ValueError:
        return str(value)
    found = LABELS.get(member)
    return str(found) if found is not None else str(value)


def pair(kind: type[Enum], value: object) -> dict[str, str]:
    """The API's ``{"value", "label"}`` for a stored value of ``kind``."""
    return {"value": str(value), "label": label(kind, value)}
