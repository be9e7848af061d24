"""Requests leave no reference cycles of their own: cyclic garbage is freed only by the
garbage collector, in pauses that grow with it (tens of milliseconds under load)."""

from __future__ import annotations

import gc
from collections.abc import Callable

from ..conftest import ApiClient


def cyclic_garbage(action: Callable[[], None]) -> list[object]:
    """The objects that ``action`` left in reference cycles (found, not freed)."""
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        action()
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()


def test_lookups_and_order_pages_leave_no_read_models_or_template_contexts_in_cycles(app, build):
    reason, company = build.reason("refund"), build.company()
    order = build.order(email="a@example.com", number="750000000001",
                        items=[(550, 2), (450, 1)], delivered_days_ago=1)  # fmt: skip
    order_id, delivered = order.id, order.items[0].id
    api = ApiClient(app.test_client())
    refund = {"order_item": delivered, "reason": reason.id, "cancellation_type": "refund",
              "quantity": 1, "shipping_company": company.id}  # fmt: skip

    def journey() -> None:
        assert api.lookup("a@example.com", "750000000001").status_code == 200
        created = api.cancel(refund)
        assert created.status_code == 200 and created.get_json()["easy_return"] is not None
        assert api.lookup("a@example.com", "750000000001").status_code == 200
        assert api.client.get(f"/orders/{order_id}/").status_code == 200

    # The read models of the lookup, the cancellation and the page, and the page's template
    # context.
    leftovers = cyclic_garbage(journey)
    ours = [o for o in leftovers if type(o).__module__.startswith(("webapp.services", "jinja2"))]
    assert ours == []
