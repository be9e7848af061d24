"""One guessing budget for every way of proving an order, hosts and origins, HSTS, forgetting
on the server, logs without client addresses, private database files, pruning."""

from __future__ import annotations

import json
import logging
import stat
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select, text

from webapp.clock import utcnow
from webapp.database import engine_options
from webapp.extensions import db, limiter
from webapp.logs import AccessJsonFormatter
from webapp.models import AccessLink, AuditEntry, ForgottenProof, IdempotencyRecord, OutboxMessage
from webapp.services.retention import prune_records

from ..conftest import ApiClient
from ..views.pages import Shopper, form_values, soup

LOOKUP = "/users/orders/anonymous/"
SINGLE = "/users/orders/anonymous/cancellation_requests/"
BULK = "/users/orders/anonymous/bulk_cancellation_requests/"


@pytest.fixture()
def limited_app(make_app):
    app = make_app(RATELIMIT_ENABLED=True)
    limiter.reset()
    return app


# --- one guessing budget ----------------------------------------------------------------------


def page_lookup(client, email: str, number: str):
    form = soup(client.get("/")).select_one("#lookup-form")
    return client.post("/", data={**form_values(form), "email": email, "order": number})


def test_every_way_of_proving_an_order_draws_on_one_budget_of_ten_a_minute(limited_app, build):
    order = build.order(email="a@example.com", number="720000000001")
    client = limited_app.test_client()
    api = ApiClient(client)
    wrong = {"email": "a@example.com", "order": "729999999999"}
    statuses = [api.lookup("a@example.com", f"72999999999{n}").status_code for n in range(3)]
    statuses += [
        page_lookup(client, "a@example.com", f"72888888888{n}").status_code for n in range(3)
    ]
    statuses.append(api.cancel({**wrong, "order_item": order.items[0].id}).status_code)
    statuses.append(api.bulk({**wrong, "order_items": []}).status_code)
    # a right proof without an item: it proves the order all the same
    statuses.append(api.cancel({"email": "a@example.com", "order": "720000000001"}).status_code)
    statuses.append(api.lookup("a@example.com", "720000000001").status_code)
    assert statuses.count(429) == 0 and len(statuses) == 10
    refused = [
        api.lookup("a@example.com", "720000000001"),
        page_lookup(client, "a@example.com", "720000000001"),
        api.cancel({"email": "a@example.com", "order": "720000000001"}),
        api.bulk({"email": "a@example.com", "order": "720000000001", "order_items": []}),
    ]
    assert [reply.status_code for reply in refused] == [429] * 4
    assert all(int(reply.headers["Retry-After"]) > 0 for reply in refused)


def test_requests_of_a_proven_session_do_not_draw_on_the_budget(limited_app, build, reason):
    order = build.order(email="a@example.com", number="720000000002", items=[(450, 20)])
    api = ApiClient(limited_app.test_client())
    assert api.lookup("a@example.com", "720000000002").status_code == 200
    body = {"order_item": order.items[0].id, "reason": reason.id, "cancellation_type": "cancel"}
    statuses = [api.cancel({**body, "quantity": 1}).status_code for _ in range(12)]
    assert 429 not in statuses


def test_the_page_429_says_when_to_try_again_and_offers_the_emailed_link(limited_app):
    client = limited_app.test_client()
    for n in range(10):
        page_lookup(client, "a@example.com", f"73000000000{n}")
    blocked = page_lookup(client, "a@example.com", "730000000010")
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["Retry-After"]) <= 60
    assert soup(blocked).select_one("#lookup-blocked a[href='/access/']") is not None


# --- hosts, origins, HSTS ---------------------------------------------------------------------


def test_a_host_outside_the_trusted_hosts_is_answered_400(make_app):
    app = make_app(TRUSTED_HOSTS=["shop.test"])
    client = app.test_client()
    assert client.get("/", headers={"Host": "shop.test"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    refused = client.get("/csrf_token/", headers={"Host": "evil.example"})
    assert refused.status_code == 400
    assert "evil.example" not in refused.get_data(as_text=True)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/page"},
        {"Origin": "https://shop.test.evil.example"},
    ],
)
def test_a_post_from_another_site_is_refused(api, build, headers):
    build.order(email="a@example.com", number="720000000003")
    response = api.post(LOOKUP, {"email": "a@example.com", "order": "720000000003"}, headers)
    assert response.status_code == 403
    assert "non_field_errors" in response.get_json()


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "http://shop.test"}, {"Referer": "http://shop.test/"}, {}],
)
def test_a_post_from_the_site_itself_or_a_client_without_origin_passes(api, build, headers):
    build.order(email="a@example.com", number="720000000004")
    response = api.post(LOOKUP, {"email": "a@example.com", "order": "720000000004"}, headers)
    assert response.status_code == 200


