"""Helpers shared by the use cases: transactions, row locks, input coercion, clock."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Connection, bindparam, select, update

from ..extensions import db, end_sqlite_write_turn, wait_for_sqlite_write_turn
from ..models import OrderItem


class FieldError(Exception):
    """One field's message, collected into a ``{"field": "message"}`` body."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@contextmanager
def unit_of_work() -> Iterator[None]:
    """One transaction per use case: commit at the end, roll back on any error."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        end_sqlite_write_turn()


@contextmanager
def reading() -> Iterator[Connection]:
    """A connection of its own for a use case that only reads (the lookup, the order page).

    It skips the ORM session's bookkeeping, which cost more than the lookup's first query.
    On PostgreSQL it reads without a transaction (autocommit): READ COMMITTED gives each
    statement its own snapshot inside one anyway. Elsewhere it ends with COMMIT: nothing was
    written, and a ROLLBACK would drop psycopg's prepared statements of the connection.
    """
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # no BEGIN and COMMIT: two round trips; each statement still sees committed data
            connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection
        connection.commit()


# Statements built once (their cache keys are computed once), with the ids as a list parameter.
ITEM_IDS = bindparam("ids", expanding=True)
_items = OrderItem.__table__
TOUCH_ITEMS = update(_items).where(_items.c.id.in_(ITEM_IDS)).values(id=_items.c.id)
LOCK_ITEMS = (
    select(_items.c.id).where(_items.c.id.in_(ITEM_IDS)).order_by(_items.c.id).with_for_update()
)
ITEM_OWNERS = select(_items.c.id, _items.c.order_id).where(_items.c.id.in_(ITEM_IDS))


def lock_order_items(item_ids: Iterable[int]) -> None:
    """Serialise writers on these items until the transaction ends.

    PostgreSQL takes row locks (``SELECT ... FOR UPDATE``, in id order so two bulk requests
    cannot deadlock). SQLite has no row locks: a no-op ``UPDATE`` takes its database write lock
    at this point, so concurrent writers wait here (in the write queue, then SQLite's busy
    timeout) and then read committed data.
    """
    ids = sorted(set(item_ids))
    if not ids:
        return
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        wait_for_sqlite_write_turn(connection)
        connection.execute(TOUCH_ITEMS, {"ids": ids})
    else:
        connection.execute(LOCK_ITEMS, {"ids": ids})


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def setting(name: str) -> Any:
    return current_app.config[name]


def required(data: dict, key: str) -> Any:
    value = data.get(key)
    if value is None or value == "":
        raise FieldError(_("This field is required."))
    return value


def as_int(value: Any) -> int:
    """An integer from a JSON number or a string of digits (as the platform's API accepts)."""
    if isinstance(value, bool):
        raise FieldError(_("A valid integer is required."))
    if isinstance(value, int):
        return value
    if isinstance(value, str) and len(value) <= 18:
        text = value.strip()
        if text.lstrip("-").isdigit() and text.isascii():
            return int(text)
    raise FieldError(_("A valid integer is required."))


def is_storable_text(text: str) -> bool:
    """Text every database stores: no NUL character (PostgreSQL) and no lone surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def as_text(value: Any, max_length: int) -> str:
    if not isinstance(value, str) or not is_storable_text(value):
        raise FieldError(_("Not a valid string."))
    text = value.strip()
    if len(text) > max_length:
        raise FieldError(
            ngettext(
                "Ensure this field has no more than %(num)d character.",
                "Ensure this field has no more than %(num)d characters.",
                max_length,
            )
        )
    return text


TRUE_WORDS = frozenset({"true", "1", "on", "yes"})
FALSE_WORDS = frozenset({"false", "0", "off", "no"})


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in TRUE_WORDS | FALSE_WORDS:
        return value.lower() in TRUE_WORDS
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise FieldError(_("Must be a valid boolean."))
