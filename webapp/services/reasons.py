"""Cancellation reasons and shipping companies offered to shoppers."""

from __future__ import annotations

from sqlalchemy import Connection, Row, func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import BOTH, CANCEL, REFUND, CancellationReason, ShippingCompany, reason_allows


def list_reasons(
    cancellation_type: str | None = None, offset: int = 0, limit: int | None = None
) -> tuple[int, list[CancellationReason]]:
    """Active reasons in display order, optionally only those usable for one type, and a count."""
    query = select(CancellationReason).where(CancellationReason.is_active.is_(True))
    if cancellation_type is not None:
        query = query.where(CancellationReason.cancellation_type.in_((cancellation_type, BOTH)))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if offset >= total:  # past the end (and no OFFSET too large for the database)
        return total, []
    query = (
        query.options(selectinload(CancellationReason.translations))
        .order_by(CancellationReason.sort_order, CancellationReason.id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return total, list(db.session.scalars(query))


def reasons_by_type() -> dict[str, list[CancellationReason]]:
    """Active reasons in display order for each type (``both`` ones under each), one query."""
    found = db.session.scalars(
        select(CancellationReason)
        .where(CancellationReason.is_active.is_(True))
        .options(selectinload(CancellationReason.translations))
        .order_by(CancellationReason.sort_order, CancellationReason.id)
    )
    grouped: dict[str, list[CancellationReason]] = {CANCEL: [], REFUND: []}
    for reason in found:
        for kind in grouped:
            if reason_allows(reason.cancellation_type, kind):
                grouped[kind].append(reason)
    return grouped


_companies = ShippingCompany.__table__
EASY_RETURN_COMPANIES = (
    select(_companies.c.id, _companies.c.slug, _companies.c.name)
    .where(_companies.c.is_active.is_(True), _companies.c.easy_return.is_(True))
    .order_by(_companies.c.name)
)


def list_easy_return_companies(connection: Connection | None = None) -> list[Row]:
    """Active companies offering easy return, by name: rows with ``id``, ``slug`` and ``name``."""
    return list((connection or db.session.connection()).execute(EASY_RETURN_COMPANIES))
