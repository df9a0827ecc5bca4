"""What went wrong, told in one sentence the user can act on, and nothing more.

Every failure the user sees (the status bar, a pane, a dialog, the
``badgedesk`` command) is worded here from the exception, so the rules live
in one place:

* one sentence: what failed and what to do ("The disk is full: free about
  40 MB and BadgeDesk resumes the sync where it stopped.");
* never the SQL statement, its parameters, or other text an exception may
  carry out of the data (member names, emails, notes). SQLite's own reason
  ("database or disk is full") is kept; what SQLAlchemy adds is not;
* logs get the same treatment (:mod:`desktop.failure_logs`): ``log_failure`` for
  our own calls, and ``RedactingFilter`` on the handlers for everything else.

Thread safety: plain functions without shared state; any thread.
"""

from __future__ import annotations

import enum
import errno
import math
import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy.exc

from desktop.cancellation import Cancelled
from desktop.i18n import _
from desktop.net.errors import ApiError, AuthError, MalformedResponse, ServerBusy, ServerUnreachable

#: Room asked for when nothing better is known: SQLite needs space for its
#: write-ahead log and temporary b-tree pages even for a small change.
MIN_SPACE = 16 * 1024 * 1024
#: Bytes one synced item takes in the cache, indexes included (about 150 on
#: the demo community, where awards are most items; members take more).
ITEM_BYTES = 300
#: Items stored before the cache's own size per item is trusted.
_MEASURED_AFTER = 20_000
#: A cache whose drive has less than this free is taken as full, whatever SQLite said.
_NEARLY_FULL = 1024 * 1024
#: Longest reason quoted from a server or a driver; longer ones are cut.
_MAX_REASON = 200


class FailureKind(enum.Enum):
    DISK_FULL = "disk full"
    #: Another connection holds the cache (another window, another program).
    CACHE_BUSY = "cache busy"
    CACHE_DAMAGED = "cache damaged"
    #: The cache's file cannot be opened or written (permissions, a failing drive).
    CACHE_UNUSABLE = "cache unusable"
    #: Reading or writing a file the user chose (an export, an import).
    FILE = "file"
    OFFLINE = "offline"
    TOKEN = "token refused"
    SERVER = "server"
    CANCELLED = "cancelled"
    NO_MEMORY = "no memory"
    #: A core error whose message already is a sentence for the user.
    STATED = "stated"
    UNEXPECTED = "unexpected"


#: A text given as is (already in the user's language), or made when it is read: the core's
#: own tasks are module constants, made before the language is chosen.
Text = str | Callable[[], str]


def _read(text: Text) -> str:
    return text if isinstance(text, str) else text()


class Task:
    """What was being done, in the user's words, and how it carries on after a failure.

    ``subject`` completes "… failed" ("The sync"); ``after_space`` completes
    "free about 40 MB and …"; ``again`` says how it is tried again, as a
    clause that can follow a colon. Each is a translated text, or a function
    that translates it when it is read (for a constant made at import).
    """

    __slots__ = ("_after_space", "_again", "_subject")

    def __init__(self, subject: Text, *, after_space: Text, again: Text) -> None:
        self._subject = subject
        self._after_space = after_space
        self._again = again

    @property
    def subject(self) -> str:
        return _read(self._subject)

    @property
    def after_space(self) -> str:
        return _read(self._after_space)

    @property
    def again(self) -> str:
        return _read(self._again)

    def __repr__(self) -> str:
        return f"Task({self.subject!r}, after_space={self.after_space!r}, again={self.again!r})"


SYNC = Task(
    lambda: _("The sync"),
    after_space=lambda: _("BadgeDesk resumes the sync where it stopped"),
    again=lambda: _("BadgeDesk tries again at the next sync"),
)
SYNC_COMMAND = Task(
    lambda: _("The sync"),
    after_space=lambda: _("run the sync again: it resumes where it stopped"),
    again=lambda: _("run the sync again later"),
)
SEND = Task(
    lambda: _("Sending"),
    after_space=lambda: _("sending resumes by itself with nothing queued lost"),
    again=lambda: _("BadgeDesk sends again after the next sync"),
)
OPEN = Task(
    lambda: _("Opening the local cache"),
    after_space=lambda: _("start BadgeDesk again"),
    again=lambda: _("start BadgeDesk again"),
)


