"""A title that moves, in the window, on the demo: mark "Hero of the Quarter", hand it over, see the server.

Badges pane → the badge → *One holder at a time…* (Ctrl+Shift+T) with its alumni
badge → *Hand over…* (Ctrl+Shift+H): the holder as the cache knows it, the new
holder picked by typing, the steps in order → queued, sent through the sandbox
over loopback → the server has exactly one holder, the previous holder the
alumni badge. A hand-over stopped because the server shows another holder
names who, in the Outbox pane.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.dialects.base import AwardItem
from desktop.domain import (
    Action,
    ActionKind,
    ActionState,
    BadgeState,
    Member,
    MemberStatus,
    new_idempotency_key,
)
from desktop.programs.titles import OneHolder, OneHolderBadges
from tests.ui.conftest import community_of, session_of, window_of
from tests.ui.test_discourse_demo_flows import forum_badge_ids
from tests.ui.test_main_window import wait_synced
from ui.badges.badge_list import BadgeListView
from ui.badges.handover_dialog import HandoverDialog
from ui.badges.model import COLUMNS
from ui.shell.controller import AppController

DEMO_MEMBERS = 300
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
    b'<circle cx="32" cy="32" r="30" fill="#d4af37"/></svg>'
)


@dataclass(frozen=True)
class Hero:
    """The demo's "Hero of the Quarter", its alumni badge, its holder and two other active members."""

    badge_id: int
    alumni_id: int
    holder: Member
    new: Member
    stranger: Member
    #: Who gave the holder the title (the other moderator), as the cache knows it.
    granted_by: str


def server_holders(controller: AppController, badge_id: int) -> set[int]:
    sandbox = controller.sandbox
    assert sandbox is not None
    with CommunityApiConnector(sandbox.url, sandbox.tokens["moderator2"]) as bob:
        return {a.member_id for a in bob.awards(None, 100, badge_id=badge_id).items}


def hero_on_demo(qtbot: QtBot, controller: AppController) -> Hero:
    """Another moderator makes the two badges on the demo and gives the title to a member; synced."""
    sandbox = controller.sandbox
    assert sandbox is not None
    cache = community_of(controller).cache
    members = cache.members_by_ids(cache.member_ids())
    active = [members[m] for m in sorted(members) if members[m].status is MemberStatus.ACTIVE]
    holder, new, stranger = active[3], active[7], active[11]
    made: dict[str, int] = {}
    with CommunityApiConnector(sandbox.url, sandbox.tokens["moderator2"]) as bob:
        for title in ("Hero of the Quarter", "Former Hero of the Quarter"):
            fields = {
                "slug": title.lower().replace(" ", "-") + "-" + uuid.uuid4().hex[:6],
                "title": title,
                "description": "Test badge.",
                "state": "published",
            }
            made[title] = bob.save_badge(
                None, fields, (SVG, "image/svg+xml"), version=None, idempotency_key=new_idempotency_key()
            ).id
        hero = made["Hero of the Quarter"]
        bob.award_batch([AwardItem(new_idempotency_key(), holder.id, hero, "First hero")])
    session_of(controller).sync()
    qtbot.waitUntil(
        lambda: (
            {b.id for b in cache.badges()} >= set(made.values())
            and server_holders(controller, hero) == {a for a in holders_in_cache(controller, hero)}
        ),
        timeout=30_000,
    )
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=30_000)
    with cache.read() as connection:
        by = connection.exec_driver_sql("SELECT granted_by FROM awards WHERE badge_id = ?", (hero,)).scalar()
    return Hero(hero, made["Former Hero of the Quarter"], holder, new, stranger, str(by))


def holders_in_cache(controller: AppController, badge_id: int) -> set[int]:
    with community_of(controller).cache.read() as connection:
        rows = connection.exec_driver_sql("SELECT member_id FROM awards WHERE badge_id = ?", (badge_id,))
        return {int(r[0]) for r in rows}


