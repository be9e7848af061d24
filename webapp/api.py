"""The JSON API at the platform's documented paths; it only translates HTTP to service calls."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, current_app, jsonify, make_response, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from . import guest_session
from .errors import DomainError, ValidationFailed
from .extensions import db
from .models import CANCEL, REFUND
from .responses import error_response
from .security import cancellation_limit, lookup_limit
from .serializers import page, serialize_order, serialize_reason, serialize_request
from .services import cancellations, idempotency, orders, reasons

bp = Blueprint("api", __name__)


def idempotent(view):
    """With an ``Idempotency-Key`` header, the first response is replayed for the same body."""

    @wraps(view)
    def wrapper():
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return view()
        body = json_body()
        scope = guest_session.client_scope()
        fingerprint = idempotency.request_fingerprint(request.path, body)
        stored = idempotency.find_response(scope, key, fingerprint)
        if stored is not None:
            status, text = stored
            return current_app.response_class(
                text, status=status, mimetype="application/json",
                headers={"Idempotent-Replayed": "true"},
            )  # fmt: skip
        try:
            response = make_response(view())
        except DomainError as error:
            db.session.rollback()
            response = make_response(
                error_response(error.status, error.body, headers=error.headers)
            )
        if response.status_code < 500 and response.status_code != 429:
            idempotency.store_response(
                scope, key, fingerprint, response.status_code, response.get_data(as_text=True)
            )
        return response

    return wrapper


def json_body() -> dict:
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested too deeply for the JSON parser
        body = None
    if not isinstance(body, dict):
        raise ValidationFailed({"non_field_errors": _("The request body must be a JSON object.")})
    return body


@bp.get("/csrf_token/")
def csrf_token():
    token = generate_csrf()
    response = jsonify({"csrf_token": token})
    response.set_cookie(
        "csrftoken",
        token,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.post("/users/orders/anonymous/")
@lookup_limit
def lookup():
    order, companies = orders.lookup_order(json_body())
    guest_session.remember_order(order.id)
    return jsonify(page(1, [serialize_order(order, companies)]))


@bp.post("/users/orders/anonymous/cancellation_requests/")
@cancellation_limit
@idempotent
def create_request():
    created = cancellations.create_cancellation_request(
        json_body(),
        guest_session.proven_order_ids(),
        client_ref=guest_session.client_fingerprint(),
    )
    return jsonify(serialize_request(created, reveal_iban=True)), 200


@bp.post("/users/orders/anonymous/bulk_cancellation_requests/")
@cancellation_limit
@idempotent
def create_bulk_requests():
    created = cancellations.create_bulk_cancellation_requests(
        json_body(),
        guest_session.proven_order_ids(),
        client_ref=guest_session.client_fingerprint(),
    )
    return jsonify([serialize_request(item, reveal_iban=True) for item in created]), 201


@bp.get("/users/orders/cancellation_reasons/")
def list_cancellation_reasons():
    size = current_app.config["API_PAGE_SIZE"]
    page_number = request.args.get("page", 1, type=int) or 1
    page_number = max(page_number, 1)
    wanted_type = request.args.get("cancellation_type")
    if wanted_type not in (None, CANCEL, REFUND):
        raise ValidationFailed({"cancellation_type": _("Choose cancel or refund.")})
    count, found = reasons.list_reasons(wanted_type, offset=(page_number - 1) * size, limit=size)

    def link(number: int) -> str:
        args = {"page": number}
        if wanted_type:
            args["cancellation_type"] = wanted_type
        return url_for("api.list_cancellation_reasons", _external=True, **args)

    next_url = link(page_number + 1) if page_number * size < count else None
    previous_url = link(page_number - 1) if page_number > 1 else None
    return jsonify(page(count, [serialize_reason(r) for r in found], next_url, previous_url))
