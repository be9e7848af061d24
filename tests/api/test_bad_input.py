"""Rule 14 over HTTP: bad input is a clear 4xx in JSON, never a 500, and writes nothing."""

from __future__ import annotations

import io
import json

import pytest

from tests.services.support import request_count

from .paths import BULK, LOOKUP, POST_PATHS, SINGLE

LONG = "x" * 10_000


@pytest.fixture()
def body(prove, delivered, reason, company) -> dict:
    """A valid refund of the delivered item (proven), to be spoiled one field at a time."""
    prove(delivered)
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


def post_raw(api, path, data: bytes | str, content_type="application/json"):
    return api.client.post(path, data=data, headers=api.headers({"Content-Type": content_type}))


def assert_clear_refusal(response, status=400):
    assert response.status_code == status, response.data[:300]
    assert response.mimetype == "application/json"
    assert isinstance(response.get_json(), dict)


@pytest.mark.parametrize("path", POST_PATHS)
@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"\xff\xfe\xfd",
        b"",
        b"[" * 20_000 + b"]" * 20_000,
    ],
    ids=["malformed", "not-utf8", "empty", "deeply-nested"],
)
def test_a_body_that_is_not_json_is_a_400(api, body, path, raw):
    response = post_raw(api, path, raw)
    assert_clear_refusal(response)
    assert set(response.get_json()) == {"non_field_errors"}
    assert request_count() == 0


@pytest.mark.parametrize("path", POST_PATHS)
def test_json_that_is_not_an_object_is_a_400(api, body, path):
    for value in ([], [{"order_item": 1}], "text", 42, None, True):
        response = post_raw(api, path, json.dumps(value))
        assert_clear_refusal(response)
        assert set(response.get_json()) == {"non_field_errors"}, value


@pytest.mark.parametrize("path", POST_PATHS)
def test_an_object_sent_as_plain_text_is_a_400(api, body, path):
    assert_clear_refusal(post_raw(api, path, json.dumps(body), content_type="text/plain"))
    assert request_count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("order_item", "twelve"),
        ("order_item", [1]),
        ("order_item", True),
        ("reason", [1]),
        ("reason", {"id": 1}),
        ("quantity", {"n": 1}),
        ("quantity", True),
        ("quantity", 2.5),
        ("cancellation_type", ["refund"]),
        ("description", {"text": "x"}),
        ("pickup_date", "tomorrow"),
        ("fully_refund_as_loyalty_money", "perhaps"),
    ],
)
def test_a_value_of_the_wrong_type_is_a_400_on_its_field(api, body, field, value):
    response = api.cancel({**body, field: value})
    assert_clear_refusal(response)
    assert field in response.get_json()
    assert request_count() == 0


@pytest.mark.parametrize("field", ["reason", "shipping_company", "pickup_address", "quantity"])
@pytest.mark.parametrize("value", [987_654, 2**40, 10**30])
def test_an_unknown_or_huge_id_is_a_400_on_its_field(api, body, field, value):
    spoiled = {**body, field: value}
    if field == "pickup_address":
        spoiled["pickup_date"] = {
            "date": "2099-01-01",
            "hour_range": {"start": "09:00", "end": "10:00"},
        }
    response = api.cancel(spoiled)
    assert_clear_refusal(response)
    assert field in response.get_json()
    assert request_count() == 0


@pytest.mark.parametrize("item_id", [2**31, 2**40, 10**30, -(10**30)])
def test_a_huge_order_item_id_is_the_uniform_miss(api, body, miss, item_id):
    response = api.cancel({**body, "order_item": item_id})
    assert (response.status_code, response.data) == (404, miss)


@pytest.mark.parametrize("field", ["description", "holder_name", "iban"])
def test_a_ten_thousand_character_string_is_a_400_on_its_field(api, body, field):
    response = api.cancel({**body, field: LONG})
    assert_clear_refusal(response)
    assert field in response.get_json()
    assert request_count() == 0


