"""The request category (Settings → Request category…): remembered per community, and the review
queue appears and disappears with it.

Discourse's request desk is still being built, so the forum here is a stand-in: our own sandbox
reached through a dialect that, like Discourse, has a request desk only once a category is chosen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.dialects import registry
from desktop.dialects.badgedesk_v1 import connector as badgedesk_v1
from desktop.dialects.base import RequestDesk, ServerSession
from desktop.sandbox.process import SandboxProcess
from desktop.settings import ConnectionChoice, Settings
from tests.ui.conftest import community_of, session_of, wait_idle_after_sync, window_of
from ui.shell import connection_menus
from ui.shell.controller import AppController
from ui.shell.main_window import MainWindow

KIND = "category-forum"


class CategoryForum(badgedesk_v1.CommunityApiConnector):
    """Our API, with requests only in a chosen category (as Discourse keeps them)."""

    def __init__(self, *args: Any, request_category: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_category = request_category

    @property
    def kind(self) -> str:
        return KIND

    @property
    def desk(self) -> RequestDesk | None:
        return super().desk if self.request_category else None


def open_category_forum(base_url: str, token: str, **kwargs: Any) -> ServerSession:
    kwargs.pop("username", None)
    kwargs.pop("budget", None)
    kwargs.pop("priority", None)
    return CategoryForum(base_url, token, **kwargs)


@pytest.fixture()
def forum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxProcess]:
    base = registry.DIALECTS[registry.DEFAULT_KIND]
    dialect = dataclasses.replace(
        base, kind=KIND, title="Category forum", open=open_category_forum, requests_in_category=True
    )
    monkeypatch.setitem(registry.DIALECTS, KIND, dialect)
    with SandboxProcess(data_dir=tmp_path / "sandbox", members=200, seed=2) as process:
        yield process


def review_tab_shown(window: MainWindow) -> bool:
    return window.tabs.isTabVisible(window.tabs.indexOf(window.queue))


def test_choosing_a_category_shows_the_review_queue_and_is_remembered(
    qtbot: QtBot,
    make_controller: Callable[..., AppController],
    forum: SandboxProcess,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answers = ["Badge requests", "badge-requests", ""]
    settings = Settings()
    controller = make_controller(
        settings,
        server=forum.url,
        server_kind=KIND,
        ask_token=lambda *_: forum.tokens["moderator"],
        ask_request_category=lambda _parent, _current: answers.pop(0),
    )
    wait_idle_after_sync(qtbot, controller)
    window = window_of(controller)
    assert window.request_category_action.isVisible()
    assert not review_tab_shown(window)

    told: list[str] = []
    monkeypatch.setattr(connection_menus, "tell", lambda _p, _t, text, *_a: told.append(text))
    window.request_category_action.trigger()
    assert told and "is not a category" in told[0]
    assert controller.request_category == ""

    window.request_category_action.trigger()
    qtbot.waitUntil(lambda: review_tab_shown(window), timeout=10_000)
    endpoint = community_of(controller).endpoint
    assert endpoint is not None and endpoint.request_category == "badge-requests"
    assert settings.connection(forum.url) == ConnectionChoice(KIND, "", "badge-requests")
    wait_idle_after_sync(qtbot, controller)

    window.request_category_action.trigger()
    # Said at once; the status bar moves on as the sync runs.
    assert window.status.message.text() == "No request category: no review queue."
    qtbot.waitUntil(lambda: not review_tab_shown(window), timeout=10_000)
    assert settings.connection(forum.url) == ConnectionChoice(KIND, "", "")
    capabilities = session_of(controller).capabilities
    assert capabilities is not None and not capabilities.requests
    wait_idle_after_sync(qtbot, controller)


def test_the_remembered_category_is_used_next_time(
    qtbot: QtBot, make_controller: Callable[..., AppController], forum: SandboxProcess
) -> None:
    settings = Settings()
    settings.remember_connection(forum.url, ConnectionChoice(KIND, "", "badge-requests"))
    controller = make_controller(
        settings, server=forum.url, server_kind=None, ask_token=lambda *_: forum.tokens["moderator"]
    )
    wait_idle_after_sync(qtbot, controller)
    assert controller.request_category == "badge-requests"
    qtbot.waitUntil(lambda: review_tab_shown(window_of(controller)), timeout=10_000)


def test_the_setting_is_offered_only_where_the_kind_keeps_requests_in_a_category(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = make_controller(server="http://127.0.0.1:9", ask_token=lambda *_: None)
    assert not window_of(controller).request_category_action.isVisible()
