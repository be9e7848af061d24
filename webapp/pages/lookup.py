"""The lookup page: email and order number in, the order page out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from .. import guest_session
from ..errors import DomainError
from ..forms import LookupForm
from ..i18n import current_language
from ..security import proof_limit
from ..services import access, orders
from . import bp
from .form_errors import attach_errors, error_summary


@bp.route("/", methods=["GET", "POST"])
@proof_limit
def lookup() -> ResponseReturnValue:
    form = LookupForm()
    if not form.is_submitted():
        form.next.data = request.args.get("next", "")
    status, headers = 200, {}
    if form.validate_on_submit():
        if current_app.config["LOOKUP_VERIFICATION"] == "email":
            return send_access_link(form)
        try:
            order_id = orders.lookup_order_id(form.to_data())
        except DomainError as error:
            attach_errors(form, error.body)
            status, headers = error.status, error.headers
        else:
            guest_session.remember_order(order_id)
            guest_session.renew_csrf_token()
            return redirect(page_after_lookup(form.next.data, order_id), 303)
    elif form.is_submitted():
        status = 400
    errors = error_summary(form, "lookup-form") if form.is_submitted() else []
    return render_lookup(form, errors, missed=status == 404, blocked=status == 429), status, headers


def send_access_link(form: LookupForm) -> ResponseReturnValue:
    """Email verification: the lookup sends a link to the order's address instead."""
    try:
        access.request_access_link(form.to_data(), current_language())
    except DomainError as error:
        attach_errors(form, error.body)
        return render_lookup(form, error_summary(form, "lookup-form")), 400
    return redirect(url_for("pages.access_sent"), 303)


def page_after_lookup(wanted: str | None, order_id: int) -> str:
    """The page asked for (a page of this order only, on this site), else the order page."""
    parts = urlsplit(wanted or "")
    own = f"/orders/{order_id}/"
    if (
        not parts.scheme
        and not parts.netloc
        and parts.path.startswith(own)
        and "//" not in parts.path
    ):
        return parts.path
    return url_for("pages.order_page", order_id=order_id)


def render_lookup(
    form: LookupForm, errors: list[tuple[str, str]], missed: bool = False, blocked: bool = False
) -> str:
    """The lookup page; after a miss, where the order number is found and who can help; when
    the number had too many misses, the emailed link that always works."""
    return render_template(
        "lookup.html",
        form=form,
        errors=errors,
        missed=missed,
        blocked=blocked,
        contact=current_app.config["SHOP_CONTACT_EMAIL"],
        sign_in_url=current_app.config["SIGN_IN_URL"],
    )


def render_lookup_again(message: str) -> ResponseReturnValue:
    """The lookup form as it was sent, with a note to send it again."""
    form = LookupForm(meta={"csrf": False})
    form.form_errors.append(message)
    return render_lookup(form, error_summary(form, "lookup-form")), 400
