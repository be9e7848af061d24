"""Writing a checked request (and its easy return) in the use case's transaction."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy import Connection, bindparam, insert, select

from ..models import CancellationRequest, EasyReturn
from ..vocabulary import CancellationType, EasyReturnStatus, RequestStatus
from .cancellation_rules import Plan
from .read_models import EasyReturnView, RequestView

EASY_RETURN_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
EASY_RETURN_CODE_LENGTH = 8

_easy_returns = EasyReturn.__table__
INSERT_REQUEST = insert(CancellationRequest).returning(CancellationRequest.id)
INSERT_EASY_RETURN = insert(EasyReturn)
CODE_TAKEN = select(_easy_returns.c.id).where(_easy_returns.c.code == bindparam("code"))


def write_request(
    connection: Connection, plan: Plan, now: datetime, easy_return_days: int
) -> RequestView:
    """Insert the request and, for a refund with an easy-return company, its easy return; the
    request comes back as the read model the answers are built from."""
    pickup = plan.pickup
    request = RequestView(
        id=0,
        uuid=str(uuid4()),
        order_item_id=plan.item.id,
        cancellation_type=plan.cancellation_type.value,
        status=RequestStatus.OPEN.value,
        reason_id=plan.reason_id,
        quantity=plan.quantity,
        description=plan.description,
        iban=plan.iban,
        holder_name=plan.holder_name,
        fully_refund_as_loyalty_money=plan.fully_refund_as_loyalty_money,
        pickup_date=pickup.day if pickup else None,
        pickup_hour_start=pickup.start if pickup else None,
        pickup_hour_end=pickup.end if pickup else None,
        created_date=now,
        modified_date=now,
    )
    values = {
        "uuid": request.uuid,
        "order_item_id": request.order_item_id,
        "cancellation_type": request.cancellation_type,
        "status": request.status,
        "reason_id": request.reason_id,
        "quantity": request.quantity,
        "description": request.description,
        "iban": request.iban,
        "holder_name": request.holder_name,
        "fully_refund_as_loyalty_money": request.fully_refund_as_loyalty_money,
        "shipping_company_id": plan.shipping_company.id if plan.shipping_company else None,
        "pickup_address_id": plan.pickup_address_id,
        "pickup_date": request.pickup_date,
        "pickup_hour_start": request.pickup_hour_start,
        "pickup_hour_end": request.pickup_hour_end,
        "created_date": now,
        "modified_date": now,
    }
    request.id = connection.execute(INSERT_REQUEST, values).scalar_one()
    if plan.pickup_address_id is not None:
        request.pickup_address = next(
            address for address in plan.order.addresses if address.id == plan.pickup_address_id
        )
    company = plan.shipping_company
    if plan.cancellation_type == CancellationType.REFUND and company is not None:
        request.easy_return = EasyReturnView(
            status=EasyReturnStatus.ACTIVE.value,
            code=_new_easy_return_code(connection),
            end_date=now + timedelta(days=easy_return_days),
            tracking_url="",
            tracking_number=None,
            start_date=now,
            shipping_company=company,
        )
        connection.execute(
            INSERT_EASY_RETURN,
            {
                "cancellation_request_id": request.id,
                "code": request.easy_return.code,
                "status": request.easy_return.status,
                "shipping_company_id": company.id,
                "tracking_url": "",
                "tracking_number": None,
                "start_date": now,
                "end_date": request.easy_return.end_date,
            },
        )
    return request


def _new_easy_return_code(connection: Connection) -> str:
    """A random code, unique among all easy returns."""
    while True:
        code = "".join(secrets.choice(EASY_RETURN_ALPHABET) for _ in range(EASY_RETURN_CODE_LENGTH))
        if connection.execute(CODE_TAKEN, {"code": code}).first() is None:
            return code
