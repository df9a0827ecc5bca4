"""What the Review queue's decision keys do: approve, deny, return, skip and undo, on a card or a selection.

A decision is committed to the outbox on the writer while the queue moves on
to the next open card at once; the row says "Saving…" until SQLite has it.
Each key press goes on an undo stack, so U takes back the last decision made
here (or the current card's): unsent, it is dropped; sent, an approval is
reversed. Deny and return ask for a reason in :class:`DecisionDialog`.

A reverted approval (its award's revoke confirmed) stays decided on the
server (neither dialect reopens one): approving it again awards the badge again
(:meth:`~desktop.outbox.Outbox.approve_again`), and U takes that back too;
deny and return say why there is nothing left for them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from desktop import failures
from desktop.domain import Action, ActionState, Decision, RequestState
from desktop.outbox import DecisionSpec, DecisionUndo, Outbox, OutboxError
from desktop.review import RequestGroup
from ui.review.decision_dialog import DecisionDialog
from ui.review.model import SAVING, SKIPPED, GroupKey

if TYPE_CHECKING:
    from ui.review.review_queue import ReviewQueueView


@dataclass
class _Decided:
    """One entry of the undo stack: one key press, one or more groups (a bulk decision).

    The action ids are known once SQLite has them.
    """

    keys: list[GroupKey]
    #: The requests each decision settles, to find their card again after undo.
    request_ids: list[int]
    decision: Decision
    label: str
    action_ids: list[int] = field(default_factory=list)
    undo_requested: bool = False


class ReviewDecisions:
    """The decisions made on one queue view's cards, and the stack U undoes them from.

    The view keeps the widgets, the loading and the moving between cards, and
    its keys and buttons call here. GUI thread only.
    """

    def __init__(self, view: ReviewQueueView) -> None:
        self.view = view
        self._undo: list[_Decided] = []

    def approve(self) -> None:
        started = time.perf_counter()
        current = self.view.current_group()
        if current is not None and current.reverted and self.view.model.marked(current.key) != SAVING:
            self._approve_again(current, started)
            return
        group = self._open_current(Decision.APPROVE)
        if group is None:
            return
        if group.decision is not None:
            self._follow_up(group, Decision.APPROVE, started)
            return
        problem = group.approval_problem()
        if problem is not None:
            self.view.card.problem.setText(problem)
            self.view.message.emit(problem)
            return
        self._decide([group.decision_spec(Decision.APPROVE)], [group], Decision.APPROVE, started)

    def deny(self) -> None:
        self._decide_with_dialog(Decision.DENY, bulk=False)

    def return_request(self) -> None:
        self._decide_with_dialog(Decision.RETURN, bulk=False)

    def bulk_approve(self) -> None:
        started = time.perf_counter()
        groups = self._open_selection()
        if not groups:
            self.view.message.emit(
                QCoreApplication.translate(
                    "ReviewDecisions", "Select pending requests to approve (Shift+click or Ctrl+click)."
                )
            )
            return
        fine = [g for g in groups if g.approval_problem() is None]
        refused = [g for g in groups if g.approval_problem() is not None]
        # Counts go to translate() as plain names: lupdate misses a message whose count is a call.
        approving, refusing, selected = len(fine), len(refused), len(groups)
        text = QCoreApplication.translate("ReviewDecisions", "Approve %n request(s)?", "", approving)
        if refused:
            text += "\n\n" + QCoreApplication.translate(
                "ReviewDecisions", "%n cannot be approved and stay in the queue:", "", refusing
            )
            text += "\n" + "\n".join(f"• {g.approval_problem()}" for g in refused[:8])
        if not fine:
            self.view.message.emit(
                QCoreApplication.translate(
                    "ReviewDecisions", "None of the %n selected request(s) can be approved.", "", selected
                )
            )
            return
        if not self.view.confirm(
            self.view, QCoreApplication.translate("ReviewDecisions", "Approve the selection"), text
        ):
            return
        self._decide([g.decision_spec(Decision.APPROVE) for g in fine], fine, Decision.APPROVE, started)

    def bulk_deny(self) -> None:
        self._decide_with_dialog(Decision.DENY, bulk=True)

    def _open_selection(self) -> list[RequestGroup]:
        """The selected groups still pending and not being saved: those a bulk key decides."""
        view = self.view
        return [g for g in view.selected_groups() if g.pending and view.model.marked(g.key) != SAVING]

    def _open_current(self, decision: Decision) -> RequestGroup | None:
        """The current group if ``decision`` may be made on it now; else says why and returns None."""
        group = self.view.current_group()
        if group is None or self.view.model.marked(group.key) == SAVING:
            return None
        if group.decision is None:
            return group
        if group.decision.state is ActionState.CONFLICT:
            follow, why = group.follow_up()
            if why is None and follow in (None, decision):
                return group
            if why is None and follow is not None:
                key = self.view.shortcuts.text("review." + follow.value)
                if group.decision.decided_by:
                    why = QCoreApplication.translate(
                        "ReviewDecisions",
                        "{who} decided: {decision}. Only “{follow}” ({key}) settles the rest"
                        " without contradicting.",
                    ).format(
                        who=group.decision.decided_by,
                        decision=_state_name(group.decision.their_decision),
                        follow=_decision_name(follow),
                        key=key,
                    )
                else:
                    why = QCoreApplication.translate(
                        "ReviewDecisions",
                        "Another moderator decided: {decision}. Only “{follow}” ({key}) settles the rest"
                        " without contradicting.",
                    ).format(
                        decision=_state_name(group.decision.their_decision),
                        follow=_decision_name(follow),
                        key=key,
                    )
            self._refuse(why or "")
            return None
        if group.reverted:
            key = self.view.shortcuts.text("review.approve")
            self._refuse(
                QCoreApplication.translate(
                    "ReviewDecisions",
                    "Request #{id} stays decided on the server (it cannot be reopened from here) and its"
                    " award is revoked: only approving again ({key}) is left, which awards the badge again.",
                ).format(id=group.id, key=key)
            )
            return None
        if group.decision.undone and group.decision.again is None:
            # The undo is on its way (or refused): the card says where it is.
            self._refuse(group.decision.status_text)
            return None
        self._refuse(
            QCoreApplication.translate("ReviewDecisions", "Already decided: {status} U undoes it.").format(
                status=group.decision.status_text
            )
        )
        return None

    def _approve_again(self, group: RequestGroup, started: float) -> None:
        """Award the badge of a reverted approval again; U takes it back like a decision."""
        assert group.decision is not None
        problem = group.approval_problem()
        if problem is not None:
            self._refuse(problem)
            return
        action_id = group.decision.action_id
        self.view.model.mark(group.key, SAVING)
        label = QCoreApplication.translate(
            "ReviewDecisions", "approve again of {member}'s request for {badge}"
        ).format(member=group.member_text, badge=group.badge_text)
        entry = _Decided([group.key], [group.id], Decision.APPROVE, label, [action_id])

        def saved(_award: Action) -> None:
            self.view.commit_ms.append((time.perf_counter() - started) * 1000)
            self._undo.append(entry)
            self.view.message.emit(
                QCoreApplication.translate("ReviewDecisions", "Queued: {what}.").format(what=label)
            )
            self.view.session.send_outbox()

        def failed(error: Exception) -> None:
            self.view.model.mark(group.key, None)
            self.view.show_current()
            task = failures.changing(QCoreApplication.translate("ReviewDecisions", "approving again"))
            self.view.message.emit(self.view.session.describe(error, task).message)

        self.view.session.change_outbox(
            "approve again",
            lambda outbox: outbox.approve_again(action_id),
            on_done=saved,
            on_failure=failed,
            send=False,
        )
        self.view.advance(started)

    def _refuse(self, text: str) -> None:
        self.view.card.problem.setText(text)
        self.view.message.emit(text)

    def _follow_up(self, group: RequestGroup, decision: Decision, started: float) -> None:
        """Settle what another moderator left of a group, the way they decided (no new message)."""
        follow, _why = group.follow_up()
        if follow is None:
            return self._decide_after_change(group, decision, started)
        if decision is Decision.APPROVE and group.approval_problem() is not None:
            return self._refuse(group.approval_problem() or "")
        assert group.decision is not None
        reason = QCoreApplication.translate(
            "ReviewDecisions", "Same as request #{id}, {decision} by {who}"
        ).format(
            id=group.decision.conflicting_request,
            decision=_state_name(group.decision.their_decision),
            who=group.decision.decided_by,
        )
        self._decide([group.decision_spec(decision, reason=reason, message=None)], [group], decision, started)
        return None

    def _decide_after_change(self, group: RequestGroup, decision: Decision, started: float) -> None:
        """Only a version changed: decide the group again, with the versions the cache has now."""
        if decision is Decision.APPROVE:
            problem = group.approval_problem()
            if problem is not None:
                return self._refuse(problem)
            self._decide([group.decision_spec(decision)], [group], decision, started)
            return None
        self._decide_with_dialog(decision, bulk=False, group=group)
        return None

    def _decide_with_dialog(
        self, decision: Decision, *, bulk: bool, group: RequestGroup | None = None
    ) -> None:
        if group is not None:
            groups = [group]
        elif bulk:
            groups = self._open_selection()
            if not groups:
                self.view.message.emit(
                    QCoreApplication.translate(
                        "ReviewDecisions", "Select pending requests first (Shift+click or Ctrl+click)."
                    )
                )
                return
        else:
            current = self._open_current(decision)
            if current is None:
                return
            if current.decision is not None and current.follow_up()[0] is not None:
                self._follow_up(current, decision, time.perf_counter())
                return
            groups = [current]
        dialog = DecisionDialog(
            decision,
            groups,
            self.view.templates,
            community=self.view.snapshot.community if self.view.snapshot else "",
            moderator=(self.view.snapshot.actor if self.view.snapshot else "")
            or QCoreApplication.translate("ReviewDecisions", "a moderator"),
            parent=self.view,
        )
        try:
            if not self.view.run_dialog(dialog):
                return
            started = time.perf_counter()
            reason = dialog.reason()
            specs = [g.decision_spec(decision, reason=reason, message=dialog.message_for(g)) for g in groups]
        finally:
            dialog.deleteLater()
        self._decide(specs, groups, decision, started)

    def _decide(
        self,
        specs: Sequence[DecisionSpec],
        groups: Sequence[RequestGroup],
        decision: Decision,
        started: float,
    ) -> None:
        for group in groups:
            self.view.model.mark(group.key, SAVING)
        label = _label(decision, groups)
        entry = _Decided([g.key for g in groups], [s.request_id for s in specs], decision, label)
        self._undo.append(entry)

        def saved(actions: list[Action]) -> None:
            self.view.commit_ms.append((time.perf_counter() - started) * 1000)
            entry.action_ids = [a.id for a in actions]
            if entry.undo_requested:
                # U came while this was being saved: dropped before anything is sent.
                self._run_undo(entry)
                return
            self.view.message.emit(
                QCoreApplication.translate("ReviewDecisions", "Queued: {what}.").format(what=label)
            )
            self.view.session.send_outbox()

        def failed(error: Exception) -> None:
            for key in entry.keys:
                self.view.model.mark(key, None)
            if entry in self._undo:
                self._undo.remove(entry)
            self.view.show_current()
            task = failures.changing(QCoreApplication.translate("ReviewDecisions", "saving the decision"))
            self.view.message.emit(self.view.session.describe(error, task).message)

        self.view.session.change_outbox(
            f"{decision.value} requests",
            lambda outbox: outbox.queue_decisions(specs),
            on_done=saved,
            on_failure=failed,
            send=False,
        )
        self.view.advance(started)

    def skip(self) -> None:
        started = time.perf_counter()
        group = self.view.current_group()
        if group is None:
            return
        if group.pending:
            self.view.model.mark(group.key, SKIPPED)
        self.view.advance(started)

    def next_undo(self) -> Decision | None:
        """The decision :meth:`undo` would take back now (None: nothing; Edit ▸ Undo names it)."""
        group = self.view.current_group()
        if group is not None and group.decision is not None:
            decision = group.decision
            # A conflict applied nothing of ours; an undone approval (not approved again) is undone.
            nothing = decision.state is ActionState.CONFLICT or (decision.undone and decision.again is None)
            return None if nothing else decision.decision
        return self._undo[-1].decision if self._undo else None

    def undo(self) -> None:
        """U: take back a decision made here: the current card's, or else the last one.

        Unsent, it is dropped; sent, an approval is reversed (revoke, reason "undo").
        """
        group = self.view.current_group()
        if group is not None and group.decision is not None:
            if group.decision.state is ActionState.CONFLICT:
                self._refuse(
                    QCoreApplication.translate(
                        "ReviewDecisions",
                        "Nothing of yours was applied here: another moderator decided first.",
                    )
                )
                return
            action_id = group.decision.action_id
            entry = next((e for e in self._undo if action_id in e.action_ids), None)
            if entry is not None and len(entry.action_ids) == 1:
                self._undo.remove(entry)
            label = _label(group.decision.decision, [group])
            self._run_undo(_Decided([group.key], [group.id], group.decision.decision, label, [action_id]))
            return
        if not self._undo:
            self.view.message.emit(QCoreApplication.translate("ReviewDecisions", "Nothing to undo."))
            return
        entry = self._undo.pop()
        if not entry.action_ids:
            # Still being saved: undone as soon as SQLite has it.
            entry.undo_requested = True
            self.view.message.emit(
                QCoreApplication.translate("ReviewDecisions", "Undoing the {what}…").format(what=entry.label)
            )
            return
        self._run_undo(entry)

    def _run_undo(self, entry: _Decided) -> None:
        action_ids = list(entry.action_ids)

        def work(outbox: Outbox) -> list[DecisionUndo | str]:
            results: list[DecisionUndo | str] = []
            for action_id in action_ids:
                try:
                    results.append(outbox.undo_decision(action_id))
                except OutboxError as error:
                    results.append(str(error))
            return results

        def done(results: list[DecisionUndo | str]) -> None:
            errors = [r for r in results if isinstance(r, str)]
            undos = [r for r in results if not isinstance(r, str)]
            if errors and not undos:
                self._refuse(
                    QCoreApplication.translate("ReviewDecisions", "Cannot undo the {what}: {why}").format(
                        what=entry.label, why=errors[0]
                    )
                )
                return
            if all(u.dropped for u in undos):
                text = QCoreApplication.translate(
                    "ReviewDecisions", "Undone: the {what} was dropped before it was sent."
                )
            elif any(u.reversal is not None for u in undos):
                text = QCoreApplication.translate(
                    "ReviewDecisions", "Undone: the {what} is reversed (badge revoked, reason “undo”)."
                )
            else:
                text = QCoreApplication.translate(
                    "ReviewDecisions", "Undone: the {what} had changed nothing."
                )
            text = text.format(what=entry.label)
            if errors:
                failed = len(errors)
                text += " " + QCoreApplication.translate(
                    "ReviewDecisions", "%n could not be undone: {why}", "", failed
                ).format(why=errors[0])
            self.view.message.emit(text)
            # Its cards are open again (the "saving" mark may outlive a quick undo).
            for key in [*entry.keys, *(("pending", r) for r in entry.request_ids)]:
                self.view.model.mark(key, None)
            self.view.select_after_reload(entry.request_ids[0])

        # The name is what a failure says was being done ("Undo decision: …").
        self.view.session.change_outbox(
            QCoreApplication.translate("ReviewDecisions", "undo decision"), work, on_done=done
        )


def _label(decision: Decision, groups: Sequence[RequestGroup]) -> str:
    """What a key press decided, as the messages and the undo stack name it."""
    if len(groups) == 1:
        if decision is Decision.APPROVE:
            text = QCoreApplication.translate("ReviewDecisions", "approve of {member}'s request for {badge}")
        elif decision is Decision.DENY:
            text = QCoreApplication.translate("ReviewDecisions", "deny of {member}'s request for {badge}")
        else:
            text = QCoreApplication.translate("ReviewDecisions", "return of {member}'s request for {badge}")
        return text.format(member=groups[0].member_text, badge=groups[0].badge_text)
    count = len(groups)  # a plain name: lupdate misses a message whose count is a call
    if decision is Decision.APPROVE:
        return QCoreApplication.translate("ReviewDecisions", "approve of %n request(s)", "", count)
    if decision is Decision.DENY:
        return QCoreApplication.translate("ReviewDecisions", "deny of %n request(s)", "", count)
    return QCoreApplication.translate("ReviewDecisions", "return of %n request(s)", "", count)


def _decision_name(decision: Decision) -> str:
    """A decision as the user reads it in a sentence ("approve"); its value is the identifier."""
    names = {
        Decision.APPROVE: QCoreApplication.translate("ReviewDecisions", "approve"),
        Decision.DENY: QCoreApplication.translate("ReviewDecisions", "deny"),
        Decision.RETURN: QCoreApplication.translate("ReviewDecisions", "return"),
    }
    return names.get(decision, decision.value)


def _state_name(state: str | None) -> str:
    """A request's state as another moderator left it ("denied"); unknown values as they are."""
    names = {
        RequestState.PENDING.value: QCoreApplication.translate("ReviewDecisions", "pending"),
        RequestState.APPROVED.value: QCoreApplication.translate("ReviewDecisions", "approved"),
        RequestState.DENIED.value: QCoreApplication.translate("ReviewDecisions", "denied"),
        RequestState.RETURNED.value: QCoreApplication.translate("ReviewDecisions", "returned"),
        RequestState.WITHDRAWN.value: QCoreApplication.translate("ReviewDecisions", "withdrawn"),
    }
    return names.get(state or "", state or "")
