"""Printable return slips: the easy-return code as text, as a QR code and as a Code 128
barcode, for the shopper to show or stick on the parcel."""

from __future__ import annotations

import io

import barcode
import segno
from barcode.writer import SVGWriter
from flask import Response, render_template
from flask.typing import ResponseReturnValue

from .. import guest_session
from ..errors import OrderNotFound
from ..services import orders
from ..services.read_models import ItemView, OrderView, RequestView
from . import bp

SVG = "image/svg+xml"


def proven_return(order_id: int, request_id: int) -> tuple[OrderView, ItemView, RequestView]:
    """An open return with an easy-return code, of an order this session has proven; else the
    uniform miss."""
    order = orders.view_proven_order(order_id, guest_session.proven_order_ids())
    for item, request in order.requests():
        if request.id == request_id and request.easy_return is not None and request.is_active:
            return order, item, request
    raise OrderNotFound()


def qr_svg(code: str) -> bytes:
    """The code as a QR code (segno; a full QR code, which every scanner reads, not a Micro
    QR), black on white, scaled for print: a standalone SVG document."""
    out = io.BytesIO()
    segno.make_qr(code, error="m").save(out, kind="svg", scale=6, dark="#000", light="#fff")
    return out.getvalue()


def code128_svg(code: str) -> bytes:
    """The code as a Code 128 barcode (python-barcode), without its human-readable line (the
    slip prints the code in large letters)."""
    out = io.BytesIO()
    options = {"module_width": 0.4, "module_height": 18, "quiet_zone": 4, "write_text": False}
    barcode.get("code128", code, writer=SVGWriter()).write(out, options=options)
    return out.getvalue()


@bp.get("/orders/<int:order_id>/requests/<int:request_id>/slip/")
def return_slip(order_id: int, request_id: int) -> ResponseReturnValue:
    order, item, request = proven_return(order_id, request_id)
    return render_template("slip.html", order=order, item=item, cancellation=request)


@bp.get("/orders/<int:order_id>/requests/<int:request_id>/slip/qr.svg")
def return_slip_qr(order_id: int, request_id: int) -> ResponseReturnValue:
    _order, _item, request = proven_return(order_id, request_id)
    assert request.easy_return is not None
    return Response(qr_svg(request.easy_return.code), mimetype=SVG)


@bp.get("/orders/<int:order_id>/requests/<int:request_id>/slip/code128.svg")
def return_slip_barcode(order_id: int, request_id: int) -> ResponseReturnValue:
    _order, _item, request = proven_return(order_id, request_id)
    assert request.easy_return is not None
    return Response(code128_svg(request.easy_return.code), mimetype=SVG)
