"""The order page: what the shopper sees and which items get a form."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from babel.numbers import format_currency

from webapp.extensions import db
from webapp.models import Order
from webapp.services.demo import seed_demo

from .pages import Shopper, pickup_day, soup

MISS = "No order was found with this email and order number."


def test_an_order_page_needs_a_lookup_in_this_session(client, demo):
    response = client.get("/orders/1002/")
    assert response.status_code == 404
    assert MISS in soup(response).get_text()


def test_the_order_page_shows_status_dates_totals_addresses_and_payment(ben):
    page = ben.order_page(1002)
    text = page.get_text(" ", strip=True)
    assert "Order 100000000002" in page.h1.get_text()
    assert page.select_one(".page-head .badge").get_text(strip=True) == "Delivered"
    assert "Placed on" in text and "Delivered on" in text
    totals = page.select_one("dl.totals").get_text(" ", strip=True)
    assert "₺149.94" in totals
    assert "Bagdat Cd. 11" in page.select_one("address").get_text()
    assert "Pay on Delivery" in text


def test_dates_on_the_order_page_are_the_stores_calendar_days(make_app):
    app = make_app(STORE_TIMEZONE="Europe/Istanbul")  # UTC+3
    with app.app_context():
        seed_demo()
        order = db.session.get(Order, 1002)
        order.created_date = datetime(2026, 3, 1, 22, 30)  # stored in UTC: March 2 in Istanbul
        order.delivered_date = datetime(2026, 3, 4, 20, 59)  # still March 4 in Istanbul
        db.session.commit()
    shopper = Shopper(app.test_client())
    assert shopper.lookup("ben@example.com", "100000000002").status_code == 303
    meta = shopper.order_page(1002).select_one(".page-head__meta").get_text(" ", strip=True)
    assert "Placed on March 2, 2026" in meta
    assert "Delivered on March 4, 2026" in meta


@pytest.mark.parametrize(
    ("language", "written"),
    [("en", "₺149.94"), ("de", "149,94\xa0₺"), ("tr", "₺149,94"), ("ar", "\u200f149.94\xa0₺")],
)
def test_money_is_written_as_the_language_does_with_the_currencys_own_symbol(
    ben, language, written
):
    """English, German and Arabic have no symbol of their own for the lira (Babel writes
    "TRY"): they get the lira's own, each in its own place and number format."""
    page = soup(ben.get(f"/orders/1002/?lang={language}"))
    totals = page.select_one("dl.totals").get_text(" ", strip=True)
    assert written in totals
    assert "TRY" not in totals
    assert format_currency(Decimal("149.94"), "TRY", locale=language).replace("TRY", "₺") == written


def test_items_show_product_quantity_status_and_what_is_left(ben):
    page = ben.order_page(1002)
    shirt = page.select_one("#item-10021")
    assert shirt.h3.get_text(strip=True) == "Linen shirt"
    facts = {
        row.dt.get_text(strip=True): row.dd.get_text(strip=True)
        for row in shirt.select("dl.facts > .facts__row")
    }
    assert facts["Quantity"] == "2"
    assert facts["Left to cancel or return"] == "2"
    assert shirt.select_one(".item__head .badge").get_text(strip=True) == "Delivered"


def request_link(page, item_id: int):
    return page.select_one(f'#item-{item_id} a[href$="/items/{item_id}/requests/"]')


def test_only_eligible_items_link_to_a_request_form_named_by_what_it_allows(shopper):
    shopper.lookup("hakan@example.com", "100000000008")
    page = shopper.order_page(1008)
    assert request_link(page, 10081).get_text(strip=True) == "Return this item"  # delivered
    assert request_link(page, 10082) is None  # shipped: neither
    assert request_link(page, 10083).get_text(strip=True) == "Cancel this item"  # preparing
    assert "This item is on its way." in page.select_one("#item-10082").get_text()
    form_page = shopper.item_page(1008, 10081)
    assert form_page.select_one("h1").get_text(strip=True) == "Return this item"
    assert form_page.select_one("#item-10081-form") is not None


def test_the_request_page_of_an_item_that_can_not_be_cancelled_says_why_and_what_instead(shopper):
    shopper.lookup("hakan@example.com", "100000000008")
    page = shopper.item_page(1008, 10082)
    assert page.select_one("form[data-request-form]") is None
    why = page.select_one("#item-10082 .note--why").get_text(" ", strip=True)
    assert why == (
        "This item is on its way. "
        "Once it has been delivered, you can return it here within 14 days."
    )
    assert page.select_one('.backlink a[href="/orders/1008/"]') is not None


def test_the_order_page_has_no_request_forms_only_links(ben):
    page = ben.order_page(1002)
    assert page.select("form[data-request-form]") == []


