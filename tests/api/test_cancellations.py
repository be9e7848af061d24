"""Rules 4 to 11 over HTTP, for one request (``POST .../cancellation_requests/``)."""

from __future__ import annotations

import pytest

from tests.services.support import (
    IBAN,
    PICKUP_ADDRESS_REQUIRED,
    QUANTITY_TOO_LARGE,
    pickup,
    request_count,
)


@pytest.fixture()
def cancel(api, prove, preparing, reason):
    """Ask to cancel the preparing item (proven first); ``field=...`` leaves a field out."""
    prove(preparing)

    def cancel_(**fields):
        body = {
            "order_item": preparing.items[0].id,
            "reason": reason.id,
            "cancellation_type": "cancel",
            **fields,
        }
        return api.cancel({key: value for key, value in body.items() if value is not ...})

    return cancel_


@pytest.fixture()
def refund(api, prove, delivered, reason, company):
    """Ask to refund the delivered item with a full pickup; ``field=...`` leaves a field out."""
    prove(delivered)

    def refund_(**fields):
        body = {
            "order_item": delivered.items[0].id,
            "reason": reason.id,
            "cancellation_type": "refund",
            "shipping_company": company.id,
            "pickup_address": delivered.shipping_address_id,
            "pickup_date": pickup(2),
            **fields,
        }
        return api.cancel({key: value for key, value in body.items() if value is not ...})

    return refund_


def error_of(response, status: int) -> dict:
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/json"
    return response.get_json()


def test_a_cancellation_is_created_with_a_200_and_the_request(cancel, preparing, reason):
    response = cancel(quantity=2, description="Ordered twice")
    data = error_of(response, 200)
    assert {key: data[key] for key in ("order_item", "reason", "quantity", "description")} == {
        "order_item": preparing.items[0].id,
        "reason": reason.id,
        "quantity": 2,
        "description": "Ordered twice",
    }
    assert (data["cancellation_type"], data["easy_return"], data["iban"]) == ("cancel", None, None)
    assert data["status"] == {"value": "open", "label": "Open"}
    assert request_count() == 1


def test_ids_sent_as_strings_of_digits_are_accepted(cancel, preparing, reason):
    response = cancel(order_item=str(preparing.items[0].id), reason=str(reason.id), quantity="1")
    assert error_of(response, 200)["quantity"] == 1


def test_a_second_request_for_the_same_item_is_a_100_1(cancel):
    assert cancel(quantity=1).status_code == 200
    body = error_of(cancel(quantity=1), 400)
    assert set(body) == {"non_field_errors", "error_code"}
    assert body["error_code"] == "cancellation_request_100_1"
    assert request_count() == 1


def test_a_refund_of_an_item_not_delivered_is_a_100_3(api, prove, preparing, reason):
    prove(preparing)
    response = api.cancel(
        {"order_item": preparing.items[0].id, "reason": reason.id, "cancellation_type": "refund"}
    )
    assert error_of(response, 400)["error_code"] == "cancellation_request_100_3"


def test_a_cancellation_of_a_delivered_item_is_a_100_2(api, prove, delivered, reason):
    prove(delivered)
    response = api.cancel(
        {"order_item": delivered.items[0].id, "reason": reason.id, "cancellation_type": "cancel"}
    )
    assert error_of(response, 400)["error_code"] == "cancellation_request_100_2"


def test_a_refund_after_the_refund_window_is_a_100_3(app, refund):
    app.config["REFUND_WINDOW_DAYS"] = 1
    assert error_of(refund(), 400)["error_code"] == "cancellation_request_100_3"


def test_an_omitted_quantity_takes_everything_left(cancel):
    assert error_of(cancel(), 200)["quantity"] == 3


@pytest.mark.parametrize("quantity", [0, -2])
def test_a_quantity_below_one_is_a_400_on_quantity(cancel, quantity):
    assert set(error_of(cancel(quantity=quantity), 400)) == {"quantity"}


def test_a_quantity_above_the_item_is_a_400_with_the_documented_message(cancel):
    assert error_of(cancel(quantity=4), 400) == {"quantity": QUANTITY_TOO_LARGE}


def test_a_rejected_request_does_not_count_toward_the_quantity(build, cancel, preparing):
    build.request(preparing.items[0], status="rejected", quantity=3)
    assert error_of(cancel(quantity=3), 200)["quantity"] == 3


@pytest.mark.parametrize(("reason_type", "is_active"), [("refund", True), ("both", False)])
def test_a_reason_of_the_wrong_type_or_inactive_is_a_400_on_reason(
    build, cancel, reason_type, is_active
):
    wrong = build.reason(reason_type, is_active=is_active)
    assert set(error_of(cancel(reason=wrong.id), 400)) == {"reason"}


def test_a_refund_with_a_pickup_creates_an_easy_return_with_a_code(refund, company):
    data = error_of(refund(pickup_date=pickup(2, "10:00", "14:00")), 200)
    easy_return = data["easy_return"]
    assert easy_return["code"]
    assert easy_return["shipping_company"]["value"] == company.slug
    assert easy_return["pickup_date"] == pickup(2, "10:00", "14:00")
    assert easy_return["start_date"].endswith("Z") and easy_return["end_date"].endswith("Z")


def test_a_pickup_date_without_an_address_is_exactly_the_documented_406(refund):
    assert error_of(refund(pickup_address=...), 406) == PICKUP_ADDRESS_REQUIRED
    assert request_count() == 0


