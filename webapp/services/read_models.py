"""The read model of an order: what the lookup answer, the order, request and confirmation
pages and the cancellation rules read.

An order, its items and their requests are read with SQLAlchemy Core statements whose columns
are labelled, and each object is built from its columns by name: moving a column in a
statement can not put a value in the wrong attribute. Objects point only downwards (an order
to its items, an item to its requests), so a request's objects are freed as soon as it ends.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Row, Select, bindparam, exists, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import Label

from ..models import (
    Address,
    CancellationReason,
    CancellationReasonTranslation,
    CancellationRequest,
    EasyReturn,
    Order,
    OrderItem,
    PaymentOption,
    Product,
    ShippingCompany,
    User,
)
from ..vocabulary import ACTIVE_REQUEST_STATUSES, CancellationType, RequestStatus, Unavailable


@dataclass(slots=True)
class AddressView:
    id: int
    first_name: str
    last_name: str
    line: str
    district: str
    city: str
    postcode: str
    country: str
    phone_number: str


@dataclass(slots=True)
class PaymentView:
    id: int
    slug: str
    name: str
    payment_type: str


@dataclass(slots=True)
class CompanyView:
    id: int
    slug: str
    name: str


@dataclass(slots=True)
class ReasonView:
    """A cancellation reason with its subject in every stored language."""

    id: int
    subject: str
    cancellation_type: str = ""
    sort_order: int = 0
    is_active: bool = True
    translations: dict[str, str] = field(default_factory=dict)
    uuid: str = ""
    extra_information_needed: bool = False
    created_date: datetime | None = None
    modified_date: datetime | None = None

    def subject_for(self, locale: str | None) -> str:
        """The subject in ``locale`` (or its language), else the stored default."""
        if locale:
            wanted = locale.lower().replace("_", "-")
            for key in (wanted, wanted.split("-")[0]):
                if key in self.translations:
                    return self.translations[key]
        return self.subject


@dataclass(slots=True)
class EasyReturnView:
    status: str
    code: str
    end_date: datetime | None
    tracking_url: str
    tracking_number: str | None
    start_date: datetime
    shipping_company: CompanyView


@dataclass(slots=True)
class RequestView:
    id: int
    uuid: str
    order_item_id: int
    cancellation_type: str
    status: str
    reason_id: int
    quantity: int
    description: str | None
    iban: str | None
    holder_name: str | None
    fully_refund_as_loyalty_money: bool
    pickup_date: date | None
    pickup_hour_start: str | None
    pickup_hour_end: str | None
    created_date: datetime
    modified_date: datetime
    easy_return: EasyReturnView | None = None
    pickup_address: AddressView | None = None
    reason: ReasonView | None = None

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_REQUEST_STATUSES


@dataclass(slots=True)
class ProductView:
    name: str
    sku: str


@dataclass(slots=True)
class ItemView:
    id: int
    quantity: int
    price: Decimal
    status: int
    delivered_date: datetime | None
    product: ProductView
    has_requests: bool = False
    cancellation_requests: list[RequestView] = field(default_factory=list)
    # What a new request may be, filled by ``eligibility.annotate`` for answers and pages:
    # the types allowed, else why none; until when a delivered item can be returned.
    allowed_types: list[CancellationType] = field(default_factory=list)
    unavailable: Unavailable | None = None
    refund_deadline: datetime | None = None

    @property
    def total(self) -> Decimal:
        return self.price * self.quantity

    @property
    def is_cancellable(self) -> bool:
        return CancellationType.CANCEL in self.allowed_types

    @property
    def is_refundable(self) -> bool:
        return CancellationType.REFUND in self.allowed_types

    @property
    def reserved_quantity(self) -> int:
        """Units in requests that were not rejected."""
        return sum(
            request.quantity
            for request in self.cancellation_requests
            if request.status != RequestStatus.REJECTED
        )

    @property
    def remaining_quantity(self) -> int:
        return max(self.quantity - self.reserved_quantity, 0)

    @property
    def active_request(self) -> RequestView | None:
        return next((r for r in self.cancellation_requests if r.is_active), None)


@dataclass(slots=True)
class OrderView:
    id: int
    number: str
    user_id: int
    user_email: str
    user_type: str
    status: int
    currency: str
    language_code: str
    created_date: datetime
    modified_date: datetime
    delivered_date: datetime | None
    shipping_option_slug: str
    shipping_amount: Decimal
    discount_amount: Decimal
    amount_without_discount: Decimal
    amount: Decimal
    payment_option: PaymentView
    shipping_address: AddressView
    billing_address: AddressView
    items: list[ItemView] = field(default_factory=list)

    @property
    def addresses(self) -> list[AddressView]:
        """The order's own addresses, each once: the only ones a pickup may use."""
        if self.shipping_address.id == self.billing_address.id:
            return [self.shipping_address]
        return [self.shipping_address, self.billing_address]

    @property
    def address_ids(self) -> set[int]:
        return {address.id for address in self.addresses}

    def item(self, item_id: int) -> ItemView | None:
        return next((item for item in self.items if item.id == item_id), None)

    def requests(self) -> Iterable[tuple[ItemView, RequestView]]:
        """Every request of the order with its item, in item order."""
        for item in self.items:
            for request in item.cancellation_requests:
                yield item, request


