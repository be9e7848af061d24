"""Scale-out: two gunicorn processes on one PostgreSQL database and one Redis.

The guessing budget and the per-number lockout live in Redis and the one-active-request rule in
the database's row locks, so all must hold across processes, not only inside one; an emailed
link, asked for on one process, opens the order on the other. Skipped only when PostgreSQL or
Redis can not be reached. Each test is a client of its own (X-Forwarded-For through one trusted
proxy), so that the budgets they spend are their own.

Several copies of the suite may run at once on one machine (and one Redis): each run uses its
own database, its own rate-limit key prefix and its own unknown order number, and removes only
its own Redis keys (a FLUSHDB would reset the counters of a run in progress).
"""

from __future__ import annotations

import email
import os
import re
import subprocess
import sys
import threading
import uuid
from decimal import Decimal
from email.policy import default
from pathlib import Path

import psycopg
import pytest
import redis
from sqlalchemy import make_url

from bench.loopback import Reply, call, free_port
from webapp import create_app
from webapp.extensions import db
from webapp.models import (
    Address,
    CancellationReason,
    Order,
    OrderItem,
    PaymentOption,
    Product,
    User,
)

from ..served import ROOT, clean_env, start_gunicorn, wait_ready

POSTGRES_SERVER = os.environ.get(
    "SCALE_OUT_POSTGRES_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("SCALE_OUT_REDIS_URL", "redis://127.0.0.1:6379/15")
SECRET_KEY = "scale-out-test-secret-key-0123456789-abcdefghijklmnop"
EMAIL = "scale@example.com"
NUMBER = "500000000001"
ITEMS = 3
LOOKUP = "/users/orders/anonymous/"
CANCEL = "/users/orders/anonymous/cancellation_requests/"
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
LINK = re.compile(r"http://[^/\s]+(/access/\d+/[\w-]+/)")


def _libpq(url) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _reachable() -> str | None:
    """Why the test can not run here, or None."""
    try:
        with psycopg.connect(_libpq(POSTGRES_SERVER), connect_timeout=3):
            pass
    except psycopg.Error as error:
        return f"PostgreSQL unreachable: {error}"
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        return f"Redis unreachable: {error}"
    finally:
        client.close()
    return None


def _forget_redis_keys(*markers: str) -> None:
    """Delete this run's keys (rate-limit counters) from the Redis database."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=3)
    try:
        for marker in markers:
            keys = list(client.scan_iter(match=f"*{marker}*", count=500))
            if keys:
                client.delete(*keys)
    finally:
        client.close()


def _seed(url: str) -> tuple[list[int], int]:
    """The schema by the migrations, one guest order of ITEMS preparing items, one reason."""
    from flask_migrate import upgrade

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "TESTING": True})
    with app.app_context():
        upgrade()
        user = User(email=EMAIL, email_normalized=EMAIL, user_type="guest")
        address = Address(first_name="Scale", last_name="Out", line="Moda Cd. 1",
                          city="Istanbul", country="TR")  # fmt: skip
        payment = PaymentOption(slug="card", name="Card", payment_type="credit_card")
        order = Order(number=NUMBER, user=user, status=450, payment_option=payment,
                      shipping_address=address, billing_address=address)  # fmt: skip
        for index in range(ITEMS):
            product = Product(sku=f"SCALE-{index}", name=f"Scale product {index}")
            order.items.append(
                OrderItem(product=product, quantity=2, price=Decimal("10.00"), status=450)
            )
        reason = CancellationReason(subject="Changed my mind", cancellation_type="cancel")
        db.session.add_all([order, reason])
        db.session.commit()
        ids, reason_id = [item.id for item in order.items], reason.id
        db.session.remove()
        db.engine.dispose()
    return ids, reason_id


class Cluster:
    """Two single-worker gunicorn processes sharing one database and one Redis."""

    def __init__(self, url: str, logs: Path, key_prefix: str):
        self.url = url
        self.logs = logs
        self.key_prefix = key_prefix
        self.unknown_number = f"59{uuid.uuid4().int % 10**10:010d}"
        self.mail_directory = logs / "mail"
        self.processes: list[tuple[subprocess.Popen, Path]] = []
        self.ports: list[int] = []
        self.item_ids: list[int] = []
        self.reason_id = 0

    def start(self) -> None:
        env = clean_env(
            WEBAPP_DATABASE_URL=self.url,
            WEBAPP_SECRET_KEY=SECRET_KEY,
            WEBAPP_RATELIMIT_ENABLED="true",
            WEBAPP_RATELIMIT_STORAGE_URI=REDIS_URL,
            WEBAPP_RATELIMIT_KEY_PREFIX=self.key_prefix,
            WEBAPP_LOOKUP_RATE_LIMIT="3 per minute",
            WEBAPP_ACCESS_LOG="off",
            WEBAPP_TRUSTED_PROXIES="1",
            WEBAPP_MAIL_DIRECTORY=str(self.mail_directory),
        )
        self.env = env
        for index in range(2):
            port = free_port()
            log_path = self.logs / f"gunicorn-{index}.log"
            process = start_gunicorn(env, port, log_path, "--config", "gunicorn.conf.py", "-w", "1")
            self.processes.append((process, log_path))
            self.ports.append(port)
        for (process, log_path), port in zip(self.processes, self.ports, strict=True):
            wait_ready(port, process, log_path)

    def stop(self) -> None:
        for process, _log in self.processes:
            if process.poll() is None:
                process.terminate()
        for process, _log in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    why_not = _reachable()
    if why_not:
        pytest.skip(why_not)
    name = f"scaleout_{uuid.uuid4().hex[:10]}"
    admin = _libpq(POSTGRES_SERVER)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)
    running = Cluster(url, tmp_path_factory.mktemp("scale_out"), key_prefix=name)
    markers = (running.key_prefix, running.unknown_number)
    try:
        _forget_redis_keys(*markers)
        running.item_ids, running.reason_id = _seed(url)
        running.start()
        yield running
    finally:
        running.stop()
        _forget_redis_keys(*markers)
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _client_address() -> str:
    """An address of its own for one client (as a proxy in front would pass it on)."""
    number = uuid.uuid4().int
    return f"10.{number % 250}.{number // 250 % 250}.{number // 62500 % 250 + 1}"


def _session(port: int, address: str | None = None) -> dict[str, str]:
    """A CSRF token and the session cookie that carries it (valid on both processes), from
    a client address of its own."""
    forwarded = {"X-Forwarded-For": address or _client_address()}
    reply = call(port, "GET", "/csrf_token/", headers=forwarded)
    assert reply.status == 200
    cookie = next(
        header.split(";", 1)[0]
        for header in reply.headers.get_all("Set-Cookie")
        if header.startswith("session=")
    )
    return {"X-CSRFToken": reply.json()["csrf_token"], "Cookie": cookie, **forwarded}


def _page_form(port: int, path: str, headers: dict[str, str]) -> tuple[dict[str, str], str]:
    """A page's CSRF field and the session cookie that carries it."""
    reply = call(port, "GET", path, headers={"Accept": "text/html", **headers})
    assert reply.status == 200, reply.body[:300]
    token = CSRF_FIELD.search(reply.body.decode())
    assert token is not None
    cookie = reply.cookie() or headers.get("Cookie", "").removeprefix("session=")
    return {"csrf_token": token.group(1)}, f"session={cookie}"


def test_one_guessing_budget_is_shared_by_both_processes_and_every_way_of_proving(cluster):
    first, second = cluster.ports
    headers = _session(first)
    found = {"email": EMAIL, "order": NUMBER}
    unknown = {"email": EMAIL, "order": cluster.unknown_number}
    in_a_body = {**unknown, "order_item": cluster.item_ids[0], "reason": cluster.reason_id,
                 "cancellation_type": "cancel", "quantity": 1}  # fmt: skip

    answers = [
        call(first, "POST", LOOKUP, found, headers).status,
        call(second, "POST", CANCEL, in_a_body, headers).status,
        call(first, "POST", LOOKUP, unknown, headers).status,
    ]
    assert answers == [200, 404, 404]

    for port, path, body in ((second, LOOKUP, found), (first, CANCEL, {**in_a_body, **found})):
        refused = call(port, "POST", path, body, headers)
        assert refused.status == 429
        assert int(refused.headers["Retry-After"]) >= 1
        assert refused.json()["error_code"] == "rate_limited"


def test_one_active_request_per_item_holds_across_processes(cluster):
    first, second = cluster.ports
    headers = _session(first)
    found = call(first, "POST", LOOKUP, {"email": EMAIL, "order": NUMBER}, headers)
    assert found.status == 200
    headers.update(Cookie=f"session={found.cookie()}", **{"X-CSRFToken": found.cookie("csrftoken")})
    for item_id in cluster.item_ids:
        body = {"order_item": item_id, "reason": cluster.reason_id, "cancellation_type": "cancel",
                "quantity": 1}  # fmt: skip
        start = threading.Barrier(2, timeout=10)
        replies: dict[int, Reply | BaseException] = {}

        def send(port: int, body=body, start=start, replies=replies) -> None:
            try:
                start.wait()
                replies[port] = call(port, "POST", CANCEL, body, headers)
            except BaseException as error:  # reported by the main thread
                replies[port] = error

        senders = [threading.Thread(target=send, args=(port,)) for port in (first, second)]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join(timeout=20)
        for reply in replies.values():
            if isinstance(reply, BaseException):
                raise reply
        assert len(replies) == 2
        by_status = sorted(replies.values(), key=lambda reply: reply.status)
        assert [reply.status for reply in by_status] == [200, 400], [r.body for r in by_status]
        assert by_status[0].json()["order_item"] == item_id
        assert by_status[1].json()["error_code"] == "cancellation_request_100_1"

    with psycopg.connect(_libpq(cluster.url)) as connection:
        counts = connection.execute(
            "SELECT order_item_id, count(*) FROM cancellation_requests GROUP BY order_item_id"
        ).fetchall()
    assert sorted(counts) == [(item_id, 1) for item_id in sorted(cluster.item_ids)]


# Last: it leaves the order's number blocked for the module's remaining tests.
def test_guesses_on_a_number_from_many_clients_never_keep_its_owner_out(cluster):
    first, second = cluster.ports
    guess = {"email": "guess@example.com", "order": NUMBER}
    for attempt in range(5):  # five clients, each guessing once, on either process
        port = cluster.ports[attempt % 2]
        assert call(port, "POST", LOOKUP, guess, _session(port)).status == 404

    owner = _client_address()
    for port in (first, second):
        blocked = call(port, "POST", LOOKUP, {"email": EMAIL, "order": NUMBER},
                       _session(port, owner))  # fmt: skip
        assert blocked.status == 429
        assert int(blocked.headers["Retry-After"]) > 60

    forwarded = {"X-Forwarded-For": owner}
    fields, cookie = _page_form(first, "/access/", forwarded)
    asked = call(first, "POST", "/access/", headers={"Cookie": cookie, **forwarded},
                 form={**fields, "email": EMAIL, "order": NUMBER})  # fmt: skip
    assert asked.status == 303, asked.body[:300]

    sent = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "webapp", "send-mail", "--once"],
        cwd=ROOT, env=cluster.env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    messages = [email.message_from_bytes(file.read_bytes(), policy=default)
                for file in cluster.mail_directory.glob("*.eml")]  # fmt: skip
    links = [(message["To"], LINK.search(message.get_body(("plain",)).get_content()))
             for message in messages]  # fmt: skip
    [(to, link)] = [(to, link) for to, link in links if link is not None]
    assert to == EMAIL
    path = link.group(1)

    fields, cookie = _page_form(second, path, forwarded)
    opened = call(second, "POST", path, headers={"Cookie": cookie, **forwarded}, form=fields)
    assert opened.status == 303, opened.body[:300]
    order_page = opened.headers["Location"]
    browser = {"Cookie": f"session={opened.cookie()}", "Accept": "text/html", **forwarded}
    assert call(first, "GET", order_page, headers=browser).status == 200
    assert (
        call(first, "POST", path, headers={"Cookie": cookie, **forwarded}, form=fields).status
        == 410
    )
