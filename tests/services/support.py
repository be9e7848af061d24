"""Helpers shared by the service and API tests (plain functions, no fixtures)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import current_app
from sqlalchemy import func, select

from webapp.errors import DomainError
from webapp.extensions import db
from webapp.models import CancellationRequest, EasyReturn, Order
from webapp.services.eligibility import annotate
from webapp.services.read_models import ItemView, ReasonView, load_order, load_reasons
from webapp.services.unit_of_work import reading

IBAN = "TR330006100519786457841326"
PICKUP_ADDRESS_REQUIRED = {
    "non_field_errors": "Pickup address is required.",
    "error_code": "cancellation_request_100_8",
}
QUANTITY_TOO_LARGE = "Quantity can not be greater than order item quantity."


def store_today() -> date:
    """Today in the store's time zone, the day pickup windows are counted from."""
    return datetime.now(ZoneInfo(current_app.config["STORE_TIMEZONE"])).date()


def pickup(days_ahead: int = 1, start: str = "09:00", end: str = "12:00") -> dict:
    """A ``pickup_date`` value ``days_ahead`` days after the store's today."""
    day = store_today() + timedelta(days=days_ahead)
    return {"date": day.isoformat(), "hour_range": {"start": start, "end": end}}


def request_count() -> int:
    return db.session.scalar(select(func.count()).select_from(CancellationRequest))


def easy_return_count() -> int:
    return db.session.scalar(select(func.count()).select_from(EasyReturn))


def refusal(call, *args, **kwargs) -> DomainError:
    """The DomainError ``call`` raises (the test fails when it raises nothing)."""
    with pytest.raises(DomainError) as info:
        call(*args, **kwargs)
    return info.value


def snapshot() -> dict[str, list]:
    """Every row of every table, to prove that something wrote nothing."""
    db.session.expire_all()
    return {
        table.name: [
            tuple(row)
            for row in db.session.execute(table.select().order_by(*table.primary_key.columns))
        ]
        for table in db.metadata.sorted_tables
    }


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def create(order, **data):
    """One request through the service, the order proven as a session would prove it."""
    from webapp.services.cancellations import create_cancellation_request

    return create_cancellation_request(data, {order.id}).requests[0]


def create_bulk(order, entries: list[dict], **top):
    from webapp.services.cancellations import create_bulk_cancellation_requests

    created = create_bulk_cancellation_requests({"cancel_order_items": entries, **top}, {order.id})
    return created.requests


def item_view(order: Order, index: int = 0) -> ItemView:
    """An item as the pages and the API read it, its allowed request types filled in."""
    with reading() as connection:
        view = load_order(connection, order.id)
    assert view is not None
    annotate(view)
    return view.items[index]


def reason_view(reason_id: int) -> ReasonView:
    """A reason as the forms and the API read it, with its translations."""
    with reading() as connection:
        return load_reasons(connection, [reason_id])[reason_id]
