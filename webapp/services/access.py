"""Emailed one-time links to an order: the way in that failed guesses on its number never
close, and, with ``LOOKUP_VERIFICATION=email``, the only way in from the pages.

Asking for a link answers the same whether or not the order exists. A link works once, for
``ACCESS_LINK_MINUTES``; its secret is an HMAC of a random salt with the app's secret key, so
neither the database nor the outbox holds a working link.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select, update

from ..clock import utcnow
from ..errors import DomainError
from ..models import AccessLink
from ..vocabulary import UserType
from . import outbox, throttle
from .orders import FIND_BY_NUMBER, normalize_email, parse_lookup
from .unit_of_work import reading, unit_of_work

LINK_EXPIRED = "access_link_expired"


class LinkNotUsable(DomainError):
    """The link is unknown, already used or expired."""

    status = 410

    def __init__(self) -> None:
        super().__init__(
            {
                "non_field_errors": _("This link has expired or was already used."),
                "error_code": LINK_EXPIRED,
            }
        )


def request_access_link(data: dict[str, Any], language: str) -> None:
    """Send a link to the order with this email and number, if there is such a guest order
    and the address has not had too many; the same outcome for the caller either way."""
    email, number = parse_lookup(data)
    if not throttle.allow_access_link(normalize_email(email)):
        return
    with reading() as connection:
        row = connection.execute(FIND_BY_NUMBER, {"number": number}).mappings().one_or_none()
    stored = row["email_normalized"] if row is not None else "\x00"
    matches = hmac.compare_digest(stored.encode(), normalize_email(email).encode())
    if row is None or not matches or row["user_type"] != UserType.GUEST:
        return
    now = utcnow()
    minutes = int(current_app.config["ACCESS_LINK_MINUTES"])
    with unit_of_work() as session:
        connection = session.connection()
        link_id = connection.execute(
            insert(AccessLink).returning(AccessLink.id),
            {
                "order_id": row["order_id"],
                "salt": secrets.token_hex(16),
                "language": language,
                "created_date": now,
                "expires_at": now + timedelta(minutes=minutes),
            },
        ).scalar_one()
        outbox.add_access_link(connection, link_id, language)


def link_token(link_id: int, salt: str) -> str:
    """The secret part of a link's address."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, f"access-link:{link_id}:{salt}".encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(digest).decode().rstrip("=")


@dataclass(frozen=True, slots=True)
class Link:
    id: int
    order_id: int
    salt: str
    language: str
    expires_at: datetime
    used_at: datetime | None


LINK = select(
    AccessLink.id,
    AccessLink.order_id,
    AccessLink.salt,
    AccessLink.language,
    AccessLink.expires_at,
    AccessLink.used_at,
).where(AccessLink.id == bindparam("link_id"))


def find_link(link_id: int) -> Link | None:
    with reading() as connection:
        row = connection.execute(LINK, {"link_id": link_id}).mappings().first()
    return Link(**row) if row is not None else None


def usable_link_by_id(link_id: int) -> Link | None:
    """The link while it is unused and unexpired (for the message that carries it)."""
    link = find_link(link_id)
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        return None
    return link


def usable_link(link_id: int, token: str) -> Link | None:
    """The link, while it is unused, unexpired and its secret matches; else None."""
    link = find_link(link_id)
    if link is None:
        return None
    if not hmac.compare_digest(token.encode(), link_token(link.id, link.salt).encode()):
        return None
    if link.used_at is not None or link.expires_at <= utcnow():
        return None
    return link


def use_access_link(link_id: int, token: str) -> int:
    """Spend the link (once): the id of the order it opens."""
    link = usable_link(link_id, token)
    if link is None:
        raise LinkNotUsable()
    now = utcnow()
    with unit_of_work() as session:
        spent = session.connection().execute(
            update(AccessLink)
            .where(
                AccessLink.id == link_id, AccessLink.used_at.is_(None), AccessLink.expires_at > now
            )
            .values(used_at=now)
        )
    if spent.rowcount != 1:  # a twin click spent it first
        raise LinkNotUsable()
    return link.order_id
