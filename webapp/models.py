"""Database models (SQLAlchemy 2.x typed mappings). Times are stored as naive UTC."""

from __future__ import annotations

import uuid as uuid_module
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .clock import utcnow
from .extensions import Base
from .vocabulary import EasyReturnStatus, MailStatus, RequestStatus, UserType

Money = Numeric(12, 2)


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    email_normalized: Mapped[str] = mapped_column(String(254), index=True)
    user_type: Mapped[str] = mapped_column(String(20), default=UserType.GUEST.value)


class Address(Base):
    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    line: Mapped[str] = mapped_column(String(255), default="")
    district: Mapped[str] = mapped_column(String(100), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    phone_number: Mapped[str] = mapped_column(String(32), default="")


class PaymentOption(Base):
    __tablename__ = "payment_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    payment_type: Mapped[str] = mapped_column(String(32))


class ShippingCompany(Base):
    __tablename__ = "shipping_companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    easy_return: Mapped[bool] = mapped_column(Boolean, default=False)


class CancellationReason(Base):
    __tablename__ = "cancellation_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The platform's identifier of the reason, kept as imported (made once when absent).
    uuid: Mapped[str] = mapped_column(
        String(36), unique=True, default=lambda: str(uuid_module.uuid4())
    )
    subject: Mapped[str] = mapped_column(String(255))
    cancellation_type: Mapped[str] = mapped_column(String(10))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # A request with this reason needs a description.
    extra_information_needed: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    modified_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    translations: Mapped[list[CancellationReasonTranslation]] = relationship(
        back_populates="reason", cascade="all, delete-orphan"
    )


class CancellationReasonTranslation(Base):
    __tablename__ = "cancellation_reason_translations"
    __table_args__ = (UniqueConstraint("reason_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reason_id: Mapped[int] = mapped_column(ForeignKey("cancellation_reasons.id"))
    language: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(255))

    reason: Mapped[CancellationReason] = relationship(back_populates="translations")


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="try")
    language_code: Mapped[str] = mapped_column(String(16), default="en-us")
    created_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    modified_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    delivered_date: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    payment_option_id: Mapped[int] = mapped_column(ForeignKey("payment_options.id"))
    shipping_option_slug: Mapped[str] = mapped_column(String(64), default="")
    shipping_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    discount_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    amount_without_discount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    shipping_address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id"))
    billing_address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id"))

    user: Mapped[User] = relationship()
    payment_option: Mapped[PaymentOption] = relationship()
    shipping_address: Mapped[Address] = relationship(foreign_keys=[shipping_address_id])
    billing_address: Mapped[Address] = relationship(foreign_keys=[billing_address_id])
    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", order_by="OrderItem.id", cascade="all, delete-orphan"
    )


class OrderItem(Base):
    __tablename__ = "order_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[int] = mapped_column(Integer)
    delivered_date: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    order: Mapped[Order] = relationship(back_populates="items")
    product: Mapped[Product] = relationship()
    cancellation_requests: Mapped[list[CancellationRequest]] = relationship(
        back_populates="order_item", order_by="CancellationRequest.id"
    )


class CancellationRequest(Base):
    __tablename__ = "cancellation_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(
        String(36), unique=True, default=lambda: str(uuid_module.uuid4())
    )
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_items.id"), index=True)
    cancellation_type: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.OPEN.value)
    reason_id: Mapped[int] = mapped_column(ForeignKey("cancellation_reasons.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    iban: Mapped[str | None] = mapped_column(String(34), nullable=True)
    holder_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    fully_refund_as_loyalty_money: Mapped[bool] = mapped_column(Boolean, default=False)
    shipping_company_id: Mapped[int | None] = mapped_column(
        ForeignKey("shipping_companies.id"), nullable=True
    )
    pickup_address_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id"), nullable=True)
    pickup_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    pickup_hour_start: Mapped[str | None] = mapped_column(String(5), nullable=True)
    pickup_hour_end: Mapped[str | None] = mapped_column(String(5), nullable=True)
    created_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    modified_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    order_item: Mapped[OrderItem] = relationship(back_populates="cancellation_requests")
    reason: Mapped[CancellationReason] = relationship()
    shipping_company: Mapped[ShippingCompany | None] = relationship()
    pickup_address: Mapped[Address | None] = relationship()
    easy_return: Mapped[EasyReturn | None] = relationship(
        back_populates="cancellation_request", uselist=False
    )


class EasyReturn(Base):
    __tablename__ = "easy_returns"

    id: Mapped[int] = mapped_column(primary_key=True)
    cancellation_request_id: Mapped[int] = mapped_column(
        ForeignKey("cancellation_requests.id"), unique=True
    )
    code: Mapped[str] = mapped_column(String(16), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=EasyReturnStatus.ACTIVE.value)
    shipping_company_id: Mapped[int] = mapped_column(ForeignKey("shipping_companies.id"))
    tracking_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    tracking_url: Mapped[str] = mapped_column(String(255), default="")
    start_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    end_date: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    cancellation_request: Mapped[CancellationRequest] = relationship(back_populates="easy_return")
    shipping_company: Mapped[ShippingCompany] = relationship()


class IdempotencyRecord(Base):
    """The first response to a POST with an ``Idempotency-Key``, replayed for 24 hours."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)
    created_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class AuditEntry(Base):
    """One line per cancellation POST (its first item and order, how many items it named, and
    its first request when it created some); no IBAN, email or raw IP."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(32))
    order_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    order_item_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cancellation_request_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    client_hash: Mapped[str] = mapped_column(String(64), default="")
    outcome: Mapped[str] = mapped_column(String(64))
    http_status: Mapped[int] = mapped_column(Integer)
    item_count: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class OutboxMessage(Base):
    """A message to send, written in the transaction of what it tells about; a sender
    renders and delivers it (``webapp/mail.py``). It holds ids, never the data they name."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=MailStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    sent_date: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(255), nullable=True)


class ForgottenProof(Base):
    """An order a session chose to forget: a copy of its cookie made before proves it no
    more."""

    __tablename__ = "forgotten_proofs"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(String(64), index=True)
    order_id: Mapped[int] = mapped_column(Integer)
    created_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class AccessLink(Base):
    """A one-time link to an order, emailed to its address. The link's secret is an HMAC of
    ``salt`` with the app's secret key: the database alone can not make a working link."""

    __tablename__ = "access_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    salt: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(16))
    created_date: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
