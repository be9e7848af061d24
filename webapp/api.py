"""The JSON API at the platform's documented paths; it only translates HTTP to service calls."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from . import guest_session
from .errors import ValidationFailed
from .i18n import current_language
from .security import cancellation_limit, proof_limit
from .serializers import page, serialize_order, serialize_reason, serialize_request
from .services import cancellations, orders, reasons
from .services.cancellations import Created
from .services.idempotency import IdempotencyKey
from .vocabulary import CancellationType

bp = Blueprint("api", __name__)


FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
# Fields whose value is an object or a list: a form body can not carry them.
NESTED_FIELDS = ("pickup_date", "cancel_order_items")


def request_body() -> dict[str, Any]:
    """The body as the platform's API takes it: a JSON object, or form fields (form-encoded or
    multipart), each a string, which the services read as they read JSON strings."""
    if request.mimetype in FORM_TYPES:
        return form_body()
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested too deeply for the JSON parser
        body = None
    if not isinstance(body, dict):
        raise ValidationFailed({"non_field_errors": _("The request body must be a JSON object.")})
    return body


def form_body() -> dict[str, Any]:
    """A form body's fields (the last value of a repeated one); a nested field is a 400."""
    body: dict[str, Any] = {
        key: request.form.getlist(key)[-1] for key in request.form if isinstance(key, str)
    }
    nested = {
        name: _("Send this field in a JSON body (application/json).")
        for name in NESTED_FIELDS
        if name in body
        or any(key.startswith(f"{name}[") or key.startswith(f"{name}.") for key in body)
    }
    if nested:
        raise ValidationFailed(nested)
    return body


def idempotency_key(action: str, body: dict[str, Any]) -> IdempotencyKey | None:
    """The ``Idempotency-Key`` header with this session and body, if one was sent."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    return IdempotencyKey.for_api(guest_session.client_scope(), key, action, body)


def created_response(created: Created, body: Any, status: int) -> Response:
    response = jsonify(body)
    response.status_code = status
    if created.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response


@bp.after_request
def offer_csrf_cookie(response: Response) -> Response:
    """Every answer to a client without the ``csrftoken`` cookie sets it, as the platform
    does: a storefront that reads the token from the cookie has one for its next POST."""
    if "csrftoken" not in request.cookies and not any(
        header.startswith("csrftoken=") for header in response.headers.getlist("Set-Cookie")
    ):
        set_csrf_cookie(response, generate_csrf())
    return response


@bp.get("/csrf_token/", strict_slashes=False)
def csrf_token() -> Response:
    token = generate_csrf()
    response = jsonify({"csrf_token": token})
    set_csrf_cookie(response, token)
    return response


def set_csrf_cookie(response: Response, token: str) -> None:
    """The token in the ``csrftoken`` cookie, which clients send back in ``X-CSRFToken``."""
    response.set_cookie(
        "csrftoken", token, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"]
    )


@bp.post("/users/orders/anonymous/", strict_slashes=False)
@proof_limit
def lookup() -> ResponseReturnValue:
    order, companies = orders.lookup_order(request_body())
    guest_session.remember_order(order.id)
    guest_session.renew_csrf_token()
    response = jsonify(page(1, [serialize_order(order, companies)]))
    set_csrf_cookie(response, generate_csrf())
    return response


@bp.post("/users/orders/anonymous/cancellation_requests/", strict_slashes=False)
@cancellation_limit
@proof_limit
def create_request() -> ResponseReturnValue:
    body = request_body()
    created = cancellations.create_cancellation_request(
        body,
        guest_session.proven_order_ids(),
        client_ref=guest_session.client_fingerprint(),
        idempotency=idempotency_key("single", body),
        language=current_language(),
    )
    [single] = created.requests
    return created_response(created, serialize_request(single, reveal_iban=True), 200)


@bp.post("/users/orders/anonymous/bulk_cancellation_requests/", strict_slashes=False)
@cancellation_limit
@proof_limit
def create_bulk_requests() -> ResponseReturnValue:
    body = request_body()
    created = cancellations.create_bulk_cancellation_requests(
        body,
        guest_session.proven_order_ids(),
        client_ref=guest_session.client_fingerprint(),
        idempotency=idempotency_key("bulk", body),
        language=current_language(),
    )
    answer = [serialize_request(item, reveal_iban=True) for item in created.requests]
    return created_response(created, answer, 201)


@bp.get("/users/orders/cancellation_reasons/", strict_slashes=False)
def list_cancellation_reasons() -> ResponseReturnValue:
    size = current_app.config["API_PAGE_SIZE"]
    page_number = max(request.args.get("page", 1, type=int) or 1, 1)
    wanted = request.args.get("cancellation_type")
    if wanted is not None and wanted not in tuple(CancellationType):
        raise ValidationFailed({"cancellation_type": _("Choose cancel or refund.")})
    wanted_type = CancellationType(wanted) if wanted is not None else None
    count, found = reasons.list_reasons(wanted_type, offset=(page_number - 1) * size, limit=size)

    def link(number: int) -> str:
        args: dict[str, Any] = {"page": number}
        if wanted_type:
            args["cancellation_type"] = wanted_type.value
        return url_for("api.list_cancellation_reasons", _external=True, **args)

    next_url = link(page_number + 1) if page_number * size < count else None
    previous_url = link(page_number - 1) if page_number > 1 else None
    return jsonify(page(count, [serialize_reason(r) for r in found], next_url, previous_url))
