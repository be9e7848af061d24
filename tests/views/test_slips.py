"""Printable return slips: the code as text, as a QR code and as a Code 128 barcode."""

from __future__ import annotations

import io

import segno

from webapp.extensions import db
from webapp.models import CancellationRequest
from webapp.pages.slips import code128_svg

from .pages import pickup_day, soup


def returned_with_code(irem) -> CancellationRequest:
    """Irem returns her rain jacket with Extension Cargo and a pickup."""
    sent = irem.request_item(
        1009,
        10091,
        {"quantity": "1", "reason": "3", "shipping_company": "1", "pickup_address": "1009",
         "pickup_date": pickup_day(), "pickup_hours": "12:00-16:00"},
    )  # fmt: skip
    assert sent.status_code == 303
    db.session.expire_all()
    return db.session.query(CancellationRequest).one()


def slip_path(request: CancellationRequest) -> str:
    return f"/orders/1009/requests/{request.id}/slip/"


def test_the_slip_shows_the_shop_order_item_code_carrier_and_pickup(irem):
    request = returned_with_code(irem)
    page = soup(irem.get(slip_path(request)))
    slip = page.select_one(".slip")
    text = slip.get_text(" ", strip=True)
    code = request.easy_return.code
    assert slip.select_one(".slip__code").get_text(strip=True) == code
    for expected in ("Demo Shop", "Return slip", "Order 100000000009", "Rain jacket",
                     "Carrier: Extension Cargo.", "12:00–16:00"):  # fmt: skip
        assert expected in text
    assert slip.select_one("img.slip__qr")["src"] == slip_path(request) + "qr.svg"
    assert slip.select_one("img.slip__barcode")["src"] == slip_path(request) + "code128.svg"
    assert code in slip.select_one("img.slip__qr")["alt"]


def test_the_qr_code_is_the_code_as_the_library_encodes_it(irem):
    request = returned_with_code(irem)
    response = irem.get(slip_path(request) + "qr.svg")
    assert response.mimetype == "image/svg+xml"
    expected = segno.make_qr(request.easy_return.code, error="m")
    drawn = io.BytesIO()
    expected.save(drawn, kind="svg", scale=6, dark="#000", light="#fff")
    assert response.data == drawn.getvalue()
    assert b'xmlns="http://www.w3.org/2000/svg"' in response.data  # an image on its own
    assert (expected.version, expected.is_micro) == (1, False)  # small enough for any printer


def test_the_barcode_is_a_code_128_of_the_code(irem):
    request = returned_with_code(irem)
    response = irem.get(slip_path(request) + "code128.svg")
    assert response.mimetype == "image/svg+xml"
    assert response.data == code128_svg(request.easy_return.code)
    assert b"<svg" in response.data and b"<rect" in response.data


def test_the_confirmation_and_the_order_page_link_the_slip(irem):
    request = returned_with_code(irem)
    order_page = irem.order_page(1009)
    assert order_page.select_one(f'a[href="{slip_path(request)}"]') is not None
    confirmation = soup(irem.get("/orders/1009/confirmation/"))
    assert confirmation.select_one(f'a[href="{slip_path(request)}"]') is not None


def test_a_slip_needs_the_order_proven_in_this_session(irem, client):
    request = returned_with_code(irem)
    with irem.client.session_transaction() as session:
        session["orders"] = {}
    assert irem.get(slip_path(request)).status_code == 404
    assert irem.get(slip_path(request) + "qr.svg").status_code == 404


def test_a_return_without_a_code_has_no_slip(irem):
    sent = irem.request_item(1009, 10091, {"quantity": "1", "reason": "3"})
    assert sent.status_code == 303
    db.session.expire_all()
    request = db.session.query(CancellationRequest).one()
    assert irem.get(slip_path(request)).status_code == 404


def test_the_link_in_the_email_leads_to_the_slip_after_the_lookup(shopper):
    sent_to = "/orders/1009/requests/1/slip/"
    page = soup(shopper.get(f"/?next={sent_to}"))
    assert page.select_one('input[name="next"]')["value"] == sent_to
    response = shopper.submit(page, "#lookup-form", {"email": "irem@example.com",
                                                     "order": "100000000009"})  # fmt: skip
    assert response.headers["Location"] == sent_to


def test_the_lookup_goes_only_to_a_page_of_the_order_it_found(shopper):
    for elsewhere in ("https://evil.example/", "//evil.example/orders/1009/",
                      "/orders/1002/", "/orders/10090/"):  # fmt: skip
        page = soup(shopper.get("/", query_string={"next": elsewhere}))
        response = shopper.submit(page, "#lookup-form", {"email": "irem@example.com",
                                                         "order": "100000000009"})  # fmt: skip
        assert response.headers["Location"] == "/orders/1009/", elsewhere