# --- statements ---------------------------------------------------------------------------

ORDER_COLUMNS = ("id", "number", "user_id", "status", "currency", "language_code",
                 "created_date", "modified_date", "delivered_date", "shipping_option_slug",
                 "shipping_amount", "discount_amount", "amount_without_discount",
                 "amount")  # fmt: skip
ADDRESS_COLUMNS = ("id", "first_name", "last_name", "line", "district", "city", "postcode",
                   "country", "phone_number")  # fmt: skip
ITEM_COLUMNS = ("id", "quantity", "price", "status", "delivered_date")
REQUEST_COLUMNS = ("id", "uuid", "order_item_id", "cancellation_type", "status", "reason_id",
                   "quantity", "description", "iban", "holder_name",
                   "fully_refund_as_loyalty_money", "pickup_date", "pickup_hour_start",
                   "pickup_hour_end", "created_date", "modified_date")  # fmt: skip
EASY_RETURN_COLUMNS = ("status", "code", "end_date", "tracking_url", "tracking_number",
                       "start_date")  # fmt: skip
COMPANY_COLUMNS = ("id", "slug", "name")


def labelled(table: Any, names: Iterable[str], prefix: str) -> list[Label[Any]]:
    """Columns of ``table`` labelled ``<prefix><name>``, to be read back by name."""
    return [table.c[name].label(prefix + name) for name in names]


def position(statement: Select[Any], label: str) -> int:
    """Where the column labelled ``label`` is in the statement's rows."""
    return list(statement.selected_columns.keys()).index(label)


class Picker:
    """Reads the ``labelled`` columns of one object out of a statement's rows, as keyword
    arguments named after the columns; their positions are found by label, once."""

    def __init__(self, statement: Select[Any], names: Sequence[str], prefix: str) -> None:
        positions = [position(statement, prefix + name) for name in names]
        if len(positions) < 2:
            raise ValueError("a picker reads two columns or more")
        self.names = tuple(names)
        self.values = itemgetter(*positions)

    def __call__(self, row: Row[Any]) -> dict[str, Any]:
        return dict(zip(self.names, self.values(row), strict=True))


def _orders_with_items() -> Select[Any]:
    """One row per item (one without item columns for an order without items), with whether
    the item has requests: most have none, and their statement is then not run."""
    orders, items = Order.__table__, OrderItem.__table__
    shipping = aliased(Address.__table__, name="shipping")
    billing = aliased(Address.__table__, name="billing")
    users, payments, products = User.__table__, PaymentOption.__table__, Product.__table__
    requests = CancellationRequest.__table__
    return (
        select(
            *labelled(orders, ORDER_COLUMNS, "order_"),
            users.c.email.label("user_email"),
            users.c.user_type.label("user_type"),
            *labelled(payments, ("id", "slug", "name", "payment_type"), "payment_"),
            *labelled(shipping, ADDRESS_COLUMNS, "shipping_"),
            *labelled(billing, ADDRESS_COLUMNS, "billing_"),
            *labelled(items, ITEM_COLUMNS, "item_"),
            *labelled(products, ("name", "sku"), "product_"),
            exists().where(requests.c.order_item_id == items.c.id).label("item_has_requests"),
        )
        .join(users, users.c.id == orders.c.user_id)
        .join(payments, payments.c.id == orders.c.payment_option_id)
        .join(shipping, shipping.c.id == orders.c.shipping_address_id)
        .join(billing, billing.c.id == orders.c.billing_address_id)
        .outerjoin(items, items.c.order_id == orders.c.id)
        .outerjoin(products, products.c.id == items.c.product_id)
        .where(orders.c.id.in_(bindparam("order_ids", expanding=True)))
        .order_by(orders.c.id, items.c.id)
    )


