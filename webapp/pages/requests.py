"""Asking to cancel or return: one item's form, the form for several items, the confirmation."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import ngettext
from werkzeug.wrappers import Response

from .. import guest_session
from ..errors import DomainError, OrderNotFound
from ..forms import TYPE_CHOICE_LABELS, BulkRequestForm, ItemRequestForm, RequestFieldsForm
from ..i18n import current_language
from ..security import cancellation_limit
from ..services import cancellations, orders, reasons
from ..services.cancellations import Created
from ..services.eligibility import Policy, needs_bank_account
from ..services.idempotency import IdempotencyKey
from ..services.read_models import OrderView
from ..vocabulary import CancellationType
from . import bp
from .filters import address_line
from .form_errors import attach_bulk_errors, attach_errors, error_summary

CONFIRMATION_KEY = "confirmation"


def proven_order(order_id: int) -> OrderView:
    return orders.view_proven_order(order_id, guest_session.proven_order_ids())


@bp.route("/orders/<int:order_id>/items/<int:item_id>/requests/", methods=["GET", "POST"])
@cancellation_limit
def cancel_item(order_id: int, item_id: int) -> ResponseReturnValue:
    """The request form of one item (GET), and sending it (POST)."""
    order = proven_order(order_id)
    if order.item(item_id) is None:
        raise OrderNotFound()
    form = ItemRequestForm(prefix=f"item-{item_id}")
    if not form.is_submitted():
        return render_item(order, item_id, form)
    if form.validate():
        try:
            created = cancellations.create_cancellation_request(
                form.to_data(item_id),
                guest_session.proven_order_ids(),
                client_ref=guest_session.client_fingerprint(),
                idempotency=form_key(form),
            )
        except DomainError as error:
            if error.status == 404:
                raise
            attach_errors(form, error.body)
        else:
            return show_confirmation(order_id, created)
    return render_item(proven_order(order_id), item_id, form, status=400)


@bp.route("/orders/<int:order_id>/bulk/", methods=["GET", "POST"])
@cancellation_limit
def cancel_bulk(order_id: int) -> ResponseReturnValue:
    """One form for several items (GET), and sending it (POST)."""
    order = proven_order(order_id)
    form = BulkRequestForm(prefix="bulk")
    if not form.is_submitted():
        return render_bulk(order, form)
    if form.validate():
        try:
            created = cancellations.create_bulk_cancellation_requests(
                form.to_data(),
                guest_session.proven_order_ids(),
                client_ref=guest_session.client_fingerprint(),
                idempotency=form_key(form),
            )
        except DomainError as error:
            if error.status == 404:
                raise
            attach_bulk_errors(form, error.body)
        else:
            return show_confirmation(order_id, created)
    return render_bulk(proven_order(order_id), form, status=400)


@bp.get("/orders/<int:order_id>/confirmation/")
def confirmation(order_id: int) -> ResponseReturnValue:
    order = proven_order(order_id)
    stored = session.get(CONFIRMATION_KEY) or {}
    wanted = set(stored.get("requests") or []) if stored.get("order") == order_id else set()
    created = [(item, request) for item, request in order.requests() if request.id in wanted]
    if not created:
        return redirect(url_for("pages.order_page", order_id=order_id), 303)
    return render_template("confirmation.html", order=order, created=created)


def form_key(form: RequestFieldsForm) -> IdempotencyKey | None:
    """The rendered form's token: a form sent twice (double click, reload) shows the first
    submission's result."""
    return IdempotencyKey.for_form(guest_session.client_scope(), form.form_token.data)


def show_confirmation(order_id: int, created: Created) -> Response:
    """Remember what was created for the confirmation page, then redirect (PRG)."""
    request_ids = [request.id for request in created.requests]
    session[CONFIRMATION_KEY] = {"order": order_id, "requests": request_ids}
    flash(
        ngettext("Your request was sent.", "Your %(num)d requests were sent.", len(request_ids)),
        "success",
    )
    return redirect(url_for("pages.confirmation", order_id=order_id), 303)


def fill_choices(
    form: RequestFieldsForm, order: OrderView, kinds: list[CancellationType]
) -> dict[str, Any]:
    """Reasons, companies, addresses and pickup days offered on the form, for the types it
    offers; the pickup window for the page."""
    choices = reasons.request_choices()
    language = current_language()
    form.issue_token()
    form.setup(
        [(kind.value, TYPE_CHOICE_LABELS[kind]) for kind in kinds],
        {
            kind.value: [(str(r.id), r.subject_for(language)) for r in choices.reasons[kind]]
            for kind in kinds
        },
        [(str(company.id), company.name) for company in choices.companies],
        [(str(address.id), address_line(address)) for address in order.addresses],
    )
    first, last = Policy.from_config().pickup_window()
    form.pickup_date.render_kw = {"min": first.isoformat(), "max": last.isoformat()}
    return {"pickup_first": first, "pickup_last": last}


def render_item(
    order: OrderView, item_id: int, form: ItemRequestForm, status: int = 200
) -> ResponseReturnValue:
    """One item's request page: its form while it is eligible, else why not (and any errors)."""
    item = order.item(item_id)
    if item is None:
        raise OrderNotFound()
    allowed = item.allowed_types
    errors = error_summary(form, f"item-{item.id}") if form.is_submitted() else []
    pickup_window: dict[str, Any] = {}
    if allowed:
        pickup_window = fill_choices(form, order, allowed)
        form.set_quantity_limit(item.remaining_quantity)
    html = render_template(
        "request_item.html",
        order=order,
        item=item,
        form=form if allowed else None,
        allowed=allowed,
        errors=errors,
        bank_needed=any(needs_bank_account(order, kind) for kind in allowed),
        **pickup_window,
    )
    return html, status


def render_bulk(order: OrderView, form: BulkRequestForm, status: int = 200) -> ResponseReturnValue:
    """The form for several items: a row per eligible item, shared answers once."""
    eligible = [item for item in order.items if item.allowed_types]
    kinds = [kind for kind in CancellationType if any(kind in i.allowed_types for i in eligible)]
    products = {item.id: item.product.name for item in order.items}
    pickup_window = fill_choices(form, order, kinds or list(CancellationType))
    form.set_items({item.id: item.remaining_quantity for item in eligible})
    errors = error_summary(form, "bulk-form", products) if form.is_submitted() else []
    html = render_template(
        "request_bulk.html",
        order=order,
        bulk=form if eligible else None,
        bulk_types=kinds,
        bank_needed=any(needs_bank_account(order, kind) for kind in kinds),
        products=products,
        item_status={item.id: item.status for item in order.items},
        errors=errors,
        **pickup_window,
    )
    return html, status
