"""The use cases: creating cancellation and refund requests, one or in bulk.

Each submission is one unit of work: the items are locked and read fresh, every rule is
checked (``cancellation_rules``), then the requests, their easy returns, the audit rows, the
idempotency record and the message to the order's address are written and committed together.
A refusal writes its audit row (and, for the API, its idempotency record) in a transaction of
its own, after the first rolled back.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import Connection, bindparam, select
from sqlalchemy.exc import IntegrityError

from ..clock import utcnow
from ..errors import DomainError, OrderNotFound, ValidationFailed
from ..models import CancellationRequest, OrderItem
from ..vocabulary import CancellationType, UserType
from . import audit, outbox
from .audit import Action
from .cancellation_input import EntryInput, read_bulk, read_single
from .cancellation_rules import Checked, Known, check_entry
from .cancellation_write import write_request
from .eligibility import Policy
from .idempotency import FirstOutcome, IdempotencyKey, find_first_outcome, record_outcome
from .input import in_database_range
from .orders import proven_orders_from_body
from .read_models import OrderView, RequestView, load_orders, load_reasons
from .reasons import easy_return_companies_by_id
from .unit_of_work import reading, unit_of_work

REPLAYED_HEADERS = {"Idempotent-Replayed": "true"}

_items, _requests = OrderItem.__table__, CancellationRequest.__table__
# PostgreSQL locks the rows in id order (two bulk requests can not deadlock); SQLite has no row
# locks and holds its database write lock since the unit of work's BEGIN IMMEDIATE.
LOCK_ITEMS = (
    select(_items.c.id, _items.c.order_id)
    .where(_items.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(_items.c.id)
    .with_for_update()
)
REQUEST_OWNERS = (
    select(_requests.c.id, _items.c.order_id)
    .join(_items, _items.c.id == _requests.c.order_item_id)
    .where(_requests.c.id.in_(bindparam("ids", expanding=True)))
)


@dataclass(slots=True)
class Created:
    """The requests a submission created; ``replayed`` when an earlier submission of the same
    key or form created them."""

    requests: list[RequestView]
    replayed: bool = False


def create_cancellation_request(
    data: Any,
    proven_order_ids: Collection[int] = (),
    *,
    client_ref: str = "",
    idempotency: IdempotencyKey | None = None,
    language: str | None = None,
) -> Created:
    """One request for one item (``POST .../cancellation_requests/``); the order's address is
    told about it in ``language``."""
    return _submit(Action.SINGLE, data, proven_order_ids, client_ref, idempotency, language)


def create_bulk_cancellation_requests(
    data: Any,
    proven_order_ids: Collection[int] = (),
    *,
    client_ref: str = "",
    idempotency: IdempotencyKey | None = None,
    language: str | None = None,
) -> Created:
    """Several requests at once, all or nothing (``POST .../bulk_cancellation_requests/``);
    each order's address gets one message about its requests."""
    return _submit(Action.BULK, data, proven_order_ids, client_ref, idempotency, language)


def _submit(
    action: Action,
    data: Any,
    session_orders: Collection[int],
    client_ref: str,
    idempotency: IdempotencyKey | None,
    language: str | None,
) -> Created:
    if idempotency is not None and (first := _first_outcome(idempotency)) is not None:
        return _replay(first, data, session_orders)
    language = language or str(current_app.config["BABEL_DEFAULT_LOCALE"])
    try:
        requests, logged = _create(action, data, session_orders, client_ref, idempotency, language)
    except DomainError as error:
        return _refuse(action, data, session_orders, client_ref, idempotency, error)
    except IntegrityError:
        # A twin submission with the same key committed first.
        if idempotency is None or (first := _first_outcome(idempotency)) is None:
            raise
        return _replay(first, data, session_orders)
    audit.log(logged)
    return Created(requests)


def _create(
    action: Action,
    data: Any,
    session_orders: Collection[int],
    client_ref: str,
    idempotency: IdempotencyKey | None,
    language: str,
) -> tuple[list[RequestView], dict[str, Any]]:
    if action == Action.SINGLE:
        entries = [read_single(data)]
        if "order_item" in entries[0].errors:  # before the proof: no answer tells it was right
            raise ValidationFailed({"order_item": entries[0].errors["order_item"]})
        proven = _proven_orders(data, session_orders)
    else:
        entries = read_bulk(data)
        proven = _proven_orders(data, session_orders)
    item_ids = [entry.order_item for entry in entries if entry.order_item is not None]
    http_status = 200 if action == Action.SINGLE else 201
    now = utcnow()
    with unit_of_work() as session:
        connection = session.connection()
        owners, orders = _owned_orders(connection, item_ids, proven)
        known = Known(
            reasons=load_reasons(
                connection,
                {e.reason for e in entries if e.reason is not None and in_database_range(e.reason)},
            ),
            companies=easy_return_companies_by_id(
                connection,
                {
                    entry.shipping_company
                    for entry in entries
                    if entry.shipping_company is not None
                    and entry.cancellation_type == CancellationType.REFUND
                },
            ),
            policy=Policy.from_config(),
            now=now,
        )
        results = _check(entries, owners, orders, known)
        _raise_refusal(action, results)
        days = known.policy.pickup_window_days
        created = [
            (result.plan.order.id, write_request(connection, result.plan, now, days))
            for result in results
            if result.plan is not None
        ]
        logged = audit.record_accepted(connection, action, created, client_ref, http_status)
        by_order: dict[int, list[int]] = {}
        for order_id, request in created:
            by_order.setdefault(order_id, []).append(request.id)
        for order_id, request_ids in by_order.items():
            outbox.add_requests_created(connection, order_id, request_ids, language)
        if idempotency is not None:
            outcome = FirstOutcome(http_status, request_ids=[request.id for _, request in created])
            record_outcome(connection, idempotency, outcome)
    return [request for _, request in created], logged