@pytest.mark.parametrize("field", ["description", "holder_name", "iban"])
def test_a_long_string_in_a_bulk_entry_is_a_400_on_that_entry(api, body, field):
    response = api.bulk({"cancel_order_items": [{**body, field: LONG}]})
    assert_clear_refusal(response)
    assert field in response.get_json()["cancel_order_items"][0]
    assert request_count() == 0


@pytest.mark.parametrize("field", ["email", "order"])
def test_a_ten_thousand_character_lookup_value_is_a_400_on_its_field(api, delivered, field):
    lookup = {"email": delivered.user.email, "order": delivered.number, field: LONG}
    response = api.post(LOOKUP, lookup)
    assert_clear_refusal(response)
    assert set(response.get_json()) == {field}


@pytest.mark.parametrize("field", ["email", "order"])
def test_a_ten_thousand_character_proof_in_a_cancellation_is_the_uniform_miss(
    api, body, delivered, miss, field
):
    proof = {"email": delivered.user.email, "order": delivered.number, field: LONG}
    response = api.cancel({**body, **proof})
    assert (response.status_code, response.data) == (404, miss)
    assert request_count() == 0


@pytest.mark.parametrize("text", ["nul \u0000 byte", "lone \ud800 surrogate"])
@pytest.mark.parametrize("field", ["description", "holder_name"])
def test_text_no_database_can_store_is_a_400_on_its_field(api, body, field, text):
    raw = json.dumps({**body, field: text})  # json.dumps escapes both as \\u sequences
    response = post_raw(api, SINGLE, raw)
    assert_clear_refusal(response)
    assert field in response.get_json()
    assert request_count() == 0


@pytest.mark.parametrize("text", ["1000\u00000001", "1000\udfff0001"])
def test_an_order_number_no_database_can_store_is_a_400_on_order(api, delivered, text):
    raw = json.dumps({"email": delivered.user.email, "order": text})
    response = post_raw(api, LOOKUP, raw)
    assert_clear_refusal(response)
    assert set(response.get_json()) == {"order"}


@pytest.mark.parametrize("path", POST_PATHS)
def test_a_ten_megabyte_body_is_a_413_in_json(api, body, path):
    huge = json.dumps({**body, "description": "x" * (10 * 1024 * 1024)})
    response = post_raw(api, path, huge)
    assert_clear_refusal(response, 413)
    assert request_count() == 0


def test_a_bulk_with_wrong_types_in_several_entries_reports_each(api, body):
    entries = [{**body, "quantity": "many"}, {**body, "reason": [1]}]
    response = api.post(BULK, {"cancel_order_items": entries})
    assert_clear_refusal(response)
    errors = response.get_json()["cancel_order_items"]
    assert ("quantity" in errors[0], "reason" in errors[1]) == (True, True)


@pytest.mark.parametrize("field", ["description", "holder_name"])
def test_invisible_reordering_characters_are_removed_from_free_text(api, body, field):
    typed = "John\u202e eoD\u200f\u2066 Smith\u2069\u200b\ufeff"
    response = api.cancel({**body, field: typed})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()[field] == "John eoD Smith"


def test_joiners_that_scripts_need_are_kept(api, body):
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # Persian: I want
    response = api.cancel({**body, "description": persian})
    assert response.get_json()["description"] == persian


@pytest.mark.parametrize("path", POST_PATHS)
def test_a_chunked_body_over_64_kb_is_a_413_in_json(api, body, path):
    huge = json.dumps({**body, "description": "x" * 70_000}).encode()
    response = api.client.post(
        path,
        input_stream=io.BytesIO(huge),
        headers=api.headers({"Content-Type": "application/json", "Transfer-Encoding": "chunked"}),
        environ_overrides={"wsgi.input_terminated": True},  # as gunicorn sets for chunked bodies
    )
    assert_clear_refusal(response, 413)


def test_a_small_chunked_body_is_read_whole(api, delivered, prove):
    raw = json.dumps({"email": delivered.user.email, "order": delivered.number}).encode()
    response = api.client.post(
        LOOKUP,
        input_stream=io.BytesIO(raw),
        headers=api.headers({"Content-Type": "application/json", "Transfer-Encoding": "chunked"}),
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 200
