"""Saved searches ▸ Rename or delete…: the menu entry and the dialog, driven as the user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from desktop.settings import Settings
from ui.search.saved_searches_dialog import SavedSearchesDialog
from ui.search.search_bar import SearchBar

SAVED = {"Speakers": {"text": "s"}, "Zoë": {"text": "z"}, "active & new": {"text": "a"}}


@pytest.fixture()
def settings() -> Settings:
    return Settings(saved_searches={k: dict(v) for k, v in SAVED.items()})


@pytest.fixture()
def dialog(qtbot: QtBot, settings: Settings) -> SavedSearchesDialog:
    made = SavedSearchesDialog(settings)
    qtbot.addWidget(made)
    made.show()
    return made


def names(dialog: SavedSearchesDialog) -> list[str]:
    return [dialog.list.item(i).text() for i in range(dialog.list.count())]


def bar(qtbot: QtBot, settings: Settings, opened: list[str]) -> SearchBar:
    owner = QWidget()
    qtbot.addWidget(owner)
    made = SearchBar(
        owner,
        settings,
        add_filter=lambda **_change: None,
        badges=lambda: [],
        groups=lambda: [],
        open_saved=opened.append,
        save_search=lambda _name: None,
        say=lambda _text: None,
    )
    qtbot.addWidget(made)
    return made


def menu_texts(search_bar: SearchBar) -> list[str]:
    menu = search_bar.saved_button.menu()
    search_bar._fill_saved_menu()
    return [action.text() for action in menu.actions()]


def test_the_menu_offers_rename_or_delete_once_there_are_saved_searches(qtbot: QtBot) -> None:
    opened: list[str] = []
    empty = bar(qtbot, Settings(), opened)
    assert menu_texts(empty) == ["Save this search…"]
    kept = Settings(saved_searches=dict(SAVED))
    search_bar = bar(qtbot, kept, opened)
    assert menu_texts(search_bar) == [
        "Save this search…",
        "",
        "active && new",
        "Speakers",
        "Zoë",
        "",
        "&Rename or delete…",
    ]
    shown: list[list[str]] = []

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, SavedSearchesDialog)
        shown.append(names(dialog))
        dialog.list.setCurrentRow(2)
        dialog.open_button.click()  # opens "Zoë" and closes
        return dialog.result() == QDialog.DialogCode.Accepted

    search_bar.run_dialog = run
    manage = search_bar.saved_button.menu().actions()[-1]
    manage.trigger()
    assert shown == [["active & new", "Speakers", "Zoë"]]
    assert opened == ["Zoë"]


def test_rename_refuses_an_empty_or_taken_name_and_keeps_the_old_one(
    dialog: SavedSearchesDialog, settings: Settings, qtbot: QtBot, artifacts: Path
) -> None:
    dialog.select("Speakers")
    answers = iter(["", "  ", "Zoë", None, " Speakers 2025 "])
    dialog.ask_name = lambda current: next(answers)
    for why in ("A saved search needs a name.",) * 2 + ("There is already a saved search named “Zoë”.",):
        dialog.rename_button.click()
        assert dialog.message_label.text() == why
        assert settings.saved_searches == SAVED
        assert dialog.current_name() == "Speakers"
    dialog.grab().save(str(artifacts / "saved_searches_refused.png"))
    dialog.rename_button.click()  # cancelled: nothing happens
    assert settings.saved_searches == SAVED
    # F2 on the list renames too.
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_F2)
    assert dialog.message_label.text() == "Renamed “Speakers” to “Speakers 2025”."
    assert settings.saved_searches == {
        "Speakers 2025": {"text": "s"},
        "Zoë": {"text": "z"},
        "active & new": {"text": "a"},
    }
    assert names(dialog) == ["active & new", "Speakers 2025", "Zoë"]
    assert dialog.current_name() == "Speakers 2025"
    dialog.grab().save(str(artifacts / "saved_searches.png"))


def test_delete_asks_first_and_no_keeps_the_search(
    dialog: SavedSearchesDialog, settings: Settings, qtbot: QtBot
) -> None:
    asked: list[str] = []
    answer = [False]

    def confirm(text: str) -> bool:
        asked.append(text)
        return answer[0]

    dialog.confirm_delete = confirm
    dialog.select("Zoë")
    dialog.delete_button.click()
    assert asked == ["Delete the saved search “Zoë”? This cannot be undone."]
    assert "Zoë" in settings.saved_searches and names(dialog) == ["active & new", "Speakers", "Zoë"]
    answer[0] = True
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Delete)
    assert "Zoë" not in settings.saved_searches
    assert names(dialog) == ["active & new", "Speakers"]
    assert dialog.message_label.text() == "Deleted the saved search “Zoë”."
    assert dialog.current_name() == "Speakers"
    for name in ("Speakers", "active & new"):
        dialog.delete(name)
    assert settings.saved_searches == {}
    assert not dialog.delete_button.isEnabled() and not dialog.rename_button.isEnabled()
