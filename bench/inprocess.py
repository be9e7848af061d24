"""In-process timing (no server, no network) of the lookup, the order page and cancellations.

Run after ``make bench`` has seeded its databases::

    .venv/bin/python -m bench.inprocess                      # SQLite, 100,000 orders
    .venv/bin/python -m bench.inprocess --database postgresql --orders 1000000

Requests are prebuilt WSGI environments handed straight to the app (no test client, whose
cookie jar and response wrapping cost as much as a small request). Each kind runs in rounds;
the report gives the app's CPU time per request (and wall time, which on PostgreSQL includes
waiting for the server): the fastest round and the median one, and the garbage collector's
pauses meanwhile.
Cancelling deletes the database's earlier cancellation requests first, as ``make bench`` does.
"""

from __future__ import annotations

import argparse
import gc
import io
import random
import statistics
import time
from collections.abc import Callable, Iterable

from werkzeug.test import EnvironBuilder

from bench.run import SECRET_KEY, clear_requests
from bench.seed import (
    BENCH_DIR,
    CANCEL_REASON_ID,
    POSTGRES_SERVER,
    cancellable_item_id,
    order_email,
    order_number,
)
from webapp import create_app

ROUNDS = 7
Environ = dict


def database_url(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"
    return POSTGRES_SERVER.rstrip("/") + "/bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--orders", type=int, default=100_000, help="orders in the database")
    parser.add_argument("--lookups", type=int, default=500, help="lookups per round")
    parser.add_argument("--pages", type=int, default=200, help="order pages per round")
    parser.add_argument("--cancels", type=int, default=200, help="cancellations per round")
    args = parser.parse_args()
    url = database_url(args.database)
    app = create_app(
        {"DATABASE_URL": url, "RATELIMIT_ENABLED": False, "SECRET_KEY": SECRET_KEY,
         "LOG_LEVEL": "WARNING", "PRODUCTION": True,
         "TRUSTED_HOSTS": ["localhost", "127.0.0.1"]}
    )  # fmt: skip
    client = app.test_client()
    token = client.get("/csrf_token/").get_json()["csrf_token"]
    headers = {"X-CSRFToken": token, "Cookie": f"session={client.get_cookie('session').value}",
               "Accept": "application/json"}  # fmt: skip
    chosen = random.Random(1)

    def lookup(i: int) -> Environ:
        body = {"email": order_email(i), "order": order_number(i)}
        return environ("/users/orders/anonymous/", "POST", body, headers)

    def cancel(i: int) -> Environ:
        body = {"email": order_email(i), "order": order_number(i), "quantity": 1,
                "order_item": cancellable_item_id(i), "reason": CANCEL_REASON_ID,
                "cancellation_type": "cancel"}  # fmt: skip
        return environ("/users/orders/anonymous/cancellation_requests/", "POST", body, headers)

    kinds: list[tuple[str, list[Environ]]] = []
    if args.lookups:
        orders = [chosen.randint(1, args.orders) for _ in range(args.lookups * ROUNDS)]
        kinds.append(("lookup", [lookup(i) for i in orders]))
    if args.pages:
        kinds.append(("order page", page_environs(client, chosen, args, token)))
    if args.cancels:
        clear_requests(url)
        orders = chosen.sample(range(1, args.orders + 1), args.cancels * (ROUNDS + 1))
        kinds.append(("cancellation", [cancel(i) for i in orders]))
    print(f"{args.database}, {args.orders:,} orders; per request, fastest and median round:")
    for name, environs in kinds:
        pauses = GcPauses()
        gc.callbacks.append(pauses)
        try:
            cpu, wall = timed_rounds(app, environs)
        finally:
            gc.callbacks.remove(pauses)
        print(
            f"  {name:13s} CPU {min(cpu):.3f} / {statistics.median(cpu):.3f} ms, "
            f"wall {min(wall):.3f} / {statistics.median(wall):.3f} ms; {pauses}"
        )


class GcPauses:
    """The garbage collector's pauses while requests run (a ``gc.callbacks`` entry)."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._started = 0.0

    def __call__(self, phase: str, _info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append((time.perf_counter() - self._started) * 1000)

    def __str__(self) -> str:
        if not self.pauses:
            return "no GC pause"
        return (
            f"{len(self.pauses)} GC pauses, {sum(self.pauses):.1f} ms in all, "
            f"longest {max(self.pauses):.1f} ms"
        )


def environ(path: str, method: str = "GET", json: dict | None = None, headers=None) -> Environ:
    built = EnvironBuilder(path=path, method=method, json=json, headers=headers).get_environ()
    built["bench.body"] = built["wsgi.input"].read()
    return built


def page_environs(client, chosen: random.Random, args, token: str) -> list[Environ]:
    """A session that looked up ten random orders, then pages of those orders."""
    proven = chosen.sample(range(1, args.orders + 1), 10)
    for i in proven:
        response = client.post(
            "/users/orders/anonymous/",
            json={"email": order_email(i), "order": order_number(i)},
            headers={"X-CSRFToken": token},
        )
        assert response.status_code == 200, response.status_code
        token = client.get_cookie("csrftoken").value  # a lookup renews the token
    cookie = {"Cookie": f"session={client.get_cookie('session').value}", "Accept": "text/html"}
    return [
        environ(f"/orders/{chosen.choice(proven)}/", headers=cookie)
        for _ in range(args.pages * ROUNDS)
    ]


def timed_rounds(app: Callable, environs: list[Environ]) -> tuple[list[float], list[float]]:
    """ROUNDS rounds after a warm-up on the last 20 requests: ms per request in each round."""
    warm_up, measured = environs[-20:], environs[:-20]
    run(app, warm_up)
    size = len(measured) // ROUNDS
    cpu, wall = [], []
    for number in range(ROUNDS):
        batch = measured[number * size : (number + 1) * size]
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        run(app, batch)
        cpu.append((time.process_time() - started_cpu) / len(batch) * 1000)
        wall.append((time.perf_counter() - started_wall) / len(batch) * 1000)
    return cpu, wall


def run(app: Callable, environs: Iterable[Environ]) -> None:
    status = []

    def start_response(line: str, _headers, _exc_info=None) -> None:
        status.append(line)

    for prepared in environs:
        request = dict(prepared, **{"wsgi.input": io.BytesIO(prepared["bench.body"])})
        b"".join(app(request, start_response))
        if not status[-1].startswith("200"):
            raise RuntimeError(f"{request['PATH_INFO']} answered {status[-1]}")


if __name__ == "__main__":
    main()
