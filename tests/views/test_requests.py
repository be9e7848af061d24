"""Asking to cancel or return one item: PRG, errors next to fields, the confirmation page."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from webapp.extensions import db
from webapp.models import CancellationRequest

from .pages import (
    TYPED_IBAN,
    VALID_IBAN,
    form_values,
    refund_with_pickup,
    soup,
    textarea_value,
)

ACTIVE = "This item already has an active cancellation request."


def requests_in_database() -> list[CancellationRequest]:
    db.session.expire_all()
    return list(db.session.query(CancellationRequest).order_by(CancellationRequest.id))


def session_contents(client) -> str:
    with client.session_transaction() as stored:
        return json.dumps(dict(stored), default=str)


def test_a_refund_with_pickup_and_iban_redirects_to_its_confirmation(ben):
    response = ben.request_item(1002, 10021, refund_with_pickup())
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == "/orders/1002/confirmation/"
    [created] = requests_in_database()
    assert (created.order_item_id, created.quantity, created.cancellation_type) == (
        10021,
        1,
        "refund",
    )
    assert created.iban == VALID_IBAN
    assert (created.pickup_address_id, created.pickup_hour_start) == (1002, "12:00")

    page = soup(ben.get(response.headers["Location"]))
    code = page.select_one(".easy-return__code code").get_text(strip=True)
    assert code == created.easy_return.code
    assert page.select_one("button[data-copy-target]") is not None
    assert "Your request was sent." in page.select_one(".flashes").get_text()
    assert "What happens next" in page.get_text()
    text = page.get_text(" ", strip=True)
    assert "1326" in text and VALID_IBAN not in text and TYPED_IBAN not in text


def test_the_iban_is_never_kept_in_a_flash_message_or_the_session(ben):
    response = ben.request_item(1002, 10021, refund_with_pickup())
    stored = session_contents(ben.client)
    assert "_flashes" in stored
    assert "1326" not in stored and "TR33" not in stored
    page = soup(ben.get(response.headers["Location"]))
    assert "1326" not in page.select_one(".flashes").get_text()


def test_the_order_page_shows_the_items_request_with_its_code_and_a_masked_iban(ben):
    ben.request_item(1002, 10021, refund_with_pickup())
    [created] = requests_in_database()
    shirt = ben.order_page(1002).select_one("#item-10021")
    request = shirt.select_one(".request-list .request")
    assert request.select_one(".badge").get_text(strip=True) == "Open"
    assert request.select_one(".code-chip").get_text(strip=True) == created.easy_return.code
    assert request.select_one(".iban").get_text(strip=True) == "*" * 22 + "1326"
    assert shirt.select_one('a[href$="/items/10021/requests/"]') is None  # no new request
    assert "working on your request" in shirt.get_text()


def test_the_confirmation_page_without_a_fresh_request_goes_to_the_order_page(ben):
    response = ben.get("/orders/1002/confirmation/")
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == "/orders/1002/"


def test_service_errors_appear_next_to_their_fields_and_the_form_keeps_what_was_typed(ben):
    response = ben.request_item(
        1002, 10021, refund_with_pickup(quantity="9", description="Please hurry")
    )
    assert response.status_code == 400
    assert requests_in_database() == []
    page = soup(response)
    quantity = page.select_one('input[name="item-10021-quantity"]')
    assert quantity["value"] == "9"
    assert quantity["aria-invalid"] == "true"
    assert "item-10021-quantity-error" in quantity["aria-describedby"].split()
    error = page.find(id="item-10021-quantity-error").get_text()
    assert "Quantity can not be greater than order item quantity." in error
    form = page.select_one("#item-10021-form")
    values = form_values(form)
    assert values["item-10021-description"] == "Please hurry"
    assert values["item-10021-iban"] == TYPED_IBAN
    assert values["item-10021-pickup_hours"] == "12:00-16:00"
    assert values["item-10021-reason"] == "3"
    summary_links = [a["href"] for a in page.select("#error-summary a")]
    assert summary_links == ["#item-10021-quantity"]


def test_a_script_in_the_description_is_escaped(ben):
    attack = "<script>alert('x')</script>"
    failed = ben.request_item(1002, 10021, refund_with_pickup(quantity="9", description=attack))
    html = failed.get_data(as_text=True)
    assert attack not in html
    assert "&lt;script&gt;" in html
    textarea = soup(failed).select_one("textarea[name='item-10021-description']")
    assert textarea_value(textarea) == attack

    done = ben.request_item(1002, 10021, refund_with_pickup(description=attack))
    for path in (done.headers["Location"], "/orders/1002/"):
        html = ben.get(path).get_data(as_text=True)
        assert attack not in html
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_a_second_request_for_the_same_item_gets_the_one_active_request_error(ben):
    first_tab, second_tab = ben.item_page(1002, 10021), ben.item_page(1002, 10021)
    changes = refund_with_pickup()
    first = ben.submit(first_tab, "#item-10021-form", changes, prefix="item-10021-")
    assert first.status_code == 303
    second = ben.submit(second_tab, "#item-10021-form", changes, prefix="item-10021-")
    assert second.status_code == 400
    again = soup(second)
    assert ACTIVE in again.select_one("#error-summary").get_text()
    assert ACTIVE in again.select_one("#item-10021-errors").get_text()
    assert len(requests_in_database()) == 1


def test_a_pickup_without_an_address_shows_the_error_next_to_the_pickup_address(ben):
    response = ben.request_item(1002, 10021, refund_with_pickup(pickup_address=""))
    assert response.status_code == 400
    page = soup(response)
    error = page.find(id="item-10021-pickup_address-error")
    assert "Pickup address is required." in error.get_text()


def test_a_pickup_date_outside_the_window_is_reported_on_the_date(ben):
    response = ben.request_item(1002, 10021, refund_with_pickup(pickup_date="2001-01-01"))
    assert response.status_code == 400
    error = soup(response).find(id="item-10021-pickup_date-error")
    assert "Choose a pickup date from" in error.get_text()


CHECK_DIGITS = "The IBAN's check digits do not match: check for a typo."
LENGTH = "This IBAN has too many or too few characters for its country: check it again."
SHAPE = "An IBAN starts with the country's two letters and two check digits: check it again."


@pytest.mark.parametrize(
    ("iban", "message"),
    [
        ("TR33 0006 1005 1978 6457 8413 27", CHECK_DIGITS),
        ("TR00 1234", LENGTH),
        ("my bank account", SHAPE),
    ],
)
def test_an_invalid_iban_is_told_what_is_wrong_next_to_the_iban_field(ben, iban, message):
    response = ben.request_item(1002, 10021, refund_with_pickup(iban=iban))
    page = soup(response)
    assert page.find(id="item-10021-iban-error").get_text(strip=True) == message
    assert page.select_one('input[name="item-10021-iban"]')["value"] == iban
    assert f"IBAN: {message}" in page.select_one("#error-summary").get_text(" ", strip=True)


def test_a_pay_on_delivery_refund_without_an_iban_asks_for_one_next_to_the_iban_field(shopper):
    shopper.lookup("cem@example.com", "100000000003")
    response = shopper.request_item(1003, 10031, {"reason": "4"})
    assert response.status_code == 400
    error = soup(response).find(id="item-10031-iban-error").get_text()
    assert "IBAN" in error

    fixed = shopper.request_item(
        1003, 10031, {"reason": "4", "iban": TYPED_IBAN, "holder_name": "Cem Demir"}
    )
    assert fixed.status_code == 303


def test_loyalty_money_needs_no_iban(shopper):
    shopper.lookup("cem@example.com", "100000000003")
    response = shopper.request_item(
        1003, 10031, {"reason": "4", "fully_refund_as_loyalty_money": "y"}
    )
    assert response.status_code == 303
    [created] = requests_in_database()
    assert created.fully_refund_as_loyalty_money is True
    page = soup(shopper.get(response.headers["Location"]))
    assert "loyalty money" in page.select_one(".next-steps").get_text()


def test_a_cancellation_of_a_preparing_item_is_confirmed(shopper):
    shopper.lookup("ada@example.com", "100000000001")
    response = shopper.request_item(1001, 10011, {"reason": "1", "quantity": "2"})
    assert response.status_code == 303
    page = soup(shopper.get(response.headers["Location"]))
    assert page.select_one(".easy-return") is None
    assert "We stop preparing this item" in page.get_text()
    [created] = requests_in_database()
    assert (created.cancellation_type, created.quantity) == ("cancel", 2)


def test_a_missing_reason_is_reported_on_the_reason_field(shopper):
    shopper.lookup("ada@example.com", "100000000001")
    response = shopper.request_item(1001, 10011, {"reason": ""})
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id="item-10011-reason-error") is not None
    assert page.select_one('select[name="item-10011-reason"]')["aria-invalid"] == "true"


def test_a_request_without_the_pages_check_asks_for_the_order_again_and_writes_nothing(ben):
    page = ben.item_page(1002, 10021)
    values = form_values(page.select_one("#item-10021-form"))
    values.pop("item-10021-csrf_token")
    values["item-10021-reason"] = "3"
    response = ben.client.post("/orders/1002/items/10021/requests/", data=values)
    assert response.status_code == 200
    asked = soup(response)
    assert asked.h1.get_text(strip=True) == "Confirm your order"
    assert asked.select_one('input[name="confirm-email"]') is not None
    assert requests_in_database() == []


def test_an_item_of_another_order_gets_the_uniform_not_found_page(ben):
    page = ben.item_page(1002, 10021)
    values = form_values(page.select_one("#item-10021-form"))
    response = ben.client.post("/orders/1002/items/10011/requests/", data=values)
    assert response.status_code == 404
    assert requests_in_database() == []


def test_a_form_for_an_order_not_proven_asks_for_it_the_same_way_whether_it_exists_or_not(ben):
    page = ben.item_page(1002, 10021)
    values = form_values(page.select_one("#item-10021-form"))
    known = ben.client.post("/orders/1001/items/10011/requests/", data=values)
    unknown = ben.client.post("/orders/999999/items/9999991/requests/", data=values)
    assert known.status_code == unknown.status_code == 200
    for response in (known, unknown):
        asked = soup(response)
        assert asked.h1.get_text(strip=True) == "Confirm your order"
        assert "Ceramic mug" not in asked.get_text() and "ada@example.com" not in str(asked)
    assert requests_in_database() == []


def test_a_form_sent_twice_creates_one_request_and_shows_it_once(ben):
    page = ben.item_page(1002, 10021)  # a double click sends the same rendered form twice
    changes = refund_with_pickup()
    first = ben.submit(page, "#item-10021-form", changes, prefix="item-10021-")
    second = ben.submit(page, "#item-10021-form", changes, prefix="item-10021-")
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    [created] = requests_in_database()
    confirmation = soup(ben.get(second.headers["Location"]))
    codes = [c.get_text(strip=True) for c in confirmation.select(".easy-return__code code")]
    assert codes == [created.easy_return.code]
