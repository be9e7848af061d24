"""Shoppers finish what they came for: money and dates shown, why an item can not be asked for
and what to do instead, the return address, forms that survive an expired session, a
forgiving lookup, and messages that say what to do."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import format_date

from webapp.clock import utcnow
from webapp.extensions import db
from webapp.models import CancellationRequest, Order

from .pages import (
    TYPED_IBAN,
    VALID_IBAN,
    Shopper,
    form_values,
    pickup_day,
    refund_with_pickup,
    soup,
)


def requests_in_database() -> list[CancellationRequest]:
    db.session.expire_all()
    return list(db.session.query(CancellationRequest).order_by(CancellationRequest.id))


def facts(article) -> dict[str, str]:
    return {
        row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
        for row in article.select("dl.facts > .facts__row")
    }


# --- money and dates ------------------------------------------------------------------------


def test_the_form_shows_what_comes_back_for_each_quantity(ben):
    page = ben.item_page(1002, 10021)  # linen shirt, 2 × 54.99, no discount
    output = page.select_one("#item-10021-form output.amount-back__value")
    assert output.get_text(strip=True) == "₺54.99"
    assert output["data-amounts"].split("|") == ["₺54.99", "₺109.98"]
    assert output["for"] == ["item-10021-quantity"]


def test_the_confirmation_says_how_much_comes_back_and_where(ben):
    response = ben.request_item(1002, 10021, refund_with_pickup(quantity="2"))
    assert response.status_code == 303
    page = soup(ben.get(response.headers["Location"]))
    assert "We refund ₺109.98 to your bank account ending in 1326." in page.get_text(
        " ", strip=True
    )


def test_a_refundable_item_says_until_when_it_can_be_returned(app, ben):
    page = ben.order_page(1002)
    delivered = db.session.get(Order, 1002).items[0].delivered_date
    with app.test_request_context():
        expected = format_date(delivered + timedelta(days=14), "long")
    assert facts(page.select_one("#item-10021"))["Return by"] == expected


def test_an_item_out_of_its_window_says_when_it_closed_and_what_to_do(app, shopper):
    shopper.lookup("eda@example.com", "100000000005")
    page = shopper.order_page(1005)
    delivered = db.session.get(Order, 1005).items[0].delivered_date
    with app.test_request_context():
        closed = format_date(delivered + timedelta(days=14), "long")
    why = page.select_one("#item-10051 .note--why").get_text(" ", strip=True)
    assert why == (
        f"The return window for this item closed on {closed}. "
        "If something is wrong with it, write to us and we will help. help@example.com"
    )
    assert page.select_one('#item-10051 .note--why a[href="mailto:help@example.com"]')
    assert "Left to cancel or return" not in facts(page.select_one("#item-10051"))


def test_a_cancelled_item_says_so_and_shows_nothing_left_to_cancel(shopper):
    shopper.lookup("gul@example.com", "100000000007")
    item = shopper.order_page(1007).select_one("#item-10071")
    assert item.select_one(".note--why").get_text(" ", strip=True) == "This item was cancelled."
    assert "Left to cancel or return" not in facts(item)


def test_after_cancelling_part_of_an_item_the_rest_says_why_it_waits(shopper):
    shopper.lookup("ada@example.com", "100000000001")
    sent = shopper.request_item(1001, 10011, {"quantity": "1", "reason": "1"})
    assert sent.status_code == 303
    mugs = shopper.order_page(1001).select_one("#item-10011")
    assert "Left to cancel or return" not in facts(mugs)
    assert mugs.select_one(".note--why").get_text(" ", strip=True) == (
        "We are working on your request for this item. "
        "You can ask for the rest once we have answered this request."
    )


# --- sending it back yourself ---------------------------------------------------------------


def test_the_return_form_shows_the_address_to_send_it_to(ben):
    form = ben.item_page(1002, 10021).select_one("#item-10021-form")
    address = form.select_one("[data-self-send] address").get_text("|", strip=True)
    assert address == "Returns department|Moda Cd. 1|Kadikoy|Istanbul 34710|Türkiye"


def test_the_return_address_follows_the_languages_address_order(ben):
    page = soup(ben.get("/orders/1002/items/10021/requests/?lang=tr"))
    address = page.select_one("[data-self-send] address").get_text("|", strip=True)
    assert address == "Returns department|Moda Cd. 1|34710 Kadikoy/Istanbul|Türkiye"


def test_a_self_sent_return_is_told_where_to_send_it_on_the_confirmation_and_order(irem):
    sent = irem.request_item(1009, 10091, {"quantity": "1", "reason": "3"})
    assert sent.status_code == 303
    confirmation = soup(irem.get(sent.headers["Location"])).get_text(" ", strip=True)
    assert "to this address: Returns department Moda Cd. 1 Kadikoy Istanbul 34710 Türkiye" in (
        confirmation
    )
    request = irem.order_page(1009).select_one("#item-10091 .request")
    assert facts(request)["Send it to"].startswith("Returns department, Moda Cd. 1")


# --- no lost work ---------------------------------------------------------------------------


def forget_orders(shopper: Shopper) -> None:
    """As when the order's time in the session ran out."""
    with shopper.client.session_transaction() as session:
        session["orders"] = {}


