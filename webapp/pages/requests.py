"""Asking to cancel or return: one item's form, the form for several items, the confirmation.

A form sent after the order's session or its page's security check ran out is not lost: the
shopper confirms the order (email and order number) on a page that carries what was typed, and
the request is then sent (``confirm_order.html``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError, generate_csrf
from werkzeug.wrappers import Response

from .. import guest_session
from ..errors import DomainError, OrderNotFound
from ..forms import BulkRequestForm, ConfirmOrderForm, ItemRequestForm, RequestFieldsForm
from ..i18n import current_language
from ..responses import error_response
from ..security import cancellation_limit, proof_limit
from ..services import access, cancellations, orders, reasons
from ..services.cancellations import Created
from ..services.eligibility import Policy, needs_bank_account, refund_amounts
from ..services.idempotency import IdempotencyKey
from ..services.read_models import ItemView, OrderView
from ..vocabulary import CancellationType
from . import bp
from .filters import address_line, money
from .form_errors import attach_bulk_errors, attach_errors, error_summary
from .lookup import render_lookup_again

CONFIRMATION_KEY = "confirmation"
CONFIRM_PREFIX = "confirm"
REQUEST_ENDPOINTS = frozenset({"pages.cancel_item", "pages.cancel_bulk"})


def proven_order(order_id: int) -> OrderView:
    return orders.view_proven_order(order_id, guest_session.proven_order_ids())


@bp.route("/orders/<int:order_id>/items/<int:item_id>/requests/", methods=["GET", "POST"])
@cancellation_limit
@proof_limit
def cancel_item(order_id: int, item_id: int) -> ResponseReturnValue:
    """The request form of one item (GET), and sending it (POST)."""
    if (asked := ask_to_confirm(order_id)) is not None:
        return asked
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
                language=current_language(),
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
@proof_limit
def cancel_bulk(order_id: int) -> ResponseReturnValue:
    """One form for several items (GET), and sending it (POST)."""
    if (asked := ask_to_confirm(order_id)) is not None:
        return asked
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
                language=current_language(),
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
    proven_order(order_id)  # the uniform miss for an order not proven
    stored = session.get(CONFIRMATION_KEY) or {}
    wanted = stored.get("requests") or [] if stored.get("order") == order_id else []
    found = orders.view_order_requests(order_id, wanted)
    if found is None:
        return redirect(url_for("pages.order_page", order_id=order_id), 303)
    order, created, amounts = found
    return render_template(
        "confirmation.html",
        order=order,
        created=created,
        amounts=amounts,
        total=sum(amounts.values(), Decimal(0)),
    )


# --- an order to confirm again --------------------------------------------------------------


def ask_to_confirm(order_id: int) -> ResponseReturnValue | None:
    """For a form sent without a proven order: check the email and number it carries, if any;
    while the order is not proven, the page asking for them, keeping what was typed."""
    if request.method != "POST":
        return None
    form = ConfirmOrderForm(request.form, prefix=CONFIRM_PREFIX)
    if order_id in guest_session.proven_order_ids():
        return None
    if (form.email.data or form.order.data) and form.validate():
        if current_app.config["LOOKUP_VERIFICATION"] == "email":
            try:
                access.request_access_link(form.to_data(), current_language())
            except DomainError as error:
                attach_errors(form, error.body)
                return render_confirm_order(form, status=400)
            return redirect(url_for("pages.access_sent"), 303)
        try:
            found = orders.lookup_order_id(form.to_data())
        except DomainError as error:
            attach_errors(form, error.body)
        else:
            if found == order_id:
                guest_session.remember_order(order_id)
                return None
            form.form_errors.append(OrderNotFound().body["non_field_errors"])
    return render_confirm_order(form, status=400 if form.errors else 200)


def render_confirm_order(form: ConfirmOrderForm, status: int = 200) -> ResponseReturnValue:
    """The page that asks for the order again, carrying the request form's typed fields."""
    kept = [
        (name, value)
        for name, values in request.form.lists()
        if not name.startswith(f"{CONFIRM_PREFIX}-") and not name.endswith("csrf_token")
        for value in values
    ]
    token_fields = sorted(
        {name for name in request.form if name.endswith("csrf_token")} | {"csrf_token"}
    )
    html = render_template(
        "confirm_order.html",
        form=form,
        kept=kept,
        token_fields=token_fields,
        token=generate_csrf(),
        action=request.path,
        errors=error_summary(form, "confirm-form") if form.errors or form.form_errors else [],
    )
    return html, status


