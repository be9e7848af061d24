"""Every cancellation POST leaves an audit entry; none holds an IBAN, an email or a raw IP."""

import contextlib
import logging

from sqlalchemy import select

from webapp.errors import DomainError
from webapp.extensions import db
from webapp.models import AuditEntry
from webapp.services.cancellations import (
    create_bulk_cancellation_requests,
    create_cancellation_request,
)

IBAN = "TR330006100519786457841326"


def entries() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_an_accepted_request_is_recorded_with_its_order_item_client_and_outcome(build):
    order = build.order(payment_type="funds_transfer")
    reason = build.reason("cancel")
    item = order.items[0]
    created = create_cancellation_request(
        {"order_item": item.id, "reason": reason.id, "cancellation_type": "cancel",
         "iban": IBAN, "holder_name": "Ada Yilmaz"},
        {order.id},
        client_ref="c1",
    ).requests[0]  # fmt: skip
    [entry] = entries()
    assert (entry.order_id, entry.order_item_id, entry.cancellation_request_id) == (
        order.id, item.id, created.id,
    )  # fmt: skip
    assert (entry.client_hash, entry.outcome, entry.http_status) == ("c1", "accepted", 200)
    assert entry.created_date is not None


def test_a_refused_request_is_recorded_with_its_error_code(build):
    order = build.order()
    reason = build.reason("cancel")
    item = order.items[0]
    body = {"order_item": item.id, "reason": reason.id, "cancellation_type": "cancel"}
    create_cancellation_request(body, {order.id}, client_ref="c1")
    with contextlib.suppress(DomainError):
        create_cancellation_request(body, {order.id}, client_ref="c2")
    refused = entries()[-1]
    assert (refused.outcome, refused.http_status, refused.client_hash) == (
        "cancellation_request_100_1", 400, "c2",
    )  # fmt: skip
    assert refused.order_item_id == item.id and refused.cancellation_request_id is None


def test_an_unproven_item_is_recorded_as_the_uniform_miss(build):
    order = build.order()
    reason = build.reason("cancel")
    body = {"order_item": order.items[0].id, "reason": reason.id, "cancellation_type": "cancel"}
    try:
        create_cancellation_request(body, set(), client_ref="c3")
    except DomainError as error:
        assert error.status == 404
    [entry] = entries()
    assert (entry.outcome, entry.http_status) == ("anonymous_order_100_1", 404)


def test_a_bulk_request_records_one_entry_with_its_number_of_items(build):
    order = build.order(items=[(450, 1), (450, 2)])
    reason = build.reason("cancel")
    create_bulk_cancellation_requests(
        {"cancel_order_items": [
            {"order_item": item.id, "reason": reason.id, "cancellation_type": "cancel"}
            for item in order.items
        ]},
        {order.id},
        client_ref="c4",
    )  # fmt: skip
    assert [(e.order_item_id, e.item_count, e.http_status) for e in entries()] == [
        (order.items[0].id, 2, 201),
    ]


def test_a_refused_bulk_of_a_hundred_unknown_items_writes_one_row(build):
    order = build.order()
    reason = build.reason("cancel")
    entries_ = [{"order_item": 900_000 + n, "reason": reason.id, "cancellation_type": "cancel"}
                for n in range(100)]  # fmt: skip
    with contextlib.suppress(DomainError):
        create_bulk_cancellation_requests({"cancel_order_items": entries_}, {order.id})
    [entry] = entries()
    assert (entry.item_count, entry.order_item_id, entry.outcome) == (
        100, 900_000, "anonymous_order_100_1",
    )  # fmt: skip


def test_audit_log_lines_carry_no_iban_nor_email(build, caplog):
    order = build.order(email="secret.person@example.com", payment_type="funds_transfer")
    reason = build.reason("cancel")
    with caplog.at_level(logging.INFO, logger="webapp.audit"):
        create_cancellation_request(
            {"order_item": order.items[0].id, "reason": reason.id, "cancellation_type": "cancel",
             "iban": IBAN, "holder_name": "Ada", "email": "secret.person@example.com",
             "order": order.number},
            client_ref="c5",
        )  # fmt: skip
    assert caplog.records
    logged = " ".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records)
    assert IBAN not in logged and "secret.person" not in logged


def test_the_api_records_a_hashed_client_address_not_the_address(api, build):
    order = build.order()
    reason = build.reason("cancel")
    response = api.cancel(
        {"email": order.user.email, "order": order.number, "order_item": order.items[0].id,
         "reason": reason.id, "cancellation_type": "cancel"},
        headers={},
    )  # fmt: skip
    assert response.status_code == 200
    [entry] = entries()
    assert entry.client_hash and "127.0.0.1" not in entry.client_hash
    assert len(entry.client_hash) == 32
