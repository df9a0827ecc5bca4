"""Holders by period, in the window, on the demo; unmarking; the title dialogs for the walks.

Hero of the Quarter handed over twice (queued as the dialog does, sent through the
sandbox over loopback) → *Holders by period…* (Ctrl+Shift+Y) lists three holders in
this quarter, newest first, each until the next one's since, and by year the same;
*One holder at a time…* unticked → the badge is an ordinary badge again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop.domain import ActionState, BadgeState
from desktop.programs.periods import Cadence, containing
from desktop.programs.titles import OneHolderBadges, queue_handover
from tests.ui.conftest import community_of, session_of
from tests.ui.test_handover import (
    DEMO_MEMBERS,
    badges_pane,
    focus_table,
    hero_on_demo,
    mark_in_window,
    name,
    server_holders,
)
from tests.ui.test_main_window import wait_synced
from ui.badges.badge_list import BadgeListView
from ui.badges.handover_dialog import HandoverDialog
from ui.badges.holders_dialog import TitleHoldersDialog
from ui.badges.model import BadgeRole
from ui.badges.title_mark_dialog import TitleMarkDialog
from ui.shell.controller import AppController
from ui.shell.main_window import MainWindow


def test_holders_by_period_list_every_holder_and_unmarking_ends_the_title(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = make_controller(demo_members=DEMO_MEMBERS)
    wait_synced(qtbot, controller)
    hero = hero_on_demo(qtbot, controller)
    pane = badges_pane(qtbot, controller, hero.badge_id)
    mark_in_window(qtbot, pane, hero)
    outbox = community_of(controller).outbox
    session = session_of(controller)
    for new in (hero.new, hero.stranger):
        action = queue_handover(outbox, hero.badge_id, new.id, reason="Handed over")
        session.send_outbox()
        qtbot.waitUntil(
            lambda action=action: (
                [a.state for a in outbox.actions() if a.id == action.id]  # type: ignore[misc]
                == [ActionState.DONE]
            ),
            timeout=30_000,
        )
        qtbot.waitUntil(lambda: not session.sending, timeout=30_000)
    assert server_holders(controller, hero.badge_id) == {hero.stranger.id}
    assert server_holders(controller, hero.alumni_id) >= {hero.holder.id, hero.new.id}

    pane.reload()
    qtbot.waitUntil(lambda: pane.model.row_of(hero.badge_id) is not None)
    focus_table(qtbot, pane)
    pane.table.selectRow(pane.model.row_of(hero.badge_id) or 0)
    qtbot.keyClick(
        pane.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    dialog = pane.titles.holders_dialog
    assert isinstance(dialog, TitleHoldersDialog)
    assert dialog.windowTitle() == "Holders by period: Hero of the Quarter"
    assert dialog.cadence_combo.currentText() == "Quarters"
    qtbot.waitUntil(lambda: dialog.rows is not None, timeout=10_000)
    today = datetime.now().astimezone().date()
    quarter = containing(Cadence.QUARTERLY, today).key
    assert dialog.rows is not None
    assert [(r.period, r.holder) for r in dialog.rows] == [
        (quarter, name(hero.stranger)),
        (quarter, name(hero.new)),
        (quarter, name(hero.holder)),
    ]
    newest, middle, first = dialog.rows
    assert newest.until is None and middle.until == newest.since and first.until == middle.since
    assert newest.by == middle.by == outbox.actor and first.by == hero.granted_by
    model = dialog.table.model()
    assert model.rowCount() == 3 and model.index(1, 1).data() == name(hero.new)
    # By year: the same three, in this year.
    dialog.cadence_combo.setCurrentIndex(dialog.cadence_combo.findText("Years"))
    qtbot.waitUntil(
        lambda: dialog.rows is not None and dialog.rows[0].period == str(today.year), timeout=10_000
    )
    assert dialog.rows is not None and len(dialog.rows) == 3
    dialog.close()

    # Unmarked: an ordinary badge again; nothing to hand over, no title holder shown.
    focus_table(qtbot, pane)
    qtbot.keyClick(
        pane.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    mark = pane.titles.mark_dialog
    assert isinstance(mark, TitleMarkDialog)
    qtbot.waitUntil(lambda: mark.loaded, timeout=10_000)
    assert mark.one_holder_check.isChecked()
    assert mark.alumni_combo.currentText() == "Former Hero of the Quarter"
    mark.one_holder_check.setChecked(False)
    assert not mark.alumni_combo.isEnabled()
    qtbot.mouseClick(mark.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    cache = community_of(controller).cache
    qtbot.waitUntil(lambda: OneHolderBadges(cache).marking(hero.badge_id) is None, timeout=10_000)
    qtbot.waitUntil(lambda: pane.model.marking_of(hero.badge_id) is None, timeout=10_000)
    assert not pane.titles.handover_action.isEnabled() and not pane.titles.mark_action.isChecked()
    row = pane.model.row_of(hero.badge_id)
    assert row is not None and pane.model.index(row, 6).data() == ""


# --- for the keyboard and translation walks (tests/ui/every_window.py) ---------------------------


def _marked_badge(qtbot: QtBot, window: MainWindow) -> BadgeListView:
    """The Badges pane with a badge held by one member selected, marked one holder at a time."""
    view = window.badges
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    rows = range(view.model.rowCount())
    badges = [view.model.index(r, 0).data(BadgeRole) for r in rows]
    published = [r for r in rows if badges[r].state is BadgeState.PUBLISHED and badges[r].id > 0]
    # Held by one member, else any published badge: a title can be handed over only when published.
    row = next((r for r in published if view.model.holders_of(badges[r].id) == 1), published[0])
    badge = badges[row]
    others = [badges[r].id for r in published if r != row]
    OneHolderBadges(view.session.community.cache).mark(badge.id, others[0])
    view.reload()
    qtbot.waitUntil(lambda: view.model.marking_of(badge.id) is not None, timeout=10_000)
    view.table.selectRow(view.model.row_of(badge.id) or 0)
    return view


def open_title_mark(qtbot: QtBot, window: MainWindow) -> QDialog:
    dialog = _marked_badge(qtbot, window).titles.mark()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.loaded, timeout=10_000)
    return dialog


def open_handover(qtbot: QtBot, window: MainWindow) -> QDialog:
    dialog = _marked_badge(qtbot, window).titles.hand_over()
    assert isinstance(dialog, HandoverDialog)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)
    return dialog


def open_title_holders(qtbot: QtBot, window: MainWindow) -> QDialog:
    dialog = _marked_badge(qtbot, window).titles.show_holders_by_period()
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.rows is not None, timeout=10_000)
    return dialog
