"""Rule 3: a cancellation is accepted only for items of an order the caller has proven."""

from __future__ import annotations

import pytest

from webapp.errors import OrderNotFound
from webapp.services.cancellations import (
    create_bulk_cancellation_requests,
    create_cancellation_request,
)
from webapp.services.orders import lookup_order

from .support import refusal, request_count

EMAIL = "guest@example.com"


@pytest.fixture()
def order(build):
    return build.order(email=EMAIL, number="100000000001", items=[(450, 2), (450, 1)])


@pytest.fixture()
def other(build):
    return build.order(email="other@example.com", number="100000000002")


def entry(item, reason) -> dict:
    return {"order_item": item.id, "reason": reason.id, "cancellation_type": "cancel"}


def uniform_miss() -> OrderNotFound:
    return refusal(lookup_order, {"email": "nobody@example.com", "order": "000000000000"})


def test_an_item_of_an_order_proven_in_the_session_is_accepted(order, reason):
    created = create_cancellation_request(entry(order.items[0], reason), {order.id}).requests[0]
    assert created.order_item_id == order.items[0].id


def test_an_item_of_an_unproven_order_is_the_uniform_miss(order, other, reason):
    error = refusal(create_cancellation_request, entry(order.items[0], reason), {other.id})
    assert (error.status, error.body) == (404, uniform_miss().body)
    assert request_count() == 0


def test_without_any_proof_an_item_is_the_uniform_miss(order, reason):
    error = refusal(create_cancellation_request, entry(order.items[0], reason), set())
    assert (error.status, error.body) == (404, uniform_miss().body)


@pytest.mark.parametrize("key", ["order", "number"])
def test_email_and_number_in_the_body_prove_the_order(order, reason, key):
    body = {**entry(order.items[0], reason), "email": " GUEST@example.com ", key: order.number}
    created = create_cancellation_request(body, set()).requests[0]
    assert created.order_item_id == order.items[0].id


@pytest.mark.parametrize(
    "proof",
    [
        {"email": "wrong@example.com", "order": "100000000001"},
        {"email": EMAIL, "order": "100000000002"},
        {"email": EMAIL},
        {"order": "100000000001"},
        {"email": "not-an-email", "order": "100000000001"},
        {"email": EMAIL, "order": ["100000000001"]},
    ],
)
def test_a_wrong_proof_in_the_body_is_the_uniform_miss_even_when_the_session_holds_the_order(
    order, reason, proof
):
    error = refusal(
        create_cancellation_request, {**entry(order.items[0], reason), **proof}, {order.id}
    )
    assert (error.status, error.body) == (404, uniform_miss().body)
    assert request_count() == 0


def test_a_body_proof_of_another_order_does_not_prove_this_one(order, other, reason):
    body = {**entry(order.items[0], reason), "email": "other@example.com", "order": other.number}
    error = refusal(create_cancellation_request, body, {order.id})
    assert error.status == 404


@pytest.mark.parametrize("item_id", [999_999, 0, -1, 2**31, 2**40, 2**63, 10**30])
def test_an_unknown_item_id_is_the_uniform_miss(order, reason, item_id):
    body = {"order_item": item_id, "reason": reason.id, "cancellation_type": "cancel"}
    error = refusal(create_cancellation_request, body, {order.id})
    assert (error.status, error.body) == (404, uniform_miss().body)


def test_another_orders_item_is_the_uniform_miss(order, other, reason):
    error = refusal(create_cancellation_request, entry(other.items[0], reason), {order.id})
    assert (error.status, error.body) == (404, uniform_miss().body)


def test_a_registered_users_item_is_the_uniform_miss_even_if_the_session_names_its_order(
    build, reason
):
    member = build.order(email="member@example.com", user_type="registered")
    error = refusal(create_cancellation_request, entry(member.items[0], reason), {member.id})
    assert (error.status, error.body) == (404, uniform_miss().body)


def test_a_bulk_proof_at_the_top_level_proves_the_order(order, reason):
    body = {
        "email": EMAIL,
        "order": order.number,
        "cancel_order_items": [entry(order.items[0], reason), entry(order.items[1], reason)],
    }
    assert len(create_bulk_cancellation_requests(body, set()).requests) == 2


def test_a_wrong_bulk_proof_is_the_uniform_miss_even_when_the_session_holds_the_order(
    order, reason
):
    body = {
        "email": "wrong@example.com",
        "order": order.number,
        "cancel_order_items": [entry(order.items[0], reason)],
    }
    error = refusal(create_bulk_cancellation_requests, body, {order.id})
    assert (error.status, error.body) == (404, uniform_miss().body)


def test_one_item_of_another_order_makes_the_whole_bulk_the_uniform_miss(order, other, reason):
    body = {"cancel_order_items": [entry(order.items[0], reason), entry(other.items[0], reason)]}
    error = refusal(create_bulk_cancellation_requests, body, {order.id})
    assert (error.status, error.body) == (404, uniform_miss().body)
    assert request_count() == 0


def test_one_unknown_item_makes_the_whole_bulk_the_uniform_miss(order, reason):
    unknown = {"order_item": 999_999, "reason": reason.id, "cancellation_type": "cancel"}
    body = {"cancel_order_items": [entry(order.items[0], reason), unknown]}
    error = refusal(create_bulk_cancellation_requests, body, {order.id})
    assert (error.status, error.body) == (404, uniform_miss().body)
    assert request_count() == 0


def test_a_bulk_may_cover_items_of_several_orders_the_session_has_proven(order, other, reason):
    body = {"cancel_order_items": [entry(order.items[0], reason), entry(other.items[0], reason)]}
    assert len(create_bulk_cancellation_requests(body, {order.id, other.id}).requests) == 2
