"""``make soak``: two gunicorn processes on PostgreSQL and Redis under mixed traffic for minutes.

Seeds the PostgreSQL database ``soak`` (bench/seed.py's orders), starts two gunicorn processes
(one worker each, threads as gunicorn.conf.py sets) that share the database and a Redis for the
rate limits (a key prefix of this run's own), measures a short burst of the traffic mix at full
speed, then drives the same mix at a fixed rate (by default half of the burst's) spread over
both processes: the API's and the page's lookups, order pages, item request pages, single and
bulk cancellations, lookup misses, and pairs of simultaneous cancellations of one item sent to
the two processes. Clients come from many addresses (``X-Forwarded-For`` through one trusted
proxy), each within the rate limits, so every request has a known expected status. Every
``--sample-seconds`` it records each kind's p50/p99, 5xx answers, each process's memory and the
PostgreSQL connections; at the end it checks the requests in the database, writes docs/soak.md
and exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, deque
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import psycopg
from sqlalchemy import make_url

from . import seed
from .run import (
    CLOCK_TICKS,
    child_pids,
    host,
    process_ticks,
    served,
    system_ticks,
    wait_for_quiet,
)

ROOT = seed.ROOT
SOAK_DIR = ROOT / "instance" / "soak"
REPORT = ROOT / "docs" / "soak.md"
DATABASE = "soak"
REDIS_URL = "redis://127.0.0.1:6379/0"
READY_TIMEOUT = 60.0
BURST_ADDRESSES = 4096  # the burst's own addresses (10.128.x.y), apart from the soak's
BURST_ATTEMPTS = 3  # the maximum is measured again while other processes used the CPUs
QUIET_BELOW = 0.3  # CPUs used by other processes that count as a quiet machine
IDLE_RECONNECT = 1.0  # seconds; gunicorn closes a kept-alive connection idle for 2 s

# The rate limits (webapp.config.Config) and how far below them each client address stays:
# counted when a client starts its visit, over windows wider than the server's, so that the
# requests themselves (sent within seconds) can never reach a limit.
PROOFS_PER_MINUTE, PROOFS_PER_HOUR = 10, 50
CANCELS_PER_MINUTE, CANCELS_PER_HOUR = 30, 300
MINUTE_WINDOW, HOUR_WINDOW = 90.0, 3700.0
PROOF_BUDGET = (8, 45)
CANCEL_BUDGET = (25, 280)

# Targets.
MEMORY_GROWTH_LIMIT = 0.10
RATE_SHARE = 0.95  # of the rate asked for

KINDS = {
    "csrf": ("GET /csrf_token/", "200"),
    "lookup_api": ("POST /users/orders/anonymous/ (JSON)", "200"),
    "lookup_page": ("GET / (the lookup page)", "200"),
    "lookup_form": ("POST / (the lookup form)", "303"),
    "order_page": ("GET /orders/<id>/", "200"),
    "item_page": ("GET /orders/<id>/items/<item>/requests/", "200"),
    "cancel": ("POST .../cancellation_requests/", "200"),
    "bulk": ("POST .../bulk_cancellation_requests/ (2–4 items)", "201"),
    "miss_api": ("POST /users/orders/anonymous/, unknown number", "404"),
    "miss_page": ("POST / (the form), unknown number", "404"),
    "race": (
        "POST .../cancellation_requests/ on one item from two clients at once, one per process",
        "one 200 and one 400 per pair",
    ),
}
# Visits (one client each, two for a race) and how often each starts.
VISITS = {"api": 0.55, "page": 0.40, "race": 0.05}
PROOF_KINDS = ("lookup_api", "lookup_form", "miss_api", "miss_page")  # requests proving orders
CSRF_FIELD = re.compile(rb'name="[\w-]*csrf_token"[^>]*value="([^"]+)"')


class Stop(Exception):
    """The run's time is up: the visit ends where it is."""


class Unexpected(Exception):
    """A request got an answer other than the one expected: the visit can not go on."""


class OutOfItems(Exception):
    """Every seeded cancellable item has a request."""


# --- time slots: the fixed rate ---------------------------------------------------------------


class Pacer:
    """Hands out send times ``start + k / rate`` (or now, without a rate) until ``end``."""

    def __init__(self, rate: float | None, start: float, end: float) -> None:
        self.rate, self.start, self.end = rate, start, end
        self.issued = 0
        self.lock = threading.Lock()

    def wait(self) -> float:
        """Sleep until the next slot; its time. Raises Stop once the run is over."""
        if self.rate is None:
            now = time.monotonic()
            if now >= self.end:
                raise Stop
            return now
        with self.lock:
            slot = self.start + self.issued / self.rate
            self.issued += 1
        if slot >= self.end:
            raise Stop
        delay = slot - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        return slot


# --- what was seen ----------------------------------------------------------------------------


@dataclass
class Problem:
    kind: str
    status: int | str
    port: int
    path: str
    body: str
    at: float


@dataclass
class Stats:
    """Every answer: latencies per kind (the whole run and the current window), statuses."""

    started: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    window: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, Counter] = field(default_factory=dict)
    unexpected: Counter = field(default_factory=Counter)  # (kind, status) -> count
    samples: dict[tuple[str, int | str], Problem] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    server_errors: int = 0
    window_5xx: int = 0
    lateness: list[float] = field(default_factory=list)
    per_port: Counter = field(default_factory=Counter)
    created: int = 0  # requests the answers say were created
    race_pairs: Counter = field(default_factory=Counter)
    elapsed: float = 0.0

    def problem(self, kind: str, status: int | str, port: int, path: str, body: bytes) -> None:
        """An answer that is not the one expected (the caller holds the lock)."""
        self.unexpected[(kind, status)] += 1
        found = Problem(
            kind,
            status,
            port,
            path,
            body[:400].decode("utf-8", "replace"),
            round(time.monotonic() - self.started, 1),
        )
        self.samples.setdefault((kind, status), found)
        if len(self.problems) < 200:
            self.problems.append(found)

    def record(
        self,
        kind: str,
        port: int,
        status: int | str,
        latency: float,
        lateness: float,
        ok: bool,
        path: str = "",
        body: bytes = b"",
    ) -> None:
        with self.lock:
            self.statuses.setdefault(kind, Counter())[status] += 1
            self.per_port[port] += 1
            self.lateness.append(lateness)
            if ok:
                self.latencies.setdefault(kind, []).append(latency)
                self.window.setdefault(kind, []).append(latency)
            else:
                self.problem(kind, status, port, path, body)
            if isinstance(status, int) and status >= 500:
                self.server_errors += 1
                self.window_5xx += 1

    def take_window(self) -> tuple[dict[str, list[float]], int]:
        with self.lock:
            window, self.window = self.window, {}
            errors, self.window_5xx = self.window_5xx, 0
        return window, errors

    def total(self) -> int:
        with self.lock:
            return sum(sum(counter.values()) for counter in self.statuses.values())


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def ms(value: float | None) -> str:
    return "–" if value is None else f"{value * 1000:.1f}"


# --- client addresses within the rate limits --------------------------------------------------


