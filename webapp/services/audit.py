"""An audit trail of every cancellation POST: time, order, item, hashed client and outcome.

The rows are written by the use case's own unit of work: an acceptance in the transaction that
creates the requests, a refusal in a transaction of its own after the use case rolled back.
No IBAN, email or client address is ever written.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select

from ..errors import DomainError
from ..models import AuditEntry, OrderItem
from .input import in_database_range
from .read_models import RequestView

logger = logging.getLogger("webapp.audit")

ACCEPTED = "accepted"
MAX_ITEMS_PER_REFUSAL = 100


class Action(StrEnum):
    SINGLE = "single"
    BULK = "bulk"


INSERT_ENTRY = insert(AuditEntry)
_items = OrderItem.__table__
ITEM_OWNERS = select(_items.c.id, _items.c.order_id).where(
    _items.c.id.in_(bindparam("ids", expanding=True))
)


def record_accepted(
    connection: Connection,
    action: Action,
    created: Sequence[tuple[int, RequestView]],
    client_ref: str,
    http_status: int,
) -> list[dict[str, Any]]:
    """One row per created request (given with its order's id)."""
    entries = [
        {
            "action": action.value,
            "order_id": order_id,
            "order_item_id": request.order_item_id,
            "cancellation_request_id": request.id,
            "client_hash": client_ref,
            "outcome": ACCEPTED,
            "http_status": http_status,
        }
        for order_id, request in created
    ]
    connection.execute(INSERT_ENTRY, entries)
    return entries


def record_refused(
    connection: Connection, action: Action, data: Any, client_ref: str, error: DomainError
) -> list[dict[str, Any]]:
    """One row per order item the body names (one without an item if it names none)."""
    item_ids = named_item_ids(data)
    owners = (
        dict(connection.execute(ITEM_OWNERS, {"ids": item_ids}).tuples().all()) if item_ids else {}
    )
    named: list[int | None] = [*item_ids] or [None]
    entries = [
        {
            "action": action.value,
            "order_id": owners.get(item_id) if item_id is not None else None,
            "order_item_id": item_id,
            "cancellation_request_id": None,
            "client_hash": client_ref,
            "outcome": error.error_code or "invalid",
            "http_status": error.status,
        }
        for item_id in named
    ]
    connection.execute(INSERT_ENTRY, entries)
    return entries


def named_item_ids(data: Any) -> list[int]:
    """The order item ids a body names, where they are plain integers."""
    if not isinstance(data, dict):
        return []
    entries = data.get("cancel_order_items")
    entries = entries if isinstance(entries, list) else [data]
    ids = []
    for entry in entries[:MAX_ITEMS_PER_REFUSAL]:
        value = entry.get("order_item") if isinstance(entry, dict) else None
        if isinstance(value, str) and value.isdigit() and len(value) < 10:
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and in_database_range(value):
            ids.append(value)
    return ids


def log(entries: list[dict[str, Any]]) -> None:
    """One log line per audit row, once its transaction is committed."""
    for entry in entries:
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