def _requests_of_items() -> Select[Any]:
    """The requests of the given items (by the index on their item, not a join from the order)."""
    requests = CancellationRequest.__table__
    easy_returns, companies = EasyReturn.__table__, ShippingCompany.__table__
    pickup = aliased(Address.__table__, name="pickup")
    return (
        select(
            *labelled(requests, REQUEST_COLUMNS, "request_"),
            *labelled(pickup, ADDRESS_COLUMNS, "pickup_"),
            easy_returns.c.id.label("easy_return_id"),
            *labelled(easy_returns, EASY_RETURN_COLUMNS, "easy_return_"),
            *labelled(companies, COMPANY_COLUMNS, "company_"),
        )
        .outerjoin(pickup, pickup.c.id == requests.c.pickup_address_id)
        .outerjoin(easy_returns, easy_returns.c.cancellation_request_id == requests.c.id)
        .outerjoin(companies, companies.c.id == easy_returns.c.shipping_company_id)
        .where(requests.c.order_item_id.in_(bindparam("item_ids", expanding=True)))
        .order_by(requests.c.id)
    )


def _reasons_with_translations() -> Select[Any]:
    reasons = CancellationReason.__table__
    translations = CancellationReasonTranslation.__table__
    return (
        select(
            *labelled(
                reasons,
                (
                    "id",
                    "uuid",
                    "subject",
                    "cancellation_type",
                    "sort_order",
                    "is_active",
                    "extra_information_needed",
                    "created_date",
                    "modified_date",
                ),
                "reason_",
            ),
            translations.c.language.label("translation_language"),
            translations.c.subject.label("translation_subject"),
        )
        .outerjoin(translations, translations.c.reason_id == reasons.c.id)
        .order_by(reasons.c.sort_order, reasons.c.id, translations.c.language)
    )


# Built once with bound parameters: SQLAlchemy computes each statement's cache key once.
ORDERS_WITH_ITEMS = _orders_with_items()
ORDERS_WITH_SOME_ITEMS = ORDERS_WITH_ITEMS.where(
    OrderItem.__table__.c.id.in_(bindparam("item_ids", expanding=True))
)
REQUESTS_OF_ITEMS = _requests_of_items()
REASONS = _reasons_with_translations()
REASONS_BY_ID = REASONS.where(
    CancellationReason.__table__.c.id.in_(bindparam("reason_ids", expanding=True))
)


# --- loading ------------------------------------------------------------------------------


def load_orders(
    connection: Connection,
    order_ids: Collection[int],
    *,
    with_reasons: bool = False,
    only_items: Collection[int] | None = None,
) -> dict[int, OrderView]:
    """The orders with their payment, addresses, items, products, requests and easy returns.

    ``with_reasons`` also gives each request its reason (with translations), for pages.
    ``only_items`` limits each order's ``items`` to those ids (the ones a request names).
    """
    if not order_ids:
        return {}
    orders: dict[int, OrderView] = {}
    items: dict[int, ItemView] = {}
    if only_items is None:
        result = connection.execute(ORDERS_WITH_ITEMS, {"order_ids": sorted(order_ids)})
    else:
        result = connection.execute(
            ORDERS_WITH_SOME_ITEMS,
            {"order_ids": sorted(order_ids), "item_ids": sorted(only_items)},
        )
    read = _ORDER_ROWS
    for row in result:
        order = orders.get(row[read.order_id])
        if order is None:
            order = orders[row[read.order_id]] = read.order(row)
        if row[read.item_id] is None:
            continue  # an order without items
        item = ItemView(
            **read.item(row),
            product=ProductView(**read.product(row)),
            has_requests=bool(row[read.has_requests]),
        )
        order.items.append(item)
        items[item.id] = item
    with_requests = [item_id for item_id, item in items.items() if item.has_requests]
    if with_requests:
        requests = _attach_requests(connection, with_requests, items)
        if with_reasons:
            _attach_reasons(connection, requests)
    return orders


