"""Flask extensions, created unbound here and bound to the app in the factory."""

import sqlite3

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


# Objects stay readable after commit: answers are built from them without re-reading rows.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Engine, "connect")
def tune_sqlite(dbapi_connection, _record) -> None:
    """SQLite: write-ahead log (readers never wait for the writer), enforced foreign keys."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def end_read_only_transaction(error: BaseException | None) -> None:
    """End a request's still-open transaction with COMMIT when it only read.

    Use cases that write commit or roll back themselves (``unit_of_work``), and errors roll
    back, so what is left open here has read only. COMMIT and ROLLBACK are the same for it,
    but psycopg drops a connection's prepared statements on ROLLBACK: PostgreSQL would then plan
    the lookup's join again (about 3 ms) on every request instead of reusing the plan.
    """
    if error is not None or not db.session.registry.has():
        return  # no session was used in this request
    session = db.session()
    if not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted:
        return  # unsaved changes are never committed by accident: the removal rolls back
    session.commit()
