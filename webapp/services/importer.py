"""Loading orders, reasons and shipping companies from the documented JSON import format."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from ..models import (
    Address,
    CancellationReason,
    CancellationReasonTranslation,
    CancellationRequest,
    Order,
    OrderItem,
    PaymentOption,
    Product,
    ShippingCompany,
    User,
)
from ..vocabulary import (
    CancellationType,
    OrderStatus,
    PaymentType,
    ReasonType,
    RequestStatus,
    UserType,
)
from .input import is_storable_text
from .orders import normalize_email
from .unit_of_work import unit_of_work

TOP_KEYS = {"shipping_companies", "cancellation_reasons", "orders"}
COMPANY_KEYS = {"id", "slug", "name", "is_active", "easy_return"}
REASON_KEYS = {
    "id", "uuid", "subject", "cancellation_type", "is_active", "order", "translations",
    "extra_information_needed", "created_date", "modified_date",
}  # fmt: skip
ORDER_KEYS = {
    "id", "number", "user", "status", "currency", "language_code", "created_date",
    "modified_date", "delivered_date", "payment_option", "shipping_option_slug",
    "shipping_amount", "discount_amount", "amount_without_discount", "amount",
    "shipping_address", "billing_address", "items",
}  # fmt: skip
USER_KEYS = {"id", "email", "user_type"}
PAYMENT_KEYS = {"slug", "name", "payment_type"}
ADDRESS_KEYS = {
    "id", "first_name", "last_name", "line", "district", "city", "postcode", "country",
    "phone_number",
}  # fmt: skip
ITEM_KEYS = {"id", "product", "quantity", "price", "status", "delivered_date",
             "cancellation_requests"}  # fmt: skip
PRODUCT_KEYS = {"sku", "name"}
REQUEST_KEYS = {
    "id", "cancellation_type", "reason", "quantity", "status", "created_date", "description",
    "iban", "holder_name", "fully_refund_as_loyalty_money",
}  # fmt: skip
CENT = Decimal("0.01")


class ImportError_(Exception):
    """An invalid value, named by its path in the document."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class _Reader:
    """Typed access to one JSON object, raising ImportError_ with the value's path."""

    def __init__(self, data: Any, path: str, keys: set[str]):
        if not isinstance(data, dict):
            raise ImportError_(path, "must be an object")
        unknown = sorted(set(data) - keys)
        if unknown:
            raise ImportError_(f"{path}.{unknown[0]}" if path else unknown[0], "unknown key")
        self.data = data
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def text(self, key: str, max_length: int, *, required: bool = True, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                raise ImportError_(self.at(key), "is required")
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            raise ImportError_(self.at(key), "must be a non-empty string")
        if not is_storable_text(value):
            raise ImportError_(self.at(key), "must be UTF-8 text without NUL characters")
        if len(value) > max_length:
            raise ImportError_(self.at(key), f"must be at most {max_length} characters")
        return value.strip()

    def optional_integer(self, key: str, *, positive: bool = True) -> int | None:
        if self.data.get(key) is None:
            return None
        return self.integer(key, positive=positive)

    def integer(self, key: str, *, positive: bool = True) -> int:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or (positive and value < 1):
            raise ImportError_(self.at(key), "must be a positive integer")
        if value > 2**31 - 1:
            raise ImportError_(self.at(key), "is too large")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise ImportError_(self.at(key), "must be true or false")
        return value

    def choice(self, key: str, choices: set[str], *, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str) or value not in choices:
            raise ImportError_(self.at(key), "must be one of " + ", ".join(sorted(choices)))
        return str(value)

    def optional_money(self, key: str) -> Decimal | None:
        if self.data.get(key) is None:
            return None
        return self.money(key)

    def money(self, key: str) -> Decimal:
        value = self.data.get(key)
        try:
            if not isinstance(value, str):
                raise InvalidOperation
            amount = Decimal(value)
        except InvalidOperation:
            raise ImportError_(self.at(key), "must be a decimal string") from None
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT):
            raise ImportError_(self.at(key), "must be a non-negative amount with two decimals")
        if amount >= Decimal("10000000000"):
            raise ImportError_(self.at(key), "is too large")
        return amount.quantize(CENT)

    def required_moment(self, key: str) -> datetime:
        moment = self.moment(key)
        if moment is None:
            raise ImportError_(self.at(key), "is required")
        return moment

    def moment(self, key: str) -> datetime | None:
        value = self.data.get(key)
        if value is None:
            return None
        try:
            if not isinstance(value, str):
                raise ValueError
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ImportError_(self.at(key), "must be an ISO 8601 date and time") from None
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return moment

    def status(self, key: str) -> int:
        value = self.data.get(key)
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value not in tuple(OrderStatus):
            raise ImportError_(self.at(key), "must be a known status code")
        return value

    def items(self, key: str) -> list[Any]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise ImportError_(self.at(key), "must be a list")
        return value


