"""The engine's settings for each database, attached to the app's one engine.

SQLite: write-ahead log (readers never wait for the writer) and enforced foreign keys. Its
connections are in autocommit mode, so reads see the newest committed data statement by
statement, as on PostgreSQL under READ COMMITTED; a unit of work (``services.unit_of_work``)
begins with ``BEGIN IMMEDIATE``, which takes SQLite's write lock at the start of the use case:
concurrent writers wait for it in SQLite's busy timeout, then read committed data.

PostgreSQL: pooled connections are pinged before use (``pool_pre_ping``), so a restarted
server costs no failed request.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Connection, event
from sqlalchemy.pool import ConnectionPoolEntry

from .extensions import db

# An execution option a unit of work sets on its connection: take the write lock at BEGIN.
WRITE_TRANSACTION = "write_transaction"


def engine_options(url: str, statement_timeout: float = 5) -> dict[str, Any]:
    """SQLAlchemy engine options for a database URL. ``statement_timeout`` (seconds) bounds
    each statement, waits for locks included: PostgreSQL's ``statement_timeout``, SQLite's
    busy timeout; a statement that runs out fails, and the request answers 503."""
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and ":memory:" not in url:
            make_private_sqlite_file(Path(url.removeprefix("sqlite:///")))
        return {
            "isolation_level": "AUTOCOMMIT",
            "connect_args": {"timeout": statement_timeout, "check_same_thread": False},
        }
    milliseconds = round(statement_timeout * 1000)
    return {
        "pool_pre_ping": True,
        "connect_args": {"options": f"-c statement_timeout={milliseconds}", "connect_timeout": 5},
    }


def make_private_sqlite_file(path: Path) -> None:
    """The database file, created readable by its owner only; SQLite gives its write-ahead
    log and shared-memory files the database file's permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists():
            file.chmod(0o600)


def configure_engine(app: Flask) -> None:
    """Attach the SQLite settings to this app's engine (other databases need none)."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _configure_sqlite_connection)
        event.listen(engine, "begin", _begin_sqlite_transaction)


def _configure_sqlite_connection(
    dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry
) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_sqlite_transaction(connection: Connection) -> None:
    if connection.get_execution_options().get(WRITE_TRANSACTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
