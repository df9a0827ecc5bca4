"""Every window and dialog fits a 1366×768 screen, and a 1024×700 one (issue 17, "Fit on real screens").

The windows are the keyboard walk's (tests/ui/test_keyboard_walk.py): its walk is
run with each window checked for fit instead (:mod:`tests.ui.screen_fit`), so a
dialog added there is covered here too. Each window is placed as on the screen
(the main window maximised on each tab, a dialog clamped to it) and read: nothing
sticks out, no text is cut. The screenshots go to ``artifacts/fit-1366/`` and
``artifacts/fit-1024/``, with the problems found in ``problems.txt`` there.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop import settings as settings_store
from desktop.domain import ActionKind
from desktop.settings import Settings
from tests.ui import test_keyboard_walk as walk
from tests.ui.conftest import window_of
from tests.ui.screen_fit import SCREENS, place_on_screen, unfit
from ui.shell.controller import AppController
from ui.widgets import small_screens
from ui.widgets.elided_label import ElidedLabel


def _walk_for_fit(
    qtbot: QtBot, controller: AppController, screen: QSize, shots: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, list[str]]:
    """The keyboard walk's windows and dialogs, each placed on ``screen``: name → what does not fit."""
    found: dict[str, list[str]] = {}

    def fit_of(qtbot: QtBot, name: str, window: QWidget) -> list[str]:
        window.show()
        qtbot.waitExposed(window)
        place_on_screen(window, screen)
        found[name] = unfit(window, screen)
        window.grab().save(str(shots / f"{re.sub(r'[^a-z0-9]+', '_', name.lower()).strip('_')}.png"))
        return []  # the walk's own checks are the keyboard walk's business

    monkeypatch.setattr(walk, "problems_of", fit_of)
    # Windows that size themselves to their screen see this one (the offscreen screen is 800×800).
    monkeypatch.setattr(small_screens, "available_room", lambda _window: screen)
    walk.test_every_window_and_dialog_can_be_walked_by_keyboard(qtbot, controller)
    walk.test_the_dialogs_that_run_their_own_loop_can_be_walked_by_keyboard(qtbot, controller)
    # The walk's revoke is a correction's; a new batch opened to revoke too (its own wording and defaults).
    fit_of(qtbot, "batch dialog, revoke", window_of(controller).new_batch((), ActionKind.REVOKE))
    return found


