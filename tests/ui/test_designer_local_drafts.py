"""The designer on a server without drafts (Discourse): it says where the draft lives, and publishes.

An offline app session whose stored capabilities are a forum's without
drafts or award messages: saving keeps the badge on this computer (nothing
is queued), the note says so, and Publish queues the one create.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.cache import kept_messages
from desktop.cache.database import Cache
from desktop.community import Community
from desktop.domain import ActionKind, BadgeState
from desktop.sync import KEY_CAPABILITIES
from tests.core.test_drafts import DESIGN, META
from tests.core.test_local_drafts import forum_capabilities
from tests.ui.conftest import community_of, session_of, window_of
from tests.ui.test_designer_session import badge_saves, open_designer
from ui.badges.badge_list import BadgeListView
from ui.badges.model import COLUMNS
from ui.designer.session import DRAFT_KEPT_HERE
from ui.operations import TaskManager
from ui.session.app_session import AppSession
from ui.shell.controller import AppController

NOTE = "Kept on this computer until published: Discourse has no drafts."


def _app(tmp_path: Path, *, drafts: bool) -> Iterator[AppSession]:
    cache = Cache(tmp_path / "profile")
    capabilities = replace(forum_capabilities(drafts=drafts, messages=drafts), kind="discourse")
    with cache.write() as connection:
        Cache.set_sync_state(connection, {KEY_CAPABILITIES: capabilities.to_json()})
    tasks = TaskManager()
    session = AppSession(Community("test", None, cache), tasks)
    # As read from the cache at start (the app would sync too; this session has no server).
    session.capabilities = capabilities
    try:
        yield session
    finally:
        assert tasks.shutdown()
        session.shutdown()
        session.deleteLater()
        tasks.deleteLater()
        cache.close()


@pytest.fixture()
def forum_app(tmp_path: Path) -> Iterator[AppSession]:
    yield from _app(tmp_path, drafts=False)


@pytest.fixture()
def drafts_app(tmp_path: Path) -> Iterator[AppSession]:
    yield from _app(tmp_path, drafts=True)


def test_the_designer_says_the_draft_stays_here_saves_nothing_to_send_and_publishes_once(
    qtbot: QtBot, forum_app: AppSession
) -> None:
    app = forum_app
    session, designer = open_designer(qtbot, app)
    messages: list[str] = []
    session.message.connect(messages.append)

    assert NOTE in designer.notes_banner.text()
    assert "award message is kept on this computer" in designer.notes_banner.text()
    assert designer.notes_banner.isVisible()
    assert designer.publish_action.isVisible() and designer.publish_action.isEnabled()

    assert designer.save()
    qtbot.waitUntil(lambda: app.tasks.active == 0 and designer.status.text() != "Saving…")
    assert designer.status.text() == "Saved on this computer: publish it to create it on the server"
    assert badge_saves(app) == []
    assert messages == ["“Gold Star” is saved on this computer; it reaches the server when you publish it."]
    assert not designer.isWindowModified()

    assert designer.publish()
    qtbot.waitUntil(lambda: designer.status.text() == "Queued — it is sent with the outbox")
    [create] = badge_saves(app)
    assert create.payload["state"] == BadgeState.PUBLISHED.value  # type: ignore[attr-defined]
    assert messages[-1] == "“Gold Star” is published; it is created on the server with the outbox."
    # Once published, the note no longer says the draft stays here.
    assert NOTE not in designer.notes_banner.text()
    assert not designer.publish_action.isVisible()


def test_on_a_server_with_drafts_there_is_no_note_and_no_publish(
    qtbot: QtBot, drafts_app: AppSession
) -> None:
    app = drafts_app
    _session, designer = open_designer(qtbot, app)
    assert DRAFT_KEPT_HERE.split(":")[0] not in designer.notes_banner.text()
    assert not designer.publish_action.isVisible()
    assert designer.save()
    qtbot.waitUntil(lambda: designer.status.text() == "Queued — it is sent with the outbox")
    assert len(badge_saves(app)) == 1


def test_the_badges_list_publishes_a_draft_kept_here(qtbot: QtBot, forum_app: AppSession) -> None:
    app = forum_app
    community = app.community
    saved = community.drafts.save(replace(community.drafts.new(), meta=META, design=DESIGN)).draft
    assert badge_saves(app) == []
    pane = BadgeListView(app)
    qtbot.addWidget(pane)
    assert app.capabilities is not None
    pane.apply_capabilities(app.capabilities)
    pane.reload()
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1)
    note = pane.model.index(0, COLUMNS.index("Not yet on the server")).data()
    assert note == "draft: kept on this computer until published"
    pane.table.selectRow(0)

    assert pane.state_button.isEnabled()
    enabled = {state for state, action in pane.state_actions.items() if action.isEnabled()}
    assert enabled == {BadgeState.PUBLISHED}  # a draft kept here can only be published
    messages: list[str] = []
    pane.message.connect(messages.append)
    pane.state_actions[BadgeState.PUBLISHED].trigger()
    qtbot.waitUntil(lambda: len(badge_saves(app)) == 1 and app.tasks.active == 0)

    [create] = badge_saves(app)
    assert create.payload["draft_id"] == saved.id  # type: ignore[attr-defined]
    assert create.payload["state"] == BadgeState.PUBLISHED.value  # type: ignore[attr-defined]
    assert messages == ["“Gold Star” is published; it is created on the server with the outbox."]


def test_on_the_discourse_demo_a_designed_badge_reaches_the_forum_only_when_published(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = make_controller(demo_members=40, demo_dialect="discourse")
    session = session_of(controller)
    qtbot.waitUntil(lambda: session.last_sync is not None, timeout=120_000)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=60_000)
    community = community_of(controller)
    before = {b.id for b in community.cache.badges()}
    pane = window_of(controller).badges
    designer = pane.new_badge()
    designer.ask = lambda _title, _text: "discard"
    designer.set_draft(replace(designer.draft, meta=replace(META, category=""), design=DESIGN))
    assert NOTE in designer.notes_banner.text()

    assert designer.save()
    qtbot.waitUntil(lambda: designer.status.text().startswith("Saved on this computer"), timeout=10_000)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=30_000)
    assert community.outbox.actions() == []

    assert designer.publish()
    qtbot.waitUntil(lambda: designer.status.text() == "Saved on the server", timeout=30_000)
    [made] = [b for b in community.cache.badges() if b.id not in before]
    assert (made.title, made.state) == ("Gold Star", BadgeState.PUBLISHED)
    # The forum's badge carries no award message; the one kept here is the badge's.
    assert made.award_message == community.drafts.default_message()
    qtbot.waitUntil(lambda: NOTE not in designer.notes_banner.text() and controller.tasks.active == 0)
    designer.close()


def test_the_batch_plan_counts_the_award_messages_kept_here(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = make_controller(demo_members=40, demo_dialect="discourse")
    session = session_of(controller)
    qtbot.waitUntil(lambda: session.last_sync is not None, timeout=120_000)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=60_000)
    assert session.capabilities is not None and session.capabilities.local_award_messages
    # Private messages come with the Discourse messenger (another part of issue 14).
    session.capabilities = replace(session.capabilities, messages_apart=True)
    cache = community_of(controller).cache
    published = [b for b in cache.badges() if b.state is BadgeState.PUBLISHED]
    assert all(b.award_message == "" for b in published)  # the forum's badges carry none
    silent, greeted = published[0], published[1]
    with cache.write() as connection:
        kept_messages.keep(connection, greeted.id, "Well done, {member}!", 0)
    with cache.read() as connection:
        members = [int(r[0]) for r in connection.exec_driver_sql("SELECT id FROM members LIMIT 3")]

    def plan_of(badge_id: int) -> str:
        dialog = window_of(controller).new_batch(members, ActionKind.AWARD)
        qtbot.waitUntil(lambda: dialog.badge_combo.count() > 0, timeout=10_000)
        dialog.select_badge(badge_id)
        dialog.start_dry_run()
        qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
        first: str = dialog.plan_view.text.text().splitlines()[0]
        dialog.close()
        return first

    assert "award message" in plan_of(greeted.id)
    assert "award message" not in plan_of(silent.id)


def test_a_family_on_a_server_without_drafts_stays_here(qtbot: QtBot, forum_app: AppSession) -> None:
    session, designer = open_designer(qtbot, forum_app)
    messages: list[str] = []
    session.message.connect(messages.append)
    dialog = designer.open_family_dialog()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(messages))
    assert messages == [
        "3 badges of the family are saved on this computer; each reaches the server when you publish it."
    ]
    assert badge_saves(forum_app) == []
    assert len(forum_app.community.drafts.local_drafts()) == 3
