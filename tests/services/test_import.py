"""The operators' import (``import-orders FILE``) and demo data (``seed-demo``)."""

from __future__ import annotations

import copy
import json
import uuid
from decimal import Decimal

import pytest
from flask_migrate import stamp
from sqlalchemy import text

from webapp.extensions import db
from webapp.models import CancellationReason, CancellationRequest, Order, ShippingCompany
from webapp.services import demo
from webapp.services.importer import ImportError_, import_document
from webapp.services.orders import lookup_order

from .support import create, item_view, reason_view, refusal, row_counts, snapshot

# The example of /work/shared/spec/import-format.md, as published.
SPEC_EXAMPLE = {
    "shipping_companies": [
        {"id": 1, "slug": "extension", "name": "Extension Cargo", "is_active": True,
         "easy_return": True}
    ],
    "cancellation_reasons": [
        {"id": 1, "subject": "I changed my mind", "cancellation_type": "cancel",
         "is_active": True, "order": 10,
         "translations": {"tr": {"subject": "Fikrimi değiştirdim"}}},
        {"id": 2, "subject": "Wrong size", "cancellation_type": "refund", "is_active": True,
         "order": 20},
    ],
    "orders": [
        {
            "id": 6016,
            "number": "2745403029312170",
            "user": {"id": 6471, "email": "guest@example.com", "user_type": "guest"},
            "status": 550,
            "currency": "try",
            "language_code": "en-us",
            "created_date": "2024-10-24T09:32:05.544358Z",
            "delivered_date": "2024-10-28T12:00:00Z",
            "payment_option": {"slug": "Credit_Card", "name": "Credit Card",
                               "payment_type": "credit_card"},
            "shipping_option_slug": "TEST-123",
            "shipping_amount": "0.00",
            "discount_amount": "10.00",
            "shipping_address": {"id": 3, "first_name": "Ada", "last_name": "Yilmaz",
                "line": "Bagdat Cd. 12", "district": "Kadikoy", "city": "Istanbul",
                "postcode": "34710", "country": "TR", "phone_number": "+905551112233"},
            "billing_address": {"id": 3},
            "items": [
                {"id": 271, "product": {"sku": "SHIRT-L-BLUE", "name": "Linen shirt"},
                 "quantity": 2, "price": "54.99", "status": 550,
                 "delivered_date": "2024-10-28T12:00:00Z",
                 "cancellation_requests": [
                     {"id": 18, "cancellation_type": "refund", "reason": 2, "quantity": 1,
                      "status": "completed", "created_date": "2024-10-30T08:00:00Z"}
                 ]}
            ],
        }
    ],
}  # fmt: skip

DEMO_EMAILS = [
    "ada@example.com", "ben@example.com", "cem@example.com", "deniz@example.com",
    "eda@example.com", "fatma@example.com", "gul@example.com", "hakan@example.com",
]  # fmt: skip


def example() -> dict:
    return copy.deepcopy(SPEC_EXAMPLE)


def spoiled(path_and_change) -> dict:
    """The example with the company renamed first (must not stick) and one value broken."""
    document = example()
    document["shipping_companies"][0]["name"] = "Renamed Cargo"
    path_and_change(document)
    return document


def refusal_of_import(document) -> ImportError_:
    with pytest.raises(ImportError_) as info:
        import_document(document)
    return info.value


def order_of(document):
    return document["orders"][0]


def item_of(document):
    return document["orders"][0]["items"][0]


