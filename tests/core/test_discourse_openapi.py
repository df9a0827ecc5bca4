"""The one list of corrections of Discourse's published descriptions: each one changes what it says it
changes, says why, and names the code that shows it."""

from __future__ import annotations

import json

import pytest
import yaml

from tests import discourse_openapi as described
from tests.discourse_openapi import CORRECTIONS, HANDWRITTEN_2021, OFFICIAL, Correction


def _pristine(correction: Correction) -> described.Document:
    if correction.description == OFFICIAL:
        document: described.Document = json.loads(described.OPENAPI_JSON.read_text(encoding="utf-8"))
        return document
    # The 2021 document as taken, before any correction of its own.
    taken = described.grant_and_revoke()
    raw = described._string_keys(yaml.safe_load(described.OPENAPI_2021.read_text(encoding="utf-8")))
    taken["paths"] = {ours: raw["paths"][theirs] for ours, theirs in described.FROM_2021.items()}
    return taken


@pytest.mark.parametrize("correction", CORRECTIONS, ids=lambda c: f"{c.operation}: {c.change}")
def test_each_correction_changes_its_description(correction: Correction) -> None:
    before = _pristine(correction)
    after = json.loads(json.dumps(before))
    correction.apply(after)
    assert after != before, "this correction no longer changes anything: drop it"
    assert correction.source.startswith("https://github.com/discourse/discourse/blob/main/")
    assert correction.reason and correction.change


def test_both_documents_are_corrected_and_the_checks_share_them() -> None:
    from tests.core.sandbox_discourse import spec as sandbox_spec
    from tests.fakes import discourse_spec as fake_spec

    assert {c.description for c in CORRECTIONS} == {OFFICIAL, HANDWRITTEN_2021}
    assert fake_spec.document() == described.official()
    grant = described.answer_schema(described.grant_and_revoke(), "/user_badges.json", "post")
    assert grant["required"] == ["user_badge"]
    templates = {op.template for op in sandbox_spec.operations()}
    assert {"/user_badges.json", "/user_badges/{id}.json", "/admin/users/list/{flag}.json"} <= templates