def loading(what: str) -> Task:
    """Reading ``what`` ("the badges", translated) for a pane, which offers a Retry button."""
    return Task(_("Loading {what}").format(what=what), after_space=_("press Retry"), again=_("press Retry"))


def changing(what: str) -> Task:
    """A change the user made ("saving the batch", translated); a failed write leaves nothing half-done."""
    return Task(
        what[:1].upper() + what[1:], after_space=_("try again (nothing was saved)"), again=_("try again")
    )


def file_task(what: str) -> Task:
    """Reading or writing a file the user chose ("the export", translated)."""
    return Task(what[:1].upper() + what[1:], after_space=_("try again"), again=_("try again"))


@dataclass(frozen=True, slots=True)
class Failure:
    kind: FailureKind
    #: One sentence for the user, free of SQL and member data.
    message: str
    #: A short reason safe for logs ("database or disk is full", "HTTP 400 (bad_request)").
    reason: str
    #: Bytes to free before trying again (a full disk only; 0 otherwise).
    space_needed: int = 0

    @property
    def waits_for_space(self) -> bool:
        return self.kind is FailureKind.DISK_FULL


# --- telling ------------------------------------------------------------------------------------


def describe(
    error: BaseException,
    task: Task,
    *,
    folder: Path | None = None,
    space_needed: int | None = None,
) -> Failure:
    """The user's sentence for ``error`` met while doing ``task``.

    ``folder`` is where the cache lives (named when the user must look at
    it, and checked for room when SQLite's reason is vague); ``space_needed``
    is how much a full disk must give back (:func:`space_for_sync`).
    """
    kind = classify(error)
    reason = log_reason(error)
    if (
        kind is FailureKind.CACHE_UNUSABLE
        and folder is not None
        and free_bytes(folder, unknown=_NEARLY_FULL) < _NEARLY_FULL
    ):
        # A write that failed for want of room can surface as an I/O error.
        kind = FailureKind.DISK_FULL
    space = (space_needed or MIN_SPACE) if kind is FailureKind.DISK_FULL else 0
    return Failure(kind, _sentence(kind, error, task, folder, space), reason, space)


def classify(error: BaseException) -> FailureKind:
    sqlite = sqlite_error(error)
    if sqlite is not None:
        return _sqlite_kind(sqlite)
    if isinstance(error, sqlalchemy.exc.SQLAlchemyError):
        return FailureKind.UNEXPECTED
    if isinstance(error, OSError):
        return FailureKind.DISK_FULL if error.errno in (errno.ENOSPC, errno.EDQUOT) else FailureKind.FILE
    if isinstance(error, MemoryError):
        return FailureKind.NO_MEMORY
    if isinstance(error, Cancelled):
        return FailureKind.CANCELLED
    if isinstance(error, ServerUnreachable):
        return FailureKind.OFFLINE
    if isinstance(error, AuthError):
        return FailureKind.TOKEN
    if isinstance(error, ApiError):
        return FailureKind.SERVER
    if _states_itself(error):
        return FailureKind.STATED
    return FailureKind.UNEXPECTED