class Addresses:
    """Client addresses (10.x.y.z), least recently used first; a visit takes one whose order
    proofs and cancellation POSTs, with the visit's, stay under budgets below the limits."""

    def __init__(self, count: int, rng: random.Random, block: int = 0) -> None:
        """``count`` addresses from 10.``block``.0.1 on (``block`` apart the burst's and the
        soak's)."""
        addresses = [
            f"10.{block + (k >> 16)}.{(k >> 8) & 255}.{k & 255}" for k in range(1, count + 1)
        ]
        rng.shuffle(addresses)
        self.free: deque[str] = deque(addresses)
        self.proofs: dict[str, deque[float]] = {}
        self.cancels: dict[str, deque[float]] = {}
        self.lock = threading.Lock()
        self.waits = 0
        self.used: set[str] = set()

    @staticmethod
    def _fits(history: deque[float], now: float, wanted: int, budget: tuple[int, int]) -> bool:
        while history and history[0] < now - HOUR_WINDOW:
            history.popleft()
        recent = sum(1 for at in history if at >= now - MINUTE_WINDOW)
        return recent + wanted <= budget[0] and len(history) + wanted <= budget[1]

    def take(self, proofs: int, cancels: int) -> str:
        while True:
            with self.lock:
                now = time.monotonic()
                for _ in range(min(len(self.free), 64)):
                    address = self.free.popleft()
                    proof_history = self.proofs.setdefault(address, deque())
                    cancel_history = self.cancels.setdefault(address, deque())
                    if self._fits(proof_history, now, proofs, PROOF_BUDGET) and self._fits(
                        cancel_history, now, cancels, CANCEL_BUDGET
                    ):
                        proof_history.extend([now] * proofs)
                        cancel_history.extend([now] * cancels)
                        self.used.add(address)
                        return address
                    self.free.append(address)
                self.waits += 1
            time.sleep(0.05)

    def give_back(self, address: str) -> None:
        with self.lock:
            self.free.append(address)

    def busiest(self) -> tuple[int, int]:
        """The most order proofs and cancellation POSTs any one address made in the last hour."""
        with self.lock:
            return (
                max((len(h) for h in self.proofs.values()), default=0),
                max((len(h) for h in self.cancels.values()), default=0),
            )


# --- the orders' cancellable items ------------------------------------------------------------


class Orders:
    """The seeded orders; cancellable items are handed out once, an order to one visit at a
    time, so that every cancellation has a known answer."""

    def __init__(self, count: int, rng: random.Random) -> None:
        self.count = count
        ids = list(range(1, count + 1))
        rng.shuffle(ids)
        self.queue: deque[int] = deque(ids)
        self.free: dict[int, list[int]] = {}
        self.lock = threading.Lock()
        self.used = 0
        self.ran_out = False

    @staticmethod
    def cancellable(i: int) -> list[int]:
        return [j for j in range(seed.item_count(i)) if seed.item_status(i, j) == 450]

    def take(self) -> int:
        with self.lock:
            while self.queue:
                i = self.queue.popleft()
                free = self.free.setdefault(i, self.cancellable(i))
                if free:
                    return i
            raise OutOfItems

    def use(self, i: int, count: int) -> list[int]:
        """``count`` of the order's free cancellable items (fewer when it has fewer): theirs."""
        with self.lock:
            free = self.free[i]
            taken, self.free[i] = free[:count], free[count:]
            self.used += len(taken)
            return taken

    def give_back(self, i: int) -> None:
        with self.lock:
            if self.free.get(i):
                self.queue.append(i)

    def left(self) -> int:
        with self.lock:
            return len(self.queue)


def quantity_of(i: int, j: int) -> int:
    return 1 + (i + j) % 3  # bench/seed.py's item quantity


# --- HTTP ---------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


class Connections:
    """One thread's kept-alive connections, one per server; a connection idle for a second
    is replaced before use (gunicorn closes idle ones after 2 s)."""

    def __init__(self) -> None:
        self.open: dict[int, tuple[http.client.HTTPConnection, float]] = {}

    def send(
        self, port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]
    ) -> Answer:
        connection, used = self.open.pop(port, (None, 0.0))
        if connection is not None and time.monotonic() - used > IDLE_RECONNECT:
            connection.close()
            connection = None
        if connection is None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.getheaders(), response.read())
        except BaseException:
            connection.close()
            raise
        if response.will_close:
            connection.close()
        else:
            self.open[port] = (connection, time.monotonic())
        return answer

    def close(self) -> None:
        for connection, _used in self.open.values():
            connection.close()
        self.open.clear()


