"""The README's list of what the sandbox covers of Discourse's API is made from the app's routes and
the published descriptions, and stays so: a route added or removed without regenerating it fails here."""

from __future__ import annotations

from tests import discourse_coverage as coverage
from tests.discourse_openapi import OFFICIAL, official


def test_the_readme_lists_exactly_what_the_sandbox_covers() -> None:
    text = coverage.README.read_text(encoding="utf-8")
    assert coverage.readme_section(text) == coverage.readme_block(), (
        "README.md's list of covered Discourse operations is out of date: "
        "run python -m tests.discourse_coverage"
    )


def test_covered_and_not_covered_split_the_described_operations() -> None:
    covered = {op.label for op in coverage.covered()}
    missing = {op.label for op in coverage.not_covered()}
    assert covered & missing == set()
    assert covered | missing == {op.label for op in coverage.described()}
    assert {"POST /user_badges.json", "DELETE /user_badges/{id}.json", "GET /admin/badges.json"} <= covered
    assert ("GET", "/user_badges") in coverage.served_but_undescribed()  # the holders list


def test_only_covered_keeps_the_served_operations_and_nothing_else() -> None:
    kept = coverage.only_covered(official())
    labels = {
        f"{method.upper()} {path}"
        for path, item in kept["paths"].items()
        for method in item
        if method in coverage.METHODS
    }
    assert labels == {op.label for op in coverage.covered() if op.description == OFFICIAL}
