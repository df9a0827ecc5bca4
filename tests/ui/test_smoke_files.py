"""``badgedesk --smoke`` also reads the files the app needs only later: a missing one fails the run."""

from __future__ import annotations

from importlib.resources.abc import Traversable

import pytest

from ui import smoke
from ui.shell import user_guide_dialog


def test_an_installation_with_every_file_passes() -> None:
    assert smoke._shipped_files_problem() == ""


def test_a_missing_user_guide_fails_the_smoke_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(*parts: str) -> Traversable:
        raise FileNotFoundError(f"BadgeDesk resource not found: {'/'.join(parts)}")

    monkeypatch.setattr(user_guide_dialog, "resource", missing)
    assert smoke._shipped_files_problem() == (
        "smoke: failed: a file BadgeDesk ships is missing: BadgeDesk resource not found: user-guide.md"
    )