class Client:
    """One shopper: an address, a cookie jar and the CSRF token to send."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.cookies: dict[str, str] = {}
        self.token: str | None = None

    def take_cookies(self, answer: Answer) -> None:
        for name, value in answer.headers:
            if name.lower() != "set-cookie":
                continue
            pair = value.split(";", 1)[0]
            key, _, cookie = pair.partition("=")
            key = key.strip()
            lowered = value.lower()
            if not cookie or "max-age=0" in lowered or "expires=thu, 01 jan 1970" in lowered:
                self.cookies.pop(key, None)
            else:
                self.cookies[key] = cookie.strip().strip('"')

    def token_from_cookie(self) -> None:
        self.token = self.cookies.get("csrftoken")

    def token_from_page(self, body: bytes) -> bool:
        found = CSRF_FIELD.search(body)
        if found:
            self.token = found.group(1).decode()
        return found is not None


# --- the traffic ----------------------------------------------------------------------------------


class Traffic:
    """The visits, run by worker threads until the pacer says stop."""

    def __init__(
        self,
        ports: list[int],
        orders: Orders,
        addresses: Addresses,
        run_tag: int,
        seed_value: int,
    ) -> None:
        self.ports = ports
        self.orders = orders
        self.addresses = addresses
        self.run_tag = run_tag
        self.seed_value = seed_value
        self.misses = 0
        self.miss_lock = threading.Lock()
        self.stats = Stats()
        self.pacer = Pacer(None, 0, 0)
        self.local = threading.local()

    # one phase: a burst at full speed, or the soak at a fixed rate
    def run(self, threads: int, seconds: float, rate: float | None) -> Stats:
        self.stats = Stats()
        start = time.monotonic() + 0.2
        self.pacer = Pacer(rate, start, start + seconds)
        workers = [
            threading.Thread(target=self.worker, args=(n,), daemon=True) for n in range(threads)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        self.stats.elapsed = time.monotonic() - start
        return self.stats

    def worker(self, number: int) -> None:
        rng = random.Random(f"{self.seed_value}-{number}-{time.monotonic_ns()}")
        self.local.rng = rng
        self.local.connections = Connections()
        visits, weights = list(VISITS), list(VISITS.values())
        try:
            while True:
                visit = rng.choices(visits, weights)[0]
                try:
                    getattr(self, f"visit_{visit}")(rng)
                except Stop:
                    return
                except OutOfItems:
                    self.orders.ran_out = True
                    return
                except Unexpected:
                    continue
        finally:
            self.local.connections.close()

    # a request
    def send(
        self,
        client: Client,
        kind: str,
        method: str,
        path: str,
        expect: tuple[int, ...],
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        port: int | None = None,
        slot: float | None = None,
        connections: Connections | None = None,
    ) -> Answer:
        rng: random.Random = self.local.rng if connections is None else random.Random()
        slot = self.pacer.wait() if slot is None else slot
        port = port if port is not None else rng.choice(self.ports)
        headers = {"Accept": "application/json", "X-Forwarded-For": client.address}
        if kind in ("lookup_page", "order_page", "item_page", "lookup_form", "miss_page"):
            headers["Accept"] = "text/html"
        body = None
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        elif form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{port}"
        if method == "POST" and client.token and form is None:
            headers["X-CSRFToken"] = client.token
        if client.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        own = connections or self.local.connections
        sent = time.monotonic()
        try:
            answer = own.send(port, method, path, body, headers)
        except (OSError, http.client.HTTPException) as error:
            latency = time.monotonic() - sent
            status = f"connection error ({error.__class__.__name__})"
            self.stats.record(
                kind, port, status, latency, sent - slot, False, path, str(error).encode()
            )
            raise Unexpected from error
        latency = time.monotonic() - sent
        client.take_cookies(answer)
        ok = answer.status in expect
        self.stats.record(kind, port, answer.status, latency, sent - slot, ok, path, answer.body)
        if not ok:
            raise Unexpected
        return answer

    def unknown_number(self) -> str:
        """An order number nobody has (the seeded ones are 000000000001 upwards), each used
        once: a number's misses never reach the failed-lookup limit."""
        with self.miss_lock:
            self.misses += 1
            return f"9{self.run_tag % 100_000:05d}{self.misses % 1_000_000:06d}"

    def content_problem(self, kind: str, path: str, what: str, body: bytes = b"") -> None:
        """An answer with the expected status but not the expected content."""
        with self.stats.lock:
            self.stats.problem(kind, what, 0, path, body)
        raise Unexpected(what)

    def checked(self, kind: str, answer: Answer, i: int, path: str) -> None:
        if seed.order_number(i).encode() not in answer.body:
            self.content_problem(kind, path, f"200 without order {i}'s number", answer.body)

    # the visits
    def visit_api(self, rng: random.Random) -> None:
        """The storefront's API: token, lookup, then a cancellation, several, or none; maybe
        the order page and a lookup with a wrong number."""
        action = rng.choices(["cancel", "bulk", "none"], [0.40, 0.25, 0.35])[0]
        miss = rng.random() < 0.25
        cancelling = action != "none"
        i = self.orders.take() if cancelling else rng.randint(1, self.orders.count)
        client = Client(self.addresses.take(1 + miss, int(cancelling)))
        try:
            answer = self.send(client, "csrf", "GET", "/csrf_token/", (200,))
            client.token = json.loads(answer.body)["csrf_token"]
            body = {"email": seed.order_email(i), "order": seed.order_number(i)}
            answer = self.send(
                client, "lookup_api", "POST", "/users/orders/anonymous/", (200,), json_body=body
            )
            self.checked("lookup_api", answer, i, "/users/orders/anonymous/")
            client.token_from_cookie()  # a lookup renews the token
            if not client.token:
                self.content_problem("lookup_api", "/users/orders/anonymous/", "no csrftoken")
            if action == "cancel":
                [j] = self.orders.use(i, 1)
                entry = self.cancel_entry(rng, i, j)
                self.send(
                    client,
                    "cancel",
                    "POST",
                    "/users/orders/anonymous/cancellation_requests/",
                    (200,),
                    json_body=entry,
                )
                self.count_created(1)
            elif action == "bulk":
                items = self.orders.use(i, rng.randint(2, 4))
                entries = [self.cancel_entry(rng, i, j) for j in items]
                self.send(
                    client,
                    "bulk",
                    "POST",
                    "/users/orders/anonymous/bulk_cancellation_requests/",
                    (201,),
                    json_body={"cancel_order_items": entries},
                )
                self.count_created(len(entries))
            if rng.random() < 0.5:
                self.send(client, "order_page", "GET", f"/orders/{i}/", (200,))
            if miss:
                wrong = {"email": f"nobody{rng.randint(1, 10**6)}@soak.example"}
                wrong["order"] = self.unknown_number()
                self.send(
                    client, "miss_api", "POST", "/users/orders/anonymous/", (404,), json_body=wrong
                )
        finally:
            if cancelling:
                self.orders.give_back(i)
            self.addresses.give_back(client.address)

    def visit_page(self, rng: random.Random) -> None:
        """A browser: the lookup page and its form, the order page, one or two items' request
        pages; maybe a lookup with a wrong number."""
        i = rng.randint(1, self.orders.count)
        miss = rng.random() < 0.25
        client = Client(self.addresses.take(1 + miss, 0))
        try:
            answer = self.send(client, "lookup_page", "GET", "/", (200,))
            if not client.token_from_page(answer.body):
                self.content_problem("lookup_page", "/", "200 without a csrf_token field")
            form = {
                "csrf_token": client.token or "",
                "next": "",
                "email": seed.order_email(i),
                "order": seed.order_number(i),
            }
            answer = self.send(client, "lookup_form", "POST", "/", (303,), form=form)
            location = answer.header("Location") or ""
            if not location.endswith(f"/orders/{i}/"):
                self.content_problem("lookup_form", "/", f"303 to {location!r}")
            answer = self.send(client, "order_page", "GET", f"/orders/{i}/", (200,))
            self.checked("order_page", answer, i, f"/orders/{i}/")
            client.token_from_page(answer.body)
            for _ in range(rng.choice((1, 1, 2))):
                item = seed.item_id(i, rng.randrange(seed.item_count(i)))
                path = f"/orders/{i}/items/{item}/requests/"
                answer = self.send(client, "item_page", "GET", path, (200,))
                client.token_from_page(answer.body)
            if miss:
                form = {
                    "csrf_token": client.token or "",
                    "next": "",
                    "email": f"nobody{rng.randint(1, 10**6)}@soak.example",
                    "order": self.unknown_number(),
                }
                self.send(client, "miss_page", "POST", "/", (404,), form=form)
        finally:
            self.addresses.give_back(client.address)

    def visit_race(self, rng: random.Random) -> None:
        """Two clients look up one order, then ask to cancel the same item at the same moment,
        each at a different process: one request is created, the other refused (400)."""
        i = self.orders.take()
        clients = [Client(self.addresses.take(1, 1)) for _ in range(2)]
        try:
            for client in clients:
                answer = self.send(client, "csrf", "GET", "/csrf_token/", (200,))
                client.token = json.loads(answer.body)["csrf_token"]
                body = {"email": seed.order_email(i), "order": seed.order_number(i)}
                self.send(
                    client, "lookup_api", "POST", "/users/orders/anonymous/", (200,), json_body=body
                )
                client.token_from_cookie()
            [j] = self.orders.use(i, 1)
            entry = self.cancel_entry(rng, i, j)
            slot = max(self.pacer.wait(), self.pacer.wait())
            barrier = threading.Barrier(2)
            answers: list[Answer | None] = [None, None]

            def one(side: int) -> None:
                connections = Connections()
                try:
                    barrier.wait(timeout=10)
                    answers[side] = self.send(
                        clients[side],
                        "race",
                        "POST",
                        "/users/orders/anonymous/cancellation_requests/",
                        (200, 400),
                        json_body=entry,
                        port=self.ports[side % len(self.ports)],
                        slot=slot,
                        connections=connections,
                    )
                except (Unexpected, threading.BrokenBarrierError):
                    pass
                finally:
                    connections.close()

            other = threading.Thread(target=one, args=(1,), daemon=True)
            other.start()
            one(0)
            other.join()
            statuses = sorted(a.status for a in answers if a is not None)
            with self.stats.lock:
                self.stats.race_pairs[tuple(statuses)] += 1
            self.count_created(statuses.count(200))
            if len(statuses) == 2:  # else a side's own answer was already counted unexpected
                refused = [a for a in answers if a is not None and a.status == 400]
                if statuses != [200, 400]:
                    bodies = b" | ".join(a.body[:200] for a in answers if a is not None)
                    self.record_pair_problem(statuses, bodies)
                elif b"cancellation_request_100_1" not in refused[0].body:
                    self.record_pair_problem(statuses, refused[0].body)
        finally:
            self.orders.give_back(i)
            for client in clients:
                self.addresses.give_back(client.address)

    def record_pair_problem(self, statuses: list[int], body: bytes) -> None:
        path = "/users/orders/anonymous/cancellation_requests/"
        with self.stats.lock:
            self.stats.problem("race pair", "/".join(map(str, statuses)), 0, path, body)

    def count_created(self, count: int) -> None:
        with self.stats.lock:
            self.stats.created += count

    @staticmethod
    def cancel_entry(rng: random.Random, i: int, j: int) -> dict[str, Any]:
        return {
            "order_item": seed.item_id(i, j),
            "reason": seed.CANCEL_REASON_ID,
            "cancellation_type": "cancel",
            "quantity": rng.randint(1, quantity_of(i, j)),
        }


