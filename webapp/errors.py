"""Domain errors raised by the service layer; each carries an HTTP status and a JSON body."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

ORDER_NOT_FOUND = "anonymous_order_100_1"
ACTIVE_REQUEST_EXISTS = "cancellation_request_100_1"
NOT_CANCELLABLE = "cancellation_request_100_2"
NOT_REFUNDABLE = "cancellation_request_100_3"
IBAN_REQUIRED = "cancellation_request_100_5"
PICKUP_ADDRESS_REQUIRED = "cancellation_request_100_8"
RATE_LIMITED = "rate_limited"
CSRF_FAILED = "csrf_failed"
IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
SERVICE_UNAVAILABLE = "service_unavailable"


class DomainError(Exception):
    """A refusal with an HTTP status and a body of field errors and/or a coded message."""

    status = 400

    def __init__(
        self,
        body: dict[str, Any],
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(body)
        self.body = body
        self.headers = headers or {}
        if status is not None:
            self.status = status

    @property
    def error_code(self) -> str | None:
        code = self.body.get("error_code")
        return code if isinstance(code, str) else None


class ValidationFailed(DomainError):
    """Field errors: ``{"field": "message"}``, possibly with one coded non-field error."""


class OrderNotFound(DomainError):
    """The one uniform miss: unknown number, wrong email, registered user's order, unproven item."""

    status = 404

    def __init__(self) -> None:
        super().__init__(
            {
                "non_field_errors": _("No order was found with this email and order number."),
                "error_code": ORDER_NOT_FOUND,
            }
        )


class TooManyAttempts(DomainError):
    """Too many failed lookups of one order number: it is blocked for everyone for a while."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            {
                "non_field_errors": _("Too many attempts. Please try again later."),
                "error_code": RATE_LIMITED,
            },
            headers={"Retry-After": str(max(retry_after, 1))},
        )


def coded(message: str, error_code: str) -> dict[str, str]:
    return {"non_field_errors": message, "error_code": error_code}