def test_a_cancellable_item_offers_only_cancel_and_cancel_reasons(shopper):
    shopper.lookup("ada@example.com", "100000000001")
    form = shopper.item_page(1001, 10011).select_one("#item-10011-form")
    kind = form.select_one('input[name="item-10011-cancellation_type"]')
    assert (kind["type"], kind["value"]) == ("hidden", "cancel")
    reasons = [o["value"] for o in form.select('select[name="item-10011-reason"] option')]
    assert reasons == ["", "1", "2", "6", "7"]
    assert form.select_one('[name="item-10011-shipping_company"]') is None
    assert form.select_one('[name="item-10011-pickup_date"]') is None


def test_a_refundable_item_offers_carriers_the_orders_addresses_and_hour_slots(ben):
    form = ben.item_page(1002, 10021).select_one("#item-10021-form")

    def options(field: str) -> list[str]:
        return [o["value"] for o in form.select(f'select[name="item-10021-{field}"] option')]

    assert form.select_one('input[name="item-10021-cancellation_type"]')["value"] == "refund"
    assert options("reason") == ["", "3", "4", "5", "6", "7"]
    assert sorted(options("shipping_company")) == ["", "1", "2"]  # active, easy return
    assert options("pickup_address") == ["", "1002"]
    assert options("pickup_hours") == ["", "08:00-12:00", "12:00-16:00", "16:00-20:00"]
    pickup_date = form.select_one('input[name="item-10021-pickup_date"]')
    assert pickup_date["type"] == "date"
    assert (pickup_date["min"], pickup_date["max"]) == (pickup_day(1), pickup_day(14))
    assert form.select_one('input[name="item-10021-fully_refund_as_loyalty_money"]') is not None


def test_a_card_paid_order_asks_for_no_bank_account(irem):
    form = irem.item_page(1009, 10091).select_one("#item-10091-form")
    assert form.select_one('input[name="item-10091-iban"]') is None
    assert form.select_one('input[name="item-10091-holder_name"]') is None


@pytest.mark.parametrize(
    ("email", "number", "order_id", "item_id"),
    [
        ("ben@example.com", "100000000002", 1002, 10021),  # pay on delivery, refund
        ("deniz@example.com", "100000000004", 1004, 10041),  # bank transfer, cancel
    ],
)
def test_orders_paid_by_transfer_or_on_delivery_ask_for_iban_and_holder(
    shopper, email, number, order_id, item_id
):
    shopper.lookup(email, number)
    form = shopper.item_page(order_id, item_id).select_one(f"#item-{item_id}-form")
    for name in ("iban", "holder_name"):
        assert form.select_one(f'input[name="item-{item_id}-{name}"]') is not None


def test_quantity_starts_at_one_up_to_what_is_left(ben):
    form = ben.item_page(1002, 10022).select_one("#item-10022-form")
    quantity = form.select_one('input[name="item-10022-quantity"]')
    assert (quantity["value"], quantity["min"], quantity["max"]) == ("1", "1", "4")


@pytest.mark.parametrize("path", ["/orders/1002/items/10021/requests/", "/orders/1002/bulk/"])
def test_every_form_control_has_a_label(ben, path):
    page = soup(ben.get(path))
    for control in page.select("form select, form textarea, form input"):
        if control.get("type") == "hidden":
            continue
        assert page.select_one(f'label[for="{control["id"]}"]'), control


@pytest.mark.parametrize(
    "path", ["/orders/1002/", "/orders/1002/items/10021/requests/", "/orders/1002/bulk/"]
)
def test_ids_on_the_page_are_unique(ben, path):
    page = soup(ben.get(path))
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids))


def test_forgetting_an_order_removes_it_from_this_browser(ben: Shopper):
    page = ben.order_page(1002)
    response = ben.submit(page, "form[action='/orders/1002/forget/']")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/")
    landing = soup(ben.get("/"))
    assert "removed from this browser" in landing.select_one(".flashes").get_text()
    assert ben.get("/orders/1002/").status_code == 404


def test_forgetting_needs_the_pages_security_check_and_says_to_reload_in_plain_words(ben):
    response = ben.client.post("/orders/1002/forget/")
    assert response.status_code == 400
    text = soup(response).get_text(" ", strip=True)
    assert "Go back, reload it and try again." in text
    assert "CSRF" not in text and "token" not in text.lower()
    assert ben.get("/orders/1002/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/orders/1002/", "/orders/1002/items/10021/requests/", "/orders/1002/bulk/"]
)
def test_the_page_has_no_inline_script_or_style(ben, path):
    page = soup(ben.get(path))
    assert page.select("[style]") == []
    assert page.select("style") == []
    assert all(script.get("src") for script in page.select("script"))
