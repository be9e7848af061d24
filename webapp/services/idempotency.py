"""Answering a repeated POST (same ``Idempotency-Key``, or the same rendered form sent twice)
with the outcome of its first submission.

A record holds the first outcome: the ids of the requests it created, or the refusal's body.
It is written in the same transaction as that outcome, and never holds the IBAN or holder name
a body carried.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Connection, bindparam, delete, insert, select

from ..clock import utcnow
from ..errors import IDEMPOTENCY_KEY_REUSED, DomainError
from ..models import IdempotencyRecord

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255
FORM_PREFIX = "form:"

_records = IdempotencyRecord.__table__
FIND = select(_records.c.request_hash, _records.c.status_code, _records.c.response_body).where(
    _records.c.scope == bindparam("scope"),
    _records.c.key == bindparam("key"),
    _records.c.created_date > bindparam("fresh_after"),
)
INSERT = insert(IdempotencyRecord)
DELETE_EXPIRED = delete(IdempotencyRecord).where(
    IdempotencyRecord.created_date <= bindparam("expired_at")
)


@dataclass(frozen=True, slots=True)
class IdempotencyKey:
    """A client's key (or a form's token) with the request it was first sent with.

    ``remember_refusals``: the API replays a refusal too; a form sent again after a refusal
    is a corrected attempt, so forms remember only what they created.
    """

    scope: str
    key: str
    fingerprint: str
    remember_refusals: bool = True

    @classmethod
    def for_api(cls, scope: str, key: str, action: str, body: Any) -> IdempotencyKey:
        if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise DomainError(
                {"Idempotency-Key": _("Send a key of 1 to %(max)d characters.", max=MAX_KEY_LENGTH)}
            )
        canonical = json.dumps([action, body], sort_keys=True, separators=(",", ":"), default=str)
        return cls(scope, key, hashlib.sha256(canonical.encode("utf-8")).hexdigest())

    @classmethod
    def for_form(cls, scope: str, token: str | None) -> IdempotencyKey | None:
        if not token or len(token) > 64:
            return None
        return cls(scope, FORM_PREFIX + token, FORM_PREFIX, remember_refusals=False)


@dataclass(frozen=True, slots=True)
class FirstOutcome:
    """What the first submission ended with: created requests, or a refusal."""

    status: int
    request_ids: list[int] | None = None
    refusal: dict[str, Any] | None = None


def find_first_outcome(connection: Connection, key: IdempotencyKey) -> FirstOutcome | None:
    """The stored outcome for this key, if fresh; 422 if it was sent with another request."""
    row = (
        connection.execute(
            FIND, {"scope": key.scope, "key": key.key, "fresh_after": utcnow() - KEY_LIFETIME}
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    if row["request_hash"] != key.fingerprint:
        raise DomainError(
            {
                "non_field_errors": _("This Idempotency-Key was used with a different request."),
                "error_code": IDEMPOTENCY_KEY_REUSED,
            },
            status=422,
        )
    stored = json.loads(row["response_body"])
    return FirstOutcome(
        status=row["status_code"],
        request_ids=stored.get("requests"),
        refusal=stored.get("refusal"),
    )


def record_outcome(connection: Connection, key: IdempotencyKey, outcome: FirstOutcome) -> None:
    """Store the first outcome in the caller's transaction; expired records go on the way.

    A twin that stored first makes the transaction fail on the unique (scope, key).
    """
    now = utcnow()
    connection.execute(DELETE_EXPIRED, {"expired_at": now - KEY_LIFETIME})
    body = (
        {"requests": outcome.request_ids}
        if outcome.request_ids is not None
        else {"refusal": outcome.refusal}
    )
    connection.execute(
        INSERT,
        {
            "scope": key.scope,
            "key": key.key,
            "request_hash": key.fingerprint,
            "status_code": outcome.status,
            "response_body": json.dumps(body),
            "created_date": now,
        },
    )