def load_order(
    connection: Connection, order_id: int, *, with_reasons: bool = False
) -> OrderView | None:
    return load_orders(connection, [order_id], with_reasons=with_reasons).get(order_id)


class _OrderRows:
    """How an order and its items are read out of ``ORDERS_WITH_ITEMS``'s rows."""

    def __init__(self, statement: Select[Any]) -> None:
        self.order_id = position(statement, "order_id")
        self.item_id = position(statement, "item_id")
        self.has_requests = position(statement, "item_has_requests")
        self.own = Picker(statement, ORDER_COLUMNS, "order_")
        self.user = Picker(statement, ("email", "type"), "user_")
        self.payment = Picker(statement, ("id", "slug", "name", "payment_type"), "payment_")
        self.shipping = Picker(statement, ADDRESS_COLUMNS, "shipping_")
        self.billing = Picker(statement, ADDRESS_COLUMNS, "billing_")
        self.item = Picker(statement, ITEM_COLUMNS, "item_")
        self.product = Picker(statement, ("name", "sku"), "product_")

    def order(self, row: Row[Any]) -> OrderView:
        user = self.user(row)
        return OrderView(
            **self.own(row),
            user_email=user["email"],
            user_type=user["type"],
            payment_option=PaymentView(**self.payment(row)),
            shipping_address=AddressView(**self.shipping(row)),
            billing_address=AddressView(**self.billing(row)),
        )


class _RequestRows:
    """How a request, its pickup address and easy return are read out of
    ``REQUESTS_OF_ITEMS``'s rows."""

    def __init__(self, statement: Select[Any]) -> None:
        self.pickup_id = position(statement, "pickup_id")
        self.easy_return_id = position(statement, "easy_return_id")
        self.request = Picker(statement, REQUEST_COLUMNS, "request_")
        self.pickup = Picker(statement, ADDRESS_COLUMNS, "pickup_")
        self.easy_return = Picker(statement, EASY_RETURN_COLUMNS, "easy_return_")
        self.company = Picker(statement, COMPANY_COLUMNS, "company_")


_ORDER_ROWS = _OrderRows(ORDERS_WITH_ITEMS)
_REQUEST_ROWS = _RequestRows(REQUESTS_OF_ITEMS)


def _attach_requests(
    connection: Connection, item_ids: list[int], items: dict[int, ItemView]
) -> list[RequestView]:
    found = []
    read = _REQUEST_ROWS
    for row in connection.execute(REQUESTS_OF_ITEMS, {"item_ids": item_ids}):
        request = RequestView(**read.request(row))
        if row[read.pickup_id] is not None:
            request.pickup_address = AddressView(**read.pickup(row))
        if row[read.easy_return_id] is not None:
            request.easy_return = EasyReturnView(
                **read.easy_return(row), shipping_company=CompanyView(**read.company(row))
            )
        items[request.order_item_id].cancellation_requests.append(request)
        found.append(request)
    return found


def _attach_reasons(connection: Connection, requests: list[RequestView]) -> None:
    by_id = load_reasons(connection, {request.reason_id for request in requests})
    for request in requests:
        request.reason = by_id.get(request.reason_id)


def load_reasons(
    connection: Connection, reason_ids: Collection[int] | None = None
) -> dict[int, ReasonView]:
    """Reasons by id in display order (all of them without ``reason_ids``), with translations."""
    if reason_ids is None:
        rows = connection.execute(REASONS).mappings()
    elif reason_ids:
        rows = connection.execute(REASONS_BY_ID, {"reason_ids": sorted(reason_ids)}).mappings()
    else:
        return {}
    found: dict[int, ReasonView] = {}
    for row in rows:
        reason = found.get(row["reason_id"])
        if reason is None:
            reason = found[row["reason_id"]] = ReasonView(
                id=row["reason_id"],
                subject=row["reason_subject"],
                cancellation_type=row["reason_cancellation_type"],
                sort_order=row["reason_sort_order"],
                is_active=row["reason_is_active"],
                uuid=row["reason_uuid"],
                extra_information_needed=row["reason_extra_information_needed"],
                created_date=row["reason_created_date"],
                modified_date=row["reason_modified_date"],
            )
        if row["translation_language"] is not None:
            reason.translations[row["translation_language"].lower()] = row["translation_subject"]
    return found
