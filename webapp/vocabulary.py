"""The product's vocabulary: statuses and types, defined once, each with its translated label.

Models store the plain values (an integer or a short string); every other layer names them
through these enums. ``pair`` gives the API's ``{"value", "label"}`` shape in the current
request's language.
"""

from __future__ import annotations

from enum import Enum, IntEnum, StrEnum

from .i18n import request_translations


def N_(message: str) -> str:
    """Marks a message for the catalogs (``make messages`` extracts ``N_``); it is translated
    where it is shown."""
    return message


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


class MailStatus(StrEnum):
    """Where a message of the outbox is."""

    PENDING = "pending"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by a sender, until its claim runs out
    SENT = "sent"
    FAILED = "failed"  # refused for good, or too many attempts


class Unavailable(StrEnum):
    """Why an item allows no new request now."""

    IN_PROGRESS = "in_progress"  # an open or approved request
    NOTHING_LEFT = "nothing_left"  # every unit is in a request
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    ON_ITS_WAY = "on_its_way"  # shipped, not yet delivered
    WINDOW_CLOSED = "window_closed"  # delivered longer ago than the refund window
    NOT_ONLINE = "not_online"  # any other status: the shop handles it


ON_ITS_WAY_STATUSES = frozenset(
    {
        OrderStatus.SHIPPED,
        OrderStatus.SHIPPED_AND_INFORMED,
        OrderStatus.READY_FOR_PICKUP,
        OrderStatus.ATTEMPTED_DELIVERY,
        OrderStatus.REVIEW_STARTED,
        OrderStatus.REVIEW_WAITING,
    }
)
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

LABELS: dict[Enum, str] = {
    OrderStatus.CANCELLATION_WAITING: N_("Cancellation waiting"),
    OrderStatus.CANCELLED: N_("Cancelled"),
    OrderStatus.WAITING: N_("Waiting"),
    OrderStatus.PAYMENT_WAITING: N_("Payment waiting"),
    OrderStatus.CONFIRMATION_WAITING: N_("Confirmation waiting"),
    OrderStatus.APPROVED: N_("Approved"),
    OrderStatus.PREPARING: N_("Preparing"),
    OrderStatus.SHIPPED: N_("Shipped"),
    OrderStatus.SHIPPED_AND_INFORMED: N_("Shipped and informed"),
    OrderStatus.READY_FOR_PICKUP: N_("Ready for pickup"),
    OrderStatus.ATTEMPTED_DELIVERY: N_("Attempted delivery"),
    OrderStatus.REVIEW_STARTED: N_("Review started"),
    OrderStatus.REVIEW_WAITING: N_("Review waiting"),
    OrderStatus.DELIVERED: N_("Delivered"),
    OrderStatus.REFUNDED: N_("Refunded"),
    RequestStatus.OPEN: N_("Open"),
    RequestStatus.APPROVED: N_("Approved"),
    RequestStatus.REJECTED: N_("Rejected"),
    RequestStatus.COMPLETED: N_("Completed"),
    # TRANSLATORS: the kind of a request: a cancellation or a return for a refund (nouns).
    CancellationType.CANCEL: N_("Cancel"),
    CancellationType.REFUND: N_("Refund"),
    PaymentType.CREDIT_CARD: N_("Credit card"),
    PaymentType.FUNDS_TRANSFER: N_("Bank transfer"),
    PaymentType.PAY_ON_DELIVERY: N_("Pay on delivery"),
    PaymentType.OTHER: N_("Other"),
    # TRANSLATORS: the status of an easy return code (the code shown at the carrier).
    EasyReturnStatus.ACTIVE: N_("Active"),
    EasyReturnStatus.USED: N_("Used"),
    EasyReturnStatus.EXPIRED: N_("Expired"),
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
    if found is None:
        return str(value)
    return str(request_translations().ugettext(found))


def pair(kind: type[Enum], value: object) -> dict[str, str]:
    """The API's ``{"value", "label"}`` for a stored value of ``kind``."""
    return {"value": str(value), "label": label(kind, value)}
