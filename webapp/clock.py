"""The one clock: times are kept as naive UTC in the database and compared as such."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now in UTC, without a time zone (as the models store it)."""
    return datetime.now(UTC).replace(tzinfo=None)
