"""Rule 3 over HTTP: proof by an earlier lookup in the session, or by email and number."""

from __future__ import annotations

import pytest
from flask import g

from tests.conftest import ApiClient
from tests.services.support import request_count


def cancel_body(item, reason, **extra) -> dict:
    return {"order_item": item.id, "reason": reason.id, "cancellation_type": "cancel", **extra}


def test_an_order_looked_up_in_the_session_can_be_acted_on(api, prove, preparing, reason):
    prove(preparing)
    assert api.cancel(cancel_body(preparing.items[0], reason)).status_code == 200


def test_without_a_lookup_an_item_is_the_uniform_miss(api, preparing, reason, miss):
    response = api.cancel(cancel_body(preparing.items[0], reason))
    assert (response.status_code, response.data) == (404, miss)
    assert request_count() == 0


def test_a_failed_lookup_proves_nothing(api, preparing, reason, miss):
    api.lookup("wrong@example.com", preparing.number)
    response = api.cancel(cancel_body(preparing.items[0], reason))
    assert (response.status_code, response.data) == (404, miss)


def test_another_clients_lookup_proves_nothing_here(app, prove, preparing, reason, miss):
    prove(preparing)
    g.pop("csrf_token", None)  # the test's app context (and g) outlives requests: a fresh token
    stranger = ApiClient(app.test_client())
    response = stranger.cancel(cancel_body(preparing.items[0], reason))
    assert (response.status_code, response.data) == (404, miss)


@pytest.mark.parametrize("key", ["order", "number"])
def test_email_and_number_in_the_body_prove_the_order(api, preparing, reason, key):
    body = cancel_body(preparing.items[0], reason, email="GUEST@example.com ")
    body[key] = preparing.number
    assert api.cancel(body).status_code == 200


def test_a_body_proof_is_not_remembered_in_the_session(api, preparing, reason, miss):
    body = cancel_body(preparing.items[0], reason, quantity=1)
    assert (
        api.cancel({**body, "email": "guest@example.com", "order": preparing.number}).status_code
        == 200
    )
    response = api.cancel(cancel_body(preparing.items[0], reason, quantity=1))
    assert (response.status_code, response.data) == (404, miss)


@pytest.mark.parametrize(
    "proof",
    [
        {"email": "wrong@example.com", "order": "100000000001"},
        {"email": "guest@example.com", "order": "100000000999"},
        {"email": "guest@example.com"},
        {"number": "100000000001"},
    ],
)
def test_a_wrong_body_proof_is_the_uniform_miss_even_when_the_session_holds_the_order(
    api, prove, preparing, reason, miss, proof
):
    prove(preparing)
    response = api.cancel({**cancel_body(preparing.items[0], reason), **proof})
    assert (response.status_code, response.data) == (404, miss)
    assert request_count() == 0


def test_an_unknown_item_id_is_the_same_404_as_a_lookup_miss(api, prove, preparing, reason, miss):
    prove(preparing)
    body = {"order_item": 987_654, "reason": reason.id, "cancellation_type": "cancel"}
    response = api.cancel(body)
    assert (response.status_code, response.data) == (404, miss)


def test_another_orders_item_is_the_same_404_as_a_lookup_miss(
    api, prove, build, preparing, reason, miss
):
    other = build.order(email="other@example.com")
    prove(preparing)
    response = api.cancel(cancel_body(other.items[0], reason))
    assert (response.status_code, response.data) == (404, miss)


def test_a_bulk_is_proven_by_email_and_number_at_the_top_level(api, preparing, reason):
    body = {
        "email": "guest@example.com",
        "order": preparing.number,
        "cancel_order_items": [cancel_body(preparing.items[0], reason)],
    }
    assert api.bulk(body).status_code == 201


def test_a_wrong_top_level_bulk_proof_is_the_uniform_miss(api, prove, preparing, reason, miss):
    prove(preparing)
    body = {
        "email": "guest@example.com",
        "order": "999",
        "cancel_order_items": [cancel_body(preparing.items[0], reason)],
    }
    response = api.bulk(body)
    assert (response.status_code, response.data) == (404, miss)


@pytest.mark.parametrize("bad_item", ["unknown", "other order"])
def test_one_bad_item_makes_the_whole_bulk_the_uniform_miss(
    api, prove, build, preparing, reason, miss, bad_item
):
    other = build.order(email="other@example.com")
    prove(preparing)
    bad = 987_654 if bad_item == "unknown" else other.items[0].id
    entries = [
        cancel_body(preparing.items[0], reason),
        {"order_item": bad, "reason": reason.id, "cancellation_type": "cancel"},
    ]
    response = api.bulk({"cancel_order_items": entries})
    assert (response.status_code, response.data) == (404, miss)
    assert request_count() == 0


def test_a_registered_users_order_can_not_be_proven_by_the_body(api, build, reason, miss):
    member = build.order(email="member@example.com", number="200000000001", user_type="registered")
    body = cancel_body(member.items[0], reason, email="member@example.com", order=member.number)
    response = api.cancel(body)
    assert (response.status_code, response.data) == (404, miss)
