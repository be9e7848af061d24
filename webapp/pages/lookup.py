"""The lookup page: email and order number in, the order page out."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from .. import guest_session
from ..errors import DomainError
from ..forms import LookupForm
from ..security import lookup_limit
from ..services import orders
from . import bp
from .form_errors import attach_errors, error_summary


@bp.route("/", methods=["GET", "POST"])
@lookup_limit
def lookup() -> ResponseReturnValue:
    form = LookupForm()
    status = 200
    if form.validate_on_submit():
        try:
            order_id = orders.lookup_order_id(form.to_data())
        except DomainError as error:
            attach_errors(form, error.body)
            status = error.status
        else:
            guest_session.remember_order(order_id)
            return redirect(url_for("pages.order_page", order_id=order_id), 303)
    elif form.is_submitted():
        status = 400
    errors = error_summary(form, "lookup-form") if form.is_submitted() else []
    return render_template("lookup.html", form=form, errors=errors), status
