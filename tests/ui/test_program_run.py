"""Running a program in the app, on the demo community (BadgeDesk's own server): the dry run dialog
with the winner, the reason and the message, queueing its batch once per period, a tie the moderator
decides, a list program revoking a member gone from the list, and Stop during the read.

The figures are computed by hand from the sandbox's activity tables (likes received in the week)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop.cancellation import CancelToken
from desktop.dialects.activity import Measure
from desktop.domain import ActionKind, BadgeState, MemberStatus
from desktop.net.errors import ServerUnreachable
from desktop.programs.dry_run import Standing
from desktop.programs.model import ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, Period, latest_ended
from desktop.programs.runs import QueuedRun
from desktop.programs.sources.activity_specs import spec_of
from desktop.programs.sources.leaderboard import LeaderboardSource
from desktop.programs.store import ProgramStore
from desktop.sandbox.process import SandboxProcess
from tests.e2e import server_witness
from tests.ui.conftest import community_of, session_of, window_of
from tests.ui.test_main_window import wait_synced
from ui.programs import run_reading
from ui.programs.run_dialog import ProgramRunDialog, open_run_dialog
from ui.programs.run_model import MEMBER, REASON, STANDING_ROLE, WHY
from ui.programs.run_reading import user_zone
from ui.shell.controller import AppController
from ui.shell.main_window import MainWindow

DEMO_MEMBERS = 600
#: The demo's data is relative to 2026-12-01 in the tests (tests/conftest.py): its last ended week.
WEEK = latest_ended(Cadence.WEEKLY, date(2026, 12, 1))
MONTH = latest_ended(Cadence.MONTHLY, date(2026, 12, 1))


def open_dialog(
    qtbot: QtBot, window: MainWindow, program_id: int, period: Period | None = None, *, loaded: bool = True
) -> ProgramRunDialog:
    """The program's run dialog as the app opens it; with ``loaded``, once its dry run is shown."""
    session = window.session
    opened: list[ProgramRunDialog] = []
    open_run_dialog(window, session, program_id, period, opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    dialog = opened[0]
    qtbot.addWidget(dialog)
    if loaded:
        wait_loaded(qtbot, dialog)
    return dialog


def wait_loaded(qtbot: QtBot, dialog: ProgramRunDialog) -> None:
    qtbot.waitUntil(
        lambda: (dialog.loaded is not None and dialog._reading is None) or bool(dialog.error_label.text()),
        timeout=30_000,
    )
    assert dialog.error_label.text() == ""


def standings(dialog: ProgramRunDialog) -> dict[int, Standing]:
    model = dialog.model
    return {
        model.row(n).member_id: Standing(model.index(n, MEMBER).data(STANDING_ROLE))
        for n in range(model.rowCount())
    }


def open_program_run(qtbot: QtBot, window: MainWindow) -> ProgramRunDialog:
    """A tenure program's run dialog, its dry run shown (for the keyboard and translation walks)."""
    cache = window.session.community.cache
    store = ProgramStore(cache)
    program = store.named("Ten Year Club")
    if program is None:
        badge = next(b for b in cache.badges() if b.state is BadgeState.PUBLISHED)
        spec = SourceSpec("tenure", {"years": 10, "seen_within_days": 365})
        program = store.create(
            ProgramSpec(
                "Ten Year Club", spec, badge.id, Cadence.MONTHLY, message="Ten years with us: thank you!"
            )
        )
    return open_dialog(qtbot, window, program.id)


def _likes(sandbox: SandboxProcess, period: Period) -> list[tuple[int, int]]:
    """(member, likes received in the period), most first: the leaderboard by hand."""
    return server_witness.likes_received(sandbox, *period.bounds(user_zone()))


def _badge_none_holds(controller: AppController, members: list[int]) -> int:
    cache = community_of(controller).cache
    with cache.read() as connection:
        marks = ", ".join("?" * len(members))
        held = {
            row[0]
            for row in connection.exec_driver_sql(
                f"SELECT DISTINCT badge_id FROM awards WHERE member_id IN ({marks})", tuple(members)
            )
        }
    return next(b.id for b in cache.badges() if b.state is BadgeState.PUBLISHED and b.id not in held)


def _demo(qtbot: QtBot, make_controller: Callable[..., AppController]) -> AppController:
    controller = make_controller(demo_members=DEMO_MEMBERS)
    wait_synced(qtbot, controller)
    return controller


def _queue(qtbot: QtBot, dialog: ProgramRunDialog) -> QueuedRun:
    runs: list[QueuedRun] = []
    dialog.queued.connect(runs.append)
    assert dialog.queue_button.isEnabled()
    qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(runs), timeout=10_000)
    return runs[0]


