"""Rule 10: where the money goes: loyalty money, or a valid IBAN with its holder's name."""

from __future__ import annotations

import pytest

from .support import IBAN, create, refusal, request_count

IBAN_REQUIRED = "cancellation_request_100_5"


@pytest.fixture()
def ask(build, reason):
    """A request on a fresh order paid with ``payment_type``: cancel (preparing) or refund."""

    def ask_(payment_type, kind, **fields):
        status = 450 if kind == "cancel" else 550
        order = build.order(items=[(status, 1)], payment_type=payment_type, delivered_days_ago=1)
        return create(
            order, order_item=order.items[0].id, reason=reason.id, cancellation_type=kind, **fields
        )

    return ask_


@pytest.mark.parametrize(
    ("payment_type", "kind"),
    [
        ("funds_transfer", "cancel"),
        ("funds_transfer", "refund"),
        ("pay_on_delivery", "refund"),
    ],
)
def test_a_request_needing_a_bank_account_without_an_iban_is_a_100_5(ask, payment_type, kind):
    error = refusal(ask, payment_type, kind)
    assert error.status == 400
    assert error.body["error_code"] == IBAN_REQUIRED
    assert set(error.body) == {"non_field_errors", "error_code"}
    assert request_count() == 0


def test_a_holder_name_without_an_iban_is_still_a_100_5(ask):
    error = refusal(ask, "funds_transfer", "refund", holder_name="John Doe")
    assert error.body["error_code"] == IBAN_REQUIRED


@pytest.mark.parametrize(
    ("payment_type", "kind"),
    [
        ("funds_transfer", "cancel"),
        ("funds_transfer", "refund"),
        ("pay_on_delivery", "refund"),
    ],
)
def test_an_iban_and_holder_name_satisfy_a_bank_account_refund(ask, payment_type, kind):
    created = ask(payment_type, kind, iban=IBAN, holder_name="John Doe")
    assert (created.iban, created.holder_name) == (IBAN, "John Doe")


@pytest.mark.parametrize(
    ("payment_type", "kind"),
    [
        ("pay_on_delivery", "cancel"),
        ("credit_card", "cancel"),
        ("credit_card", "refund"),
        ("other", "refund"),
    ],
)
def test_other_payments_need_no_bank_account(ask, payment_type, kind):
    created = ask(payment_type, kind)
    assert created.iban is None
    assert created.fully_refund_as_loyalty_money is False


@pytest.mark.parametrize(
    ("payment_type", "kind"),
    [
        ("funds_transfer", "cancel"),
        ("funds_transfer", "refund"),
        ("pay_on_delivery", "refund"),
    ],
)
def test_a_refund_as_loyalty_money_needs_no_iban(ask, payment_type, kind):
    created = ask(payment_type, kind, fully_refund_as_loyalty_money=True)
    assert created.fully_refund_as_loyalty_money is True
    assert created.iban is None


@pytest.mark.parametrize("loyalty", [False, "false", 0])
def test_loyalty_money_turned_off_still_needs_an_iban(ask, loyalty):
    error = refusal(ask, "funds_transfer", "refund", fully_refund_as_loyalty_money=loyalty)
    assert error.body["error_code"] == IBAN_REQUIRED


@pytest.mark.parametrize("loyalty", ["maybe", 2, [True], {"yes": 1}])
def test_a_malformed_loyalty_flag_is_a_400_on_it(ask, loyalty):
    error = refusal(ask, "credit_card", "refund", fully_refund_as_loyalty_money=loyalty)
    assert (error.status, set(error.body)) == (400, {"fully_refund_as_loyalty_money"})


@pytest.mark.parametrize("payment_type", ["credit_card", "funds_transfer"])
def test_an_iban_without_a_holder_name_is_a_400_on_holder_name(ask, payment_type):
    error = refusal(ask, payment_type, "refund", iban=IBAN)
    assert (error.status, set(error.body)) == (400, {"holder_name"})


@pytest.mark.parametrize(
    "iban",
    [
        "TR330006100519786457841327",  # wrong checksum
        "TR33000610051978645784132",  # one character short for Turkey
        "DE89370400440532013000X",  # too long for Germany
        "XX330006100519786457841326",  # no such country
        "test-iban",  # the seed's placeholder
        "1234",
        "TR33 0006 1005 1978 6457 8413 26 00 00",
    ],
)
def test_an_invalid_iban_is_a_400_on_iban(ask, iban):
    error = refusal(ask, "credit_card", "refund", iban=iban, holder_name="John Doe")
    assert (error.status, set(error.body)) == (400, {"iban"})
    assert request_count() == 0


@pytest.mark.parametrize("iban", [12345, ["TR330006100519786457841326"], "T" * 10_000])
def test_an_iban_of_the_wrong_type_or_overlong_is_a_400_on_iban(ask, iban):
    error = refusal(ask, "credit_card", "refund", iban=iban, holder_name="John Doe")
    assert (error.status, set(error.body)) == (400, {"iban"})


def test_an_invalid_iban_on_a_bank_account_refund_is_a_400_on_iban_not_a_100_5(ask):
    error = refusal(ask, "funds_transfer", "refund", iban="TR00", holder_name="John Doe")
    assert (error.status, set(error.body)) == (400, {"iban"})


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("TR33 0006 1005 1978 6457 8413 26", IBAN),
        ("tr330006100519786457841326", IBAN),
        (" tr33 0006 1005 1978 6457 8413 26 ", IBAN),
        ("de89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
    ],
)
def test_a_valid_iban_is_stored_without_spaces_in_upper_case(ask, given, stored):
    assert ask("funds_transfer", "refund", iban=given, holder_name="John Doe").iban == stored


def test_an_overlong_holder_name_is_a_400_on_holder_name(ask):
    error = refusal(ask, "funds_transfer", "refund", iban=IBAN, holder_name="J" * 10_000)
    assert (error.status, set(error.body)) == (400, {"holder_name"})