def _sentence(kind: FailureKind, error: BaseException, task: Task, folder: Path | None, space: int) -> str:
    if kind is FailureKind.DISK_FULL:
        return _("The disk is full: free about {size} and {after_space}.").format(
            size=_megabytes(space), after_space=task.after_space
        )
    if kind is FailureKind.CACHE_BUSY:
        return _(
            "{task} failed because another program is using the local cache ({reason}): close other"
            " BadgeDesk windows of this community and {again}."
        ).format(task=task.subject, reason=driver_reason(error), again=task.again)
    if kind is FailureKind.CACHE_DAMAGED:
        return _(
            "The local cache could not be read ({reason}): {again}, and if it keeps failing,"
            " quit BadgeDesk and start it again."
        ).format(reason=driver_reason(error), again=task.again)
    if kind is FailureKind.CACHE_UNUSABLE:
        if folder is None:
            return _(
                "The local cache could not be used ({reason}): check that BadgeDesk's data folder is on a"
                " working drive that BadgeDesk may write to, then {again}."
            ).format(reason=driver_reason(error), again=task.again)
        return _(
            "The local cache could not be used ({reason}): check that {folder} is on a"
            " working drive that BadgeDesk may write to, then {again}."
        ).format(reason=driver_reason(error), folder=folder, again=task.again)
    if kind is FailureKind.FILE:
        assert isinstance(error, OSError)
        return _("{task} failed ({reason}): {remedy}.").format(
            task=task.subject, reason=_file_reason(error), remedy=_file_remedy(error, task)
        )
    if kind is FailureKind.OFFLINE:
        return _("Offline ({reason}): {again}; until then BadgeDesk works from the cache.").format(
            reason=quoted_reason(error, lower=True), again=task.again
        )
    if kind is FailureKind.TOKEN:
        assert isinstance(error, ApiError)
        if error.status == 403:
            return _("{reason}; ask an administrator for a moderator's token.").format(
                reason=quoted_reason(error)
            )
        return _("{reason}; start BadgeDesk with --forget-token to give it a new one.").format(
            reason=quoted_reason(error)
        )
    if kind is FailureKind.SERVER:
        if isinstance(error, MalformedResponse):
            return _("{reason}; the cache was left as it was and {again}.").format(
                reason=quoted_reason(error), again=task.again
            )
        if isinstance(error, ServerBusy):
            return _("The server is busy ({reason}): {again}.").format(
                reason=quoted_reason(error, lower=True), again=task.again
            )
        return _("{task} failed: {reason}; {again}.").format(
            task=task.subject, reason=quoted_reason(error), again=task.again
        )
    if kind is FailureKind.CANCELLED:
        return _("{task} was cancelled; {again}.").format(task=task.subject, again=task.again)
    if kind is FailureKind.NO_MEMORY:
        return _("{task} failed for want of memory: close other programs, then {again}.").format(
            task=task.subject, again=task.again
        )
    if kind is FailureKind.STATED:
        return _("{reason}.").format(reason=quoted_reason(error))
    return _(
        "{task} failed because of an unexpected problem ({error}): {again},"
        " and report it with BadgeDesk's log if it keeps happening."
    ).format(task=task.subject, error=type(error).__name__, again=task.again)


def _states_itself(error: BaseException) -> bool:
    """Whether ``error`` is one of the core's own, whose message is written for the user.

    The core's exceptions (``OutboxError``, ``DraftError``, ``ListFileError``
    and the like) say what happened in a sentence by convention; built-in
    ones (``ValueError``, ``KeyError``) may quote anything, data included.
    """
    cls = type(error)
    return cls.__module__.startswith("desktop.") and not cls.__name__.startswith("_")


def quoted_reason(error: BaseException, *, lower: bool = False) -> str:
    """``str(error)`` of an error whose text is meant for users: one line, bounded."""
    text = " ".join(str(error).split())
    if len(text) > _MAX_REASON:
        text = text[: _MAX_REASON - 1].rstrip() + "…"
    text = text.rstrip(".") or type(error).__name__
    return text[:1].lower() + text[1:] if lower else text


def _megabytes(size: int) -> str:
    """A round figure that is not smaller than ``size``: 7 MB, 16 MB, 45 MB, 1.2 GB."""
    mb = max(1, math.ceil(size / 2**20))
    if mb > 1000:
        return _("{size} GB").format(size=f"{math.ceil(mb / 102.4) / 10:.1f}")
    step = 1 if mb <= 20 else 5 if mb <= 100 else 10
    return _("{size} MB").format(size=math.ceil(mb / step) * step)


# --- SQLite --------------------------------------------------------------------------------------

# Primary result codes (https://sqlite.org/rescode.html); extended codes keep them in the low byte.
_SQLITE_KINDS = {
    13: FailureKind.DISK_FULL,  # SQLITE_FULL
    5: FailureKind.CACHE_BUSY,  # SQLITE_BUSY
    6: FailureKind.CACHE_BUSY,  # SQLITE_LOCKED
    11: FailureKind.CACHE_DAMAGED,  # SQLITE_CORRUPT
    26: FailureKind.CACHE_DAMAGED,  # SQLITE_NOTADB
    14: FailureKind.CACHE_UNUSABLE,  # SQLITE_CANTOPEN
    8: FailureKind.CACHE_UNUSABLE,  # SQLITE_READONLY
    10: FailureKind.CACHE_UNUSABLE,  # SQLITE_IOERR
    3: FailureKind.CACHE_UNUSABLE,  # SQLITE_PERM
    15: FailureKind.CACHE_UNUSABLE,  # SQLITE_PROTOCOL
    7: FailureKind.NO_MEMORY,  # SQLITE_NOMEM
}
# For errors raised without a code (older drivers, or made by hand).
_SQLITE_WORDS = (
    ("disk is full", FailureKind.DISK_FULL),
    ("is locked", FailureKind.CACHE_BUSY),
    ("malformed", FailureKind.CACHE_DAMAGED),
    ("not a database", FailureKind.CACHE_DAMAGED),
    ("unable to open", FailureKind.CACHE_UNUSABLE),
    ("readonly", FailureKind.CACHE_UNUSABLE),
    ("disk i/o error", FailureKind.CACHE_UNUSABLE),
)


