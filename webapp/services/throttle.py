"""Failed lookups counted per order number, in the rate limiter's storage (memory or Redis)."""

from __future__ import annotations

import time

from flask import current_app
from limits import RateLimitItem, parse

from ..errors import TooManyAttempts
from ..extensions import limiter

SCOPE = "failed-lookup"


def _limit() -> RateLimitItem:
    return parse(current_app.config["FAILED_LOOKUP_LIMIT"])


def ensure_number_not_blocked(number: str) -> None:
    """Refuse every lookup of a number that has had too many recent misses."""
    if not limiter.enabled:
        return
    item = _limit()
    if not limiter.limiter.test(item, SCOPE, number):
        reset_at = limiter.limiter.get_window_stats(item, SCOPE, number).reset_time
        raise TooManyAttempts(int(reset_at - time.time()) + 1)


def record_failed_lookup(number: str) -> None:
    if limiter.enabled:
        limiter.limiter.hit(_limit(), SCOPE, number)