def test_a_form_sent_after_the_session_expired_keeps_what_was_typed_and_sends_after_confirming(
    ben,
):
    page = ben.item_page(1002, 10021)
    forget_orders(ben)
    typed = refund_with_pickup(description="Too small, sorry")
    asked = ben.submit(page, "#item-10021-form", typed, prefix="item-10021-")
    assert asked.status_code == 200
    confirm = soup(asked)
    assert confirm.h1.get_text(strip=True) == "Confirm your order"
    kept = form_values(confirm.select_one("#confirm-form"))
    assert kept["item-10021-iban"] == TYPED_IBAN
    assert kept["item-10021-description"] == "Too small, sorry"
    assert "Linen shirt" not in confirm.get_text()  # nothing of the order before the proof
    assert requests_in_database() == []

    sent = ben.submit(
        confirm,
        "#confirm-form",
        {"confirm-email": "ben@example.com", "confirm-order": "100000000002"},
    )
    assert sent.status_code == 303
    [created] = requests_in_database()
    assert (created.iban, created.description) == (VALID_IBAN, "Too small, sorry")


def test_a_wrong_confirmation_keeps_what_was_typed_and_says_the_uniform_miss(ben):
    page = ben.item_page(1002, 10021)
    forget_orders(ben)
    asked = soup(ben.submit(page, "#item-10021-form", refund_with_pickup(), prefix="item-10021-"))
    again = ben.submit(
        asked,
        "#confirm-form",
        {"confirm-email": "ben@example.com", "confirm-order": "100000000009"},
    )
    assert again.status_code == 400
    page = soup(again)
    assert "No order was found with this email and order number." in page.get_text()
    assert form_values(page.select_one("#confirm-form"))["item-10021-iban"] == TYPED_IBAN
    assert requests_in_database() == []


def test_a_form_whose_pages_check_ran_out_asks_to_confirm_and_never_says_csrf_or_token(ben):
    page = ben.item_page(1002, 10021)
    values = form_values(page.select_one("#item-10021-form"))
    values.update({f"item-10021-{k}": v for k, v in refund_with_pickup().items()})
    values["item-10021-csrf_token"] = "expired"
    asked = ben.client.post("/orders/1002/items/10021/requests/", data=values)
    assert asked.status_code == 200
    text = soup(asked).get_text(" ", strip=True)
    assert "Confirm your order" in text
    assert "CSRF" not in text and "token" not in text.lower()
    sent = ben.submit(
        soup(asked),
        "#confirm-form",
        {"confirm-email": "ben@example.com", "confirm-order": "100000000002"},
    )
    assert sent.status_code == 303
    assert len(requests_in_database()) == 1


# --- a forgiving lookup ---------------------------------------------------------------------


