"""Flask extensions, created unbound here and bound to the app in the factory."""

import fcntl
import os
import sqlite3
import threading
from contextvars import ContextVar

import psycopg
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import Pool


class Base(DeclarativeBase):
    pass


# Objects stay readable after commit: answers are built from them without re-reading rows.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Pool, "checkout")
def ping_postgresql(dbapi_connection, _record, _proxy) -> None:
    """PostgreSQL: make sure a pooled connection still works before it is handed out, so a
    restarted server costs no failed request (what ``pool_pre_ping`` does). The ping runs
    outside a transaction: SQLAlchemy's own leaves one open, and then the reads that need none
    (``reading``) could not skip ``BEGIN`` and ``COMMIT``, two round trips per request."""
    if not isinstance(dbapi_connection, psycopg.Connection):
        return
    try:
        if dbapi_connection.info.transaction_status != TransactionStatus.IDLE:
            raise DisconnectionError("connection not idle on checkout")
        autocommit = dbapi_connection.autocommit  # an AUTOCOMMIT engine keeps its setting
        dbapi_connection.autocommit = True
        dbapi_connection.execute("SELECT 1")
        dbapi_connection.autocommit = autocommit
    except psycopg.Error as error:
        raise DisconnectionError(str(error)) from error


@event.listens_for(Engine, "connect")
def tune_sqlite(dbapi_connection, record) -> None:
    """SQLite: write-ahead log (readers never wait for the writer), enforced foreign keys, and
    the file that queues writers (``wait_for_sqlite_write_turn``)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        path = cursor.execute("PRAGMA database_list").fetchone()[2]
        cursor.close()
        if path:  # a file, not an in-memory database
            record.info[WRITE_QUEUE] = path + "-writers"


WRITE_QUEUE = "sqlite_write_queue"
_write_turn: ContextVar[int | None] = ContextVar("sqlite_write_turn", default=None)
_queue_files = threading.local()


class _QueueFile:
    """A thread's own open queue file (file locks exclude each other between open files, so
    threads, or processes forked with it, sharing one would not wait for each other), closed
    when the thread is gone."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self.pid = os.getpid()

    def __del__(self) -> None:
        os.close(self.fd)


def _queue_fd(path: str) -> int:
    files = getattr(_queue_files, "files", None)
    if files is None:
        files = _queue_files.files = {}
    found = files.get(path)
    if found is None or found.pid != os.getpid():  # opened before a fork: open our own
        found = files[path] = _QueueFile(path)
    return found.fd


def wait_for_sqlite_write_turn(connection: Connection) -> None:
    """Queue for SQLite's single write lock in the kernel (a lock on a file beside the
    database) before taking it, until ``end_sqlite_write_turn``.

    SQLite makes a writer that finds the lock taken sleep and retry (1, 2, 5, 10 ms...), so two
    workers writing at once left the CPUs idle while the lock was free; a writer waiting on the
    file lock is woken the moment the other one is done. SQLite's own lock still guards the
    data: a writer that does not queue here (the import, say) is only slower to get in.
    """
    path = connection.connection.info.get(WRITE_QUEUE)
    if path is None or _write_turn.get() is not None:
        return
    queue = _queue_fd(path)
    fcntl.flock(queue, fcntl.LOCK_EX)
    _write_turn.set(queue)


def end_sqlite_write_turn() -> None:
    """Let the next SQLite writer in: after the transaction's COMMIT or ROLLBACK."""
    queue = _write_turn.get()
    if queue is not None:
        _write_turn.set(None)
        fcntl.flock(queue, fcntl.LOCK_UN)


def end_read_only_transaction(error: BaseException | None) -> None:
    """End a request's still-open transaction with COMMIT when it only read.

    Use cases that write commit or roll back themselves (``unit_of_work``), and errors roll
    back, so what is left open here has read only. COMMIT and ROLLBACK are the same for it,
    but psycopg drops a connection's prepared statements on ROLLBACK: PostgreSQL would then plan
    the lookup's join again (about 3 ms) on every request instead of reusing the plan.
    """
    end_sqlite_write_turn()  # a use case always ends its turn; this is the safety net
    if error is not None or not db.session.registry.has():
        return  # no session was used in this request
    session = db.session()
    if not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted:
        return  # unsaved changes are never committed by accident: the removal rolls back
    session.commit()
