"""Hardening applied to every response: proxies, rate limits, security headers, session."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from flask import Flask, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import limiter
from .guest_session import GuestSessionInterface

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

lookup_limit = limiter.limit(lambda: current_app.config["LOOKUP_RATE_LIMIT"], methods=["POST"])
cancellation_limit = limiter.limit(
    lambda: current_app.config["CANCELLATION_RATE_LIMIT"], methods=["POST"]
)


def install_security(app: Flask) -> None:
    app.wsgi_app = SecurityHeaders(app.wsgi_app)
    trust_proxies(app)
    app.permanent_session_lifetime = timedelta(minutes=app.config["SESSION_ORDER_MINUTES"])
    app.session_interface = GuestSessionInterface()


def trust_proxies(app: Flask) -> None:
    """Client IP from X-Forwarded-For only through the configured number of proxies."""
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
DYNAMIC_HEADERS = (*SECURITY_HEADERS, ("Cache-Control", "no-store"))
DYNAMIC_VARY = ("Accept-Language", "Cookie")


class SecurityHeaders:
    """WSGI middleware adding the security headers a response does not set itself; answers
    that are not static files are also ``no-store`` and vary by language and cookie.

    It works on the plain header list, which costs far less than editing the response's
    ``Headers`` in an ``after_request`` hook, on every request.
    """

    def __init__(self, wsgi_app: Callable) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        static = environ.get("PATH_INFO", "").startswith("/static/")

        def start(status: str, headers: list[tuple[str, str]], exc_info=None):
            return start_response(status, with_security_headers(headers, static), exc_info)

        return self.wsgi_app(environ, start)


def with_security_headers(headers: list[tuple[str, str]], static: bool) -> list[tuple[str, str]]:
    present = {name.lower() for name, _ in headers}
    added = [
        header
        for header in (SECURITY_HEADERS if static else DYNAMIC_HEADERS)
        if header[0].lower() not in present
    ]
    if static:
        return headers + added
    if "vary" not in present:
        return [*headers, *added, ("Vary", ", ".join(DYNAMIC_VARY))]
    merged = []
    for name, value in headers:
        if name.lower() == "vary":
            tokens = [token.strip() for token in value.split(",") if token.strip()]
            known = {token.lower() for token in tokens}
            tokens += [token for token in DYNAMIC_VARY if token.lower() not in known]
            value = ", ".join(tokens)
        merged.append((name, value))
    return merged + added
