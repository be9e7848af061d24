"""Rule 13 over HTTP: the full IBAN only in the creating answer; no client address."""

from __future__ import annotations

import pytest

from tests.services.support import IBAN

MASKED = "*" * 22 + "1326"


@pytest.fixture()
def transfer(build, prove):
    order = build.order(
        items=[(550, 2), (550, 1)], payment_type="funds_transfer", delivered_days_ago=1
    )
    prove(order)
    return order


def refund(item, reason, **fields) -> dict:
    return {
        "order_item": item.id,
        "reason": reason.id,
        "cancellation_type": "refund",
        "iban": "TR33 0006 1005 1978 6457 8413 26",
        "holder_name": "John Doe",
        **fields,
    }


def test_the_creating_answer_carries_the_full_iban(api, transfer, reason):
    assert api.cancel(refund(transfer.items[0], reason)).get_json()["iban"] == IBAN


def test_a_bulk_answer_carries_the_full_iban(api, transfer, reason):
    response = api.bulk({"cancel_order_items": [refund(transfer.items[0], reason)]})
    assert response.get_json()[0]["iban"] == IBAN


def test_a_later_lookup_masks_the_iban_in_the_item_data(api, transfer, reason):
    api.cancel(refund(transfer.items[0], reason, quantity=1))
    response = api.lookup(transfer.user.email, transfer.number)
    item = response.get_json()["results"][0]["orderitem_set"][0]
    assert item["active_cancellation_request"]["iban"] == MASKED
    assert [r["iban"] for r in item["cancellationrequest_set"]] == [MASKED]
    assert IBAN.encode() not in response.data
    assert b"0006" not in response.data


def test_a_masked_iban_shows_at_most_its_last_four_characters(api, transfer, reason):
    api.cancel(refund(transfer.items[0], reason))
    lookup = api.lookup(transfer.user.email, transfer.number).get_json()
    masked = lookup["results"][0]["orderitem_set"][0]["active_cancellation_request"]["iban"]
    assert sum(char != "*" for char in masked) <= 4


def test_the_remote_addr_is_always_empty(api, transfer):
    response = api.post(
        "/users/orders/anonymous/",
        {"email": transfer.user.email, "order": transfer.number},
        headers={"X-Forwarded-For": "203.0.113.9"},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    assert response.get_json()["results"][0]["remote_addr"] == ""
    assert b"198.51.100.7" not in response.data and b"203.0.113.9" not in response.data


def test_a_lookup_carries_no_other_orders_data(api, build, transfer, reason):
    other = build.order(email=transfer.user.email, items=[(450, 7)])
    response = api.lookup(transfer.user.email, transfer.number)
    assert other.number.encode() not in response.data
    assert [i["id"] for i in response.get_json()["results"][0]["orderitem_set"]] == [
        item.id for item in transfer.items
    ]
