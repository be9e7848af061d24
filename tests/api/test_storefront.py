"""The platform's own storefront (``@akinon/next`` 1.24.0) as a client: its requests replayed as
it sends them through its proxy, and the answers read as its types read them.

What the client sends, from its source: the lookup form-encoded (a ``URLSearchParams`` of
``email`` and ``number``, empty values left out) to the path with a trailing slash; headers
``x-csrftoken`` (the ``csrftoken`` cookie's value), ``X-Requested-With: XMLHttpRequest``,
``Referer: <commerce URL>``, ``Accept: application/json``, ``Accept-Language`` with the platform's
codes (``tr-tr``, ``en-us``) and ``x-currency``; the browser's cookies go through and the
answer's ``Set-Cookie`` comes back. Cancellation bodies are JSON with string ids.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from .paths import BULK, LOOKUP, REASONS

COMMERCE_URL = "http://shop.test"

# The keys of the client's ``Order`` and ``OrderItem`` types (types/commerce/order.ts) but
# ``OrderItem.length``, which is no field of the platform's answers.
ORDER_KEYS = {
    "id", "status", "currency", "orderitem_set", "discountitem_set", "is_cancelled",
    "is_cancellable", "is_refundable", "shipping_address", "billing_address", "client_type",
    "payment_option", "amount_without_discount", "is_payable", "created_date", "modified_date",
    "number", "amount", "discount_amount", "shipping_amount", "refund_amount",
    "discount_refund_amount", "shipping_refund_amount", "remote_addr", "has_gift_box",
    "language_code", "user_email", "shipping_option_slug", "payment_option_slug",
    "installment_count", "installment_interest_amount", "user", "basket", "shipping_option",
    "tracking_number", "tracking_url",
}  # fmt: skip
ITEM_KEYS = {
    "id", "status", "price_currency", "product", "is_cancelled", "is_cancellable",
    "is_refundable", "is_tradable", "available_easy_return_shipping_companies",
    "active_cancellation_request", "created_date", "modified_date", "price", "tax_rate",
    "retail_price", "order", "quantity", "unit_price", "total_amount",
}  # fmt: skip
PAYMENT_OPTION_TYPES = {"name": str, "payment_type": str, "payment_type_label": str, "pk": int,
                        "slug": str}  # fmt: skip
# types/commerce/account.ts: AccountCancellationReason.
REASON_TYPES = {
    "id": int, "uuid": str, "cancellation_type": str, "created_date": str,
    "extra_information_needed": bool, "is_active": bool, "modified_date": str, "order": int,
    "subject": str, "translations": dict,
}  # fmt: skip


class Storefront:
    """The storefront's proxy in front of the site, with one browser's cookies."""

    def __init__(self, client, locale: str = "tr-tr", currency: str = "try"):
        self.client = client
        self.locale = locale
        self.currency = currency

    def headers(self) -> dict[str, str]:
        headers = {
            "Accept-Language": self.locale,
            "x-currency": self.currency,
            "X-Requested-With": "XMLHttpRequest",
            "Referer": COMMERCE_URL,
            "Accept": "application/json",
        }
        cookie = self.client.get_cookie("csrftoken", domain="shop.test")
        if cookie is not None:
            headers["x-csrftoken"] = cookie.value
        return headers

    def get(self, path: str):
        return self.client.get(path, headers=self.headers())

    def post_form(self, path: str, fields: dict[str, str]):
        """``useFormData``: a ``URLSearchParams`` of the non-empty values."""
        body = urlencode({key: value for key, value in fields.items() if value})
        return self.client.post(
            path, data=body, headers=self.headers(),
            content_type="application/x-www-form-urlencoded;charset=UTF-8",
        )  # fmt: skip

    def post_json(self, path: str, body: dict):
        return self.client.post(path, json=body, headers=self.headers())


@pytest.fixture()
def storefront(client):
    return Storefront(client)


def test_the_reasons_list_reads_as_the_storefronts_reason_type(storefront, build):
    build.reason("cancel", subject="I changed my mind", translations={"tr": "Fikrimi değiştirdim"})
    build.reason("refund", subject="Wrong size", extra_information_needed=True)
    response = storefront.get(REASONS)
    assert response.status_code == 200
    body = response.get_json()
    assert isinstance(body["count"], int) and body["previous"] is None
    assert body["next"] is None or isinstance(body["next"], str)
    for reason in body["results"]:
        assert {key: type(value) for key, value in reason.items()} == REASON_TYPES
    assert body["results"][0]["subject"] == "Fikrimi değiştirdim"
    assert [r["extra_information_needed"] for r in body["results"]] == [False, True]


def test_the_first_answer_gives_the_storefront_its_csrf_cookie(storefront):
    assert storefront.client.get_cookie("csrftoken", domain="shop.test") is None
    storefront.get(REASONS)
    assert storefront.client.get_cookie("csrftoken", domain="shop.test") is not None


def test_the_storefronts_form_encoded_lookup_finds_the_order(storefront, build):
    order = build.order(email="ada@example.com", number="770000000001", items=[(450, 2)])
    storefront.get(REASONS)  # any earlier answer through the proxy sets the csrftoken cookie
    response = storefront.post_form(LOOKUP, {"email": "ada@example.com",
                                             "number": "770000000001"})  # fmt: skip
    assert response.status_code == 200, response.get_json()
    [found] = response.get_json()["results"]
    assert set(found) >= ORDER_KEYS
    assert found["id"] == order.id and found["number"] == "770000000001"
    assert found["status"] == {"value": "450", "label": "Hazırlanıyor"}
    payment = found["payment_option"]
    assert {key: type(payment[key]) for key in PAYMENT_OPTION_TYPES} == PAYMENT_OPTION_TYPES
    [item] = found["orderitem_set"]
    assert set(item) >= ITEM_KEYS
    assert item["price_currency"] == found["currency"]
    assert item["order"] == order.id


def test_a_lookup_with_an_empty_value_left_out_names_the_missing_field(storefront):
    storefront.get(REASONS)
    response = storefront.post_form(LOOKUP, {"email": "ada@example.com", "number": ""})
    assert response.status_code == 400
    assert set(response.get_json()) == {"order"}


def test_a_lookup_without_the_cookie_token_is_a_403_that_hands_out_the_cookie(storefront,
                                                                              build):  # fmt: skip
    build.order(email="ada@example.com", number="770000000002")
    refused = storefront.post_form(LOOKUP, {"email": "ada@example.com", "number": "770000000002"})
    assert refused.status_code == 403
    assert refused.get_json()["error_code"] == "csrf_failed"
    retried = storefront.post_form(LOOKUP, {"email": "ada@example.com", "number": "770000000002"})
    assert retried.status_code == 200  # the client retries with the cookie it was given


def test_the_storefronts_bulk_cancellation_with_string_ids_is_created(storefront, build):
    order = build.order(email="ada@example.com", number="770000000003", items=[(450, 2)])
    reason = build.reason("cancel")
    storefront.get(REASONS)
    assert storefront.post_form(LOOKUP, {"email": "ada@example.com",
                                         "number": "770000000003"}).status_code == 200  # fmt: skip
    body = {
        "return_policy": True,
        "id": str(order.id),
        "cancel_order_items": [
            {"cancellation_type": "cancel", "description": "Ordered twice",
             "order_item": str(order.items[0].id), "reason": str(reason.id)},
        ],
    }  # fmt: skip
    response = storefront.post_json(BULK, body)
    assert response.status_code == 201, response.get_json()
    [created] = response.get_json()
    assert (created["order_item"], created["reason"], created["quantity"]) == (
        order.items[0].id, reason.id, 2)  # fmt: skip


@pytest.mark.parametrize("locale", ["tr-tr", "en-us"])
def test_the_platforms_language_codes_pick_the_language(client, build, locale):
    build.order(email="ada@example.com", number="770000000004")
    storefront = Storefront(client, locale=locale)
    storefront.get(REASONS)
    found = storefront.post_form(LOOKUP, {"email": "ada@example.com", "number": "770000000004"})
    label = found.get_json()["results"][0]["status"]["label"]
    assert label == {"tr-tr": "Hazırlanıyor", "en-us": "Preparing"}[locale]


@pytest.mark.parametrize("path", [LOOKUP, REASONS])
def test_paths_without_the_trailing_slash_answer_as_with_it(storefront, build, path):
    build.order(email="ada@example.com", number="770000000005")
    storefront.get(REASONS)
    fields = {"email": "ada@example.com", "number": "770000000005"}
    if path == LOOKUP:
        with_slash, without = (storefront.post_form(p, fields) for p in (path, path.rstrip("/")))
    else:
        with_slash, without = (storefront.get(p) for p in (path, path.rstrip("/")))
    assert without.status_code == with_slash.status_code == 200
    assert without.get_json() == with_slash.get_json()