def test_origins_are_checked_against_the_trusted_hosts(make_app, build):
    app = make_app(TRUSTED_HOSTS=["shop.test", "www.shop.test"])
    build.order(email="a@example.com", number="720000000005")
    api = ApiClient(app.test_client())
    body = {"email": "a@example.com", "order": "720000000005"}
    assert api.post(LOOKUP, body, {"Origin": "https://www.shop.test"}).status_code == 200
    assert api.post(LOOKUP, body, {"Origin": "https://other.test"}).status_code == 403


def test_hsts_is_sent_over_https_only(client):
    secure = client.get("/", base_url="https://shop.test")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Strict-Transport-Security" not in client.get("/").headers


# --- forgetting on the server -----------------------------------------------------------------


def test_a_copy_of_the_cookie_made_before_forget_proves_the_order_no_more(client, build):
    order = build.order(email="a@example.com", number="720000000006")
    shopper = Shopper(client)
    assert shopper.lookup("a@example.com", "720000000006").status_code == 303
    copy = client.get_cookie("session", domain="shop.test").value
    page = shopper.order_page(order.id)
    forgot = shopper.submit(page, f"form[action='/orders/{order.id}/forget/']")
    assert forgot.status_code == 303
    assert client.get(f"/orders/{order.id}/").status_code != 200
    client.set_cookie("session", copy, domain="shop.test")
    assert client.get(f"/orders/{order.id}/").status_code != 200
    assert db.session.scalar(select(func.count()).select_from(ForgottenProof)) == 1


# --- logs -------------------------------------------------------------------------------------


def test_no_log_line_names_the_client_address_when_a_limit_is_hit(limited_app, caplog):
    caplog.set_level(logging.INFO)
    client = limited_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    replies = [page_lookup(client, "a@example.com", f"7400000000{n:02d}") for n in range(11)]
    assert replies[-1].status_code == 429
    assert not [record for record in caplog.records if "203.0.113.7" in record.getMessage()]


def test_an_access_line_is_one_json_object_whatever_the_path_carries():
    atoms = {"m": "GET", "U": '/x\n{"forged": 1}\r\n"', "s": "404", "B": 10, "M": 3,
             "a": 'agent "quoted"\n', "h": "203.0.113.7"}  # fmt: skip
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "%(h)s", (atoms,), None)
    line = AccessJsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["path"] == atoms["U"]
    assert "203.0.113.7" not in line


# --- files and retention ----------------------------------------------------------------------


def test_the_sqlite_database_and_its_wal_files_are_readable_by_the_owner_only(tmp_path):
    path = tmp_path / "db" / "shop.sqlite3"
    url = f"sqlite:///{path}"
    engine = create_engine(url, **engine_options(url))
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
        files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
        modes = {file.name: stat.S_IMODE(file.stat().st_mode) for file in files}
    engine.dispose()
    assert modes == {file.name: 0o600 for file in files}


def test_an_existing_database_readable_by_all_is_made_private(tmp_path):
    path = tmp_path / "old.sqlite3"
    path.touch(mode=0o644)
    path.chmod(0o644)
    engine_options(f"sqlite:///{path}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_prune_removes_only_what_is_past_its_time(app, build):
    order = build.order(email="a@example.com", number="720000000007")
    now = utcnow()
    old, recent = now - timedelta(days=91), now - timedelta(days=1)
    db.session.add_all([
        AuditEntry(created_date=old, action="single", outcome="created", http_status=200),
        AuditEntry(created_date=recent, action="single", outcome="created", http_status=200),
        OutboxMessage(created_date=old, kind="k", payload="{}", status="sent"),
        OutboxMessage(created_date=old, kind="k", payload="{}", status="pending"),
        OutboxMessage(created_date=recent, kind="k", payload="{}", status="sent"),
        IdempotencyRecord(scope="s", key="old", request_hash="h", status_code=200,
                          response_body="{}", created_date=now - timedelta(hours=25)),
        IdempotencyRecord(scope="s", key="new", request_hash="h", status_code=200,
                          response_body="{}", created_date=now - timedelta(hours=23)),
        AccessLink(order_id=order.id, salt="a", language="en", created_date=old,
                   expires_at=now - timedelta(minutes=1)),
        AccessLink(order_id=order.id, salt="b", language="en", created_date=now,
                   expires_at=now + timedelta(minutes=10)),
        ForgottenProof(session_id="s", order_id=order.id, created_date=now - timedelta(hours=2)),
        ForgottenProof(session_id="s", order_id=order.id, created_date=now),
    ])  # fmt: skip
    db.session.commit()
    counts = prune_records(timedelta(days=90), timedelta(minutes=30))
    assert counts == {"audit_entries": 1, "mail_outbox": 1, "idempotency_records": 1,
                      "access_links": 1, "forgotten_proofs": 1}  # fmt: skip
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2


def test_the_prune_command_reports_what_it_deleted(app):
    result = app.test_cli_runner().invoke(args=["prune"])
    assert result.exit_code == 0, result.output
    assert "audit_entries: 0 deleted" in result.output
