"""``make bench``: seed, serve with gunicorn, load with wrk, report (docs/benchmark.md).

For each database (SQLite file, PostgreSQL database ``bench``) the app runs under gunicorn with
2 sync workers; wrk, in its own process, drives a fixed number of connections for a fixed time
against: a bare constant-JSON Flask app (the ceiling), a bare app doing only what the contract
asks of every proven-order POST (the floor: CSRF check, session rewritten), the lookup API, the
order page (HTML) and the single cancellation POST. SQL statements per lookup are counted
in-process with a ``before_cursor_execute`` listener through ``app.test_client()``. Targets are
reported as met/missed, never asserted. Raw results go to ``instance/bench/results-<orders>.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import create_engine, event, make_url, text

from . import seed
from .loopback import Reply, call, free_port

ROOT = seed.ROOT
BENCH_DIR = seed.BENCH_DIR
WRK_DIR = Path(__file__).resolve().parent / "wrk"
REPORT = ROOT / "docs" / "benchmark.md"
SECRET_KEY = "bench-secret-key-not-for-production-0123456789abcdef"
SESSION_ORDER_LIMIT = 10  # webapp.config.Config.SESSION_ORDER_LIMIT
READY_TIMEOUT = 30.0

ENDPOINTS = {
    "lookup": "lookup API (POST /users/orders/anonymous/)",
    "order_page": "order page (GET /orders/<id>/)",
    "cancel": "cancellation (POST .../cancellation_requests/)",
}
STATEMENT_ROWS = {
    "lookup": ENDPOINTS["lookup"],
    "lookup_with_requests": "lookup API, an item with a request",
    "order_page": ENDPOINTS["order_page"],
    "cancel": ENDPOINTS["cancel"],
}
FLOOR_TITLE = "floor: JSON POST, Flask-WTF CSRF check, Flask session rewritten, no database"
FLOOR_BOUND = ("lookup", "cancel")  # the endpoints that must do all of the floor's work
TARGETS = {"lookup": 0.50, "order_page": 0.35, "cancel": 0.25}
LOOKUP_P99_MS = 50.0
MAX_LOOKUP_STATEMENTS = 4
SCALE_SMALL, SCALE_LARGE, SCALE_FACTOR = 100_000, 1_000_000, 1.2


# --- servers --------------------------------------------------------------------------------


@dataclass
class Server:
    port: int
    pid: int
    database_url: str | None = None  # on PostgreSQL, its backends for this database are ours

    def pids(self) -> list[int]:
        """The master, its workers and, on PostgreSQL, the backends serving the database."""
        found = [self.pid, *child_pids(self.pid)]
        if self.database_url and self.database_url.startswith("postgresql"):
            found += postgres_backends(self.database_url)
        return found


@contextmanager
def served(
    app_spec: str,
    log_path: Path,
    workers: int,
    env: dict[str, str],
    ready_path: str,
    ready_timeout: float = READY_TIMEOUT,
) -> Iterator[tuple[int, subprocess.Popen]]:
    """gunicorn with the project's config on a free port, ``env`` over this environment, until
    ``ready_path`` answers 200; its port and process; always terminated."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "-w", str(workers),
               "-b", f"127.0.0.1:{port}", "--no-control-socket", app_spec]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + ready_timeout
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"gunicorn exited; see {log_path}")
                try:
                    if call(port, "GET", ready_path).status == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn not ready in time; see {log_path}")
                time.sleep(0.2)
            yield port, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


@contextmanager
def gunicorn(app_spec: str, name: str, workers: int, env: dict[str, str], ready_path: str):
    """The benchmark's server: sync workers (one thread each) with rate limits and the access
    log off, whatever gunicorn.conf.py's defaults for `make run` (threads, limits on) are."""
    settings = {**env, "WEBAPP_ACCESS_LOG": "off", "WEBAPP_THREADS": "1",
                "WEBAPP_RATELIMIT_ENABLED": "false"}  # fmt: skip
    log_path = BENCH_DIR / f"gunicorn-{name}.log"
    with served(app_spec, log_path, workers, settings, ready_path) as (port, process):
        yield Server(port, process.pid, env.get("WEBAPP_DATABASE_URL"))