def import_document(document: Any) -> dict[str, int]:
    """Validate and upsert a whole document in one transaction; counts of rows per kind."""
    root = _Reader(document, "", TOP_KEYS)
    counts = {"shipping_companies": 0, "cancellation_reasons": 0, "orders": 0}
    with unit_of_work() as session:
        for index, raw in enumerate(root.items("shipping_companies")):
            _upsert_company(session, _Reader(raw, f"shipping_companies[{index}]", COMPANY_KEYS))
            counts["shipping_companies"] += 1
        for index, raw in enumerate(root.items("cancellation_reasons")):
            _upsert_reason(session, _Reader(raw, f"cancellation_reasons[{index}]", REASON_KEYS))
            counts["cancellation_reasons"] += 1
        session.flush()
        for index, raw in enumerate(root.items("orders")):
            _upsert_order(session, _Reader(raw, f"orders[{index}]", ORDER_KEYS))
            counts["orders"] += 1
        session.flush()
        _advance_sequences(session)
    return counts


def _upsert(session: Session, model: Any, row_id: int, **values: Any) -> Any:
    row = session.get(model, row_id)
    if row is None:
        row = model(id=row_id, **values)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    return row


def _upsert_company(session: Session, reader: _Reader) -> None:
    company_id = reader.integer("id")
    slug = reader.text("slug", 64)
    clash = session.scalar(
        select(ShippingCompany.id).where(
            ShippingCompany.slug == slug, ShippingCompany.id != company_id
        )
    )
    if clash is not None:
        raise ImportError_(reader.at("slug"), "is already used by another shipping company")
    _upsert(
        session,
        ShippingCompany,
        company_id,
        slug=slug,
        name=reader.text("name", 128),
        is_active=reader.boolean("is_active", True),
        easy_return=reader.boolean("easy_return", False),
    )
    session.flush()


def _upsert_reason(session: Session, reader: _Reader) -> None:
    """A reason; its ``uuid`` and dates, when absent, are made once and then kept."""
    reason_id = reader.integer("id")
    given: dict[str, Any] = {
        "uuid": _reason_uuid(session, reader, reason_id),
        "created_date": reader.moment("created_date"),
        "modified_date": reader.moment("modified_date"),
    }
    reason = _upsert(
        session,
        CancellationReason,
        reason_id,
        subject=reader.text("subject", 255),
        cancellation_type=reader.choice("cancellation_type", set(ReasonType)),
        is_active=reader.boolean("is_active", True),
        sort_order=reader.optional_integer("order", positive=False) or 0,
        extra_information_needed=reader.boolean("extra_information_needed", False),
        **{name: value for name, value in given.items() if value is not None},
    )
    translations = reader.data.get("translations") or {}
    if not isinstance(translations, dict):
        raise ImportError_(reader.at("translations"), "must be an object")
    existing = {t.language: t for t in reason.translations}
    for language, raw in translations.items():
        path = f"{reader.at('translations')}.{language}"
        if not isinstance(language, str) or not 2 <= len(language) <= 16:
            raise ImportError_(path, "must be a language code")
        subject = _Reader(raw, path, {"subject"}).text("subject", 255)
        if language in existing:
            existing[language].subject = subject
        else:
            reason.translations.append(
                CancellationReasonTranslation(language=language, subject=subject)
            )


