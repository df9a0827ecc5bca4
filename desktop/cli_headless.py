"""What every command run by a schedule shares: the profile, one run at a time, sending, exit status.

A headless run opens the same profile, cache and outbox as the app, syncs it (a
server it cannot reach leaves the cache as it was, when there is one), queues
through the work file and sends through the outbox's own sender, whose claims keep
an action from being sent twice whoever else sends the profile (the app, another
run). Two headless runs of one profile take turns, and a run takes its turn with
the app's sender too (:mod:`desktop.outbox.sending_turn`): a run waits while the
app sends (:func:`one_run_at_a_time`), the app sends after the run, and a second
run then finds its awards queued already.

Exit status: :data:`APPLIED` (all applied, or nothing to do), :data:`SOME_FAILED`
(a per-member results CSV is written and its path printed), :data:`REFUSED` (bad
input, refused), :data:`UNREACHABLE` (the actions stay queued for the next run or
the app; also :data:`STAYS_QUEUED`: the server answered, but actions are still
pending after the send, the outbox paused or waiting behind another action).

Thread safety: the main thread of a command-line process.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from desktop import failure_logs, failures, paths
from desktop.batch_results import export_results_csv
from desktop.cli_token import TokenRefused, find_token
from desktop.community import Community, Endpoint
from desktop.domain import ActionState
from desktop.i18n import _, ngettext
from desktop.net.errors import AuthError, BadServerAddress, ServerBusy, ServerUnreachable, TlsError
from desktop.net.server_address import check_server_url
from desktop.outbox.sending_turn import SendingElsewhere, sending_turn
from desktop.outbox.types import PauseReason, RetryPolicy, SendReport

APPLIED: Final = 0
SOME_FAILED: Final = 1
REFUSED: Final = 2
UNREACHABLE: Final = 3
#: Sent what it could, but actions stay queued (the outbox paused, or waiting behind another action).
STAYS_QUEUED: Final = UNREACHABLE
#: After Ctrl+C, as a shell reports a process ended by SIGINT.
INTERRUPTED: Final = 130

#: How long a run waits for another run of the same profile (or the app's send) before it gives up.
WAIT_SECONDS: Final = 15 * 60
#: Fewer, shorter retries than the window's: the schedule runs again, and the actions stay queued.
HEADLESS_RETRY: Final = RetryPolicy(attempts=2, first_delay=1.0, max_delay=5.0)

log = logging.getLogger(__name__)


class Stop(Exception):
    """End the command with ``status``; the message (if any) goes to stderr."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


#: What the one line says of a run that failed otherwise (a full disk, a damaged cache).
HEADLESS_TASK: Final = failures.Task(
    lambda: _("The run"),
    after_space=lambda: _("run it again: what was queued stays queued"),
    again=lambda: _("run it again later: what was queued stays queued"),
)


def run_command(body: Callable[[], int], command: str) -> int:
    """``body``'s exit status; a :class:`Stop` says its line, any other failure one line
    (the log has the rest) and ends with :data:`SOME_FAILED`."""
    try:
        return body()
    except Stop as stop:
        if str(stop):
            say(str(stop))
        return stop.status
    except KeyboardInterrupt:
        say(_("Interrupted: what was queued stays queued for the next run or the app."))
        return INTERRUPTED
    except Exception as error:
        failure_logs.log_failure(log, f"badgedesk {command}", error, level=logging.INFO)
        say(failures.describe(error, HEADLESS_TASK).message)
        return SOME_FAILED


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def open_community(
    server_url: str,
    kind: str,
    username: str,
    insecure_http: bool,
    token_file: Path | None,
    requests_per_minute: int | None = None,
) -> Community:
    try:
        address = check_server_url(server_url, allow_insecure_http=insecure_http)
    except BadServerAddress as error:
        raise Stop(str(error), REFUSED) from None
    try:
        token = find_token(address.url, token_file)
    except TokenRefused as error:
        raise Stop(str(error), REFUSED) from None
    endpoint = Endpoint(
        address.url,
        token,
        insecure_http=address.insecure,
        kind=kind,
        username=username,
        requests_per_minute=requests_per_minute,
    )
    return Community(address.url, endpoint)


@contextlib.contextmanager
def one_run_at_a_time(profile: str, *, wait: float = WAIT_SECONDS, poll: float = 0.25) -> Iterator[None]:
    """Hold the profile's sending turn; wait while another run or the app holds it (up to ``wait`` s)."""
    folder = paths.profile_dir(profile)
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            with sending_turn(folder):
                yield
            return
        except SendingElsewhere:
            if time.monotonic() >= deadline:
                raise Stop(
                    _(
                        "The app or another run is still sending {profile} after {minutes} minutes:"
                        " nothing was done."
                    ).format(profile=profile, minutes=round(wait / 60)),
                    REFUSED,
                ) from None
            if not told:
                say(
                    _("The app or another run is sending {profile}; waiting for it to finish…").format(
                        profile=profile
                    )
                )
                told = True
            time.sleep(poll)


