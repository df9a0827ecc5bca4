"""UI fixtures: the real app controller, offscreen; a Discourse forum and the Discourse demo."""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.community import Community
from desktop.dialects import registry
from desktop.net.budget import RateLimit
from desktop.sandbox.process import SandboxProcess
from desktop.settings import Settings
from ui.i18n import install_translations, remove_translations
from ui.main_thread_gc import MainThreadCollector
from ui.session.app_session import AppSession
from ui.shell.controller import AppController
from ui.shell.demo import DEMO_DISCOURSE_RATE
from ui.shell.main_window import MainWindow


@pytest.fixture(autouse=True, scope="session")
def english_as_in_the_united_states(qapp: QApplication) -> Iterator[None]:
    """The views in English with US conventions ("20,000", "1/5/24"), whatever the machine's locale."""
    install_translations(qapp, "en_US")
    # As in the app (ui/app.py): cycles holding Qt objects are collected on the GUI thread only.
    collector = MainThreadCollector(qapp)
    yield
    collector.stop()
    remove_translations(qapp)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Any:
    """Destroy the widgets a test closed before the next test starts.

    pytest-qt closes them with ``deleteLater``, which would otherwise run in
    the next test's first event loop, in the middle of its start-up.
    """
    result = yield
    release_modifiers()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    gc.collect()  # the test's cycles, here on the GUI thread (never on the next test's workers)
    return result


def release_modifiers() -> None:
    """Let go of Shift, Ctrl and Alt if a test's last key left them down.

    The application's modifier state is that of the last key event, and
    ``qtbot.keyClick(w, key, Shift)`` ends with a release that still carries
    Shift: the next test's ``selectRow`` would then extend or toggle the
    selection instead of selecting one row.
    """
    if QGuiApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier:
        return
    target = QWidget()
    QTest.keyRelease(target, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier)
    target.deleteLater()


@pytest.fixture()
def make_controller(qtbot: QtBot) -> Iterator[Callable[..., AppController]]:
    """Start an AppController; it is shut down (pools drained, server stopped) after the test.

    ``settings``: shared by controllers that stand for two runs of the app (fresh by default).
    """
    made: list[AppController] = []

    def make(settings: Settings | None = None, **kwargs: Any) -> AppController:
        controller = AppController(settings or Settings(), **kwargs)
        made.append(controller)
        controller.start()
        qtbot.waitUntil(lambda: controller.window is not None, timeout=10_000)
        assert controller.window is not None
        qtbot.addWidget(controller.window)
        return controller

    yield make
    for controller in made:
        controller.shutdown()
        assert controller.tasks.active == 0
        assert controller.tasks.writer.activeThreadCount() == 0
        assert controller.tasks.readers.activeThreadCount() == 0
        assert controller.tasks.network.activeThreadCount() == 0
        assert controller.tasks.rows.activeThreadCount() == 0
        assert controller.sandbox is None


# A controller from make_controller has started: its community, session and window
# are set once, before make() returns, and never cleared. The controller types
# them Optional (they are None before start), so tests read them through these.


def window_of(controller: AppController) -> MainWindow:
    assert controller.window is not None, "the controller has not started"
    return controller.window


def session_of(controller: AppController) -> AppSession:
    assert controller.session is not None, "the controller has not started"
    return controller.session


def community_of(controller: AppController) -> Community:
    assert controller.community is not None, "the controller has not started"
    return controller.community


def wait_idle_after_sync(qtbot: QtBot, controller: AppController, timeout: int = 120_000) -> None:
    """Until the first sync has ended well and nothing runs (sends included)."""
    qtbot.waitUntil(lambda: session_of(controller).last_sync is not None, timeout=timeout)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=timeout)


# --- Discourse ---------------------------------------------------------------------

#: Members of the Discourse demo and forum in UI tests: pages of 100, a few seconds to sync.
DISCOURSE_MEMBERS = 300


@pytest.fixture()
def discourse_demo(qtbot: QtBot, make_controller: Callable[..., AppController]) -> AppController:
    """The app on the Discourse demo (``badgedesk --demo-dialect discourse``), synced and idle.

    For tests that drive the window against Discourse (search, batches, requests, badges).
    """
    controller = make_controller(demo_members=DISCOURSE_MEMBERS, demo_dialect="discourse")
    wait_idle_after_sync(qtbot, controller)
    return controller


@pytest.fixture()
def discourse_forum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxProcess]:
    """A forum speaking Discourse on loopback, reached with ``--server`` (not as the demo).

    Its limit is raised, as the demo's, and the client told so: a first sync takes seconds,
    not minutes at Discourse's 60 requests a minute.
    """
    raised = RateLimit(requests=DEMO_DISCOURSE_RATE, period=60.0)
    dialect = dataclasses.replace(registry.DIALECTS["discourse"], rate_limit=raised)
    monkeypatch.setitem(registry.DIALECTS, "discourse", dialect)
    with SandboxProcess(
        data_dir=tmp_path / "discourse-forum",
        members=DISCOURSE_MEMBERS,
        seed=11,
        dialect="discourse",
        rate=DEMO_DISCOURSE_RATE,
    ) as process:
        yield process


#: The main window's panes, in their tab order (their titles without the mnemonic's "&").
EVERY_PANE = ["Members", "Badges", "Review queue", "Outbox", "Audit log", "History", "Reports", "Programs"]
