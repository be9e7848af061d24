"""The order page, and forgetting an order in this browser."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from .. import guest_session
from ..forms import ForgetOrderForm
from ..services import orders
from . import bp
from .requests import CONFIRMATION_KEY


@bp.get("/orders/<int:order_id>/")
def order_page(order_id: int) -> ResponseReturnValue:
    order = orders.view_proven_order(order_id, guest_session.proven_order_ids())
    actionable = sum(1 for item in order.items if item.allowed_types)
    return render_template(
        "order.html", order=order, several=actionable >= 2, forget=ForgetOrderForm(prefix="forget")
    )


@bp.post("/orders/<int:order_id>/forget/")
def forget_order(order_id: int) -> ResponseReturnValue:
    if ForgetOrderForm(prefix="forget").validate_on_submit():
        guest_session.forget_order(order_id)
        if (session.get(CONFIRMATION_KEY) or {}).get("order") == order_id:
            session.pop(CONFIRMATION_KEY)
        flash(_("The order was removed from this browser."), "success")
    return redirect(url_for("pages.lookup"), 303)
