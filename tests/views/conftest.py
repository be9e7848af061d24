"""Fixtures for page tests: demo data and a shopper who has looked up an order."""

from __future__ import annotations

import pytest

from webapp.services.demo import seed_demo

from .pages import Shopper


@pytest.fixture()
def demo(app) -> None:
    seed_demo()


@pytest.fixture()
def shopper(client, demo) -> Shopper:
    return Shopper(client)


@pytest.fixture()
def ben(shopper) -> Shopper:
    """Has looked up the refundable demo order 1002 (delivered 3 days ago, paid on delivery)."""
    assert shopper.lookup("ben@example.com", "100000000002").status_code == 303
    return shopper


@pytest.fixture()
def irem(shopper) -> Shopper:
    """Has looked up the refundable demo order 1009 (paid by card: no bank account needed)."""
    assert shopper.lookup("irem@example.com", "100000000009").status_code == 303
    return shopper
