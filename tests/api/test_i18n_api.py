"""The JSON API in several languages: Accept-Language picks labels and messages, codes stay."""

from __future__ import annotations

import pytest

from tests.conftest import ApiClient

from .paths import BULK, LOOKUP, REASONS

QUANTITY_EN = "Quantity can not be greater than order item quantity."
QUANTITY_TR = "Adet, siparişteki ürün adedinden fazla olamaz."


@pytest.fixture()
def speakers(client):
    """One API client per language, sharing one session (as one app switching language)."""
    return {language: ApiClient(client, language) for language in ("en", "tr", "de", "ar")}


def too_many(api: ApiClient, order, reason):
    return api.cancel(
        {
            "order_item": order.items[0].id,
            "reason": reason.id,
            "cancellation_type": "cancel",
            "quantity": 99,
        }
    )


def test_a_quantity_error_is_turkish_for_turkish_and_english_for_english(
    speakers, prove, preparing, reason
):
    prove(preparing)
    english = too_many(speakers["en"], preparing, reason)
    turkish = too_many(speakers["tr"], preparing, reason)
    assert (english.status_code, turkish.status_code) == (400, 400)
    assert english.get_json() == {"quantity": QUANTITY_EN}
    assert turkish.get_json() == {"quantity": QUANTITY_TR}


@pytest.mark.parametrize("language", ["en", "tr", "de", "ar"])
def test_a_coded_error_keeps_its_error_code_in_every_language(
    speakers, build, prove, preparing, reason, language
):
    build.request(preparing.items[0], quantity=1)
    prove(preparing)
    body = {"order_item": preparing.items[0].id, "reason": reason.id,
            "cancellation_type": "cancel", "quantity": 1}  # fmt: skip
    response = speakers[language].cancel(body)
    english = speakers["en"].cancel(body)
    assert (response.status_code, set(response.get_json())) == (
        400,
        {"non_field_errors", "error_code"},
    )
    codes = {response.get_json()["error_code"], english.get_json()["error_code"]}
    assert codes == {"cancellation_request_100_1"}
    translated = response.get_json()["non_field_errors"] != english.get_json()["non_field_errors"]
    assert translated == (language != "en")


def test_bulk_item_errors_are_translated_with_the_same_keys(speakers, prove, preparing, reason):
    prove(preparing)
    body = {"cancel_order_items": [{"order_item": preparing.items[0].id, "reason": reason.id,
                                    "cancellation_type": "cancel", "quantity": 99}]}  # fmt: skip
    english = speakers["en"].post(BULK, body).get_json()
    turkish = speakers["tr"].post(BULK, body).get_json()
    assert english == {"cancel_order_items": [{"quantity": QUANTITY_EN}]}
    assert turkish == {"cancel_order_items": [{"quantity": QUANTITY_TR}]}


def test_status_labels_are_translated_while_values_stay(speakers, preparing):
    found = {
        language: api.lookup(preparing.user.email, preparing.number).get_json()["results"][0]
        for language, api in speakers.items()
    }
    english, turkish = found["en"], found["tr"]
    assert english["status"] == {"value": "450", "label": "Preparing"}
    assert turkish["status"] == {"value": "450", "label": "Hazırlanıyor"}
    assert found["de"]["status"] == {"value": "450", "label": "In Vorbereitung"}
    assert found["ar"]["status"] == {"value": "450", "label": "قيد التجهيز"}
    item_en, item_tr = english["orderitem_set"][0], turkish["orderitem_set"][0]
    assert item_tr["status"]["value"] == item_en["status"]["value"]
    assert item_tr["status"]["label"] != item_en["status"]["label"]
    payment_en, payment_tr = english["payment_option"], turkish["payment_option"]
    assert payment_tr["payment_type"] == payment_en["payment_type"] == "credit_card"
    assert (payment_en["payment_type_label"], payment_tr["payment_type_label"]) == (
        "Credit card",
        "Kredi kartı",
    )
    assert turkish["currency"] == {"value": "try", "label": "Türk lirası"}


def test_a_request_status_label_is_translated(speakers, build, preparing):
    build.request(preparing.items[0], quantity=1)
    found = {
        language: speakers[language].lookup(preparing.user.email, preparing.number).get_json()
        for language in ("en", "tr")
    }
    active = {
        language: body["results"][0]["orderitem_set"][0]["active_cancellation_request"]["status"]
        for language, body in found.items()
    }
    assert active == {
        "en": {"value": "open", "label": "Open"},
        "tr": {"value": "open", "label": "Açık"},
    }


def test_a_reason_subject_comes_from_its_stored_translation(client, build):
    build.reason("refund", subject="Wrong size",
                 translations={"tr": "Beden uymadı", "ar": "المقاس غير مناسب"})  # fmt: skip

    def subjects(language: str) -> list[str]:
        response = client.get(REASONS, headers={"Accept-Language": language})
        return [reason["subject"] for reason in response.get_json()["results"]]

    assert subjects("tr") == ["Beden uymadı"]
    assert subjects("ar") == ["المقاس غير مناسب"]
    assert subjects("de") == ["Wrong size"]  # no German translation stored: the default
    assert subjects("en") == ["Wrong size"]


def test_the_miss_is_translated_but_its_error_code_is_the_same(speakers, preparing):
    bodies = {
        language: api.post(LOOKUP, {"email": "nobody@example.com", "order": "000000000000"})
        for language, api in speakers.items()
    }
    assert {response.status_code for response in bodies.values()} == {404}
    codes = {response.get_json()["error_code"] for response in bodies.values()}
    assert codes == {"anonymous_order_100_1"}
    messages = {language: r.get_json()["non_field_errors"] for language, r in bodies.items()}
    assert messages["en"] == "No order was found with this email and order number."
    assert messages["tr"] == (
        "Bu e-posta adresi ve sipariş numarasıyla eşleşen bir sipariş bulunamadı."
    )
    assert len(set(messages.values())) == 4


def test_the_api_ignores_the_pages_language_choice(client, preparing):
    """``?lang=`` and the language remembered for pages do not change the API's language."""
    assert client.get("/?lang=tr").status_code == 200  # a page: Turkish, remembered
    api = ApiClient(client, "en")
    response = api.post(LOOKUP + "?lang=de", {"email": "nobody@example.com", "order": "1"})
    assert response.get_json()["non_field_errors"] == (
        "No order was found with this email and order number."
    )
    with client.session_transaction() as stored:
        assert stored["lang"] == "tr"
