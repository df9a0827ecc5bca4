"""Posts and trust level in the rule builder (issue 16): offered only where the session's server lists
them (Discourse), edited by keyboard, counted; a saved rule using them on a server without them says
so instead of selecting no one; the member detail shows both when known."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.domain import Member, MemberStatus, utc_now
from desktop.member_search import MemberQuery, query_to_dict
from desktop.rules import AllOf, HasTrustLevel, Not, Posts, TrustLevel, save_rule
from desktop.settings import Settings
from ui.operations import TaskManager
from ui.search.member_search import MemberSearchView
from ui.search.rules.rule_builder import RuleBuilderDialog
from ui.search.rules.rule_parts import Kind

NOW = utc_now()

#: A Discourse session's capabilities as far as the builder reads them; v1's lack member_activity.
DISCOURSE = Capabilities(
    kind="discourse",
    changes_feed=False,
    requests=False,
    badge_editing=True,
    edit_conflicts=False,
    messages=True,
    award_messages=True,
    delivery=Delivery.RECONCILE,
    batch_cap=1,
    member_activity=True,
)
V1 = replace(DISCOURSE, kind="badgedesk-v1", changes_feed=True, member_activity=False)


def member(i: int, user: str, trust: int | None, posts: int | None) -> Member:
    joined = NOW - timedelta(days=400 * i)
    return Member(
        i, user, user.title(), f"{user}@example.org", joined, NOW, MemberStatus.ACTIVE, (), trust, posts
    )


MEMBERS = [
    member(1, "alice", 3, 1200),
    member(2, "bob", 1, 4),
    member(3, "carol", 4, 25_000),
    member(4, "dave", 0, 0),
    member(5, "erin", 2, 60),
]


def make_view(
    qtbot: QtBot, tmp_path: Path, capabilities: Capabilities, members: list[Member]
) -> MemberSearchView:
    cache = Cache(tmp_path / "cache")
    with cache.write() as connection:
        Cache.upsert_members(connection, members)
    community = Community("test", None, cache)
    tasks = TaskManager()
    from ui.session.app_session import AppSession

    session = AppSession(community, tasks)
    session.capabilities = capabilities
    widget = MemberSearchView(session, Settings())
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    widget.reload()
    qtbot.waitUntil(lambda: widget.idle and widget.model.rowCount() == len(members))
    return widget


@pytest.fixture()
def views(qtbot: QtBot, tmp_path: Path) -> Iterator[list[MemberSearchView]]:
    made: list[MemberSearchView] = []
    yield made
    for view in made:
        if view.rules.dialog is not None:
            view.rules.dialog.reject()
        view.session.tasks.shutdown()
        view.session.community.close()


def open_builder(view: MemberSearchView, qtbot: QtBot) -> RuleBuilderDialog:
    """Opened by its key (Ctrl+Shift+F) from the pane."""
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view)
    view.search_box.setFocus()
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view.search_box, Qt.Key.Key_F, keys)
    dialog = view.rules.dialog
    assert dialog is not None, "Ctrl+Shift+F opened no rule builder"
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.idle)
    return dialog


def kinds(view: MemberSearchView) -> list[Kind]:
    dialog = view.rules.dialog
    assert dialog is not None
    return [dialog.editor.kind.itemData(i) for i in range(dialog.editor.kind.count())]


def test_offered_on_a_discourse_session_and_not_on_v1(
    qtbot: QtBot, tmp_path: Path, views: list[MemberSearchView]
) -> None:
    forum = make_view(qtbot, tmp_path / "forum", DISCOURSE, MEMBERS)
    views.append(forum)
    open_builder(forum, qtbot)
    assert {Kind.POSTS, Kind.TRUST_LEVEL} <= set(kinds(forum))
    unknown = [replace(m, trust_level=None, post_count=None) for m in MEMBERS]
    v1 = make_view(qtbot, tmp_path / "v1", V1, unknown)
    views.append(v1)
    open_builder(v1, qtbot)
    assert not {Kind.POSTS, Kind.TRUST_LEVEL} & set(kinds(v1))
    # Capabilities learnt later (the first sync of a forum): offered from then on.
    v1.session._set_capabilities(DISCOURSE)
    assert {Kind.POSTS, Kind.TRUST_LEVEL} <= set(kinds(v1))


def test_posts_and_trust_level_built_by_keyboard_select_and_count(
    qtbot: QtBot, tmp_path: Path, views: list[MemberSearchView], artifacts: Path
) -> None:
    view = make_view(qtbot, tmp_path, DISCOURSE, MEMBERS)
    views.append(view)
    dialog = open_builder(view, qtbot)
    editor = dialog.editor
    # Insert a condition, make it "Posts": at least 60.
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Insert)
    assert editor.kind.hasFocus()
    editor.kind.setCurrentIndex(editor.kind.findData(Kind.POSTS))
    qtbot.keyClick(editor.kind, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # past "Not"
    assert editor.posts.mode.hasFocus() and editor.posts.mode.currentText() == "at least"
    qtbot.keyClick(editor.posts.mode, Qt.Key.Key_Tab)
    assert editor.posts.low.hasFocus()
    qtbot.keyClick(editor.posts.low, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.posts.low, "60")
    root = dialog.root
    assert root.child(0).text(0) == "Wrote at least 60 posts"  # type: ignore[union-attr]
    assert dialog.rule() == AllOf((Posts(at_least=60),))
    qtbot.waitUntil(lambda: dialog.idle and dialog.count == 3)  # alice, carol, erin

    # AND trust level regular or leader, ticked by Alt+3 / Alt+4 (new conditions start with both:
    # untick leader, tick member, then tick leader back).
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Insert)
    editor.kind.setCurrentIndex(editor.kind.findData(Kind.TRUST_LEVEL))
    boxes = editor.trust_levels
    assert [box.text() for box in boxes.values()] == [
        "&0: new user",
        "&1: basic user",
        "&2: member",
        "&3: regular",
        "&4: leader",
    ]
    assert [b.isChecked() for b in boxes.values()] == [False, False, False, True, True]
    dialog.activateWindow()  # mnemonics act in the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    # A mnemonic clicks its check box animated (the toggle comes a moment later).
    qtbot.keyClick(editor.kind, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not boxes[TrustLevel.LEADER].isChecked())
    qtbot.keyClick(editor.kind, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: boxes[TrustLevel.MEMBER].isChecked())
    assert root.child(1).text(0) == "Trust level is member, regular"  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: dialog.idle and dialog.count == 2)  # alice, erin
    qtbot.keyClick(editor.kind, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: boxes[TrustLevel.LEADER].isChecked())
    trusted = HasTrustLevel(frozenset({TrustLevel.MEMBER, TrustLevel.REGULAR, TrustLevel.LEADER}))
    assert dialog.rule() == AllOf((Posts(at_least=60), trusted))
    qtbot.waitUntil(lambda: dialog.idle and dialog.count == 3)
    dialog.grab().save(str(artifacts / "rule_builder_trust_level.png"))

    # "Not" and "from … to": every operator reaches the count; 25,000 reads with digit grouping.
    dialog.tree.setCurrentItem(root.child(0) or root)
    editor.posts.mode.setCurrentIndex(2)
    editor.posts.high.setValue(25_000)
    editor.condition_not.setChecked(True)
    assert root.child(0).text(0) == "Not: Wrote from 60 to 25,000 posts"  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: dialog.idle and dialog.count == 0)
    editor.condition_not.setChecked(False)
    qtbot.waitUntil(lambda: dialog.idle and dialog.count == 3)
    dialog.grab().save(str(artifacts / "rule_builder_posts_trust.png"))

    # Shown in the pane: those members, all selected.
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.idle and sorted(view.model.ids) == [1, 3, 5])


def test_a_saved_rule_on_a_server_without_them_explains(
    qtbot: QtBot, tmp_path: Path, views: list[MemberSearchView]
) -> None:
    unknown = [replace(m, trust_level=None, post_count=None) for m in MEMBERS]
    view = make_view(qtbot, tmp_path, V1, unknown)
    views.append(view)
    said: list[str] = []
    view.message.connect(said.append)
    save_rule(view.settings, "Prolific", AllOf((Posts(at_least=100),)))
    save_rule(view.settings, "Quiet ones", Not(Posts(at_least=1)))
    view.rules.run_saved("Prolific")
    assert said == [
        "The rule “Prolific” has conditions on posts or trust level, which this community's server does"
        " not list: it cannot select anyone here. Edit it in the rule builder."
    ]
    assert view.rules.shown_name == "" and view.query.rule is None  # not run
    view.rules.run_saved("Quiet ones")  # NOT would select everyone: no more meaningful
    assert len(said) == 2 and "“Quiet ones”" in said[1]
    # A saved search carrying such a rule, the same.
    view.settings.saved_searches["Prolific search"] = query_to_dict(MemberQuery(rule=Posts(at_least=100)))
    view.open_saved("Prolific search")
    assert said[2].startswith("The saved search “Prolific search” has a rule with conditions on posts")
    assert view.query.rule is None

    # Opened in the builder: the condition shows (its kind kept in the list while shown), and the
    # count line says why instead of "0 members"; "Show members" keeps the builder open.
    dialog = open_builder(view, qtbot)
    dialog.open_saved("Prolific")
    dialog.tree.setCurrentItem(dialog.root.child(0) or dialog.root)
    assert dialog.editor.kind.currentData() is Kind.POSTS
    qtbot.waitUntil(
        lambda: dialog.idle and "does not list posts or trust levels" in dialog.count_label.text()
    )
    assert dialog.count is None
    dialog.show_members()
    assert dialog.isVisible()
    # Back to a condition the server has: the kind list offers posts no longer.
    dialog.editor.kind.setCurrentIndex(dialog.editor.kind.findData(Kind.JOINED))
    assert Kind.POSTS not in kinds(view)
    qtbot.waitUntil(lambda: dialog.idle and dialog.count is not None)


def test_the_member_detail_shows_trust_level_and_posts_when_known(
    qtbot: QtBot, tmp_path: Path, views: list[MemberSearchView], artifacts: Path
) -> None:
    members = [*MEMBERS, member(6, "frank", None, None)]
    view = make_view(qtbot, tmp_path, DISCOURSE, members)
    views.append(view)
    row = view.model.ids.index(3)
    view.table.selectRow(row)
    qtbot.waitUntil(lambda: view.detail.detail is not None and view.detail.detail.member.id == 3)
    fields = view.detail.fields
    assert fields["Trust level"].text() == "leader (4)"
    assert fields["Posts"].text() == "25,000"
    assert fields["Trust level"].isVisibleTo(view) and fields["Posts"].isVisibleTo(view)
    view.grab().save(str(artifacts / "member_detail_trust_posts.png"))
    view.table.selectRow(view.model.ids.index(6))
    qtbot.waitUntil(lambda: view.detail.detail is not None and view.detail.detail.member.id == 6)
    assert not fields["Trust level"].isVisibleTo(view) and not fields["Posts"].isVisibleTo(view)
