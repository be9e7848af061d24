"""The mail outbox: messages written with what they tell about, claimed and settled by senders.

A message is written in the transaction that creates the requests (no request, no message; a
request, one message). A sender claims due messages in a short transaction of its own (on
PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so two senders never claim the same one; on SQLite
under the write lock), sends them outside it, and settles each in another short transaction:
sent, tried again later with a growing delay, or failed for good. A sender that stops between
sending and settling leaves its claim to run out; the message is then sent again, with the same
``Message-ID`` so that mail systems can tell.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from ..clock import utcnow
from ..models import OutboxMessage
from ..vocabulary import MailStatus
from .unit_of_work import unit_of_work

REQUESTS_CREATED = "requests_created"
ACCESS_LINK = "access_link"
MAX_ERROR_LENGTH = 255


@dataclass(frozen=True, slots=True)
class Claimed:
    """A message a sender has claimed: what to render and send."""

    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int


def add_requests_created(
    connection: Connection, order_id: int, request_ids: Sequence[int], language: str
) -> None:
    """One message telling the order's address about requests just created (in the caller's
    transaction)."""
    payload = {"order_id": order_id, "request_ids": list(request_ids), "language": language}
    _add(connection, REQUESTS_CREATED, payload)


def _add(connection: Connection, kind: str, payload: dict[str, Any]) -> None:
    now = utcnow()
    connection.execute(
        insert(OutboxMessage),
        {
            "created_date": now,
            "kind": kind,
            "payload": json.dumps(payload),
            "status": MailStatus.PENDING.value,
            "attempts": 0,
            "next_attempt_at": now,
        },
    )


def add_access_link(connection: Connection, link_id: int, language: str) -> None:
    """One message carrying an emailed link to an order (in the caller's transaction)."""
    _add(connection, ACCESS_LINK, {"link_id": link_id, "language": language})


def claim_due(limit: int, lease: timedelta, now: datetime | None = None) -> list[Claimed]:
    """Claim up to ``limit`` messages that are due, or whose earlier claim ran out."""
    now = now or utcnow()
    due = (
        select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.payload, OutboxMessage.attempts)
        .where(
            or_(
                (OutboxMessage.status == MailStatus.PENDING.value)
                & (OutboxMessage.next_attempt_at <= now),
                (OutboxMessage.status == MailStatus.SENDING.value)
                & (OutboxMessage.claimed_until < now),
            )
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    with unit_of_work() as session:
        connection = session.connection()
        rows = connection.execute(due).mappings().all()
        if not rows:
            return []
        connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([row["id"] for row in rows]))
            .values(
                status=MailStatus.SENDING.value,
                claimed_until=now + lease,
                attempts=OutboxMessage.attempts + 1,
            )
        )
    return [
        Claimed(row["id"], row["kind"], json.loads(row["payload"]), row["attempts"] + 1)
        for row in rows
    ]


def mark_sent(message_id: int, now: datetime | None = None) -> None:
    _settle(
        message_id,
        status=MailStatus.SENT.value,
        sent_date=now or utcnow(),
        claimed_until=None,
        last_error=None,
    )


def mark_retry(message_id: int, error: str, at: datetime) -> None:
    """Try again at ``at``: the mail server was away or answered with a temporary error."""
    _settle(
        message_id,
        status=MailStatus.PENDING.value,
        next_attempt_at=at,
        claimed_until=None,
        last_error=error[:MAX_ERROR_LENGTH],
    )


def mark_failed(message_id: int, error: str) -> None:
    """Given up: refused for good, or too many attempts."""
    _settle(
        message_id,
        status=MailStatus.FAILED.value,
        claimed_until=None,
        last_error=error[:MAX_ERROR_LENGTH],
    )


def _settle(message_id: int, **values: Any) -> None:
    with unit_of_work() as session:
        session.connection().execute(
            update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)
        )