def _reason_uuid(session: Session, reader: _Reader, reason_id: int) -> str | None:
    value = reader.data.get("uuid")
    if value is None:
        return None
    try:
        canonical = str(uuid.UUID(value)) if isinstance(value, str) else None
    except ValueError:
        canonical = None
    if canonical is None:
        raise ImportError_(reader.at("uuid"), "must be a UUID")
    clash = session.scalar(
        select(CancellationReason.id).where(
            CancellationReason.uuid == canonical, CancellationReason.id != reason_id
        )
    )
    if clash is not None:
        raise ImportError_(reader.at("uuid"), "is already used by another cancellation reason")
    return canonical


def _address(session: Session, raw: Any, path: str, known: dict[int, Address]) -> Address:
    reader = _Reader(raw, path, ADDRESS_KEYS)
    address_id = reader.integer("id")
    if set(reader.data) == {"id"}:
        address = known.get(address_id) or session.get(Address, address_id)
        if address is None:
            raise ImportError_(reader.at("id"), "refers to an address not given in full")
        return address
    address = _upsert(
        session,
        Address,
        address_id,
        first_name=reader.text("first_name", 100),
        last_name=reader.text("last_name", 100),
        line=reader.text("line", 255),
        district=reader.text("district", 100, required=False),
        city=reader.text("city", 100),
        postcode=reader.text("postcode", 20, required=False),
        country=reader.text("country", 2),
        phone_number=reader.text("phone_number", 32, required=False),
    )
    known[address_id] = address
    return address


def _upsert_order(session: Session, reader: _Reader) -> None:
    order_id = reader.integer("id")
    number = reader.text("number", 64)
    clash = session.scalar(select(Order.id).where(Order.number == number, Order.id != order_id))
    if clash is not None:
        raise ImportError_(reader.at("number"), "is already used by another order")

    user_reader = _Reader(reader.data.get("user"), reader.at("user"), USER_KEYS)
    email = user_reader.text("email", 254)
    if "@" not in email:
        raise ImportError_(user_reader.at("email"), "must be an email address")
    user_id = user_reader.integer("id")
    user = _upsert(
        session,
        User,
        user_id,
        email=email,
        email_normalized=normalize_email(email),
        user_type=user_reader.choice("user_type", set(UserType)),
    )

    payment_reader = _Reader(reader.data.get("payment_option"), reader.at("payment_option"),
                             PAYMENT_KEYS)  # fmt: skip
    slug = payment_reader.text("slug", 64)
    payment = session.scalar(select(PaymentOption).where(PaymentOption.slug == slug))
    if payment is None:
        payment = PaymentOption(slug=slug)
        session.add(payment)
    payment.name = payment_reader.text("name", 128)
    payment.payment_type = payment_reader.choice("payment_type", set(PaymentType))

    known: dict[int, Address] = {}
    shipping = _address(
        session, reader.data.get("shipping_address"), reader.at("shipping_address"), known
    )
    billing = _address(
        session, reader.data.get("billing_address"), reader.at("billing_address"), known
    )

    currency = reader.text("currency", 3)
    if len(currency) != 3 or not currency.isalpha():
        raise ImportError_(reader.at("currency"), "must be a three-letter currency code")
    shipping_amount = reader.optional_money("shipping_amount") or Decimal("0.00")
    discount_amount = reader.optional_money("discount_amount") or Decimal("0.00")

    order = session.get(Order, order_id)
    if order is None:
        order = Order(id=order_id)
        session.add(order)
    order.number = number
    order.user = user
    order.status = reader.status("status")
    order.currency = currency.lower()
    order.language_code = reader.text("language_code", 16, required=False, default="en-us")
    order.created_date = reader.required_moment("created_date")
    order.modified_date = reader.moment("modified_date") or order.created_date
    order.delivered_date = reader.moment("delivered_date")
    order.payment_option = payment
    order.shipping_option_slug = reader.text("shipping_option_slug", 64, required=False)
    order.shipping_amount = shipping_amount
    order.discount_amount = discount_amount
    order.shipping_address = shipping
    order.billing_address = billing

    raw_items = reader.items("items")
    if not raw_items:
        raise ImportError_(reader.at("items"), "must list at least one item")
    subtotal = Decimal("0.00")
    for index, raw in enumerate(raw_items):
        item = _upsert_item(
            session, _Reader(raw, f"{reader.at('items')}[{index}]", ITEM_KEYS), order
        )
        subtotal += item.price * item.quantity

    without_discount = subtotal + shipping_amount
    amount = without_discount - discount_amount
    for key, computed in (("amount_without_discount", without_discount), ("amount", amount)):
        given = reader.optional_money(key)
        if given is not None and given != computed:
            raise ImportError_(reader.at(key), f"does not agree with the items ({computed})")
    if amount < 0:
        raise ImportError_(reader.at("discount_amount"), "is larger than the order's total")
    order.amount_without_discount = without_discount
    order.amount = amount
    # Set explicitly so the amounts' UPDATE keeps the file's time instead of ``onupdate``'s now.
    order.modified_date = reader.moment("modified_date") or order.created_date
    flag_modified(order, "modified_date")
    session.flush()


