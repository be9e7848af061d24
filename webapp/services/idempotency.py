"""Replaying the first response to a POST that carries an ``Idempotency-Key``."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..errors import DomainError
from ..extensions import db
from ..models import IdempotencyRecord
from .base import now_utc

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255
KEY_REUSED = "idempotency_key_reused"


def request_fingerprint(path: str, body: Any) -> str:
    canonical = json.dumps([path, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_key(key: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise DomainError(
            {"Idempotency-Key": _("Send a key of 1 to %(max)d characters.", max=MAX_KEY_LENGTH)}
        )


def find_response(scope: str, key: str, fingerprint: str) -> tuple[int, str] | None:
    """The stored (status, body) for this key and scope, if fresh; 422 if the body differs."""
    check_key(key)
    record = db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.scope == scope,
            IdempotencyRecord.key == key,
            IdempotencyRecord.created_date > now_utc() - KEY_LIFETIME,
        )
    )
    if record is None:
        return None
    if record.request_hash != fingerprint:
        raise DomainError(
            {
                "non_field_errors": _("This Idempotency-Key was used with a different request."),
                "error_code": KEY_REUSED,
            },
            status=422,
        )
    return record.status_code, record.response_body


def store_response(scope: str, key: str, fingerprint: str, status: int, body: str) -> None:
    """Keep the first response; a concurrent twin that stored first wins.

    Expired records (of every client) are removed on the way, so the table stays small.
    """
    db.session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_date <= now_utc() - KEY_LIFETIME)
    )
    db.session.add(
        IdempotencyRecord(
            scope=scope, key=key, request_hash=fingerprint, status_code=status, response_body=body
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


FORM_PREFIX = "form:"


def find_form_submission(scope: str, token: str) -> list[int] | None:
    """The request ids created by an earlier submission of the same rendered form."""
    if not token or len(token) > 64:
        return None
    stored = find_response(scope, FORM_PREFIX + token, FORM_PREFIX)
    return json.loads(stored[1]) if stored is not None else None


def remember_form_submission(scope: str, token: str, request_ids: list[int]) -> None:
    if token and len(token) <= 64:
        store_response(scope, FORM_PREFIX + token, FORM_PREFIX, 303, json.dumps(request_ids))
