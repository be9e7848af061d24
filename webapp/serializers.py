"""Models to the JSON shapes of the platform's API document."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel.numbers import get_currency_name

from .i18n import (
    EASY_RETURN_STATUSES,
    ORDER_STATUSES,
    PAYMENT_TYPES,
    REQUEST_STATUSES,
    current_language,
    label,
)
from .models import (
    REFUND,
    REQUEST_COMPLETED,
    Address,
    CancellationReason,
    CancellationRequest,
    EasyReturn,
    Order,
    OrderItem,
)
from .services.base import now_utc
from .services.eligibility import allowed_types
from .services.snapshots import ItemSnapshot, OrderSnapshot


@lru_cache(maxsize=256)
def currency_name(code: str, language: str) -> str:
    return get_currency_name(code.upper(), locale=language)


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def timestamp(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="microseconds") + "Z"


def mask_iban(iban: str | None) -> str | None:
    """At most the last four characters stay visible."""
    if not iban:
        return iban
    return "*" * max(len(iban) - 4, 0) + iban[-4:]


def company_pair(company: Any) -> dict[str, str]:
    return {"value": company.slug, "label": company.name}


def serialize_address(address: Address) -> dict[str, Any]:
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
    easy_return: EasyReturn | None, language: str | None = None
) -> dict[str, Any] | None:
    if easy_return is None:
        return None
    request = easy_return.cancellation_request
    pickup = None
    if request.pickup_date is not None:
        pickup = {
            "date": request.pickup_date.isoformat(),
            "hour_range": {"start": request.pickup_hour_start, "end": request.pickup_hour_end},
        }
    return {
        "status": label(EASY_RETURN_STATUSES, easy_return.status, language),
        "code": easy_return.code,
        "end_date": timestamp(easy_return.end_date),
        "tracking_url": easy_return.tracking_url,
        "tracking_number": easy_return.tracking_number,
        "shipping_company": company_pair(easy_return.shipping_company),
        "pickup_date": pickup,
        "start_date": timestamp(easy_return.start_date),
    }


def serialize_request(
    request: CancellationRequest, *, reveal_iban: bool = False, language: str | None = None
) -> dict[str, Any]:
    """The seed's cancellation request shape; the IBAN is masked unless just sent."""
    language = language or current_language()
    return {
        "id": request.id,
        "uuid": request.uuid,
        "cancellation_type": request.cancellation_type,
        "status": label(REQUEST_STATUSES, request.status, language),
        "easy_return": serialize_easy_return(request.easy_return, language),
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
    item: OrderItem | ItemSnapshot,
    companies: list,
    language: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    language = language or current_language()
    requests = item.cancellation_requests
    active = item.active_request if requests else None
    cancellable, refundable = allowed_types(item, now)
    return {
        "id": item.id,
        "product": {"name": item.product.name, "sku": item.product.sku},
        "status": label(ORDER_STATUSES, item.status, language),
        "quantity": item.quantity,
        "price": money(item.price),
        "total_amount": money(item.price * item.quantity),
        "delivered_date": timestamp(item.delivered_date),
        "is_cancellable": cancellable,
        "is_refundable": refundable,
        "remaining_quantity": item.remaining_quantity,
        "active_cancellation_request": (
            serialize_request(active, language=language) if active else None
        ),
        "cancellationrequest_set": [serialize_request(r, language=language) for r in requests],
        "available_easy_return_shipping_companies": [
            {"pk": company.id, "shipping_company": company_pair(company)} for company in companies
        ]
        if refundable
        else [],
    }


def refunded_amount(order: Order | OrderSnapshot) -> Decimal:
    return sum(
        (
            item.price * request.quantity
            for item in order.items
            for request in item.cancellation_requests
            if request.status == REQUEST_COMPLETED and request.cancellation_type == REFUND
        ),
        Decimal("0.00"),
    )


def serialize_order(order: Order | OrderSnapshot, companies: list) -> dict[str, Any]:
    """Every key of the seed's lookup example, filled from this order alone."""
    language, now = current_language(), now_utc()
    items = [serialize_item(item, companies, language, now) for item in order.items]
    payment = order.payment_option
    return {
        "id": order.id,
        "status": label(ORDER_STATUSES, order.status, language),
        "currency": {
            "value": order.currency,
            "label": currency_name(order.currency, language),
        },
        "orderitem_set": items,
        "discountitem_set": [],
        "is_cancelled": order.status == 100,
        "is_cancellable": any(item["is_cancellable"] for item in items),
        "is_refundable": any(item["is_refundable"] for item in items),
        "shipping_address": serialize_address(order.shipping_address),
        "billing_address": serialize_address(order.billing_address),
        "shipping_company": None,
        "client_type": "default",
        "payment_option": {
            "slug": payment.slug,
            "name": payment.name,
            "payment_type": label(PAYMENT_TYPES, payment.payment_type, language),
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
        "user_email": order.user.email,
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


def serialize_reason(reason: CancellationReason) -> dict[str, Any]:
    return {
        "id": reason.id,
        "subject": reason.subject_for(current_language()),
        "cancellation_type": reason.cancellation_type,
        "order": reason.sort_order,
    }


def page(count: int, results: list, next_url: str | None = None, previous_url: str | None = None):
    return {"count": count, "next": next_url, "previous": previous_url, "results": results}
