"""Hardening applied to every request and response: proxies, hosts and origins, rate limits,
security headers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from flask_babel import gettext as _
from werkzeug.exceptions import Forbidden, RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.sansio.utils import host_is_trusted

from .extensions import limiter
from .limiter_health import install_limiter_watch

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
HSTS = "max-age=31536000; includeSubDomains"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# The fields by which a body proves an order: every way of proving one draws on one budget.
PROOF_FIELDS = ("email", "order", "number")
CONFIRM_FIELDS = ("confirm-email", "confirm-order")
PROOF_SCOPE = "order-proof"


def proves_an_order() -> bool:
    """Whether this request tries to prove an order: a lookup, an order's email and number in
    a cancellation body, or the order confirmed again on a request form."""
    if request.method != "POST":
        return False
    if request.endpoint in ("api.lookup", "pages.lookup"):
        return True
    if request.endpoint in ("pages.cancel_item", "pages.cancel_bulk"):
        return any(request.form.get(name) for name in CONFIRM_FIELDS)
    body = request.get_json(silent=True) if request.is_json else request.form
    return isinstance(body, dict) and any(body.get(name) not in (None, "") for name in PROOF_FIELDS)


# One budget of order proofs per client (LOOKUP_RATE_LIMIT), shared by the API's and the
# page's lookup and by proofs inside cancellation bodies and request forms.
proof_limit = limiter.shared_limit(
    lambda: current_app.config["LOOKUP_RATE_LIMIT"],
    scope=PROOF_SCOPE,
    exempt_when=lambda: not proves_an_order(),
)
cancellation_limit = limiter.limit(
    lambda: current_app.config["CANCELLATION_RATE_LIMIT"], methods=["POST"]
)
access_link_limit = limiter.limit(
    lambda: current_app.config["ACCESS_LINK_CLIENT_LIMIT"], methods=["POST"]
)


def install_security(app: Flask) -> None:
    trust_proxies(app)
    install_limiter_watch(app)
    app.permanent_session_lifetime = timedelta(minutes=app.config["SESSION_ORDER_MINUTES"])
    app.before_request(refuse_long_streamed_body)
    app.before_request(check_origin)
    app.after_request(add_security_headers)


def trust_proxies(app: Flask) -> None:
    """Client IP (and scheme and host) from X-Forwarded-* only through the configured number
    of proxies."""
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )


def trusted_hosts() -> Iterable[str]:
    """TRUSTED_HOSTS (Flask checks every request's Host against it), else this request's host."""
    configured = current_app.config["TRUSTED_HOSTS"]
    return configured if configured else [request.host.partition(":")[0]]


def refuse_long_streamed_body() -> None:
    """A body sent without ``Content-Length`` (chunked) that reaches MAX_CONTENT_LENGTH is a
    413, as a declared one is: Werkzeug stops reading such a body at the limit without saying
    so. The body read here stays cached for parsing."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None or limit is None:
        return
    if request.method in UNSAFE_METHODS and len(request.get_data(cache=True)) >= limit:
        raise RequestEntityTooLarge()


def check_origin() -> None:
    """A POST from a page of another site is refused: its ``Origin`` (else its ``Referer``),
    when sent, must name a trusted host; an opaque ``Origin: null`` without a ``Referer`` is
    refused too. Clients that send neither (curl, servers) still need the CSRF token."""
    if request.method not in UNSAFE_METHODS:
        return
    origin = request.headers.get("Origin")
    sent = origin if origin and origin != "null" else request.headers.get("Referer")
    if not sent:
        if origin == "null":
            raise Forbidden(_("This request comes from another site."))
        return
    hostname = urlsplit(sent).hostname
    if hostname is None or not host_is_trusted(hostname, list(trusted_hosts())):
        raise Forbidden(_("This request comes from another site."))


def add_security_headers(response: Response) -> Response:
    """The security headers a response does not set itself; answers other than static files
    are also ``no-store`` and vary by language and cookie; over HTTPS, HSTS."""
    headers = response.headers
    present = {name.lower() for name in headers.keys()}  # noqa: SIM118 (Headers, not a dict)
    headers.extend(
        (name, value) for name, value in SECURITY_HEADERS.items() if name.lower() not in present
    )
    if request.is_secure and "strict-transport-security" not in present:
        headers["Strict-Transport-Security"] = HSTS
    if request.endpoint != "static":
        if "cache-control" not in present:
            headers["Cache-Control"] = "no-store"
        response.vary.update(("Accept-Language", "Cookie"))
    return response
