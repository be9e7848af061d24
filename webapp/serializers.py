"""Read models to the JSON shapes of the platform's API document."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from babel.numbers import get_currency_name

from .i18n import current_language
from .services.read_models import (
    AddressView,
    CompanyView,
    EasyReturnView,
    ItemView,
    OrderView,
    ReasonView,
    RequestView,
)
from .vocabulary import (
    CancellationType,
    EasyReturnStatus,
    OrderStatus,
    PaymentType,
    RequestStatus,
    pair,
)


class Labels:
    """The ``{"value", "label"}`` pairs of one answer, each distinct one translated once (an
    order's items mostly share their status)."""

    def __init__(self) -> None:
        self._pairs: dict[tuple[type[Enum], object], dict[str, str]] = {}

    def __call__(self, kind: type[Enum], value: object) -> dict[str, str]:
        found = self._pairs.get((kind, value))
        if found is None:
            found = self._pairs[(kind, value)] = pair(kind, value)
        return dict(found)


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def timestamp(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="microseconds") + "Z"


def mask_iban(iban: str | None) -> str | None:
    """At most the last four characters stay visible."""
    if not iban:
        return iban
    return "*" * max(len(iban) - 4, 0) + iban[-4:]


def company_pair(company: CompanyView) -> dict[str, str]:
    return {"value": company.slug, "label": company.name}


def serialize_address(address: AddressView) -> dict[str, Any]:
    return {
        "id": address.id,
        "first_name": address.first_name,
        "last_name": address.last_name,
        "line": address.line,
        "district": address.district,
        "city": address.city,
        "postcode": address.postcode,
        "country": address.country,
        "phone_number": address.phone_number,
    }


def serialize_easy_return(
    easy_return: EasyReturnView | None, request: RequestView, labels: Labels
) -> dict[str, Any] | None:
    if easy_return is None:
        return None
    pickup = None
    if request.pickup_date is not None:
        pickup = {
            "date": request.pickup_date.isoformat(),
            "hour_range": {"start": request.pickup_hour_start, "end": request.pickup_hour_end},
        }
    return {
        "status": labels(EasyReturnStatus, easy_return.status),
        "code": easy_return.code,
        "end_date": timestamp(easy_return.end_date),
        "tracking_url": easy_return.tracking_url,
        "tracking_number": easy_return.tracking_number,
        "shipping_company": company_pair(easy_return.shipping_company),
        "pickup_date": pickup,
        "start_date": timestamp(easy_return.start_date),
    }


def serialize_request(
    request: RequestView, *, reveal_iban: bool = False, labels: Labels | None = None
) -> dict[str, Any]:
    """The seed's cancellation request shape; the IBAN is masked unless just sent."""
    labels = labels or Labels()
    return {
        "id": request.id,
        "uuid": request.uuid,
        "cancellation_type": request.cancellation_type,
        "status": labels(RequestStatus, request.status),
        "easy_return": serialize_easy_return(request.easy_return, request, labels),
        "created_date": timestamp(request.created_date),
        "modified_date": timestamp(request.modified_date),
        "description": request.description,
        "iban": request.iban if reveal_iban else mask_iban(request.iban),
        "holder_name": request.holder_name,
        "fully_refund_as_loyalty_money": request.fully_refund_as_loyalty_money,
        "reason": request.reason_id,
        "order_item": request.order_item_id,
        "quantity": request.quantity,
    }


def serialize_item(
    item: ItemView,
    companies: list[CompanyView],
    labels: Labels,
    order: OrderView,
    currency: dict[str, str],
) -> dict[str, Any]:
    """An item with the seed's keys and those the platform's storefront reads; an item has no
    price, tax or dates of its own here: its price, no tax rate, the order's dates."""
    active = item.active_request
    return {
        "id": item.id,
        "order": order.id,
        "product": {"name": item.product.name, "sku": item.product.sku},
        "status": labels(OrderStatus, item.status),
        "quantity": item.quantity,
        "price": money(item.price),
        "unit_price": money(item.price),
        "retail_price": money(item.price),
        "price_currency": dict(currency),
        "tax_rate": None,
        "total_amount": money(item.total),
        "is_cancelled": item.status == OrderStatus.CANCELLED,
        "is_tradable": False,
        "created_date": timestamp(order.created_date),
        "modified_date": timestamp(order.modified_date),
        "delivered_date": timestamp(item.delivered_date),
        "is_cancellable": item.is_cancellable,
        "is_refundable": item.is_refundable,
        "remaining_quantity": item.remaining_quantity,
        "active_cancellation_request": (
            serialize_request(active, labels=labels) if active else None
        ),
        "cancellationrequest_set": [
            serialize_request(request, labels=labels) for request in item.cancellation_requests
        ],
        "available_easy_return_shipping_companies": [
            {"pk": company.id, "shipping_company": company_pair(company)} for company in companies
        ]
        if item.is_refundable
        else [],
    }


def refunded_amount(order: OrderView) -> Decimal:
    return sum(
        (
            item.price * request.quantity
            for item, request in order.requests()
            if request.status == RequestStatus.COMPLETED
            and request.cancellation_type == CancellationType.REFUND
        ),
        Decimal("0.00"),
    )


def serialize_order(order: OrderView, companies: list[CompanyView]) -> dict[str, Any]:
    """Every key of the seed's lookup example, filled from this order alone."""
    labels = Labels()
    currency = {
        "value": order.currency,
        "label": get_currency_name(order.currency.upper(), locale=current_language()),
    }
    items = [serialize_item(item, companies, labels, order, currency) for item in order.items]
    payment = order.payment_option
    return {
        "id": order.id,
        "status": labels(OrderStatus, order.status),
        "currency": currency,
        "orderitem_set": items,
        "discountitem_set": [],
        "is_cancelled": order.status == OrderStatus.CANCELLED,
        "is_cancellable": any(item.is_cancellable for item in order.items),
        "is_refundable": any(item.is_refundable for item in order.items),
        "shipping_address": serialize_address(order.shipping_address),
        "billing_address": serialize_address(order.billing_address),
        "shipping_company": None,
        "client_type": "default",
        "payment_option": {
            "pk": payment.id,
            "slug": payment.slug,
            "name": payment.name,
            "payment_type": payment.payment_type,
            "payment_type_label": labels(PaymentType, payment.payment_type)["label"],
        },
        "amount_without_discount": money(order.amount_without_discount),
        "is_payable": False,
        "tracking_url": None,
        "bank": {},
        "loyaltytransaction_set": [],
        "created_date": timestamp(order.created_date),
        "modified_date": timestamp(order.modified_date),
        "delivered_date": timestamp(order.delivered_date),
        "number": order.number,
        "amount": money(order.amount),
        "discount_amount": money(order.discount_amount),
        "shipping_amount": money(order.shipping_amount),
        "shipping_tax_rate": None,
        "refund_amount": money(refunded_amount(order)),
        "discount_refund_amount": "0.00",
        "shipping_refund_amount": "0.00",
        "invoice_number": None,
        "invoice_date": None,
        "e_archive_url": None,
        "tracking_number": None,
        "defined_tracking_url": None,
        "remote_addr": "",
        "has_gift_box": False,
        "gift_box_note": None,
        "language_code": order.language_code,
        "notes": None,
        "delivery_range": None,
        "extra_field": {},
        "user_email": order.user_email,
        "shipping_option_slug": order.shipping_option_slug,
        "payment_option_slug": payment.slug,
        "bin_number": None,
        "installment_count": 1,
        "installment_interest_amount": "0.00",
        "shipping_tracking_url": None,
        "user": order.user_id,
        "basket": None,
        "shipping_option": None,
        "card": None,
        "installment": None,
        "segment": None,
        "checkout_provider": None,
    }


def serialize_reason(reason: ReasonView) -> dict[str, Any]:
    """A reason as the platform answers it; ``translations`` maps each stored language to its
    fields, as the import format gives them."""
    return {
        "id": reason.id,
        "uuid": reason.uuid,
        "subject": reason.subject_for(current_language()),
        "cancellation_type": reason.cancellation_type,
        "order": reason.sort_order,
        "is_active": reason.is_active,
        "extra_information_needed": reason.extra_information_needed,
        "translations": {
            language: {"subject": subject} for language, subject in reason.translations.items()
        },
        "created_date": timestamp(reason.created_date),
        "modified_date": timestamp(reason.modified_date),
    }


def page(
    count: int, results: list[Any], next_url: str | None = None, previous_url: str | None = None
) -> dict[str, Any]:
    return {"count": count, "next": next_url, "previous": previous_url, "results": results}
