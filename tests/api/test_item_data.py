"""What the lookup tells about each item: what can be asked, what is left, what is pending."""

from __future__ import annotations

import pytest


def items_of(api, order) -> list[dict]:
    response = api.lookup(order.user.email, order.number)
    assert response.status_code == 200
    return response.get_json()["results"][0]["orderitem_set"]


def test_a_preparing_item_is_cancellable_with_everything_left(api, preparing):
    (item,) = items_of(api, preparing)
    assert (item["is_cancellable"], item["is_refundable"]) == (True, False)
    assert (item["remaining_quantity"], item["active_cancellation_request"]) == (3, None)
    assert item["available_easy_return_shipping_companies"] == []


def test_a_delivered_item_is_refundable_and_offers_easy_return_companies(
    api, build, delivered, company
):
    build.company(easy_return=False)
    build.company(is_active=False)
    (item,) = items_of(api, delivered)
    assert (item["is_cancellable"], item["is_refundable"]) == (False, True)
    assert item["available_easy_return_shipping_companies"] == [
        {"pk": company.id, "shipping_company": {"value": company.slug, "label": company.name}}
    ]


@pytest.mark.parametrize("fixture", ["preparing", "delivered"])
def test_an_item_with_an_active_request_shows_it_and_can_not_get_another(
    api, request, reason, fixture
):
    order = request.getfixturevalue(fixture)
    kind = "cancel" if fixture == "preparing" else "refund"
    created = api.post(
        "/users/orders/anonymous/cancellation_requests/",
        {
            "order_item": order.items[0].id,
            "reason": reason.id,
            "cancellation_type": kind,
            "quantity": 1,
            "email": order.user.email,
            "order": order.number,
        },
    ).get_json()
    (item,) = items_of(api, order)
    assert (item["is_cancellable"], item["is_refundable"]) == (False, False)
    assert item["remaining_quantity"] == 2
    assert item["active_cancellation_request"]["id"] == created["id"]
    assert item["active_cancellation_request"]["status"] == {"value": "open", "label": "Open"}


def test_an_item_with_nothing_left_is_neither_cancellable_nor_refundable(api, build, preparing):
    build.request(preparing.items[0], status="completed", quantity=3)
    (item,) = items_of(api, preparing)
    assert (item["is_cancellable"], item["is_refundable"], item["remaining_quantity"]) == (
        False,
        False,
        0,
    )
    assert item["active_cancellation_request"] is None


def test_a_completed_request_leaves_the_rest_cancellable(api, build, preparing):
    build.request(preparing.items[0], status="completed", quantity=1)
    build.request(preparing.items[0], status="rejected", quantity=2)
    (item,) = items_of(api, preparing)
    assert (item["is_cancellable"], item["remaining_quantity"]) == (True, 2)


def test_the_order_is_cancellable_when_one_of_its_items_is(api, build):
    order = build.order(items=[(500, 1), (450, 1)])
    response = api.lookup(order.user.email, order.number).get_json()["results"][0]
    assert (response["is_cancellable"], response["is_refundable"]) == (True, False)