def badges_pane(qtbot: QtBot, controller: AppController, badge_id: int) -> BadgeListView:
    """The Badges pane with ``badge_id`` selected and the table focused."""
    window = window_of(controller)
    window.tabs.setCurrentWidget(window.badges)
    pane = window.badges
    pane.reload()
    qtbot.waitUntil(lambda: pane.model.row_of(badge_id) is not None, timeout=10_000)
    row = pane.model.row_of(badge_id)
    assert row is not None
    pane.table.selectRow(row)
    focus_table(qtbot, pane)
    return pane


def focus_table(qtbot: QtBot, pane: BadgeListView) -> None:
    """The window active (a closed dialog does not give it back offscreen), the table focused."""
    window = pane.window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    pane.table.setFocus()
    qtbot.waitUntil(pane.table.hasFocus)


def mark_in_window(qtbot: QtBot, pane: BadgeListView, hero: Hero) -> None:
    """*One holder at a time…* with the alumni badge, by keyboard; saved."""
    assert pane.titles.mark_action.isEnabled() and not pane.titles.mark_action.isChecked()
    assert not pane.titles.handover_action.isEnabled()
    qtbot.keyClick(
        pane.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    dialog = pane.titles.mark_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
    assert dialog.windowTitle() == "One holder at a time: Hero of the Quarter"
    # The badge itself is not offered as its own alumni badge.
    titles = [dialog.alumni_combo.itemText(i) for i in range(dialog.alumni_combo.count())]
    assert titles[0] == "No alumni badge" and "Hero of the Quarter" not in titles
    dialog.select_alumni(hero.alumni_id)
    assert dialog.alumni_combo.currentText() == "Former Hero of the Quarter"
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    cache = pane.session.community.cache
    qtbot.waitUntil(
        lambda: OneHolderBadges(cache).marking(hero.badge_id) == OneHolder(hero.badge_id, hero.alumni_id),
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: pane.model.marking_of(hero.badge_id) is not None, timeout=10_000)
    qtbot.waitUntil(pane.titles.handover_action.isEnabled, timeout=10_000)
    assert pane.titles.mark_action.isChecked()


def open_handover(qtbot: QtBot, pane: BadgeListView) -> HandoverDialog:
    focus_table(qtbot, pane)
    qtbot.keyClick(
        pane.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    dialog = pane.titles.handover_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)
    return dialog


def pick(qtbot: QtBot, dialog: HandoverDialog, member: Member) -> None:
    dialog.picker.line.setFocus()
    qtbot.keyClicks(dialog.picker.line, member.username)
    qtbot.waitUntil(lambda: dialog.picker.member is not None and dialog.picker.member.id == member.id)
    qtbot.waitUntil(lambda: not dialog.picker.searching)


def pick_from_suggestions(qtbot: QtBot, dialog: HandoverDialog, member: Member) -> None:
    """Type the member's display name, then choose them in the suggestions, by keyboard."""
    line = dialog.picker.line
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    line.setFocus()
    qtbot.keyClicks(line, member.display_name)
    completer = line.completer()
    assert completer is not None
    popup = completer.popup()
    assert popup is not None
    qtbot.waitUntil(lambda: not dialog.picker.searching and popup.isVisible(), timeout=10_000)
    assert dialog.picker.member is None  # a name is not a pick: several may share it
    assert dialog.picker.found_label.text().endswith("match: pick one from the list.")
    offered = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert name(member) in offered
    for _ in range(offered.index(name(member)) + 1):
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.picker.member is not None and dialog.picker.member.id == member.id)
    assert line.text() == name(member)


def name(member: Member) -> str:
    shown = member.display_name.strip()
    return f"@{member.username}" if not shown or shown == member.username else f"@{member.username} ({shown})"


def queued(qtbot: QtBot, dialog: HandoverDialog) -> Action:
    assert dialog.handover_button.isEnabled()
    qtbot.mouseClick(dialog.handover_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.action is not None, timeout=10_000)
    assert dialog.action is not None
    return dialog.action


