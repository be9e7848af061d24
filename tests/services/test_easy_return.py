"""Rule 9: a refund with an easy-return company gets an easy return with a unique code."""

from __future__ import annotations

from datetime import timedelta

import pytest

from webapp.services import cancellation_write

from .support import create, easy_return_count, pickup, refusal, request_count


def refund(order, reason, **extra):
    return create(
        order, order_item=order.items[0].id, reason=reason.id, cancellation_type="refund", **extra
    )


def test_a_refund_with_an_easy_return_company_creates_an_easy_return(delivered, reason, company):
    created = refund(delivered, reason, shipping_company=company.id)
    easy_return = created.easy_return
    assert easy_return is not None
    assert easy_return.shipping_company.id == company.id
    assert easy_return.status == "active"
    assert len(easy_return.code) >= 5
    assert easy_return.end_date > easy_return.start_date


def test_the_easy_return_is_valid_for_the_pickup_window(app, delivered, reason, company):
    app.config["PICKUP_WINDOW_DAYS"] = 5
    easy_return = refund(delivered, reason, shipping_company=company.id).easy_return
    assert easy_return.end_date - easy_return.start_date == timedelta(days=5)


def test_a_refund_with_a_pickup_creates_an_easy_return_too(delivered, reason, company):
    created = refund(
        delivered,
        reason,
        shipping_company=company.id,
        pickup_address=delivered.billing_address_id,
        pickup_date=pickup(3),
    )
    assert created.easy_return.shipping_company.id == company.id


def test_easy_return_codes_are_unique(build, reason, company):
    codes = set()
    for _ in range(6):
        order = build.order(email="guest@example.com", items=[(550, 1)], delivered_days_ago=1)
        codes.add(refund(order, reason, shipping_company=company.id).easy_return.code)
    assert len(codes) == 6


def test_an_easy_return_code_already_in_use_is_never_given_twice(
    build, reason, company, monkeypatch
):
    first = build.order(items=[(550, 1)], delivered_days_ago=1)
    second = build.order(items=[(550, 1)], delivered_days_ago=1)
    letters = iter("A" * 8 + "A" * 8 + "B" * 8)
    monkeypatch.setattr(cancellation_write.secrets, "choice", lambda alphabet: next(letters))
    assert refund(first, reason, shipping_company=company.id).easy_return.code == "A" * 8
    assert refund(second, reason, shipping_company=company.id).easy_return.code == "B" * 8


def test_a_refund_without_a_company_has_no_easy_return(delivered, reason):
    assert refund(delivered, reason).easy_return is None
    assert easy_return_count() == 0


@pytest.mark.parametrize(
    ("easy_return", "is_active"), [(False, True), (True, False), (False, False)]
)
def test_a_company_without_easy_return_or_inactive_is_a_400_on_shipping_company(
    build, delivered, reason, easy_return, is_active
):
    company = build.company(easy_return=easy_return, is_active=is_active)
    error = refusal(refund, delivered, reason, shipping_company=company.id)
    assert (error.status, set(error.body)) == (400, {"shipping_company"})
    assert (request_count(), easy_return_count()) == (0, 0)


@pytest.mark.parametrize("company_id", [999_999, 0, 2**31, 2**40, 10**30, "abc", [1], True])
def test_an_unknown_or_malformed_company_is_a_400_on_shipping_company(
    delivered, reason, company_id
):
    error = refusal(refund, delivered, reason, shipping_company=company_id)
    assert (error.status, set(error.body)) == (400, {"shipping_company"})


@pytest.mark.parametrize("field", ["shipping_company", "pickup_address", "pickup_date"])
def test_shipping_or_pickup_fields_on_a_cancel_are_a_400_on_the_field(
    preparing, reason, company, field
):
    values = {
        "shipping_company": company.id,
        "pickup_address": preparing.shipping_address_id,
        "pickup_date": pickup(),
    }
    error = refusal(
        create,
        preparing,
        order_item=preparing.items[0].id,
        reason=reason.id,
        cancellation_type="cancel",
        **{field: values[field]},
    )
    assert (error.status, set(error.body)) == (400, {field})
    assert request_count() == 0


def test_a_cancel_never_gets_an_easy_return(preparing, reason):
    created = create(
        preparing, order_item=preparing.items[0].id, reason=reason.id, cancellation_type="cancel"
    )
    assert created.easy_return is None
