"""Every error answered in one place: JSON for the API's blueprints, an HTML page otherwise."""

from __future__ import annotations

import time

from flask import Flask, jsonify, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, SecurityError

from .errors import CSRF_FAILED, RATE_LIMITED, SERVICE_UNAVAILABLE, DomainError
from .extensions import limiter
from .i18n import is_json_request


def error_response(
    status: int,
    body: dict[str, object],
    title: str | None = None,
    headers: dict[str, str] | None = None,
) -> ResponseReturnValue:
    if is_json_request():
        return jsonify(body), status, headers or {}
    message = body.get("non_field_errors") or title or ""
    page = render_template("error.html", status=status, title=title, message=message)
    return page, status, headers or {}


def http_messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("This action is not allowed."),
        404: _("The page you asked for does not exist."),
        405: _("This method is not allowed here."),
        413: _("The request body is too large."),
        415: _("Send the body as JSON."),
        429: _("Too many requests. Please wait a moment and try again."),
        503: _(
            "We can not reach our order records just now. Nothing was changed: please try "
            "again in a moment."
        ),
        500: _("Something went wrong on our side. Please try again."),
    }


def retry_after_seconds() -> int:
    breached = limiter.current_limit
    if breached is None:
        return 60
    return max(int(breached.reset_at - time.time()), 1)


# Seconds a client is asked to wait before trying again while the database is away.
DATABASE_RETRY_AFTER = 5


def is_unavailability(error: DBAPIError) -> bool:
    """A fault of the database's availability, not of the statement: the connection is
    lost or refused, the server is shutting down, a statement ran out of time, or the file
    can not be written (SQLite read-only or full)."""
    return error.connection_invalidated or isinstance(error, OperationalError | InterfaceError)


def database_fault(error: Exception) -> str:
    """The driver's first line, without the statement or its parameters."""
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines() or [""]
    return f"{type(original).__name__}: {lines[0]}"


def install_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> ResponseReturnValue:
        return error_response(error.status, error.body, headers=error.headers)

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> ResponseReturnValue:
        body = {
            "non_field_errors": _("The CSRF token is missing or invalid. Reload and try again."),
            "error_code": CSRF_FAILED,
        }
        return error_response(403, body, _("Session expired"))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        status = error.code or 500
        message = http_messages().get(status) or _("The request could not be completed.")
        if isinstance(error, SecurityError):  # a Host outside TRUSTED_HOSTS: no link can be built
            return message, status, {"Content-Type": "text/plain; charset=utf-8"}
        body: dict[str, object] = {"non_field_errors": message}
        headers = {}
        if status == 429:
            body["error_code"] = RATE_LIMITED
            headers["Retry-After"] = str(retry_after_seconds())
        allowed = error.get_response().headers.get("Allow")
        if status == 405 and allowed:
            headers["Allow"] = allowed
        return error_response(status, body, headers=headers)

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(error: Exception) -> ResponseReturnValue:
        """The database is down, refuses writes (read-only, full) or a statement ran out of
        time: the transaction was rolled back, so nothing is half written."""
        if isinstance(error, DBAPIError) and not is_unavailability(error):
            return unexpected_error(error)
        app.logger.error("Database unavailable: %s", database_fault(error), extra={"status": 503})
        body: dict[str, object] = {
            "non_field_errors": http_messages()[503],
            "error_code": SERVICE_UNAVAILABLE,
        }
        return error_response(503, body, headers={"Retry-After": str(DATABASE_RETRY_AFTER)})

    @app.errorhandler(Exception)
    def unexpected_error(_error: Exception) -> ResponseReturnValue:
        app.logger.exception("Unhandled error")
        return error_response(500, {"non_field_errors": http_messages()[500]})