def test_a_weekly_leaderboard_program_shows_its_winner_queues_once_and_then_finds_nothing_new(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = _demo(qtbot, make_controller)
    window, community = window_of(controller), community_of(controller)
    assert controller.sandbox is not None
    ranking = _likes(controller.sandbox, WEEK)
    assert len(ranking) >= 2 and ranking[0][1] > ranking[1][1], ranking[:3]
    winner, likes = ranking[0]
    assert community.cache.members_by_ids([winner])[winner].status is MemberStatus.ACTIVE
    badge = _badge_none_holds(controller, [m for m, _n in ranking[:50]])
    message = "Thank you for the most liked posts of the week!"
    program = ProgramStore(community.cache).create(
        ProgramSpec(
            "Top contributor",
            spec_of(LeaderboardSource(Measure.LIKES_RECEIVED, 1)),
            badge,
            Cadence.WEEKLY,
            message=message,
        )
    )

    dialog = open_dialog(qtbot, window, program.id, WEEK)
    assert dialog.period.key == WEEK.key == dialog.period_combo.currentText()
    # The ranking is read deeper than its one place: the next ones show below the cut-off.
    found = standings(dialog)
    assert found[winner] is Standing.TO_AWARD
    assert {s for m, s in found.items() if m != winner} <= {Standing.BELOW_CUT}
    username = community.cache.members_by_ids([winner])[winner].username
    assert dialog.model.index(0, MEMBER).data() == f"@{username}"
    why = f"{likes} likes received in {WEEK.key}"
    assert dialog.model.index(0, WHY).data() == why
    # BadgeDesk's own server keeps a sentence as a grant's reason (Discourse: only a link).
    assert dialog.model.index(0, REASON).data() == why
    assert dialog.message_label.text() == message
    assert "1 grant" in dialog.cost_label.text(), dialog.cost_label.text()
    assert dialog.summary_label.text() == f"1 member to award for {WEEK.key}."
    assert dialog.queue_button.text() == "&Queue 1 award"
    Path("artifacts").mkdir(exist_ok=True)
    dialog.grab().save("artifacts/program-run.png")

    queued = _queue(qtbot, dialog)
    assert queued.batch is not None and queued.queued == (winner,)
    actions = [a for a in community.outbox.actions() if a.batch_id == queued.batch.id]
    assert [(a.kind, a.member_id, a.badge_id) for a in actions] == [(ActionKind.AWARD, winner, badge)]
    assert dialog.status_label.text().startswith("Queued: ")
    # The Outbox pane lists the batch (it reloads on the change).
    outbox = window.outbox
    qtbot.waitUntil(
        lambda: any(
            queued.batch is not None and queued.batch.title in str(outbox.batch_model.index(n, c).data())
            for n in range(outbox.batch_model.rowCount())
            for c in range(outbox.batch_model.columnCount())
        ),
        timeout=10_000,
    )

    # The dialog reads again by itself: the same week finds nothing new and queues nothing.
    wait_loaded(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.loaded is not None and not dialog.loaded.plan.to_award, timeout=10_000)
    assert standings(dialog)[winner] in (Standing.AWARDED_THIS_PERIOD, Standing.ALREADY_HOLDS)
    assert dialog.summary_label.text() == f"Nothing new to award for {WEEK.key}."
    assert not dialog.queue_button.isEnabled()
    before = len(community.outbox.actions())
    dialog.queue()
    qtbot.wait(200)
    assert len(community.outbox.actions()) == before
    assert [r.period_key for r in ProgramStore(community.cache).runs(program.id)] == [WEEK.key]


def test_a_tie_at_the_cut_off_is_the_moderators_to_decide(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = _demo(qtbot, make_controller)
    window, community = window_of(controller), community_of(controller)
    assert controller.sandbox is not None
    ranking = _likes(controller.sandbox, MONTH)
    members = community.cache.members_by_ids([m for m, _n in ranking])
    # The first place k whose value the next member shares, every member down to it active.
    k = next(
        k
        for k in range(1, len(ranking))
        if ranking[k - 1][1] == ranking[k][1]
        and all(members[m].status is MemberStatus.ACTIVE for m, n in ranking if n >= ranking[k - 1][1])
    )
    cut = ranking[k - 1][1]
    above = {m for m, n in ranking if n > cut}
    tied = {m for m, n in ranking if n == cut}
    assert len(tied) >= 2
    badge = _badge_none_holds(controller, [m for m, _n in ranking[: k + len(tied) + 5]])
    program = ProgramStore(community.cache).create(
        ProgramSpec(
            "Most liked", spec_of(LeaderboardSource(Measure.LIKES_RECEIVED, k)), badge, Cadence.MONTHLY
        )
    )

    dialog = open_dialog(qtbot, window, program.id, MONTH)
    found = standings(dialog)
    assert {m for m, s in found.items() if s is Standing.TO_AWARD} == above, (found, ranking[:12], k)
    assert {m for m, s in found.items() if s is Standing.TIE} == tied
    assert dialog.queue_button.text() == f"&Queue {len(above)} award" + ("s" if len(above) != 1 else "")
    assert f"{len(tied)} members tie at the cut-off" in dialog.summary_label.text()
    # The moderator ticks one of the tied members: the count and the cost follow.
    chosen = min(tied)
    row = next(n for n in range(dialog.model.rowCount()) if dialog.model.row(n).member_id == chosen)
    index = dialog.model.index(row, MEMBER)
    assert index.flags() & Qt.ItemFlag.ItemIsUserCheckable
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(index)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    assert dialog.chosen_ties == {chosen}
    assert dialog.queue_button.text() == f"&Queue {len(above) + 1} awards"
    assert f"{len(above) + 1} grants" in dialog.cost_label.text(), dialog.cost_label.text()

    queued = _queue(qtbot, dialog)
    assert set(queued.queued) == above | {chosen}
    assert queued.batch is not None
    sent_to = {a.member_id for a in community.outbox.actions() if a.batch_id == queued.batch.id}
    assert sent_to == above | {chosen}


def test_a_list_program_revokes_a_member_gone_from_the_list_with_a_reason(
    qtbot: QtBot, make_controller: Callable[..., AppController], tmp_path: Path
) -> None:
    controller = _demo(qtbot, make_controller)
    window, community = window_of(controller), community_of(controller)
    cache = community.cache
    with cache.read() as connection:
        awards = [tuple(r) for r in connection.exec_driver_sql("SELECT badge_id, member_id FROM awards")]
    members = cache.members_by_ids(sorted({m for _b, m in awards} | set(range(1, 300))))
    active = {m for m, member in members.items() if member.status is MemberStatus.ACTIVE}
    holders: dict[int, set[int]] = {}
    for badge_id, member_id in awards:
        holders.setdefault(badge_id, set()).add(member_id)
    published = {b.id for b in cache.badges() if b.state is BadgeState.PUBLISHED}
    badge = next(b for b in sorted(published) if holders.get(b, set()) & active)
    leaving = min(holders[badge] & active)
    staying = sorted(active - holders[badge])[:2]
    listing = tmp_path / "certified.csv"
    names = [members[m].username for m in (leaving, *staying)]
    listing.write_text("username\n" + "\n".join(names) + "\n", encoding="utf-8")
    spec = SourceSpec("list", {"path": str(listing), "column": "username"})
    program = ProgramStore(cache).create(ProgramSpec("Certified Admin", spec, badge, Cadence.MONTHLY))

    first = open_dialog(qtbot, window, program.id)
    assert standings(first) == {
        leaving: Standing.ALREADY_HOLDS,
        staying[0]: Standing.TO_AWARD,
        staying[1]: Standing.TO_AWARD,
    }
    assert first.revoke_area.isHidden()
    assert set(_queue(qtbot, first).queued) == set(staying)
    first.close()

    # The learning system's next export no longer names the first member: the next month's run.
    listing.write_text("username\n" + "\n".join(names[1:]) + "\n", encoding="utf-8")
    later = first.periods[0]
    dialog = open_dialog(qtbot, window, program.id, later)
    gone = [dialog.model.row(n) for n in range(dialog.model.rowCount())]
    assert [(r.member_id, r.standing) for r in gone] == [(leaving, Standing.TO_REVOKE)]
    assert not dialog.revoke_area.isHidden()
    assert dialog.revoke_check.text() == "Re&voke the badge of the 1 member gone from the list"
    # Nothing to award, nothing revoked unless asked: the run only records the period.
    assert dialog.queue_button.text() == "Record the r&un"
    dialog.revoke_check.setChecked(True)
    assert not dialog.queue_button.isEnabled()  # a reason first
    dialog.revoke_reason.setText("certification expired")
    assert dialog.queue_button.isEnabled()
    assert dialog.queue_button.text() == "&Queue 0 awards and the revokes"
    assert "1 revoke" in dialog.cost_label.text(), dialog.cost_label.text()
    queued = _queue(qtbot, dialog)
    assert queued.batch is None and queued.revoked == (leaving,)
    assert queued.revoke_batch is not None and queued.revoke_batch.reason == "certification expired"
    revokes = [a for a in community.outbox.actions() if a.batch_id == queued.revoke_batch.id]
    assert [(a.kind, a.member_id) for a in revokes] == [(ActionKind.REVOKE, leaving)]


def test_stop_during_the_read_reads_nothing_and_queues_nothing(
    qtbot: QtBot, make_controller: Callable[..., AppController], monkeypatch: Any
) -> None:
    controller = _demo(qtbot, make_controller)
    window, session = window_of(controller), session_of(controller)
    started = threading.Event()
    stopped = threading.Event()

    def slow_read(*_args: Any, cancel: CancelToken | None = None, **_kwargs: Any) -> Any:
        started.set()
        assert cancel is not None
        try:
            while True:
                cancel.sleep(0.05)
        finally:
            stopped.set()

    monkeypatch.setattr(run_reading, "read_source", slow_read)
    cache = session.community.cache
    badge = next(b for b in cache.badges() if b.state is BadgeState.PUBLISHED)
    program = ProgramStore(cache).create(
        ProgramSpec("Ten Year Club", SourceSpec("tenure", {"years": 10}), badge.id, Cadence.MONTHLY)
    )
    dialog = open_dialog(qtbot, window, program.id, loaded=False)
    qtbot.waitUntil(started.is_set, timeout=10_000)
    assert dialog.cancel_button.isVisibleTo(dialog) and not dialog.queue_button.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog._reading is None, timeout=10_000)
    assert stopped.is_set()
    assert dialog.loaded is None and dialog.model.rowCount() == 0
    assert dialog.summary_label.text().startswith("Stopped: nothing was read.")
    assert not dialog.queue_button.isEnabled() and dialog.again_button.isEnabled()
    assert not dialog.cancel_button.isVisibleTo(dialog)
    assert ProgramStore(cache).runs(program.id) == []

    # Read again, then Esc: the read stops, the dialog stays.
    started.clear()
    stopped.clear()
    qtbot.mouseClick(dialog.again_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(started.is_set, timeout=10_000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog._reading is None, timeout=10_000)
    assert stopped.is_set() and dialog.isVisible()
    # Closed while reading: closed, and the read stopped too.
    started.clear()
    stopped.clear()
    dialog.read()
    qtbot.waitUntil(started.is_set, timeout=10_000)
    close = dialog.buttons.button(QDialogButtonBox.StandardButton.Close)
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    qtbot.waitUntil(stopped.is_set, timeout=10_000)
    assert ProgramStore(cache).runs(program.id) == []


def test_a_deleted_program_opens_no_dialog_and_says_so(
    qtbot: QtBot, make_controller: Callable[..., AppController]
) -> None:
    controller = _demo(qtbot, make_controller)
    window, session = window_of(controller), session_of(controller)
    errors: list[str] = []
    session.error.connect(errors.append)
    opened: list[ProgramRunDialog] = []
    open_run_dialog(window, session, 999_999, None, opened.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert errors == ["This program no longer exists."] and opened == []


def test_errors_are_said_in_the_dialog_and_nothing_is_lost(
    qtbot: QtBot, make_controller: Callable[..., AppController], tmp_path: Path
) -> None:
    controller = _demo(qtbot, make_controller)
    window, community = window_of(controller), community_of(controller)
    cache = community.cache
    store = ProgramStore(cache)
    badge = next(b for b in cache.badges() if b.state is BadgeState.PUBLISHED)
    missing = tmp_path / "nowhere.csv"
    listed = store.create(
        ProgramSpec("Certified Admin", SourceSpec("list", {"path": str(missing)}), badge.id, Cadence.MONTHLY)
    )
    opened: list[ProgramRunDialog] = []
    open_run_dialog(window, window.session, listed.id, None, opened.append)
    qtbot.waitUntil(lambda: bool(opened) and bool(opened[0].error_label.text()), timeout=10_000)
    dialog = opened[0]
    qtbot.addWidget(dialog)
    assert str(missing) in dialog.error_label.text() or "nowhere.csv" in dialog.error_label.text()
    assert not dialog.queue_button.isEnabled() and dialog.again_button.isEnabled()
    # The file appears: Read again (F5) reads it.
    member = next(
        m for m in cache.members_by_ids(list(range(1, 50))).values() if m.status is MemberStatus.ACTIVE
    )
    missing.write_text(f"username\n{member.username}\n", encoding="utf-8")
    qtbot.mouseClick(dialog.again_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, dialog)
    assert list(standings(dialog)) == [member.id]

    # The program changes after the dry run: queueing refuses, says why, and the dry run stays.
    store.rename(listed.id, "Certified Administrator")
    qtbot.mouseClick(dialog.queue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.error_label.text()), timeout=10_000)
    assert dialog.error_label.text() == "The program was changed since the dry run. Run the dry run again."
    assert dialog.loaded is not None and dialog.queue_button.isEnabled()
    assert store.runs(listed.id) == [] and not [
        a for a in community.outbox.actions() if a.member_id == member.id and a.badge_id == badge.id
    ]


def test_on_discourse_the_award_carries_the_link_to_the_post_that_earned_it(
    qtbot: QtBot, discourse_demo: AppController
) -> None:
    window, community = window_of(discourse_demo), community_of(discourse_demo)
    cache = community.cache
    badge = next(b for b in cache.badges() if b.state is BadgeState.PUBLISHED)
    program = ProgramStore(cache).create(
        ProgramSpec("Post of the month", SourceSpec("liked-posts", {"top": 1}), badge.id, Cadence.MONTHLY)
    )
    dialog = open_dialog(qtbot, window, program.id, MONTH)
    rows = [dialog.model.row(n) for n in range(dialog.model.rowCount())]
    assert rows, "the demo forum has no liked post that month"
    first = rows[0]
    assert first.candidate.link is not None and first.candidate.link.startswith("http")
    assert dialog.model.index(0, REASON).data() == first.candidate.link
    assert dialog.model.index(0, WHY).data().startswith(f"most liked post of {MONTH.key}: ")

    # A leaderboard: Discourse ranks rolling periods of its own, refreshed by a daily job; the dry
    # run says when, and that it is not the program's week.
    ranked = ProgramStore(cache).create(
        ProgramSpec(
            "Top of the week", spec_of(LeaderboardSource(Measure.LIKES_RECEIVED, 3)), badge.id, Cadence.WEEKLY
        )
    )
    dialog = open_dialog(qtbot, window, ranked.id, WEEK)
    notes = dialog.notes_label.text()
    assert notes.startswith("Ranking as of "), notes
    assert "The server ranks its own period" in notes and "not the program's period" in notes


def test_a_server_that_cannot_be_reached_is_said_and_read_again_later(
    qtbot: QtBot, make_controller: Callable[..., AppController], monkeypatch: Any
) -> None:
    controller = _demo(qtbot, make_controller)
    window, community = window_of(controller), community_of(controller)
    badge = next(b for b in community.cache.badges() if b.state is BadgeState.PUBLISHED)
    program = ProgramStore(community.cache).create(
        ProgramSpec(
            "Top contributor", spec_of(LeaderboardSource(Measure.LIKES_RECEIVED, 1)), badge.id, Cadence.WEEKLY
        )
    )
    connector = community.connector

    def unreachable(*_args: Any, **_kwargs: Any) -> Any:
        raise ServerUnreachable("connection refused", request_sent=False)

    monkeypatch.setattr(community, "connector", unreachable)
    opened: list[ProgramRunDialog] = []
    open_run_dialog(window, window.session, program.id, WEEK, opened.append)
    qtbot.waitUntil(lambda: bool(opened) and bool(opened[0].error_label.text()), timeout=10_000)
    dialog = opened[0]
    qtbot.addWidget(dialog)
    said = dialog.error_label.text()
    assert said == "Offline (connection refused): read again (F5); until then BadgeDesk works from the cache."
    assert dialog.loaded is None and not dialog.queue_button.isEnabled()
    assert ProgramStore(community.cache).runs(program.id) == []

    monkeypatch.setattr(community, "connector", connector)
    qtbot.keyClick(dialog, Qt.Key.Key_F5)
    wait_loaded(qtbot, dialog)
    assert dialog.error_label.text() == "" and dialog.loaded is not None and dialog.model.rowCount() >= 1