BAD_FILES = {
    "orders[0].items[0].quantity": lambda d: item_of(d).update(quantity=0),
    "orders[0].colour": lambda d: order_of(d).update(colour="blue"),
    "customers": lambda d: d.update(customers=[]),
    "orders[0].items[0].product.colour": lambda d: item_of(d)["product"].update(colour="x"),
    "orders[0].amount": lambda d: order_of(d).update(amount="99.99"),
    "orders[0].amount_without_discount": lambda d: order_of(d).update(
        amount_without_discount="110.00"
    ),
    "orders[0].billing_address.id": lambda d: order_of(d).update(billing_address={"id": 999}),
    "orders[0].user.user_type": lambda d: order_of(d)["user"].update(user_type="admin"),
    "orders[0].status": lambda d: order_of(d).update(status=999),
    "orders[0].items[0].price": lambda d: item_of(d).update(price="54.999"),
    "cancellation_reasons[1].cancellation_type": lambda d: d["cancellation_reasons"][1].update(
        cancellation_type="sometimes"
    ),
    "orders[0].items[0].cancellation_requests[0].status": lambda d: item_of(d)[
        "cancellation_requests"
    ][0].update(status="pending"),
    "orders[0].items[0].product.name": lambda d: item_of(d)["product"].update(name="Shirt\x00"),
    "orders[0].shipping_address.line": lambda d: order_of(d)["shipping_address"].update(
        line="Bagdat \udc00"
    ),
    "orders[0].items[0].cancellation_requests[0].reason": lambda d: item_of(d)[
        "cancellation_requests"
    ][0].update(reason=99),
    "cancellation_reasons[0].uuid": lambda d: d["cancellation_reasons"][0].update(uuid="nope"),
    "cancellation_reasons[1].uuid": lambda d: [
        reason.update(uuid="5b7a0a8e-2f0c-4c8e-9a49-1c1f3a0d2b11")
        for reason in d["cancellation_reasons"]
    ],
    "cancellation_reasons[0].extra_information_needed": lambda d: d["cancellation_reasons"][
        0
    ].update(extra_information_needed="sometimes"),
    "cancellation_reasons[0].created_date": lambda d: d["cancellation_reasons"][0].update(
        created_date="yesterday"
    ),
}


@pytest.fixture()
def cli(app):
    """A CLI runner on the test database, marked as migrated to the newest revision.

    The suite builds its schema from the models, which the migrations reproduce exactly
    (test_migrations.py), so the commands' schema upgrade has nothing left to do.
    """
    stamp(revision="head")
    yield app.test_cli_runner()
    db.session.remove()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture()
def imported(app):
    import_document(example())
    return snapshot()


def test_the_spec_example_imports_every_kind_of_row(app):
    counts = import_document(example())
    assert counts == {"shipping_companies": 1, "cancellation_reasons": 2, "orders": 1}
    order = db.session.get(Order, 6016)
    assert (order.number, order.user.email, order.user.user_type) == (
        "2745403029312170",
        "guest@example.com",
        "guest",
    )
    assert order.billing_address_id == order.shipping_address_id == 3
    assert (order.amount_without_discount, order.amount) == (Decimal("109.98"), Decimal("99.98"))
    assert db.session.get(ShippingCompany, 1).easy_return is True
    assert reason_view(1).subject_for("tr") == "Fikrimi değiştirdim"


def test_an_imported_guest_order_can_be_looked_up(imported):
    found = lookup_order({"email": "Guest@Example.com ", "order": "2745403029312170"})
    assert found.order.id == 6016


def test_imported_requests_count_toward_what_is_left(imported):
    item = item_view(db.session.get(Order, 6016))
    assert (item.id, item.remaining_quantity) == (271, 1)
    assert db.session.get(CancellationRequest, 18).status == "completed"


def test_importing_the_same_file_again_changes_nothing(imported):
    import_document(example())
    assert snapshot() == imported


def test_a_reimport_keeps_requests_made_on_the_site(app, imported):
    app.config["REFUND_WINDOW_DAYS"] = 100_000  # the example was delivered in 2024
    order = db.session.get(Order, 6016)
    made = create(order, order_item=271, reason=2, cancellation_type="refund")
    made_id = made.id
    counts = row_counts()
    import_document(example())
    db.session.expire_all()
    assert row_counts() == counts
    assert db.session.get(CancellationRequest, made_id).status == "open"
    assert item_view(db.session.get(Order, 6016)).remaining_quantity == 0


def test_rows_made_after_an_import_get_fresh_ids(imported, build):
    reason = build.reason("both")
    company = build.company()
    assert reason.id > 2
    assert company.id > 1


@pytest.mark.parametrize("path", list(BAD_FILES))
def test_a_bad_file_names_the_failing_path_and_writes_nothing(imported, path):
    error = refusal_of_import(spoiled(BAD_FILES[path]))
    assert error.path == path
    assert str(error).startswith(f"{path}: ")
    assert snapshot() == imported


