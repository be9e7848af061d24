"""Deterministic benchmark data: N guest orders of 1 to 20 items, on SQLite or PostgreSQL.

Order ``i`` (1..N) has the number ``f"{i:012d}"``, the email ``guest{i}@bench.example`` (not
``.test``: email-validator refuses that special-use name), the user and the address with id
``i``, and ``item_count(i)`` items with ids ``i * 20 + j``. Item ``j = 0`` is always
``preparing`` (450, cancellable); about a fifth of the others are ``delivered`` (550) one to ten
days ago (refundable). The schema comes from the migrations (``flask_migrate.upgrade``),
then rows go in by batches: SQLAlchemy Core ``executemany`` on SQLite, ``COPY`` on PostgreSQL.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, func, make_url, select, text

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "instance" / "bench"
SQLITE_PATH = BENCH_DIR / "bench.sqlite3"
POSTGRES_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "bench"
RESERVED_DATABASES = {"postgres", "template0", "template1", "test", "test_web", "test_api",
                      "test_me"}  # fmt: skip

ITEM_STRIDE = 20
MAX_ITEMS = 20
PRODUCTS = 1000
PAYMENT_OPTION_ID = 1
CANCEL_REASON_ID = 1
REFUND_REASON_ID = 2
BOTH_REASON_ID = 3
EASY_RETURN_COMPANY_ID = 1
BATCH_SQLITE = 2000
BATCH_POSTGRES = 5000
# The reasons' creation and change time (fixed: a seed is the same every time).
SEEDED_AT = datetime(2026, 1, 1)

REASONS = [
    (CANCEL_REASON_ID, "I changed my mind", "cancel", {"tr": "Fikrimi değiştirdim"}),
    (REFUND_REASON_ID, "Damaged or defective", "refund", {"tr": "Hasarlı veya kusurlu"}),
    (BOTH_REASON_ID, "Found a better price", "both", {"tr": "Daha uygun fiyat buldum"}),
]
COMPANIES = [
    (EASY_RETURN_COMPANY_ID, "bench-easy", "Bench Easy Return", True, True),
    (2, "bench-slow", "Bench Slow Post", True, False),
]

USER_COLUMNS = ("id", "email", "email_normalized", "user_type")
ADDRESS_COLUMNS = ("id", "first_name", "last_name", "line", "district", "city", "postcode",
                   "country", "phone_number")  # fmt: skip
ORDER_COLUMNS = (
    "id", "number", "user_id", "status", "currency", "language_code", "created_date",
    "modified_date", "delivered_date", "payment_option_id", "shipping_option_slug",
    "shipping_amount", "discount_amount", "amount_without_discount", "amount",
    "shipping_address_id", "billing_address_id",
)  # fmt: skip
ITEM_COLUMNS = ("id", "order_id", "product_id", "quantity", "price", "status", "delivered_date")
TABLES = (
    ("users", USER_COLUMNS),
    ("addresses", ADDRESS_COLUMNS),
    ("orders", ORDER_COLUMNS),
    ("order_items", ITEM_COLUMNS),
)


# --- the shape of the data (also used by the load scripts) ----------------------------------


def order_number(i: int) -> str:
    return f"{i:012d}"


def order_email(i: int) -> str:
    return f"guest{i}@bench.example"


def item_count(i: int) -> int:
    """1 to 20, evenly spread (37 and 20 are coprime)."""
    return 1 + (i * 37) % MAX_ITEMS


def item_id(i: int, j: int) -> int:
    return i * ITEM_STRIDE + j


def cancellable_item_id(i: int) -> int:
    """Item 0 of every order is preparing (450): one cancellation per order can succeed."""
    return item_id(i, 0)


def first_order_with_items(count: int) -> int:
    return next(i for i in range(1, MAX_ITEMS + 1) if item_count(i) == count)


def item_status(i: int, j: int) -> int:
    return 550 if j > 0 and (i + j) % 5 == 0 else 450


@dataclass
class Batch:
    rows: dict[str, list[tuple]] = field(default_factory=lambda: {t: [] for t, _c in TABLES})


def batches(first: int, last: int, size: int, now: datetime) -> Iterator[Batch]:
    """Rows of orders ``first..last`` in batches of ``size`` orders, in foreign-key order."""
    created = now - timedelta(days=20)
    zero = Decimal("0.00")
    for start in range(first, last + 1, size):
        batch = Batch()
        users, addresses = batch.rows["users"], batch.rows["addresses"]
        orders, items = batch.rows["orders"], batch.rows["order_items"]
        for i in range(start, min(start + size, last + 1)):
            email = order_email(i)
            users.append((i, email, email, "guest"))
            addresses.append(
                (
                    i,
                    "Guest",
                    f"No {i}",
                    f"Bench Street {i % 500}",
                    "Kadikoy",
                    "Istanbul",
                    "34710",
                    "TR",
                    "+905551112233",
                )
            )
            subtotal = zero
            statuses = []
            latest = None
            for j in range(item_count(i)):
                status = item_status(i, j)
                delivered = now - timedelta(days=1 + (i + j) % 10) if status == 550 else None
                if delivered is not None and (latest is None or delivered > latest):
                    latest = delivered
                quantity = 1 + (i + j) % 3
                cents = 199 + (i * 31 + j * 17) % 9800
                price = Decimal(cents).scaleb(-2)
                subtotal += price * quantity
                statuses.append(status)
                items.append(
                    (
                        item_id(i, j),
                        i,
                        (i * ITEM_STRIDE + j) % PRODUCTS + 1,
                        quantity,
                        price,
                        status,
                        delivered,
                    )
                )
            orders.append(
                (
                    i,
                    order_number(i),
                    i,
                    max(statuses),
                    "try",
                    "en-us",
                    created,
                    created,
                    latest,
                    PAYMENT_OPTION_ID,
                    "STANDARD",
                    zero,
                    zero,
                    subtotal,
                    subtotal,
                    i,
                    i,
                )
            )
        yield batch


# --- databases ------------------------------------------------------------------------------


def sqlite_url(path: Path = SQLITE_PATH) -> str:
    return f"sqlite:///{path}"


def postgres_url(server: str = POSTGRES_SERVER, database: str = POSTGRES_DATABASE) -> str:
    return make_url(server).set(database=database).render_as_string(hide_password=False)


def create_schema(url: str) -> None:
    """What ``flask --app webapp init-db`` does: the migrations, through the app factory."""
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.extensions import db

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-seed", "LOG_JSON": False})
    with app.app_context():
        upgrade()
        db.session.remove()
        db.engine.dispose()


def reference_rows() -> dict[str, tuple[tuple[str, ...], list[tuple]]]:
    """The small tables: payment option, products, reasons (with a translation), companies."""
    translations = []
    for reason_id, _subject, _kind, by_language in REASONS:
        for language, subject in by_language.items():
            translations.append((len(translations) + 1, reason_id, language, subject))
    return {
        "payment_options": (
            ("id", "slug", "name", "payment_type"),
            [(PAYMENT_OPTION_ID, "Credit_Card", "Credit Card", "credit_card")],
        ),
        "products": (
            ("id", "sku", "name"),
            [(p, f"BENCH-{p:05d}", f"Bench product {p}") for p in range(1, PRODUCTS + 1)],
        ),
        "cancellation_reasons": (
            (
                "id",
                "uuid",
                "subject",
                "cancellation_type",
                "is_active",
                "sort_order",
                "extra_information_needed",
                "created_date",
                "modified_date",
            ),
            [
                (
                    r,
                    str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench/cancellation-reason/{r}")),
                    s,
                    k,
                    True,
                    r * 10,
                    False,
                    SEEDED_AT,
                    SEEDED_AT,
                )
                for r, s, k, _t in REASONS
            ],
        ),
        "cancellation_reason_translations": (
            ("id", "reason_id", "language", "subject"),
            translations,
        ),
        "shipping_companies": (("id", "slug", "name", "is_active", "easy_return"), COMPANIES),
    }


def seed_sqlite(orders: int, path: Path = SQLITE_PATH) -> str:
    """A new SQLite file with ``orders`` orders; Core ``executemany`` in batches."""
    from webapp.extensions import db

    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (
        path,
        path.with_name(path.name + "-journal"),
        path.with_name(path.name + "-wal"),
    ):
        leftover.unlink(missing_ok=True)
    url = sqlite_url(path)
    create_schema(url)
    engine = create_engine(url)
    tables = db.metadata.tables
    now = _now()
    with engine.begin() as connection:
        # Only for loading: the journal stays in memory; the app uses the file's defaults.
        connection.exec_driver_sql("PRAGMA synchronous=OFF")
        connection.exec_driver_sql("PRAGMA journal_mode=MEMORY")
        for name, (columns, rows) in reference_rows().items():
            connection.execute(
                tables[name].insert(), [dict(zip(columns, r, strict=True)) for r in rows]
            )
        for batch in batches(1, orders, BATCH_SQLITE, now):
            for name, columns in TABLES:
                connection.execute(
                    tables[name].insert(),
                    [dict(zip(columns, row, strict=True)) for row in batch.rows[name]],
                )
        connection.exec_driver_sql("ANALYZE")
    engine.dispose()
    return url


def seed_postgresql(
    orders: int, server: str = POSTGRES_SERVER, database: str = POSTGRES_DATABASE
) -> str:
    """A new PostgreSQL database ``database`` with ``orders`` orders, loaded with COPY."""
    if database in RESERVED_DATABASES:
        raise SystemExit(f"refusing to use the database {database!r}: it belongs to others")
    _recreate_database(server, database)
    url = postgres_url(server, database)
    create_schema(url)
    now = _now()
    with psycopg.connect(_libpq(url)) as connection, connection.cursor() as cursor:
        # The rows are consistent by construction: skip the per-row foreign-key triggers
        # while loading (the constraints stay defined).
        cursor.execute("SET session_replication_role = replica")
        for name, (columns, rows) in reference_rows().items():
            _copy(cursor, name, columns, rows)
        for batch in batches(1, orders, BATCH_POSTGRES, now):
            for name, columns in TABLES:
                _copy(cursor, name, columns, batch.rows[name])
        for name in (
            "payment_options",
            "products",
            "cancellation_reasons",
            "cancellation_reason_translations",
            "shipping_companies",
            "users",
            "addresses",
            "orders",
            "order_items",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
            )
    with psycopg.connect(_libpq(url), autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")
    return url


def _copy(cursor, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _recreate_database(server: str, database: str) -> None:
    admin = make_url(server).set(database="postgres")
    with psycopg.connect(_libpq(admin), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{database}"')


def _libpq(url) -> str:
    """A SQLAlchemy URL as a libpq connection string."""
    url = make_url(url)
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def seeded_orders(url: str) -> int | None:
    """How many orders a benchmark database holds (None when it has no schema)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if "orders" not in engine.dialect.get_table_names(connection):
                return None
            return connection.scalar(select(func.count()).select_from(text("orders")))
    except Exception:
        return None
    finally:
        engine.dispose()


def seed(kind: str, orders: int, server: str = POSTGRES_SERVER) -> str:
    """Seed one database kind (``sqlite`` or ``postgresql``) from scratch; its URL."""
    started = time.perf_counter()
    if kind == "sqlite":
        url = seed_sqlite(orders)
    elif kind == "postgresql":
        url = seed_postgresql(orders, server)
    else:
        raise ValueError(kind)
    print(
        f"  seeded {orders:,} orders into {kind} in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Seed the benchmark databases.")
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres-server", default=POSTGRES_SERVER)
    args = parser.parse_args(argv)
    for kind in args.databases.split(","):
        print(seed(kind.strip(), args.orders, args.postgres_server))
    return 0


if __name__ == "__main__":
    sys.exit(main())