def test_hero_of_the_quarter_is_marked_and_handed_over_and_the_server_has_one_holder(
    qtbot: QtBot, make_controller: Callable[..., AppController], artifacts: Path
) -> None:
    controller = make_controller(demo_members=DEMO_MEMBERS)
    wait_synced(qtbot, controller)
    hero = hero_on_demo(qtbot, controller)
    pane = badges_pane(qtbot, controller, hero.badge_id)
    mark_in_window(qtbot, pane, hero)
    # The list shows the title's holder now.
    row = pane.model.row_of(hero.badge_id)
    assert row is not None
    assert pane.model.index(row, COLUMNS.index("Title holder")).data() == name(hero.holder)
    assert pane.model.headerData(6, Qt.Orientation.Horizontal) == "Title holder"
    window_of(controller).grab().save(str(artifacts / "title-badges.png"))

    dialog = open_handover(qtbot, pane)
    assert dialog.windowTitle() == "Hand over: Hero of the Quarter"
    assert dialog.holder_label.text().startswith(f"{name(hero.holder)}, since ")
    assert dialog.alumni_label.text() == "Former Hero of the Quarter"
    assert not dialog.handover_button.isEnabled()  # nobody picked yet
    # The holder cannot be handed the title again.
    pick(qtbot, dialog, hero.holder)
    assert not dialog.handover_button.isEnabled()
    assert dialog.status_label.text() == f"{name(hero.holder)} holds it already."
    dialog.picker.line.clear()
    pick(qtbot, dialog, hero.new)
    assert dialog.status_label.text() == ""
    assert dialog.steps_label.text().splitlines() == [
        f"1. “Former Hero of the Quarter” is granted to {name(hero.holder)}.",
        f"2. “Hero of the Quarter” is granted to {name(hero.new)}.",
        f"3. {name(hero.holder)}'s “Hero of the Quarter” is revoked.",
    ]
    dialog.reason_edit.setText("Hero of Q4: ran the winter meetup")
    dialog.grab().save(str(artifacts / "handover.png"))
    action = queued(qtbot, dialog)
    # Committed before the dialog says so.
    outbox = community_of(controller).outbox
    assert [a.kind for a in outbox.actions() if a.id == action.id] == [ActionKind.HANDOVER]
    assert dialog.status_label.text() == (
        f"Queued: the outbox hands “Hero of the Quarter” over to {name(hero.new)} in the background."
    )
    assert not dialog.handover_button.isEnabled()
    qtbot.waitUntil(
        lambda: [a.state for a in outbox.actions() if a.id == action.id] == [ActionState.DONE],
        timeout=30_000,
    )
    # Exactly one holder on the server, the new one; the previous holder keeps the alumni badge.
    assert server_holders(controller, hero.badge_id) == {hero.new.id}
    assert hero.holder.id in server_holders(controller, hero.alumni_id)
    dialog.close()
    # The list follows the local copy.
    qtbot.waitUntil(
        lambda: pane.model.index(pane.model.row_of(hero.badge_id) or 0, 6).data() == name(hero.new),
        timeout=10_000,
    )

    # Holders by period: both, the new one handed it by this moderator.
    row = pane.model.row_of(hero.badge_id)
    assert row is not None
    pane.table.selectRow(row)
    focus_table(qtbot, pane)
    qtbot.keyClick(
        pane.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    holders = pane.titles.holders_dialog
    assert holders is not None
    qtbot.waitUntil(lambda: holders.rows is not None, timeout=10_000)
    assert holders.rows is not None
    assert [r.holder for r in holders.rows][:1] == [name(hero.new)]
    assert name(hero.holder) in [r.holder for r in holders.rows]
    model = holders.table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Period", "Holder", "Since", "Until", "Handed over by"]
    assert model.index(0, 3).data() == "holds it now"
    assert model.index(0, 4).data() == outbox.actor and outbox.actor
    # The first holder's row names who granted it, though the grant is gone from the local copy.
    last = model.rowCount() - 1
    assert (model.index(last, 1).data(), model.index(last, 4).data()) == (name(hero.holder), hero.granted_by)
    assert hero.granted_by and hero.granted_by != outbox.actor
    holders.grab().save(str(artifacts / "title-holders.png"))
    holders.close()


def test_a_hand_over_refused_because_the_server_shows_another_holder_names_who(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = make_controller(demo_members=DEMO_MEMBERS)
    wait_synced(qtbot, controller)
    hero = hero_on_demo(qtbot, controller)
    pane = badges_pane(qtbot, controller, hero.badge_id)
    mark_in_window(qtbot, pane, hero)
    window, session = window_of(controller), session_of(controller)
    view = window.outbox
    # Sending paused, so Bob's hand-over lands between the queueing and the send.
    qtbot.mouseClick(view.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.paused)
    dialog = open_handover(qtbot, pane)
    pick_from_suggestions(qtbot, dialog, hero.new)
    action = queued(qtbot, dialog)
    sandbox = controller.sandbox
    assert sandbox is not None
    with CommunityApiConnector(sandbox.url, sandbox.tokens["moderator2"]) as bob:
        bob.award_batch([AwardItem(new_idempotency_key(), hero.stranger.id, hero.badge_id, "Bob was faster")])
    dialog.close()
    window.tabs.setCurrentWidget(view)
    qtbot.mouseClick(view.pause_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not session.paused)
    outbox = community_of(controller).outbox
    qtbot.waitUntil(
        lambda: [a.state for a in outbox.actions() if a.id == action.id] == [ActionState.CONFLICT],
        timeout=30_000,
    )
    view.show_combo.setCurrentText("Needs your decision")
    qtbot.waitUntil(lambda: view.item_model.rowCount() == 1, timeout=10_000)
    why = view.item_model.index(0, 5).data()
    assert why == (
        f"Held by @{hero.stranger.username} on the server,"
        f" not @{hero.holder.username}: nothing revoked. (skip)"
    )
    # Nothing was revoked: the previous holder and Bob's both hold it; the new one has nothing.
    assert server_holders(controller, hero.badge_id) == {hero.holder.id, hero.stranger.id}
    QApplication.processEvents()


def test_a_title_is_handed_over_on_the_discourse_demo(
    qtbot: QtBot, discourse_demo: AppController, artifacts: Path
) -> None:
    controller = discourse_demo
    sandbox = controller.sandbox
    assert sandbox is not None
    cache = community_of(controller).cache
    members = cache.members_by_ids(cache.member_ids())
    held: dict[int, set[int]] = {}
    with cache.read() as connection:
        for badge_id, member_id in connection.exec_driver_sql("SELECT badge_id, member_id FROM awards"):
            held.setdefault(badge_id, set()).add(member_id)
    single = [b for b in cache.badges() if b.state is BadgeState.PUBLISHED and not b.multiple_grant]
    title = next(b for b in single if len(held.get(b.id, ())) == 1)
    [previous] = held[title.id]
    alumni = next(b for b in single if b.id != title.id and previous not in held.get(b.id, ()))
    new = next(
        members[m] for m in sorted(members) if members[m].status is MemberStatus.ACTIVE and m != previous
    )
    OneHolderBadges(cache).mark(title.id, alumni.id)
    pane = badges_pane(qtbot, controller, title.id)
    qtbot.waitUntil(pane.titles.handover_action.isEnabled, timeout=10_000)
    dialog = open_handover(qtbot, pane)
    # Discourse keeps only a link as a grant's reason: the field says so.
    assert dialog.reason_edit.placeholderText() == "A link to a topic or post of the forum"
    assert "keeps only a link" in dialog.reason_edit.toolTip()
    assert dialog.holder_label.text().startswith(f"{name(members[previous])}, since ")
    pick(qtbot, dialog, new)
    action = queued(qtbot, dialog)
    outbox = community_of(controller).outbox
    qtbot.waitUntil(
        lambda: [a.state for a in outbox.actions() if a.id == action.id] == [ActionState.DONE],
        timeout=60_000,
    )
    assert title.id in forum_badge_ids(sandbox, new.username)
    assert title.id not in forum_badge_ids(sandbox, members[previous].username)
    assert forum_badge_ids(sandbox, members[previous].username).count(alumni.id) == 1
    dialog.close()
