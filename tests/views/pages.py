"""Helpers for page tests: parsing pages and filling forms as a browser would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup, Tag

VALID_IBAN = "TR330006100519786457841326"
TYPED_IBAN = "TR33 0006 1005 1978 6457 8413 26"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def form_values(form: Tag) -> dict[str, str]:
    """What a browser would send for this form as it stands (checked boxes, selected options)."""
    values: dict[str, str] = {}
    for control in form.select("input, select, textarea"):
        name = control.get("name")
        if not name or control.has_attr("disabled"):
            continue
        if control.name == "input":
            kind = control.get("type", "text")
            if kind in ("checkbox", "radio"):
                if control.has_attr("checked"):
                    values[name] = control.get("value", "on")
            elif kind not in ("submit", "button"):
                values[name] = control.get("value", "")
        elif control.name == "select":
            option = control.find("option", selected=True) or control.find("option")
            values[name] = option.get("value", option.get_text()) if option else ""
        else:
            values[name] = textarea_value(control)
    return values


def textarea_value(textarea: Tag) -> str:
    """As a browser reads it: HTML drops one newline right after ``<textarea>``."""
    text = textarea.get_text()
    for newline in ("\r\n", "\n"):
        if text.startswith(newline):
            return text[len(newline) :]
    return text


def pickup_day(days: int = 2) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


class Shopper:
    """A browser-like client: it reads forms from pages and posts them back."""

    def __init__(self, client):
        self.client = client

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def lookup(self, email: str, number: str):
        page = soup(self.client.get("/"))
        return self.submit(page, "#lookup-form", {"email": email, "order": number})

    def submit(self, page: BeautifulSoup, selector: str, changes: dict | None = None,
               prefix: str = "", drop: tuple[str, ...] = ()):  # fmt: skip
        """Post the form found by ``selector`` with some fields changed (None unchecks)."""
        form = page.select_one(selector)
        assert form is not None, f"no form {selector}"
        values = form_values(form)
        for key, value in (changes or {}).items():
            if value is None:
                values.pop(prefix + key, None)
            else:
                values[prefix + key] = value
        for name in drop:
            values.pop(name, None)
        return self.client.post(form["action"], data=values)

    def order_page(self, order_id: int) -> BeautifulSoup:
        response = self.client.get(f"/orders/{order_id}/")
        assert response.status_code == 200
        return soup(response)

    def item_page(self, order_id: int, item_id: int) -> BeautifulSoup:
        """The request page of one item, reached from its link on the order page."""
        response = self.client.get(f"/orders/{order_id}/items/{item_id}/requests/")
        assert response.status_code == 200
        return soup(response)

    def bulk_page(self, order_id: int) -> BeautifulSoup:
        response = self.client.get(f"/orders/{order_id}/bulk/")
        assert response.status_code == 200
        return soup(response)

    def request_item(self, order_id: int, item_id: int, changes: dict):
        page = self.item_page(order_id, item_id)
        return self.submit(page, f"#item-{item_id}-form", changes, prefix=f"item-{item_id}-")


def refund_with_pickup(quantity: str = "1", **extra: str) -> dict[str, str]:
    return {
        "quantity": quantity,
        "reason": "3",
        "description": "Too small",
        "shipping_company": "1",
        "pickup_address": "1002",
        "pickup_date": pickup_day(),
        "pickup_hours": "12:00-16:00",
        "iban": TYPED_IBAN,
        "holder_name": "Ben Demir",
        **extra,
    }
