"""The order page runs as many SQL statements for twenty items as for one."""

from sqlalchemy import event

from webapp.extensions import db


def page_statements(client, order) -> int:
    email, number, order_id = order.user.email, order.number, order.id
    token = client.get("/csrf_token/").get_json()["csrf_token"]
    response = client.post("/users/orders/anonymous/", json={"email": email, "order": number},
                           headers={"X-CSRFToken": token})  # fmt: skip
    assert response.status_code == 200
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        page = client.get(f"/orders/{order_id}/")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert page.status_code == 200
    return len(statements)


def test_an_order_page_of_twenty_items_runs_as_many_statements_as_one_of_one_item(app, build):
    build.reason("cancel"), build.reason("refund"), build.company()
    small = build.order(email="one@example.com", items=[(550, 2)], delivered_days_ago=1)
    large = build.order(email="many@example.com", delivered_days_ago=1,
                        items=[(550, 2)] * 10 + [(450, 1)] * 10)  # fmt: skip
    small_count = page_statements(app.test_client(), small)
    large_count = page_statements(app.test_client(), large)
    assert small_count == large_count