# --- CPU accounting: the machine may be shared ----------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def system_ticks() -> int:
    """Busy CPU ticks of the whole machine (all CPUs)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return sum(fields) - fields[3] - fields[4]


def process_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total


def child_pids(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry.name))
    return found


def postgres_backends(url: str) -> list[int]:
    database = make_url(url).database
    try:
        with psycopg.connect(
            seed._libpq(make_url(url).set(database="postgres")), connect_timeout=5
        ) as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", (database,)
            ).fetchall()
    except psycopg.Error:
        return []
    return [row[0] for row in rows]


def other_load(seconds: float = 1.0) -> float:
    """CPUs kept busy by everything else while our server idles (sampled for ``seconds``)."""
    before = system_ticks()
    time.sleep(seconds)
    return (system_ticks() - before) / CLOCK_TICKS / seconds


def wait_for_quiet(limit: float, timeout: float) -> float:
    """Wait (bounded) until other processes use less than ``limit`` CPUs; the last sample."""
    deadline = time.monotonic() + timeout
    busy = other_load()
    if busy >= limit:
        print(
            f"    machine busy ({busy:.2f} CPUs used by other processes): waiting up to "
            f"{timeout:.0f} s for quiet",
            flush=True,
        )
    while busy >= limit and time.monotonic() < deadline:
        time.sleep(2)
        busy = other_load()
    return round(busy, 2)


def app_env(url: str) -> dict[str, str]:
    return {
        "WEBAPP_DATABASE_URL": url,
        "WEBAPP_RATELIMIT_ENABLED": "false",
        "WEBAPP_SECRET_KEY": SECRET_KEY,
        "WEBAPP_PRODUCTION": "true",
        "WEBAPP_TRUSTED_HOSTS": '["127.0.0.1", "localhost"]',
    }


# --- wrk ------------------------------------------------------------------------------------


def lua(value: Any) -> str:
    """A Python value as a Lua literal (dicts, lists, strings, numbers, booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list | tuple):
        return "{" + ", ".join(lua(v) for v in value) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


@dataclass
class Load:
    connections: int
    threads: int
    seconds: int
    warmup: int
    quiet_below: float = 0.3
    quiet_timeout: float = 60.0


def wrk(server: Server, script: str, data: dict, load: Load, seconds: int, label: str) -> dict:
    data_file = BENCH_DIR / f"wrk-{script}.lua"
    data_file.write_text("return " + lua({"seed": 20240601, **data}) + "\n", encoding="utf-8")
    command = [
        "wrk",
        "-t",
        str(load.threads),
        "-c",
        str(load.connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(WRK_DIR / f"{script}.lua"),
        f"http://127.0.0.1:{server.port}",
        "--",
        str(data_file),
    ]
    ours = server.pids()
    ours_before, system_before = process_ticks(ours), system_ticks()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    finished = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, errors="replace", timeout=seconds + 60
    )
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    new = [pid for pid in server.pids() if pid not in ours]
    ours_used = process_ticks(ours) - ours_before + process_ticks(new)
    system_used = system_ticks() - system_before
    for line in finished.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            raw = json.loads(line.removeprefix("BENCH_RESULT "))
            break
    else:
        raise RuntimeError(f"wrk gave no result for {label}:\n{finished.stdout}{finished.stderr}")
    seconds_run = raw["duration_us"] / 1e6
    statuses = {int(k): v for k, v in raw["statuses"].items()}
    errors = {k: v for k, v in raw["errors"].items() if k != "status" and v}
    result = {
        "requests": raw["requests"],
        "seconds": round(seconds_run, 3),
        "rps": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(raw["latency_us"]["p50"] / 1000, 2),
        "p90_ms": round(raw["latency_us"]["p90"] / 1000, 2),
        "p99_ms": round(raw["latency_us"]["p99"] / 1000, 2),
        "max_ms": round(raw["latency_us"]["max"] / 1000, 2),
        "statuses": statuses,
        "non_2xx": sum(n for code, n in statuses.items() if not 200 <= code < 300),
        "socket_errors": errors,
        "most_issued_per_thread": raw["most_issued_per_thread"],
    }
    if raw["unexpected_sample"]:
        result["unexpected_sample"] = raw["unexpected_sample"]
    wrk_seconds = (children_after.ru_utime - children_before.ru_utime) + (
        children_after.ru_stime - children_before.ru_stime
    )
    server_cpus = ours_used / CLOCK_TICKS / seconds_run
    wrk_cpus = wrk_seconds / seconds_run
    result["cpus"] = {
        "server": round(server_cpus, 2),
        "wrk": round(wrk_cpus, 2),
        "other": round(max(system_used / CLOCK_TICKS / seconds_run - server_cpus - wrk_cpus, 0), 2),
    }
    return result


