"""Undoing a sent approval in the review queue (issue 17): the card tells the truth and can be decided anew.

Before, the card stayed "Approved" once the undo's revoke was sent, and no key did anything on
it. BadgeDesk's API cannot reopen a decided request: the card says "Reverted · award revoked"
once the server confirmed the revoke, deny and return say why nothing is left for them, and
approving again awards the badge again (U takes that back too).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.domain import ActionKind, ActionState
from desktop.review import RequestGroup
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.scenarios import ReviewScenario
from tests.e2e.test_review import award_rows
from tests.ui.conftest import community_of
from tests.ui.test_review_queue import current, key, open_queue, review_server, server_requests, wait_idle
from ui.review.review_queue import ReviewQueueView
from ui.shell.controller import AppController

__all__ = ["review_server"]  # the fixture


def status_of(view: ReviewQueueView, request_id: int) -> str | None:
    found = view.model.row_of_request(request_id)
    group = None if found is None else view.model.group(found)
    return None if group is None else view.model.status_text(group)


def test_undo_of_a_sent_approval_reverts_the_card_and_approve_awards_again(
    qtbot: QtBot,
    make_controller: Callable[..., AppController],
    review_server: tuple[SandboxProcess, ReviewScenario],
    artifacts: Path,
) -> None:
    sandbox, _scenario = review_server
    controller, view = open_queue(qtbot, make_controller, sandbox)
    outbox = community_of(controller).outbox
    messages: list[str] = []
    view.message.connect(messages.append)

    def approvable(group: RequestGroup) -> bool:
        return group.pending and group.approval_problem() is None

    while not approvable(current(view)):
        key(qtbot, view, "j")
    first = current(view)
    key(qtbot, view, "a")
    wait_idle(qtbot, controller, view)
    assert server_requests(sandbox)[first.id] == ("approved", "Alice Moderator")

    # Back on its card, U: the revoke goes out, and only once it is confirmed the card says reverted.
    view.select_after_reload(first.id)
    view.reload()
    qtbot.waitUntil(lambda: current(view).id == first.id and current(view).decision is not None)
    key(qtbot, view, "u")
    wait_idle(qtbot, controller, view)
    qtbot.waitUntil(lambda: status_of(view, first.id) == "Reverted · award revoked")
    assert award_rows(sandbox, first.member_id, first.badge_id) == [("Alice Moderator", "undo")]
    assert current(view).reverted
    assert view.decisions.next_undo() is None  # Edit ▸ Undo offers nothing on it
    assert view.card.status.text().startswith("Approval reverted: the award is revoked")
    assert "Approve again (A)" in view.card.status.text()
    view.window().resize(1366, 768)
    qtbot.wait(50)
    view.window().grab().save(str(artifacts / "review_undo_reverted.png"))

    # The server keeps the request decided: deny says so, and sends nothing.
    key(qtbot, view, "d")
    assert messages[-1].startswith(f"Request #{first.id} stays decided on the server")
    assert outbox.pending_count() == 0

    # Approving again awards the badge again.
    key(qtbot, view, "a")
    wait_idle(qtbot, controller, view)
    qtbot.waitUntil(lambda: status_of(view, first.id) == "Approved again · sent")
    assert award_rows(sandbox, first.member_id, first.badge_id) == [
        ("Alice Moderator", "undo"),
        ("Alice Moderator", None),
    ]
    [again] = [a for a in outbox.actions([ActionState.DONE]) if a.kind is ActionKind.AWARD]
    assert again.payload["reason"] == f"Request #{first.id} approved again."
    assert server_requests(sandbox)[first.id] == ("approved", "Alice Moderator")

    # And U takes that back: reverted again.
    view.select_after_reload(first.id)
    view.reload()
    qtbot.waitUntil(lambda: current(view).id == first.id and current(view).decision is not None)
    assert QApplication.focusWidget() is view.table
    key(qtbot, view, "u")
    wait_idle(qtbot, controller, view)
    qtbot.waitUntil(lambda: status_of(view, first.id) == "Reverted · award revoked")
    rows = award_rows(sandbox, first.member_id, first.badge_id)
    assert rows == [("Alice Moderator", "undo"), ("Alice Moderator", "undo")]
