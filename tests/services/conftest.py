"""Service tests call the services directly, without HTTP."""

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
