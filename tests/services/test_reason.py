"""Rule 7: the reason must be active and fit the request's type (or be for both)."""

from __future__ import annotations

import pytest

from .support import create, refusal, request_count


def ask(order, kind, reason_id):
    return create(order, order_item=order.items[0].id, reason=reason_id, cancellation_type=kind)


@pytest.fixture()
def orders(preparing, delivered):
    return {"cancel": preparing, "refund": delivered}


@pytest.mark.parametrize(
    ("kind", "reason_type"),
    [
        ("cancel", "cancel"),
        ("cancel", "both"),
        ("refund", "refund"),
        ("refund", "both"),
    ],
)
def test_an_active_reason_of_the_same_type_or_both_is_accepted(build, orders, kind, reason_type):
    reason = build.reason(reason_type)
    assert ask(orders[kind], kind, reason.id).reason_id == reason.id


@pytest.mark.parametrize(("kind", "reason_type"), [("cancel", "refund"), ("refund", "cancel")])
def test_a_reason_of_the_other_type_is_a_400_on_reason(build, orders, kind, reason_type):
    reason = build.reason(reason_type)
    error = refusal(ask, orders[kind], kind, reason.id)
    assert (error.status, set(error.body)) == (400, {"reason"})
    assert request_count() == 0


@pytest.mark.parametrize("kind", ["cancel", "refund"])
def test_an_inactive_reason_is_a_400_on_reason(build, orders, kind):
    reason = build.reason("both", is_active=False)
    error = refusal(ask, orders[kind], kind, reason.id)
    assert (error.status, set(error.body)) == (400, {"reason"})


@pytest.mark.parametrize("reason_id", [999_999, 0, -3, 2**31, 2**40, 10**30])
def test_an_unknown_reason_is_a_400_on_reason(orders, reason_id):
    error = refusal(ask, orders["cancel"], "cancel", reason_id)
    assert (error.status, set(error.body)) == (400, {"reason"})


@pytest.mark.parametrize("reason_id", [None, "", [1], {"id": 1}, True, 1.0, "one"])
def test_a_missing_or_malformed_reason_is_a_400_on_reason(orders, reason_id):
    error = refusal(ask, orders["cancel"], "cancel", reason_id)
    assert (error.status, set(error.body)) == (400, {"reason"})


@pytest.mark.parametrize("description", [None, "", "   ", "\u200b"])
def test_a_reason_that_needs_a_description_refuses_a_request_without_one(build, preparing,
                                                                         description):  # fmt: skip
    reason = build.reason("both", extra_information_needed=True)
    extra = {} if description is None else {"description": description}
    error = refusal(create, preparing, order_item=preparing.items[0].id, reason=reason.id,
                    cancellation_type="cancel", **extra)  # fmt: skip
    assert (error.status, set(error.body)) == (400, {"description"})
    assert request_count() == 0


def test_a_reason_that_needs_a_description_accepts_a_request_with_one(build, preparing):
    reason = build.reason("both", extra_information_needed=True)
    created = create(preparing, order_item=preparing.items[0].id, reason=reason.id,
                     cancellation_type="cancel",
                     description="The colour is not as shown")  # fmt: skip
    assert created.description == "The colour is not as shown"
