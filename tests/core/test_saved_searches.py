"""Saved searches renamed and deleted by name, as saved rules are."""

from __future__ import annotations

import pytest

from desktop.saved_searches import (
    SavedSearchNameError,
    delete_saved_search,
    rename_saved_search,
    saved_search_names,
)
from desktop.settings import Settings


def settings() -> Settings:
    return Settings(
        saved_searches={"b speakers": {"text": "b"}, "Alpha": {"text": "a"}, "zoe": {"text": "z"}}
    )


def test_names_are_listed_alphabetically_in_any_case() -> None:
    assert saved_search_names(settings()) == ["Alpha", "b speakers", "zoe"]


def test_a_rename_keeps_the_search_and_its_place() -> None:
    kept = settings()
    assert rename_saved_search(kept, "b speakers", "  Speakers 2025 ") == "Speakers 2025"
    assert list(kept.saved_searches) == ["Speakers 2025", "Alpha", "zoe"]
    assert kept.saved_searches["Speakers 2025"] == {"text": "b"}
    # The same name again (or only its spaces changed): nothing refused.
    assert rename_saved_search(kept, "zoe", "zoe ") == "zoe"


@pytest.mark.parametrize(
    ("new", "why"),
    [
        ("", "A saved search needs a name."),
        ("   ", "A saved search needs a name."),
        (" Alpha", "There is already a saved search named “Alpha”."),
    ],
)
def test_an_empty_or_taken_name_is_refused_and_nothing_changes(new: str, why: str) -> None:
    kept = settings()
    before = dict(kept.saved_searches)
    with pytest.raises(SavedSearchNameError, match=why):
        rename_saved_search(kept, "zoe", new)
    assert kept.saved_searches == before and list(kept.saved_searches) == list(before)


def test_renaming_or_deleting_what_is_not_there() -> None:
    kept = settings()
    with pytest.raises(KeyError):
        rename_saved_search(kept, "nope", "x")
    assert not delete_saved_search(kept, "nope")
    assert delete_saved_search(kept, "Alpha")
    assert saved_search_names(kept) == ["b speakers", "zoe"]
