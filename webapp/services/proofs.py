"""Orders a session chose to forget, kept on the server: the session's cookie holds the orders
it proved, and a copy of it made before "forget this order" must prove that order no more."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import bindparam, insert, select

from ..clock import utcnow
from ..models import ForgottenProof
from .unit_of_work import reading, unit_of_work

FORGOTTEN = select(ForgottenProof.order_id).where(
    ForgottenProof.session_id == bindparam("session_id"),
    ForgottenProof.order_id.in_(bindparam("order_ids", expanding=True)),
)


def forget_proof(session_id: str, order_id: int) -> None:
    with unit_of_work() as session:
        session.connection().execute(
            insert(ForgottenProof),
            {"session_id": session_id, "order_id": order_id, "created_date": utcnow()},
        )


def forgotten_among(session_id: str, order_ids: Collection[int]) -> set[int]:
    """Those of ``order_ids`` that this session forgot."""
    if not order_ids:
        return set()
    with reading() as connection:
        rows = connection.execute(
            FORGOTTEN, {"session_id": session_id, "order_ids": sorted(order_ids)}
        )
        return set(rows.scalars())
