"""Rules 1 and 2: only guest orders are found, by email (any case, trimmed) and exact number."""

from __future__ import annotations

import pytest

from webapp.errors import OrderNotFound, ValidationFailed
from webapp.services.orders import lookup_order, view_proven_order

from .support import refusal

NUMBER = "111111111111"


@pytest.fixture()
def order(build):
    return build.order(email="Ada.Yilmaz@Example.com", number=NUMBER)


def test_a_guest_order_is_found_by_its_email_and_number(order):
    assert lookup_order({"email": "Ada.Yilmaz@Example.com", "order": NUMBER}).order.id == order.id


@pytest.mark.parametrize(
    "email",
    [
        "ada.yilmaz@example.com",
        "ADA.YILMAZ@EXAMPLE.COM",
        "  Ada.Yilmaz@Example.com\t",
        " aDa.yIlmaz@example.COM ",
    ],
)
def test_the_email_matches_case_insensitively_after_trimming(order, email):
    assert lookup_order({"email": email, "order": NUMBER}).order.id == order.id


def test_the_number_key_is_accepted_instead_of_order(order):
    assert lookup_order({"email": "ada.yilmaz@example.com", "number": NUMBER}).order.id == order.id


def test_an_order_number_sent_as_a_json_integer_is_found(order):
    found = lookup_order({"email": "ada.yilmaz@example.com", "order": int(NUMBER)})
    assert found.order.id == order.id


@pytest.mark.parametrize("number", [NUMBER[:-1], NUMBER + "1", "211111111111"])
def test_the_order_number_must_match_exactly(order, number):
    error = refusal(lookup_order, {"email": "ada.yilmaz@example.com", "order": number})
    assert isinstance(error, OrderNotFound)


def test_a_number_with_letters_is_matched_case_sensitively(build):
    build.order(email="ada@example.com", number="ABC123")
    error = refusal(lookup_order, {"email": "ada@example.com", "order": "abc123"})
    assert error.status == 404


def test_a_miss_is_a_404_with_the_uniform_error_code(order):
    error = refusal(lookup_order, {"email": "ada.yilmaz@example.com", "order": "999999999999"})
    assert error.status == 404
    assert error.body["error_code"] == "anonymous_order_100_1"
    assert set(error.body) == {"non_field_errors", "error_code"}


def test_an_unknown_number_a_wrong_email_and_a_registered_users_order_give_the_same_miss(build):
    build.order(email="guest@example.com", number="100000000001")
    build.order(email="member@example.com", number="100000000002", user_type="registered")
    misses = [
        refusal(lookup_order, {"email": "guest@example.com", "order": "100000000009"}),
        refusal(lookup_order, {"email": "other@example.com", "order": "100000000001"}),
        refusal(lookup_order, {"email": "member@example.com", "order": "100000000002"}),
    ]
    assert [(miss.status, miss.body) for miss in misses] == [(404, misses[0].body)] * 3


def test_a_registered_users_order_is_never_found(build):
    build.order(email="member@example.com", number=NUMBER, user_type="registered")
    error = refusal(lookup_order, {"email": "member@example.com", "order": NUMBER})
    assert isinstance(error, OrderNotFound)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"order": NUMBER}, "email"),
        ({"email": "", "order": NUMBER}, "email"),
        ({"email": "ada.yilmaz@example.com"}, "order"),
        ({"email": "ada.yilmaz@example.com", "order": ""}, "order"),
        ({"email": "not an email", "order": NUMBER}, "email"),
        ({"email": ["ada.yilmaz@example.com"], "order": NUMBER}, "email"),
        ({"email": "ada.yilmaz@example.com", "order": {"number": NUMBER}}, "order"),
        ({"email": "ada.yilmaz@example.com", "order": 1.5}, "order"),
        ({"email": "a" * 10_000 + "@example.com", "order": NUMBER}, "email"),
        ({"email": "ada.yilmaz@example.com", "order": "1" * 10_000}, "order"),
    ],
)
def test_a_malformed_lookup_body_is_a_400_on_the_field(order, body, field):
    error = refusal(lookup_order, body)
    assert isinstance(error, ValidationFailed)
    assert error.status == 400
    assert field in error.body


def test_an_order_proven_in_the_session_is_loaded(order):
    assert view_proven_order(order.id, {order.id}).number == NUMBER


def test_an_order_not_proven_in_the_session_is_the_uniform_miss(order, build):
    other = build.order(email="other@example.com")
    error = refusal(view_proven_order, order.id, {other.id})
    assert isinstance(error, OrderNotFound)


def test_a_registered_users_order_is_not_shown_even_when_the_session_names_it(build):
    member = build.order(email="member@example.com", user_type="registered")
    assert refusal(view_proven_order, member.id, {member.id}).status == 404
