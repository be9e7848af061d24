"""Fixtures for page tests: demo data and a shopper who has looked up an order."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from webapp.services.demo import seed_demo

from .pages import Shopper


class FreshContextClient(FlaskClient):
    """Each request in its own app context, as in production.

    The shared ``app`` fixture keeps one app context open for the whole test, and Flask reuses
    it for every request, so ``g`` (where Flask-Babel caches the locale) and the database
    session would leak from one request into the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture()
def client(app) -> FlaskClient:
    app.test_client_class = FreshContextClient
    return app.test_client()


@pytest.fixture()
def demo(app) -> None:
    seed_demo()


@pytest.fixture()
def shopper(client, demo) -> Shopper:
    return Shopper(client)


@pytest.fixture()
def ben(shopper) -> Shopper:
    """Has looked up the refundable demo order 1002 (delivered 3 days ago, card payment)."""
    assert shopper.lookup("ben@example.com", "100000000002").status_code == 303
    return shopper
