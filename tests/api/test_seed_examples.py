"""The seed's example request bodies, sent as documented, get the documented answers.

Ids in the seed (reason 67890, address 101, item 12345, ...) are replaced by the ids of rows
made here, and the seed's pickup date (2024-01-01, long past) is moved to tomorrow in the
store's time zone, the first day the pickup window allows. Everything else is sent as-is.
"""

from __future__ import annotations

import copy

import pytest

from tests.services.support import PICKUP_ADDRESS_REQUIRED, QUANTITY_TOO_LARGE, pickup

from .paths import LOOKUP

SEED_LOOKUP_BODY = {"email": "", "order": "111111111111"}
SEED_SINGLE_BODY = {
    "order_item": 12345,
    "reason": 67890,
    "cancellation_type": "refund",
    "description": "Test description",
    "shipping_company": 1,
    "pickup_address": 101,
    "pickup_date": {"date": "2024-01-01", "hour_range": {"start": "09:00", "end": "12:00"}},
    "iban": "TR330006100519786457841326",
    "holder_name": "John Doe",
    "fully_refund_as_loyalty_money": True,
    "quantity": 2,
}
SEED_BULK_BODY = {
    "cancel_order_items": [
        {
            "description": "test",
            "reason": 1,
            "pickup_address": 3,
            "cancellation_type": "refund",
            "order_item": 1,
            "shipping_company": 1,
            "pickup_date": {
                "date": "2024-01-01",
                "hour_range": {"start": "09:00", "end": "12:00"},
            },
        }
    ]
}
SEED_BULK_EXAMPLE_REQUEST = {
    "cancel_order_items": [{"order_item": 271, "reason": 3, "cancellation_type": "refund"}]
}
# Keys of the seed's "Example Response (200 OK)" of a cancellation request.
SEED_REQUEST_KEYS = {
    "status",
    "modified_date",
    "holder_name",
    "uuid",
    "easy_return",
    "description",
    "fully_refund_as_loyalty_money",
    "reason",
    "iban",
    "cancellation_type",
    "created_date",
    "order_item",
    "id",
    "quantity",
}
SEED_EASY_RETURN_KEYS = {
    "status",
    "code",
    "end_date",
    "tracking_url",
    "tracking_number",
    "shipping_company",
    "pickup_date",
    "start_date",
}
# Keys of the seed's "Example Response (201 Created)" of the bulk endpoint.
SEED_BULK_RESULT_KEYS = {
    "id",
    "cancellation_type",
    "status",
    "easy_return",
    "created_date",
    "modified_date",
    "uuid",
    "description",
    "iban",
    "holder_name",
    "reason",
    "order_item",
}


@pytest.fixture()
def order(build, prove):
    """A delivered guest order with number 111111111111 (the seed's), proven by a lookup."""
    order = build.order(
        email="guest@example.com", number="111111111111", items=[(550, 3)], delivered_days_ago=2
    )
    prove(order)
    return order


def single_body(order, reason, company, **changes) -> dict:
    body = copy.deepcopy(SEED_SINGLE_BODY)
    body.update(
        order_item=order.items[0].id,
        reason=reason.id,
        shipping_company=company.id,
        pickup_address=order.shipping_address_id,
        pickup_date=pickup(1, "09:00", "12:00"),  # the seed's 2024-01-01 is in the past
    )
    body.update(changes)
    return body


def test_the_seeds_lookup_body_with_its_blank_email_is_a_400_on_email(api, order):
    response = api.post(LOOKUP, SEED_LOOKUP_BODY)
    assert (response.status_code, set(response.get_json())) == (400, {"email"})


def test_the_seeds_lookup_body_with_the_orders_email_finds_the_order(api, order):
    response = api.post(LOOKUP, {**SEED_LOOKUP_BODY, "email": "guest@example.com"})
    assert response.status_code == 200
    assert response.get_json()["results"][0]["number"] == "111111111111"


def test_the_seeds_cancellation_body_gets_a_200_shaped_like_the_seeds_example(
    api, order, reason, company
):
    response = api.cancel(single_body(order, reason, company))
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert set(data) >= SEED_REQUEST_KEYS
    assert set(data["easy_return"]) >= SEED_EASY_RETURN_KEYS
    assert data["status"] == {"value": "open", "label": "Open"}
    assert data["easy_return"]["status"] == {"value": "active", "label": "Active"}
    assert data["easy_return"]["shipping_company"] == {
        "value": company.slug,
        "label": "Extension Cargo",
    }
    assert data["easy_return"]["pickup_date"] == pickup(1, "09:00", "12:00")
    assert (data["quantity"], data["order_item"], data["reason"]) == (
        2,
        order.items[0].id,
        reason.id,
    )
    assert (data["iban"], data["holder_name"]) == ("TR330006100519786457841326", "John Doe")
    assert (data["description"], data["fully_refund_as_loyalty_money"]) == (
        "Test description",
        True,
    )
    assert data["cancellation_type"] == "refund"


def test_the_seeds_406_example_is_answered_when_the_pickup_address_is_missing(
    api, order, reason, company
):
    body = single_body(order, reason, company)
    del body["pickup_address"]
    response = api.cancel(body)
    assert (response.status_code, response.get_json()) == (406, PICKUP_ADDRESS_REQUIRED)


def test_the_seeds_400_example_is_answered_when_the_quantity_is_too_large(
    api, order, reason, company
):
    response = api.cancel(single_body(order, reason, company, quantity=4))
    assert (response.status_code, response.get_json()) == (400, {"quantity": QUANTITY_TOO_LARGE})


def test_the_seeds_bulk_body_gets_a_201_list_of_requests(api, order, reason, company):
    body = copy.deepcopy(SEED_BULK_BODY)
    body["cancel_order_items"][0].update(
        reason=reason.id,
        pickup_address=order.shipping_address_id,
        order_item=order.items[0].id,
        shipping_company=company.id,
        pickup_date=pickup(1, "09:00", "12:00"),  # the seed's 2024-01-01 is in the past
    )
    response = api.bulk(body)
    assert response.status_code == 201, response.get_json()
    (created,) = response.get_json()
    assert set(created) >= SEED_BULK_RESULT_KEYS
    assert (created["description"], created["quantity"]) == ("test", 3)
    assert set(created["easy_return"]) >= SEED_EASY_RETURN_KEYS


def test_the_seeds_bulk_example_request_gets_the_seeds_201_answer(api, order, build):
    refund_reason = build.reason("refund")
    body = copy.deepcopy(SEED_BULK_EXAMPLE_REQUEST)
    body["cancel_order_items"][0].update(order_item=order.items[0].id, reason=refund_reason.id)
    response = api.bulk(body)
    assert response.status_code == 201
    (created,) = response.get_json()
    assert set(created) >= SEED_BULK_RESULT_KEYS
    assert {key: created[key] for key in ("cancellation_type", "status", "easy_return")} == {
        "cancellation_type": "refund",
        "status": {"value": "open", "label": "Open"},
        "easy_return": None,
    }
    assert (created["description"], created["iban"], created["holder_name"]) == (None,) * 3
    assert (created["reason"], created["order_item"]) == (refund_reason.id, order.items[0].id)
