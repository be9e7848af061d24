"""gunicorn serving the site in a process of its own, for the tests that need a real server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.loopback import Reply, call

ROOT = Path(__file__).resolve().parents[1]
START_TIMEOUT = 30.0


def clean_env(**settings: str) -> dict[str, str]:
    """This environment less any setting of the app's or of where Python finds modules, plus
    ``settings``."""
    dropped = {"PYTHONPATH", "PYTHONHOME", "FLASK_APP", "WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"}
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("WEBAPP_") and key not in dropped}  # fmt: skip
    env.update(settings)
    return env


def start_gunicorn(
    env: dict[str, str],
    port: int,
    log: Path,
    *options: str,
    cwd: Path = ROOT,
    python: str = sys.executable,
) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:``port`` with ``options`` (the checkout's gunicorn.conf.py when
    ``cwd`` is the checkout), its output in ``log``; in a session of its own."""
    with log.open("wb") as output:
        return subprocess.Popen(
            [python, "-m", "gunicorn", *options, "-b", f"127.0.0.1:{port}",
             "--no-control-socket", "webapp:create_app()"],
            cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip


def wait_ready(port: int, process: subprocess.Popen, log: Path) -> Reply:
    """/readyz's first 200, or the test fails with gunicorn's output."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{log.read_text(errors='replace')}")
        try:
            reply = call(port, "GET", "/readyz")
        except OSError:
            reply = None
        if reply is not None and reply.status == 200:
            return reply
        if time.monotonic() > deadline:
            pytest.fail(f"gunicorn not ready:\n{log.read_text(errors='replace')}")
        time.sleep(0.1)
