"""``GET /users/orders/cancellation_reasons/``: active reasons, paged, subject translated."""

from __future__ import annotations

import uuid

import pytest

from .paths import REASONS


@pytest.fixture()
def reasons(build):
    return [
        build.reason("cancel", subject="I changed my mind",
                     translations={"tr": "Fikrimi değiştirdim", "de": "Meinung geändert"}),
        build.reason("refund", subject="Wrong size", translations={"tr": "Beden uymadı"}),
        build.reason("both", subject="Found a better price"),
    ]  # fmt: skip


def get(client, *args, language=None, **kwargs):
    headers = {"Accept-Language": language} if language else {}
    response = client.get(REASONS, *args, headers=headers, **kwargs)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_reasons_are_a_paginated_envelope_of_active_reasons(client, build, reasons):
    build.reason("both", subject="Retired", is_active=False)
    body = get(client)
    assert (body["count"], body["next"], body["previous"]) == (3, None, None)
    assert [r["subject"] for r in body["results"]] == [
        "I changed my mind",
        "Wrong size",
        "Found a better price",
    ]
    assert set(body["results"][0]) >= {"id", "subject", "cancellation_type"}


def test_reasons_are_paged_with_next_and_previous_links(app, client, reasons):
    app.config["API_PAGE_SIZE"] = 2
    first = get(client)
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    assert "page=2" in first["next"]
    second = client.get(first["next"]).get_json()
    assert [r["id"] for r in second["results"]] == [reasons[2].id]
    assert second["next"] is None
    assert "page=1" in second["previous"]


@pytest.mark.parametrize(
    ("language", "subjects"),
    [
        ("tr", ["Fikrimi değiştirdim", "Beden uymadı", "Found a better price"]),
        ("tr-TR,tr;q=0.9", ["Fikrimi değiştirdim", "Beden uymadı", "Found a better price"]),
        ("de", ["Meinung geändert", "Wrong size", "Found a better price"]),
        ("en", ["I changed my mind", "Wrong size", "Found a better price"]),
        ("ja", ["I changed my mind", "Wrong size", "Found a better price"]),
    ],
)
def test_the_subject_follows_accept_language_from_stored_translations(
    client, reasons, language, subjects
):
    assert [r["subject"] for r in get(client, language=language)["results"]] == subjects


@pytest.mark.parametrize(("kind", "expected"), [("cancel", [0, 2]), ("refund", [1, 2])])
def test_reasons_can_be_narrowed_to_a_type(client, reasons, kind, expected):
    body = get(client, query_string={"cancellation_type": kind})
    assert [r["id"] for r in body["results"]] == [reasons[i].id for i in expected]


def test_an_unknown_type_filter_is_a_400(client, reasons):
    response = client.get(REASONS, query_string={"cancellation_type": "exchange"})
    assert (response.status_code, set(response.get_json())) == (400, {"cancellation_type"})


@pytest.mark.parametrize("page", ["abc", "0", "-3"])
def test_a_malformed_page_shows_the_first_page(client, reasons, page):
    assert len(get(client, query_string={"page": page})["results"]) == 3


@pytest.mark.parametrize("page", [9, 10**25])
def test_a_page_past_the_end_is_empty(client, reasons, page):
    body = get(client, query_string={"page": page})
    assert (body["count"], body["results"], body["next"]) == (3, [], None)


def test_a_reason_carries_every_field_the_platform_answers_with(client, reasons):
    [first, *_] = get(client, language="tr")["results"]
    assert list(first) == [
        "id", "uuid", "subject", "cancellation_type", "order", "is_active",
        "extra_information_needed", "translations", "created_date", "modified_date",
    ]  # fmt: skip
    assert first["subject"] == "Fikrimi değiştirdim"
    assert first["translations"] == {"de": {"subject": "Meinung geändert"},
                                      "tr": {"subject": "Fikrimi değiştirdim"}}  # fmt: skip
    assert first["is_active"] is True and first["extra_information_needed"] is False
    assert first["created_date"].endswith("Z") and first["modified_date"].endswith("Z")
    assert str(uuid.UUID(first["uuid"])) == first["uuid"]


def test_a_reasons_uuid_stays_the_same_from_answer_to_answer(client, reasons):
    uuids = [[r["uuid"] for r in get(client)["results"]] for _ in range(2)]
    assert uuids[0] == uuids[1] and len(set(uuids[0])) == 3


def test_the_reasons_path_without_its_trailing_slash_answers_the_same(client, reasons):
    without = client.get(REASONS.rstrip("/"))
    assert without.status_code == 200
    assert without.get_json() == get(client)
