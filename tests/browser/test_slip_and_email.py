"""The return slip printed to PDF in Chromium (one A4 and one US Letter page, the code on
it), and the confirmation email as a mail program shows its HTML part."""

from __future__ import annotations

import email
import io
import re
from email.policy import default

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from webapp.mail import FileMailer, deliver_due

from .conftest import check_accessibility, save_screenshot
from .test_guest_journey import look_up, open_request_form

pytestmark = pytest.mark.browser


def return_jacket_with_a_carrier(page, live_server) -> str:
    """Irem returns her rain jacket with Extension Cargo; the easy-return code."""
    look_up(page, live_server, "irem@example.com", "100000000009")
    open_request_form(page, 10091)
    form = page.locator("#item-10091-form")
    form.get_by_label("Reason").select_option(label="Wrong size")
    form.get_by_label("Return with").select_option(label="Extension Cargo")
    form.get_by_role("button", name="Request the return").click()
    expect(page).to_have_url(re.compile(r"/orders/1009/confirmation/$"))
    return page.locator(".easy-return__code code").inner_text().strip()


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_return_slip_prints_on_one_page_with_its_code(live_server, demo_data, open_context):
    page = open_context().new_page()
    code = return_jacket_with_a_carrier(page, live_server)
    page.get_by_role("link", name="Print the return slip").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Return slip")
    expect(page.locator(".slip__code")).to_have_text(code)
    for image in ("img.slip__qr", "img.slip__barcode"):  # loaded and drawn, not just fetched
        expect(page.locator(image)).to_have_js_property("complete", True)
        assert page.locator(image).evaluate("image => image.naturalWidth") > 0
    expect(page.locator("button[data-print]")).to_be_visible()
    check_accessibility(page)
    save_screenshot(page, "slip-desktop")
    for paper in ("A4", "Letter"):
        printed = pdf_pages(page.pdf(format=paper, print_background=True))
        assert len(printed) == 1, paper
        assert code in printed[0]
        assert "Order help" not in printed[0]  # the site's header is not printed


def test_the_confirmation_email_reads_well_in_a_browser(
    live_app, live_server, demo_data, open_context, tmp_path
):
    page = open_context().new_page()
    code = return_jacket_with_a_carrier(page, live_server)
    live_app.config["MAIL_DIRECTORY"] = str(tmp_path)
    assert deliver_due(live_app, FileMailer(tmp_path), echo=lambda line: None) == 1
    [written] = list(tmp_path.glob("*.eml"))
    message = email.message_from_bytes(written.read_bytes(), policy=default)
    reader = open_context().new_page()  # a page of its own: not under the site's CSP
    reader.set_content(message.get_body(preferencelist=("html",)).get_content())
    expect(reader.get_by_role("heading", level=1)).to_have_text(message["Subject"])
    expect(reader.locator("body")).to_contain_text(code)
    expect(reader.get_by_text("What happens next, and where your money goes.")).to_be_hidden()
    check_accessibility(reader)
    save_screenshot(reader, "email-desktop")
