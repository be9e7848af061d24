"""Emailed links to an order: asking for one, and opening one (a button, so that a mail
program that fetches links to check them does not spend it)."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from .. import guest_session
from ..errors import DomainError
from ..forms import AccessLinkForm, OpenLinkForm
from ..i18n import current_language
from ..security import access_link_limit
from ..services import access
from . import bp
from .form_errors import attach_errors, error_summary


@bp.route("/access/", methods=["GET", "POST"])
@access_link_limit
def request_access() -> ResponseReturnValue:
    """Ask for a link to an order by email; the same answer whether or not it exists."""
    form = AccessLinkForm()
    if form.validate_on_submit():
        try:
            access.request_access_link(form.to_data(), current_language())
        except DomainError as error:
            attach_errors(form, error.body)
        else:
            return redirect(url_for("pages.access_sent"), 303)
    status = 400 if form.is_submitted() else 200
    errors = error_summary(form, "access-form") if form.is_submitted() else []
    return render_template("access_request.html", form=form, errors=errors), status


@bp.get("/access/sent/")
def access_sent() -> ResponseReturnValue:
    """Where asking for a link lands: the same words whether or not the order exists."""
    return render_template("access_sent.html")


@bp.route("/access/<int:link_id>/<token>/", methods=["GET", "POST"])
def open_access_link(link_id: int, token: str) -> ResponseReturnValue:
    """The page of an emailed link: a button that opens the order (once)."""
    form = OpenLinkForm()
    if form.validate_on_submit():
        try:
            order_id = access.use_access_link(link_id, token)
        except DomainError:
            return render_template("access_open.html", form=None), 410
        guest_session.remember_order(order_id)
        guest_session.renew_csrf_token()
        return redirect(url_for("pages.order_page", order_id=order_id), 303)
    if access.usable_link(link_id, token) is None:
        return render_template("access_open.html", form=None), 410
    return render_template("access_open.html", form=form)
