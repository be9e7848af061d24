"""The site as `make run` serves it: gunicorn with gunicorn.conf.py's defaults (one process,
threads), SQLite and rate limits in memory. The guessing budget holds across its threads, the
access log is one JSON object a line naming no client, and several processes that would each
count their own limits are refused."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.loopback import call, free_port

from ..served import ROOT, clean_env, start_gunicorn, wait_ready

LOOKUP = "/users/orders/anonymous/"


def served_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return clean_env(
        WEBAPP_DATABASE_URL=f"sqlite:///{tmp_path / 'served.sqlite3'}",
        WEBAPP_RATELIMIT_ENABLED="true",
        WEBAPP_SECRET_KEY="served-test-secret-key-0123456789-abcdefghijklmnopqrstu",
        **extra,
    )


def gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    return start_gunicorn(env, port, log, "--config", "gunicorn.conf.py")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("served")
    env = served_env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "webapp", "init-db"],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    port, log = free_port(), tmp_path / "gunicorn.log"
    process = gunicorn(env, port, log)
    try:
        wait_ready(port, process, log)
        yield port, log
    finally:
        process.terminate()
        process.wait(timeout=10)


def csrf_headers(port: int) -> dict[str, str]:
    reply = call(port, "GET", "/csrf_token/")
    cookie = f"session={reply.cookie()}"
    return {"X-CSRFToken": reply.json()["csrf_token"], "Cookie": cookie}


def test_ten_lookups_a_minute_hold_across_the_threads_of_make_runs_server(served):
    port, _log = served
    headers = csrf_headers(port)
    statuses: list[int] = []
    start = threading.Barrier(14, timeout=10)

    def guess(n: int) -> None:
        start.wait()
        body = {"email": "a@example.com", "order": f"7500000000{n:02d}"}
        statuses.append(call(port, "POST", LOOKUP, body, headers).status)

    guessers = [threading.Thread(target=guess, args=(n,)) for n in range(14)]
    for guesser in guessers:
        guesser.start()
    for guesser in guessers:
        guesser.join(timeout=30)
    assert sorted(statuses) == [404] * 10 + [429] * 4


def test_every_access_line_is_json_and_names_no_client(served):
    port, log = served
    assert call(port, "GET", "/x%0A%7B%22forged%22:1%7D%22/").status == 404
    deadline = time.monotonic() + 10
    while True:  # gunicorn writes the access line once the answer is sent
        entries = [json.loads(line) for line in log.read_text().splitlines()]
        paths = [entry.get("path") for entry in entries if entry.get("logger") == "access"]
        forged = [path for path in paths if path.startswith("/x\n")]
        if forged or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    [path] = forged  # the newline inside the path's string, not a line of its own
    assert "forged" in path
    assert not [entry for entry in entries if "forged" in entry and entry.get("logger") != "access"]
    for entry in entries:
        if not str(entry.get("message", "")).startswith("Listening at"):
            assert "127.0.0.1" not in json.dumps(entry)


def test_several_processes_counting_limits_in_memory_are_refused(tmp_path):
    env = served_env(tmp_path, WEB_CONCURRENCY="2")
    log = tmp_path / "refused.log"
    process = gunicorn(env, free_port(), log)
    assert process.wait(timeout=30) != 0
    assert "WEBAPP_RATELIMIT_STORAGE_URI" in log.read_text()
