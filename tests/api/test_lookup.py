"""Rules 1 and 2 over HTTP: the documented lookup answer, and one uniform miss."""

from __future__ import annotations

import json
import re

import pytest

from .paths import LOOKUP

# Every key of the seed's "Example Response (200 OK)" order, in the seed's order.
SEED_ORDER_KEYS = [
    "id",
    "status",
    "currency",
    "orderitem_set",
    "discountitem_set",
    "is_cancelled",
    "is_cancellable",
    "is_refundable",
    "shipping_address",
    "billing_address",
    "shipping_company",
    "client_type",
    "payment_option",
    "amount_without_discount",
    "is_payable",
    "tracking_url",
    "bank",
    "loyaltytransaction_set",
    "created_date",
    "modified_date",
    "number",
    "amount",
    "discount_amount",
    "shipping_amount",
    "shipping_tax_rate",
    "refund_amount",
    "discount_refund_amount",
    "shipping_refund_amount",
    "invoice_number",
    "invoice_date",
    "e_archive_url",
    "tracking_number",
    "defined_tracking_url",
    "remote_addr",
    "has_gift_box",
    "gift_box_note",
    "language_code",
    "notes",
    "delivery_range",
    "extra_field",
    "user_email",
    "shipping_option_slug",
    "payment_option_slug",
    "bin_number",
    "installment_count",
    "installment_interest_amount",
    "shipping_tracking_url",
    "user",
    "basket",
    "shipping_option",
    "card",
    "installment",
    "segment",
    "checkout_provider",
]
ORDER_MONEY_KEYS = [
    "amount_without_discount",
    "amount",
    "discount_amount",
    "shipping_amount",
    "refund_amount",
    "discount_refund_amount",
    "shipping_refund_amount",
    "installment_interest_amount",
]
ITEM_KEYS = [
    "id",
    "product",
    "status",
    "quantity",
    "price",
    "is_cancellable",
    "is_refundable",
    "remaining_quantity",
    "active_cancellation_request",
    "available_easy_return_shipping_companies",
]
MONEY = re.compile(r"^-?\d+\.\d{2}$")
UTC_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


@pytest.fixture()
def order(build):
    return build.order(email="Ada.Yilmaz@Example.com", number="111111111111", items=[(450, 2)])


def found(response) -> dict:
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"][0]


def test_a_lookup_answers_with_the_documented_envelope(api, order):
    response = api.lookup("ada.yilmaz@example.com", "111111111111")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    assert [result["id"] for result in body["results"]] == [order.id]


def test_the_order_carries_every_key_of_the_seeds_example(api, order):
    data = found(api.lookup("ada.yilmaz@example.com", "111111111111"))
    assert set(SEED_ORDER_KEYS) <= set(data)


def test_order_money_is_a_string_with_two_decimals(api, order):
    data = found(api.lookup("ada.yilmaz@example.com", "111111111111"))
    for key in ORDER_MONEY_KEYS:
        assert isinstance(data[key], str) and MONEY.match(data[key]), (key, data[key])
    assert (data["amount"], data["amount_without_discount"]) == ("21.00", "21.00")


def test_item_prices_are_strings_with_two_decimals(api, order):
    item = found(api.lookup("ada.yilmaz@example.com", "111111111111"))["orderitem_set"][0]
    assert item["price"] == "10.50"


def test_times_are_iso_8601_utc_ending_in_z(api, order):
    data = found(api.lookup("ada.yilmaz@example.com", "111111111111"))
    for key in ("created_date", "modified_date"):
        assert UTC_TIME.match(data[key]), (key, data[key])


def test_statuses_are_value_and_label_pairs(api, order):
    data = found(api.lookup("ada.yilmaz@example.com", "111111111111"))
    assert data["status"] == {"value": "450", "label": "Preparing"}
    assert data["orderitem_set"][0]["status"] == {"value": "450", "label": "Preparing"}


def test_order_items_carry_the_documented_keys(api, order):
    item = found(api.lookup("ada.yilmaz@example.com", "111111111111"))["orderitem_set"][0]
    assert set(ITEM_KEYS) <= set(item)
    assert set(item["product"]) >= {"name", "sku"}


