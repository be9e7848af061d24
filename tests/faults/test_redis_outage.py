"""Redis, the rate limits' shared storage, stops in the middle of a run and comes back: the
site answers every request as usual (counting in the process's memory meanwhile), /readyz
says the limits are degraded while staying 200, the fault is logged at most once a minute,
and the shared counters are used again without a restart."""

from __future__ import annotations

import logging
import time
import uuid

import pytest

from webapp.extensions import db, limiter

from ..conftest import ApiClient
from .conftest import EMAIL, NUMBER, fault_app, seed

LOOKUP = "/users/orders/anonymous/"


@pytest.fixture()
def site(tmp_path, redis_server):
    """The app on SQLite, its rate limits in the test's own Redis."""
    app = fault_app(
        f"sqlite:///{tmp_path / 'redis-outage.sqlite3'}",
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=redis_server.url,
        RATELIMIT_KEY_PREFIX=f"outage-{uuid.uuid4().hex[:8]}",
    )
    seed(app)
    yield app
    with app.app_context():
        db.engine.dispose()


def client_at(app, address: str) -> ApiClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return ApiClient(client)


def test_the_site_serves_while_redis_is_down_and_shares_counters_again_when_it_is_back(
    site, redis_server, caplog
):
    caplog.set_level(logging.INFO)
    shopper = client_at(site, "10.20.0.1")
    assert shopper.lookup(EMAIL, NUMBER).status_code == 200
    assert redis_server.keys(), "the counters live in Redis while it answers"
    assert site.test_client().get("/readyz").get_json()["rate_limits"] == "ok"

    redis_server.stop()
    guesser = client_at(site, "10.20.0.2")
    statuses = [guesser.lookup(EMAIL, f"58999999999{n}").status_code for n in range(10)]
    assert statuses == [404] * 10, "every request answered as usual"
    assert guesser.lookup(EMAIL, NUMBER).status_code == 429, "limits still hold, in memory"
    assert client_at(site, "10.20.0.3").lookup(EMAIL, NUMBER).status_code == 200

    for _ in range(3):
        ready = site.test_client().get("/readyz")
        assert ready.status_code == 200
        assert ready.get_json()["rate_limits"] == "degraded"
        time.sleep(2.1)  # past the 5 seconds between looks, within the minute between lines
    lines = [r for r in caplog.records if r.name == "webapp.limits" and "does not answer" in r.msg]
    assert len(lines) == 1

    redis_server.start()
    before = len(redis_server.keys())
    assert before == 0  # a new, empty Redis
    deadline = time.monotonic() + 40  # Flask-Limiter looks again 1, 2, 4, ... seconds apart
    back = client_at(site, "10.20.0.4")
    while not redis_server.keys():
        assert time.monotonic() < deadline, "the shared counters were not used again"
        assert back.lookup(EMAIL, NUMBER).status_code in (200, 429)
        time.sleep(0.5)
    ready = site.test_client().get("/readyz")
    deadline = time.monotonic() + 10
    while ready.get_json()["rate_limits"] != "ok" and time.monotonic() < deadline:
        time.sleep(1)
        ready = site.test_client().get("/readyz")
    assert ready.get_json()["rate_limits"] == "ok"
    assert limiter.storage.check()
