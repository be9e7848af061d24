"""Read-only snapshots of an order for the lookup answer and the order page.

Both only read, and building ORM objects (identity map, change tracking, loader options) cost
most of their time; the order, its items and their requests are read with two SQLAlchemy Core
statements into small slotted classes with the attribute names of the models, so the
serializers, the eligibility rules and the templates take either. Writes and the form pages
keep using the mapped models.

Back-references (an item's order, an easy return's request) are weak proxies: with strong
ones every snapshot was a reference cycle, which only the garbage collector frees, in pauses
of tens of milliseconds under load.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, bindparam, exists, select
from sqlalchemy.orm import aliased

from ..models import (
    Address,
    CancellationReason,
    CancellationReasonTranslation,
    CancellationRequest,
    EasyReturn,
    ItemQuantities,
    Order,
    OrderItem,
    PaymentOption,
    Product,
    ReasonSubject,
    ShippingCompany,
    User,
)


@dataclass(slots=True)
class UserSnapshot:
    email: str
    user_type: str


@dataclass(slots=True)
class PaymentSnapshot:
    slug: str
    name: str
    payment_type: str


@dataclass(slots=True)
class AddressSnapshot:
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
class ProductSnapshot:
    name: str
    sku: str


@dataclass(slots=True)
class CompanySnapshot:
    slug: str
    name: str


@dataclass(slots=True)
class EasyReturnSnapshot:
    status: str
    code: str
    end_date: datetime | None
    tracking_url: str
    tracking_number: str | None
    start_date: datetime
    shipping_company: CompanySnapshot
    cancellation_request: RequestSnapshot | None = None  # a weak proxy


@dataclass(slots=True)
class TranslationSnapshot:
    language: str
    subject: str


@dataclass(slots=True)
class ReasonSnapshot(ReasonSubject):
    id: int
    subject: str
    translations: list[TranslationSnapshot] = field(default_factory=list)


@dataclass(slots=True, weakref_slot=True)
class RequestSnapshot:
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
    easy_return: EasyReturnSnapshot | None = None
    pickup_address: AddressSnapshot | None = None
    reason: ReasonSnapshot | None = None  # loaded for pages only (``with_reasons``)


@dataclass(slots=True)
class ItemSnapshot(ItemQuantities):
    id: int
    quantity: int
    price: Decimal
    status: int
    delivered_date: datetime | None
    product: ProductSnapshot
    order: OrderSnapshot  # a weak proxy: the order holds its items
    cancellation_requests: list[RequestSnapshot] = field(default_factory=list)


@dataclass(slots=True, weakref_slot=True)
class OrderSnapshot:
    id: int
    number: str
    user_id: int
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
    user: UserSnapshot
    payment_option: PaymentSnapshot
    shipping_address: AddressSnapshot
    billing_address: AddressSnapshot
    items: list[ItemSnapshot] = field(default_factory=list)

    @property
    def shipping_address_id(self) -> int:
        return self.shipping_address.id

    @property
    def billing_address_id(self) -> int:
        return self.billing_address.id


ORDER_FIELDS = ("id", "number", "user_id", "status", "currency", "language_code",
                "created_date", "modified_date", "delivered_date", "shipping_option_slug",
                "shipping_amount", "discount_amount", "amount_without_discount",
                "amount")  # fmt: skip
ADDRESS_FIELDS = ("id", "first_name", "last_name", "line", "district", "city", "postcode",
                  "country", "phone_number")  # fmt: skip
ITEM_FIELDS = ("id", "quantity", "price", "status", "delivered_date")
REQUEST_FIELDS = ("id", "uuid", "order_item_id", "cancellation_type", "status", "reason_id",
                  "quantity", "description", "iban", "holder_name",
                  "fully_refund_as_loyalty_money", "pickup_date", "pickup_hour_start",
                  "pickup_hour_end", "created_date", "modified_date")  # fmt: skip
EASY_RETURN_FIELDS = ("status", "code", "end_date", "tracking_url", "tracking_number",
                      "start_date")  # fmt: skip


def _order_with_items() -> Select:
    """One row per item (a row without item columns for an order without items), with whether
    the item has requests: most have none, and their statement is then not run."""
    orders, items = Order.__table__, OrderItem.__table__
    shipping = aliased(Address.__table__, name="shipping")
    billing = aliased(Address.__table__, name="billing")
    users, payments, products = User.__table__, PaymentOption.__table__, Product.__table__
    requests = CancellationRequest.__table__
    return (
        select(
            *(orders.c[name] for name in ORDER_FIELDS),
            users.c.email,
            users.c.user_type,
            payments.c.slug,
            payments.c.name,
            payments.c.payment_type,
            *(shipping.c[name] for name in ADDRESS_FIELDS),
            *(billing.c[name] for name in ADDRESS_FIELDS),
            *(items.c[name] for name in ITEM_FIELDS),
            products.c.name,
            products.c.sku,
            exists().where(requests.c.order_item_id == items.c.id).label("has_requests"),
        )  # fmt: skip
        .join(users, users.c.id == orders.c.user_id)
        .join(payments, payments.c.id == orders.c.payment_option_id)
        .join(shipping, shipping.c.id == orders.c.shipping_address_id)
        .join(billing, billing.c.id == orders.c.billing_address_id)
        .outerjoin(items, items.c.order_id == orders.c.id)
        .outerjoin(products, products.c.id == items.c.product_id)
        .where(orders.c.id == bindparam("order_id"))
        .order_by(items.c.id)
    )


def _requests_of_items() -> Select:
    """The requests of the given items (by the index on their item, not a join from the order)."""
    requests = CancellationRequest.__table__
    easy_returns, companies = EasyReturn.__table__, ShippingCompany.__table__
    pickup = aliased(Address.__table__, name="pickup")
    return (
        select(
            *(requests.c[name] for name in REQUEST_FIELDS),
            *(pickup.c[name] for name in ADDRESS_FIELDS),
            easy_returns.c.id,
            *(easy_returns.c[name] for name in EASY_RETURN_FIELDS),
            companies.c.slug,
            companies.c.name,
        )
        .outerjoin(pickup, pickup.c.id == requests.c.pickup_address_id)
        .outerjoin(easy_returns, easy_returns.c.cancellation_request_id == requests.c.id)
        .outerjoin(companies, companies.c.id == easy_returns.c.shipping_company_id)
        .where(requests.c.order_item_id.in_(bindparam("item_ids", expanding=True)))
        .order_by(requests.c.id)
    )


# Built once with bound parameters: SQLAlchemy computes a statement's cache key once per object.
ORDER_WITH_ITEMS = _order_with_items()
REQUESTS_OF_ITEMS = _requests_of_items()
_reasons, _translations = CancellationReason.__table__, CancellationReasonTranslation.__table__
REASONS_BY_ID = (
    select(_reasons.c.id, _reasons.c.subject, _translations.c.language, _translations.c.subject)
    .outerjoin(_translations, _translations.c.reason_id == _reasons.c.id)
    .where(_reasons.c.id.in_(bindparam("ids", expanding=True)))
)
_ORDER_END = len(ORDER_FIELDS)
_USER_END = _ORDER_END + 2
_PAYMENT_END = _USER_END + 3
_SHIPPING_END = _PAYMENT_END + len(ADDRESS_FIELDS)
_BILLING_END = _SHIPPING_END + len(ADDRESS_FIELDS)
_ITEM_END = _BILLING_END + len(ITEM_FIELDS)
_PRODUCT_END = _ITEM_END + 2
_REQUEST_END = len(REQUEST_FIELDS)
_PICKUP_END = _REQUEST_END + len(ADDRESS_FIELDS)


def load_order_snapshot(
    order_id: int, connection: Connection, with_reasons: bool = False
) -> OrderSnapshot | None:
    """The order with its user, payment, addresses, items, products, requests and easy returns.

    ``with_reasons`` also gives each request its reason (with translations), for pages.
    """
    rows = connection.execute(ORDER_WITH_ITEMS, {"order_id": order_id}).all()
    if not rows:
        return None
    first = rows[0]
    order = OrderSnapshot(
        *first[:_ORDER_END],
        user=UserSnapshot(*first[_ORDER_END:_USER_END]),
        payment_option=PaymentSnapshot(*first[_USER_END:_PAYMENT_END]),
        shipping_address=AddressSnapshot(*first[_PAYMENT_END:_SHIPPING_END]),
        billing_address=AddressSnapshot(*first[_SHIPPING_END:_BILLING_END]),
    )
    items: dict[int, ItemSnapshot] = {}
    with_requests = []
    order_proxy = weakref.proxy(order)
    for row in rows:
        if row[_BILLING_END] is None:
            continue  # an order without items
        item = ItemSnapshot(
            *row[_BILLING_END:_ITEM_END],
            ProductSnapshot(*row[_ITEM_END:_PRODUCT_END]),
            order_proxy,
        )
        items[item.id] = item
        if row[_PRODUCT_END]:
            with_requests.append(item.id)
    order.items = list(items.values())
    if with_requests:
        requests = _attach_requests(connection, with_requests, items)
        if with_reasons and requests:
            _attach_reasons(connection, requests)
    return order


def _attach_requests(
    connection: Any, item_ids: list[int], items: dict[int, ItemSnapshot]
) -> list[RequestSnapshot]:
    rows = connection.execute(REQUESTS_OF_ITEMS, {"item_ids": item_ids}).all()
    found = []
    for row in rows:
        request = RequestSnapshot(*row[:_REQUEST_END])
        if row[_REQUEST_END] is not None:
            request.pickup_address = AddressSnapshot(*row[_REQUEST_END:_PICKUP_END])
        if row[_PICKUP_END] is not None:
            *easy, slug, name = row[_PICKUP_END + 1 :]
            request.easy_return = EasyReturnSnapshot(
                *easy,
                shipping_company=CompanySnapshot(slug, name),
                cancellation_request=weakref.proxy(request),
            )
        items[request.order_item_id].cancellation_requests.append(request)
        found.append(request)
    return found


def _attach_reasons(connection: Connection, requests: list[RequestSnapshot]) -> None:
    """The requests' reasons with their subjects in every language."""
    reason_ids = sorted({request.reason_id for request in requests})
    by_id: dict[int, ReasonSnapshot] = {}
    for reason_id, subject, language, translated in connection.execute(
        REASONS_BY_ID, {"ids": reason_ids}
    ):
        reason = by_id.get(reason_id)
        if reason is None:
            reason = by_id[reason_id] = ReasonSnapshot(reason_id, subject)
        if language is not None:
            reason.translations.append(TranslationSnapshot(language, translated))
    for request in requests:
        request.reason = by_id.get(request.reason_id)


