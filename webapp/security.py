"""Hardening applied to every response: proxies, rate limits, security headers."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, Response, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import limiter

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
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

lookup_limit = limiter.limit(lambda: current_app.config["LOOKUP_RATE_LIMIT"], methods=["POST"])
cancellation_limit = limiter.limit(
    lambda: current_app.config["CANCELLATION_RATE_LIMIT"], methods=["POST"]
)


def install_security(app: Flask) -> None:
    trust_proxies(app)
    app.permanent_session_lifetime = timedelta(minutes=app.config["SESSION_ORDER_MINUTES"])
    app.after_request(add_security_headers)


def trust_proxies(app: Flask) -> None:
    """Client IP from X-Forwarded-For only through the configured number of proxies."""
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )


def add_security_headers(response: Response) -> Response:
    """The security headers a response does not set itself; answers other than static files
    are also ``no-store`` and vary by language and cookie."""
    headers = response.headers
    present = {name.lower() for name in headers.keys()}  # noqa: SIM118 (Headers, not a dict)
    headers.extend(
        (name, value) for name, value in SECURITY_HEADERS.items() if name.lower() not in present
    )
    if request.endpoint != "static":
        if "cache-control" not in present:
            headers["Cache-Control"] = "no-store"
        response.vary.update(("Accept-Language", "Cookie"))
    return response