def measure(
    server: Server, script: str, data: dict, load: Load, label: str, warm_up: bool = True
) -> dict:
    print(
        f"  {label}: {f'warm-up {load.warmup} s, then ' if warm_up else ''}{load.seconds} s at "
        f"{load.connections} connections",
        flush=True,
    )
    if warm_up and load.warmup:
        wrk(server, script, data, load, load.warmup, label)
    quiet = wait_for_quiet(load.quiet_below, load.quiet_timeout)
    result = wrk(server, script, data, load, load.seconds, label)
    result["other_cpus_before"] = quiet
    print(
        f"    {result['rps']:.0f} req/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
        f"statuses {result['statuses']}, CPUs used {result['cpus']}"
        + (
            f"\n    first unexpected: {result['unexpected_sample']}"
            if "unexpected_sample" in result
            else ""
        ),
        flush=True,
    )
    return result


# --- one database ---------------------------------------------------------------------------


def csrf_client(port: int) -> dict[str, str]:
    reply = call(port, "GET", "/csrf_token/")
    if reply.status != 200:
        raise RuntimeError(f"GET /csrf_token/ answered {reply.status}")
    return {"token": json.loads(reply.body)["csrf_token"], "cookie": f"session={reply.cookie()}"}


def lookup_reply(port: int, client: dict[str, str], i: int) -> Reply:
    body = {"email": seed.order_email(i), "order": seed.order_number(i)}
    headers = {"X-CSRFToken": client["token"], "Cookie": client["cookie"]}
    return call(port, "POST", "/users/orders/anonymous/", body, headers)


def page_sessions(port: int, orders: int, count: int) -> tuple[list[dict], str | None]:
    """Session cookies that each looked up SESSION_ORDER_LIMIT random orders; or why not."""
    chooser = random.Random(4242)
    sessions = []
    for _ in range(count):
        client = csrf_client(port)
        ids = chooser.sample(range(1, orders + 1), SESSION_ORDER_LIMIT)
        for i in ids:
            reply = lookup_reply(port, client, i)
            if reply.status != 200:
                raise RuntimeError(f"lookup of order {i} answered {reply.status}")
            # the session now proves one order more, and a lookup renews the CSRF token
            client["cookie"] = f"session={reply.cookie()}"
            client["token"] = reply.cookie("csrftoken") or client["token"]
        sessions.append({"cookie": client["cookie"], "orders": ids})
    probe = call(
        port,
        "GET",
        f"/orders/{sessions[0]['orders'][0]}/",
        headers={"Accept": "text/html", "Cookie": sessions[0]["cookie"]},
    )
    if probe.status != 200 or b"<html" not in probe.body.lower():
        return [], (
            f"GET /orders/<id>/ answered {probe.status} after a successful lookup: the order "
            "page (webapp/pages/ + templates/order.html) is not ready yet; skipped"
        )
    return sessions, None


def coprime_stride(orders: int) -> int:
    for candidate in (1_000_003, 999_983, 1_299_709, 15_485_863):
        if math.gcd(candidate, orders) == 1:
            return candidate % orders or 1
    return 1


def clear_requests(url: str) -> None:
    """Remove every cancellation request so each cancellation run starts from fresh items."""
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in (
            "easy_returns",
            "audit_entries",
            "idempotency_records",
            "cancellation_requests",
        ):
            connection.execute(text(f"DELETE FROM {table}"))
    engine.dispose()


