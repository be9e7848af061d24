"""The orders this browser or API client has proven, kept in the signed session cookie."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from flask import Flask, current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

KEY = "orders"


def proven_order_ids() -> set[int]:
    """Order ids looked up in this session within the configured lifetime."""
    now = time.time()
    lifetime = current_app.config["SESSION_ORDER_MINUTES"] * 60
    stored = session.get(KEY) or {}
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
    return session["sid"]


def client_fingerprint() -> str:
    """The client's IP, keyed-hashed: enough to group abuse in the audit log, not to read it."""
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    address = (request.remote_addr or "").encode("utf-8")
    return hmac.new(key, address, hashlib.sha256).hexdigest()[:32]


class PlainJson:
    """The session's payload as compact JSON: it holds only strings, numbers, booleans, lists
    and dicts, so Flask's tagged serializer (for bytes, tuples, dates, markup) is not needed."""

    @staticmethod
    def dumps(value: Any) -> str:
        return json.dumps(value, separators=(",", ":"))

    @staticmethod
    def loads(text: str | bytes) -> Any:
        return json.loads(text)


class GuestSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session with a plain JSON payload and the signer built once per
    secret key instead of on every open and save."""

    serializer = PlainJson()

    def __init__(self) -> None:
        self._signers: dict[tuple, URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        signer = self._signers.get(keys)
        if signer is None:
            signer = self._signers[keys] = super().get_signing_serializer(app)
        return signer