@pytest.mark.parametrize("path", ["orders[0].items[0].quantity", "orders[0].billing_address.id"])
def test_a_bad_file_writes_nothing_into_an_empty_database(app, path):
    before = row_counts()
    assert refusal_of_import(spoiled(BAD_FILES[path])).path == path
    assert row_counts() == before


def test_an_item_quantity_below_what_was_already_requested_is_refused(imported):
    document = example()
    item_of(document)["cancellation_requests"][0]["quantity"] = 3
    assert refusal_of_import(document).path == "orders[0].items[0].quantity"
    assert snapshot() == imported


def test_the_cli_imports_a_file(cli, tmp_path):
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(example()), encoding="utf-8")
    result = cli.invoke(args=["import-orders", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 1 orders" in result.output
    assert db.session.get(Order, 6016) is not None


def test_the_cli_reimport_changes_nothing(cli, imported, tmp_path):
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(example()), encoding="utf-8")
    assert cli.invoke(args=["import-orders", str(path)]).exit_code == 0
    assert snapshot() == imported


@pytest.mark.parametrize("path", ["orders[0].items[0].quantity", "orders[0].colour"])
def test_the_cli_prints_the_failing_path_exits_non_zero_and_writes_nothing(
    cli, imported, tmp_path, path
):
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(spoiled(BAD_FILES[path])), encoding="utf-8")
    result = cli.invoke(args=["import-orders", str(file)])
    assert result.exit_code != 0
    assert path in result.output
    assert snapshot() == imported


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00", b""])
def test_the_cli_refuses_a_file_that_is_not_json(cli, tmp_path, content):
    file = tmp_path / "bad.json"
    file.write_bytes(content)
    before = row_counts()
    result = cli.invoke(args=["import-orders", str(file)])
    assert result.exit_code != 0
    assert "bad.json" in result.output
    assert row_counts() == before


def test_seed_demo_prints_the_demo_guest_emails(cli):
    result = cli.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    for email in DEMO_EMAILS + [email for _id, _number, email, *_rest in demo.ORDERS]:
        assert email in result.output


def test_seed_demo_twice_is_idempotent(cli):
    assert cli.invoke(args=["seed-demo"]).exit_code == 0
    counts = row_counts()
    orders = sorted(db.session.scalars(db.select(Order.number)))
    assert cli.invoke(args=["seed-demo"]).exit_code == 0
    assert row_counts() == counts
    assert sorted(db.session.scalars(db.select(Order.number))) == orders
    assert orders == sorted(number for _id, number, *_rest in demo.ORDERS)


def test_demo_orders_can_be_looked_up_except_the_registered_one(cli):
    cli.invoke(args=["seed-demo"])
    assert lookup_order({"email": "ada@example.com", "order": "100000000001"}).order.id == 1001
    miss = refusal(lookup_order, {"email": "fatma@example.com", "order": "100000000006"})
    assert miss.status == 404


def test_a_reason_without_a_uuid_gets_one_that_a_reimport_keeps(imported):
    made = db.session.get(CancellationReason, 1).uuid
    assert str(uuid.UUID(made)) == made
    import_document(example())
    db.session.expire_all()
    assert db.session.get(CancellationReason, 1).uuid == made


def test_a_reasons_platform_fields_are_imported_as_given(app):
    document = example()
    document["cancellation_reasons"][0].update(
        uuid="5B7A0A8E-2F0C-4C8E-9A49-1C1F3A0D2B11", extra_information_needed=True,
        created_date="2024-01-02T03:04:05Z", modified_date="2024-02-03T04:05:06Z",
    )  # fmt: skip
    import_document(document)
    reason = db.session.get(CancellationReason, 1)
    assert reason.uuid == "5b7a0a8e-2f0c-4c8e-9a49-1c1f3a0d2b11"
    assert reason.extra_information_needed is True
    assert (reason.created_date.isoformat(), reason.modified_date.isoformat()) == (
        "2024-01-02T03:04:05", "2024-02-03T04:05:06")  # fmt: skip
    assert db.session.get(CancellationReason, 2).extra_information_needed is False
