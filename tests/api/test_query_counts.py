"""The number of SQL statements of a lookup does not grow with the order's items."""

from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event

from webapp.extensions import db


@contextmanager
def counted_statements():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def refund_everything_with_easy_return(api, build, order):
    company = build.company(easy_return=True)
    reason = build.reason("refund")
    pickup = (date.today() + timedelta(days=2)).isoformat()
    for item in order.items:
        response = api.cancel(
            {
                "email": order.user.email, "order": order.number, "order_item": item.id,
                "reason": reason.id, "cancellation_type": "refund", "quantity": 1,
                "shipping_company": company.id, "pickup_address": order.shipping_address_id,
                "pickup_date": {"date": pickup, "hour_range": {"start": "09:00", "end": "12:00"}},
            }
        )  # fmt: skip
        assert response.status_code == 200, response.get_json()


def lookup_statements(api, order) -> int:
    email, number = order.user.email, order.number
    with counted_statements() as statements:
        response = api.lookup(email, number)
    assert response.status_code == 200
    return len(statements)


def test_a_lookup_of_twenty_items_runs_as_many_statements_as_one_of_a_single_item(api, build):
    small = build.order(email="one@example.com", items=[(550, 2)], delivered_days_ago=1)
    large = build.order(email="many@example.com", items=[(550, 2)] * 20, delivered_days_ago=1)
    assert lookup_statements(api, small) == lookup_statements(api, large) <= 4


def test_requests_and_easy_returns_on_every_item_add_no_statement_per_item(api, build):
    small = build.order(email="one@example.com", items=[(550, 2)], delivered_days_ago=1)
    large = build.order(email="many@example.com", items=[(550, 2)] * 20, delivered_days_ago=1)
    refund_everything_with_easy_return(api, build, small)
    refund_everything_with_easy_return(api, build, large)
    assert lookup_statements(api, small) == lookup_statements(api, large)


def bulk_statements(api, order, reason) -> list[str]:
    entries = [
        {"order_item": item.id, "reason": reason.id, "cancellation_type": "cancel", "quantity": 1}
        for item in order.items
    ]
    body = {"email": order.user.email, "order": order.number, "cancel_order_items": entries}
    with counted_statements() as statements:
        response = api.bulk(body)
    assert response.status_code == 201, response.get_json()
    return statements


def test_a_bulk_reads_its_items_and_their_shared_reason_once_whatever_their_number(api, build):
    reason = build.reason("cancel")
    small = build.order(email="one@example.com", items=[(400, 2)] * 2)
    large = build.order(email="many@example.com", items=[(400, 2)] * 6)
    few, many = bulk_statements(api, small, reason), bulk_statements(api, large, reason)
    reads = [[s for s in found if s.lstrip().upper().startswith("SELECT")] for found in (few, many)]
    assert len(reads[0]) == len(reads[1])
    assert [sum("cancellation_reasons" in s for s in found) for found in reads] == [1, 1]


def test_a_single_cancellation_proven_in_its_body_runs_seven_statements_in_its_transaction(
    api, build
):
    reason = build.reason("cancel")
    order = build.order(email="one@example.com", items=[(400, 2)])
    body = {
        "email": order.user.email, "order": order.number, "order_item": order.items[0].id,
        "reason": reason.id, "cancellation_type": "cancel", "quantity": 1,
    }  # fmt: skip
    with counted_statements() as statements:
        response = api.cancel(body)
    assert response.status_code == 200, response.get_json()
    # the order by number, the item lock, the item's fresh order, the reason, three inserts
    # (the request, its audit row, the message to the order's address); SQLite's BEGIN
    # IMMEDIATE is sent as a statement, PostgreSQL's BEGIN by the driver
    found = [s for s in statements if not s.startswith("BEGIN")]
    assert len(found) == 7, statements
