"""Counters kept in the rate limiter's storage (memory or Redis): failed lookups per order
number, emailed links per address."""

from __future__ import annotations

import time

from flask import current_app
from limits import RateLimitItem, parse

from ..errors import TooManyAttempts
from ..extensions import limiter

SCOPE = "failed-lookup"


def _limit() -> RateLimitItem:
    return parse(current_app.config["FAILED_LOOKUP_LIMIT"])


def _keys(scope: str, value: str) -> tuple[str, str, str]:
    """A counter's identifiers, under the app's RATELIMIT_KEY_PREFIX as Flask-Limiter's own."""
    return (current_app.config["RATELIMIT_KEY_PREFIX"], scope, value)


def ensure_number_not_blocked(number: str) -> None:
    """Refuse every lookup of a number that has had too many recent misses."""
    if not limiter.enabled:
        return
    item = _limit()
    if not limiter.limiter.test(item, *_keys(SCOPE, number)):
        reset_at = limiter.limiter.get_window_stats(item, *_keys(SCOPE, number)).reset_time
        raise TooManyAttempts(int(reset_at - time.time()) + 1)


def record_failed_lookup(number: str) -> None:
    if limiter.enabled:
        limiter.limiter.hit(_limit(), *_keys(SCOPE, number))


ACCESS_LINK_SCOPE = "access-link-address"


def allow_access_link(email: str) -> bool:
    """Whether another emailed link may go to this address now (ACCESS_LINK_ADDRESS_LIMIT);
    counts this one."""
    if not limiter.enabled:
        return True
    item = parse(current_app.config["ACCESS_LINK_ADDRESS_LIMIT"])
    return bool(limiter.limiter.hit(item, *_keys(ACCESS_LINK_SCOPE, email)))