def test_another_orders_address_is_a_400_on_pickup_address(build, refund):
    other = build.order(email="other@example.com")
    body = error_of(refund(pickup_address=other.billing_address_id), 400)
    assert set(body) == {"pickup_address"}


@pytest.mark.parametrize("days_ahead", [0, 15])
def test_a_pickup_date_outside_tomorrow_to_fourteen_days_is_a_400(refund, days_ahead):
    assert set(error_of(refund(pickup_date=pickup(days_ahead)), 400)) == {"pickup_date"}


@pytest.mark.parametrize(
    ("start", "end"), [("07:00", "09:00"), ("19:00", "21:00"), ("12:00", "10:00")]
)
def test_an_hour_range_outside_eight_to_twenty_or_reversed_is_a_400(refund, start, end):
    assert set(error_of(refund(pickup_date=pickup(1, start, end)), 400)) == {"pickup_date"}


def test_a_pickup_without_a_shipping_company_is_a_400_on_it(refund):
    assert set(error_of(refund(shipping_company=...), 400)) == {"shipping_company"}


@pytest.mark.parametrize(("easy_return", "is_active"), [(False, True), (True, False)])
def test_a_company_without_easy_return_or_inactive_is_a_400_on_it(
    build, refund, easy_return, is_active
):
    other = build.company(easy_return=easy_return, is_active=is_active)
    assert set(error_of(refund(shipping_company=other.id), 400)) == {"shipping_company"}


def test_a_refund_without_a_company_has_no_easy_return(refund):
    data = error_of(refund(shipping_company=..., pickup_address=..., pickup_date=...), 200)
    assert data["easy_return"] is None


@pytest.mark.parametrize("field", ["shipping_company", "pickup_address", "pickup_date"])
def test_shipping_or_pickup_fields_on_a_cancel_are_a_400_on_the_field(
    cancel, preparing, company, field
):
    values = {
        "shipping_company": company.id,
        "pickup_address": preparing.shipping_address_id,
        "pickup_date": pickup(),
    }
    assert set(error_of(cancel(**{field: values[field]}), 400)) == {field}


@pytest.fixture()
def transfer_refund(api, prove, build, reason):
    order = build.order(
        email="bank@example.com",
        items=[(550, 1)],
        payment_type="funds_transfer",
        delivered_days_ago=1,
    )
    prove(order)

    def ask(**fields):
        return api.cancel(
            {
                "order_item": order.items[0].id,
                "reason": reason.id,
                "cancellation_type": "refund",
                **fields,
            }
        )

    return ask


def test_a_bank_transfer_order_without_an_iban_is_a_100_5(transfer_refund):
    body = error_of(transfer_refund(), 400)
    assert body["error_code"] == "cancellation_request_100_5"


def test_loyalty_money_needs_no_iban(transfer_refund):
    assert error_of(transfer_refund(fully_refund_as_loyalty_money=True), 200)["iban"] is None


def test_an_iban_is_stored_normalised_and_echoed_in_full(transfer_refund):
    data = error_of(
        transfer_refund(iban="tr33 0006 1005 1978 6457 8413 26", holder_name="J D"), 200
    )
    assert data["iban"] == IBAN


def test_an_invalid_iban_is_a_400_on_iban(transfer_refund):
    body = error_of(transfer_refund(iban="TR330006100519786457841327", holder_name="J D"), 400)
    assert set(body) == {"iban"}


def test_an_iban_without_a_holder_name_is_a_400_on_holder_name(transfer_refund):
    assert set(error_of(transfer_refund(iban=IBAN), 400)) == {"holder_name"}


def test_a_missing_pickup_address_wins_over_a_missing_iban(transfer_refund, company):
    response = transfer_refund(shipping_company=company.id, pickup_date=pickup())
    assert error_of(response, 400) == PICKUP_ADDRESS_REQUIRED


def test_field_errors_come_together_in_one_400(refund):
    body = error_of(refund(reason=999_999, quantity=9, iban="XX", holder_name="J"), 400)
    assert set(body) == {"reason", "quantity", "iban"}


@pytest.mark.parametrize("language", ["tr", "de", "ar"])
def test_error_codes_do_not_change_with_the_language(api, refund, language):
    api.language = language
    assert error_of(refund(pickup_address=...), 406)["error_code"] == "cancellation_request_100_8"


def test_ownership_is_checked_before_the_active_request(api, build, preparing, reason, miss):
    build.request(preparing.items[0], status="open")
    response = api.cancel(
        {"order_item": preparing.items[0].id, "reason": reason.id, "cancellation_type": "cancel"}
    )
    assert (response.status_code, response.data) == (404, miss)


def test_the_active_request_is_reported_before_the_status_and_fields(build, refund, delivered):
    build.request(delivered.items[0], status="approved", cancellation_type="refund")
    body = error_of(refund(cancellation_type="cancel", quantity=99, reason="x"), 400)
    assert body["error_code"] == "cancellation_request_100_1"
    assert set(body) == {"non_field_errors", "error_code"}


def test_the_status_is_reported_before_the_fields(api, prove, delivered, reason):
    prove(delivered)
    response = api.cancel(
        {
            "order_item": delivered.items[0].id,
            "reason": "x",
            "quantity": 99,
            "cancellation_type": "cancel",
        }
    )
    body = error_of(response, 400)
    assert (body["error_code"], set(body)) == (
        "cancellation_request_100_2",
        {"non_field_errors", "error_code"},
    )
