"""An audit trail of every cancellation POST: time, order, item, hashed client and outcome."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from functools import wraps
from typing import Any

from sqlalchemy import insert

from ..errors import DomainError
from ..extensions import db
from ..models import AuditEntry, CancellationRequest
from .base import ITEM_OWNERS

logger = logging.getLogger("webapp.audit")

ACCEPTED = "accepted"


_current: ContextVar[tuple[str, str, list[dict[str, Any]]] | None] = ContextVar(
    "audit_context", default=None
)


def audited(action: str) -> Callable:
    """Record the outcome of a cancellation use case, whether it creates or refuses.

    Acceptances are written in the use case's own transaction (see ``add_acceptance``);
    refusals, whose transaction was rolled back, in a transaction of their own.
    """

    def decorate(use_case: Callable) -> Callable:
        @wraps(use_case)
        def wrapper(data: Any, proven_order_ids: Iterable[int] = (), *, client_ref: str = ""):
            accepted: list[dict[str, Any]] = []
            token = _current.set((action, client_ref, accepted))
            try:
                result = use_case(data, proven_order_ids)
            except DomainError as error:
                db.session.rollback()
                record_refusal(action, data, client_ref, error)
                raise
            finally:
                _current.reset(token)
            for entry in accepted:
                _log(entry)
            return result

        return wrapper

    return decorate


AUDIT_INSERT = insert(AuditEntry.__table__)
AUDIT_COLUMNS = ("action", "order_id", "order_item_id", "cancellation_request_id",
                 "client_hash", "outcome", "http_status")  # fmt: skip


def add_acceptance(request: CancellationRequest, order_id: int) -> None:
    """Write the audit row of a request being created, in its transaction (a plain INSERT:
    the row has no relations, and the ORM's flush machinery cost far more than the row)."""
    action, client_ref, accepted = _current.get() or ("direct", "", [])
    entry = {
        "action": action,
        "order_id": order_id,
        "order_item_id": request.order_item_id,
        "cancellation_request_id": request.id,
        "client_hash": client_ref,
        "outcome": ACCEPTED,
        "http_status": 201 if action == "bulk" else 200,
    }
    db.session.connection().execute(AUDIT_INSERT, entry)
    accepted.append(entry)


def record_refusal(action: str, data: Any, client_ref: str, error: DomainError) -> None:
    item_ids = _item_ids(data)
    owners = dict(db.session.execute(ITEM_OWNERS, {"ids": item_ids}).all()) if item_ids else {}
    outcome = error.error_code or "invalid"
    entries = [
        AuditEntry(
            action=action,
            order_id=owners.get(item_id),
            order_item_id=item_id,
            client_hash=client_ref,
            outcome=outcome,
            http_status=error.status,
        )
        for item_id in item_ids or [None]
    ]
    _save(entries)


def _item_ids(data: Any) -> list[int]:
    """The order item ids a body names, where they are plain integers."""
    if not isinstance(data, dict):
        return []
    entries = data.get("cancel_order_items")
    entries = entries if isinstance(entries, list) else [data]
    ids = []
    for entry in entries[:100]:
        value = entry.get("order_item") if isinstance(entry, dict) else None
        if isinstance(value, str) and value.isdigit() and len(value) < 10:
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31:
            ids.append(value)
    return ids


def _save(entries: list[AuditEntry]) -> None:
    db.session.add_all(entries)
    db.session.commit()
    for entry in entries:
        _log({column: getattr(entry, column) for column in AUDIT_COLUMNS})


def _log(entry: dict[str, Any]) -> None:
    logger.info(
        "cancellation %s",
        entry["outcome"],
        extra={
            "action": entry["action"],
            "order_id": entry["order_id"],
            "order_item_id": entry["order_item_id"],
            "cancellation_request_id": entry["cancellation_request_id"],
            "client": entry["client_hash"],
            "outcome": entry["outcome"],
            "http_status": entry["http_status"],
        },
    )