# --- what the cancellation rules read of the items asked for ---------------------------------


@dataclass(slots=True)
class RequestFacts:
    id: int
    status: str
    quantity: int


@dataclass(slots=True)
class OrderFacts:
    id: int
    delivered_date: datetime | None
    shipping_address_id: int
    billing_address_id: int
    payment_option: PaymentSnapshot
    user: UserSnapshot

    @property
    def address_ids(self) -> set[int]:
        return {self.shipping_address_id, self.billing_address_id}


@dataclass(slots=True)
class ItemFacts(ItemQuantities):
    """An item as the cancellation rules see it (status, quantities, its order's payment,
    addresses and user), read fresh after the item is locked."""

    id: int
    quantity: int
    status: int
    delivered_date: datetime | None
    order: OrderFacts
    cancellation_requests: list[RequestFacts] = field(default_factory=list)


def _items_to_check() -> Select:
    """One row per item and request (one row without request columns for an item without)."""
    items, orders = OrderItem.__table__, Order.__table__
    users, payments = User.__table__, PaymentOption.__table__
    requests = CancellationRequest.__table__
    return (
        select(
            items.c.id,
            items.c.quantity,
            items.c.status,
            items.c.delivered_date,
            orders.c.id,
            orders.c.delivered_date,
            orders.c.shipping_address_id,
            orders.c.billing_address_id,
            payments.c.slug,
            payments.c.name,
            payments.c.payment_type,
            users.c.email,
            users.c.user_type,
            requests.c.id,
            requests.c.status,
            requests.c.quantity,
        )
        .join(orders, orders.c.id == items.c.order_id)
        .join(users, users.c.id == orders.c.user_id)
        .join(payments, payments.c.id == orders.c.payment_option_id)
        .outerjoin(requests, requests.c.order_item_id == items.c.id)
        .where(items.c.id.in_(bindparam("ids", expanding=True)))
        .order_by(items.c.id, requests.c.id)
    )


ITEMS_TO_CHECK = _items_to_check()


def load_item_facts(connection: Connection, item_ids: list[int]) -> dict[int, ItemFacts]:
    """The items by id with their requests (in id order), as the rules read them."""
    found: dict[int, ItemFacts] = {}
    for row in connection.execute(ITEMS_TO_CHECK, {"ids": item_ids}):
        item = found.get(row[0])
        if item is None:
            order = OrderFacts(*row[4:8], PaymentSnapshot(*row[8:11]), UserSnapshot(*row[11:13]))
            item = found[row[0]] = ItemFacts(*row[0:4], order)
        if row[13] is not None:
            item.cancellation_requests.append(RequestFacts(*row[13:16]))
    return found
