"""The Members pane's saved searches (``Settings.saved_searches``): rename and delete by name.

As the saved rules' (:mod:`desktop.rules`): a name is trimmed, never empty and
never another saved search's; a rename keeps the search where it was; a refused
rename leaves everything as it was.
"""

from __future__ import annotations

from desktop.i18n import _
from desktop.settings import Settings


class SavedSearchNameError(ValueError):
    """A saved search's name that cannot be used (empty, or taken by another saved search)."""


def saved_search_names(settings: Settings) -> list[str]:
    """The saved searches' names, in alphabetical order (any case)."""
    return sorted(settings.saved_searches, key=str.casefold)


def rename_saved_search(settings: Settings, old: str, new: str) -> str:
    """Give the saved search ``old`` the name ``new`` (trimmed, returned); ``KeyError`` if there is none."""
    if old not in settings.saved_searches:
        raise KeyError(old)
    cleaned = new.strip()
    if not cleaned:
        raise SavedSearchNameError(_("A saved search needs a name."))
    if cleaned in settings.saved_searches and cleaned != old:
        raise SavedSearchNameError(_("There is already a saved search named “{name}”.").format(name=cleaned))
    settings.saved_searches = {(cleaned if k == old else k): v for k, v in settings.saved_searches.items()}
    return cleaned


def delete_saved_search(settings: Settings, name: str) -> bool:
    """Forget the saved search ``name``; False if there was none."""
    return settings.saved_searches.pop(name, None) is not None
