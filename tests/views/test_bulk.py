"""The form for several items: each chosen item its own action, reason and quantity; how it
goes back and where the money goes asked once; all or nothing."""

from __future__ import annotations

from webapp.extensions import db
from webapp.models import CancellationRequest

from .pages import TYPED_IBAN, pickup_day, soup


def requests_in_database() -> list[CancellationRequest]:
    db.session.expire_all()
    return list(db.session.query(CancellationRequest).order_by(CancellationRequest.id))


def rows(page) -> dict[str, str]:
    """Order item id of each row, by row index."""
    form = page.select_one("#bulk-form")
    return {
        hidden["name"].split("-")[2]: hidden["value"]
        for hidden in form.select('input[type="hidden"][name$="-order_item"]')
    }


def row_index(page, item_id: str) -> str:
    return {item: index for index, item in rows(page).items()}[item_id]


def bulk_changes(page, chosen: dict[str, dict[str, str]], **shared: str) -> dict[str, str]:
    """Tick the rows of these item ids with their own fields (type, reason, quantity), and set
    the fields asked once."""
    changes: dict[str, str] = dict(shared)
    for index, item_id in rows(page).items():
        if item_id in chosen:
            changes[f"items-{index}-selected"] = "y"
            for name, value in chosen[item_id].items():
                changes[f"items-{index}-{name}"] = value
    return changes


def test_each_row_offers_only_what_its_item_allows_and_its_reasons(shopper):
    shopper.lookup("hakan@example.com", "100000000008")
    page = shopper.bulk_page(1008)
    assert sorted(rows(page).values()) == ["10081", "10083"]  # the shipped table has no row
    chair, cushion = row_index(page, "10081"), row_index(page, "10083")
    # one action each, already chosen (a hidden field): the chair is returned, the cushion cancelled
    assert (
        page.select_one(f'input[name="bulk-items-{chair}-cancellation_type"]')["value"] == "refund"
    )
    assert (
        page.select_one(f'input[name="bulk-items-{cushion}-cancellation_type"]')["value"]
        == "cancel"
    )
    chair_reasons = [
        o.get_text() for o in page.select(f'select[name="bulk-items-{chair}-reason"] option')
    ]
    cushion_reasons = [
        o.get_text() for o in page.select(f'select[name="bulk-items-{cushion}-reason"] option')
    ]
    assert chair_reasons == [
        "Choose a reason",
        "Wrong size",
        "Damaged or defective",
        "Not as described",
        "Found a better price",
        "Something else (tell us what)",
    ]
    assert cushion_reasons == [
        "Choose a reason",
        "I changed my mind",
        "Ordered by mistake",
        "Found a better price",
        "Something else (tell us what)",
    ]
    for checkbox in page.select('#bulk-form input[type="checkbox"][name$="-selected"]'):
        assert page.select_one(f'label[for="{checkbox["id"]}"]').get_text(strip=True)  # fmt: skip


def test_quantities_start_at_one(shopper):
    shopper.lookup("hakan@example.com", "100000000008")
    page = shopper.bulk_page(1008)
    quantities = page.select('#bulk-form input[name$="-quantity"]')
    assert [q["value"] for q in quantities] == ["1", "1"]
    assert [q["max"] for q in quantities] == ["2", "4"]


def test_a_mixed_order_returns_one_item_and_cancels_another_in_one_submission(shopper):
    shopper.lookup("hakan@example.com", "100000000008")
    page = shopper.bulk_page(1008)
    changes = bulk_changes(
        page,
        {"10081": {"reason": "3", "quantity": "1"}, "10083": {"reason": "1", "quantity": "2"}},
        shipping_company="1",
        iban=TYPED_IBAN,
        holder_name="Hakan Demir",
    )
    response = shopper.submit(page, "#bulk-form", changes, prefix="bulk-")
    assert response.status_code == 303, soup(response).select_one("#error-summary")
    created = requests_in_database()
    assert [(r.order_item_id, r.cancellation_type, r.reason_id, r.quantity) for r in created] == [
        (10081, "refund", 3, 1),
        (10083, "cancel", 1, 2),
    ]
    refund, cancel = created
    assert refund.shipping_company_id == 1 and cancel.shipping_company_id is None
    confirmation = soup(shopper.get(response.headers["Location"]))
    receipts = confirmation.select(".receipt")
    assert [r.select_one(".item__name").get_text(strip=True) for r in receipts] == [
        "Oak chair",
        "Seat cushion",
    ]
    text = confirmation.get_text(" ", strip=True)
    assert "We refund ₺120.00 to your bank account ending in 1326." in text
    assert "Paid on delivery: nothing was charged for it, so there is nothing to refund." in text
    assert "In all, ₺120.00 comes back to you." in text


def test_a_several_items_return_creates_a_request_for_each_chosen_item(irem):
    page = irem.bulk_page(1009)
    changes = bulk_changes(
        page,
        {"10091": {"reason": "5", "quantity": "1"}, "10092": {"reason": "3", "quantity": "2"}},
        shipping_company="1",
        pickup_address="1009",
        pickup_date=pickup_day(3),
        pickup_hours="08:00-12:00",
    )
    response = irem.submit(page, "#bulk-form", changes, prefix="bulk-")
    assert response.status_code == 303
    created = requests_in_database()
    assert [(r.order_item_id, r.reason_id, r.quantity) for r in created] == [
        (10091, 5, 1),
        (10092, 3, 2),
    ]
    confirmation = soup(irem.get(response.headers["Location"]))
    codes = [c.get_text(strip=True) for c in confirmation.select(".easy-return__code code")]
    assert codes == [r.easy_return.code for r in created]
    assert "Your 2 requests were sent." in confirmation.select_one(".flashes").get_text()


