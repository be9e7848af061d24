"""Rule 13: an IBAN is shown in full only to the request that sent it; no client address."""

from __future__ import annotations

import pytest

from webapp.serializers import mask_iban, serialize_order, serialize_request
from webapp.services.orders import view_proven_order

from .support import IBAN, create


@pytest.fixture()
def with_iban(build, reason):
    order = build.order(items=[(550, 2)], payment_type="funds_transfer", delivered_days_ago=1)
    create(
        order,
        order_item=order.items[0].id,
        reason=reason.id,
        cancellation_type="refund",
        quantity=1,
        iban=IBAN,
        holder_name="John Doe",
    )
    return order


@pytest.mark.parametrize("iban", [IBAN, "DE89370400440532013000", "ABCDE", "ABCD", "AB"])
def test_a_masked_iban_shows_at_most_its_last_four_characters(iban):
    masked = mask_iban(iban)
    assert len(masked) == len(iban)
    assert masked.endswith(iban[-4:])
    assert sum(char != "*" for char in masked) <= 4
    if len(iban) > 4:
        assert masked[: len(iban) - 4] == "*" * (len(iban) - 4)


@pytest.mark.parametrize("iban", [None, ""])
def test_a_missing_iban_stays_missing_when_masked(iban):
    assert mask_iban(iban) == iban


def test_the_creating_response_carries_the_full_iban(with_iban):
    request = with_iban.items[0].cancellation_requests[0]
    assert serialize_request(request, reveal_iban=True)["iban"] == IBAN


def test_a_request_rendered_later_has_its_iban_masked(with_iban):
    request = with_iban.items[0].cancellation_requests[0]
    assert serialize_request(request)["iban"] == "*" * 22 + "1326"


def test_the_orders_item_data_never_carries_the_full_iban(with_iban):
    order = view_proven_order(with_iban.id, {with_iban.id})
    data = serialize_order(order, [])
    item = data["orderitem_set"][0]
    assert item["active_cancellation_request"]["iban"] == "*" * 22 + "1326"
    assert [r["iban"] for r in item["cancellationrequest_set"]] == ["*" * 22 + "1326"]
    assert IBAN not in repr(data)


def test_the_order_data_has_an_empty_remote_addr(preparing):
    assert serialize_order(view_proven_order(preparing.id, {preparing.id}), [])["remote_addr"] == ""


def test_the_order_data_holds_only_this_orders_items(build):
    mine = build.order(email="guest@example.com", items=[(450, 1)])
    build.order(email="guest@example.com", items=[(450, 1), (450, 2)])
    data = serialize_order(view_proven_order(mine.id, {mine.id}), [])
    assert [item["id"] for item in data["orderitem_set"]] == [mine.items[0].id]
