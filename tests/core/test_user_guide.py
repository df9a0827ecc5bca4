"""The user guide shipped with the app (Help ▸ User guide) is README's sections for users, up to date."""

from __future__ import annotations

import pytest

from desktop import user_guide
from desktop.resources import resource


def test_the_shipped_guide_is_made_from_the_current_readme() -> None:
    shipped = resource(user_guide.GUIDE_NAME).read_text(encoding="utf-8")
    expected = user_guide.make_guide(user_guide.README.read_text(encoding="utf-8"))
    assert shipped == expected, (
        "desktop/resources/user-guide.md is out of date: run python -m desktop.user_guide"
    )


def test_the_guide_has_the_introduction_and_the_users_sections_only() -> None:
    guide = user_guide.make_guide(user_guide.README.read_text(encoding="utf-8"))
    headings = [line[3:] for line in guide.splitlines() if line.startswith("## ")]
    assert headings == list(user_guide.SECTIONS)
    assert "### Correcting a batch from its history" in guide  # subsections come along
    assert guide.startswith("# BadgeDesk user guide\n")
    assert "It ships with a local community server" in guide
    assert "![" not in guide  # no screenshot: docs/ is in neither the wheel nor the bundle
    assert "## Architecture" not in guide and "## The sandbox server" not in guide


def test_a_renamed_section_is_named() -> None:
    readme = "# BadgeDesk\n\nIntro.\n\n## Reports\n\nText.\n"
    with pytest.raises(KeyError, match="Keyboard"):
        user_guide.make_guide(readme)
