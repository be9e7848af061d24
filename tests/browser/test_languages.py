"""The order page in Arabic (right to left, mirrored) and Turkish, in real headless Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import check_accessibility, save_screenshot

pytestmark = pytest.mark.browser

LANGUAGES = {
    # language: (dir, the order page's heading, the return form's button)
    "ar": ("rtl", "الطلب 100000000008", "تقديم طلب الإرجاع"),
    "tr": ("ltr", "Sipariş 100000000008", "İade talebini gönder"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_order_page_is_translated_mirrored_and_accessible(
    live_server, demo_data, open_context, language
):
    direction, heading, button = LANGUAGES[language]
    page = open_context("desktop").new_page()

    page.goto(f"{live_server}/?lang={language}")  # the switcher's link; remembered
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("#email").fill("hakan@example.com")
    page.locator("#order").fill("100000000008")
    page.locator("#find-order").click()

    expect(page).to_have_url(re.compile(r"/orders/1008/$"))
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", direction)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)

    # Mirrored layout: the summary column sits at the inline end (left in Arabic).
    main = page.locator(".order-layout__main").bounding_box()
    side = page.locator(".order-layout__side").bounding_box()
    assert (side["x"] < main["x"]) == (direction == "rtl")
    assert page.evaluate("() => getComputedStyle(document.body).direction") == direction

    check_accessibility(page)
    save_screenshot(page, f"order-{language}")
    page.locator("#item-10081 .item__action a").click()
    expect(page.locator("html")).to_have_attribute("dir", direction)
    form = page.locator("#item-10081-form")
    expect(form.get_by_role("button", name=button)).to_be_visible()
    check_accessibility(page)
