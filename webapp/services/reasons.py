"""Cancellation reasons and shipping companies offered to shoppers."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, select

from ..models import ShippingCompany
from ..vocabulary import CancellationType, reason_allows
from .input import in_database_range
from .read_models import CompanyView, ReasonView, load_reasons
from .unit_of_work import reading


def active_reasons(connection: Connection) -> list[ReasonView]:
    """Active reasons in display order."""
    return [reason for reason in load_reasons(connection).values() if reason.is_active]


def list_reasons(
    cancellation_type: CancellationType | None = None, offset: int = 0, limit: int | None = None
) -> tuple[int, list[ReasonView]]:
    """A page of active reasons in display order (only those usable for one type, if given),
    and how many there are in all."""
    with reading() as connection:
        found = [
            reason
            for reason in active_reasons(connection)
            if cancellation_type is None
            or reason_allows(reason.cancellation_type, cancellation_type)
        ]
    end = None if limit is None else offset + limit
    return len(found), found[offset:end]


def reasons_by_type(connection: Connection) -> dict[CancellationType, list[ReasonView]]:
    """Active reasons in display order for each type (``both`` ones under each)."""
    found = active_reasons(connection)
    return {
        kind: [reason for reason in found if reason_allows(reason.cancellation_type, kind)]
        for kind in CancellationType
    }


_companies = ShippingCompany.__table__
EASY_RETURN_COMPANIES = (
    select(
        _companies.c.id.label("id"),
        _companies.c.slug.label("slug"),
        _companies.c.name.label("name"),
    )
    .where(_companies.c.is_active.is_(True), _companies.c.easy_return.is_(True))
    .order_by(_companies.c.name, _companies.c.id)
)
EASY_RETURN_COMPANIES_BY_ID = EASY_RETURN_COMPANIES.where(
    _companies.c.id.in_(bindparam("ids", expanding=True))
)


def list_easy_return_companies(connection: Connection) -> list[CompanyView]:
    """Active companies offering easy return, by name."""
    return [CompanyView(**row) for row in connection.execute(EASY_RETURN_COMPANIES).mappings()]


def easy_return_companies_by_id(
    connection: Connection, company_ids: Collection[int]
) -> dict[int, CompanyView]:
    """Those of the given companies that are active and offer easy return."""
    ids = sorted(company_id for company_id in company_ids if in_database_range(company_id))
    if not ids:
        return {}
    rows = connection.execute(EASY_RETURN_COMPANIES_BY_ID, {"ids": ids})
    return {row["id"]: CompanyView(**row) for row in rows.mappings()}


@dataclass(frozen=True, slots=True)
class RequestChoices:
    """What a request form offers: active reasons per type, and easy-return companies."""

    reasons: dict[CancellationType, list[ReasonView]]
    companies: list[CompanyView]


def request_choices() -> RequestChoices:
    with reading() as connection:
        return RequestChoices(reasons_by_type(connection), list_easy_return_companies(connection))
