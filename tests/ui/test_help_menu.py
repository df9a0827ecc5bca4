"""Help ▸ About (versions, licences, debug info) and Help ▸ Show log folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import QUrl, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu, QTableWidget
from pytestqt.qtbot import QtBot

from desktop import about, paths
from desktop.cache.database import Cache
from desktop.community import Community
from ui.operations import TaskManager
from ui.session.app_session import AppSession
from ui.shell import main_window
from ui.shell.about_dialog import AboutDialog
from ui.shell.main_window import MainWindow


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
    assert rows["pyqtgraph"] == "MIT" and "numpy" in rows  # the Reports pane's charts
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
