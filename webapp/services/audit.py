"""An audit trail of every cancellation POST: time, order, item, hashed client and outcome.

One row per POST, written by the use case's own unit of work: an acceptance in the transaction
that creates the requests, a refusal in a transaction of its own after the use case rolled
back.
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
) -> dict[str, Any]:
    """One row for the POST: its first request (given with its order's id) and how many."""
    order_id, first = created[0]
    entry = {
        "action": action.value,
        "order_id": order_id,
        "order_item_id": first.order_item_id,
        "cancellation_request_id": first.id,
        "client_hash": client_ref,
        "outcome": ACCEPTED,
        "http_status": http_status,
        "item_count": len(created),
    }
    connection.execute(INSERT_ENTRY, entry)
    return entry


def record_refused(
    connection: Connection, action: Action, data: Any, client_ref: str, error: DomainError
) -> dict[str, Any]:
    """One row for the POST: the first order item it names (and that item's order, when the
    item exists) and how many it names."""
    item_ids = named_item_ids(data)
    first = item_ids[0] if item_ids else None
    owner = connection.execute(ITEM_OWNERS, {"ids": [first]}).tuples().first() if first else None
    entry = {
        "action": action.value,
        "order_id": owner[1] if owner else None,
        "order_item_id": first,
        "cancellation_request_id": None,
        "client_hash": client_ref,
        "outcome": error.error_code or "invalid",
        "http_status": error.status,
        "item_count": len(item_ids),
    }
    connection.execute(INSERT_ENTRY, entry)
    return entry


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


def log(entry: dict[str, Any]) -> None:
    """The audit row as a log line, once its transaction is committed."""
    logger.info(
        "cancellation %s",
        entry["outcome"],
        extra={
            "action": entry["action"],
            "order_id": entry["order_id"],
            "order_item_id": entry["order_item_id"],
            "cancellation_request_id": entry["cancellation_request_id"],
            "item_count": entry["item_count"],
            "client": entry["client_hash"],
            "outcome": entry["outcome"],
            "http_status": entry["http_status"],
        },
    )
