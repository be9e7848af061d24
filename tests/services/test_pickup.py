"""Rule 8: a pickup needs the order's own address, a date in the window, hours and a company."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from .support import PICKUP_ADDRESS_REQUIRED, create, pickup, refusal, request_count, store_today


@pytest.fixture()
def refund(delivered, reason, company):
    """A refund of the delivered item with a full pickup; ``field=...`` leaves a field out."""

    def ask(**fields):
        body = {
            "order_item": delivered.items[0].id,
            "reason": reason.id,
            "cancellation_type": "refund",
            "shipping_company": company.id,
            "pickup_address": delivered.shipping_address_id,
            "pickup_date": pickup(),
            **fields,
        }
        return create(delivered, **{key: value for key, value in body.items() if value is not ...})

    return ask


def test_a_complete_pickup_is_stored_with_the_request(refund, delivered):
    created = refund(pickup_date=pickup(2, "10:00", "13:30"))
    assert created.pickup_address.id == delivered.shipping_address_id
    assert created.pickup_date == store_today() + timedelta(days=2)
    assert (created.pickup_hour_start, created.pickup_hour_end) == ("10:00", "13:30")


def test_a_pickup_date_without_an_address_is_a_406_with_only_the_documented_body(refund):
    error = refusal(refund, pickup_address=...)
    assert (error.status, error.body) == (406, PICKUP_ADDRESS_REQUIRED)
    assert request_count() == 0


def test_a_missing_address_with_another_error_is_a_400_with_both(refund):
    error = refusal(refund, pickup_address=..., description=["not", "text"])
    assert error.status == 400
    assert error.body == {**PICKUP_ADDRESS_REQUIRED, "description": error.body["description"]}


@pytest.mark.parametrize("which", ["shipping_address_id", "billing_address_id"])
def test_the_pickup_address_may_be_the_orders_shipping_or_billing_address(refund, delivered, which):
    address_id = getattr(delivered, which)
    assert refund(pickup_address=address_id).pickup_address.id == address_id


def test_another_orders_address_is_a_400_on_pickup_address(refund, build):
    other = build.order(email="other@example.com", items=[(550, 1)], delivered_days_ago=1)
    error = refusal(refund, pickup_address=other.shipping_address_id)
    assert (error.status, set(error.body)) == (400, {"pickup_address"})


@pytest.mark.parametrize("address", [999_999, 2**31, 2**40, 10**30, "x", [1]])
def test_an_unknown_or_malformed_pickup_address_is_a_400_on_pickup_address(refund, address):
    error = refusal(refund, pickup_address=address)
    assert (error.status, set(error.body)) == (400, {"pickup_address"})


def test_a_pickup_address_without_a_date_is_a_400_on_pickup_date(refund):
    error = refusal(refund, pickup_date=...)
    assert (error.status, set(error.body)) == (400, {"pickup_date"})


@pytest.mark.parametrize("days_ahead", [1, 7, 14])
def test_a_pickup_date_from_tomorrow_to_the_window_end_is_accepted(refund, days_ahead):
    created = refund(pickup_date=pickup(days_ahead))
    assert created.pickup_date == store_today() + timedelta(days=days_ahead)


@pytest.mark.parametrize("days_ahead", [-30, -1, 0, 15, 400])
def test_a_pickup_date_outside_the_window_is_a_400_on_pickup_date(refund, days_ahead):
    error = refusal(refund, pickup_date=pickup(days_ahead))
    assert (error.status, set(error.body)) == (400, {"pickup_date"})
    assert request_count() == 0


def test_the_seeds_example_date_in_the_past_is_refused(refund):
    seed_pickup = {"date": "2024-01-01", "hour_range": {"start": "09:00", "end": "12:00"}}
    assert set(refusal(refund, pickup_date=seed_pickup).body) == {"pickup_date"}


def test_the_pickup_window_follows_the_configuration(app, refund):
    app.config["PICKUP_WINDOW_DAYS"] = 3
    assert set(refusal(refund, pickup_date=pickup(4)).body) == {"pickup_date"}
    assert refund(pickup_date=pickup(3)).pickup_date == store_today() + timedelta(days=3)


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_tomorrow_is_counted_in_the_stores_time_zone(app, refund, zone):
    # UTC+14 and UTC-11 never share a date, so a UTC-based check fails one of these cases.
    app.config["STORE_TIMEZONE"] = zone
    today = store_today()
    assert today == datetime.now(ZoneInfo(zone)).date()
    assert set(refusal(refund, pickup_date=pickup(0)).body) == {"pickup_date"}
    assert refund(pickup_date=pickup(1)).pickup_date == today + timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("08:00", "20:00"),
        ("08:00", "08:01"),
        ("19:59", "20:00"),
        ("09:00", "12:00"),
    ],
)
def test_an_hour_range_inside_eight_to_twenty_with_start_before_end_is_accepted(refund, start, end):
    created = refund(pickup_date=pickup(1, start, end))
    assert (created.pickup_hour_start, created.pickup_hour_end) == (start, end)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("12:00", "09:00"),
        ("10:00", "10:00"),
        ("07:59", "12:00"),
        ("06:00", "07:00"),
        ("18:00", "20:01"),
        ("20:00", "21:00"),
        ("9:00", "12:00"),
        ("09:00", "24:00"),
        ("09:60", "12:00"),
        ("0900", "1200"),
        ("09:00:00", "12:00:00"),
        (9, 12),
        (None, "12:00"),
    ],
)
def test_a_bad_hour_range_is_a_400_on_pickup_date(refund, start, end):
    error = refusal(refund, pickup_date=pickup(1, start, end))
    assert (error.status, set(error.body)) == (400, {"pickup_date"})


@pytest.mark.parametrize(
    "value",
    [
        "2030-01-01",
        ["2030-01-01"],
        20300101,
        {"hour_range": {"start": "09:00", "end": "12:00"}},
        {"date": "tomorrow", "hour_range": {"start": "09:00", "end": "12:00"}},
        {"date": "2030-02-30", "hour_range": {"start": "09:00", "end": "12:00"}},
    ],
)
def test_a_malformed_pickup_date_is_a_400_on_pickup_date(refund, value):
    error = refusal(refund, pickup_date=value)
    assert (error.status, set(error.body)) == (400, {"pickup_date"})


def test_a_pickup_date_in_another_date_format_is_a_400_on_pickup_date(refund):
    day = pickup(1)["date"]
    compact = {"date": day.replace("-", ""), "hour_range": {"start": "09:00", "end": "12:00"}}
    assert set(refusal(refund, pickup_date=compact).body) == {"pickup_date"}


def test_a_pickup_without_a_shipping_company_is_a_400_on_shipping_company(refund):
    error = refusal(refund, shipping_company=...)
    assert (error.status, set(error.body)) == (400, {"shipping_company"})
