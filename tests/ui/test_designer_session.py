"""The designer's session: it opens a designer and saves what it makes, with or without the badges pane."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.designer.document import BadgeMeta
from desktop.designer.drafts import Draft
from desktop.domain import ActionKind, ActionState
from desktop.sandbox.process import SandboxProcess
from tests.core.test_drafts import DESIGN, META, FakeBadgeServer, draft_rows, send
from tests.e2e.test_badge_designs import server_badge
from tests.ui.conftest import community_of
from tests.ui.test_badges_pane import idle, open_pane
from tests.ui.test_designer import full_badge
from ui.designer import BadgeDesigner
from ui.designer.session import DesignerSession
from ui.operations import TaskManager
from ui.session.app_session import AppSession
from ui.shell.controller import AppController


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[SandboxProcess]:
    with SandboxProcess(data_dir=tmp_path / "sandbox", members=200, seed=5) as process:
        yield process


@pytest.fixture()
def app(tmp_path: Path) -> Iterator[AppSession]:
    """An offline app session (no server) on a fresh cache."""
    cache = Cache(tmp_path / "profile")
    tasks = TaskManager()
    session = AppSession(Community("test", None, cache), tasks)
    try:
        yield session
    finally:
        assert tasks.shutdown()
        session.shutdown()
        session.deleteLater()
        tasks.deleteLater()
        cache.close()


def open_designer(
    qtbot: QtBot, app: AppSession, meta: BadgeMeta = META, *, closed_by_test: bool = False
) -> tuple[DesignerSession, BadgeDesigner]:
    session = DesignerSession(app, community="Pythonistas", categories=("Fun",))
    designer = session.open_new()
    if not closed_by_test:  # pytest-qt closes it after the test
        qtbot.addWidget(designer)
    designer.ask = lambda _title, _text: "discard"
    qtbot.waitUntil(lambda: designer.render_count >= 1 and app.tasks.active == 0)
    designer.set_draft(replace(designer.draft, meta=meta, design=DESIGN))
    return session, designer


def badge_saves(app: AppSession, *states: ActionState) -> list[object]:
    return [a for a in app.community.outbox.actions(states or None) if a.kind is ActionKind.BADGE_SAVE]


def test_a_save_is_committed_before_the_designer_says_queued(qtbot: QtBot, app: AppSession) -> None:
    session, designer = open_designer(qtbot, app)
    messages: list[str] = []
    session.message.connect(messages.append)
    committed_when_filed: list[int] = []
    session.filed.connect(lambda _key: committed_when_filed.append(len(badge_saves(app))))

    assert designer.save()
    assert designer.status.text() == "Saving…" and not designer.save_action.isEnabled()
    qtbot.waitUntil(lambda: designer.status.text() == "Queued — it is sent with the outbox")

    assert committed_when_filed == [1]
    assert len(badge_saves(app, ActionState.PENDING)) == 1
    assert designer.draft.id is not None and designer.draft.slug
    assert [row.id for row in draft_rows(app.community.cache)] == [designer.draft.id]
    assert messages == ["“Gold Star” saved; it is sent with the outbox."]
    assert not designer.isWindowModified()


def test_a_save_the_core_refuses_says_why_in_the_designer(qtbot: QtBot, app: AppSession) -> None:
    session, designer = open_designer(qtbot, app, meta=BadgeMeta())
    # The window refuses to hand over a badge without a title; the core refuses it too.
    session.save(designer.current_draft())
    qtbot.waitUntil(lambda: designer.status.text().startswith("Not saved: "))
    assert "title" in designer.status.text()
    assert designer.save_action.isEnabled()
    assert badge_saves(app) == []


def test_save_on_close_lands_after_the_designer_is_gone(qtbot: QtBot, app: AppSession) -> None:
    session, designer = open_designer(qtbot, app, closed_by_test=True)
    designer.rings_spin.setValue(3)
    messages: list[str] = []
    session.message.connect(messages.append)
    designer.ask = lambda _title, _text: "save"

    designer.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    assert not shiboken6.isValid(designer)
    assert session.designer is None

    qtbot.waitUntil(lambda: messages == ["“Gold Star” saved; it is sent with the outbox."])
    assert len(badge_saves(app, ActionState.PENDING)) == 1
    [row] = draft_rows(app.community.cache)
    assert row.title == "Gold Star"
    # Its work done and its window gone, the session goes too.
    qtbot.waitUntil(lambda: app.tasks.active == 0)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    assert not shiboken6.isValid(session)


def test_a_family_is_saved_as_three_new_badges(qtbot: QtBot, app: AppSession) -> None:
    session, designer = open_designer(qtbot, app)
    messages: list[str] = []
    session.message.connect(messages.append)
    dialog = designer.open_family_dialog()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(messages))
    assert messages == ["3 badges of the family saved; they are sent with the outbox."]
    assert len(badge_saves(app, ActionState.PENDING)) == 3


def conflicted(qtbot: QtBot, app: AppSession, fake: FakeBadgeServer) -> tuple[DesignerSession, BadgeDesigner]:
    """A saved badge edited elsewhere, then saved here over the old version: a conflict waits."""
    drafts = app.community.drafts
    drafts.save(replace(drafts.new(), meta=META, design=DESIGN))
    send(app.community.outbox, fake)
    fake.edit_elsewhere(500, title="Their Star")
    drafts.save(replace(drafts.open_badge(500), meta=replace(META, title="My Star")))
    send(app.community.outbox, fake)
    [badge] = app.community.cache.badges()
    session = DesignerSession(app, community="Pythonistas")
    opened: list[BadgeDesigner] = []
    session.opened.connect(opened.append)
    session.open_badge(badge)
    qtbot.waitUntil(lambda: bool(opened))
    designer = opened[0]
    qtbot.addWidget(designer)
    designer.ask = lambda _title, _text: "discard"
    return session, designer


def test_keep_my_version_rebases_and_the_next_save_goes_over_theirs(qtbot: QtBot, app: AppSession) -> None:
    fake = FakeBadgeServer()
    _session, designer = conflicted(qtbot, app, fake)
    assert designer.conflict_banner.isVisible()
    assert designer.document.meta.title == "My Star"

    keep = designer.conflict_banner.findChild(QPushButton, "keepMine")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not designer.conflict_banner.isVisible())
    assert designer.draft.base_version == 2
    assert badge_saves(app, ActionState.CONFLICT) == []

    designer.rings_spin.setValue(3)
    assert designer.save()
    qtbot.waitUntil(lambda: designer.status.text() == "Queued — it is sent with the outbox")
    send(app.community.outbox, fake)
    assert (fake.badges[500].title, fake.badges[500].version) == ("My Star", 3)


def test_take_the_servers_version_drops_the_edit(qtbot: QtBot, app: AppSession) -> None:
    fake = FakeBadgeServer()
    session, designer = conflicted(qtbot, app, fake)
    replaced: list[bool] = []
    session.replaced.connect(lambda: replaced.append(True))

    theirs = designer.conflict_banner.findChild(QPushButton, "takeTheirs")
    qtbot.mouseClick(theirs, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(replaced))
    assert designer.document.meta.title == "Their Star"
    assert not designer.conflict_banner.isVisible()
    assert not designer.isWindowModified()
    assert draft_rows(app.community.cache) == []
    assert app.community.outbox.pending_count() == 0


def saved_and_sent(qtbot: QtBot, app: AppSession) -> tuple[FakeBadgeServer, DesignerSession, BadgeDesigner]:
    """A designer whose badge was saved, sent and confirmed; the window says so."""
    fake = FakeBadgeServer()
    session, designer = open_designer(qtbot, app)
    assert designer.save()
    qtbot.waitUntil(lambda: designer.status.text() == "Queued — it is sent with the outbox")
    send(app.community.outbox, fake)
    session.check_sent()
    qtbot.waitUntil(lambda: designer.status.text() == "Saved on the server")
    return fake, session, designer


def test_after_a_send_the_designer_learns_what_became_of_its_save(qtbot: QtBot, app: AppSession) -> None:
    fake, session, designer = saved_and_sent(qtbot, app)

    # Edited elsewhere meanwhile: the next save from here is refused, and the window shows the conflict.
    fake.edit_elsewhere(500, title="Their Star")
    designer.set_draft(replace(designer.current_draft(), meta=replace(META, title="My Star")))
    assert designer.save()
    qtbot.waitUntil(lambda: designer.status.text() == "Queued — it is sent with the outbox")
    send(app.community.outbox, fake)
    session.check_sent()
    qtbot.waitUntil(lambda: "Not saved on the server: " in designer.status.text())
    assert "version 2" in designer.status.text()
    # Nothing typed since the save: the window shows the draft as the cache has it, in conflict.
    assert designer.conflict_banner.isVisible()


def test_a_send_after_a_save_that_sent_nothing_leaves_nothing_to_send(qtbot: QtBot, app: AppSession) -> None:
    """Every send ends by checking the open designers: one whose save sent nothing keeps saying so.

    (The badges pane test saw "Saved on the server" replace "Nothing to send" now and then: the
    sync's own send finished just after the unchanged save.)
    """
    fake, session, designer = saved_and_sent(qtbot, app)
    # The mirror has what the server confirmed: the same badge saved again sends nothing.
    assert designer.draft.id is not None
    badge_id = app.community.drafts.open_draft(designer.draft.id).badge_id
    assert badge_id is not None
    with app.community.cache.write() as connection:
        Cache.upsert_badges(connection, [fake.badges[badge_id]])
    assert designer.save()
    qtbot.waitUntil(lambda: designer.status.text() == "Nothing to send: the server has this version")

    session.check_sent()  # another send finished (someone else's actions)
    qtbot.waitUntil(lambda: app.tasks.active == 0)
    assert designer.status.text() == "Nothing to send: the server has this version"


def test_a_check_begun_before_a_save_does_not_answer_for_it(qtbot: QtBot, app: AppSession) -> None:
    _fake, session, designer = saved_and_sent(qtbot, app)
    # The check reads the draft (sent, nothing waiting), then its answer is held up until
    # the next save has been queued.
    drafts = app.community.drafts
    read, has_read, gate = drafts.open_draft, threading.Event(), threading.Event()

    def read_then_wait(draft_id: int) -> Draft:
        draft = read(draft_id)
        has_read.set()
        assert gate.wait(10)
        return draft

    drafts.open_draft = read_then_wait  # type: ignore[method-assign]
    session.check_sent()
    qtbot.waitUntil(has_read.is_set)
    drafts.open_draft = read  # type: ignore[method-assign]
    designer.set_draft(replace(designer.current_draft(), meta=replace(META, title="Silver Star")))
    assert designer.save()
    qtbot.waitUntil(lambda: designer.status.text() == "Queued — it is sent with the outbox")
    gate.set()
    qtbot.waitUntil(lambda: app.tasks.active == 0)
    assert designer.status.text() == "Queued — it is sent with the outbox"


def test_a_save_from_a_designer_whose_badges_pane_is_not_shown_reaches_the_server(
    qtbot: QtBot, make_controller: Callable[..., AppController], server: SandboxProcess
) -> None:
    controller, pane = open_pane(qtbot, make_controller, server)
    window = controller.window
    assert window is not None
    window.tabs.setCurrentWidget(window.members)
    assert not pane.isVisible()
    outbox = community_of(controller).outbox

    designer = pane.new_badge()
    designer.ask = lambda _title, _text: "discard"
    qtbot.addWidget(designer)
    qtbot.waitUntil(lambda: designer.render_count >= 1 and controller.tasks.active == 0)
    full_badge(qtbot, designer)
    assert designer.save()
    qtbot.waitUntil(lambda: designer.status.text() == "Saved on the server", timeout=30_000)
    idle(qtbot, controller)

    [action] = outbox.actions([ActionState.DONE])
    assert action.result is not None
    assert server_badge(server, action.result["badge_id"])["title"] == "Bug Hunter"
    assert window.status.message.text() == "“Bug Hunter” saved; it is sent with the outbox."
    assert not pane.isVisible()
