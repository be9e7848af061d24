"""Every POST takes JSON, form-encoded and multipart bodies, as the platform does: the same
values give the same answers; nested fields need JSON."""

from __future__ import annotations

import pytest

from tests.services.support import request_count

from .paths import BULK, LOOKUP, SINGLE

ENCODINGS = ["json", "form", "multipart"]


def send(api, path: str, body: dict, encoding: str):
    """POST ``body`` in one encoding; a form sends each value as text, as browsers do."""
    if encoding == "json":
        return api.post(path, body)
    fields = {key: str(value).lower() if isinstance(value, bool) else str(value)
              for key, value in body.items()}  # fmt: skip
    content_type = "multipart/form-data" if encoding == "multipart" else None
    response = api.client.post(path, data=fields, headers=api.headers(),
                               content_type=content_type)  # fmt: skip
    api.follow_csrf_cookie()
    return response


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_lookup_answers_the_same_in_every_encoding(api, delivered, encoding):
    expected = api.lookup(delivered.user.email, delivered.number).get_json()
    response = send(api, LOOKUP, {"email": delivered.user.email, "number": delivered.number},
                    encoding)  # fmt: skip
    assert response.status_code == 200
    assert response.get_json() == expected


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_lookup_miss_is_the_same_uniform_404_in_every_encoding(api, miss, encoding):
    response = send(api, LOOKUP, {"email": "nobody@example.com", "order": "000000000000"},
                    encoding)  # fmt: skip
    assert response.status_code == 404
    assert response.data == miss


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_field_errors_are_the_same_in_every_encoding(api, encoding):
    response = send(api, LOOKUP, {"email": "not-an-email"}, encoding)
    assert response.status_code == 400
    assert response.get_json() == api.post(LOOKUP, {"email": "not-an-email"}).get_json()


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_cancellation_is_created_the_same_in_every_encoding(api, prove, build, reason, encoding):
    order = build.order(email="form@example.com", number="760000000001", items=[(450, 3)])
    prove(order)
    body = {"order_item": order.items[0].id, "reason": reason.id, "cancellation_type": "cancel",
            "quantity": 2, "description": "Bought twice",
            "fully_refund_as_loyalty_money": True}  # fmt: skip
    response = send(api, SINGLE, body, encoding)
    assert response.status_code == 200, response.get_json()
    created = response.get_json()
    assert (created["order_item"], created["quantity"], created["description"]) == (
        order.items[0].id, 2, "Bought twice")  # fmt: skip
    assert created["fully_refund_as_loyalty_money"] is True
    assert request_count() == 1


@pytest.mark.parametrize("encoding", ["form", "multipart"])
def test_a_pickup_date_in_a_form_body_is_a_400_on_that_field(api, prove, delivered, reason,
                                                             company, encoding):  # fmt: skip
    prove(delivered)
    body = {"order_item": delivered.items[0].id, "reason": reason.id,
            "cancellation_type": "refund", "shipping_company": company.id,
            "pickup_date": "2030-01-01"}  # fmt: skip
    response = send(api, SINGLE, body, encoding)
    assert response.status_code == 400
    assert set(response.get_json()) == {"pickup_date"}
    assert request_count() == 0


@pytest.mark.parametrize("encoding", ["form", "multipart"])
def test_a_bulk_in_a_form_body_is_a_400_on_its_items(api, prove, preparing, encoding):
    prove(preparing)
    response = send(api, BULK, {"cancel_order_items[0]order_item": preparing.items[0].id},
                    encoding)  # fmt: skip
    assert response.status_code == 400
    assert set(response.get_json()) == {"cancel_order_items"}
    assert request_count() == 0


@pytest.mark.parametrize("path", [LOOKUP, SINGLE, BULK])
def test_a_post_path_without_its_trailing_slash_answers_as_with_it(api, delivered, path):
    body = {"email": delivered.user.email, "order": delivered.number}
    with_slash = api.post(path, body)
    without = api.post(path.rstrip("/"), body)
    assert without.status_code == with_slash.status_code
    assert without.get_json() == with_slash.get_json()


def test_a_body_in_another_encoding_is_a_400_saying_what_is_taken(api, delivered):
    response = api.client.post(LOOKUP, data="email=a", headers=api.headers(),
                               content_type="text/plain")  # fmt: skip
    assert response.status_code == 400
    assert "non_field_errors" in response.get_json()
