"""The Help menu: About (versions, licences, debug info), Show log folder, and the guides."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QTableWidget
from pytestqt.qtbot import QtBot

from desktop import about, paths, user_guide
from desktop.cache.database import Cache
from desktop.community import Community
from desktop.settings import Settings
from tests.ui.conftest import window_of
from ui.operations import TaskManager
from ui.session.app_session import AppSession
from ui.shell import main_window
from ui.shell.about_dialog import AboutDialog
from ui.shell.controller import AppController
from ui.shell.main_window import MainWindow
from ui.shell.user_guide_dialog import UserGuideDialog


@pytest.fixture()
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    """The main window on an empty cache (no server)."""
    cache = Cache(tmp_path / "cache.sqlite3")
    tasks = TaskManager()
    session = AppSession(Community("test", None, cache), tasks)
    main = MainWindow(session)
    qtbot.addWidget(main)
    yield main
    tasks.shutdown()
    cache.close()
    session.deleteLater()
    tasks.deleteLater()


def help_actions(window: MainWindow) -> list[str]:
    menus = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    assert isinstance(menus[0], QMenu)
    return [a.text() for a in menus[0].actions()]


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def test_show_log_folder_opens_the_log_dir(window: MainWindow) -> None:
    assert "Show &log folder" in help_actions(window)
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    window.open_url = open_url
    window.show_log_action.trigger()
    assert [Path(url.toLocalFile()) for url in opened] == [paths.log_dir()]
    assert paths.log_dir().is_dir()


def test_without_a_file_manager_the_folder_is_named(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(main_window, "tell", lambda _parent, _title, text: told.append(text))
    window.open_url = lambda _url: False
    window.show_log_folder()
    assert told == [f"No file manager could be opened. BadgeDesk's log is in {paths.log_dir()}"]


def test_about_shows_versions_and_licences(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = dialog.summary.text()
    assert f"BadgeDesk {about.version()}" in text
    assert f"Qt {qVersion()}" in text and f"PySide {PySide6.__version__}" in text
    assert about.python_version() in text
    cells = dialog.libraries
    rows = {cell_text(cells, row, 0): cell_text(cells, row, 2) for row in range(cells.rowCount())}
    # Direct and indirect dependencies, with the licence their metadata declares.
    assert rows["httpx"] == "BSD-3-Clause"
    assert "LGPL-3.0-only" in rows["PySide6_Essentials"]
    assert "h11" in rows  # through httpx → httpcore
    assert "pyqtgraph" not in rows and "numpy" not in rows  # the Reports chart is drawn by Qt
    assert "pytest" not in rows  # a test tool, not bundled
    assert "badgedesk" not in {name.lower() for name in rows}


def test_copy_debug_info_has_versions_and_hides_the_home_folder(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    home = tmp_path / "home" / "alice"
    monkeypatch.setattr(Path, "home", classmethod(lambda _cls: home))
    monkeypatch.setenv("BADGEDESK_LOG_DIR", str(home / ".local" / "state" / "BadgeDesk" / "log"))
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert f"BadgeDesk: {about.version()}" in copied
    assert f"Qt: {qVersion()}" in copied and "Qt platform: offscreen" in copied
    assert "Log folder: ~/.local/state/BadgeDesk/log" in copied
    assert "alice" not in copied
    assert dialog.copy_button.text() == "Copied"


# --- the guides: keyboard shortcuts, user guide, getting started (issue 17) ----------------


def test_the_help_menu_has_the_guides_with_their_keys(window: MainWindow) -> None:
    assert help_actions(window) == [
        "&Getting started",
        "&Keyboard shortcuts",
        "&User guide",
        "",
        "&About BadgeDesk",
        "Show &log folder",
    ]
    # Getting started is the demo's: the controller shows it there (test below).
    assert not window.help.getting_started_action.isVisible()
    assert window.help.shortcuts_action.shortcut().toString() == "?"
    assert window.help.getting_started_action.shortcut().toString() == "Shift+F1"
    assert window.help.guide_action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    # Rebinding the review queue's key renames it in the menu too.
    window.queue.shortcuts.set_key("review.help", "F2")
    assert window.help.shortcuts_action.shortcut().toString() == "F2"


def active(qtbot: QtBot, window: MainWindow) -> None:
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_the_shortcuts_key_shows_the_review_keys_from_any_pane(qtbot: QtBot, window: MainWindow) -> None:
    active(qtbot, window)
    window.tabs.setCurrentWidget(window.members)
    window.members.table.setFocus()
    overlay = window.queue.help
    qtbot.keyClick(window.members.table, "?")
    assert window.tabs.currentWidget() is window.queue and overlay.isVisible()
    # On the queue the key is its own again (one action for it there, else Qt answers neither).
    qtbot.keyClick(overlay, "?")
    assert not overlay.isVisible()
    window.queue.table.setFocus()
    qtbot.keyClick(window.queue.table, "?")
    assert overlay.isVisible()
    qtbot.keyClick(overlay, Qt.Key.Key_Escape)
    # And from the menu.
    window.tabs.setCurrentWidget(window.audit)
    window.help.shortcuts_action.trigger()
    assert window.tabs.currentWidget() is window.queue and overlay.isVisible()


def test_no_review_queue_no_shortcuts_list(window: MainWindow) -> None:
    window.help.set_review_available(False)
    assert not window.help.shortcuts_action.isEnabled()
    assert not window.help.other_panes_key.isEnabled()
    window.help.set_review_available(True)
    assert window.help.shortcuts_action.isEnabled()


def test_the_user_guide_opens_offline_with_its_contents(
    qtbot: QtBot, window: MainWindow, artifacts: Path
) -> None:
    active(qtbot, window)
    qtbot.keyClick(window.tabs, Qt.Key.Key_F1)
    guide = window.help.guide
    assert guide is not None and guide.isVisible()
    headings = guide.headings()
    assert [h for h in headings if h in user_guide.SECTIONS] == list(user_guide.SECTIONS)
    assert "Correcting a batch from its history" in headings
    text = guide.browser.toPlainText()
    assert "Getting started" in text and "Restart demo server" in text
    # A heading of the contents brings its section to the top.
    row = headings.index("Keyboard")
    guide.contents.setCurrentRow(row)
    cursor = guide.browser.textCursor()
    assert cursor.block().text() == "Keyboard"
    assert guide.browser.cursorRect().top() < 40
    guide.grab().save(str(artifacts / "help-user-guide.png"))
    # Web links go to the browser; the README's links to its own files lead nowhere offline.
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    guide.open_url = open_url
    guide.browser.anchorClicked.emit(QUrl("https://doc.qt.io/"))
    guide.browser.anchorClicked.emit(QUrl("docs/discourse-badges.md"))
    assert opened == [QUrl("https://doc.qt.io/")]
    # One at a time: F1 again raises the same.
    assert window.help.open_guide() is guide
    guide.reject()
    assert window.help.guide is None


def test_a_missing_guide_is_said(qtbot: QtBot) -> None:
    def missing() -> str:
        raise FileNotFoundError("BadgeDesk resource not found: /opt/badgedesk/resources/user-guide.md")

    guide = UserGuideDialog(read=missing)
    qtbot.addWidget(guide)
    assert guide.browser.toPlainText() == (
        "The user guide is missing from this installation: "
        "BadgeDesk resource not found: /opt/badgedesk/resources/user-guide.md"
    )
    assert guide.headings() == []


def test_getting_started_opens_on_the_demos_first_start_only(
    qtbot: QtBot, make_controller: Callable[..., AppController], artifacts: Path
) -> None:
    settings = Settings(demo_members=200)
    first = window_of(make_controller(settings))
    panel = first.help.panel
    assert first.help.getting_started_action.isVisible()
    assert panel.isVisibleTo(first) and settings.getting_started_shown
    steps = [(step.keys, step.text.split(":")[0]) for step in panel.shown_steps()]
    assert steps == [
        ("Ctrl+1, then Ctrl+F", "Find a member"),
        ("Ctrl+B", "Award a badge to a list of members"),
        ("Ctrl+3, then A or D", "Clear the review queue"),
        ("Ctrl+4", "Watch your work reach the server in the Outbox"),
        ("Ctrl+2, then Ctrl+N", "Design a badge"),
    ]
    assert "? lists every key" in panel.shown_steps()[2].text
    first.resize(1366, 768)
    first.show()
    qtbot.waitExposed(first)
    first.grab().save(str(artifacts / "help-getting-started.png"))
    first.resize(1024, 700)
    first.help.show_getting_started()
    qtbot.wait(50)
    first.grab().save(str(artifacts / "help-getting-started-1024.png"))
    # A strip under the panes, at most a quarter of the window: the panes come first.
    assert panel.height() <= first.height() // 4 + 1
    panel.close_button.click()
    assert not panel.isVisibleTo(first)
    first.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is first)
    qtbot.keyClick(first.tabs, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    assert panel.isVisibleTo(first)
    first.close()


def test_getting_started_does_not_open_by_itself_again(
    make_controller: Callable[..., AppController],
) -> None:
    again = window_of(make_controller(Settings(demo_members=200, getting_started_shown=True)))
    assert again.help.getting_started_action.isVisible()
    assert not again.help.panel.isVisibleTo(again)
