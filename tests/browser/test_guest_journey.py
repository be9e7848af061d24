"""A guest in real headless Chromium: look up, return an item, see the code, try again."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from .conftest import check_accessibility, save_screenshot

pytestmark = pytest.mark.browser

ACTIVE = "This item already has an active cancellation request."


def look_up(page: Page, base: str, email: str, number: str) -> None:
    page.goto(base + "/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Order number").fill(number)
    page.get_by_role("button", name="Find my order").click()


def open_request_form(page: Page, item_id: int) -> None:
    """From the order page, the item's link to its request form."""
    page.locator(f"#item-{item_id} .item__action a").click()
    expect(page).to_have_url(re.compile(rf"/items/{item_id}/requests/$"))


def fill_refund_with_pickup(page: Page) -> None:
    """Fill the lamp's return form (paid on delivery): pickup, IBAN and holder."""
    form = page.locator("#item-10031-form")
    form.get_by_label("Quantity").fill("1")
    form.get_by_label("Reason").select_option(label="Wrong size")
    form.get_by_label("Anything else we should know?").fill("Too small for me.")
    form.get_by_label("Return with").select_option(label="Extension Cargo")
    form.get_by_label("Pickup address").select_option(value="1003")
    pickup = datetime.now(UTC).date() + timedelta(days=2)
    form.get_by_label("Pickup date").fill(pickup.isoformat())
    form.get_by_label("Pickup time").select_option(value="12:00-16:00")
    form.get_by_label("IBAN", exact=True).fill("TR33 0006 1005 1978 6457 8413 26")
    form.get_by_label("Account holder's name").fill("Cem Demir")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_guest_returns_an_item_with_pickup_and_iban_and_cannot_do_it_twice(
    live_server, demo_data, open_context, viewport
):
    context = open_context(viewport)
    page = context.new_page()

    page.goto(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find your order")
    check_accessibility(page)
    save_screenshot(page, f"lookup-{viewport}")

    look_up(page, live_server, "cem@example.com", "100000000003")
    expect(page).to_have_url(re.compile(r"/orders/1003/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("100000000003")
    check_accessibility(page)

    save_screenshot(page, f"order-{viewport}")

    # The same form in a second tab, still open when the first tab has sent it.
    open_request_form(page, 10031)
    second = context.new_page()
    second.goto(page.url)

    fill_refund_with_pickup(page)
    check_accessibility(page)
    save_screenshot(page, f"request-{viewport}")
    page.get_by_role("button", name="Request the return").click()

    expect(page).to_have_url(re.compile(r"/orders/1003/confirmation/$"))
    code_box = page.locator(".easy-return__code code")
    expect(code_box).to_be_visible()
    code = code_box.inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{8}", code)
    expect(page.locator(".flashes")).to_contain_text("Your request was sent.")
    expect(page.locator(".flashes")).not_to_contain_text("1326")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.locator(".next-steps")).to_contain_text("12:00")
    check_accessibility(page)
    save_screenshot(page, f"confirmation-{viewport}")

    page.get_by_role("link", name="Back to your order").click()
    lamp = page.locator("#item-10031")
    expect(lamp.locator(".request .badge")).to_have_text("Open")
    expect(lamp.locator(".code-chip")).to_have_text(code)
    expect(lamp.locator(".iban")).to_have_text(re.compile(r"^\*+1326$"))
    expect(lamp.locator(".item__action a")).to_have_count(0)
    expect(lamp).to_contain_text("We are working on your request")
    check_accessibility(page)

    fill_refund_with_pickup(second)
    second.get_by_role("button", name="Request the return").click()
    summary = second.locator("#error-summary")
    expect(summary).to_contain_text(ACTIVE)
    expect(summary).to_be_focused()
    expect(second.locator("#item-10031-errors")).to_contain_text(ACTIVE)
    check_accessibility(second)


def test_errors_are_shown_next_to_their_fields_and_the_page_stays_accessible(
    live_server, demo_data, open_context
):
    page = open_context("phone").new_page()
    look_up(page, live_server, "nobody@example.com", "100000000002")
    expect(page.locator("#error-summary")).to_contain_text("No order was found")
    expect(page.get_by_label("Email address")).to_have_value("nobody@example.com")
    check_accessibility(page)

    look_up(page, live_server, "ben@example.com", "100000000002")
    open_request_form(page, 10021)
    form = page.locator("#item-10021-form")
    form.get_by_label("Quantity").fill("7")
    form.get_by_role("button", name="Request the return").click()
    expect(page.locator("#item-10021-reason-error")).to_contain_text("Choose a reason.")
    expect(page.locator("#error-summary")).to_contain_text("Reason: Choose a reason.")
    quantity = page.locator("#item-10021-quantity")
    expect(quantity).to_have_value("7")
    check_accessibility(page)
    form.get_by_label("Reason").select_option(label="Wrong size")
    form.get_by_role("button", name="Request the return").click()
    expect(quantity).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#item-10021-quantity-error")).to_contain_text("can not be greater")
    check_accessibility(page)

    page.goto(live_server + "/orders/999999/")
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that")
    check_accessibility(page)


def test_the_several_items_form_shows_each_field_as_it_applies(
    live_server, demo_data, open_context
):
    page = open_context().new_page()
    look_up(page, live_server, "hakan@example.com", "100000000008")
    page.get_by_role("link", name="Cancel or return several items").click()
    bulk = page.locator("#bulk-form")
    chair = bulk.locator("[data-bulk-row]").filter(has_text="Oak chair")
    cushion = bulk.locator("[data-bulk-row]").filter(has_text="Seat cushion")
    carrier = bulk.get_by_label("Return with")
    iban = bulk.get_by_label("IBAN", exact=True)
    expect(chair.get_by_label("Reason")).to_be_hidden()  # nothing chosen yet
    expect(carrier).to_be_hidden()
    cushion.get_by_label("Seat cushion").check()  # a cancel: nothing goes back
    expect(cushion.get_by_label("Reason")).to_be_visible()
    expect(carrier).to_be_hidden()
    expect(iban).to_be_hidden()  # paid on delivery: a cancel needs no bank account
    chair.get_by_label("Oak chair").check()  # a return
    expect(carrier).to_be_visible()
    expect(iban).to_be_visible()
    address = bulk.locator("[data-self-send]")
    pickup = bulk.get_by_label("Pickup date")
    expect(address).to_be_visible()  # no carrier: sent by the shopper
    expect(pickup).to_be_hidden()
    carrier.select_option(label="Extension Cargo")
    expect(pickup).to_be_visible()
    expect(address).to_be_hidden()
    bulk.get_by_label("Refund as loyalty money instead").check()
    expect(iban).to_be_hidden()
    chair.get_by_label("Quantity").fill("2")
    expect(chair.locator("output")).to_have_text("₺240.00")
    check_accessibility(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_mixed_order_returns_one_item_and_cancels_another_on_a_phone(
    live_server, demo_data, open_context, javascript
):
    page = open_context("phone", javascript=javascript).new_page()
    look_up(page, live_server, "hakan@example.com", "100000000008")
    page.get_by_role("link", name="Cancel or return several items").click()
    bulk = page.locator("#bulk-form")
    chair = bulk.locator("[data-bulk-row]").filter(has_text="Oak chair")
    cushion = bulk.locator("[data-bulk-row]").filter(has_text="Seat cushion")
    chair.get_by_label("Oak chair").check()
    chair.get_by_label("Reason").select_option(label="Wrong size")
    cushion.get_by_label("Seat cushion").check()
    cushion.get_by_label("Reason").select_option(label="I changed my mind")
    cushion.get_by_label("Quantity").fill("2")
    bulk.get_by_label("IBAN", exact=True).fill("TR33 0006 1005 1978 6457 8413 26")
    bulk.get_by_label("Account holder's name").fill("Hakan Demir")
    if javascript:  # axe runs as a script in the page
        check_accessibility(page)
        save_screenshot(page, "bulk-phone")
    bulk.get_by_role("button", name="Send requests").click()

    expect(page).to_have_url(re.compile(r"/orders/1008/confirmation/$"))
    expect(page.locator(".flashes")).to_contain_text("Your 2 requests were sent.")
    receipts = page.locator(".receipt")
    expect(receipts).to_have_count(2)
    expect(receipts.nth(0)).to_contain_text(
        "We refund ₺120.00 to your bank account ending in 1326."
    )
    expect(receipts.nth(0)).to_contain_text("Returns department")  # sent by the shopper
    expect(receipts.nth(1)).to_contain_text("nothing to refund")
    if javascript:
        check_accessibility(page)


def test_an_expired_session_keeps_the_typed_iban_and_sends_after_confirming(
    live_server, demo_data, open_context
):
    context = open_context("phone")
    page = context.new_page()
    look_up(page, live_server, "cem@example.com", "100000000003")
    open_request_form(page, 10031)
    form = page.locator("#item-10031-form")
    form.get_by_label("Reason").select_option(label="Wrong size")
    form.get_by_label("IBAN", exact=True).fill("TR33 0006 1005 1978 6457 8413 26")
    form.get_by_label("Account holder's name").fill("Cem Demir")
    context.clear_cookies()  # the session ran out while the shopper was typing
    form.get_by_role("button", name="Request the return").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your order")
    expect(page.locator("body")).not_to_contain_text("token")
    check_accessibility(page)
    page.get_by_label("Email address").fill("cem@example.com")
    page.get_by_label("Order number").fill("1000 0000 0003")
    page.get_by_role("button", name="Confirm and send my request").click()

    expect(page).to_have_url(re.compile(r"/orders/1003/confirmation/$"))
    expect(page.locator(".next-steps")).to_contain_text("bank account ending in 1326")


def test_everything_works_without_javascript(live_server, demo_data, open_context):
    page = open_context("phone", javascript=False).new_page()
    look_up(page, live_server, "ada@example.com", "100000000001")
    open_request_form(page, 10011)
    form = page.locator("#item-10011-form")
    form.get_by_label("Reason").select_option(label="I changed my mind")
    form.get_by_role("button", name="Request the cancellation").click()
    expect(page).to_have_url(re.compile(r"/orders/1001/confirmation/$"))
    expect(page.locator(".next-steps")).to_contain_text("We stop preparing this item")
    expect(page.locator("button[data-copy-target]")).to_have_count(0)

    page.goto(live_server + "/orders/1001/")
    page.get_by_role("button", name="Forget this order").click()
    expect(page.locator(".flashes")).to_contain_text("removed from this browser")
    page.goto(live_server + "/orders/1001/")
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that")