# --- the servers ------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    def pids(self) -> list[int]:
        return [self.process.pid, *child_pids(self.process.pid)]

    def rss(self) -> int:
        """Resident memory of the master and its workers, bytes."""
        total = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                continue
        return total


@contextmanager
def gunicorn(name: str, env: dict[str, str]):
    log_path = SOAK_DIR / f"gunicorn-{name}.log"
    app = "webapp:create_app()"
    with served(app, log_path, 1, env, "/readyz", READY_TIMEOUT) as (port, process):
        yield Server(name, port, process, log_path)


def server_env(url: str, prefix: str, redis_url: str, secret_key: str) -> dict[str, str]:
    """Both processes' settings: one secret key, so sessions and tokens work on either."""
    return {
        "WEBAPP_DATABASE_URL": url,
        "WEBAPP_SECRET_KEY": secret_key,
        "WEBAPP_PRODUCTION": "true",
        "WEBAPP_TRUSTED_HOSTS": '["127.0.0.1","localhost"]',
        "WEBAPP_RATELIMIT_ENABLED": "true",
        "WEBAPP_RATELIMIT_STORAGE_URI": redis_url,
        "WEBAPP_RATELIMIT_KEY_PREFIX": prefix,
        "WEBAPP_TRUSTED_PROXIES": "1",
        "WEBAPP_ACCESS_LOG": "off",
    }


def log_problems(server: Server) -> list[str]:
    """The server log's error lines and tracebacks (the app logs JSON lines)."""
    found = []
    try:
        lines = server.log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    for line in lines:
        if (
            '"level": "error"' in line
            or '"level": "critical"' in line
            or "Traceback" in line
            or "[ERROR]" in line
            or "WORKER TIMEOUT" in line
        ):
            found.append(line[:600])
    return found


# --- samples ------------------------------------------------------------------------------------


class Sampler:
    """Every ``every`` seconds: the window's latencies and 5xx, memory, connections, CPUs."""

    def __init__(self, traffic: Traffic, servers: list[Server], admin_url: str) -> None:
        self.traffic, self.servers, self.admin_url = traffic, servers, admin_url
        self.rows: list[dict[str, Any]] = []
        self.stop = threading.Event()
        self.admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
        self.last_ticks: dict[str, Any] = {}
        self.started = time.monotonic()

    def connections(self) -> int:
        return self.admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (DATABASE,)
        ).fetchone()[0]

    def backends(self) -> list[int]:
        rows = self.admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (DATABASE,)
        ).fetchall()
        return [row[0] for row in rows]

    def ticks(self) -> dict[str, Any]:
        server_pids = [pid for server in self.servers for pid in server.pids()]
        backends = {pid: process_ticks([pid]) for pid in self.backends()}
        return {
            "at": time.monotonic(),
            "system": system_ticks(),
            "servers": process_ticks(server_pids),
            "backends": backends,
            "generator": process_ticks([os.getpid()]),
        }

    def cpus(self) -> dict[str, float]:
        now, before = self.ticks(), self.last_ticks
        self.last_ticks = now
        if not before:
            return {}
        seconds = now["at"] - before["at"]

        def share(ticks: float) -> float:
            return round(max(ticks, 0) / CLOCK_TICKS / seconds, 2)

        backends = sum(t - before["backends"].get(pid, 0) for pid, t in now["backends"].items())
        server = now["servers"] - before["servers"] + backends
        generator = now["generator"] - before["generator"]
        system = now["system"] - before["system"]
        return {
            "app": share(server),
            "generator": share(generator),
            "other": share(system - server - generator),
        }

    def sample(self, label: str | None = None) -> dict[str, Any]:
        window, errors = self.traffic.stats.take_window()
        row: dict[str, Any] = {
            "t": round(time.monotonic() - self.started),
            "label": label,
            "requests": sum(len(v) for v in window.values()),
            "5xx": errors,
            "latency": {
                kind: (percentile(v, 0.50), percentile(v, 0.99), len(v))
                for kind, v in window.items()
            },
            "rss": [server.rss() for server in self.servers],
            "pg_connections": self.connections(),
            "cpus": self.cpus(),
            "pytest": pytest_running(),
        }
        self.rows.append(row)
        return row

    def loop(self, every: float) -> None:
        while not self.stop.wait(every):
            row = self.sample()
            print_row(row, every)

    def close(self) -> None:
        self.admin.close()


def pytest_running() -> int:
    """How many pytest processes run on the machine (another engineer's test suite)."""
    count = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"pytest" in command:
            count += 1
    return count


def print_row(row: dict[str, Any], every: float) -> None:
    kinds = " ".join(
        f"{kind} {ms(p50)}/{ms(p99)}" for kind, (p50, p99, _n) in sorted(row["latency"].items())
    )
    rss = " ".join(f"{value / 2**20:.1f}" for value in row["rss"])
    cpus = row["cpus"]
    print(
        f"  [{row['t']:>5} s] {row['requests'] / every:.0f} req/s, 5xx {row['5xx']}, "
        f"RSS MiB {rss}, PG connections {row['pg_connections']}, CPUs {cpus}"
        + (f", pytest running ({row['pytest']})" if row["pytest"] else "")
        + f"\n      p50/p99 ms: {kinds}",
        flush=True,
    )


# --- database and Redis -----------------------------------------------------------------------


def seed_database(orders: int, server: str) -> str:
    """bench/seed.py's PostgreSQL data in the database ``soak``."""
    return seed.seed_postgresql(orders, server, DATABASE)


def check_database(url: str) -> dict[str, Any]:
    libpq = seed._libpq(url)
    with psycopg.connect(libpq, connect_timeout=5) as connection:
        doubled = connection.execute(
            "SELECT order_item_id, count(*) FROM cancellation_requests "
            "WHERE status IN ('open', 'approved') GROUP BY order_item_id HAVING count(*) > 1 "
            "ORDER BY order_item_id LIMIT 20"
        ).fetchall()
        over = connection.execute(
            "SELECT i.id, i.quantity, sum(r.quantity) FROM order_items i "
            "JOIN cancellation_requests r ON r.order_item_id = i.id "
            "WHERE r.status <> 'rejected' GROUP BY i.id, i.quantity "
            "HAVING sum(r.quantity) > i.quantity ORDER BY i.id LIMIT 20"
        ).fetchall()
        requests, open_requests, items = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'open'), "
            "count(DISTINCT order_item_id) FROM cancellation_requests"
        ).fetchone()
        audit = connection.execute("SELECT count(*) FROM audit_entries").fetchone()[0]
        outbox = connection.execute("SELECT count(*) FROM mail_outbox").fetchone()[0]
    return {
        "doubled": [list(row) for row in doubled],
        "over_quantity": [list(row) for row in over],
        "requests": requests,
        "open": open_requests,
        "items_with_requests": items,
        "audit_entries": audit,
        "mail_outbox": outbox,
    }


