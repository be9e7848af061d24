"""What comes back: the units' price less their share of the order's discount."""

from __future__ import annotations

from decimal import Decimal

import pytest

from webapp.extensions import db
from webapp.services.eligibility import refund_amount, refund_amounts
from webapp.services.orders import normalize_number
from webapp.services.read_models import load_order
from webapp.services.unit_of_work import reading
from webapp.vocabulary import CancellationType, Unavailable

from .support import item_view


def order_view(order):
    with reading() as connection:
        return load_order(connection, order.id)


def test_without_a_discount_the_units_price_comes_back(build):
    order = build.order(items=[(550, 3)], delivered_days_ago=1)  # 3 × 10.50
    view = order_view(order)
    amounts = refund_amounts(view, view.items[0], CancellationType.REFUND)
    assert amounts == [Decimal("10.50"), Decimal("21.00"), Decimal("31.50")]


def test_a_discount_is_shared_over_the_items_by_their_value(build):
    order = build.order(items=[(550, 2), (550, 2)], delivered_days_ago=1)  # 42.00 of items
    order.discount_amount = Decimal("4.20")
    order.shipping_amount = Decimal("5.00")
    order.amount_without_discount = Decimal("47.00")
    order.amount = Decimal("42.80")
    db.session.commit()
    view = order_view(order)
    one = refund_amount(view, view.items[0], CancellationType.REFUND, 1)
    assert one == Decimal("9.45")  # 10.50 less a tenth of the discount (10.50 of 42.00 × 4.20)
    everything = sum(refund_amount(view, item, CancellationType.REFUND, 2) for item in view.items)
    assert everything == view.amount - view.shipping_amount  # shipping is not refunded


def test_cancelling_what_is_paid_on_delivery_gives_nothing_back(build):
    order = build.order(items=[(450, 2)], payment_type="pay_on_delivery")
    view = order_view(order)
    assert refund_amount(view, view.items[0], CancellationType.CANCEL, 2) == Decimal("0.00")


@pytest.mark.parametrize(
    ("status", "days_ago", "why"),
    [
        (100, None, Unavailable.CANCELLED),
        (600, None, Unavailable.REFUNDED),
        (500, None, Unavailable.ON_ITS_WAY),
        (550, 30, Unavailable.WINDOW_CLOSED),
        (50, None, Unavailable.NOT_ONLINE),
    ],
)
def test_an_item_that_allows_nothing_says_why(build, status, days_ago, why):
    order = build.order(items=[(status, 1)], delivered_days_ago=days_ago)
    item = item_view(order)
    assert (item.allowed_types, item.unavailable) == ([], why)


def test_an_item_with_an_open_request_is_in_progress_before_anything_else(build, preparing):
    build.request(preparing.items[0], quantity=3)
    assert item_view(preparing).unavailable == Unavailable.IN_PROGRESS


def test_an_item_with_every_unit_in_a_finished_request_has_nothing_left(build, preparing):
    build.request(preparing.items[0], quantity=3, status="completed")
    assert item_view(preparing).unavailable == Unavailable.NOTHING_LEFT


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("#100000000002", "100000000002"), ("1000 0000 0002", "100000000002"),
     ("1000-0000-0002", "100000000002"), ("1000–0000–0002", "100000000002"),
     ("A-12.34", "A1234")],
)  # fmt: skip
def test_an_order_number_is_read_without_its_separators(typed, stored):
    assert normalize_number(typed) == stored
