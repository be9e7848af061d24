"""Rule 14: bad input is a 4xx with field errors (never a crash) and writes nothing."""

from __future__ import annotations

import pytest

from webapp.errors import DomainError
from webapp.services.cancellations import (
    create_bulk_cancellation_requests,
    create_cancellation_request,
)
from webapp.services.orders import lookup_order

from .support import create, easy_return_count, refusal, request_count

LONG = "x" * 10_000


@pytest.fixture()
def body(delivered, reason, company):
    """A valid refund body for the delivered item, to be spoiled one field at a time."""
    return {
        "order_item": delivered.items[0].id,
        "reason": reason.id,
        "cancellation_type": "refund",
        "quantity": 1,
        "description": "Too small",
        "shipping_company": company.id,
        "iban": "TR330006100519786457841326",
        "holder_name": "John Doe",
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("order_item", "twelve"),
        ("order_item", [1]),
        ("order_item", {"id": 1}),
        ("order_item", True),
        ("order_item", 1.5),
        ("order_item", "9" * 40),
        ("reason", [1]),
        ("reason", {"id": 1}),
        ("reason", False),
        ("reason", 10**30),
        ("quantity", {"n": 1}),
        ("quantity", True),
        ("quantity", [1]),
        ("quantity", 1.5),
        ("quantity", "two"),
        ("cancellation_type", ["refund"]),
        ("cancellation_type", {"type": "refund"}),
        ("description", 42),
        ("description", ["x"]),
        ("description", LONG),
        ("holder_name", 42),
        ("holder_name", LONG),
        ("iban", 42),
        ("iban", LONG),
        ("shipping_company", 10**30),
        ("shipping_company", {"id": 1}),
        ("pickup_address", 10**30),
        ("pickup_address", [1]),
        ("fully_refund_as_loyalty_money", "perhaps"),
    ],
)
def test_a_wrong_type_or_overlong_value_is_a_400_on_its_field(delivered, body, field, value):
    error = refusal(create, delivered, **{**body, field: value})
    assert error.status == 400
    assert field in error.body
    assert (request_count(), easy_return_count()) == (0, 0)


@pytest.mark.parametrize("item_id", [2**31, 2**40, 10**30, -(10**30), 2**63])
def test_a_huge_order_item_id_is_the_uniform_miss(delivered, body, item_id):
    error = refusal(create, delivered, **{**body, "order_item": item_id})
    assert (error.status, error.body["error_code"]) == (404, "anonymous_order_100_1")


@pytest.mark.parametrize("data", [None, [], "text", 42, ["order_item"]])
def test_a_body_that_is_not_an_object_is_a_400(delivered, data):
    for call in (create_cancellation_request, create_bulk_cancellation_requests):
        error = refusal(call, data, {delivered.id})
        assert error.status == 400
    assert request_count() == 0


@pytest.mark.parametrize("field", ["email", "order"])
def test_an_overlong_proof_in_a_cancellation_body_is_the_uniform_miss(delivered, body, field):
    proof = {"email": "guest@example.com", "order": delivered.number, field: LONG}
    error = refusal(create_cancellation_request, {**body, **proof}, {delivered.id})
    assert error.status == 404
    assert request_count() == 0


@pytest.mark.parametrize("data", [{"email": 5, "order": 5.5}, {"email": LONG, "order": LONG}])
def test_a_lookup_with_wrong_types_is_a_400_on_both_fields(delivered, data):
    error = refusal(lookup_order, data)
    assert (error.status, set(error.body)) == (400, {"email", "order"})


def test_every_refusal_is_a_domain_error_with_a_json_body(delivered, body):
    error = refusal(create, delivered, **{**body, "reason": "x", "quantity": "y"})
    assert isinstance(error, DomainError)
    assert all(isinstance(message, str) for message in error.body.values())


@pytest.mark.parametrize("text", ["nul \x00 byte", "lone \ud800 surrogate"])
@pytest.mark.parametrize("field", ["description", "holder_name", "iban"])
def test_text_no_database_can_store_is_a_400_on_its_field(delivered, body, field, text):
    error = refusal(create, delivered, **{**body, field: text})
    assert (error.status, field in error.body) == (400, True)
    assert request_count() == 0


@pytest.mark.parametrize("number", ["1000\x000001", "1000\udfff0001"])
def test_an_order_number_no_database_can_store_is_a_400_on_order(delivered, number):
    error = refusal(lookup_order, {"email": "guest@example.com", "order": number})
    assert (error.status, set(error.body)) == (400, {"order"})