def sync_first(community: Community) -> None:
    """Bring the cache up to date; a server out of reach leaves a cache synced before as it is."""
    try:
        community.sync()
    except (ServerUnreachable, ServerBusy, TlsError) as error:
        if community.capabilities() is None:
            raise Stop(
                _("Cannot reach {server}, and this profile was never synced: {why}").format(
                    server=community.profile, why=error
                ),
                UNREACHABLE,
            ) from None
        say(
            _("Cannot reach {server} ({why}): using the cache as last synced.").format(
                server=community.profile, why=error
            )
        )
    except AuthError as error:
        raise Stop(_("The server refused the token: {why}").format(why=error), REFUSED) from None


def send_queued(community: Community) -> SendReport:
    """Send everything the outbox holds (this run's batch and any left by an earlier run)."""
    try:
        return community.send_outbox(retry=HEADLESS_RETRY)
    except (ServerUnreachable, ServerBusy, TlsError) as error:
        failure_logs.log_failure(log, "headless send", error, level=logging.INFO)
        pending = community.outbox.pending_count()
        raise Stop(
            ngettext(
                "Cannot reach {server} ({why}): {n} action stays queued for the next run or the app.",
                "Cannot reach {server} ({why}): {n} actions stay queued for the next run or the app.",
                pending,
            ).format(server=community.profile, why=error, n=pending),
            UNREACHABLE,
        ) from None
    except AuthError as error:
        raise Stop(
            _("The server refused the token: {why}. The actions stay queued.").format(why=error), REFUSED
        ) from None


@dataclass(frozen=True, slots=True)
class MemberResult:
    member_id: int | None
    member: str
    state: str
    detail: str


_UNSETTLED = frozenset({ActionState.FAILED, ActionState.CONFLICT, ActionState.HELD})


def batch_results(community: Community, batch_id: str, names: dict[int, str]) -> list[MemberResult]:
    """Each action of the batch as it stands now."""
    found: list[MemberResult] = []
    for action in community.outbox.actions(batch_id=batch_id):
        member_id = action.member_id
        member = names.get(member_id, f"#{member_id}") if member_id is not None else ""
        detail = action.last_error or action.outcome or ""
        found.append(MemberResult(member_id, member, action.state.value, detail))
    return found


#: Not sent yet, or sent and not answered: neither applied nor failed.
_QUEUED = frozenset({ActionState.PENDING, ActionState.SENDING})


def failed(results: list[MemberResult]) -> list[MemberResult]:
    return [r for r in results if ActionState(r.state) in _UNSETTLED]


def still_queued(results: list[MemberResult]) -> list[MemberResult]:
    """What the send left queued: not applied, to be sent by the next run or the app."""
    return [r for r in results if ActionState(r.state) in _QUEUED]


def nothing_new(community: Community, sent: SendReport) -> int:
    """The status of a run that queued nothing: done, unless a paused outbox still holds actions
    (an earlier run's, the app's), which the run then says."""
    if sent.paused and sent.queued:
        say(queued_words(community, sent.queued))
        return STAYS_QUEUED
    return APPLIED


def queued_words(community: Community, n: int) -> str:
    """Why ``n`` actions stay queued after the send, and what lets them go."""
    reason = community.outbox.pause_reason()
    if reason is PauseReason.USER:
        return ngettext(
            "{n} action stays queued: sending is paused in the app. Click “Resume sending” in its"
            " Outbox, then run again.",
            "{n} actions stay queued: sending is paused in the app. Click “Resume sending” in its"
            " Outbox, then run again.",
            n,
        ).format(n=n)
    if reason is PauseReason.TOKEN_REFUSED:
        return ngettext(
            "{n} action stays queued: sending is paused since the server refused the token. Give the"
            " app a new token, then run again.",
            "{n} actions stay queued: sending is paused since the server refused the token. Give the"
            " app a new token, then run again.",
            n,
        ).format(n=n)
    return ngettext(
        "{n} action stays queued for the next run or the app: it waits behind another action (an"
        " undo not yet settled, or one another sender holds).",
        "{n} actions stay queued for the next run or the app: they wait behind other actions (an"
        " undo not yet settled, or one another sender holds).",
        n,
    ).format(n=n)


def write_results(community: Community, batch_id: str, path: Path) -> Path:
    """Each input row of the batch and what became of it (the app's results CSV)."""
    export_results_csv(community.cache, batch_id, path)
    return path


def confirm(question: str, yes: bool) -> None:
    """Go on with ``--yes``, or when the user at the terminal says so; refuse without a terminal."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise Stop(_("Not sent: no terminal to ask; add --yes to send from a schedule."), REFUSED)
    try:
        answer = input(question + " " + _("[y/N] "))
    except (EOFError, KeyboardInterrupt):
        answer = ""
    if answer.strip().casefold() not in {"y", "yes", _("y").casefold(), _("yes").casefold()}:
        raise Stop(_("Not sent."), REFUSED)
