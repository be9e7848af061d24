"""Rules 5 and 6 under load: racing requests never over-commit an item or double-book it."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import select

from webapp.errors import DomainError
from webapp.extensions import db
from webapp.models import CancellationRequest
from webapp.services.cancellations import (
    create_bulk_cancellation_requests,
    create_cancellation_request,
)
from webapp.vocabulary import ACTIVE_REQUEST_STATUSES

THREADS = 20
ACTIVE = "cancellation_request_100_1"


def race(app, work) -> list:
    """Run ``work(index)`` in THREADS threads released together, each with its own session."""
    barrier = threading.Barrier(THREADS)
    outcomes: list = [None] * THREADS

    def run(index: int) -> None:
        with app.test_request_context():  # a fresh app context: its own database session
            try:
                barrier.wait(timeout=30)
                outcomes[index] = ("created", work(index))
            except DomainError as error:
                outcomes[index] = (error.status, error.body)
            except Exception as error:  # reported by the assertions, not lost in the thread
                outcomes[index] = ("crashed", repr(error))

    threads = [threading.Thread(target=run, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def stored_requests() -> list[CancellationRequest]:
    db.session.expire_all()
    return list(db.session.scalars(select(CancellationRequest)))


def assert_never_overcommitted(items: dict[int, int]) -> None:
    """Per item: at most one active request, accepted quantities within the item's quantity."""
    requests = stored_requests()
    for item_id, quantity in items.items():
        mine = [r for r in requests if r.order_item_id == item_id]
        assert sum(r.quantity for r in mine if r.status != "rejected") <= quantity
        assert sum(r.status in ACTIVE_REQUEST_STATUSES for r in mine) <= 1


@pytest.mark.parametrize("quantity", [1, None])
def test_racing_requests_for_one_item_accept_exactly_one(app, build, reason, quantity):
    order = build.order(items=[(450, 5)])
    order_id, item_id = order.id, order.items[0].id
    body = {"order_item": item_id, "reason": reason.id, "cancellation_type": "cancel"}
    if quantity is not None:
        body["quantity"] = quantity
    db.session.commit()

    def work(_index):
        created = create_cancellation_request(dict(body), {order_id})
        return created.requests[0].quantity

    outcomes = race(app, work)
    kinds = Counter(outcome[0] for outcome in outcomes)
    assert kinds == {"created": 1, 400: THREADS - 1}, outcomes
    assert all(body["error_code"] == ACTIVE for status, body in outcomes if status == 400)
    assert [r.quantity for r in stored_requests()] == [quantity or 5]
    assert_never_overcommitted({item_id: 5})


def test_racing_requests_for_the_last_unit_accept_exactly_one(app, build, reason):
    order = build.order(items=[(450, 5)])
    build.request(order.items[0], status="completed", quantity=4)
    order_id, item_id = order.id, order.items[0].id
    body = {
        "order_item": item_id,
        "reason": reason.id,
        "cancellation_type": "cancel",
        "quantity": 1,
    }
    db.session.commit()

    outcomes = race(
        app, lambda _i: create_cancellation_request(dict(body), {order_id}).requests[0].id
    )
    assert Counter(outcome[0] for outcome in outcomes) == {"created": 1, 400: THREADS - 1}
    assert_never_overcommitted({item_id: 5})


def test_racing_bulks_over_overlapping_items_never_double_book_an_item(app, build, reason):
    order = build.order(items=[(450, 3)] * 4)
    order_id = order.id
    item_ids = [item.id for item in order.items]
    reason_id = reason.id
    db.session.commit()

    def work(index):
        pair = [item_ids[index % 4], item_ids[(index + 1) % 4]]
        if index % 2:
            pair.reverse()  # opposite lock orders, to provoke a deadlock if locks were unordered
        entries = [
            {
                "order_item": item_id,
                "reason": reason_id,
                "cancellation_type": "cancel",
                "quantity": 1,
            }
            for item_id in pair
        ]
        created = create_bulk_cancellation_requests({"cancel_order_items": entries}, {order_id})
        return [request.order_item_id for request in created.requests]

    outcomes = race(app, work)
    assert not [o for o in outcomes if o[0] not in ("created", 400)], outcomes
    booked = [item for kind, result in outcomes if kind == "created" for item in result]
    assert booked, "the first bulk to get the lock must succeed"
    assert len(booked) == len(set(booked)), "an item was booked by two bulks"
    for kind, body in outcomes:
        if kind == 400:
            codes = [entry.get("error_code") for entry in body["cancel_order_items"]]
            assert set(codes) <= {None, ACTIVE} and ACTIVE in codes
    assert sorted(r.order_item_id for r in stored_requests()) == sorted(booked)
    assert_never_overcommitted(dict.fromkeys(item_ids, 3))


def test_racing_bulks_over_separate_items_all_succeed(app, build, reason):
    orders = [build.order(items=[(450, 2)]) for _ in range(THREADS)]
    plans = [(order.id, order.items[0].id) for order in orders]
    reason_id = reason.id
    db.session.commit()

    def work(index):
        order_id, item_id = plans[index]
        entries = [{"order_item": item_id, "reason": reason_id, "cancellation_type": "cancel"}]
        created = create_bulk_cancellation_requests({"cancel_order_items": entries}, {order_id})
        return created.requests[0].quantity

    outcomes = race(app, work)
    assert outcomes == [("created", 2)] * THREADS
    assert_never_overcommitted({item_id: 2 for _, item_id in plans})
