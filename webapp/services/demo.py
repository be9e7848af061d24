"""Demo data covering every case a shopper can meet, with dates relative to today."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from ..clock import utcnow
from .importer import import_document

REASONS = [
    (1, "I changed my mind", "cancel", {"tr": "Fikrimi değiştirdim", "de": "Ich habe es mir anders überlegt", "ar": "غيّرت رأيي"}),  # noqa: E501
    (2, "Ordered by mistake", "cancel", {"tr": "Yanlışlıkla sipariş verdim", "de": "Versehentlich bestellt", "ar": "طلبته عن طريق الخطأ"}),  # noqa: E501
    (3, "Wrong size", "refund", {"tr": "Beden uymadı", "de": "Falsche Größe", "ar": "المقاس غير مناسب"}),  # noqa: E501
    (4, "Damaged or defective", "refund", {"tr": "Hasarlı veya kusurlu", "de": "Beschädigt oder defekt", "ar": "تالف أو معيب"}),  # noqa: E501
    (5, "Not as described", "refund", {"tr": "Açıklamadaki gibi değil", "de": "Nicht wie beschrieben", "ar": "لا يطابق الوصف"}),  # noqa: E501
    (6, "Found a better price", "both", {"tr": "Daha uygun fiyat buldum", "de": "Woanders günstiger gefunden", "ar": "وجدت سعرًا أفضل"}),  # noqa: E501
    (7, "Something else (tell us what)", "both", {"tr": "Başka bir neden (lütfen açıklayın)", "de": "Etwas anderes (bitte beschreiben)", "ar": "سبب آخر (يرجى التوضيح)"}),  # noqa: E501
]  # fmt: skip
# Reasons that need a description with the request.
REASONS_NEEDING_A_DESCRIPTION = {7}

COMPANIES = [
    {"id": 1, "slug": "extension", "name": "Extension Cargo", "is_active": True, "easy_return": True},  # noqa: E501
    {"id": 2, "slug": "bosphorus", "name": "Bosphorus Express", "is_active": True, "easy_return": True},  # noqa: E501
    {"id": 3, "slug": "slowpost", "name": "Slow Post", "is_active": True, "easy_return": False},
    {"id": 4, "slug": "retired", "name": "Retired Cargo", "is_active": False, "easy_return": True},
]  # fmt: skip

PAYMENTS = {
    "card": {"slug": "Credit_Card", "name": "Credit Card", "payment_type": "credit_card"},
    "transfer": {"slug": "Funds_Transfer", "name": "Bank Transfer", "payment_type": "funds_transfer"},  # noqa: E501
    "cod": {"slug": "Pay_On_Delivery", "name": "Pay on Delivery", "payment_type": "pay_on_delivery"},  # noqa: E501
}  # fmt: skip

# (order id, number, email, user type, payment, what it shows, items as (sku, name, qty, price, status, days since delivery))  # noqa: E501
Line = tuple[str, str, int, str, int, int | None]
ORDERS: list[tuple[int, str, str, str, str, str, list[Line]]] = [
    (1001, "100000000001", "ada@example.com", "guest", "card", "cancellable (preparing)",
     [("MUG-WHITE", "Ceramic mug", 3, "12.50", 450, None), ("TEA-GREEN", "Green tea, 100 g", 2, "8.90", 400, None)]),  # noqa: E501
    (1002, "100000000002", "ben@example.com", "guest", "cod", "refundable (delivered 3 days ago, paid on delivery: IBAN needed)",  # noqa: E501
     [("SHIRT-L-BLUE", "Linen shirt", 2, "54.99", 550, 3), ("SOCKS-M", "Wool socks", 4, "9.99", 550, 3)]),  # noqa: E501
    (1003, "100000000003", "cem@example.com", "guest", "cod", "one lamp, paid on delivery, refundable (IBAN needed)",  # noqa: E501
     [("LAMP-DESK", "Desk lamp", 1, "39.90", 550, 2)]),
    (1004, "100000000004", "deniz@example.com", "guest", "transfer", "bank transfer, cancellable (IBAN needed)",  # noqa: E501
     [("BOOK-PY", "Python cookbook", 1, "45.00", 450, None), ("PEN-BLACK", "Fountain pen", 2, "19.50", 300, None)]),  # noqa: E501
    (1005, "100000000005", "eda@example.com", "guest", "card", "delivered 30 days ago (out of the refund window)",  # noqa: E501
     [("BAG-TOTE", "Canvas tote bag", 1, "24.00", 550, 30)]),
    (1006, "100000000006", "fatma@example.com", "registered", "card", "registered user's order (never found)",  # noqa: E501
     [("CAP-RED", "Baseball cap", 1, "15.00", 450, None)]),
    (1007, "100000000007", "gul@example.com", "guest", "card", "already cancelled",
     [("SCARF-SILK", "Silk scarf", 1, "60.00", 100, None)]),
    (1008, "100000000008", "hakan@example.com", "guest", "cod", "mixed, pay on delivery: items delivered, shipped and preparing",  # noqa: E501
     [("CHAIR-OAK", "Oak chair", 2, "120.00", 550, 1), ("TABLE-OAK", "Oak table", 1, "340.00", 500, None), ("CUSHION", "Seat cushion", 4, "14.75", 450, None)]),  # noqa: E501
    (1009, "100000000009", "irem@example.com", "guest", "card", "refundable, paid by card (no IBAN needed)",  # noqa: E501
     [("JACKET-RAIN", "Rain jacket", 1, "89.00", 550, 5), ("BOTTLE-STEEL", "Steel bottle", 2, "17.25", 550, 5)]),  # noqa: E501
]  # fmt: skip


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds") + "Z"


def demo_document() -> dict[str, Any]:
    now = utcnow().replace(microsecond=0)
    orders = []
    for index, (order_id, number, email, user_type, payment, _what, lines) in enumerate(ORDERS):
        address = {
            "id": order_id, "first_name": email.split("@")[0].title(), "last_name": "Demir",
            "line": f"Bagdat Cd. {index + 10}", "district": "Kadikoy", "city": "Istanbul",
            "postcode": "34710", "country": "TR", "phone_number": "+905551112233",
        }  # fmt: skip
        delivered = [days for *_rest, days in lines if days is not None]
        items = []
        for line_index, (sku, name, quantity, price, status, days) in enumerate(lines):
            items.append({
                "id": order_id * 10 + line_index + 1,
                "product": {"sku": sku, "name": name},
                "quantity": quantity, "price": price, "status": status,
                "delivered_date": _stamp(now - timedelta(days=days)) if days is not None else None,
            })  # fmt: skip
        orders.append({
            "id": order_id, "number": number,
            "user": {"id": order_id, "email": email, "user_type": user_type},
            "status": max(status for *_line, status, _days in lines),
            "currency": "try", "language_code": "en-us",
            "created_date": _stamp(now - timedelta(days=40 if delivered and max(delivered) > 20 else 8)),  # noqa: E501
            "delivered_date": _stamp(now - timedelta(days=min(delivered))) if delivered else None,
            "payment_option": PAYMENTS[payment], "shipping_option_slug": "STANDARD",
            "shipping_amount": "0.00", "discount_amount": "0.00",
            "shipping_address": address, "billing_address": {"id": order_id},
            "items": items,
        })  # fmt: skip
    return {
        "shipping_companies": COMPANIES,
        "cancellation_reasons": [
            {
                "id": rid,
                "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo-shop/cancellation-reason/{rid}")),
                "subject": subject,
                "cancellation_type": kind,
                "is_active": True,
                "order": rid * 10,
                "extra_information_needed": rid in REASONS_NEEDING_A_DESCRIPTION,
                "translations": {lang: {"subject": text} for lang, text in tr.items()},
            }
            for rid, subject, kind, tr in REASONS
        ],
        "orders": orders,
    }


def seed_demo() -> list[dict[str, str]]:
    """Load (or refresh) the demo data; the logins with what each order shows."""
    import_document(demo_document())
    return [
        {"email": email, "order": number, "user_type": user_type, "shows": what}
        for _id, number, email, user_type, _payment, what, _lines in ORDERS
    ]