# --- helpers --------------------------------------------------------------------------------


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


def reason_choices(kinds: list[CancellationType]) -> dict[CancellationType, list[tuple[str, str]]]:
    offered = reasons.request_choices().reasons
    language = current_language()
    return {kind: [(str(r.id), r.subject_for(language)) for r in offered[kind]] for kind in kinds}


def shared_choices(form: RequestFieldsForm, order: OrderView) -> dict[str, Any]:
    """Companies, addresses and pickup days on the form; what the page says about them."""
    companies = reasons.request_choices().companies
    form.issue_token()
    form.setup_shared(
        [(str(company.id), company.name) for company in companies],
        [(str(address.id), address_line(address)) for address in order.addresses],
    )
    first, last = Policy.from_config().pickup_window()
    form.pickup_date.render_kw = {"min": first.isoformat(), "max": last.isoformat()}
    return {"pickup_first": first, "pickup_last": last}


def amounts_of(order: OrderView, item: ItemView) -> list[str]:
    """What comes back for 1, 2, ... units of the item, as the page writes money; none when
    nothing comes back (cancelling what is paid on delivery). An item allows one type: the
    cancellable statuses are before delivery, the refundable one after."""
    kind = item.allowed_types[0]
    found = refund_amounts(order, item, kind)
    if not any(found):
        return []
    return [money(amount, order.currency) for amount in found]


def bank_needs(order: OrderView, kinds: list[CancellationType]) -> list[str]:
    """The request types whose money goes back to a bank account on this order."""
    return [kind.value for kind in kinds if needs_bank_account(order, kind)]


def render_item(
    order: OrderView, item_id: int, form: ItemRequestForm, status: int = 200
) -> ResponseReturnValue:
    """One item's request page: its form while it is eligible, else why not (and any errors)."""
    item = order.item(item_id)
    if item is None:
        raise OrderNotFound()
    kinds = item.allowed_types
    errors = error_summary(form, f"item-{item.id}") if form.is_submitted() else []
    context: dict[str, Any] = {}
    if kinds:
        context = shared_choices(form, order)
        form.setup(kinds, reason_choices(kinds), item.remaining_quantity)
    html = render_template(
        "request_item.html",
        order=order,
        item=item,
        form=form if kinds else None,
        allowed=kinds,
        errors=errors,
        bank_for=bank_needs(order, kinds),
        amounts=amounts_of(order, item) if kinds else [],
        **context,
    )
    return html, status


def render_bulk(order: OrderView, form: BulkRequestForm, status: int = 200) -> ResponseReturnValue:
    """The form for several items: a row per eligible item with its own type, reason and
    quantity, the rest asked once."""
    eligible = [item for item in order.items if item.allowed_types]
    kinds = [kind for kind in CancellationType if any(kind in i.allowed_types for i in eligible)]
    products = {item.id: item.product.name for item in order.items}
    context = shared_choices(form, order)
    form.set_items(
        {item.id: item.allowed_types for item in eligible},
        {item.id: item.remaining_quantity for item in eligible},
        reason_choices(kinds),
    )
    errors = error_summary(form, "bulk-form", products) if form.is_submitted() else []
    html = render_template(
        "request_bulk.html",
        order=order,
        bulk=form if eligible else None,
        bulk_types=kinds,
        bank_for=bank_needs(order, kinds),
        items={item.id: item for item in order.items},
        amounts={item.id: amounts_of(order, item) for item in eligible},
        errors=errors,
        **context,
    )
    return html, status


@bp.errorhandler(CSRFError)
def form_expired(_error: CSRFError) -> ResponseReturnValue:
    """A page's form whose security check failed (its session ran out, or it was open too
    long): the lookup form again with what was typed, a request form's order confirmation,
    else a page that says to reload. Never the words of the mechanism."""
    if request.method == "POST" and request.endpoint == "pages.lookup":
        return render_lookup_again(_("This page was open for a while: please send it again."))
    if request.method == "POST" and request.endpoint in REQUEST_ENDPOINTS:
        return render_confirm_order(ConfirmOrderForm(prefix=CONFIRM_PREFIX))
    message = _("This page was open for a while. Go back, reload it and try again.")
    return error_response(400, {"non_field_errors": message})