def test_order_numbers_with_hash_spaces_or_dashes_and_emails_in_any_case_are_found(shopper):
    for email, number in [
        ("  BEN@Example.com ", "#100000000002"),
        ("ben@example.com", "1000 0000 0002"),
        ("Ben@example.com", "1000-0000-0002"),
    ]:
        response = shopper.lookup(email, number)
        assert response.status_code == 303, (email, number)
        assert response.headers["Location"].endswith("/orders/1002/")


def test_a_miss_says_where_the_number_is_and_who_helps(make_app, demo):
    shopper = Shopper(make_app(SIGN_IN_URL="https://shop.test/account/").test_client())
    response = shopper.lookup("ben@example.com", "100000000003")
    assert response.status_code == 404
    help_box = soup(response).select_one("#lookup-help")
    text = help_box.get_text(" ", strip=True)
    assert "in your order confirmation email and on your invoice" in text
    assert help_box.select_one('a[href="mailto:help@example.com"]') is not None
    assert help_box.select_one('a[href="https://shop.test/account/"]') is not None


def test_without_a_sign_in_address_no_sign_in_link_is_offered(shopper):
    response = shopper.lookup("ben@example.com", "100000000003")
    assert soup(response).select_one("#lookup-help a[href^='http']") is None


# --- messages as instructions ---------------------------------------------------------------


def test_a_pickup_day_without_a_time_asks_for_the_time_next_to_the_time(ben):
    response = ben.request_item(1002, 10021, refund_with_pickup(pickup_hours=""))
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id="item-10021-pickup_hours-error").get_text(strip=True) == (
        "Choose a pickup time."
    )
    assert page.find(id="item-10021-pickup_date-error") is None
    summary = [a.get_text(strip=True) for a in page.select("#error-summary a")]
    assert summary == ["Pickup time: Choose a pickup time."]


def test_a_missing_reason_is_named_in_the_summary(ben):
    response = ben.request_item(1002, 10021, refund_with_pickup(reason=""))
    page = soup(response)
    assert page.find(id="item-10021-reason-error").get_text(strip=True) == "Choose a reason."
    assert [a.get_text(strip=True) for a in page.select("#error-summary a")] == [
        "Reason: Choose a reason."
    ]


def test_returning_an_item_that_has_not_shipped_says_to_cancel_it_instead(api, build, reason):
    order = build.order(items=[(450, 1)])
    body = {"email": order.user.email, "order": order.number, "order_item": order.items[0].id,
            "reason": reason.id, "cancellation_type": "refund"}  # fmt: skip
    answer = api.cancel(body)
    assert answer.status_code == 400
    assert answer.get_json() == {
        "non_field_errors": "This item has not shipped yet: cancel it instead.",
        "error_code": "cancellation_request_100_3",
    }


def test_cancelling_a_delivered_item_says_to_return_it_instead(api, build, reason):
    order = build.order(items=[(550, 1)], delivered_days_ago=1)
    body = {"email": order.user.email, "order": order.number, "order_item": order.items[0].id,
            "reason": reason.id, "cancellation_type": "cancel"}  # fmt: skip
    assert api.cancel(body).get_json()["non_field_errors"] == (
        "This item was delivered: return it instead."
    )


def test_a_return_after_the_window_says_when_it_closed(app, api, build, reason):
    order = build.order(items=[(550, 1)], delivered_days_ago=20)
    body = {"email": order.user.email, "order": order.number, "order_item": order.items[0].id,
            "reason": reason.id, "cancellation_type": "refund"}  # fmt: skip
    with app.test_request_context():
        closed = format_date(order.delivered_date + timedelta(days=14), "long")
    assert api.cancel(body).get_json()["non_field_errors"] == (
        f"The return window for this item closed on {closed}."
    )
    assert utcnow() - order.delivered_date > timedelta(days=14)


def test_the_pickup_block_is_marked_for_showing_only_with_a_carrier(ben):
    form = ben.item_page(1002, 10021).select_one("#item-10021-form")
    pickup = form.select_one("[data-pickup-fields]")
    assert pickup.select_one('select[name="item-10021-pickup_address"]') is not None
    assert form.select_one("[data-self-send]") is not None
    assert pickup_day()  # the day helper of the form tests
