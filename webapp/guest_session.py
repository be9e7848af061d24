"""The orders this browser or API client has proven, kept in Flask's signed session cookie."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from flask import current_app, request, session

KEY = "orders"


def proven_order_ids() -> set[int]:
    """Order ids looked up in this session within the configured lifetime."""
    now = time.time()
    lifetime = current_app.config["SESSION_ORDER_MINUTES"] * 60
    stored: dict[str, float] = session.get(KEY) or {}
    fresh = {key: at for key, at in stored.items() if now - at < lifetime}
    if len(fresh) != len(stored):
        session[KEY] = fresh
    return {int(key) for key in fresh}


def remember_order(order_id: int) -> None:
    """Add an order; the oldest one goes when the bounded list is full."""
    stored = dict(session.get(KEY) or {})
    stored.pop(str(order_id), None)
    stored[str(order_id)] = time.time()
    limit = current_app.config["SESSION_ORDER_LIMIT"]
    newest = sorted(stored.items(), key=lambda pair: pair[1])[-limit:]
    session[KEY] = dict(newest)
    session.permanent = True
    client_scope()


def forget_order(order_id: int) -> None:
    stored = dict(session.get(KEY) or {})
    stored.pop(str(order_id), None)
    session[KEY] = stored


def client_scope() -> str:
    """A random id for this session, so idempotency keys of two clients never collide."""
    if "sid" not in session:
        session["sid"] = secrets.token_hex(16)
    return str(session["sid"])


def client_fingerprint() -> str:
    """The client's IP, keyed-hashed: enough to group abuse in the audit log, not to read it."""
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    address = (request.remote_addr or "").encode("utf-8")
    return hmac.new(key, address, hashlib.sha256).hexdigest()[:32]
