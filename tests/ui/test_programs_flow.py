"""The whole of a program in the window, on the demo: made in the editor, run from the Programs
pane (Ctrl+Return), its winner, reason and message in the dry run, queued, sent by the outbox to
the sandbox over loopback, and the winner in the pane's history once the server confirmed it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.dialects.activity import Measure
from desktop.domain import ActionKind, ActionState, BadgeState
from desktop.programs.dry_run import PICKABLE, Standing
from desktop.programs.model import ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence
from desktop.programs.sources.activity_specs import spec_of
from desktop.programs.sources.leaderboard import LeaderboardSource
from desktop.programs.store import ProgramStore
from desktop.programs.titles import OneHolderBadges
from tests.e2e import server_witness
from tests.ui.conftest import community_of, window_of
from tests.ui.test_program_editor import open_programs, wait_ready
from tests.ui.test_program_run import (
    MONTH,
    WEEK,
    _badge_none_holds,
    _demo,
    _likes,
    _queue,
    open_dialog,
    standings,
    wait_loaded,
)
from ui.programs.run_dialog import ProgramRunDialog
from ui.programs.run_model import MEMBER, REASON, WHY
from ui.programs.run_reading import user_zone
from ui.shell.controller import AppController


def test_a_weekly_most_likes_program_made_run_and_sent_from_the_window(
    qtbot: QtBot, make_controller: Callable[..., AppController], artifacts: Path
) -> None:
    controller = _demo(qtbot, make_controller)
    window, community = window_of(controller), community_of(controller)
    assert controller.sandbox is not None
    ranking = _likes(controller.sandbox, WEEK)
    assert len(ranking) >= 2 and ranking[0][1] > ranking[1][1], ranking[:3]
    winner, likes = ranking[0]
    badge = _badge_none_holds(controller, [m for m, _n in ranking[:50]])
    member = community.cache.members_by_ids([winner])[winner]
    username = member.username

    # Made in the editor: a weekly leaderboard of likes received, its first place.
    pane = open_programs(qtbot, controller)
    qtbot.keyClick(pane.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = pane.editor
    assert editor is not None
    wait_ready(qtbot, editor)
    qtbot.keyClicks(editor.name_edit, "Top contributor")
    source = editor.source
    source.kind_combo.setCurrentIndex(source.kind_combo.findData("leaderboard"))
    source.measure_combo.setCurrentIndex(source.measure_combo.findData("likes_received"))
    source.board_top.setValue(1)
    editor.select_badge(badge)
    message = "Well done {member}: the most liked posts of the week!"
    editor.message_edit.setPlainText(message)
    editor.cadence_combo.setCurrentIndex(editor.cadence_combo.findData("weekly"))
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save_button.click()
    qtbot.waitUntil(lambda: pane.idle and pane.model.rowCount() == 1, timeout=10_000)
    program = ProgramStore(community.cache).named("Top contributor")
    assert program is not None

    # Run… (Ctrl+Return) opens the run dialog through the main window; the week the demo's data has.
    window.activateWindow()  # offscreen, a closed dialog leaves no window active
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    pane.table.setFocus()
    qtbot.keyClick(pane.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(window.findChildren(ProgramRunDialog)), timeout=10_000)
    dialog = window.findChildren(ProgramRunDialog)[0]
    qtbot.addWidget(dialog)
    wait_loaded(qtbot, dialog)
    if dialog.period.key != WEEK.key:
        dialog.period_combo.setCurrentIndex(dialog.period_combo.findData(WEEK.key))
        qtbot.waitUntil(lambda: dialog.period.key == WEEK.key, timeout=10_000)
        wait_loaded(qtbot, dialog)
    found = standings(dialog)
    assert found[winner] is Standing.TO_AWARD  # the next places show below the cut-off
    assert {s for m, s in found.items() if m != winner} <= {Standing.BELOW_CUT}
    why = f"{likes} likes received in {WEEK.key}"
    assert dialog.model.index(0, MEMBER).data() == f"@{username}"
    assert dialog.model.index(0, WHY).data() == why == dialog.model.index(0, REASON).data()
    assert dialog.message_label.text() == message

    queued = _queue(qtbot, dialog)
    assert queued.batch is not None and queued.queued == (winner,)
    title = queued.batch.title
    qtbot.waitUntil(lambda: title in window.status.message.text())

    # Sent by the outbox: the server holds the award, and the pane's history shows the winner done.
    batch_id = queued.batch.id

    def sent() -> bool:
        return all(a.state is ActionState.DONE for a in community.outbox.actions() if a.batch_id == batch_id)

    qtbot.waitUntil(sent, timeout=30_000)
    with server_witness.server_db(controller.sandbox) as db:
        held = db.execute(
            "SELECT COUNT(*) FROM awards WHERE member_id = ? AND badge_id = ? AND revoked_at IS NULL",
            (winner, badge),
        ).fetchone()[0]
    assert held == 1
    dialog.close()
    window.tabs.setCurrentWidget(pane)
    winners = pane.history.winners_model
    qtbot.waitUntil(
        lambda: (
            pane.history.idle and winners.rowCount() == 1 and winners.index(0, winners.STATE).data() == "done"
        ),
        timeout=15_000,
    )
    assert [winners.index(0, c).data() for c in (winners.PERIOD, winners.MEMBER, winners.REASON)] == [
        WEEK.key,
        f"{member.display_name} (@{member.username})",
        why,
    ]
    window.grab().save(str(artifacts / "programs-pane-after-run.png"))


def test_a_program_on_a_title_hands_it_over_to_its_one_winner(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = _demo(qtbot, make_controller)
    window, community = window_of(controller), community_of(controller)
    assert controller.sandbox is not None
    ranking = _likes(controller.sandbox, WEEK)
    winner = ranking[0][0]
    badge = _title_badge(controller, winner)
    OneHolderBadges(community.cache).mark(badge, None)
    program = ProgramStore(community.cache).create(
        ProgramSpec(
            "Hero of the week", spec_of(LeaderboardSource(Measure.LIKES_RECEIVED, 1)), badge, Cadence.WEEKLY
        )
    )
    dialog = open_dialog(qtbot, window, program.id, WEEK)
    assert dialog.loaded is not None and dialog.loaded.plan.title is not None
    assert "held by one member at a time: the run hands it over from @" in dialog.notes_label.text()
    assert dialog.queue_button.text() == "&Queue the hand-over"
    queued = _queue(qtbot, dialog)
    assert queued.batch is None and queued.handover is not None
    assert (queued.handover.kind, queued.handover.member_id) == (ActionKind.HANDOVER, winner)
    username = community.cache.members_by_ids([winner])[winner].username
    assert dialog.status_label.text() == (
        f"Queued: the hand-over to @{username}. The outbox sends it in the background."
    )
    qtbot.waitUntil(
        lambda: queued.handover is not None and _state(controller, queued.handover.id) is ActionState.DONE,
        timeout=30_000,
    )
    with server_witness.server_db(controller.sandbox) as db:
        holders = db.execute(
            "SELECT member_id FROM awards WHERE badge_id = ? AND revoked_at IS NULL", (badge,)
        ).fetchall()
    assert holders == [(winner,)]


def _title_badge(controller: AppController, winner: int) -> int:
    """A published badge exactly one member other than ``winner`` holds (the title's holder)."""
    cache = community_of(controller).cache
    published = {b.id for b in cache.badges() if b.state is BadgeState.PUBLISHED}
    with cache.read() as connection:
        found = connection.exec_driver_sql(
            "SELECT badge_id, MIN(member_id) FROM awards GROUP BY badge_id HAVING COUNT(*) = 1"
        ).fetchall()
    return next(int(b) for b, m in found if int(b) in published and int(m) != winner)


def _state(controller: AppController, action_id: int) -> ActionState | None:
    found = [a for a in community_of(controller).outbox.actions() if a.id == action_id]
    return found[0].state if found else None


def test_the_moderator_picks_one_of_the_most_liked_posts(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = _demo(qtbot, make_controller)
    window, community = window_of(controller), community_of(controller)
    cache = community.cache
    assert controller.sandbox is not None
    starts, ends = MONTH.bounds(user_zone())
    with server_witness.server_db(controller.sandbox) as db:
        authors = db.execute(
            "SELECT DISTINCT member_id FROM activity_posts WHERE created_at >= ? AND created_at < ?",
            (int(starts.timestamp()), int(ends.timestamp())),
        ).fetchall()
    badge = _badge_none_holds(controller, [int(a) for (a,) in authors])
    program = ProgramStore(cache).create(
        ProgramSpec("Post of the month", SourceSpec("liked-posts", {"top": 3}), badge, Cadence.MONTHLY)
    )
    dialog = open_dialog(qtbot, window, program.id, MONTH)
    model = dialog.model
    offered = [model.row(n) for n in range(model.rowCount()) if model.row(n).standing in PICKABLE]
    assert len(offered) >= 2, "the demo has too few liked posts that month"
    # Each post's author, ticked as the dry run placed them; the moderator keeps one: the second.
    ticked = {r.member_id for r in offered if r.standing is Standing.TO_AWARD}
    assert ticked and model.chosen == ticked
    chosen = offered[1]
    for row in offered:
        model.set_chosen(row.member_id, row is chosen)
    assert model.chosen == {chosen.member_id}
    assert dialog.queue_button.text() == "&Queue 1 award"
    assert model.index(1, REASON).data() == chosen.reason
    assert chosen.candidate.link is not None and chosen.reason.endswith(chosen.candidate.link)
    queued = _queue(qtbot, dialog)
    assert queued.queued == (chosen.member_id,)
    assert [a.member_id for a in community.outbox.actions() if a.batch_id == queued.batch.id] == [  # type: ignore[union-attr]
        chosen.member_id
    ]
