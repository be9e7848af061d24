"""The bulk form: several items of one order at once, all or nothing."""

from __future__ import annotations

from webapp.extensions import db
from webapp.models import CancellationRequest

from .pages import pickup_day, soup


def requests_in_database() -> list[CancellationRequest]:
    db.session.expire_all()
    return list(db.session.query(CancellationRequest).order_by(CancellationRequest.id))


def rows(page) -> dict[str, str]:
    """Order item id of each bulk row, by row index."""
    form = page.select_one("#bulk-form")
    return {
        hidden["name"].split("-")[2]: hidden["value"]
        for hidden in form.select('input[type="hidden"][name$="-order_item"]')
    }


def bulk_changes(page, selected: dict[str, str], **shared: str) -> dict[str, str]:
    """Tick the rows of these item ids with these quantities, and set the shared fields."""
    changes: dict[str, str] = dict(shared)
    for index, item_id in rows(page).items():
        if item_id in selected:
            changes[f"items-{index}-selected"] = "y"
            changes[f"items-{index}-quantity"] = selected[item_id]
    return changes


def test_the_bulk_form_lists_only_eligible_items(shopper):
    shopper.lookup("hakan@example.com", "100000000008")
    page = shopper.bulk_page(1008)
    assert sorted(rows(page).values()) == ["10081", "10083"]
    kinds = [i["value"] for i in page.select('#bulk-form input[name="bulk-cancellation_type"]')]
    assert kinds == ["cancel", "refund"]
    for checkbox in page.select('#bulk-form input[type="checkbox"][name$="-selected"]'):
        assert page.select_one(f'label[for="{checkbox["id"]}"]').get_text(strip=True)


def test_the_order_page_links_the_bulk_form_when_several_items_are_eligible(shopper):
    shopper.lookup("hakan@example.com", "100000000008")
    link = shopper.order_page(1008).select_one('#bulk a[href="/orders/1008/bulk/"]')
    assert link.get_text(strip=True) == "Cancel or return several items"


def test_an_order_with_one_eligible_item_links_no_bulk_form(shopper):
    shopper.lookup("cem@example.com", "100000000003")
    page = shopper.order_page(1003)
    assert page.select_one("#bulk") is None
    assert page.select_one('a[href$="/bulk/"]') is None


def test_the_bulk_page_of_an_order_with_nothing_left_to_cancel_says_so(shopper):
    shopper.lookup("gul@example.com", "100000000007")
    page = shopper.bulk_page(1007)
    assert page.select_one("#bulk-form") is None
    assert "No item of this order can be cancelled" in page.select_one("#bulk").get_text()


def test_a_bulk_refund_creates_a_request_for_each_chosen_item(irem):
    page = irem.bulk_page(1009)
    changes = bulk_changes(
        page,
        {"10091": "1", "10092": "2"},
        cancellation_type="refund",
        reason="5",
        shipping_company="1",
        pickup_address="1009",
        pickup_date=pickup_day(3),
        pickup_hours="08:00-12:00",
    )
    response = irem.submit(page, "#bulk-form", changes, prefix="bulk-")
    assert response.status_code == 303
    created = requests_in_database()
    assert [(r.order_item_id, r.quantity) for r in created] == [(10091, 1), (10092, 2)]
    confirmation = soup(irem.get(response.headers["Location"]))
    codes = [c.get_text(strip=True) for c in confirmation.select(".easy-return__code code")]
    assert codes == [r.easy_return.code for r in created]
    assert "Your 2 requests were sent." in confirmation.select_one(".flashes").get_text()


def test_choosing_no_item_shows_an_error_on_the_item_list(ben):
    page = ben.bulk_page(1002)
    response = ben.submit(page, "#bulk-form", {"cancellation_type": "refund"}, prefix="bulk-")
    assert response.status_code == 400
    again = soup(response)
    error = again.find(id="bulk-items-error")
    assert "Choose at least one item." in error.get_text()
    assert again.find(id="bulk-items")["aria-describedby"] == "bulk-items-error"
    assert again.select_one("#bulk-form") is not None
    assert requests_in_database() == []


def test_an_item_that_can_not_take_the_type_gets_its_error_on_its_row(shopper):
    shopper.lookup("hakan@example.com", "100000000008")
    page = shopper.bulk_page(1008)
    changes = bulk_changes(
        page, {"10081": "1", "10083": "1"}, cancellation_type="refund", reason="6"
    )
    response = shopper.submit(page, "#bulk-form", changes, prefix="bulk-")
    assert response.status_code == 400
    assert requests_in_database() == []
    again = soup(response)
    index = {item: i for i, item in rows(again).items()}["10083"]
    checkbox = again.select_one(f'input[name="bulk-items-{index}-selected"]')
    assert checkbox.has_attr("checked")
    error = again.find(id=checkbox["aria-describedby"])
    assert "This item can not be refunded." in error.get_text()
    assert "Seat cushion: This item can not be refunded." in again.select_one(
        "#error-summary"
    ).get_text(" ", strip=True)


def test_a_shared_field_error_is_shown_once_next_to_the_shared_field(irem):
    page = irem.bulk_page(1009)
    changes = bulk_changes(page, {"10091": "1", "10092": "1"}, cancellation_type="refund")
    response = irem.submit(page, "#bulk-form", changes, prefix="bulk-")
    assert response.status_code == 400
    again = soup(response)
    reason = again.select_one('select[name="bulk-reason"]')
    assert reason["aria-invalid"] == "true"
    assert again.find(id="bulk-reason-error").get_text(strip=True) == "This field is required."
    summary = [a["href"] for a in again.select("#error-summary a")]
    assert summary == ["#bulk-reason"]


def test_a_quantity_error_stays_on_its_row(ben):
    page = ben.bulk_page(1002)
    changes = bulk_changes(
        page, {"10021": "5", "10022": "1"}, cancellation_type="refund", reason="3"
    )
    response = ben.submit(page, "#bulk-form", changes, prefix="bulk-")
    assert response.status_code == 400
    again = soup(response)
    index = {item: i for i, item in rows(again).items()}["10021"]
    quantity = again.select_one(f'input[name="bulk-items-{index}-quantity"]')
    assert quantity["value"] == "5"
    assert quantity["aria-invalid"] == "true"
    assert (
        "greater than order item quantity" in again.find(id=quantity["aria-describedby"]).get_text()
    )


def test_a_bulk_form_sent_twice_creates_its_requests_once(irem):
    page = irem.bulk_page(1009)
    changes = bulk_changes(page, {"10091": "1", "10092": "1"}, cancellation_type="refund",
                           reason="3")  # fmt: skip
    first = irem.submit(page, "#bulk-form", changes, prefix="bulk-")
    second = irem.submit(page, "#bulk-form", changes, prefix="bulk-")
    assert first.status_code == second.status_code == 303
    assert len(requests_in_database()) == 2
