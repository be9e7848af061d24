"""Rules 4 and 5: the type by status and refund window; one active request per item."""

from __future__ import annotations

from datetime import timedelta

import pytest

from webapp.clock import utcnow
from webapp.extensions import db

from .support import create, item_view, refusal, request_count

CANCELLABLE = [200, 300, 350, 400, 450]
NOT_CANCELLABLE = [50, 100, 500, 510, 520, 540, 544, 545, 550, 600]
NOT_REFUNDABLE = [50, 100, 200, 300, 350, 400, 450, 500, 510, 520, 540, 544, 545, 600]


def cancel(order, reason, **extra):
    return create(
        order, order_item=order.items[0].id, reason=reason.id, cancellation_type="cancel", **extra
    )


def refund(order, reason, **extra):
    return create(
        order, order_item=order.items[0].id, reason=reason.id, cancellation_type="refund", **extra
    )


def delivered_order(build, item_days_ago=None, order_days_ago=None, status=550):
    order = build.order(items=[(status, 2)], delivered_days_ago=order_days_ago)
    if item_days_ago is not None:
        order.items[0].delivered_date = utcnow() - timedelta(days=item_days_ago)
        db.session.commit()
    return order


@pytest.mark.parametrize("status", CANCELLABLE)
def test_an_item_can_be_cancelled_in_an_early_status(build, reason, status):
    order = build.order(items=[(status, 1)])
    assert cancel(order, reason).cancellation_type == "cancel"


@pytest.mark.parametrize("status", NOT_CANCELLABLE)
def test_an_item_can_not_be_cancelled_in_a_later_status(build, reason, status):
    order = build.order(items=[(status, 1)], delivered_days_ago=1)
    error = refusal(cancel, order, reason)
    assert error.status == 400
    assert error.body["error_code"] == "cancellation_request_100_2"
    assert request_count() == 0


def test_a_delivered_item_can_be_refunded_within_the_window(build, reason):
    order = delivered_order(build, order_days_ago=3)
    assert refund(order, reason).cancellation_type == "refund"


@pytest.mark.parametrize("status", NOT_REFUNDABLE)
def test_an_item_that_is_not_delivered_can_not_be_refunded(build, reason, status):
    order = delivered_order(build, order_days_ago=1, status=status)
    error = refusal(refund, order, reason)
    assert error.status == 400
    assert error.body["error_code"] == "cancellation_request_100_3"


def test_a_delivered_item_without_a_delivery_date_can_not_be_refunded(build, reason):
    order = delivered_order(build)
    assert refusal(refund, order, reason).body["error_code"] == "cancellation_request_100_3"


@pytest.mark.parametrize(
    ("age", "accepted"),
    [(timedelta(days=14) - timedelta(minutes=5), True), (timedelta(days=14, minutes=5), False)],
)
def test_the_refund_window_is_refund_window_days_after_delivery(build, reason, age, accepted):
    order = build.order(items=[(550, 1)])
    order.delivered_date = utcnow() - age
    db.session.commit()
    if accepted:
        assert refund(order, reason).quantity == 1
    else:
        assert refusal(refund, order, reason).body["error_code"] == "cancellation_request_100_3"


def test_the_refund_window_follows_the_configuration(app, build, reason):
    app.config["REFUND_WINDOW_DAYS"] = 30
    assert refund(delivered_order(build, order_days_ago=25), reason).quantity == 2
    app.config["REFUND_WINDOW_DAYS"] = 3
    error = refusal(refund, delivered_order(build, order_days_ago=5), reason)
    assert error.body["error_code"] == "cancellation_request_100_3"


def test_the_items_delivery_date_wins_over_the_orders(build, reason):
    order = delivered_order(build, item_days_ago=20, order_days_ago=1)
    assert refusal(refund, order, reason).body["error_code"] == "cancellation_request_100_3"


def test_the_orders_delivery_date_counts_when_the_item_has_none(build, reason):
    assert refund(delivered_order(build, order_days_ago=1), reason).quantity == 2


def test_a_recent_item_delivery_is_refundable_even_if_the_order_was_delivered_long_ago(
    build, reason
):
    assert refund(delivered_order(build, item_days_ago=1, order_days_ago=40), reason).quantity == 2


def test_creating_a_request_does_not_change_the_items_status(preparing, reason):
    created = cancel(preparing, reason)
    db.session.expire_all()
    assert preparing.items[0].status == 450
    assert created.status == "open"


@pytest.mark.parametrize("active_status", ["open", "approved"])
def test_a_second_request_for_an_item_with_an_active_one_is_refused(
    build, preparing, reason, active_status
):
    build.request(preparing.items[0], status=active_status, quantity=1)
    error = refusal(cancel, preparing, reason, quantity=1)
    assert error.status == 400
    assert error.body == {
        "non_field_errors": error.body["non_field_errors"],
        "error_code": "cancellation_request_100_1",
    }
    assert request_count() == 1


def test_a_second_request_made_through_the_service_is_refused(preparing, reason):
    cancel(preparing, reason, quantity=1)
    error = refusal(cancel, preparing, reason, quantity=1)
    assert error.body["error_code"] == "cancellation_request_100_1"
    assert request_count() == 1


@pytest.mark.parametrize("final_status", ["rejected", "completed"])
def test_a_final_request_does_not_block_a_new_one(build, preparing, reason, final_status):
    build.request(preparing.items[0], status=final_status, quantity=1)
    assert cancel(preparing, reason, quantity=1).status == "open"


@pytest.mark.parametrize(
    ("status", "kind", "code"),
    [
        (450, "cancel", "cancellation_request_100_2"),
        (550, "refund", "cancellation_request_100_3"),
    ],
)
def test_an_item_with_nothing_left_can_not_get_another_request(build, reason, status, kind, code):
    order = build.order(items=[(status, 2)], delivered_days_ago=1)
    build.request(order.items[0], status="completed", quantity=2, cancellation_type=kind)
    error = refusal(
        create, order, order_item=order.items[0].id, reason=reason.id, cancellation_type=kind
    )
    assert error.body["error_code"] == code


def test_a_preparing_item_is_cancellable_and_not_refundable(preparing):
    assert item_view(preparing).is_cancellable is True
    assert item_view(preparing).is_refundable is False


def test_a_recently_delivered_item_is_refundable_and_not_cancellable(delivered):
    assert item_view(delivered).is_refundable is True
    assert item_view(delivered).is_cancellable is False


@pytest.mark.parametrize("active_status", ["open", "approved"])
def test_an_item_with_an_active_request_is_neither_cancellable_nor_refundable(
    build, preparing, delivered, active_status
):
    build.request(preparing.items[0], status=active_status, quantity=1)
    build.request(delivered.items[0], status=active_status, quantity=1, cancellation_type="refund")
    assert item_view(preparing).is_cancellable is False
    assert item_view(delivered).is_refundable is False


def test_an_item_with_nothing_left_is_neither_cancellable_nor_refundable(
    build, preparing, delivered
):
    build.request(preparing.items[0], status="completed", quantity=3)
    build.request(delivered.items[0], status="completed", quantity=3, cancellation_type="refund")
    assert item_view(preparing).is_cancellable is False
    assert item_view(delivered).is_refundable is False


def test_an_item_with_units_left_after_a_completed_request_stays_cancellable(build, preparing):
    build.request(preparing.items[0], status="completed", quantity=2)
    assert item_view(preparing).is_cancellable is True
    assert item_view(preparing).remaining_quantity == 1
