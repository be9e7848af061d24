"""The orders this browser or API client has proven, kept in Flask's signed session cookie."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from flask import current_app, request, session

from .services import proofs

KEY = "orders"


def proven_order_ids() -> set[int]:
    """Order ids looked up in this session within the configured lifetime, less those the
    session forgot (checked on the server: an older copy of the cookie still lists them)."""
    now = time.time()
    lifetime = current_app.config["SESSION_ORDER_MINUTES"] * 60
    stored: dict[str, float] = session.get(KEY) or {}
    fresh = {key: at for key, at in stored.items() if now - at < lifetime}
    if len(fresh) != len(stored):
        session[KEY] = fresh
    proven = {int(key) for key in fresh}
    session_id = session.get("sid")
    if not proven or not session_id:
        return set()
    return proven - proofs.forgotten_among(session_id, proven)


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
    """Forget an order in this session, in its cookie and on the server."""
    stored = dict(session.get(KEY) or {})
    stored.pop(str(order_id), None)
    session[KEY] = stored
    proofs.forget_proof(client_scope(), order_id)


def renew_csrf_token() -> None:
    """A new CSRF token from now on (when a lookup proves an order): Flask-WTF makes one for
    the next form or ``/csrf_token/``, from the new secret it keeps in the session."""
    session.pop("csrf_token", None)


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
