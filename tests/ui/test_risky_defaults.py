"""Risky defaults: no badge is preselected in a picker, and Enter does not discontinue a badge."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.domain import Award, BadgeState
from tests.core.test_cache import T0, badge, member
from tests.ui.test_quit_warning import pseudo_translated
from ui.badges.badge_list import BadgeListView
from ui.operations import TaskManager
from ui.session.app_session import AppSession
from ui.widgets.badge_picker import ask_choice

TITLES = ["Contest Winner", "Helper", "Winter Speaker"]


def when_modal(act: Callable[[QDialog], None]) -> list[QDialog]:
    """Run ``act`` on the next modal dialog once it shows (it must close it)."""
    seen: list[QDialog] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible():
            QTimer.singleShot(20, look)
            return
        seen.append(dialog)
        act(dialog)

    QTimer.singleShot(20, look)
    return seen


@pytest.fixture()
def parent(qtbot: QtBot) -> Iterator[QWidget]:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    yield widget


def test_the_badge_picker_starts_empty_and_ok_waits_for_a_badge(
    qtbot: QtBot, parent: QWidget, artifacts: Path
) -> None:
    states: list[tuple[int, str, bool]] = []

    def choose(dialog: QDialog) -> None:
        # Noted, not asserted here: a failure inside the dialog's own loop would leave it open.
        try:
            combo = dialog.findChild(QComboBox, "badgePickerCombo")
            ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)  # type: ignore[union-attr]
            line = combo.lineEdit()  # type: ignore[union-attr]
            states.append((combo.currentIndex(), line.placeholderText(), ok.isEnabled()))  # type: ignore[union-attr]
            dialog.grab().save(str(artifacts / "badge_picker_empty.png"))
            # Enter with nothing chosen picks nothing (OK is disabled): the dialog stays open.
            qtbot.keyClick(combo, Qt.Key.Key_Return)
            states.append((combo.currentIndex(), "open" if dialog.isVisible() else "closed", ok.isEnabled()))  # type: ignore[union-attr]
            combo.setCurrentIndex(1)  # type: ignore[union-attr]
            states.append((combo.currentIndex(), combo.currentText(), ok.isEnabled()))  # type: ignore[union-attr]
            qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        finally:
            if dialog.isVisible():
                dialog.reject()

    seen = when_modal(choose)
    assert ask_choice(parent, "Holds badge", TITLES) == 1
    assert seen
    assert states == [(-1, "Choose a badge", False), (-1, "open", False), (1, "Helper", True)]


def test_the_badge_picker_answers_none_when_nothing_was_chosen(qtbot: QtBot, parent: QWidget) -> None:
    def accept_anyway(dialog: QDialog) -> None:
        dialog.accept()

    when_modal(accept_anyway)
    assert ask_choice(parent, "Holds badge", TITLES) is None


@pytest.fixture()
def badges_pane(qtbot: QtBot, tmp_path: Path) -> Iterator[BadgeListView]:
    """The Badges pane on a cache (no server): badge 1 held by three members, badge 2 by one."""
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(connection, [member(i) for i in range(1, 5)])
        Cache.upsert_badges(connection, [badge(1), badge(2)])
        grants = [(1, 1), (2, 1), (3, 1), (4, 2)]
        Cache.upsert_awards(
            connection, [Award(100 + n, m, b, T0, "Alice", "") for n, (m, b) in enumerate(grants)]
        )
    tasks = TaskManager()
    session = AppSession(Community("test", None, cache), tasks)
    pane = BadgeListView(session)
    qtbot.addWidget(pane)
    pane.show()
    pane.reload()
    qtbot.waitUntil(lambda: pane.model.rowCount() == 2)
    yield pane
    tasks.shutdown()
    cache.close()
    session.deleteLater()
    tasks.deleteLater()


def select(pane: BadgeListView, badge_id: int) -> None:
    row = pane.model.row_of(badge_id)
    assert row is not None
    pane.table.selectRow(row)


def test_enter_does_not_discontinue_a_badge(
    qtbot: QtBot, badges_pane: BadgeListView, artifacts: Path
) -> None:
    pane = badges_pane
    select(pane, 1)
    shown: list[str] = []

    defaults: list[bool] = []

    def press_enter(dialog: QDialog) -> None:
        # Noted, not asserted here: a failure inside the box's own loop would leave it open.
        if isinstance(dialog, QMessageBox):
            shown.append(dialog.text())
            defaults.append(dialog.defaultButton() is dialog.button(QMessageBox.StandardButton.No))
            dialog.grab().save(str(artifacts / "discontinue_question.png"))
        qtbot.keyClick(dialog, Qt.Key.Key_Return)
        if dialog.isVisible():
            dialog.reject()

    seen = when_modal(press_enter)
    pane.change_state(BadgeState.DISCONTINUED)
    assert seen and not seen[0].isVisible()
    assert defaults == [True]
    assert shown == ["Discontinue “Badge 1”? 3 members keep it; no one can be awarded it any more."]
    qtbot.waitUntil(lambda: pane.session.tasks.active == 0)
    assert pane.session.community.outbox.actions() == []


def test_the_question_counts_the_holders_who_keep_the_badge(qtbot: QtBot, badges_pane: BadgeListView) -> None:
    pane = badges_pane
    questions: list[str] = []

    def answer(_title: str, text: str) -> bool:
        questions.append(text)
        return len(questions) == 2

    pane.confirm = answer
    select(pane, 2)
    pane.change_state(BadgeState.DISCONTINUED)  # No
    assert questions == ["Discontinue “Badge 2”? 1 member keeps it; no one can be awarded it any more."]
    select(pane, 2)
    pane.change_state(BadgeState.DISCONTINUED)  # Yes
    qtbot.waitUntil(lambda: len(pane.session.community.outbox.actions()) == 1)


def test_the_new_texts_are_translated(qtbot: QtBot, badges_pane: BadgeListView, tmp_path: Path) -> None:
    texts: list[str] = []

    def read(dialog: QDialog) -> None:
        combo = dialog.findChild(QComboBox, "badgePickerCombo")
        if combo is not None and combo.lineEdit() is not None:
            texts.append(combo.lineEdit().placeholderText())  # type: ignore[union-attr]
        dialog.reject()

    with pseudo_translated(tmp_path, "ui/badges/badge_list.py", "ui/widgets/badge_picker.py"):
        held = next(b for b in badges_pane.session.community.cache.badges() if b.id == 1)
        texts.append(badges_pane._discontinue_question(held))
        when_modal(read)
        ask_choice(badges_pane, "Holds badge", TITLES)
    assert len(texts) == 2
    assert [text for text in texts if not text.startswith("[")] == []