def _upsert_item(session: Session, reader: _Reader, order: Order) -> OrderItem:
    item_id = reader.integer("id")
    product_reader = _Reader(reader.data.get("product"), reader.at("product"), PRODUCT_KEYS)
    sku = product_reader.text("sku", 64)
    product = session.scalar(select(Product).where(Product.sku == sku))
    if product is None:
        product = Product(sku=sku)
        session.add(product)
    product.name = product_reader.text("name", 255)

    item = session.get(OrderItem, item_id)
    if item is not None and item.order_id not in (None, order.id):
        raise ImportError_(reader.at("id"), "belongs to another order")
    if item is None:
        item = OrderItem(id=item_id)
        order.items.append(item)
    item.product = product
    item.quantity = reader.integer("quantity")
    item.price = reader.money("price")
    item.status = reader.status("status")
    item.delivered_date = reader.moment("delivered_date")

    for index, raw in enumerate(reader.items("cancellation_requests")):
        path = f"{reader.at('cancellation_requests')}[{index}]"
        _upsert_request(session, _Reader(raw, path, REQUEST_KEYS), item)
    session.flush()
    reserved = session.scalar(
        select(func.coalesce(func.sum(CancellationRequest.quantity), 0)).where(
            CancellationRequest.order_item_id == item.id,
            CancellationRequest.status != RequestStatus.REJECTED,
        )
    )
    if (reserved or 0) > item.quantity:
        raise ImportError_(reader.at("quantity"), "is less than the quantity already requested")
    return item


def _upsert_request(session: Session, reader: _Reader, item: OrderItem) -> None:
    request_id = reader.integer("id")
    request = session.get(CancellationRequest, request_id)
    if request is not None and request.order_item_id not in (None, item.id):
        raise ImportError_(reader.at("id"), "belongs to another order item")
    reason_id = reader.integer("reason")
    if session.get(CancellationReason, reason_id) is None:
        raise ImportError_(reader.at("reason"), "is not a known cancellation reason")
    if request is None:
        request = CancellationRequest(id=request_id)
        item.cancellation_requests.append(request)
    request.cancellation_type = reader.choice("cancellation_type", set(CancellationType))
    request.reason_id = reason_id
    request.quantity = reader.integer("quantity")
    request.status = reader.choice("status", set(RequestStatus))
    request.created_date = reader.required_moment("created_date")
    request.modified_date = request.created_date
    request.description = reader.text("description", 1000, required=False) or None
    request.iban = reader.text("iban", 34, required=False) or None
    request.holder_name = reader.text("holder_name", 100, required=False) or None
    request.fully_refund_as_loyalty_money = reader.boolean("fully_refund_as_loyalty_money", False)


def _advance_sequences(session: Session) -> None:
    """After explicit ids, PostgreSQL's sequences must continue past the largest one."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in (User, Address, PaymentOption, ShippingCompany, CancellationReason,
                  CancellationReasonTranslation, Product, Order, OrderItem,
                  CancellationRequest):  # fmt: skip
        table = model.__tablename__
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )
