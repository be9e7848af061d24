"""Every POST needs the CSRF token in ``X-CSRFToken``; without it, a 403 in JSON."""

from __future__ import annotations

import pytest

from tests.services.support import request_count

from .paths import CSRF, POST_PATHS, SINGLE


@pytest.fixture()
def body(preparing, reason) -> dict:
    """A body every endpoint would accept, proven by email and number."""
    entry = {
        "order_item": preparing.items[0].id,
        "reason": reason.id,
        "cancellation_type": "cancel",
    }
    return {"email": "guest@example.com", "order": preparing.number, **entry,
            "cancel_order_items": [entry]}  # fmt: skip


@pytest.mark.parametrize("path", POST_PATHS)
def test_a_post_without_the_token_is_a_403_in_json_with_an_error_code(client, body, path):
    client.get(CSRF)
    response = client.post(path, json=body)
    assert response.status_code == 403
    assert response.mimetype == "application/json"
    assert response.get_json()["error_code"] == "csrf_failed"
    assert request_count() == 0


@pytest.mark.parametrize("path", POST_PATHS)
def test_a_post_with_a_wrong_token_is_a_403(api, body, path):
    response = api.client.post(path, json=body, headers={"X-CSRFToken": api.token[:-4] + "AAAA"})
    assert (response.status_code, response.get_json()["error_code"]) == (403, "csrf_failed")


def test_a_token_from_another_session_is_refused(app, body):
    token = app.test_client().get(CSRF).get_json()["csrf_token"]
    response = app.test_client().post(SINGLE, json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 403


def test_the_token_endpoint_answers_the_token_and_sets_the_cookie(client):
    response = client.get(CSRF)
    token = response.get_json()["csrf_token"]
    assert token
    cookies = response.headers.getlist("Set-Cookie")
    assert any(cookie.startswith(f"csrftoken={token};") for cookie in cookies), cookies


def test_with_the_token_the_same_post_is_accepted(api, body):
    assert api.cancel(body).status_code == 200
    assert request_count() == 1
