"""What became of each row of a batch's input, in words, and the results CSV (row, input, member,
outcome) written from the work file.

Thread safety: a worker's (it reads the cache and writes a file), never the GUI thread.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path

from desktop.batches import RowStatus
from desktop.cache.database import Cache
from desktop.cancellation import CancelToken
from desktop.domain import ActionState
from desktop.drift import noop_text
from desktop.export import safe_cell
from desktop.i18n import _
from desktop.outbox import HoldReason
from desktop.outbox.store import queries


def _status_text(status: RowStatus) -> str:
    texts = {
        RowStatus.BLANK: _("skipped: blank"),
        RowStatus.NOT_FOUND: _("not found"),
        RowStatus.INACTIVE: _("skipped: member suspended or deleted"),
    }
    return texts[status]


def row_outcome(
    status: str,
    detail: str | None,
    state: str | None,
    outcome: str | None,
    hold: str | None,
    error: str | None,
) -> str:
    """What became of one input row, in words (the results CSV's last column)."""
    row_status = RowStatus(status)
    if row_status is RowStatus.INVALID:
        return _("invalid: {problem}").format(problem=detail)
    if row_status in (RowStatus.DUPLICATE, RowStatus.ALREADY):
        return _("skipped: {why}").format(why=detail)
    if row_status is not RowStatus.TO_SEND:
        return _status_text(row_status)
    if state is None:
        return _("unknown")
    action_state = ActionState(state)
    reason = HoldReason(hold).text if hold else ""
    if action_state is ActionState.DONE:
        nothing_done = noop_text(outcome)
        if nothing_done is not None:
            return _("no change: {why}").format(why=nothing_done)
        return outcome or "done"
    if action_state is ActionState.CONFLICT:
        return _("conflict: {why}").format(why=reason)
    if action_state is ActionState.HELD:
        return _("held: {why}").format(why=reason)
    if action_state is ActionState.FAILED:
        return _("failed: {why}").format(why=error or _("refused by the server"))
    if action_state is ActionState.DISCARDED:
        if outcome == "skipped":
            return _("skipped by moderator")
        if outcome == "undone":
            return _("undone before sending")
        return outcome or _("discarded")
    return action_state.value  # pending, sending


RESULT_COLUMNS = ("row", "input", "member", "outcome")


def export_results_csv(
    cache: Cache,
    batch_id: str,
    path: Path,
    *,
    progress: Callable[[int], None] | None = None,
    cancel: CancelToken | None = None,
    every: int = 1000,
) -> int:
    """Write one line per input row of the batch: row, input, member, outcome.

    Batches queued without input rows (for example an undo) get one line per
    action. ``progress`` hears the rows written every ``every`` rows and at the
    end; ``cancel`` stops it between rows (:class:`~desktop.cancellation.Cancelled`).
    The file appears only when complete; returns the rows written.
    """
    tmp = path.with_name(path.name + ".part")
    written = 0
    try:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle, cache.read() as connection:
            writer = csv.writer(handle)
            writer.writerow(RESULT_COLUMNS)
            for row, raw, username, status, detail, state, outcome, hold, error in queries.batch_report_rows(
                connection, batch_id
            ):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                text = row_outcome(status, detail, state, outcome, hold, error)
                writer.writerow([row, safe_cell(raw), safe_cell(username or ""), text])
                written += 1
                if progress is not None and written % every == 0:
                    progress(written)
        if cancel is not None:
            cancel.raise_if_cancelled()
        if progress is not None and written % every:
            progress(written)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return written
