"""The reasons and shipping companies offered to shoppers."""

from __future__ import annotations

from webapp.services.reasons import list_reasons, request_choices
from webapp.vocabulary import CancellationType

from .support import reason_view


def test_only_active_reasons_are_listed_in_display_order(build):
    first = build.reason("cancel", subject="First")
    build.reason("refund", subject="Hidden", is_active=False)
    second = build.reason("both", subject="Second")
    count, reasons = list_reasons()
    assert (count, [r.id for r in reasons]) == (2, [first.id, second.id])


def test_reasons_can_be_narrowed_to_one_type_with_both_included(build):
    cancel = build.reason("cancel")
    build.reason("refund")
    both = build.reason("both")
    count, reasons = list_reasons(CancellationType.CANCEL)
    assert (count, [r.id for r in reasons]) == (2, [cancel.id, both.id])


def test_reasons_are_paged_with_the_full_count(build):
    made = [build.reason("both").id for _ in range(5)]
    count, reasons = list_reasons(offset=2, limit=2)
    assert (count, [r.id for r in reasons]) == (5, made[2:4])


def test_a_page_far_past_the_end_is_empty(build):
    build.reason("both")
    assert list_reasons(offset=10**25, limit=50) == (1, [])


def test_a_reasons_subject_is_taken_from_its_translation(build):
    reason = build.reason(
        "cancel", subject="I changed my mind", translations={"tr": "Fikrimi değiştirdim"}
    )
    found = reason_view(reason.id)
    assert found.subject_for("tr") == "Fikrimi değiştirdim"
    assert found.subject_for("tr_TR") == "Fikrimi değiştirdim"
    assert found.subject_for("de") == "I changed my mind"


def test_only_active_easy_return_companies_are_offered(build):
    offered = build.company(name="Alpha Cargo")
    build.company(name="Beta Cargo", easy_return=False)
    build.company(name="Gamma Cargo", is_active=False)
    assert [c.id for c in request_choices().companies] == [offered.id]


def test_reasons_by_type_lists_active_reasons_of_each_type_with_both_under_each(build):
    refund = build.reason("refund")
    cancel = build.reason("cancel")
    build.reason("cancel", is_active=False)
    either = build.reason("both")

    grouped = request_choices().reasons

    assert [r.id for r in grouped[CancellationType.CANCEL]] == [cancel.id, either.id]
    assert [r.id for r in grouped[CancellationType.REFUND]] == [refund.id, either.id]
