"""Rule 12: a bulk is 1 to 100 entries, all or nothing, errors listed in request order."""

from __future__ import annotations

import pytest

from webapp.services.cancellations import create_bulk_cancellation_requests

from .support import PICKUP_ADDRESS_REQUIRED, create_bulk, pickup, refusal, request_count

ACTIVE = "cancellation_request_100_1"


@pytest.fixture()
def order(build):
    return build.order(items=[(450, 2), (450, 1), (550, 3)], delivered_days_ago=1)


def entry(item, reason, kind="cancel", **fields) -> dict:
    return {"order_item": item.id, "reason": reason.id, "cancellation_type": kind, **fields}


def test_every_entry_is_created_in_request_order(order, reason):
    created = create_bulk(
        order,
        [
            entry(order.items[2], reason, "refund", quantity=2),
            entry(order.items[0], reason),
            entry(order.items[1], reason),
        ],
    )
    assert [(r.order_item_id, r.cancellation_type, r.quantity) for r in created] == [
        (order.items[2].id, "refund", 2),
        (order.items[0].id, "cancel", 2),
        (order.items[1].id, "cancel", 1),
    ]
    assert request_count() == 3


def test_the_same_item_twice_gives_the_second_entry_a_100_1(order, reason):
    error = refusal(
        create_bulk,
        order,
        [
            entry(order.items[0], reason, quantity=1),
            entry(order.items[0], reason, quantity=1),
        ],
    )
    assert error.status == 400
    first, second = error.body["cancel_order_items"]
    assert first == {}
    assert second["error_code"] == ACTIVE
    assert request_count() == 0


def test_an_item_with_an_active_request_fails_only_its_entry(build, order, reason):
    build.request(order.items[1], status="open")
    error = refusal(
        create_bulk, order, [entry(order.items[0], reason), entry(order.items[1], reason)]
    )
    assert [e.get("error_code") for e in error.body["cancel_order_items"]] == [None, ACTIVE]
    assert request_count() == 1


def test_one_failing_entry_writes_nothing_and_lists_errors_in_request_order(order, reason):
    error = refusal(
        create_bulk,
        order,
        [
            entry(order.items[0], reason),
            entry(order.items[1], reason, quantity=5),
            entry(order.items[2], reason, "cancel"),
        ],
    )
    assert error.status == 400
    assert set(error.body) == {"cancel_order_items"}
    good, too_many, wrong_status = error.body["cancel_order_items"]
    assert good == {}
    assert set(too_many) == {"quantity"}
    assert wrong_status["error_code"] == "cancellation_request_100_2"
    assert request_count() == 0


def test_an_entry_with_a_malformed_order_item_fails_on_that_field(order, reason):
    error = refusal(
        create_bulk,
        order,
        [
            entry(order.items[0], reason),
            {"order_item": "one", "reason": reason.id},
            {"reason": reason.id, "cancellation_type": "cancel"},
        ],
    )
    good, malformed, missing = error.body["cancel_order_items"]
    assert (good, set(malformed), set(missing)) == ({}, {"order_item"}, {"order_item"})
    assert request_count() == 0


@pytest.mark.parametrize(
    "entries",
    [
        [],
        None,
        "items",
        {"order_item": 1},
        [1, 2],
        [[]],
        [None],
    ],
)
def test_anything_but_a_list_of_objects_is_a_400_on_cancel_order_items(order, entries):
    error = refusal(create_bulk, order, entries)
    assert (error.status, set(error.body)) == (400, {"cancel_order_items"})
    assert isinstance(error.body["cancel_order_items"], str)


def test_a_missing_cancel_order_items_is_a_400_on_it(order):
    error = refusal(create_bulk_cancellation_requests, {}, {order.id})
    assert (error.status, set(error.body)) == (400, {"cancel_order_items"})


def test_more_than_a_hundred_entries_are_a_400_on_cancel_order_items(build, reason):
    order = build.order(items=[(450, 1)] * 101)
    error = refusal(create_bulk, order, [entry(item, reason) for item in order.items])
    assert (error.status, set(error.body)) == (400, {"cancel_order_items"})
    assert request_count() == 0


def test_a_hundred_entries_are_accepted(build, reason):
    order = build.order(items=[(450, 1)] * 100)
    assert len(create_bulk(order, [entry(item, reason) for item in order.items])) == 100


def test_a_bulk_that_is_not_an_object_is_a_400(order):
    error = refusal(create_bulk_cancellation_requests, [{"order_item": 1}], {order.id})
    assert error.status == 400


def test_a_pickup_without_address_in_every_failing_entry_is_a_406(order, reason, company):
    refund = entry(
        order.items[2], reason, "refund", shipping_company=company.id, pickup_date=pickup()
    )
    error = refusal(create_bulk, order, [entry(order.items[0], reason), refund])
    assert error.status == 406
    assert error.body == {"cancel_order_items": [{}, PICKUP_ADDRESS_REQUIRED]}


def test_a_406_entry_beside_an_entry_with_another_error_is_a_400(order, reason, company):
    refund = entry(
        order.items[2], reason, "refund", shipping_company=company.id, pickup_date=pickup()
    )
    error = refusal(create_bulk, order, [entry(order.items[0], reason, quantity=9), refund])
    assert error.status == 400
    assert error.body["cancel_order_items"][1] == PICKUP_ADDRESS_REQUIRED


def test_a_successful_bulk_creates_easy_returns_for_its_refunds(order, reason, company):
    created = create_bulk(
        order,
        [
            entry(order.items[2], reason, "refund", shipping_company=company.id),
            entry(order.items[0], reason),
        ],
    )
    assert created[0].easy_return is not None
    assert created[1].easy_return is None
