"""Counters kept in the rate limiter's storage (memory or Redis): failed lookups per order
number, emailed links per address."""

from __future__ import annotations

import logging
import time

from flask import current_app
from limits import RateLimitItem, parse
from limits.errors import StorageError
from redis import RedisError

from ..errors import TooManyAttempts
from ..extensions import limiter

SCOPE = "failed-lookup"
log = logging.getLogger("webapp.limits")


def _limit() -> RateLimitItem:
    return parse(current_app.config["FAILED_LOOKUP_LIMIT"])


def _keys(scope: str, value: str) -> tuple[str, str, str]:
    """A counter's identifiers, under the app's RATELIMIT_KEY_PREFIX as Flask-Limiter's own."""
    return (current_app.config["RATELIMIT_KEY_PREFIX"], scope, value)


# What a storage that does not answer raises. Flask-Limiter notices it on the request's own
# limits first and then counts in memory (``limiter.limiter`` is then the in-memory one);
# should the storage go away between the two, these counters let the request through.
STORAGE_FAULTS = (RedisError, StorageError, OSError)


def ensure_number_not_blocked(number: str) -> None:
    """Refuse every lookup of a number that has had too many recent misses."""
    if not limiter.enabled:
        return
    item = _limit()
    try:
        allowed = limiter.limiter.test(item, *_keys(SCOPE, number))
        reset_at = (
            None
            if allowed
            else limiter.limiter.get_window_stats(item, *_keys(SCOPE, number)).reset_time
        )
    except STORAGE_FAULTS:
        log.warning("Rate limit storage fault: the number's misses were not checked")
        return
    if reset_at is not None:
        raise TooManyAttempts(int(reset_at - time.time()) + 1)


def record_failed_lookup(number: str) -> None:
    if not limiter.enabled:
        return
    try:
        limiter.limiter.hit(_limit(), *_keys(SCOPE, number))
    except STORAGE_FAULTS:
        log.warning("Rate limit storage fault: a miss was not counted")


ACCESS_LINK_SCOPE = "access-link-address"


def allow_access_link(email: str) -> bool:
    """Whether another emailed link may go to this address now (ACCESS_LINK_ADDRESS_LIMIT);
    counts this one."""
    if not limiter.enabled:
        return True
    item = parse(current_app.config["ACCESS_LINK_ADDRESS_LIMIT"])
    try:
        return bool(limiter.limiter.hit(item, *_keys(ACCESS_LINK_SCOPE, email)))
    except STORAGE_FAULTS:
        log.warning("Rate limit storage fault: links per address were not counted")
        return True
