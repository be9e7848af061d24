"""Whether the rate limits' shared storage (Redis) answers.

While it does not, Flask-Limiter counts in this process's memory
(``RATELIMIT_IN_MEMORY_FALLBACK_ENABLED``) and every request is answered as usual; this
module says so on ``/readyz`` and in the log, at most once a minute, and Flask-Limiter goes
back to the shared storage by itself once it answers again.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from flask import Flask, current_app

from .extensions import limiter

CHECK_EVERY_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0
log = logging.getLogger("webapp.limits")


@dataclass
class StorageWatch:
    """This process's latest look at the storage (state of the process, not of a request)."""

    answers: bool = True
    checked_at: float = float("-inf")
    logged_at: float = float("-inf")
    lock: threading.Lock = field(default_factory=threading.Lock)

    def look(self, uri: str, *, fresh: bool = False) -> bool:
        """Whether the storage answered when last asked (asked at most every 5 seconds, or
        now when ``fresh``)."""
        now = time.monotonic()
        with self.lock:
            if not fresh and now - self.checked_at < CHECK_EVERY_SECONDS:
                return self.answers
            self.checked_at = now
        answers = bool(limiter.storage.check())
        with self.lock:
            self.answers = answers
            if not answers and now - self.logged_at >= LOG_EVERY_SECONDS:
                self.logged_at = now
                log.error(
                    "Rate limit storage %s does not answer: counting in this process's memory "
                    "until it is back",
                    uri.split("@")[-1],
                    extra={"rate_limit_storage": "degraded"},
                )
        return answers


def install_limiter_watch(app: Flask) -> None:
    """With a shared storage, look at it before requests (at most every 5 seconds)."""
    if not app.config["RATELIMIT_ENABLED"]:
        return
    uri = str(app.config["RATELIMIT_STORAGE_URI"])
    if uri.startswith("memory://"):
        return
    watch = app.extensions["limiter_watch"] = StorageWatch()

    def look_at_storage() -> None:
        watch.look(uri)

    app.before_request(look_at_storage)


def limiter_storage_state() -> str:
    """``ok``, or ``degraded`` while the shared storage does not answer (for /readyz, which
    asks it afresh)."""
    watch: StorageWatch | None = current_app.extensions.get("limiter_watch")
    if watch is None:
        return "ok"
    uri = str(current_app.config["RATELIMIT_STORAGE_URI"])
    return "ok" if watch.look(uri, fresh=True) else "degraded"
