"""The orders this browser or API client has proven, kept in the signed session cookie."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import zlib
from typing import Any

from flask import Flask, Request, current_app, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode
from itsdangerous.url_safe import URLSafeSerializerMixin

KEY = "orders"
REFRESH_AFTER_SECONDS = 60


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


class SmallWindowSerializer(URLSafeTimedSerializer):
    """itsdangerous' URL-safe serializer, compressing with a 1 KB window: ``zlib.compress``
    sets up a 32 KB window and 256 KB of state for a payload of a few hundred bytes, which
    cost more than the rest of signing the cookie. The output is still zlib's format, which
    the standard ``loads`` reads, and no larger for a payload this small."""

    def dump_payload(self, obj: Any) -> bytes:
        payload = super(URLSafeSerializerMixin, self).dump_payload(obj)
        compressor = zlib.compressobj(6, zlib.DEFLATED, 10, 2)
        compressed = compressor.compress(payload) + compressor.flush()
        if len(compressed) < len(payload) - 1:
            return b"." + base64_encode(compressed)
        return base64_encode(payload)


class GuestSessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session with a plain JSON payload, the signer built once per
    secret key instead of on every open and save, and an unchanged session re-signed at most
    once a minute."""

    serializer = PlainJson()

    def __init__(self) -> None:
        self._signers: dict[tuple, URLSafeTimedSerializer] = {}

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        signer = self.get_signing_serializer(app)
        if signer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = signer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at.timestamp()
        return session

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        """A changed session is sent back; an unchanged permanent one (kept alive by every
        request) only when its signature is over a minute old, not re-signed on every page."""
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or time.time() - signed_at >= REFRESH_AFTER_SECONDS

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        signer = self._signers.get(keys)
        if signer is None:
            signer = self._signers[keys] = SmallWindowSerializer(
                list(keys),
                salt=self.salt,
                serializer=self.serializer,
                signer_kwargs={
                    "key_derivation": self.key_derivation,
                    "digest_method": self.digest_method,
                },
            )
        return signer