def test_choosing_no_item_shows_an_error_on_the_item_list(ben):
    page = ben.bulk_page(1002)
    response = ben.submit(page, "#bulk-form", prefix="bulk-")
    assert response.status_code == 400
    again = soup(response)
    error = again.find(id="bulk-items-error")
    assert "Choose at least one item." in error.get_text()
    assert again.find(id="bulk-items")["aria-describedby"] == "bulk-items-error"
    assert again.select_one("#bulk-form") is not None
    assert requests_in_database() == []


def test_a_chosen_item_without_a_reason_is_told_so_on_its_row_and_named_in_the_summary(irem):
    page = irem.bulk_page(1009)
    changes = bulk_changes(page, {"10091": {"quantity": "1"}, "10092": {"reason": "3"}})
    response = irem.submit(page, "#bulk-form", changes, prefix="bulk-")
    assert response.status_code == 400
    again = soup(response)
    index = row_index(again, "10091")
    reason = again.select_one(f'select[name="bulk-items-{index}-reason"]')
    assert reason["aria-invalid"] == "true"
    assert again.find(id=f"bulk-items-{index}-reason-error").get_text(strip=True) == (
        "Choose a reason."
    )
    summary = [a.get_text(strip=True) for a in again.select("#error-summary a")]
    assert summary == ["Rain jacket: Reason: Choose a reason."]
    assert requests_in_database() == []


def test_an_item_that_can_not_take_the_type_is_told_why_and_what_instead_on_its_row(shopper):
    shopper.lookup("hakan@example.com", "100000000008")
    page = shopper.bulk_page(1008)
    cushion = row_index(page, "10083")
    changes = bulk_changes(page, {"10083": {"reason": "6", "cancellation_type": "refund"}})
    response = shopper.submit(page, "#bulk-form", changes, prefix="bulk-")
    assert response.status_code == 400
    assert requests_in_database() == []
    again = soup(response)
    checkbox = again.select_one(f'input[name="bulk-items-{cushion}-selected"]')
    assert checkbox.has_attr("checked")
    error = again.find(id=checkbox["aria-describedby"])
    assert "This item has not shipped yet: cancel it instead." in error.get_text()
    assert "Seat cushion: This item has not shipped yet: cancel it instead." in again.select_one(
        "#error-summary"
    ).get_text(" ", strip=True)


def test_a_field_asked_once_gets_its_error_once_next_to_it(irem):
    page = irem.bulk_page(1009)
    changes = bulk_changes(
        page,
        {"10091": {"reason": "3"}, "10092": {"reason": "3"}},
        shipping_company="1",
        pickup_date=pickup_day(3),
        pickup_hours="08:00-12:00",
    )
    response = irem.submit(page, "#bulk-form", changes, prefix="bulk-")
    assert response.status_code == 400
    again = soup(response)
    error = again.find(id="bulk-pickup_address-error")
    assert error.get_text(strip=True) == "Pickup address is required."
    summary = [a["href"] for a in again.select("#error-summary a")]
    assert summary == ["#bulk-pickup_address"]


def test_a_quantity_error_stays_on_its_row(ben):
    page = ben.bulk_page(1002)
    changes = bulk_changes(
        page,
        {"10021": {"reason": "3", "quantity": "5"}, "10022": {"reason": "3"}},
        iban=TYPED_IBAN,
        holder_name="Ben Demir",
    )
    response = ben.submit(page, "#bulk-form", changes, prefix="bulk-")
    assert response.status_code == 400
    again = soup(response)
    index = row_index(again, "10021")
    quantity = again.select_one(f'input[name="bulk-items-{index}-quantity"]')
    assert quantity["value"] == "5"
    assert quantity["aria-invalid"] == "true"
    error = again.find(id=f"{quantity['id']}-error").get_text()
    assert "greater than order item quantity" in error


def test_the_return_fields_are_asked_only_when_some_item_can_be_returned(shopper):
    shopper.lookup("ada@example.com", "100000000001")  # two preparing items: cancels only
    page = shopper.bulk_page(1001)
    assert page.select_one("[data-refund-only]") is None
    assert page.select_one('select[name="bulk-shipping_company"]') is None


def test_a_bulk_form_sent_twice_creates_its_requests_once(irem):
    page = irem.bulk_page(1009)
    changes = bulk_changes(page, {"10091": {"reason": "3"}, "10092": {"reason": "3"}})
    first = irem.submit(page, "#bulk-form", changes, prefix="bulk-")
    second = irem.submit(page, "#bulk-form", changes, prefix="bulk-")
    assert first.status_code == second.status_code == 303
    assert len(requests_in_database()) == 2


def test_the_order_page_links_the_several_items_form_when_several_items_are_eligible(shopper):
    shopper.lookup("hakan@example.com", "100000000008")
    link = shopper.order_page(1008).select_one('#bulk a[href="/orders/1008/bulk/"]')
    assert link.get_text(strip=True) == "Cancel or return several items"


def test_an_order_with_one_eligible_item_links_no_several_items_form(shopper):
    shopper.lookup("cem@example.com", "100000000003")
    page = shopper.order_page(1003)
    assert page.select_one("#bulk") is None
    assert page.select_one('a[href$="/bulk/"]') is None


def test_the_several_items_page_of_an_order_with_nothing_left_to_cancel_says_so(shopper):
    shopper.lookup("gul@example.com", "100000000007")
    page = shopper.bulk_page(1007)
    assert page.select_one("#bulk-form") is None
    assert "No item of this order can be cancelled" in page.select_one("#bulk").get_text()
