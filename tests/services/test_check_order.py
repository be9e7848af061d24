"""Rule 11: ownership, then 100_1, then 100_2/100_3, then every field error merged."""

from __future__ import annotations

import pytest

from .support import PICKUP_ADDRESS_REQUIRED, QUANTITY_TOO_LARGE, create, pickup, refusal


def test_ownership_is_checked_before_an_active_request(build, preparing, reason):
    build.request(preparing.items[0], status="open")
    other = build.order(email="other@example.com")
    body = {"order_item": preparing.items[0].id, "reason": reason.id, "cancellation_type": "cancel"}
    error = refusal(create, other, **body)
    assert (error.status, error.body["error_code"]) == (404, "anonymous_order_100_1")


def test_an_active_request_is_reported_before_the_status(build, reason):
    order = build.order(items=[(550, 2)], delivered_days_ago=60)
    build.request(order.items[0], status="approved", cancellation_type="refund")
    error = refusal(
        create, order, order_item=order.items[0].id, reason=reason.id, cancellation_type="cancel"
    )
    assert error.body["error_code"] == "cancellation_request_100_1"


def test_an_active_request_is_reported_instead_of_field_errors(build, preparing):
    build.request(preparing.items[0], status="open")
    error = refusal(
        create,
        preparing,
        order_item=preparing.items[0].id,
        reason="bad",
        cancellation_type="cancel",
        quantity=99,
    )
    assert set(error.body) == {"non_field_errors", "error_code"}
    assert error.body["error_code"] == "cancellation_request_100_1"


@pytest.mark.parametrize(
    ("status", "kind", "code"),
    [
        (500, "cancel", "cancellation_request_100_2"),
        (450, "refund", "cancellation_request_100_3"),
    ],
)
def test_the_status_is_reported_instead_of_field_errors(build, status, kind, code):
    order = build.order(items=[(status, 1)], payment_type="funds_transfer")
    error = refusal(
        create,
        order,
        order_item=order.items[0].id,
        reason=999,
        quantity=7,
        cancellation_type=kind,
        iban="bad",
    )
    assert (error.status, set(error.body)) == (400, {"non_field_errors", "error_code"})
    assert error.body["error_code"] == code


def test_all_field_errors_come_together_in_one_object(build, delivered, reason):
    inactive = build.company(is_active=False)
    error = refusal(
        create,
        delivered,
        order_item=delivered.items[0].id,
        reason=999_999,
        cancellation_type="refund",
        quantity=9,
        iban="TR00",
        holder_name="J",
        description=["x"],
        shipping_company=inactive.id,
    )
    assert error.status == 400
    assert error.body["quantity"] == QUANTITY_TOO_LARGE
    assert set(error.body) == {"reason", "quantity", "iban", "description", "shipping_company"}


def test_a_missing_type_is_reported_with_the_other_field_errors(preparing):
    error = refusal(create, preparing, order_item=preparing.items[0].id, reason="x")
    assert set(error.body) == {"cancellation_type", "reason"}


@pytest.mark.parametrize("kind", ["return", "CANCEL", 1, ["cancel"]])
def test_an_unknown_type_is_a_400_on_cancellation_type(preparing, reason, kind):
    error = refusal(
        create,
        preparing,
        order_item=preparing.items[0].id,
        reason=reason.id,
        cancellation_type=kind,
    )
    assert (error.status, set(error.body)) == (400, {"cancellation_type"})


def test_a_missing_pickup_address_wins_over_a_missing_iban(build, reason, company):
    order = build.order(items=[(550, 1)], payment_type="funds_transfer", delivered_days_ago=1)
    error = refusal(
        create,
        order,
        order_item=order.items[0].id,
        reason=reason.id,
        cancellation_type="refund",
        shipping_company=company.id,
        pickup_date=pickup(),
    )
    assert error.body == PICKUP_ADDRESS_REQUIRED


def test_a_missing_pickup_address_with_a_missing_iban_is_not_a_406(build, reason, company):
    # Two coded errors: 100_8 is the one shown, but it is not the only error, so 400.
    order = build.order(items=[(550, 1)], payment_type="funds_transfer", delivered_days_ago=1)
    error = refusal(
        create,
        order,
        order_item=order.items[0].id,
        reason=reason.id,
        cancellation_type="refund",
        shipping_company=company.id,
        pickup_date=pickup(),
    )
    assert error.status == 400


def test_a_missing_pickup_address_alone_is_a_406(delivered, reason, company):
    error = refusal(
        create,
        delivered,
        order_item=delivered.items[0].id,
        reason=reason.id,
        cancellation_type="refund",
        shipping_company=company.id,
        pickup_date=pickup(),
    )
    assert (error.status, error.body) == (406, PICKUP_ADDRESS_REQUIRED)


def test_a_missing_pickup_address_with_a_field_error_is_a_400(delivered, reason):
    error = refusal(
        create,
        delivered,
        order_item=delivered.items[0].id,
        reason=reason.id,
        cancellation_type="refund",
        pickup_date=pickup(),
    )
    assert error.status == 400
    assert error.body["error_code"] == "cancellation_request_100_8"
    assert "shipping_company" in error.body


def test_a_missing_iban_comes_with_the_other_field_errors(build):
    order = build.order(items=[(450, 1)], payment_type="funds_transfer")
    error = refusal(
        create, order, order_item=order.items[0].id, reason=999_999, cancellation_type="cancel"
    )
    assert error.status == 400
    assert error.body["error_code"] == "cancellation_request_100_5"
    assert "reason" in error.body
