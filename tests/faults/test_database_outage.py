"""The database away, stuck or refusing writes: every page and API call answers 503 with
``Retry-After`` (JSON with an ``error_code`` on the API, a translated page on the site), never
500; nothing is half written; service resumes by itself."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time

import psycopg
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event

from webapp.extensions import db

from ..conftest import ApiClient
from .conftest import EMAIL, NUMBER, fault_app, libpq, seed

LOOKUP = "/users/orders/anonymous/"
SINGLE = "/users/orders/anonymous/cancellation_requests/"
UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/nothing"


def assert_api_503(response):
    assert response.status_code == 503, response.data[:300]
    assert response.get_json()["error_code"] == "service_unavailable"
    assert int(response.headers["Retry-After"]) > 0


@pytest.fixture()
def away():
    app = fault_app(UNREACHABLE, WTF_CSRF_ENABLED=False)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", LOOKUP, {"email": EMAIL, "order": NUMBER}),
        ("POST", SINGLE, {"email": EMAIL, "order": NUMBER, "order_item": 1, "reason": 1,
                          "cancellation_type": "cancel"}),
        ("GET", "/users/orders/cancellation_reasons/", None),
    ],
)  # fmt: skip
def test_every_api_call_answers_503_while_the_database_is_away(away, method, path, body):
    response = away.test_client().open(path, method=method, json=body)
    assert_api_503(response)


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("POST", "/", {"email": EMAIL, "order": NUMBER}),
        ("GET", "/orders/1/", None),
        ("GET", "/orders/1/items/1/requests/", None),
    ],
)
def test_every_page_answers_a_translated_503_while_the_database_is_away(away, method, path,
                                                                        data):  # fmt: skip
    client = away.test_client()
    with client.session_transaction() as session:
        session["orders"] = {"1": time.time()}
        session["sid"] = "a" * 32
    response = client.open(path, method=method, data=data, headers={"Accept-Language": "tr"})
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.html["lang"] == "tr"
    heading = page.select_one("#error-heading").get_text(strip=True)
    assert heading and heading != "We will be right back"  # in Turkish


def test_a_statement_stuck_behind_a_lock_answers_503_and_writes_nothing(pg_url, caplog):
    app = fault_app(pg_url, DATABASE_STATEMENT_TIMEOUT_SECONDS=1)
    ids = seed(app)
    api = ApiClient(app.test_client())
    assert api.lookup(EMAIL, NUMBER).status_code == 200
    body = {"order_item": ids["item"], "reason": ids["reason"], "cancellation_type": "cancel",
            "quantity": 1}  # fmt: skip
    with psycopg.connect(libpq(pg_url)) as holder:
        holder.execute("SELECT id FROM order_items WHERE id = %s FOR UPDATE", (ids["item"],))
        started = time.monotonic()
        stuck = api.cancel(body)
        waited = time.monotonic() - started
        holder.rollback()
    assert_api_503(stuck)
    assert waited < 5, "the statement timeout, not gunicorn's worker timeout, ended it"
    assert any("Database unavailable" in r.getMessage() for r in caplog.records)
    with psycopg.connect(libpq(pg_url)) as check:
        assert check.execute("SELECT count(*) FROM cancellation_requests").fetchone() == (0,)
        assert check.execute("SELECT count(*) FROM mail_outbox").fetchone() == (0,)
    assert api.cancel(body).status_code == 200, "service resumes once the lock is gone"
    with app.app_context():
        db.engine.dispose()


def test_connections_cut_by_the_server_cost_no_failed_request(pg_url):
    app = fault_app(pg_url)
    seed(app)
    api = ApiClient(app.test_client())
    assert api.lookup(EMAIL, NUMBER).status_code == 200
    name = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(libpq(pg_url).rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        cut = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()", (name,),
        ).fetchone()  # fmt: skip
    assert cut[0] >= 1
    assert api.lookup(EMAIL, NUMBER).status_code == 200
    with app.app_context():
        db.engine.dispose()


@pytest.fixture()
def sqlite_site(tmp_path):
    path = tmp_path / "faults.sqlite3"
    app = fault_app(f"sqlite:///{path}")
    ids = seed(app)
    yield app, ids, path
    with app.app_context():
        db.engine.dispose()


def fill_up(path, order_id: int) -> tuple[str, list[int]]:
    """Eight more items on the order; then the file's free pages filled and its size capped
    there, as a full disk would. The pragma that keeps every connection at that size, and
    the new items."""
    with sqlite3.connect(path) as filler:
        product = filler.execute("SELECT product_id FROM order_items LIMIT 1").fetchone()[0]
        items = [
            filler.execute(
                "INSERT INTO order_items (order_id, product_id, quantity, price, status) "
                "VALUES (?, ?, 1, '10.00', 450)", (order_id, product),
            ).lastrowid
            for _ in range(8)
        ]  # fmt: skip
        filler.commit()
        filler.execute("CREATE TABLE padding (x BLOB)")
        pages = filler.execute("PRAGMA page_count").fetchone()[0]
        cap = f"PRAGMA max_page_count = {pages}"
        filler.execute(cap)
        with contextlib.suppress(sqlite3.OperationalError):  # "database or disk is full"
            while True:
                filler.execute("INSERT INTO padding VALUES (zeroblob(256))")
                filler.commit()
    return cap, items


@pytest.mark.parametrize("fault", ["read-only", "full"])
def test_a_sqlite_database_that_can_not_be_written_answers_503_and_writes_nothing(
    sqlite_site, caplog, fault
):
    app, ids, path = sqlite_site
    pragma, log_text, items = "PRAGMA query_only = ON", "readonly", [ids["item"]]
    if fault == "full":  # requests too large for the pages' free space: the file must grow
        (pragma, more), log_text = fill_up(path, ids["order"]), "full"
        items += more
    caplog.set_level(logging.ERROR)
    api = ApiClient(app.test_client())
    assert api.lookup(EMAIL, NUMBER).status_code == 200
    with app.app_context():
        engine = db.engine
        engine.dispose()

        def refuse_writes(dbapi_connection, _record):
            dbapi_connection.execute(pragma)

        event.listen(engine, "connect", refuse_writes)
    body = {"cancel_order_items": [
        {"order_item": item, "reason": ids["reason"], "cancellation_type": "cancel",
         "quantity": 1, "description": "x" * 1000} for item in items]}  # fmt: skip
    assert_api_503(api.bulk(body))
    [line] = [r.getMessage() for r in caplog.records if "Database unavailable" in r.getMessage()]
    assert log_text in line.lower()
    with app.app_context():
        event.remove(engine, "connect", refuse_writes)
        engine.dispose()
        counts = [
            db.session.execute(db.text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("cancellation_requests", "easy_returns", "mail_outbox", "audit_entries")
        ]
        db.session.remove()
    assert counts[:3] == [0, 0, 0]
    if fault == "read-only":
        assert api.bulk(body).status_code == 201, "service resumes once writes work again"


def test_concurrent_requests_during_an_outage_all_get_503(away):
    replies: list[int] = []

    def ask() -> None:
        replies.append(away.test_client().post(LOOKUP, json={"email": EMAIL, "order": NUMBER})
                       .status_code)  # fmt: skip

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert replies == [503] * 8
