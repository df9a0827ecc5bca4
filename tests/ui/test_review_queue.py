"""The Review queue pane against the sandbox, driven by keyboard through the real UI."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from desktop.audit import AuditFilter, audit_entries
from desktop.domain import ActionKind, ActionState, Decision
from desktop.review import RequestGroup
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.scenarios import ReviewScenario
from desktop.secrets import TokenStore
from tests.e2e.conftest import start_review_sandbox
from tests.e2e.server_witness import server_db
from tests.e2e.test_review import award_rows, messages
from tests.ui.conftest import community_of, window_of
from tests.ui.test_main_window import wait_synced
from ui.review.decision_dialog import DecisionDialog
from ui.review.model import GroupKey
from ui.review.review_queue import ReviewQueueView
from ui.shell.controller import AppController
from ui.shortcuts.settings_dialog import ShortcutSettingsDialog


@pytest.fixture()
def review_server(tmp_path: Path) -> Iterator[tuple[SandboxProcess, ReviewScenario]]:
    process, scenario = start_review_sandbox(tmp_path / "review-sandbox")
    try:
        yield process, scenario
    finally:
        process.stop()


def open_queue(
    qtbot: QtBot, make_controller: Callable[..., AppController], sandbox: SandboxProcess
) -> tuple[AppController, ReviewQueueView]:
    TokenStore().set(sandbox.url, sandbox.tokens["moderator"])
    controller = make_controller(server=sandbox.url)
    wait_synced(qtbot, controller)
    window = controller.window
    assert window is not None
    window.tabs.setCurrentWidget(window.queue)
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view = window.queue
    qtbot.waitUntil(
        lambda: view.snapshot is not None and view.snapshot.pending_requests == 87, timeout=20_000
    )
    view.table.setFocus()
    return controller, view


def key(
    qtbot: QtBot,
    view: ReviewQueueView,
    text: str,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    qtbot.keyClick(view.table, text, modifier)


def current(view: ReviewQueueView) -> RequestGroup:
    """The group on the card (the queue is never empty where the tests read it)."""
    group = view.current_group()
    assert group is not None
    return group


def row_of(view: ReviewQueueView, key: GroupKey) -> int:
    found = view.model.row_of(key)
    assert found is not None, key
    return found


def keyboard_dialog(qtbot: QtBot, template_key: str) -> Callable[[QDialog], bool]:
    """Drive the deny / return dialog by keyboard: a digit picks a template, Ctrl+Enter decides."""

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, DecisionDialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        qtbot.keyClick(dialog.template_list, template_key)
        qtbot.keyClick(dialog.template_list, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        accepted = dialog.result() == QDialog.DialogCode.Accepted
        # As when a modal dialog closes, the main window is active again.
        parent = dialog.parentWidget()
        assert parent is not None
        main = parent.window()
        main.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is main)
        return accepted

    return run


def server_requests(sandbox: SandboxProcess) -> dict[int, tuple[str, str | None]]:
    with server_db(sandbox) as db:
        return {r[0]: (r[1], r[2]) for r in db.execute("SELECT id, state, decided_by FROM requests")}


def test_queue_card_filters_order_help_and_new_requests(
    qtbot: QtBot,
    make_controller: Callable[..., AppController],
    review_server: tuple[SandboxProcess, ReviewScenario],
    artifacts: Path,
) -> None:
    sandbox, scenario = review_server
    controller, view = open_queue(qtbot, make_controller, sandbox)
    assert controller.window is not None and controller.session is not None
    assert view.model.rowCount() == 78
    filters = [view.badge_filter.itemText(i) for i in range(view.badge_filter.count())]
    assert filters[0] == "All badges (87)"
    assert [f.rsplit("(", 1)[1] for f in filters[1:]] == ["31)", "24)", "18)", "9)", "5)"]
    group = view.current_group()
    assert group is not None and view.card.group is group
    assert view.card.member.text() == (group.member.display_name if group.member else group.member_text)
    window = window_of(controller)
    window.resize(1400, 820)
    qtbot.wait(50)
    window.grab().save(str(artifacts / "review_queue.png"))

    # Suspended members are flagged in the list; duplicates show their count.
    statuses = {g.id: view.model.status_text(g) for g in view.model.groups()}
    assert {i for i, s in statuses.items() if "Suspended member" in s} == set(scenario.suspended_requests)
    assert {i for i, s in statuses.items() if " requests" in s} == {g[0] for g in scenario.duplicate_groups}

    # J / K move; the evidence link opens in the browser (replaced here).
    opened: list[str] = []
    view.open_url = opened.append
    key(qtbot, view, "j")
    key(qtbot, view, "j")
    key(qtbot, view, "k")
    assert view.table.currentIndex().row() == 1
    while current(view).evidence_url is None:
        key(qtbot, view, "j")
    view.card.evidence_button.click()
    assert opened == [current(view).evidence_url]

    # ? shows every shortcut; Esc closes it.
    key(qtbot, view, "?")
    assert view.help.isVisible()
    labels = {label for _group, _key, label in view.help.entries()}
    assert {"Approve", "Deny", "Skip", "Undo the last decision", "Approve the selection"} <= labels
    qtbot.keyClick(view.help, Qt.Key.Key_Escape)
    assert not view.help.isVisible()

    # Filter by badge, order by score (the score's parts in the tooltip).
    smallest = scenario.badge_ids[-1]
    view.set_badge_filter(smallest)
    qtbot.waitUntil(lambda: {g.badge_id for g in view.model.groups()} == {smallest})
    assert sum(len(g.requests) for g in view.model.groups()) == 5
    view.set_badge_filter(None)
    view.order.setCurrentIndex(view.order.findData("score"))
    qtbot.waitUntil(lambda: view.model.rowCount() == 78)
    qtbot.waitUntil(
        lambda: (
            [g.score.total for g in view.model.groups()]
            == sorted((g.score.total for g in view.model.groups()), reverse=True)
        )
    )
    assert "evidence link" in view.model.index(0, 3).data(Qt.ItemDataRole.ToolTipRole)

    # A new request arrives with a sync: it appears, and the card stays where it was.
    key(qtbot, view, "j")
    key(qtbot, view, "j")
    here = view.current_key
    row_before = view.table.currentIndex().row()
    with httpx.Client(
        base_url=f"{sandbox.url}/api/v1", headers={"Authorization": f"Bearer {sandbox.tokens['member']}"}
    ) as member:
        badges = member.get("/badges").json()["items"]
        held = {
            a["badge_id"]
            for a in member.get(
                "/awards", params={"member_id": member.get("/me").json()["member_id"]}
            ).json()["items"]
        }
        badge_id = next(b["id"] for b in badges if b["state"] == "published" and b["id"] not in held)
        created = member.post(
            "/requests",
            json={"badge_id": badge_id, "note": "Me too!", "evidence_url": "https://example.com/x"},
        )
        assert created.status_code == 201, created.text
    controller.session.sync()
    qtbot.waitUntil(
        lambda: view.snapshot is not None and view.snapshot.pending_requests == 88, timeout=20_000
    )
    assert view.model.rowCount() == 79
    assert view.current_key == here and view.card.group is not None and view.card.group.key == here
    assert created.json()["id"] in {g.id for g in view.model.groups()}
    assert abs(view.table.currentIndex().row() - row_before) <= 1


def test_rebound_keys_bulk_approve_and_templates_reach_the_member(
    qtbot: QtBot,
    make_controller: Callable[..., AppController],
    review_server: tuple[SandboxProcess, ReviewScenario],
) -> None:
    sandbox, _scenario = review_server
    controller, view = open_queue(qtbot, make_controller, sandbox)

    # Rebind Approve to Y in the shortcut settings: A no longer approves, Y does, and it is kept.
    def rebind(dialog: QDialog) -> bool:
        assert isinstance(dialog, ShortcutSettingsDialog)
        dialog.set_pending_key("review.approve", "Y")
        dialog.accept()
        return True

    view.run_dialog = rebind
    view.edit_shortcuts()
    assert controller.settings.shortcuts == {"review.approve": "Y"}
    while current(view).approval_problem() is not None:
        key(qtbot, view, "j")
    target = view.current_group()
    assert target is not None
    key(qtbot, view, "a")
    assert view.model.marked(target.key) is None and view.current_key == target.key
    key(qtbot, view, "y")
    assert view.model.marked(target.key) is not None and view.current_key != target.key
    assert view.buttons["review.approve"].toolTip() == "Approve (Y)"

    # Bulk approve: three selected rows, one of them a suspended member who is left alone.
    wait_idle(qtbot, controller, view)
    groups = [g for g in view.model.groups() if g.pending]
    suspended = next(g for g in groups if g.suspended)
    fine = [g for g in groups if g.approval_problem() is None][:2]
    view.table.clearSelection()
    for g in (*fine, suspended):
        view.table.selectionModel().select(
            view.model.index(row_of(view, g.key), 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    asked: list[str] = []

    def confirm(_parent: QWidget, _title: str, text: str) -> bool:
        asked.append(text)
        return True

    view.confirm = confirm
    key(qtbot, view, "A", Qt.KeyboardModifier.ShiftModifier)
    assert asked and asked[0].startswith("Approve 2 requests?") and "suspended" in asked[0]
    wait_idle(qtbot, controller, view)
    after = server_requests(sandbox)
    assert [after[g.id][0] for g in fine] == ["approved", "approved"]
    assert after[suspended.id] == ("pending", None)

    # Deny with a template: the member reads the template's message with their name filled in.
    view.run_dialog = keyboard_dialog(qtbot, "2")
    while not current(view).pending:
        key(qtbot, view, "j")
    denied = view.current_group()
    assert denied is not None and denied.member is not None
    key(qtbot, view, "d")
    wait_idle(qtbot, controller, view)
    template = [t for t in view.templates if t.decision is Decision.DENY][1]
    assert server_requests(sandbox)[denied.id] == ("denied", "Alice Moderator")
    message = messages(sandbox, denied.member_id)[-1]
    assert denied.member.display_name in message and "{" not in message
    cache = community_of(controller).cache
    reasons = [e.reason for e in audit_entries(cache, AuditFilter(kinds=frozenset({ActionKind.DECIDE})))]
    assert template.reason in reasons[0]


def bob_decides(sandbox: SandboxProcess, request_id: int, version: int, what: str, decision: Decision) -> str:
    message = f"Bob here: {decision.value} for {what}."
    response = httpx.post(
        f"{sandbox.url}/api/v1/requests/{request_id}/decision",
        json={"decision": decision.value, "reason": "Bob's call", "message": message},
        headers={"Authorization": f"Bearer {sandbox.tokens['moderator2']}", "If-Match": str(version)},
    )
    assert response.status_code == 200, response.text
    return message


def wait_idle(qtbot: QtBot, controller: AppController, view: ReviewQueueView) -> None:
    """Everything committed and sent, and the queue reloaded after it."""
    outbox = community_of(controller).outbox
    qtbot.waitUntil(lambda: outbox.pending_count() == 0 and controller.tasks.active == 0, timeout=30_000)
    qtbot.waitUntil(lambda: controller.tasks.active == 0, timeout=10_000)


def test_acceptance_keyboard_triage_with_a_second_moderator(
    qtbot: QtBot,
    make_controller: Callable[..., AppController],
    review_server: tuple[SandboxProcess, ReviewScenario],
    artifacts: Path,
) -> None:
    sandbox, scenario = review_server
    controller, view = open_queue(qtbot, make_controller, sandbox)
    session = controller.session
    assert session is not None
    outbox = community_of(controller).outbox
    before = server_requests(sandbox)
    view.run_dialog = keyboard_dialog(qtbot, "1")
    confirmed = view.reaction_ms

    def approvable(group: RequestGroup) -> bool:
        return group.pending and group.approval_problem() is None and group.evidence_url is not None

    # 1. Undo before sending: paused, A then U drops the decision; nothing reaches the server.
    session.set_paused(True)
    qtbot.waitUntil(lambda: outbox.paused())
    while not approvable(current(view)):
        key(qtbot, view, "j")
    first = current(view)
    key(qtbot, view, "a")
    assert view.current_key != first.key  # moved on at once
    qtbot.waitUntil(lambda: outbox.pending_count() == 1)
    key(qtbot, view, "u")
    qtbot.waitUntil(lambda: outbox.pending_count() == 0)
    qtbot.waitUntil(lambda: view.current_key == first.key and current(view).pending)
    assert outbox.actions([ActionState.DISCARDED])[0].payload["request_id"] == first.id
    session.set_paused(False)
    qtbot.waitUntil(lambda: not outbox.paused())
    wait_idle(qtbot, controller, view)
    assert server_requests(sandbox)[first.id] == ("pending", None)

    # 2. Undo after sending: A, sent, then U revokes the award with the reason "undo".
    assert view.current_key == first.key
    key(qtbot, view, "a")
    wait_idle(qtbot, controller, view)
    assert server_requests(sandbox)[first.id] == ("approved", "Alice Moderator")
    key(qtbot, view, "u")
    wait_idle(qtbot, controller, view)
    assert award_rows(sandbox, first.member_id, first.badge_id) == [("Alice Moderator", "undo")]

    def status_of_request(request_id: int) -> str | None:
        found = view.model.row_of_request(request_id)
        group = None if found is None else view.model.group(found)
        return None if group is None else view.model.status_text(group)

    qtbot.waitUntil(lambda: status_of_request(first.id) == "Reverted · award revoked")

    # 3. Undo while the decision is still being saved, online: dropped before anything is sent.
    while not approvable(current(view)):
        key(qtbot, view, "j")
    quick = current(view)
    key(qtbot, view, "a")
    key(qtbot, view, "u")
    wait_idle(qtbot, controller, view)
    qtbot.waitUntil(lambda: view.current_key == quick.key and current(view).pending)
    assert server_requests(sandbox)[quick.id] == ("pending", None)
    assert messages(sandbox, quick.member_id) == []

    # 4. The whole queue by keyboard. After 20 decisions Bob decides 6 requests ahead.
    bob: dict[int, tuple[Decision, str]] = {}
    flagged: set[int] = set()
    decided_here: list[int] = [first.id]
    while True:
        open_rows = [r for r in range(view.model.rowCount()) if view.model.is_open(r)]
        if not open_rows:
            break
        group = current(view)
        if not view.model.is_open(view.model.row_of(group.key)):
            key(qtbot, view, "j")
            continue
        if len(decided_here) == 20 and not bob:
            later = [
                g for g in (view.model.group(r) for r in open_rows) if g is not None and g.id != group.id
            ]
            singles = [g for g in later if not g.duplicates and not g.suspended][-5:]
            for n, target in enumerate(singles):
                decision = Decision.APPROVE if n % 2 == 0 else Decision.DENY
                bob[target.id] = (decision, bob_decides(sandbox, target.id, 1, target.badge_text, decision))
            # And one request of a duplicate group: its second one.
            twin = next(g for g in later if g.duplicates).requests[1]
            bob[twin.id] = (Decision.APPROVE, bob_decides(sandbox, twin.id, 1, "twin", Decision.APPROVE))
        committed = len(view.commit_ms)
        if group.suspended:
            assert view.card.flag.isVisible() and view.card.flag.text() == "Suspended"
            assert "suspended" in view.card.problem.text()
            flagged.add(group.id)
            key(qtbot, view, "d")
        elif group.evidence_url is None:
            key(qtbot, view, "r")
        else:
            key(qtbot, view, "a")
        decided_here.append(group.id)
        assert not view.model.is_open(view.model.row_of(group.key))

        # As between a person's key presses, the event loop runs until SQLite has the decision.
        def committed_one(n: int = committed) -> bool:
            return len(view.commit_ms) == n + 1

        qtbot.waitUntil(committed_one)
    wait_idle(qtbot, controller, view)

    # The duplicate group Bob partly decided: its card offers only Bob's decision for the rest.
    [partly] = [g for g in view.model.groups() if g.decision is not None and g.undecided]
    assert partly.follow_up() == (Decision.APPROVE, None)
    index = view.model.index(row_of(view, partly.key), 1)
    qtbot.mouseClick(
        view.table.viewport(), Qt.MouseButton.LeftButton, pos=view.table.visualRect(index).center()
    )
    assert view.current_key == partly.key
    assert (
        view.model.status_text(partly) == f"Decided by Bob Moderator · {len(partly.undecided)} left to settle"
    )
    key(qtbot, view, "d")
    assert "Only “approve” (A) settles the rest" in view.card.problem.text()
    key(qtbot, view, "a")
    wait_idle(qtbot, controller, view)
    qtbot.waitUntil(lambda: not any(g.undecided for g in view.model.groups() if g.decision is not None))
    window = window_of(controller)
    window.resize(1400, 820)
    window.grab().save(str(artifacts / "review_queue_triaged.png"))

    # Every request was decided once, by Alice or (the 6) by Bob.
    after = server_requests(sandbox)
    ids = scenario.request_ids
    assert all(after[i][0] != "pending" for i in ids)
    assert flagged == set(scenario.suspended_requests)
    assert {i for i in ids if after[i][1] == "Bob Moderator"} == set(bob)
    # Each duplicate group: decided together, once; one award at most and one message.
    for group_ids in scenario.duplicate_groups:
        assert len({after[i][0] for i in group_ids}) == 1
        member = scenario.member_of[group_ids[0]]
        badge = next(b for b, rs in scenario.requests_by_badge.items() if group_ids[0] in rs)
        assert len(award_rows(sandbox, member, badge)) <= 1
        assert len(messages(sandbox, member)) == 1
    # The suspended members were denied, never awarded.
    for request_id in scenario.suspended_requests:
        assert after[request_id] == ("denied", "Alice Moderator")
    # Bob's 6: "decided by Bob" on the card, no second award, no contradicting message.
    for request_id, (decision, message) in bob.items():
        row = view.model.row_of_request(request_id)
        assert row is not None
        shown = view.model.group(row)
        assert shown is not None and shown.decision is not None
        assert shown.decision.state is ActionState.CONFLICT
        assert view.model.status_text(shown) == "Decided by Bob Moderator"
        assert (shown.id == request_id) or (request_id in {r.id for r in shown.requests})
        assert shown.decision.status_text.startswith("Decided by Bob Moderator at ")
        member = scenario.member_of[request_id]
        expected_awards = [("Bob Moderator", None)] if decision is Decision.APPROVE else []
        assert award_rows(sandbox, member, shown.badge_id) == expected_awards
        bobs = [m for m in messages(sandbox, member)]
        assert bobs[-1] == message if decision is Decision.DENY else len(bobs) == 1
        assert len(bobs) == 1
    # The audit log holds every decision made here (the dropped one too, as discarded).
    cache = community_of(controller).cache
    entries = audit_entries(cache, AuditFilter(kinds=frozenset({ActionKind.DECIDE})), limit=1000)
    assert {e.request_id for e in entries} == {g for g in decided_here}
    assert sum(1 for e in entries if e.state is ActionState.CONFLICT) == 6
    assert before.keys() <= after.keys()

    # The figure: local reaction time of a decision key (key → next card shown).
    times = sorted(confirmed)
    figure = (
        f"decision key → next card: n={len(times)}, median {statistics.median(times):.1f} ms,"
        f" p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, max {times[-1]:.1f} ms;"
        f" key → committed to SQLite: median {statistics.median(view.commit_ms):.1f} ms,"
        f" max {max(view.commit_ms):.1f} ms"
    )
    (artifacts / "review_reaction.txt").write_text(figure + "\n")
    print(figure)
