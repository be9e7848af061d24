"""How a request's database transaction ends: reads commit, errors and unsaved changes roll back."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from webapp.extensions import db, end_read_only_transaction
from webapp.models import Product


@pytest.fixture()
def endings(app):
    """'commit' or 'rollback' for each transaction ended on a connection during the test."""
    seen: list[str] = []

    def on_commit(_connection):
        seen.append("commit")

    def on_rollback(_connection):
        seen.append("rollback")

    event.listen(db.engine, "commit", on_commit)
    event.listen(db.engine, "rollback", on_rollback)
    yield seen
    event.remove(db.engine, "commit", on_commit)
    event.remove(db.engine, "rollback", on_rollback)


def test_a_lookup_that_only_reads_ends_its_transaction_with_a_commit(api, preparing, endings):
    response = api.lookup("guest@example.com", "100000000001")
    assert response.status_code == 200
    assert endings == ["commit"]


def test_a_lookup_miss_rolls_its_transaction_back(api, preparing, endings):
    response = api.lookup("guest@example.com", "999999999999")
    assert response.status_code == 404
    assert endings == ["rollback"]


def test_unsaved_changes_left_in_the_session_are_never_committed(app, build):
    product = build.order().items[0].product
    db.session.get(Product, product.id).name = "Changed but never saved"
    end_read_only_transaction(None)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Product, product.id).name != "Changed but never saved"


def test_a_transaction_is_not_committed_when_the_request_failed(app, build):
    build.order()
    db.session.scalars(select(Product.id)).all()  # a read opens a transaction
    end_read_only_transaction(RuntimeError("the request failed"))
    assert db.session().in_transaction()
    db.session.rollback()