def count_statements(url: str) -> dict[str, dict[str, int]]:
    """SQL statements per request, in-process (test client), for orders of 1 and 20 items."""
    from webapp import create_app
    from webapp.extensions import db

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": SECRET_KEY,
            "RATELIMIT_ENABLED": False,
            "LOG_JSON": False,
        }
    )
    counts: dict[str, dict[str, int]] = {}
    statements: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    # Each request in its own contexts, as served: an app context held around the client
    # would share one ``g`` between requests.
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    client = app.test_client()
    client.get("/csrf_token/")

    def headers() -> dict[str, str]:
        """The CSRF token as the client holds it now (a lookup renews it)."""
        cookie = client.get_cookie("csrftoken")
        return {"X-CSRFToken": cookie.value if cookie else ""}

    try:
        for items in (1, 20):
            i = seed.first_order_with_items(items)
            body = {"email": seed.order_email(i), "order": seed.order_number(i)}
            checks = [
                (
                    "lookup",
                    lambda body=body: client.post(
                        "/users/orders/anonymous/", json=body, headers=headers()
                    ),
                ),
                ("order_page", lambda i=i: client.get(f"/orders/{i}/")),
            ]
            for name, send in checks:
                send()  # the first request may warm caches; count the second
                statements.clear()
                response = send()
                counts.setdefault(name, {})[str(items)] = len(statements)
                counts[name][f"status_{items}"] = response.status_code
        for items in (1, 20):
            i = seed.first_order_with_items(items)
            statements.clear()
            response = client.post(
                "/users/orders/anonymous/cancellation_requests/",
                json={
                    "email": seed.order_email(i),
                    "order": seed.order_number(i),
                    "order_item": seed.cancellable_item_id(i),
                    "reason": seed.CANCEL_REASON_ID,
                    "cancellation_type": "cancel",
                    "quantity": 1,
                },
                headers=headers(),
            )
            counts.setdefault("cancel", {})[str(items)] = len(statements)
            counts["cancel"][f"status_{items}"] = response.status_code
        for items in (1, 20):  # now that an item of each order has a request
            i = seed.first_order_with_items(items)
            body = {"email": seed.order_email(i), "order": seed.order_number(i)}
            client.post("/users/orders/anonymous/", json=body, headers=headers())
            statements.clear()
            response = client.post("/users/orders/anonymous/", json=body, headers=headers())
            counts.setdefault("lookup_with_requests", {})[str(items)] = len(statements)
            counts["lookup_with_requests"][f"status_{items}"] = response.status_code
    finally:
        event.remove(engine, "before_cursor_execute", record)
        engine.dispose()
    return counts


def bench_database(kind: str, url: str, load: Load, orders: int, workers: int) -> dict:
    print(f"== {kind}", flush=True)
    result: dict[str, Any] = {"url": url.split("@")[-1], "endpoints": {}}
    clear_requests(url)  # both orders counted start without requests, as on a first run
    result["sql_statements"] = count_statements(url)
    clear_requests(url)
    print(f"  SQL statements per request: {result['sql_statements']}", flush=True)
    with gunicorn("webapp:create_app()", kind, workers, app_env(url), "/readyz") as server:
        clients = [csrf_client(server.port) for _ in range(load.threads)]
        for i in (1, orders):
            reply = lookup_reply(server.port, clients[0], i)
            if reply.status != 200:
                raise RuntimeError(f"{kind}: lookup of order {i} answered {reply.status}")
        endpoints = result["endpoints"]
        endpoints["lookup"] = measure(
            server, "lookup", {"clients": clients, "orders": orders}, load, f"{kind} lookup"
        )

        sessions, why_not = page_sessions(server.port, orders, count=32)
        if why_not:
            print(f"  {kind} order page: {why_not}", flush=True)
            endpoints["order_page"] = {"skipped": why_not}
        else:
            endpoints["order_page"] = measure(
                server, "order_page", {"sessions": sessions}, load, f"{kind} order page"
            )

        cancel_data = {
            "clients": clients,
            "orders": orders,
            "threads": load.threads,
            "stride": coprime_stride(orders),
            "item_stride": seed.ITEM_STRIDE,
            "reason": seed.CANCEL_REASON_ID,
            "offset": 0,
        }
        clear_requests(url)  # a rerun on the same data starts from items nobody asked for
        if load.warmup:
            print(f"  {kind} cancellation: warm-up {load.warmup} s", flush=True)
            warm = wrk(server, "cancel", {**cancel_data, "offset": 0}, load, load.warmup, kind)
            # the measured run goes on past every sequence number the warm-up may have used
            cancel_data["offset"] = (warm["most_issued_per_thread"] + 1) * load.threads
        cancel = measure(server, "cancel", cancel_data, load, f"{kind} cancellation", warm_up=False)
        if cancel["most_issued_per_thread"] * load.threads + cancel_data["offset"] > orders:
            cancel["note"] = "more requests than orders: some items were asked for twice"
        endpoints["cancel"] = cancel
    return result


def measure_ceiling(load: Load, workers: int) -> dict:
    with gunicorn("bench.ceiling:app", "ceiling", workers, {}, "/") as server:
        return measure(server, "ceiling", {}, load, "ceiling")


def measure_floor(load: Load, workers: int, orders: int) -> dict:
    """The contract's floor (``bench.ceiling:floor``): a CSRF-checked POST rewriting the session."""
    with gunicorn("bench.ceiling:floor", "floor", workers, {}, "/csrf_token/") as server:
        clients = [csrf_client(server.port) for _ in range(load.threads)]
        data = {"clients": clients, "orders": orders, "path": "/"}
        return measure(server, "lookup", data, load, "floor")  # the lookup's request


def ceilings(results: dict) -> list[dict]:
    """The ceiling's runs: before the endpoints and, in newer results, after them."""
    return [results[key] for key in ("ceiling", "ceiling_after") if key in results]


