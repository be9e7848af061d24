"""Transactions: one unit of work per use case that writes, one connection per read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from ..database import WRITE_TRANSACTION
from ..extensions import db


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One transaction for a use case: committed when the block ends, rolled back on any error.

    It has a session and a connection of its own, whatever else the request has read. On
    SQLite it begins with ``BEGIN IMMEDIATE``: concurrent writers queue there for the
    database's write lock, then read committed data.
    """
    with Session(db.engine, expire_on_commit=False) as session:
        session.connection(execution_options={WRITE_TRANSACTION: True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def reading() -> Iterator[Connection]:
    """A connection for a use case that only reads (the lookup, the pages).

    Its statements see the newest committed data each: SQLite's connections are in autocommit
    mode, and PostgreSQL's is switched to it for the read (READ COMMITTED gives each statement
    its own snapshot anyway), which saves the BEGIN and COMMIT round trips.
    """
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection
