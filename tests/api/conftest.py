"""API fixtures: orders to act on and helpers to prove them."""

from __future__ import annotations

import pytest


@pytest.fixture()
def reason(build):
    """An active reason usable for both cancellations and refunds."""
    return build.reason("both")


@pytest.fixture()
def company(build):
    """An active shipping company offering easy return."""
    return build.company(name="Extension Cargo")


@pytest.fixture()
def preparing(build):
    """A guest order paid by card with one item of 3 being prepared (cancellable)."""
    return build.order(email="guest@example.com", number="100000000001", items=[(450, 3)])


@pytest.fixture()
def delivered(build):
    """A guest order paid by card with one item of 3 delivered two days ago (refundable)."""
    return build.order(
        email="guest@example.com", number="100000000002", items=[(550, 3)], delivered_days_ago=2
    )


@pytest.fixture()
def prove(api):
    """Look an order up in this client's session, as a shopper does before asking."""

    def prove_(order):
        response = api.lookup(order.user.email, order.number)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["results"][0]

    return prove_


@pytest.fixture()
def miss(api):
    """The bytes of the uniform lookup miss (status 404)."""
    response = api.lookup("nobody@example.com", "000000000000")
    assert response.status_code == 404
    return response.data