def ceiling_rps(results: dict) -> float:
    """The ceiling's requests/s: the mean of its runs before and after the endpoints, so that
    the machine's drift during the run (a fifth, on the shared machines seen) evens out."""
    runs = ceilings(results)
    return sum(run["rps"] for run in runs) / len(runs)


def add_ratios(results: dict) -> None:
    reference = ceiling_rps(results)
    endpoints = ceilings(results) + [results[key] for key in ("floor",) if key in results]
    endpoints += [
        endpoint
        for database in results["databases"].values()
        for endpoint in database["endpoints"].values()
    ]
    for endpoint in endpoints:
        if "rps" in endpoint:
            endpoint["ratio"] = round(endpoint["rps"] / reference, 3)


# --- machine, targets, report ---------------------------------------------------------------


def host() -> dict[str, str]:
    """The machine's CPUs, memory, kernel, Python and the server's packages, and the date."""
    from importlib.metadata import version

    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    return {
        "nproc": str(len(os.sched_getaffinity(0))),
        "cpu": cpu,
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "gunicorn": version("gunicorn"),
        "flask": version("flask"),
        "date": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    }


def machine(postgres_server: str | None) -> dict[str, str]:
    postgres = "not used"
    if postgres_server:
        try:
            with psycopg.connect(
                seed._libpq(seed.postgres_url(postgres_server, "postgres")), connect_timeout=5
            ) as connection:
                postgres = connection.execute("SHOW server_version").fetchone()[0]
        except psycopg.Error as error:
            postgres = f"unreachable ({error.__class__.__name__})"
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    return {
        **host(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres,
        "wrk": (wrk_version.splitlines() or ["?"])[0].split(" Copyright")[0],
    }


def targets(results: dict, other: dict | None) -> list[tuple[str, bool | None, str]]:
    """(target, met?, figures) for every database; None when it can not be judged."""
    found: list[tuple[str, bool | None, str]] = []
    for kind, database in results["databases"].items():
        for name, share in TARGETS.items():
            endpoint = database["endpoints"].get(name, {})
            label = f"{kind}: {ENDPOINTS[name].split(' (')[0]} ≥ {share:.0%} of the ceiling"
            if name == "lookup":
                label += f", p99 < {LOOKUP_P99_MS:.0f} ms"
            if "rps" not in endpoint:
                found.append((label, None, endpoint.get("skipped", "not measured")))
                continue
            met = endpoint["ratio"] >= share and endpoint["non_2xx"] == 0
            figures = f"{endpoint['ratio']:.0%} ({endpoint['rps']:.0f} req/s"
            if name in FLOOR_BOUND and "rps" in results.get("floor", {}):
                figures += f", {endpoint['rps'] / results['floor']['rps']:.0%} of the floor"
            figures += ")"
            if name == "lookup":
                met = met and endpoint["p99_ms"] < LOOKUP_P99_MS
                figures += f", p99 {endpoint['p99_ms']} ms"
            if endpoint["non_2xx"]:
                figures += f", {endpoint['non_2xx']} non-2xx"
            found.append((label, met, figures))
        counted = database["sql_statements"]
        lookups = counted["lookup"]
        with_requests = counted.get("lookup_with_requests", lookups)
        answered = {value for counts in (lookups, with_requests)
                    for key, value in counts.items() if key.startswith("status_")}  # fmt: skip
        met = (
            answered == {200}
            and lookups["1"] == lookups["20"] <= MAX_LOOKUP_STATEMENTS
            and with_requests["1"] == with_requests["20"] <= MAX_LOOKUP_STATEMENTS
        )
        found.append(
            (
                f"{kind}: SQL statements per lookup equal for 1 and 20 items, "
                f"≤ {MAX_LOOKUP_STATEMENTS}",
                met,
                f"{lookups['1']} and {lookups['20']}; with a request on an item: "
                f"{with_requests['1']} and {with_requests['20']}"
                + ("" if answered == {200} else f" (answers {sorted(answered)}: not counted)"),
            )
        )
    if other is None:
        found.append(
            (
                f"lookup p50 at {SCALE_LARGE:,} orders within {SCALE_FACTOR}x of {SCALE_SMALL:,}",
                None,
                "needs runs at both sizes (--orders 100000 and --orders 1000000)",
            )
        )
    else:
        small, large = sorted((results, other), key=lambda r: r["orders"])
        for kind in small["databases"]:
            if kind not in large["databases"]:
                continue
            small_lookup = small["databases"][kind]["endpoints"]["lookup"]
            large_lookup = large["databases"][kind]["endpoints"]["lookup"]
            a, b = small_lookup["p50_ms"], large_lookup["p50_ms"]
            figures = f"{b} ms vs {a} ms ({b / a:.2f}x)"
            if per_cpu(small_lookup) and per_cpu(large_lookup):
                # CPU per request does not depend on the load of the rest of the machine
                cost = per_cpu(small_lookup) / per_cpu(large_lookup)
                figures += f"; app CPU per lookup {cost:.2f}x"
            found.append(
                (
                    f"{kind}: lookup p50 at {large['orders']:,} orders within "
                    f"{SCALE_FACTOR}x of {small['orders']:,}",
                    b <= a * SCALE_FACTOR,
                    figures,
                )
            )
    return found


def floor_budget(results: dict) -> list[str]:
    """What the floor leaves a lookup and a cancellation that meet their targets, in words."""
    floor = results.get("floor", {})
    if "ratio" not in floor:
        return []
    shares = []
    for name in FLOOR_BOUND:
        # time per request is 1/rate: the target's time less the floor's, over the floor's
        spare = floor["ratio"] / TARGETS[name] - 1
        title = ENDPOINTS[name].split(" (")[0]
        spent = [
            f"{floor['rps'] / database['endpoints'][name]['rps'] - 1:.0%} ({kind})"
            for kind, database in results["databases"].items()
            if "rps" in database["endpoints"].get(name, {})
        ]
        shares.append(
            f"the {title} at {TARGETS[name]:.0%} of the ceiling may spend "
            f"{max(spare, 0):.0%} of the floor's time on its own work, and spends "
            + (" and ".join(spent) or "–")
        )
    return [
        f"The floor reached {floor['ratio']:.0%} of the ceiling. It is what the contract asks of "
        "every lookup and cancellation before any work of its own (design.md: the CSRF token on "
        "every POST, the proven orders in the signed session): a JSON body read, Flask-WTF's "
        "CSRF check and Flask's signed cookie session opened and written again. On top of it, "
        + "; ".join(shares)
        + " (the database, the rules and the JSON answer; the app's own session and CSRF "
        "handling are lighter than Flask's and Flask-WTF's, so part of that is theirs)."
    ]


def verdict(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "n/a"}[met]


def per_cpu(endpoint: dict) -> float | None:
    """Requests per second of CPU used by the app (workers, plus PostgreSQL backends)."""
    cpus = endpoint.get("cpus", {}).get("server")
    return endpoint["rps"] / cpus if cpus else None


def table(results: dict) -> list[str]:
    rows = [
        "| endpoint | database | req/s | p50 ms | p99 ms | of ceiling | req per app CPU-s "
        "(of ceiling) | CPUs: app / wrk / other | responses |",
        "|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    rates = [rate for rate in map(per_cpu, ceilings(results)) if rate]
    ceiling_per_cpu = sum(rates) / len(rates) if rates else None
    entries = [("ceiling: bare Flask GET, constant JSON", "–", results["ceiling"])]
    if "floor" in results:
        entries.append((FLOOR_TITLE, "–", results["floor"]))
    for name, title in ENDPOINTS.items():
        for kind, database in results["databases"].items():
            entries.append((title, kind, database["endpoints"].get(name, {})))
    if "ceiling_after" in results:
        entries.append(("ceiling again, after the endpoints", "–", results["ceiling_after"]))
    for title, kind, endpoint in entries:
        if "rps" not in endpoint:
            why = endpoint.get("skipped", "not measured")
            rows.append(f"| {title} | {kind} | – | – | – | – | – | – | skipped: {why} |")
            continue
        cpus = endpoint.get("cpus", {})
        efficiency = per_cpu(endpoint)
        if efficiency is not None and ceiling_per_cpu:
            efficiency_text = f"{efficiency:.0f} ({efficiency / ceiling_per_cpu:.0%})"
        else:
            efficiency_text = "?"
        rows.append(
            f"| {title} | {kind} | {endpoint['rps']:.0f} | {endpoint['p50_ms']} | "
            f"{endpoint['p99_ms']} | {endpoint['ratio']:.0%} | {efficiency_text} | "
            f"{cpus.get('server', '?')} / {cpus.get('wrk', '?')} / {cpus.get('other', '?')} | "
            f"{statuses(endpoint)} |"
        )
    return rows


def statuses(endpoint: dict) -> str:
    codes = ", ".join(f"{n} × {code}" for code, n in sorted(endpoint["statuses"].items()))
    extra = f"; non-2xx: {endpoint['non_2xx']}"
    if endpoint.get("socket_errors"):
        extra += f"; socket errors: {endpoint['socket_errors']}"
    if endpoint.get("unexpected_sample"):
        sample = endpoint["unexpected_sample"][:160].replace("|", "\\|").replace("`", "'")
        extra += f"; first: `{sample}`"
    return codes + extra


def report(results: dict, found: list[tuple[str, bool | None, str]]) -> str:
    m, load = results["machine"], results["load"]
    lines = [
        "# Benchmark",
        "",
        "Written by `make bench` (`python -m bench.run`, options in `BENCH_ARGS`, e.g.",
        "`make bench BENCH_ARGS='--orders 1000000'`); every run overwrites this page. Raw results:",
        f"`instance/bench/results-{results['orders']}.json`.",
        "",
        f"**{results['orders']:,} guest orders** of 1 to 20 items (about "
        f"{results['orders'] * 10.5:,.0f} items) on each database. gunicorn "
        f"{m['gunicorn']}, {load['workers']} sync workers, access log off, rate limits off; "
        f"wrk in its own process, {load['threads']} threads, {load['connections']} connections, "
        f"{load['seconds']} s per endpoint after a {load['warmup']} s warm-up. Latencies are wrk's "
        "(from the client, queueing included). A figure counts only when every response has the "
        "expected status (200).",
        "",
        "Where the time goes, what was changed and what is left: [performance.md](performance.md).",
        "",
        "## Machine",
        "",
        f"- CPUs (nproc): {m['nproc']}, {m['cpu']}",
        f"- RAM: {m['ram']}; kernel {m['kernel']}",
        f"- Python {m['python']}, Flask {m['flask']}, SQLite {m['sqlite']}, "
        f"PostgreSQL {m['postgresql']}, {m['wrk']}",
        f"- Date: {m['date']}",
        "",
        "The load generator, the workers and PostgreSQL share these CPUs. Before each measured "
        "run the driver waits (bounded) until other processes use less than "
        f"{load['quiet_below']} CPUs; the last column shows what each side used during the run "
        "(app = gunicorn master and workers, plus the PostgreSQL backends of the `bench` "
        "database; other = the rest of the machine). *Req per app CPU-s* divides the rate by "
        "the app's CPUs: compared with the ceiling's, it is the share that does not depend on "
        "how busy the rest of the machine was. "
        + (
            "The ceiling runs before the endpoints and again after them; *of ceiling* is a "
            "share of the mean of the two (the machine's own speed drifts over minutes: "
            f"{results['ceiling']['rps']:.0f} and {results['ceiling_after']['rps']:.0f} req/s "
            "in this run)."
            if "ceiling_after" in results
            else ""
        ),
        "",
        "## Throughput and latency",
        "",
        *table(results),
        "",
        "## SQL statements per request",
        "",
        "Counted in-process (`before_cursor_execute`, `app.test_client()`), warm requests.",
        "",
        "| request | database | order of 1 item | order of 20 items |",
        "|---|---|---:|---:|",
    ]
    for name, title in STATEMENT_ROWS.items():
        for kind, database in results["databases"].items():
            counts = database["sql_statements"].get(name, {})
            if not counts:
                continue
            one = counts.get("1", "–")
            if counts.get("status_1", 200) != 200:
                one = f"{one} (status {counts['status_1']})"
            twenty = counts.get("20", "–")
            if counts.get("status_20", 200) != 200:
                twenty = f"{twenty} (status {counts['status_20']})"
            lines.append(f"| {title} | {kind} | {one} | {twenty} |")
    lines += ["", "## Targets", "", "| target | result | figures |", "|---|---|---|"]
    lines += [f"| {label} | {verdict(met)} | {figures} |" for label, met, figures in found]
    if budget := floor_budget(results):
        lines += ["", *budget]
    lines += [
        "",
        "## Method",
        "",
        '- Data: `bench/seed.py`, deterministic (order *i*: number `f"{i:012d}"`, email '
        "`guest{i}@bench.example`, items `i * 20 + j`, item 0 preparing, about a fifth of the "
        "others delivered 1–10 days ago); schema by the migrations; SQLite by Core "
        "`executemany`, PostgreSQL by `COPY`.",
        "- Ceiling: `bench/ceiling.py`, a bare Flask app with one route returning "
        '`jsonify({"ok": True})`, under the same gunicorn settings.',
        "- Floor: `bench/ceiling.py` too, a second bare Flask app with Flask-WTF's "
        "`CSRFProtect` and Flask's own session: a JSON POST with the `X-CSRFToken` header and "
        "a session cookie (one per wrk thread, as for the lookup), whose view adds the order "
        "number to the session and answers a constant JSON; same gunicorn settings.",
        "- Lookup: random orders, one CSRF token and session cookie per wrk thread.",
        "- Order page: 32 session cookies, each of which looked up 10 random orders by POST "
        "first; random session and order per request.",
        "- Cancellation: each request on a different order's preparing item, ownership "
        "proven in the body (`email`, `order`); earlier requests are deleted before the "
        "warm-up, and the measured run goes on past the items the warm-up used.",
        "",
    ]
    return "\n".join(lines)


def print_summary(results: dict, found: list) -> None:
    print("\n" + "\n".join(table(results)))
    print("\nTargets:")
    for label, met, figures in found:
        print(f"  [{verdict(met):>6}] {label}: {figures}")
    for line in floor_budget(results):
        print("\n" + line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per endpoint")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up seconds per endpoint")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--postgres-server",
        default=seed.POSTGRES_SERVER,
        help="server URL; the database 'bench' is dropped and created",
    )
    parser.add_argument(
        "--skip-seed",
        action="store_true",
        help="reuse the databases when they already hold --orders orders",
    )
    parser.add_argument(
        "--quiet-below",
        type=float,
        default=0.3,
        help="before each measurement, wait until other processes use fewer CPUs than this",
    )
    parser.add_argument(
        "--quiet-timeout", type=float, default=60, help="seconds to wait for a quiet machine"
    )
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite docs/benchmark.md from instance/bench/results-<orders>.json, no load",
    )
    parser.add_argument("--no-report", action="store_true", help="do not write the docs page")
    args = parser.parse_args(argv)

    if args.report_only:
        saved = BENCH_DIR / f"results-{args.orders}.json"
        if not saved.exists():
            parser.error(f"{saved.relative_to(ROOT)} does not exist: run the benchmark first")
        finish(json.loads(saved.read_text(encoding="utf-8")), write=not args.no_report)
        return 0
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk (make bench does it)", file=sys.stderr)
        return 2
    kinds = [kind.strip() for kind in args.databases.split(",") if kind.strip()]
    if not set(kinds) <= {"sqlite", "postgresql"}:
        parser.error("--databases takes sqlite and/or postgresql")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    load = Load(
        args.connections,
        args.threads,
        args.seconds,
        args.warmup,
        args.quiet_below,
        args.quiet_timeout,
    )

    urls = {}
    for kind in kinds:
        url = seed.sqlite_url() if kind == "sqlite" else seed.postgres_url(args.postgres_server)
        if args.skip_seed and seed.seeded_orders(url) == args.orders:
            print(f"  reusing {kind} with {args.orders:,} orders", flush=True)
        else:
            url = seed.seed(kind, args.orders, args.postgres_server)
        urls[kind] = url

    results: dict[str, Any] = {
        "orders": args.orders,
        "load": {
            "connections": load.connections,
            "threads": load.threads,
            "seconds": load.seconds,
            "warmup": load.warmup,
            "quiet_below": load.quiet_below,
            "workers": args.workers,
        },
        "machine": machine(args.postgres_server if "postgresql" in kinds else None),
        "databases": {},
    }
    print("== ceiling", flush=True)
    results["ceiling"] = measure_ceiling(load, args.workers)
    print("== floor", flush=True)
    results["floor"] = measure_floor(load, args.workers, args.orders)
    for kind, url in urls.items():
        results["databases"][kind] = bench_database(kind, url, load, args.orders, args.workers)
    print("== ceiling, again", flush=True)
    results["ceiling_after"] = measure_ceiling(load, args.workers)
    add_ratios(results)

    raw = BENCH_DIR / f"results-{args.orders}.json"
    raw.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    finish(results, write=not args.no_report)
    return 0


def finish(results: dict, write: bool = True) -> None:
    """Targets, the printed table and (unless told not to) docs/benchmark.md."""
    add_ratios(results)
    other_size = {SCALE_SMALL: SCALE_LARGE, SCALE_LARGE: SCALE_SMALL}.get(results["orders"])
    other = None
    if other_size is not None:
        other_file = BENCH_DIR / f"results-{other_size}.json"
        if other_file.exists():
            other = json.loads(other_file.read_text(encoding="utf-8"))
    found = targets(results, other)
    print_summary(results, found)
    if write:
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(report(results, found), encoding="utf-8")
        print(f"\nWrote {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
