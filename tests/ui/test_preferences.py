"""Settings ▸ Preferences: one dialog over the app's settings, with the platform's Preferences key."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMenu
from pytestqt.qtbot import QtBot

from desktop.settings import Settings
from tests.ui.conftest import session_of, window_of
from ui.shell import preferences_dialog
from ui.shell.controller import AppController
from ui.shell.preferences_dialog import PreferenceHooks, PreferencesDialog
from ui.shortcuts.settings_dialog import ShortcutSettingsDialog


def dialog_on(qtbot: QtBot, settings: Settings, hooks: PreferenceHooks | None = None) -> PreferencesDialog:
    dialog = PreferencesDialog(settings, hooks)
    qtbot.addWidget(dialog)
    return dialog


def test_the_values_round_trip_to_the_settings(qtbot: QtBot) -> None:
    settings = Settings()
    applied: list[int] = []
    dialog = dialog_on(qtbot, settings, PreferenceHooks(apply_sync_interval=applied.append))
    assert dialog.sync_interval.value() == 120
    assert dialog.chosen_language() == ""
    assert dialog.language.currentText() == "System default"
    assert dialog.demo_members.value() == 20_000
    assert dialog.demo_members.text() == "20,000"

    dialog.sync_interval.setValue(600)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.demo_members.setValue(5_000)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (settings.sync_interval_s, settings.language, settings.demo_members) == (600, "en", 5_000)
    assert applied == [600]
    again = dialog_on(qtbot, settings)
    assert again.sync_interval.value() == 600
    assert again.language.currentText() == "English"
    assert again.demo_members.value() == 5_000


def test_ok_without_changes_keeps_every_value_and_applies_nothing(qtbot: QtBot) -> None:
    """Values the dialog does not offer (a language set by hand, a tiny demo) survive OK untouched."""
    settings = Settings(sync_interval_s=45, language="pseudo", demo_members=30)
    applied: list[int] = []
    dialog = dialog_on(qtbot, settings, PreferenceHooks(apply_sync_interval=applied.append))
    assert dialog.language.currentText() == "pseudo"
    dialog.accept()
    assert (settings.sync_interval_s, settings.language, settings.demo_members) == (45, "pseudo", 30)
    assert applied == []


def test_zero_means_only_by_hand(qtbot: QtBot) -> None:
    settings = Settings()
    dialog = dialog_on(qtbot, settings)
    dialog.sync_interval.setValue(0)
    assert dialog.sync_interval.text() == "Only by hand"
    dialog.accept()
    assert settings.sync_interval_s == 0


@pytest.mark.parametrize("close", ["cancel button", "escape"])
def test_cancel_changes_nothing(qtbot: QtBot, close: str) -> None:
    settings = Settings()
    before = Settings()
    applied: list[int] = []
    dialog = dialog_on(qtbot, settings, PreferenceHooks(apply_sync_interval=applied.append))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.sync_interval.setValue(30)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.demo_members.setValue(1_000)
    if close == "escape":
        qtbot.keyClick(dialog.sync_interval, Qt.Key.Key_Escape)
    else:
        dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert settings == before
    assert applied == []


def test_the_other_settings_dialogs_open_from_it(qtbot: QtBot) -> None:
    opened: list[str] = []
    dialog = dialog_on(
        qtbot,
        Settings(),
        PreferenceHooks(
            edit_shortcuts=lambda: opened.append("shortcuts"), edit_templates=lambda: opened.append("t")
        ),
    )
    dialog.shortcuts_button.click()
    dialog.templates_button.click()
    assert opened == ["shortcuts", "t"]
    without = dialog_on(qtbot, Settings())
    assert without.shortcuts_button.isHidden() and without.templates_button.isHidden()


def test_the_settings_menu_opens_it_by_its_key_and_the_interval_applies_at_once(
    qtbot: QtBot, make_controller: Callable[..., AppController], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(demo_members=100)
    controller = make_controller(settings)
    window = window_of(controller)
    session = session_of(controller)
    action = window.preferences_action
    assert action.menuRole() == QAction.MenuRole.PreferencesRole
    assert action.text() == "&Preferences…"
    assert QKeySequence("Ctrl+,") in action.shortcuts()
    for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences):
        assert key in action.shortcuts()
    settings_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Settings")
    assert isinstance(settings_menu, QMenu) and settings_menu.actions()[0] is action

    # Ctrl+, opens it (run here instead of exec: OK after changing the interval).
    opened: list[PreferencesDialog] = []

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, PreferencesDialog)
        opened.append(dialog)
        assert dialog.settings is settings
        dialog.sync_interval.setValue(300)
        dialog.accept()
        return True

    real = preferences_dialog.edit_preferences
    monkeypatch.setattr(preferences_dialog, "edit_preferences", lambda w: real(w, run))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1
    assert settings.sync_interval_s == 300
    assert session.sync_interval_s == 300

    # Its Keyboard shortcuts button opens the review queue's shortcuts dialog.
    shown: list[QDialog] = []

    def record(dialog: QDialog) -> bool:
        shown.append(dialog)
        return False

    window.queue.run_dialog = record

    def open_shortcuts(dialog: QDialog) -> bool:
        assert isinstance(dialog, PreferencesDialog)
        dialog.shortcuts_button.click()
        dialog.sync_interval.setValue(0)
        dialog.accept()
        return True

    assert real(window, open_shortcuts)
    assert [type(d) for d in shown] == [ShortcutSettingsDialog]
    assert session.sync_interval_s == 0