def redis_cleanup(redis_url: str, prefix: str) -> int:
    """Delete this run's own keys (and no other): those carrying its unique prefix."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        deleted = 0
        batch: list[bytes] = []
        for key in client.scan_iter(match=f"*{prefix}*", count=1000):
            batch.append(key)
            if len(batch) >= 500:
                deleted += client.delete(*batch)
                batch = []
        if batch:
            deleted += client.delete(*batch)
        return deleted
    finally:
        client.close()


def redis_version(redis_url: str) -> str:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        return str(client.info("server").get("redis_version", "?"))
    finally:
        client.close()


def drop_database(server_url: str) -> None:
    admin = seed._libpq(make_url(server_url).set(database="postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


# --- machine and report -----------------------------------------------------------------------


def machine(admin_url: str, redis_url: str) -> dict[str, str]:
    with psycopg.connect(admin_url, connect_timeout=5) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
        max_connections = connection.execute("SHOW max_connections").fetchone()[0]
    return {
        **host(),
        "postgresql": f"{postgres} (max_connections {max_connections})",
        "redis": redis_version(redis_url),
    }


def mib(value: int) -> str:
    return f"{value / 2**20:.1f}"


def kind_totals(stats: Stats) -> list[dict[str, Any]]:
    rows = []
    for kind, (title, expected) in KINDS.items():
        statuses = stats.statuses.get(kind, Counter())
        values = stats.latencies.get(kind, [])
        rows.append(
            {
                "kind": kind,
                "title": title,
                "expected": expected,
                "count": sum(statuses.values()),
                "statuses": dict(statuses),
                "unexpected": sum(n for (k, _s), n in stats.unexpected.items() if k == kind),
                "p50": percentile(values, 0.50),
                "p99": percentile(values, 0.99),
                "max": max(values) if values else None,
            }
        )
    return rows


def evaluate(result: dict[str, Any]) -> list[tuple[str, bool, str]]:
    soak = result["soak"]
    samples = result["samples"]
    found: list[tuple[str, bool, str]] = []
    died = result.get("died", [])
    found.append(
        (
            "both processes serve to the end",
            not died,
            "died: " + ", ".join(died) if died else "both answered until the end",
        )
    )
    found.append(("no 5xx answer", soak["5xx"] == 0, f"{soak['5xx']} 5xx"))
    burst = result["burst"]
    found.append(
        (
            "the burst (full speed): no 5xx, every answer as expected",
            burst["five_xx"] == 0 and burst["unexpected"] == 0,
            f"{burst['five_xx']} 5xx, {burst['unexpected']} unexpected",
        )
    )
    unexpected = sum(soak["unexpected"].values())
    found.append(
        (
            "every answer as expected (status, race pairs)",
            unexpected == 0,
            f"{unexpected} unexpected of {soak['requests']:,}",
        )
    )
    achieved, asked = soak["rate"], result["settings"]["rate"]
    found.append(
        (
            f"rate achieved ≥ {RATE_SHARE:.0%} of the rate asked",
            achieved >= RATE_SHARE * asked,
            f"{achieved:.1f} of {asked} req/s ({achieved / asked:.1%})",
        )
    )
    first, last = samples[0], samples[-1]
    for n, name in enumerate(result["servers"]):
        start, end = first["rss"][n], last["rss"][n]
        growth = (end - start) / start if start else 0.0
        found.append(
            (
                f"memory of {name} grows < {MEMORY_GROWTH_LIMIT:.0%} (soak start to end)",
                growth < MEMORY_GROWTH_LIMIT,
                f"{mib(start)} → {mib(end)} MiB ({growth:+.1%})",
            )
        )
    counts = [row["pg_connections"] for row in samples]
    half = counts[: max(1, len(counts) // 2)]
    bound = result["settings"]["pool_bound"]
    leak_free = max(counts) <= bound and counts[-1] <= max(half)
    found.append(
        (
            "PostgreSQL connections do not grow (the end's ≤ the first half's most, all ≤ the "
            f"pools' bound {bound})",
            leak_free,
            f"min {min(counts)}, max {max(counts)}, first half max {max(half)}, end {counts[-1]}",
        )
    )
    db = result["database"]
    found.append(
        (
            "no item has more than one active request",
            not db["doubled"],
            f"{len(db['doubled'])} items" + (f": {db['doubled'][:5]}" if db["doubled"] else ""),
        )
    )
    found.append(
        (
            "no item's requested quantity exceeds its quantity",
            not db["over_quantity"],
            f"{len(db['over_quantity'])} items"
            + (f": {db['over_quantity'][:5]}" if db["over_quantity"] else ""),
        )
    )
    soak_items = result["soak"]
    found.append(
        (
            "cancellable items never ran out",
            not soak_items["ran_out"],
            f"{soak_items['items_used']:,} of {soak_items['items_cancellable']:,} used",
        )
    )
    created = result["created"]
    found.append(
        (
            "requests in the database = requests answered as created",
            db["requests"] == created,
            f"{db['requests']:,} in the database, {created:,} answered",
        )
    )
    return found


def report(result: dict[str, Any], found: list[tuple[str, bool, str]]) -> str:
    m, s, soak, burst = result["machine"], result["settings"], result["soak"], result["burst"]
    samples = result["samples"]
    lines = [
        "# Soak",
        "",
        f"Written by `make soak` (`{result['command']}`; options in `SOAK_ARGS`, e.g. "
        "`make soak SOAK_ARGS='--minutes 60'`, `python -m bench.soak --help`); every run "
        "overwrites this page. Raw results: `instance/soak/results.json`; server logs: "
        "`instance/soak/gunicorn-a.log`, `gunicorn-b.log`.",
        "",
        f"**{s['minutes']:g} minutes at {s['rate']:g} req/s** of mixed traffic over two gunicorn "
        f"processes (each 1 worker × {s['threads_per_worker']} threads) sharing PostgreSQL "
        f"(database `{DATABASE}`, {s['orders']:,} guest orders, {s['items']:,} items) and "
        "Redis (the rate limits' counters, under a key prefix of the run's own, deleted at the "
        "end). Production settings: rate limits on (10 order proofs a minute and 50 an hour, "
        "30 cancellation POSTs a minute per client address), one trusted proxy, access log off.",
        "",
        "## Machine",
        "",
        f"- CPUs (nproc): {m['nproc']}, {m['cpu']}",
        f"- RAM: {m['ram']}; kernel {m['kernel']}",
        f"- Python {m['python']}, Flask {m['flask']}, gunicorn {m['gunicorn']}, PostgreSQL "
        f"{m['postgresql']}, Redis {m['redis']}",
        f"- Date: {m['date']}",
        "",
        "The load generator (this script: Python threads, `http.client`, kept-alive "
        "connections), both servers, PostgreSQL and Redis share these CPUs.",
        "",
        "## Settings and rate",
        "",
        f"- Maximum measured first: a {burst['seconds']:.0f} s burst of the same mix, "
        f"{s['burst_threads']} client threads without pauses: **{burst['rate']:.0f} req/s** "
        f"({burst['requests']:,} requests; CPUs app / generator / other: "
        f"{fmt_cpus(burst['cpus'])})"
        + (
            f"; best of {len(burst['attempts'])} attempts, measured again while other "
            f"processes used ≥ {QUIET_BELOW} CPUs: "
            + ", ".join(f"{a['rate']:.0f} req/s (other {a['other']})" for a in burst["attempts"])
            if len(burst.get("attempts", [])) > 1
            else ""
        )
        + f". Its answers: {burst['five_xx']} 5xx, {burst['unexpected']} unexpected.",
        f"- Rate used: **{s['rate']:g} req/s** ({s['rate_origin']}), {s['threads']} client "
        f"threads taking fixed send times (request *k* at start + *k* / rate; a late thread "
        "sends at once, so the rate holds while the servers keep up).",
        f"- Rate achieved: **{soak['rate']:.1f} req/s** ({soak['requests']:,} requests in "
        f"{soak['seconds']:.0f} s); send delay behind schedule p50 {ms(soak['lateness_p50'])} "
        f"ms, p99 {ms(soak['lateness_p99'])} ms, max {ms(soak['lateness_max'])} ms; per "
        f"process: {', '.join(f'{k}: {v:,}' for k, v in soak['per_server'].items())}.",
        f"- Clients: {s['addresses']:,} addresses (`X-Forwarded-For`: 10.x.y.z; the burst had "
        f"{BURST_ADDRESSES:,} others), {soak['addresses_used']:,} used. A visit takes the least "
        "recently used address whose budget allows it: at most "
        f"{PROOF_BUDGET[0]} order proofs in {MINUTE_WINDOW:.0f} s and {PROOF_BUDGET[1]} in "
        f"{HOUR_WINDOW:.0f} s (limits: {PROOFS_PER_MINUTE} a minute, {PROOFS_PER_HOUR} an hour), "
        f"{CANCEL_BUDGET[0]} and {CANCEL_BUDGET[1]} cancellation POSTs (limits: "
        f"{CANCELS_PER_MINUTE} a minute, {CANCELS_PER_HOUR} an hour), counted when the visit "
        "starts. The busiest address made "
        f"{soak['busiest'][0]} order proofs and {soak['busiest'][1]} cancellation POSTs; waits "
        f"for a free address: {soak['address_waits']}.",
        f"- Cancellable items: {soak['items_used']:,} of {soak['items_cancellable']:,} asked for "
        "(burst included).",
        "- Visits: "
        + ", ".join(f"{name} {share:.0%}" for name, share in VISITS.items())
        + ". *api*: `GET /csrf_token/`, JSON lookup (the token then read from the renewed "
        "`csrftoken` cookie), then one cancellation (40%), a bulk of 2–4 items (25%) or none; "
        "the order page (50%); a lookup of an unknown number (25%). *page*: the lookup page, "
        "its form (the `csrf_token` field, `Origin` sent) → 303 to the order page, the order "
        "page, one or two items' request pages, a form lookup of an unknown number (25%). "
        "*race*: two clients look up one order, then cancel the same item at once, one at each "
        "process. Each request goes to a process at random (sessions and tokens work on both). "
        "Cancellations take items no request has asked for (quantity 1 to the item's), so the "
        "answer is known.",
        "",
        "## Totals per kind",
        "",
        "| kind | request | expected | requests | statuses | unexpected | p50 ms | p99 ms | "
        "max ms |",
        "|---|---|---|---:|---|---:|---:|---:|---:|",
    ]
    for row in soak["kinds"]:
        statuses = ", ".join(f"{n:,} × {code}" for code, n in sorted(row["statuses"].items()))
        lines.append(
            f"| {row['kind']} | {row['title']} | {row['expected']} | {row['count']:,} | "
            f"{statuses or '–'} | {row['unexpected']} | {ms(row['p50'])} | {ms(row['p99'])} | "
            f"{ms(row['max'])} |"
        )
    pairs = ", ".join(f"{n:,} × {key or 'no answer'}" for key, n in soak["race"].items())
    lines += [
        "",
        f"Race pairs (statuses of the two): {pairs or '–'}.",
        "",
        f"**5xx answers: {soak['5xx']}.** Unexpected answers: {sum(soak['unexpected'].values())}.",
    ]
    if soak["samples"]:
        lines += ["", "| kind | status | count | first seen | process | path | body (start) |"]
        lines.append("|---|---|---:|---:|---|---|---|")
        for key, problem in soak["samples"].items():
            body = problem["body"][:200].replace("|", "\\|").replace("\n", " ")
            lines.append(
                f"| {problem['kind']} | {problem['status']} | {soak['unexpected'][key]} | "
                f"{problem['at']:.0f} s | {problem['port']} | `{problem['path']}` | `{body}` |"
            )
    if result["log_problems"]:
        lines += ["", "Server log lines at error level:", ""]
        for name, entries in result["log_problems"].items():
            for entry in entries[:10]:
                lines.append(f"- {name}: `{entry[:300]}`")
    kinds = list(KINDS)
    lines += [
        "",
        "## Latency over time",
        "",
        f"p50 / p99 in ms per kind, each window of about {s['sample_seconds']} s (from the "
        "client: the time from sending to the whole answer read). *other CPUs* is what "
        "processes other than the servers, their PostgreSQL backends and the generator used.",
        "",
        "| t (s) | req/s | 5xx | " + " | ".join(kinds) + " | CPUs app / generator / other |",
        "|---:|---:|---:|" + "---:|" * len(kinds) + "---|",
    ]
    previous_t = samples[0]["t"]
    for row in samples[1:]:
        seconds = max(row["t"] - previous_t, 1)
        previous_t = row["t"]
        cells = []
        for kind in kinds:
            p50, p99, _n = row["latency"].get(kind, (None, None, 0))
            cells.append(f"{ms(p50)} / {ms(p99)}")
        pytest_note = f" (pytest ×{row['pytest']})" if row["pytest"] else ""
        lines.append(
            f"| {row['t']} | {row['requests'] / seconds:.0f} | {row['5xx']} | "
            + " | ".join(cells)
            + f" | {fmt_cpus(row['cpus'])}{pytest_note} |"
        )
    lines += [
        "",
        "## Memory and PostgreSQL connections",
        "",
        "Resident memory (VmRSS) of each gunicorn process, master and worker together, MiB; "
        f"connections to the database `{DATABASE}` (`pg_stat_activity`); the pools' bound is "
        f"{s['pool_bound']} (2 processes × SQLAlchemy's 5 + 10 overflow).",
        "",
        "| t (s) | "
        + " | ".join(f"RSS {name}" for name in result["servers"])
        + " | PG connections |",
        "|---:|" + "---:|" * len(result["servers"]) + "---:|",
    ]
    boot = result["boot"]
    lines.append(
        "| boot (before any request) | "
        + " | ".join(mib(value) for value in boot["rss"])
        + f" | {boot['pg_connections']} |"
    )
    for row in samples:
        label = f"{row['t']}" + (f" ({row['label']})" if row["label"] else "")
        lines.append(
            f"| {label} | "
            + " | ".join(mib(value) for value in row["rss"])
            + f" | {row['pg_connections']} |"
        )
    db = result["database"]
    lines += [
        "",
        "## Database checks (after the run)",
        "",
        f"- Requests: {db['requests']:,} ({db['open']:,} open) on {db['items_with_requests']:,} "
        f"items; the answers said {result['created']:,} were created (burst included); "
        f"audit rows {db['audit_entries']:,}, messages in the outbox {db['mail_outbox']:,}.",
        f"- Items with more than one active (open or approved) request: {len(db['doubled'])}.",
        "- Items whose requested quantity (requests not rejected) exceeds their quantity: "
        f"{len(db['over_quantity'])}.",
        "",
        "## Targets",
        "",
        "| target | result | figures |",
        "|---|---|---|",
    ]
    lines += [f"| {label} | {'met' if met else 'MISSED'} | {fig} |" for label, met, fig in found]
    lines += ["", *notes(result), ""]
    return "\n".join(lines)


def notes(result: dict[str, Any]) -> list[str]:
    """Whether something else used the machine: the CPUs of other processes per window, and
    pytest processes (another engineer's test suite) seen at the samples."""
    windows = result["samples"][1:]  # the first sample opens the first window
    busy = [row for row in windows if row["cpus"] and row["cpus"]["other"] >= QUIET_BELOW]
    tested = [row for row in windows if row["pytest"]]
    burst = result["burst"]
    found = []
    if burst.get("cpus") and burst["cpus"].get("other", 0) >= QUIET_BELOW:
        found.append(
            f"**Noise during the burst:** other processes used {burst['cpus']['other']} CPUs "
            "while the maximum was measured: the maximum (and the rate derived from it) is "
            "lower than on a quiet machine."
        )
    if busy or tested:
        ends = sorted({row["t"] for row in busy + tested})
        mean = sum(row["cpus"]["other"] for row in busy) / len(busy) if busy else 0.0
        found.append(
            f"**Noise:** in {len(set(ends))} of {len(windows)} windows (ending at "
            + ", ".join(f"{t} s" for t in ends)
            + ") other processes shared the 2 CPUs"
            + (f", {mean:.2f} CPUs on average in those windows" if busy else "")
            + (
                f"; another engineer's test suite (pytest) was running at {len(tested)} of the "
                "samples"
                if tested
                else ""
            )
            + ". The latencies of those windows are higher for that reason (the servers, "
            "PostgreSQL and the generator waited for CPU), not because of the servers; the 5xx, "
            "memory, connection and database checks do not depend on it."
        )
    else:
        found.append("No other load was seen on the machine during the soak.")
    return found


def fmt_cpus(cpus: dict[str, float]) -> str:
    if not cpus:
        return "–"
    return f"{cpus['app']} / {cpus['generator']} / {cpus['other']}"


def print_summary(result: dict[str, Any], found: list[tuple[str, bool, str]]) -> None:
    soak = result["soak"]
    print(
        f"\nMaximum (burst): {result['burst']['rate']:.0f} req/s; rate used "
        f"{result['settings']['rate']} req/s, achieved {soak['rate']:.1f} req/s, "
        f"{soak['requests']:,} requests"
    )
    for row in soak["kinds"]:
        print(
            f"  {row['kind']:<12} {row['count']:>8,}  p50 {ms(row['p50']):>7} ms  p99 "
            f"{ms(row['p99']):>7} ms  unexpected {row['unexpected']}"
        )
    print(f"  race pairs: {soak['race']}")
    for key, problem in soak["samples"].items():
        print(f"  unexpected {key}: {soak['unexpected'][key]} × e.g. {problem}")
    print("Targets:")
    for label, met, figures in found:
        print(f"  [{'met' if met else 'MISSED':>6}] {label}: {figures}")


# --- main ----------------------------------------------------------------------------------------


def interrupted(_signal: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def needed_addresses(burst: dict[str, Any], rate: float, seconds: float) -> int:
    """Addresses enough for the soak's order proofs: each address near two thirds of its
    budgets (the share of proofs among requests as the burst measured it)."""
    counts = burst.get("statuses", {})
    total = sum(counts.values())
    proofs = sum(counts.get(kind, 0) for kind in PROOF_KINDS)
    share = proofs / total if total else 0.35
    per_second = share * rate
    for_hour = per_second * min(seconds, HOUR_WINDOW) / (PROOF_BUDGET[1] * 2 / 3)
    for_minute = per_second * MINUTE_WINDOW / (PROOF_BUDGET[0] * 2 / 3)
    return max(1024, math.ceil(for_hour), math.ceil(for_minute))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak",
        description=__doc__.splitlines()[0].strip("`: ").replace("``", ""),
        epilog="Writes docs/soak.md and instance/soak/results.json; exits 1 when a target "
        "is missed.",
    )
    parser.add_argument("--minutes", type=float, default=10, help="soak duration (default 10)")
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="requests per second (default: half of the burst's measured maximum)",
    )
    parser.add_argument(
        "--rate-share", type=float, default=0.5, help="share of the maximum used without --rate"
    )
    parser.add_argument(
        "--burst-seconds", type=float, default=25, help="the maximum's measurement (default 25)"
    )
    parser.add_argument("--burst-threads", type=int, default=16, help="client threads in the burst")
    parser.add_argument("--threads", type=int, default=48, help="client threads in the soak")
    parser.add_argument("--orders", type=int, default=40_000, help="guest orders seeded")
    parser.add_argument(
        "--addresses",
        type=int,
        default=0,
        help="client addresses of the soak (default: enough for each to use about two thirds "
        "of its hourly proof budget, at least 1024)",
    )
    parser.add_argument("--sample-seconds", type=float, default=30)
    parser.add_argument("--postgres-server", default=seed.POSTGRES_SERVER)
    parser.add_argument("--redis-url", default=REDIS_URL)
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help="keep the database soak afterwards (it is kept anyway when a target is missed)",
    )
    parser.add_argument("--no-report", action="store_true", help="do not write docs/soak.md")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite docs/soak.md from instance/soak/results.json, no run",
    )
    parser.add_argument("--seed", type=int, default=20261129, help="random seed of the traffic")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, interrupted)  # stopped: the servers, keys and database go
    if args.report_only:
        saved = SOAK_DIR / "results.json"
        if not saved.exists():
            parser.error(f"{saved.relative_to(ROOT)} does not exist: run the soak first")
        saved_result = json.loads(saved.read_text(encoding="utf-8"))
        verdicts = evaluate(saved_result)
        print_summary(saved_result, verdicts)
        REPORT.write_text(report(saved_result, verdicts), encoding="utf-8")
        print(f"\nWrote {REPORT.relative_to(ROOT)}")
        return 0 if all(met for _label, met, _fig in verdicts) else 1
    if args.orders < 1000:
        parser.error("--orders: at least 1000")

    SOAK_DIR.mkdir(parents=True, exist_ok=True)
    run_tag = secrets.randbelow(100_000)
    prefix = f"soak-{secrets.token_hex(6)}"
    admin_url = seed._libpq(make_url(args.postgres_server).set(database="postgres"))
    command = "python -m bench.soak" + (" " + " ".join(argv or sys.argv[1:])).rstrip()
    found: list[tuple[str, bool, str]] = []
    keep = args.keep_database

    print(f"== seeding {args.orders:,} orders into PostgreSQL database {DATABASE}", flush=True)
    started = time.perf_counter()
    url = seed_database(args.orders, args.postgres_server)
    print(f"  seeded in {time.perf_counter() - started:.1f} s", flush=True)
    items = sum(seed.item_count(i) for i in range(1, args.orders + 1))
    result: dict[str, Any] = {"command": command, "machine": machine(admin_url, args.redis_url)}
    try:
        with ExitStack() as stack:
            print(f"== two gunicorn processes (rate-limit key prefix {prefix})", flush=True)
            env = server_env(url, prefix, args.redis_url, secrets.token_urlsafe(48))
            servers = [stack.enter_context(gunicorn(name, env)) for name in ("a", "b")]
            threads_per_worker = int(os.environ.get("WEBAPP_THREADS", "4"))
            rng = random.Random(args.seed)
            traffic = Traffic(
                [s.port for s in servers],
                Orders(args.orders, rng),
                Addresses(BURST_ADDRESSES, rng, block=128),
                run_tag,
                args.seed,
            )
            sampler = Sampler(traffic, servers, admin_url)
            stack.callback(sampler.close)
            time.sleep(1)
            result["boot"] = {
                "rss": [s.rss() for s in servers],
                "pg_connections": sampler.connections(),
            }
            burst: dict[str, Any] = {"seconds": 0, "rate": 0.0, "requests": 0, "unexpected": 0}
            burst.update(cpus={}, attempts=[], five_xx=0)
            burst_created = 0
            attempts: list[dict[str, Any]] = []
            for attempt in range(1, BURST_ATTEMPTS + 1 if args.burst_seconds > 0 else 1):
                quiet = wait_for_quiet(QUIET_BELOW, 60)
                print(
                    f"== burst {attempt}: {args.burst_seconds:g} s at full speed, "
                    f"{args.burst_threads} threads",
                    flush=True,
                )
                sampler.cpus()
                stats = traffic.run(args.burst_threads, args.burst_seconds, None)
                burst_created += stats.created
                measured: dict[str, Any] = {
                    "seconds": stats.elapsed,
                    "requests": stats.total(),
                    "rate": stats.total() / stats.elapsed,
                    "unexpected": sum(stats.unexpected.values()),
                    "cpus": sampler.cpus(),
                    "other_before": quiet,
                    "samples": {f"{k[0]} {k[1]}": vars(p) for k, p in stats.samples.items()},
                    "five_xx": stats.server_errors,
                    "statuses": {k: sum(v.values()) for k, v in stats.statuses.items()},
                }
                attempts.append(measured)
                print(
                    f"  {measured['rate']:.0f} req/s, {measured['requests']:,} requests, "
                    f"unexpected {measured['unexpected']}, CPUs {measured['cpus']}",
                    flush=True,
                )
                for key, problem in stats.samples.items():
                    print(f"  burst unexpected {key}: {problem}", flush=True)
                if measured["cpus"].get("other", 0) < QUIET_BELOW:
                    break
                print(
                    f"  other processes used {measured['cpus'].get('other')} CPUs meanwhile: "
                    "the maximum is measured again",
                    flush=True,
                )
            if attempts:
                burst = dict(max(attempts, key=lambda a: a["rate"]))
                burst["attempts"] = [
                    {"rate": a["rate"], "other": a["cpus"].get("other")} for a in attempts
                ]
                burst["unexpected"] = sum(a["unexpected"] for a in attempts)
                burst["five_xx"] = sum(a["five_xx"] for a in attempts)
                burst["samples"] = {k: v for a in attempts for k, v in a["samples"].items()}
            if args.rate is not None:
                rate, origin = args.rate, "set with --rate"
            elif burst["rate"]:
                rate = max(5.0, round(burst["rate"] * args.rate_share / 5) * 5)
                origin = f"{args.rate_share:.0%} of the measured maximum, rounded to 5"
            else:
                parser.error("--rate is needed with --burst-seconds 0")
            seconds = args.minutes * 60
            addresses = args.addresses or needed_addresses(burst, rate, seconds)
            traffic.addresses = Addresses(addresses, rng)
            result["burst"] = burst
            result["servers"] = [s.name for s in servers]
            result["settings"] = {
                "minutes": args.minutes,
                "rate": rate,
                "rate_origin": origin,
                "threads": args.threads,
                "burst_threads": args.burst_threads,
                "threads_per_worker": threads_per_worker,
                "orders": args.orders,
                "items": items,
                "addresses": addresses,
                "sample_seconds": args.sample_seconds,
                "pool_bound": 2 * 15,
                "prefix": prefix,
            }
            print(f"== soak: {args.minutes:g} min at {rate:g} req/s", flush=True)
            time.sleep(2)
            sampler.rows = []
            sampler.started = time.monotonic()
            sampler.sample("soak start")
            sampling = threading.Thread(
                target=sampler.loop, args=(args.sample_seconds,), daemon=True
            )
            sampling.start()
            stats = traffic.run(args.threads, seconds, rate)
            sampler.stop.set()
            sampling.join()
            if time.monotonic() - sampler.started - sampler.rows[-1]["t"] > 5:
                final = sampler.sample("end")
                print_row(final, max(final["t"] - sampler.rows[-2]["t"], 1))
            else:
                sampler.rows[-1]["label"] = "end"
            elapsed = stats.elapsed
            total = stats.total()
            for server in servers:
                if server.process.poll() is not None:
                    print(f"  gunicorn {server.name} died during the run", flush=True)
                    result.setdefault("died", []).append(server.name)
            result["samples"] = sampler.rows
            result["soak"] = {
                "requests": total,
                "seconds": elapsed,
                "rate": total / elapsed,
                "5xx": stats.server_errors,
                "unexpected": {f"{k[0]} {k[1]}": v for k, v in stats.unexpected.items()},
                "samples": {f"{k[0]} {k[1]}": vars(p) for k, p in stats.samples.items()},
                "kinds": kind_totals(stats),
                "lateness_p50": percentile(stats.lateness, 0.5),
                "lateness_p99": percentile(stats.lateness, 0.99),
                "lateness_max": max(stats.lateness) if stats.lateness else None,
                "per_server": {
                    s.name: stats.per_port[s.port] for s in servers if s.port in stats.per_port
                },
                "race": {"/".join(map(str, k)): v for k, v in stats.race_pairs.items()},
                "addresses_used": len(traffic.addresses.used),
                "busiest": traffic.addresses.busiest(),
                "address_waits": traffic.addresses.waits,
                "orders_left": traffic.orders.left(),
                "items_used": traffic.orders.used,
                "items_cancellable": sum(
                    len(Orders.cancellable(i)) for i in range(1, args.orders + 1)
                ),
                "ran_out": traffic.orders.ran_out,
            }
            result["created"] = burst_created + stats.created
            result["database"] = check_database(url)
        # the servers are stopped: their logs are complete
        result["log_problems"] = {s.name: log_problems(s) for s in servers if log_problems(s)}
        found = evaluate(result)
        keep = keep or not all(met for _label, met, _fig in found)
        (SOAK_DIR / "results.json").write_text(
            json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8"
        )
        print_summary(result, found)
        if not args.no_report:
            REPORT.parent.mkdir(parents=True, exist_ok=True)
            REPORT.write_text(report(result, found), encoding="utf-8")
            print(f"\nWrote {REPORT.relative_to(ROOT)}")
    finally:
        deleted = redis_cleanup(args.redis_url, prefix)
        print(f"Deleted {deleted} Redis keys of prefix {prefix}", flush=True)
        if keep:
            print(f"Kept the database {DATABASE} for inspection", flush=True)
        else:
            drop_database(args.postgres_server)
    return 0 if found and all(met for _label, met, _fig in found) else 1


if __name__ == "__main__":
    sys.exit(main())
