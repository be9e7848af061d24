"""Rule 6: quantity defaults to what is left, at least 1 and never more than what is left."""

from __future__ import annotations

import pytest

from .support import QUANTITY_TOO_LARGE, create, refusal, request_count


def cancel(order, reason, **extra):
    return create(
        order, order_item=order.items[0].id, reason=reason.id, cancellation_type="cancel", **extra
    )


def test_an_omitted_quantity_means_the_whole_item(preparing, reason):
    assert cancel(preparing, reason).quantity == 3


@pytest.mark.parametrize("empty", [None, ""])
def test_an_empty_quantity_means_what_is_left(preparing, reason, empty):
    assert cancel(preparing, reason, quantity=empty).quantity == 3


def test_an_omitted_quantity_means_what_is_left_after_earlier_requests(build, preparing, reason):
    build.request(preparing.items[0], status="completed", quantity=1)
    assert cancel(preparing, reason).quantity == 2


def test_rejected_requests_do_not_count_toward_what_is_left(build, preparing, reason):
    build.request(preparing.items[0], status="rejected", quantity=3)
    assert cancel(preparing, reason).quantity == 3


def test_a_rejected_request_leaves_the_full_quantity_available_explicitly(build, preparing, reason):
    build.request(preparing.items[0], status="rejected", quantity=2)
    assert cancel(preparing, reason, quantity=3).quantity == 3


@pytest.mark.parametrize("quantity", [1, 2, 3])
def test_a_quantity_up_to_what_is_left_is_stored(preparing, reason, quantity):
    assert cancel(preparing, reason, quantity=quantity).quantity == quantity


def test_a_quantity_given_as_a_string_of_digits_is_accepted(preparing, reason):
    assert cancel(preparing, reason, quantity="2").quantity == 2


@pytest.mark.parametrize("quantity", [0, -1, "0", "-5"])
def test_a_quantity_below_one_is_refused(preparing, reason, quantity):
    error = refusal(cancel, preparing, reason, quantity=quantity)
    assert error.status == 400
    assert set(error.body) == {"quantity"}
    assert request_count() == 0


@pytest.mark.parametrize("quantity", [4, 10**30])
def test_a_quantity_above_the_items_quantity_is_refused_with_the_documented_message(
    preparing, reason, quantity
):
    error = refusal(cancel, preparing, reason, quantity=quantity)
    assert (error.status, error.body) == (400, {"quantity": QUANTITY_TOO_LARGE})
    assert request_count() == 0


def test_a_quantity_above_what_is_left_after_a_completed_request_is_refused(
    build, preparing, reason
):
    build.request(preparing.items[0], status="completed", quantity=2)
    error = refusal(cancel, preparing, reason, quantity=2)
    assert (error.status, error.body) == (400, {"quantity": QUANTITY_TOO_LARGE})


def test_what_is_left_counts_requests_of_both_types(build, delivered, reason):
    build.request(delivered.items[0], status="completed", quantity=1, cancellation_type="cancel")
    build.request(delivered.items[0], status="completed", quantity=1, cancellation_type="refund")
    created = create(
        delivered, order_item=delivered.items[0].id, reason=reason.id, cancellation_type="refund"
    )
    assert created.quantity == 1
