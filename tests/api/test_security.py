"""Rate limits, session cookie, security headers, proxies, body size and idempotency."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from flask.sessions import SecureCookieSessionInterface

from webapp.extensions import db, limiter
from webapp.models import IdempotencyRecord
from webapp.security import CONTENT_SECURITY_POLICY

from ..conftest import ApiClient

LOOKUP = "/users/orders/anonymous/"
SINGLE = "/users/orders/anonymous/cancellation_requests/"


def app_with_limits(make_app, **overrides):
    limited = make_app(RATELIMIT_ENABLED=True, **overrides)
    limiter.reset()
    return limited


@pytest.fixture()
def limited_app(make_app):
    """The test app with rate limits on, as in production (in-memory storage)."""
    return app_with_limits(make_app)


def test_an_ip_gets_429_with_retry_after_after_ten_lookups_a_minute(limited_app, build):
    build.order(email="a@example.com", number="700000000001")
    api = ApiClient(limited_app.test_client())
    statuses = [api.lookup("a@example.com", f"7{n:011d}").status_code for n in range(10, 20)]
    assert set(statuses) == {404}
    blocked = api.lookup("a@example.com", "700000000001")
    assert blocked.status_code == 429
    assert blocked.get_json()["error_code"] == "rate_limited"
    assert 0 < int(blocked.headers["Retry-After"]) <= 60


def test_another_ip_is_not_limited_by_the_first_ones_lookups(limited_app, build):
    build.order(email="a@example.com", number="700000000001")
    api = ApiClient(limited_app.test_client())
    for n in range(10):
        api.lookup("a@example.com", f"7{n:011d}")
    other = limited_app.test_client()
    token = other.get("/csrf_token/").get_json()["csrf_token"]
    response = other.post(LOOKUP, json={"email": "a@example.com", "order": "700000000001"},
                          headers={"X-CSRFToken": token},
                          environ_base={"REMOTE_ADDR": "10.9.8.7"})  # fmt: skip
    assert response.status_code == 200


def test_five_failed_lookups_block_that_order_number_for_everyone(limited_app, build):
    build.order(email="owner@example.com", number="700000000002")
    guesser = ApiClient(limited_app.test_client())
    for _ in range(5):
        assert guesser.lookup("guess@example.com", "700000000002").status_code == 404
    owner = limited_app.test_client()
    token = owner.get("/csrf_token/").get_json()["csrf_token"]
    response = owner.post(LOOKUP, json={"email": "owner@example.com", "order": "700000000002"},
                          headers={"X-CSRFToken": token},
                          environ_base={"REMOTE_ADDR": "10.1.1.1"})  # fmt: skip
    assert response.status_code == 429
    assert response.get_json()["error_code"] == "rate_limited"
    assert 800 < int(response.headers["Retry-After"]) <= 901


def test_the_lookup_page_answers_429_with_a_page(limited_app):
    client = limited_app.test_client()
    for _ in range(11):
        page = client.get("/")
        token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
        response = client.post("/", data={"csrf_token": token.split('"')[0],
                                          "email": "a@example.com", "order": "1"})  # fmt: skip
    assert response.status_code == 429
    assert response.mimetype == "text/html"
    assert "Retry-After" in response.headers


def test_the_limits_come_from_the_configuration(make_app):
    app = app_with_limits(make_app, LOOKUP_RATE_LIMIT="2/minute")
    api = ApiClient(app.test_client())
    statuses = [api.lookup("a@example.com", f"{n}").status_code for n in range(3)]
    assert statuses == [404, 404, 429]


def lookups_from_forwarded_addresses(app, count: int) -> list[int]:
    api = ApiClient(app.test_client())
    return [
        api.post(LOOKUP, {"email": "a@example.com", "order": str(n)},
                 headers={"X-Forwarded-For": f"10.0.0.{n}"}).status_code
        for n in range(count)
    ]  # fmt: skip


def test_x_forwarded_for_is_ignored_without_trusted_proxies(limited_app):
    assert lookups_from_forwarded_addresses(limited_app, 11)[-1] == 429


def test_x_forwarded_for_is_the_client_behind_one_trusted_proxy(make_app):
    statuses = lookups_from_forwarded_addresses(app_with_limits(make_app, TRUSTED_PROXIES=1), 11)
    assert 429 not in statuses


def test_every_response_carries_the_security_headers(client):
    for path in ("/", "/csrf_token/", "/users/orders/cancellation_reasons/", "/nowhere"):
        headers = client.get(path).headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_the_session_cookie_is_httponly_and_samesite_lax(api, build):
    build.order(email="a@example.com", number="700000000003")
    response = api.lookup("a@example.com", "700000000003")
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_a_lookup_renews_the_csrf_token_and_its_cookie(api, build):
    build.order(email="a@example.com", number="700000000004")
    before = api.token
    response = api.lookup("a@example.com", "700000000004")
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("csrftoken=")]
    renewed = cookie.split(";")[0].removeprefix("csrftoken=")
    assert renewed != before
    stale = api.client.post(
        "/users/orders/anonymous/", json={"email": "a@example.com", "order": "700000000004"},
        headers={"X-CSRFToken": before},
    )  # fmt: skip
    assert stale.status_code == 403
    assert api.lookup("a@example.com", "700000000004").status_code == 200  # with the new one


def test_the_session_cookie_is_secure_when_configured(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    response = app.test_client().get("/csrf_token/")
    assert "Secure" in response.headers["Set-Cookie"]


def test_the_session_remembers_at_most_ten_orders(api, build):
    orders = [build.order(email=f"g{n}@example.com", number=f"71000000000{n}") for n in range(10)]
    orders.append(build.order(email="last@example.com", number="720000000000"))
    for order in orders:
        assert api.lookup(order.user.email, order.number).status_code == 200
    with api.client.session_transaction() as session:
        remembered = {int(key) for key in session["orders"]}
    assert len(remembered) == 10
    assert orders[0].id not in remembered and orders[-1].id in remembered


def test_a_full_session_cookie_is_compressed_and_readable_by_flasks_own_serializer(api, build):
    for n in range(10):
        build.order(email=f"z{n}@example.com", number=f"74000000000{n}")
        assert api.lookup(f"z{n}@example.com", f"74000000000{n}").status_code == 200
    cookie = api.client.get_cookie("session", domain="shop.test").value
    assert cookie.startswith(".")  # zlib-compressed payload
    app = api.client.application
    standard = SecureCookieSessionInterface().get_signing_serializer(app)
    assert len(standard.loads(cookie)["orders"]) == 10
    assert standard.loads(cookie) == app.session_interface.get_signing_serializer(app).loads(cookie)


def test_a_cookie_signed_by_flasks_own_session_serializer_is_accepted(api, build):
    order = build.order(email="a@example.com", number="740000000100")
    app = api.client.application
    standard = SecureCookieSessionInterface().get_signing_serializer(app)
    payload = {"orders": {str(order.id): time.time()}, "sid": "a" * 32, "csrf_token": "x" * 40}
    api.client.set_cookie("session", standard.dumps(payload), domain="shop.test")
    assert api.client.get(f"/orders/{order.id}/").status_code == 200


def test_a_looked_up_order_is_forgotten_after_thirty_minutes(api, build, monkeypatch):
    order = build.order(email="a@example.com", number="700000000004")
    api.lookup("a@example.com", "700000000004")
    with api.client.session_transaction() as session:
        session["orders"] = {str(order.id): session["orders"][str(order.id)] - 31 * 60}
    body = {"order_item": order.items[0].id, "reason": 1, "cancellation_type": "cancel"}
    assert api.cancel(body).status_code == 404


def test_a_body_over_64_kb_gets_413_json(api):
    response = api.post(LOOKUP, {"email": "a@example.com", "order": "x" * 70_000})
    assert response.status_code == 413
    assert "non_field_errors" in response.get_json()


def idempotent_body(build):
    order = build.order(email="a@example.com", number="700000000005", items=[(450, 3)])
    reason = build.reason("cancel")
    return {"email": "a@example.com", "order": "700000000005", "order_item": order.items[0].id,
            "reason": reason.id, "cancellation_type": "cancel", "quantity": 1}  # fmt: skip


def test_an_idempotency_key_replays_the_first_response(api, build):
    body = idempotent_body(build)
    first = api.cancel(body, headers={"Idempotency-Key": "k-1"})
    again = api.cancel(body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 200
    assert json.loads(first.data) == json.loads(again.data)
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_reused_idempotency_key_with_another_body_gets_422(api, build):
    body = idempotent_body(build)
    api.cancel(body, headers={"Idempotency-Key": "k-2"})
    response = api.cancel({**body, "quantity": 2}, headers={"Idempotency-Key": "k-2"})
    assert response.status_code == 422
    assert response.get_json()["error_code"] == "idempotency_key_reused"


def test_the_same_idempotency_key_in_another_session_is_a_new_request(app, build):
    body = idempotent_body(build)
    first = ApiClient(app.test_client()).cancel(body, headers={"Idempotency-Key": "k-3"})
    other = ApiClient(app.test_client()).cancel(body, headers={"Idempotency-Key": "k-3"})
    assert first.status_code == 200
    assert other.status_code == 400
    assert other.get_json()["error_code"] == "cancellation_request_100_1"


def test_an_idempotent_bulk_request_is_created_once(api, build):
    body = idempotent_body(build)
    bulk = {"email": body.pop("email"), "order": body.pop("order"), "cancel_order_items": [body]}
    path = "/users/orders/anonymous/bulk_cancellation_requests/"
    first = api.post(path, bulk, headers={"Idempotency-Key": "k-4"})
    again = api.post(path, bulk, headers={"Idempotency-Key": "k-4"})
    assert first.status_code == again.status_code == 201
    assert first.get_json() == again.get_json()


def test_an_idempotency_record_keeps_no_iban_nor_holder_name(api, build):
    order = build.order(email="a@example.com", number="700000000006", items=[(450, 1)],
                        payment_type="funds_transfer")  # fmt: skip
    reason = build.reason("cancel")
    body = {"email": "a@example.com", "order": "700000000006", "order_item": order.items[0].id,
            "reason": reason.id, "cancellation_type": "cancel",
            "iban": "TR330006100519786457841326", "holder_name": "Ada Secret"}  # fmt: skip
    first = api.cancel(body, headers={"Idempotency-Key": "k-7"})
    assert first.status_code == 200, first.get_json()
    again = api.cancel(body, headers={"Idempotency-Key": "k-7"})
    assert again.get_json() == first.get_json()
    [stored] = db.session.scalars(db.select(IdempotencyRecord.response_body)).all()
    assert "TR33" not in stored and "Secret" not in stored


def test_a_replay_answers_only_while_the_order_is_still_proven(api, build):
    body = idempotent_body(build)
    proof = {"email": body.pop("email"), "order": body.pop("order")}
    assert api.lookup(proof["email"], proof["order"]).status_code == 200
    first = api.cancel(body, headers={"Idempotency-Key": "k-8"})
    assert first.status_code == 200
    with api.client.session_transaction() as session:
        session["orders"] = {}  # the order forgotten in this session
    again = api.cancel(body, headers={"Idempotency-Key": "k-8"})
    assert again.status_code == 404
    assert again.get_json()["error_code"] == "anonymous_order_100_1"


def test_idempotency_keys_expire_after_a_day(api, build):
    body = idempotent_body(build)
    api.cancel(body, headers={"Idempotency-Key": "k-5"})
    record = db.session.scalars(db.select(IdempotencyRecord)).one()
    record.created_date -= timedelta(hours=25)
    db.session.commit()
    other_key = api.cancel({**body, "quantity": 2}, headers={"Idempotency-Key": "k-6"})
    assert other_key.status_code == 400  # the item has an active request: a real new attempt
    assert db.session.scalars(db.select(IdempotencyRecord.key)).all() == ["k-6"]
    again = api.cancel({**body, "quantity": 2}, headers={"Idempotency-Key": "k-5"})
    assert "Idempotent-Replayed" not in again.headers


def test_pages_vary_by_language_and_cookie_once_each(client):
    response = client.get("/")
    tokens = [token.strip().lower() for token in response.headers["Vary"].split(",")]
    assert sorted(tokens) == sorted(set(tokens))
    assert {"cookie", "accept-language"} <= set(tokens)
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_carry_the_security_headers_but_may_be_cached(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers.get("Cache-Control") != "no-store"
    response.close()