def _proven_orders(data: Any, session_orders: Collection[int]) -> set[int]:
    """Rule 3: a proof in the body is the one used (and must be right), else the session's."""
    from_body = proven_orders_from_body(data) if isinstance(data, dict) else None
    return from_body if from_body is not None else set(session_orders)


def _owned_orders(
    connection: Connection, item_ids: list[int], proven: set[int]
) -> tuple[dict[int, int], dict[int, OrderView]]:
    """Lock the items, then read their orders fresh; any unknown or unproven id is the uniform
    miss. Unknown, foreign and owned ids take the same path up to the answer."""
    if not item_ids:
        return {}, {}
    if not all(in_database_range(item_id) for item_id in item_ids):
        raise OrderNotFound()
    owners: dict[int, int] = dict(
        connection.execute(LOCK_ITEMS, {"ids": sorted(set(item_ids))}).tuples().all()
    )
    if any(owners.get(item_id) not in proven for item_id in item_ids):
        raise OrderNotFound()
    orders = load_orders(connection, set(owners.values()), only_items=owners)
    if any(order.user_type != UserType.GUEST for order in orders.values()):
        raise OrderNotFound()
    return owners, orders


def _check(
    entries: list[EntryInput], owners: dict[int, int], orders: dict[int, OrderView], known: Known
) -> list[Checked]:
    pending: set[int] = set()
    results = []
    for entry in entries:
        if entry.order_item is None:
            results.append(Checked(errors={"order_item": entry.errors["order_item"]}))
            continue
        order = orders[owners[entry.order_item]]
        item = order.item(entry.order_item)
        assert item is not None  # the lock found it in this order
        checked = check_entry(order, item, entry, known, pending)
        if checked.plan is not None:
            pending.add(item.id)
        results.append(checked)
    return results


def _raise_refusal(action: Action, results: list[Checked]) -> None:
    """Rules 11 and 12: a single request's errors; a bulk's per-item list, all or nothing."""
    failed = [result for result in results if result.plan is None]
    if not failed:
        return
    if action == Action.SINGLE:
        raise DomainError(failed[0].errors, failed[0].status)
    status = 406 if all(result.status == 406 for result in failed) else 400
    raise DomainError({"cancel_order_items": [result.errors for result in results]}, status)


def _refuse(
    action: Action,
    data: Any,
    session_orders: Collection[int],
    client_ref: str,
    idempotency: IdempotencyKey | None,
    error: DomainError,
) -> Created:
    """Record a refusal, then raise it; or replay a twin submission's outcome stored meanwhile."""
    if idempotency is not None and (first := _first_outcome(idempotency)) is not None:
        return _replay(first, data, session_orders)
    remember = idempotency is not None and idempotency.remember_refusals and error.status != 429
    try:
        with unit_of_work() as session:
            connection = session.connection()
            logged = audit.record_refused(connection, action, data, client_ref, error)
            if remember and idempotency is not None:
                outcome = FirstOutcome(error.status, refusal=error.body)
                record_outcome(connection, idempotency, outcome)
    except IntegrityError:
        if idempotency is None or (first := _first_outcome(idempotency)) is None:
            raise
        return _replay(first, data, session_orders)
    audit.log(logged)
    raise error


def _first_outcome(idempotency: IdempotencyKey) -> FirstOutcome | None:
    with reading() as connection:
        return find_first_outcome(connection, idempotency)


def _replay(first: FirstOutcome, data: Any, session_orders: Collection[int]) -> Created:
    """The first submission's outcome, while the caller still proves the order it was for."""
    if first.refusal is not None:
        raise DomainError(first.refusal, first.status, headers=dict(REPLAYED_HEADERS))
    request_ids = first.request_ids or []
    proven = _proven_orders(data, session_orders)
    with reading() as connection:
        owners = dict(connection.execute(REQUEST_OWNERS, {"ids": request_ids}).tuples().all())
        if not request_ids or any(owners.get(i) not in proven for i in request_ids):
            raise OrderNotFound()
        orders = load_orders(connection, set(owners.values()))
    by_id = {request.id: request for order in orders.values() for _, request in order.requests()}
    return Created([by_id[request_id] for request_id in request_ids], replayed=True)
