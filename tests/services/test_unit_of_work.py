"""One unit of work per use case: it commits at its end, rolls back on an error, and on SQLite
takes the write lock at its start, so that writers queue instead of reading stale data."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, insert, select

from webapp.extensions import db
from webapp.models import ShippingCompany
from webapp.services.unit_of_work import reading, unit_of_work


def add_company(session, slug: str) -> None:
    session.execute(insert(ShippingCompany).values(slug=slug, name=slug))


def company_slugs() -> list[str]:
    with reading() as connection:
        return list(connection.scalars(select(ShippingCompany.slug).order_by(ShippingCompany.id)))


def test_a_unit_of_work_commits_what_it_wrote_when_it_ends(app):
    with unit_of_work() as session:
        add_company(session, "first")
    assert company_slugs() == ["first"]


def test_a_unit_of_work_writes_nothing_when_its_block_raises(app):
    with pytest.raises(RuntimeError), unit_of_work() as session:
        add_company(session, "never")
        raise RuntimeError("the use case failed")
    assert company_slugs() == []


def test_a_unit_of_work_is_independent_of_what_the_request_session_holds(app):
    db.session.add(ShippingCompany(slug="unsaved", name="Unsaved"))  # never committed
    with unit_of_work() as session:
        add_company(session, "saved")
    db.session.rollback()
    assert company_slugs() == ["saved"]


def test_on_sqlite_a_second_writer_waits_for_the_first_then_reads_its_data(make_app, tmp_path):
    sqlite = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'writers.sqlite3'}")
    with sqlite.app_context():
        db.create_all()
    events: list[str] = []
    first_started, first_may_end = threading.Event(), threading.Event()

    def first_writer() -> None:
        with sqlite.app_context(), unit_of_work() as session:
            add_company(session, "first")
            first_started.set()
            first_may_end.wait(timeout=10)
            events.append("first commits")

    def second_writer() -> None:
        with sqlite.app_context(), unit_of_work() as session:
            seen = session.scalar(select(func.count()).select_from(ShippingCompany))
            events.append(f"second sees {seen}")

    first = threading.Thread(target=first_writer)
    first.start()
    assert first_started.wait(timeout=10)
    second = threading.Thread(target=second_writer)
    second.start()
    second.join(timeout=0.5)
    assert second.is_alive(), "the second writer began while the first held the write lock"
    first_may_end.set()
    first.join(timeout=10)
    second.join(timeout=10)
    assert events == ["first commits", "second sees 1"]