@pytest.mark.parametrize("size", list(SCREENS))
def test_every_window_and_dialog_fits_the_screen(
    size: str,
    qtbot: QtBot,
    discourse_demo: AppController,
    artifacts: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = SCREENS[size]
    shots = artifacts / f"fit-{size}"
    shots.mkdir(exist_ok=True)
    found = _walk_for_fit(qtbot, discourse_demo, screen, shots, monkeypatch)
    assert len(found) >= 20, f"the walk showed only {sorted(found)}"
    report = [f"{name}: {len(problems)}" for name, problems in found.items()]
    report += [f"{name}: {problem}" for name, problems in found.items() for problem in problems]
    (shots / "problems.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    problems = [f"{name}: {problem}" for name, problems in found.items() for problem in problems]
    assert problems == [], f"{len(problems)} problems at {size}:\n" + "\n".join(problems)


# --- the check itself -----------------------------------------------------------------


def _dialog(qtbot: QtBot, *widgets: QWidget) -> QDialog:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    for widget in widgets:
        layout.addWidget(widget)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_dialog_larger_than_the_screen_does_not_fit(qtbot: QtBot) -> None:
    big = QWidget()
    big.setMinimumSize(1200, 720)
    dialog = _dialog(qtbot, big)
    place_on_screen(dialog, SCREENS["1024"])
    problems = unfit(dialog, SCREENS["1024"])
    assert any("more than the 1024×700 screen" in p for p in problems), problems
    assert any("is off the screen" in p for p in problems), problems
    place_on_screen(dialog, QSize(1600, 1000))
    assert unfit(dialog, QSize(1600, 1000)) == []


def test_a_squeezed_button_and_a_cut_label_are_found_an_elided_label_is_not(qtbot: QtBot) -> None:
    text = "A rather long line of text that needs room"
    box = QWidget()
    box.setFixedWidth(120)
    inner = QVBoxLayout(box)
    inner.addWidget(QPushButton(text))
    inner.addWidget(QLabel(text))
    dialog = _dialog(qtbot, box)
    place_on_screen(dialog, SCREENS["1366"])
    problems = unfit(dialog, SCREENS["1366"])
    assert len([p for p in problems if "is cut" in p]) == 2, problems

    elided = ElidedLabel(text)
    holder = QWidget()
    holder.setFixedWidth(120)
    QVBoxLayout(holder).addWidget(elided)
    fine = _dialog(qtbot, holder)
    place_on_screen(fine, SCREENS["1366"])
    assert unfit(fine, SCREENS["1366"]) == []
    assert elided.is_elided() and text in elided.toolTip()
    assert elided.text() == text
    # Room again: the whole text, and the label's own tooltip back.
    elided.setToolTip("own")
    holder.setFixedWidth(600)
    qtbot.waitUntil(lambda: not elided.is_elided())
    assert elided.toolTip() == "own"


def test_a_wrapped_label_lower_than_its_lines_is_cut(qtbot: QtBot) -> None:
    label = QLabel("word " * 80)
    label.setWordWrap(True)
    label.setFixedHeight(20)
    dialog = _dialog(qtbot, label)
    dialog.resize(300, 200)
    place_on_screen(dialog, SCREENS["1366"])
    assert any("its lines need" in p for p in unfit(dialog, SCREENS["1366"]))


# --- splitters keep their place -------------------------------------------------------


def _drag(qtbot: QtBot, splitter: QSplitter, by: int) -> None:
    """Drag the splitter's first handle ``by`` pixels, as the user would."""
    handle = splitter.handle(1)
    start = handle.rect().center()
    horizontal = splitter.orientation() == Qt.Orientation.Horizontal
    end = start + (QPoint(by, 0) if horizontal else QPoint(0, by))
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(handle, end)
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=end)


def _drag_templates(qtbot: QtBot, dialog: QDialog, sizes: dict[str, list[int]], by: int = 80) -> bool:
    """The templates dialog as the review queue runs it: shown, its splitter dragged ``by``, cancelled."""
    dialog.show()
    qtbot.waitExposed(dialog)
    splitter = dialog.findChild(QSplitter, "templatesSplitter")
    assert splitter is not None
    if by:
        before = splitter.sizes()
        _drag(qtbot, splitter, by)
        assert splitter.sizes() != before
    sizes["templatesSplitter"] = splitter.sizes()
    dialog.hide()
    return False


def test_the_splitters_are_where_the_user_left_them_next_time(
    qtbot: QtBot, make_controller: Callable[..., AppController], tmp_path: Path
) -> None:
    # The Getting started strip opens by itself on the first run only: the two runs' panes would
    # differ in height, and a vertical splitter shares a different height in proportion.
    settings = Settings(getting_started_shown=True)
    first = make_controller(settings, demo_members=300)
    window = window_of(first)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    moved: dict[str, list[int]] = {}
    named = ("memberSplitter", "reviewSplitter", "outboxSplitter", "reportSplitter")
    for pane, name in zip((window.members, window.queue, window.outbox, window.reports), named, strict=True):
        window.tabs.setCurrentWidget(pane)
        splitter = pane.findChild(QSplitter, name)
        assert splitter is not None, name
        before = splitter.sizes()
        _drag(qtbot, splitter, -120)
        assert splitter.sizes() != before, name
        moved[name] = splitter.sizes()
    designer = window.badges.new_badge()
    qtbot.waitExposed(designer)
    designer_splitter = designer.findChild(QSplitter, "designerSplitter")
    assert designer_splitter is not None
    _drag(qtbot, designer_splitter, 60)
    moved["designerSplitter"] = designer_splitter.sizes()
    designer.close()
    window.queue.run_dialog = lambda dialog: _drag_templates(qtbot, dialog, moved)
    window.queue.edit_templates()
    first.shutdown()

    # The next run (the settings as the app saves and loads them).
    path = tmp_path / "settings.json"
    settings_store.save(settings, path)
    again = make_controller(settings_store.load(path), demo_members=300)
    window = window_of(again)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    panes = (window.members, window.queue, window.outbox, window.reports)
    shown: dict[str, list[int]] = {}
    for name, sizes in moved.items():
        if name == "templatesSplitter":
            window.queue.run_dialog = lambda dialog: _drag_templates(qtbot, dialog, shown, by=0)
            window.queue.edit_templates()
            assert shown[name] == sizes, name
            continue
        if name == "designerSplitter":
            designer = window.badges.new_badge()
            qtbot.waitExposed(designer)
            splitter = designer.findChild(QSplitter, name)
        else:
            splitter = window.findChild(QSplitter, name)
            assert splitter is not None
            window.tabs.setCurrentWidget(next(p for p in panes if p.isAncestorOf(splitter)))
        assert splitter is not None
        assert splitter.sizes() == sizes, name


def test_the_windows_open_within_a_small_screen(
    qtbot: QtBot, make_controller: Callable[..., AppController], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first time (no size remembered): the main window, the batch dialog and the designer."""
    screen = SCREENS["1024"]
    monkeypatch.setattr(small_screens, "available_room", lambda _window: screen)
    room = screen - small_screens.FRAME_ALLOWANCE
    window = window_of(make_controller(demo_members=300))
    assert window.width() <= room.width() and window.height() <= room.height()
    batch = window.new_batch((), ActionKind.REVOKE)
    assert batch.width() <= room.width() and batch.height() <= room.height()
    designer = window.badges.new_badge()
    assert designer.width() <= room.width() and designer.height() <= room.height()
    designer.close()


def test_a_two_part_form_goes_side_by_side_where_it_is_wide_enough(qtbot: QtBot) -> None:
    first, second = QWidget(), QWidget()
    first.setMinimumSize(400, 500)
    second.setMinimumSize(400, 300)
    dialog = _dialog(qtbot, small_screens.side_by_side(first, second, "form"))
    arrangement = dialog.findChild(small_screens.SideBySide)
    assert arrangement is not None
    dialog.resize(1000, 700)
    qtbot.waitUntil(lambda: arrangement.side_by_side)
    assert first.geometry().top() == second.geometry().top()
    dialog.resize(700, 700)
    qtbot.waitUntil(lambda: not arrangement.side_by_side)
    assert second.geometry().top() >= first.geometry().bottom()
    place_on_screen(dialog, SCREENS["1024"])
    assert unfit(dialog, SCREENS["1024"]) == []  # stacked, the form scrolls
