"""Removing what is no longer needed (``flask --app webapp prune``): audit rows, sent or
refused mail past the retention period, and records whose use ran out."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Delete, delete

from ..clock import utcnow
from ..models import AccessLink, AuditEntry, ForgottenProof, IdempotencyRecord, OutboxMessage
from ..vocabulary import MailStatus
from .idempotency import KEY_LIFETIME
from .unit_of_work import unit_of_work


def prune_records(
    retention: timedelta, session_lifetime: timedelta, now: datetime | None = None
) -> dict[str, int]:
    """Delete, in one transaction, and count by table:

    - audit rows and sent or failed mail older than ``retention``;
    - idempotency records past their 24 hours (they are never replayed after);
    - emailed links past their expiry (they open nothing after);
    - forgotten proofs older than a session's lifetime (the proof they cancel has expired).
    """
    now = now or utcnow()
    statements: dict[str, Delete] = {
        "audit_entries": delete(AuditEntry).where(AuditEntry.created_date < now - retention),
        "mail_outbox": delete(OutboxMessage).where(
            OutboxMessage.status.in_([MailStatus.SENT.value, MailStatus.FAILED.value]),
            OutboxMessage.created_date < now - retention,
        ),
        "idempotency_records": delete(IdempotencyRecord).where(
            IdempotencyRecord.created_date < now - KEY_LIFETIME
        ),
        "access_links": delete(AccessLink).where(AccessLink.expires_at < now),
        "forgotten_proofs": delete(ForgottenProof).where(
            ForgottenProof.created_date < now - session_lifetime
        ),
    }
    with unit_of_work() as session:
        connection = session.connection()
        return {table: connection.execute(query).rowcount for table, query in statements.items()}
