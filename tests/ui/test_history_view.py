"""The History pane on the demo: newest first, paged as you scroll, searched and filtered."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from pytestqt.qtbot import QtBot

from desktop.award_history import HistoryQuery, award_history_count
from desktop.domain import utc_now
from tests.ui.test_main_window import wait_synced
from ui.history.history_view import HistoryView
from ui.shell.controller import AppController


def _wait(qtbot: QtBot, view: HistoryView) -> None:
    qtbot.waitUntil(lambda: view.idle and view.shown_query == view.current_query(), timeout=20_000)


def test_the_history_pages_as_you_scroll_and_filters(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = make_controller(demo_members=600)
    wait_synced(qtbot, controller)
    window, session = controller.window, controller.session
    assert window is not None and session is not None
    cache = session.community.cache
    view = window.history
    window.view_actions[window.tabs.indexOf(view)].trigger()
    assert window.tabs.currentWidget() is view
    _wait(qtbot, view)
    total = award_history_count(cache)
    assert total > 2 * view.page_size
    assert view.model.rowCount() == view.page_size
    assert view.count_label.text() == f"{total:,} events · showing the newest {view.page_size}"
    events = view.model.events
    assert [e.position for e in events] == sorted((e.position for e in events), reverse=True)
    # The first row as the locale writes it (en_US in the tests).
    shown = str(view.model.index(0, 0).data()).replace("\u202f", " ")  # ICU's narrow space before PM
    assert shown == events[0].when.astimezone().strftime("%-m/%-d/%y %-I:%M:%S %p")

    # Scrolling to the end reads the next page.
    bar = view.table.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: view.idle and view.model.rowCount() == 2 * view.page_size, timeout=20_000)
    positions = [e.position for e in view.model.events]
    assert len(set(positions)) == len(positions) and positions == sorted(positions, reverse=True)

    # Each filter: the badge, the moderator, the period, the kind.
    badge_id = events[0].badge_id
    view.badge_box.setCurrentIndex(view.badge_box.findData(badge_id))
    _wait(qtbot, view)
    assert view.model.rowCount() > 0 and {e.badge_id for e in view.model.events} == {badge_id}
    assert view.total == award_history_count(cache, HistoryQuery(badge_id=badge_id))
    view.badge_box.setCurrentIndex(0)
    who = events[0].who
    view.moderator_box.setCurrentIndex(view.moderator_box.findData(who))
    _wait(qtbot, view)
    assert view.model.rowCount() > 0 and {e.who for e in view.model.events} == {who}
    view.moderator_box.setCurrentIndex(0)
    view.period_box.setCurrentIndex(3)  # the last 90 days
    _wait(qtbot, view)
    since = utc_now() - timedelta(days=91)
    assert all(e.when >= since for e in view.model.events)
    view.period_box.setCurrentIndex(0)
    view.kind_box.setCurrentIndex(2)  # revokes: none sent from here yet, the server keeps none
    _wait(qtbot, view)
    assert view.model.rowCount() == 0
    assert view.count_label.text() == "No events match these filters."
    view.kind_box.setCurrentIndex(1)
    _wait(qtbot, view)
    assert view.total == total

    # Search: a member's username.
    username = events[0].member.rsplit("@", 1)[-1].rstrip(")")
    view.text_box.setText(username)
    _wait(qtbot, view)
    assert view.model.rowCount() > 0
    assert all(username in e.member or username in e.reason for e in view.model.events)
    # A server grant not sent from here has no batch: nothing to correct.
    view.table.selectRow(0)
    assert not view.correct_button.isEnabled()
