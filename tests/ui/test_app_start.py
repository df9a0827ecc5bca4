"""What ``badgedesk`` alone opens, and what a start that only shows another window leaves untouched."""

from __future__ import annotations

import pytest

from desktop import settings as settings_store
from desktop.settings import Settings
from ui import app


@pytest.mark.parametrize(("dialect", "expected"), [("discourse", "discourse"), ("v1", None)])
def test_the_demo_opened_last_reopens_with_its_dialect(dialect: str, expected: str | None) -> None:
    from ui.shell.demo import demo_profile

    stored = Settings()
    stored.use_profile(demo_profile(dialect))
    settings_store.save(stored)
    args = app.parse_args([])
    assert app.choose_community(args)
    assert args.server is None and args.demo_dialect == expected


def test_a_demo_dialect_asked_for_wins_over_the_one_opened_last() -> None:
    stored = Settings()
    stored.use_profile("demo-discourse")
    settings_store.save(stored)
    args = app.parse_args(["--demo-dialect", "v1"])
    assert app.choose_community(args)
    assert args.server is None and args.demo_dialect == "v1"
