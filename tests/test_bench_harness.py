"""The benchmark's harness keeps up with the app: `make bench` is not part of the suite, so a
change that breaks its requests (a renewed CSRF token, a new check) shows here first."""

from __future__ import annotations

from bench import run, seed


def test_the_benchmarks_statement_count_gets_the_answers_it_counts(tmp_path):
    url = seed.seed_sqlite(60, tmp_path / "bench.sqlite3")
    counted = run.count_statements(url)
    statuses = {name: (counts["status_1"], counts["status_20"]) for name, counts in counted.items()}
    assert statuses == dict.fromkeys(("lookup", "order_page", "cancel", "lookup_with_requests"),
                                     (200, 200))  # fmt: skip
    assert counted["lookup"]["1"] == counted["lookup"]["20"] <= run.MAX_LOOKUP_STATEMENTS
    assert counted["lookup_with_requests"]["1"] == counted["lookup_with_requests"]["20"]