@pytest.mark.parametrize(
    "email",
    [
        "ada.yilmaz@example.com",
        "ADA.YILMAZ@EXAMPLE.COM",
        "  Ada.Yilmaz@Example.com  ",
        "\tada.yilmaz@EXAMPLE.com\n",
    ],
)
def test_the_email_matches_case_insensitively_after_trimming(api, order, email):
    assert found(api.lookup(email, "111111111111"))["id"] == order.id


def test_the_number_key_is_accepted_instead_of_order(api, order):
    response = api.post(LOOKUP, {"email": "ada.yilmaz@example.com", "number": "111111111111"})
    assert found(response)["id"] == order.id


def test_an_unknown_number_a_wrong_email_and_a_registered_users_order_give_identical_misses(
    api, build, order
):
    build.order(email="member@example.com", number="222222222222", user_type="registered")
    responses = [
        api.lookup("ada.yilmaz@example.com", "999999999999"),
        api.lookup("someone.else@example.com", "111111111111"),
        api.lookup("member@example.com", "222222222222"),
    ]
    assert {(r.status_code, r.data) for r in responses} == {(404, responses[0].data)}
    assert responses[0].get_json()["error_code"] == "anonymous_order_100_1"
    assert set(responses[0].get_json()) == {"non_field_errors", "error_code"}


@pytest.mark.parametrize("language", ["en", "tr", "de", "ar"])
def test_the_miss_error_code_does_not_change_with_the_language(api, order, language):
    response = api.post(
        LOOKUP,
        {"email": "ada.yilmaz@example.com", "order": "999999999999"},
        headers={"Accept-Language": language},
    )
    assert (response.status_code, response.get_json()["error_code"]) == (
        404,
        "anonymous_order_100_1",
    )


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"email", "order"}),
        ({"order": "111111111111"}, {"email"}),
        ({"email": "ada.yilmaz@example.com"}, {"order"}),
        ({"email": "nonsense", "order": "111111111111"}, {"email"}),
    ],
)
def test_a_malformed_lookup_body_is_a_400_with_field_errors(api, order, body, fields):
    response = api.post(LOOKUP, body)
    assert (response.status_code, set(response.get_json())) == (400, fields)


def test_a_lookup_shows_only_the_asked_order(api, build, order):
    build.order(email="Ada.Yilmaz@Example.com", number="333333333333", items=[(450, 5)])
    data = found(api.lookup("ada.yilmaz@example.com", "111111111111"))
    assert [item["id"] for item in data["orderitem_set"]] == [order.items[0].id]


def test_a_malformed_email_with_a_malformed_number_reports_both_fields(api, order):
    response = api.post(LOOKUP, {"email": "nonsense", "order": ["111111111111"]})
    assert (response.status_code, set(response.get_json())) == (400, {"email", "order"})


def test_an_email_equal_to_the_one_the_order_was_placed_with_finds_it(api, build):
    # imports accept any address with an "@"; the shopper types it as it was stored
    order = build.order(email="ada@localhost", number="444444444444")
    data = found(api.lookup("ada@localhost", "444444444444"))
    assert data["id"] == order.id
    assert api.lookup("ada@localhost", "444444444445").status_code == 400


def test_the_order_keeps_the_key_order_of_the_seeds_example(api, order):
    raw = api.lookup("ada.yilmaz@example.com", "111111111111").get_data(as_text=True)
    keys = list(json.loads(raw)["results"][0])
    documented = [key for key in SEED_ORDER_KEYS if key in keys]
    assert [key for key in keys if key in SEED_ORDER_KEYS] == documented


def test_the_api_finds_an_order_number_typed_with_hash_spaces_or_dashes(api, preparing):
    for number in ("#100000000001", "1000 0000 0001", "1000-0000-0001"):
        response = api.lookup(" GUEST@example.com ", number)
        assert response.status_code == 200, number
        assert response.get_json()["results"][0]["number"] == "100000000001"


def test_a_miss_with_separators_is_the_same_uniform_miss(api, preparing, miss):
    response = api.lookup("guest@example.com", "#9999 9999-9999")
    assert (response.status_code, response.data) == (404, miss)