def sqlite_error(error: BaseException) -> sqlite3.Error | None:
    """The SQLite driver's error inside ``error`` (SQLAlchemy wraps it as ``orig``)."""
    if isinstance(error, sqlite3.Error):
        return error
    if isinstance(error, sqlalchemy.exc.DBAPIError) and isinstance(error.orig, sqlite3.Error):
        return error.orig
    return None


def _sqlite_kind(error: sqlite3.Error) -> FailureKind:
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _SQLITE_KINDS:
        return _SQLITE_KINDS[code & 0xFF]
    text = str(error).casefold()
    for words, kind in _SQLITE_WORDS:
        if words in text:
            return kind
    return FailureKind.UNEXPECTED


def driver_reason(error: BaseException) -> str:
    """SQLite's own words: the driver's message, never what SQLAlchemy adds (SQL, parameters)."""
    sqlite = sqlite_error(error)
    if sqlite is None:
        return type(error).__name__
    first = (str(sqlite).splitlines() or [""])[0].strip()
    return first[:_MAX_REASON] or type(sqlite).__name__


# --- files -------------------------------------------------------------------------------------


def _file_reason(error: OSError) -> str:
    what = error.strerror or errno.errorcode.get(error.errno or 0, type(error).__name__)
    name = Path(os.fsdecode(error.filename)).name if error.filename else ""
    return _("{reason}: {file}").format(reason=what, file=name) if name else what


def _file_remedy(error: OSError, task: Task) -> str:
    if error.errno in (errno.EACCES, errno.EPERM):
        return _("check its permissions or choose another place")
    if error.errno == errno.EROFS:
        return _("choose a place on a drive that can be written to")
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return _("check that the folder exists or choose another place")
    if error.errno == errno.EISDIR:
        return _("choose a file, not a folder")
    return task.again


# --- space ---------------------------------------------------------------------------------------


def folder_size(folder: Path) -> int:
    """Bytes taken by the files in ``folder`` and below (whatever files the cache is made of)."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def free_bytes(folder: Path, *, unknown: int = 0) -> int:
    """Free room on the drive holding ``folder``; ``unknown`` when that cannot be read."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return unknown


def space_for_sync(folder: Path | None, done: int, total: int) -> int:
    """About how many bytes a sync still needs: the items left, at the size items take.

    That size is measured on the cache once it holds enough items to dilute
    the schema and the badges' images (which come first); until then it is
    :data:`ITEM_BYTES`. A quarter more covers the write-ahead log. Without a
    known total (an incremental sync), :data:`MIN_SPACE`.
    """
    if total <= done:
        return MIN_SPACE
    per_item = float(ITEM_BYTES)
    if folder is not None and done >= _MEASURED_AFTER:
        per_item = folder_size(folder) / done
    return max(MIN_SPACE, int(per_item * (total - done) * 1.25))


def log_reason(error: BaseException) -> str:
    """What a log may say about ``error``: its kind of failure, never data it may quote."""
    if sqlite_error(error) is not None:
        return driver_reason(error)
    if isinstance(error, OSError):
        return f"[Errno {error.errno}] {error.strerror}" if error.errno else type(error).__name__
    if isinstance(error, ServerUnreachable | ServerBusy | MalformedResponse):
        # Made here from the address, the status and the field's position: no data.
        return quoted_reason(error)
    if isinstance(error, ApiError):
        # The server's own words may quote members; its status and code do not.
        return f"HTTP {error.status} ({error.code or 'no code'})" if error.status else "refused"
    return ""
