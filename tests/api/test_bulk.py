"""Rule 12 over HTTP: ``POST .../bulk_cancellation_requests/``, all or nothing."""

from __future__ import annotations

import pytest

from tests.services.support import PICKUP_ADDRESS_REQUIRED, pickup, request_count


@pytest.fixture()
def order(build, prove):
    order = build.order(items=[(450, 2), (450, 1), (550, 1)], delivered_days_ago=1)
    prove(order)
    return order


def entry(item, reason, kind="cancel", **fields) -> dict:
    return {"order_item": item.id, "reason": reason.id, "cancellation_type": kind, **fields}


def test_a_bulk_is_a_201_with_the_created_requests_in_request_order(api, order, reason):
    response = api.bulk(
        {"cancel_order_items": [entry(order.items[1], reason), entry(order.items[0], reason)]}
    )
    assert response.status_code == 201
    created = response.get_json()
    assert isinstance(created, list)
    assert [(r["order_item"], r["quantity"]) for r in created] == [
        (order.items[1].id, 1),
        (order.items[0].id, 2),
    ]
    assert request_count() == 2


def test_one_failing_entry_writes_nothing_and_lists_errors_in_order(api, order, reason):
    response = api.bulk(
        {
            "cancel_order_items": [
                entry(order.items[0], reason),
                entry(order.items[1], reason, quantity=2),
                entry(order.items[2], reason),
            ]
        }
    )
    assert response.status_code == 400
    errors = response.get_json()["cancel_order_items"]
    assert errors[0] == {}
    assert set(errors[1]) == {"quantity"}
    assert errors[2]["error_code"] == "cancellation_request_100_2"
    assert request_count() == 0


def test_the_same_item_twice_gives_the_second_entry_a_100_1(api, order, reason):
    response = api.bulk(
        {
            "cancel_order_items": [
                entry(order.items[0], reason, quantity=1),
                entry(order.items[0], reason, quantity=1),
            ]
        }
    )
    assert response.status_code == 400
    first, second = response.get_json()["cancel_order_items"]
    assert (first, second["error_code"]) == ({}, "cancellation_request_100_1")
    assert request_count() == 0


@pytest.mark.parametrize("count", [0, 101])
def test_fewer_than_one_or_more_than_a_hundred_entries_are_a_400(api, order, reason, count):
    entries = [entry(order.items[0], reason, quantity=1)] * count
    response = api.bulk({"cancel_order_items": entries})
    assert response.status_code == 400
    assert set(response.get_json()) == {"cancel_order_items"}
    assert isinstance(response.get_json()["cancel_order_items"], str)


@pytest.mark.parametrize("value", [None, "all", {"order_item": 1}, [1, 2]])
def test_cancel_order_items_that_is_not_a_list_of_objects_is_a_400(api, order, value):
    response = api.bulk({"cancel_order_items": value})
    assert (response.status_code, set(response.get_json())) == (400, {"cancel_order_items"})


def test_every_failing_entry_missing_only_its_pickup_address_is_a_406(api, order, reason, company):
    refund = entry(
        order.items[2], reason, "refund", shipping_company=company.id, pickup_date=pickup()
    )
    response = api.bulk({"cancel_order_items": [entry(order.items[0], reason), refund]})
    assert response.status_code == 406
    assert response.get_json() == {"cancel_order_items": [{}, PICKUP_ADDRESS_REQUIRED]}


def test_a_406_entry_beside_another_error_is_a_400(api, order, reason, company):
    refund = entry(
        order.items[2], reason, "refund", shipping_company=company.id, pickup_date=pickup()
    )
    response = api.bulk({"cancel_order_items": [entry(order.items[0], reason, quantity=5), refund]})
    assert response.status_code == 400
    assert response.get_json()["cancel_order_items"][1] == PICKUP_ADDRESS_REQUIRED
