"""UI fixtures: the real app controller, offscreen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot

from desktop.community import Community
from desktop.settings import Settings
from ui.session.app_session import AppSession
from ui.shell.controller import AppController
from ui.shell.main_window import MainWindow


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Any:
    """Destroy the widgets a test closed before the next test starts.

    pytest-qt closes them with ``deleteLater``, which would otherwise run in
    the next test's first event loop, in the middle of its start-up.
    """
    result = yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    return result


@pytest.fixture()
def make_controller(qtbot: QtBot) -> Iterator[Callable[..., AppController]]:
    """Start an AppController; it is shut down (pools drained, server stopped) after the test."""
    made: list[AppController] = []

    def make(**kwargs: Any) -> AppController:
        controller = AppController(Settings(), **kwargs)
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
