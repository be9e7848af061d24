"""Service-layer fixtures: called directly, without HTTP."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _request_context(app):
    """Services are called while a page or an API call is handled; Babel reads its language.

    (``webapp.i18n.select_locale`` needs a request, so a refusal's message can not be built
    under a bare app context.)
    """
    with app.test_request_context():
        yield


@pytest.fixture()
def reason(build):
    """An active reason usable for both cancellations and refunds."""
    return build.reason("both")


@pytest.fixture()
def company(build):
    """An active shipping company offering easy return."""
    return build.company()


@pytest.fixture()
def preparing(build):
    """A guest order paid by card with one item of 3 being prepared (cancellable)."""
    return build.order(items=[(450, 3)])


@pytest.fixture()
def delivered(build):
    """A guest order paid by card with one item of 3 delivered two days ago (refundable)."""
    return build.order(items=[(550, 3)], delivered_days_ago=2)
