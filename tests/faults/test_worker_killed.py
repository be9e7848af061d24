"""A gunicorn worker killed (SIGKILL) in the middle of a cancellation, between its statements:
the transaction dies with it, so there is no partial request, no orphan row and no message
without its request; the client's retry with the same ``Idempotency-Key`` ends with exactly
one request. Part of ``make faults``."""

from __future__ import annotations

import os
import signal
import threading
import time

import psycopg
import pytest

from bench.loopback import call, free_port
from bench.run import child_pids
from webapp.extensions import db

from ..served import clean_env, start_gunicorn, wait_ready
from .conftest import EMAIL, NUMBER, SECRET_KEY, fault_app, libpq, seed

pytestmark = pytest.mark.long_fault

LOOKUP = "/users/orders/anonymous/"
SINGLE = "/users/orders/anonymous/cancellation_requests/"
TABLES = ("cancellation_requests", "easy_returns", "mail_outbox", "idempotency_records")


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(libpq(url)) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in TABLES
        }


@pytest.fixture()
def server(pg_url, tmp_path):
    app = fault_app(pg_url)
    ids = seed(app)
    with app.app_context():
        db.engine.dispose()
    env = clean_env(
        WEBAPP_DATABASE_URL=pg_url,
        WEBAPP_SECRET_KEY=SECRET_KEY,
        WEBAPP_RATELIMIT_ENABLED="false",
        WEBAPP_ACCESS_LOG="off",
        WEBAPP_DATABASE_STATEMENT_TIMEOUT_SECONDS="60",  # the kill comes first
    )
    port, log = free_port(), tmp_path / "gunicorn.log"
    process = start_gunicorn(env, port, log, "--config", "gunicorn.conf.py", "-w", "1")
    try:
        wait_ready(port, process, log)
        yield port, process, log, ids
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_a_worker_killed_mid_cancellation_leaves_nothing_and_the_retry_makes_one(server, pg_url):
    port, master, log, ids = server
    token = call(port, "GET", "/csrf_token/")
    headers = {"Cookie": f"session={token.cookie()}", "X-CSRFToken": token.json()["csrf_token"]}
    found = call(port, "POST", LOOKUP, {"email": EMAIL, "order": NUMBER}, headers)
    assert found.status == 200
    headers = {"Cookie": f"session={found.cookie()}", "X-CSRFToken": found.cookie("csrftoken"),
               "Idempotency-Key": "kill-test-1"}  # fmt: skip
    body = {"order_item": ids["item"], "reason": ids["reason"], "cancellation_type": "cancel",
            "quantity": 1}  # fmt: skip

    outcome: dict[str, object] = {}

    def send() -> None:
        try:
            outcome["reply"] = call(port, "POST", SINGLE, body, headers, timeout=60)
        except OSError as error:  # the connection dies with the worker
            outcome["error"] = error

    with psycopg.connect(libpq(pg_url)) as holder:
        # The request's message is written after its request row: holding the outbox makes
        # the request wait there, in the middle of its transaction.
        holder.execute("LOCK TABLE mail_outbox IN ACCESS EXCLUSIVE MODE")
        sender = threading.Thread(target=send)
        sender.start()
        name = pg_url.rsplit("/", 1)[1]
        deadline = time.monotonic() + 20
        while True:
            # Waiting for the outbox, with its request row already written (uncommitted).
            waiting = holder.execute(
                "SELECT count(*) FROM pg_locks AS l JOIN pg_class AS c ON c.oid = l.relation "
                "WHERE c.relname = 'cancellation_requests' AND l.mode = 'RowExclusiveLock' "
                "AND l.granted AND l.pid IN (SELECT pid FROM pg_stat_activity "
                "WHERE datname = %s AND wait_event_type = 'Lock')", (name,),
            ).fetchone()[0]  # fmt: skip
            if waiting:
                break
            assert time.monotonic() < deadline, (outcome, log.read_text(errors="replace"))
            time.sleep(0.05)
        [worker] = child_pids(master.pid)
        os.kill(worker, signal.SIGKILL)
        sender.join(timeout=30)
        holder.rollback()

    assert "reply" not in outcome or outcome["reply"].status >= 500
    deadline = time.monotonic() + 20
    while True:  # the server notices the lost client and ends its transaction
        with psycopg.connect(libpq(pg_url)) as check:
            active = check.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state <> 'idle' "
                "AND pid <> pg_backend_pid()", (pg_url.rsplit("/", 1)[1],),
            ).fetchone()[0]  # fmt: skip
        if not active or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert counts(pg_url) == dict.fromkeys(TABLES, 0)

    wait_ready(port, master, log)  # gunicorn started a new worker
    retried = call(port, "POST", SINGLE, body, headers)
    assert retried.status == 200, retried.body[:300]
    again = call(port, "POST", SINGLE, body, headers)
    assert again.status == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == retried.json()["id"]
    assert counts(pg_url) == {"cancellation_requests": 1, "easy_returns": 0, "mail_outbox": 1,
                              "idempotency_records": 1}  # fmt: skip
