"""Building a batch of awards or revokes: the dry run, queueing, the results CSV.

A batch starts from a member selection, a file or pasted text. The dry run
reads the list (streamed; see :mod:`desktop.importers.reading`), merges
duplicates, looks members up in the cache and says exactly what would be
sent. Every input row gets a status::

    rows = blank + invalid + duplicates + not found + inactive + already + to send

Queueing reads the list a second time and stores each row with its status
next to the batch, so the results CSV can later say what became of every row
of the user's file. If the file changed between the two readings, queueing
refuses and the dry run must be repeated.

Memory: the dry run keeps one dictionary entry per distinct identifier (a
few hundred bytes each), never the rows themselves.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop.cache.database import Cache
from desktop.cancellation import CancelToken
from desktop.domain import ActionKind, ActionState, Award, MemberStatus
from desktop.grants import HeldSeveralTimes, batch_rule, is_multiple_grant, newest_grants
from desktop.i18n import _
from desktop.importers.files import open_error
from desktop.importers.identifiers import RowKind
from desktop.importers.lists import ListFormat, ListRow
from desktop.importers.reading import read_file_rows, read_text_rows
from desktop.outbox import Batch, BatchRowRecord, Outbox, OutboxError

#: How many rows of each problem the dry run keeps to show (the counts are exact).
EXAMPLES = 1000
_LOOKUP_CHUNK = 500
#: The states of an action queued and not settled: waiting to be sent, being sent, or held back.
_WAITING = (ActionState.PENDING.value, ActionState.SENDING.value, ActionState.HELD.value)


class RowStatus(enum.StrEnum):
    TO_SEND = "to_send"
    BLANK = "blank"
    INVALID = "invalid"
    DUPLICATE = "duplicate"
    NOT_FOUND = "not_found"
    INACTIVE = "inactive"
    #: Award: already holds the badge. Revoke: does not hold it.
    ALREADY = "already"


@dataclass(frozen=True, slots=True)
class ListSource:
    """Where a batch's members come from."""

    #: Shown to the user and stored with the batch ("selection", a file name, "pasted list").
    name: str
    path: Path | None = None
    text: str | None = None
    format: ListFormat | None = None
    member_ids: tuple[int, ...] = ()

    @classmethod
    def file(cls, path: Path, fmt: ListFormat) -> ListSource:
        return cls(name=path.name, path=path, format=fmt)

    @classmethod
    def pasted(cls, text: str, fmt: ListFormat) -> ListSource:
        return cls(name=_("pasted list"), text=text, format=fmt)

    @classmethod
    def selection(cls, member_ids: Iterable[int]) -> ListSource:
        return cls(name=_("selection"), member_ids=tuple(dict.fromkeys(member_ids)))

    def fingerprint(self) -> tuple[int, int] | None:
        """Size and modification time of the file; raises :class:`ListFileError` if it is gone."""
        if self.path is None:
            return None
        try:
            stat = os.stat(self.path)
        except OSError as error:
            raise open_error(self.name, error) from error
        return stat.st_size, stat.st_mtime_ns

    def rows(self, cache: Cache, cancel: CancelToken | None) -> Iterator[ListRow]:
        if self.path is not None and self.format is not None:
            yield from read_file_rows(self.path, self.format, cancel=cancel)
        elif self.text is not None and self.format is not None:
            yield from read_text_rows(self.text, self.format, cancel=cancel)
        else:
            # A selection: one row per member, keyed by id.
            for start in range(0, len(self.member_ids), _LOOKUP_CHUNK):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                ids = self.member_ids[start : start + _LOOKUP_CHUNK]
                members = cache.members_by_ids(list(ids))
                for offset, member_id in enumerate(ids):
                    member = members.get(member_id)
                    name = member.username if member is not None else f"#{member_id}"
                    yield ListRow(start + offset + 1, name, RowKind.IDENTIFIER, f"#{member_id}", None, None)


@dataclass(frozen=True, slots=True)
class DryRun:
    """Exactly what a batch would do, before anything is queued."""

    kind: ActionKind
    badge_id: int
    source: ListSource
    rows: int
    blank: int
    invalid: int
    duplicates: int
    not_found: int
    inactive: int
    already: int
    member_ids: tuple[int, ...]
    #: (row, input, problem) of the first invalid rows.
    invalid_rows: tuple[tuple[int, str, str], ...] = ()
    #: (row, input) of the first identifiers not found.
    not_found_rows: tuple[tuple[int, str], ...] = ()
    fingerprint: tuple[int, int] | None = None
    #: Identifier key -> member id (None: not found); used when queueing.
    _keys: dict[str, int | None] = field(default_factory=dict, repr=False, compare=False)
    _inactive: frozenset[int] = field(default_factory=frozenset, repr=False, compare=False)
    _already: frozenset[int] = field(default_factory=frozenset, repr=False, compare=False)
    _queued: frozenset[int] = field(default_factory=frozenset, repr=False, compare=False)
    #: Revoking a badge some hold several times: how many members to send hold it so,
    #: the first of them with the grant each loses, and the rule (else "").
    held_several: int = 0
    several_rows: tuple[HeldSeveralTimes, ...] = ()
    grant_rule: str = ""
    #: Member id -> the grant its revoke names (badges that may be held several times).
    _grants: dict[int, Award] = field(default_factory=dict, repr=False, compare=False)

    @property
    def to_send(self) -> int:
        return len(self.member_ids)

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "blank": self.blank,
            "duplicates": self.duplicates,
            "invalid": self.invalid,
            "not_found": self.not_found,
            "inactive": self.inactive,
            "already": self.already,
            "to_send": self.to_send,
        }

    @property
    def already_label(self) -> str:
        return _("already hold the badge") if self.kind is ActionKind.AWARD else _("do not hold the badge")


class _Classifier:
    """Turns list rows into row statuses; shared by the dry run and queueing."""

    def __init__(self, cache: Cache, kind: ActionKind, badge_id: int, keys: dict[str, int | None]) -> None:
        self.cache = cache
        self.kind = kind
        self.badge_id = badge_id
        self.keys = keys
        self.inactive: set[int] = set()
        self.already: set[int] = set()
        #: Members with the same change queued and not sent yet (a list given twice, a
        #: scheduled run again while the server is out of reach): never queued twice.
        self.queued: set[int] = set()
        self.first_row_of_key: dict[str, int] = {}
        self.first_row_of_member: dict[int, int] = {}
        #: Revokes of a badge that may be held several times name a grant: the newest.
        self.grants: dict[int, tuple[Award, int]] | None = None
        with cache.read() as connection:
            self.multiple = is_multiple_grant(connection, badge_id)
        if kind is ActionKind.REVOKE and self.multiple:
            self.grants = {}

    def lookup(self, rows: Sequence[ListRow]) -> None:
        """Resolve the identifiers of these rows not seen before (one query per 500)."""
        emails: dict[str, str] = {}
        usernames: dict[str, str] = {}
        ids: list[int] = []
        for row in rows:
            key = row.key
            if row.kind is not RowKind.IDENTIFIER or key is None or key in self.keys:
                continue
            # By type, not by the key's first character: an email may start with "#" too.
            if row.id_type == "email":
                emails[key] = row.raw.strip()
            elif row.id_type == "username":
                usernames[key] = row.raw.strip().lstrip("@")
            else:  # a selected member, keyed "#<id>"
                ids.append(int(key[1:]))
        found: dict[str, int] = {}
        statuses: dict[int, str] = {}
        with self.cache.read() as connection:
            for column, wanted in (("email", emails), ("username", usernames)):
                values = sorted(set(wanted.values()) | set(wanted))
                for start in range(0, len(values), _LOOKUP_CHUNK):
                    part = values[start : start + _LOOKUP_CHUNK]
                    marks = ", ".join("?" * len(part))
                    result = connection.exec_driver_sql(
                        f"SELECT id, {column}, status FROM members"
                        f" WHERE {column} COLLATE NOCASE IN ({marks})",
                        tuple(part),
                    )
                    for member_id, value, status in result:
                        found.setdefault(value.casefold(), member_id)
                        statuses[member_id] = status
            for start in range(0, len(ids), _LOOKUP_CHUNK):
                part_ids = ids[start : start + _LOOKUP_CHUNK]
                marks = ", ".join("?" * len(part_ids))
                result = connection.exec_driver_sql(
                    f"SELECT id, status FROM members WHERE id IN ({marks})", tuple(part_ids)
                )
                for member_id, status in result:
                    found[f"#{member_id}"] = member_id
                    statuses[member_id] = status
            resolved = [m for m in statuses if m not in self.first_row_of_member]
            for start in range(0, len(resolved), _LOOKUP_CHUNK):
                part_ids = resolved[start : start + _LOOKUP_CHUNK]
                marks = ", ".join("?" * len(part_ids))
                if self.grants is not None:
                    newest = newest_grants(connection, self.badge_id, part_ids)
                    self.grants.update(newest)
                    holders = set(newest)
                else:
                    result = connection.exec_driver_sql(
                        f"SELECT member_id FROM awards WHERE badge_id = ? AND member_id IN ({marks})",
                        (self.badge_id, *part_ids),
                    )
                    holders = {row[0] for row in result}
                for member_id in part_ids:
                    holds = member_id in holders
                    if holds == (self.kind is ActionKind.AWARD):
                        self.already.add(member_id)
                if not self.multiple:
                    # A badge held several times may be given again on purpose; any other not.
                    waiting = connection.exec_driver_sql(
                        "SELECT member_id FROM actions WHERE kind = ? AND badge_id = ?"
                        f" AND state IN (?, ?, ?) AND member_id IN ({marks})",
                        (self.kind.value, self.badge_id, *_WAITING, *part_ids),
                    )
                    self.queued.update(int(row[0]) for row in waiting)
        for key in (*emails, *usernames, *(f"#{i}" for i in ids)):
            self.keys[key] = found.get(key)
        if self.kind is ActionKind.AWARD:
            self.inactive.update(m for m, status in statuses.items() if status != MemberStatus.ACTIVE)

    def status(self, row: ListRow) -> tuple[RowStatus, str | None, int | None]:
        if row.kind is RowKind.BLANK:
            return RowStatus.BLANK, None, None
        if row.kind is RowKind.INVALID or row.key is None:
            return RowStatus.INVALID, row.problem or _("not an email or username"), None
        first = self.first_row_of_key.setdefault(row.key, row.row)
        if first != row.row:
            return RowStatus.DUPLICATE, _("same as row {row}").format(row=first), self.keys.get(row.key)
        member_id = self.keys.get(row.key)
        if member_id is None:
            return RowStatus.NOT_FOUND, None, None
        first = self.first_row_of_member.setdefault(member_id, row.row)
        if first != row.row:
            return RowStatus.DUPLICATE, _("same member as row {row}").format(row=first), member_id
        if member_id in self.inactive:
            return RowStatus.INACTIVE, _("member suspended or deleted"), member_id
        if member_id in self.queued and member_id not in self.already:
            return RowStatus.ALREADY, _("queued already, not sent yet"), member_id
        if member_id in self.already:
            if self.kind is ActionKind.AWARD:
                label = _("already holds the badge")
            else:
                label = _("does not hold the badge")
            return RowStatus.ALREADY, label, member_id
        return RowStatus.TO_SEND, None, member_id


def _chunked(rows: Iterable[ListRow], size: int) -> Iterator[list[ListRow]]:
    chunk: list[ListRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def dry_run(
    cache: Cache,
    source: ListSource,
    kind: ActionKind,
    badge_id: int,
    *,
    cancel: CancelToken | None = None,
    progress: Callable[[int], None] | None = None,
) -> DryRun:
    """Read the whole list and count what a batch would do; nothing is queued.

    Raises :class:`desktop.importers.files.ListFileError` for a file that
    cannot be read as a list, with a message for the user.
    """
    if kind not in (ActionKind.AWARD, ActionKind.REVOKE):
        raise ValueError(f"A batch awards or revokes, not {kind.value!r}")
    fingerprint = source.fingerprint()
    classifier = _Classifier(cache, kind, badge_id, {})
    counts = dict.fromkeys(RowStatus, 0)
    invalid_rows: list[tuple[int, str, str]] = []
    not_found_rows: list[tuple[int, str]] = []
    to_send: list[int] = []
    seen = 0
    for chunk in _chunked(source.rows(cache, cancel), 2000):
        classifier.lookup(chunk)
        for row in chunk:
            status, detail, member_id = classifier.status(row)
            counts[status] += 1
            if status is RowStatus.TO_SEND and member_id is not None:
                to_send.append(member_id)
            elif status is RowStatus.INVALID and len(invalid_rows) < EXAMPLES:
                invalid_rows.append((row.row, row.raw, detail or ""))
            elif status is RowStatus.NOT_FOUND and len(not_found_rows) < EXAMPLES:
                not_found_rows.append((row.row, row.raw))
        seen += len(chunk)
        if progress is not None:
            progress(seen)
    # Which grant each revoke names, and the members the dry run shows it for.
    grants: dict[int, Award] = {}
    several: list[tuple[int, int]] = []
    held_several = 0
    newest = classifier.grants or {}
    for member_id in to_send if classifier.grants is not None else ():
        award, count = newest[member_id]
        grants[member_id] = award
        if count > 1:
            held_several += 1
            if len(several) < EXAMPLES:
                several.append((member_id, count))
    names = cache.members_by_ids([m for m, _count in several]) if several else {}
    several_rows = tuple(
        HeldSeveralTimes(m, names[m].username if m in names else f"#{m}", count, grants[m])
        for m, count in several
    )
    return DryRun(
        kind=kind,
        badge_id=badge_id,
        source=source,
        rows=seen,
        blank=counts[RowStatus.BLANK],
        invalid=counts[RowStatus.INVALID],
        duplicates=counts[RowStatus.DUPLICATE],
        not_found=counts[RowStatus.NOT_FOUND],
        inactive=counts[RowStatus.INACTIVE],
        already=counts[RowStatus.ALREADY],
        member_ids=tuple(to_send),
        invalid_rows=tuple(invalid_rows),
        not_found_rows=tuple(not_found_rows),
        fingerprint=fingerprint,
        _keys=classifier.keys,
        _inactive=frozenset(classifier.inactive),
        _already=frozenset(classifier.already),
        _queued=frozenset(classifier.queued),
        held_several=held_several,
        several_rows=several_rows,
        grant_rule=batch_rule() if held_several else "",
        _grants=grants,
    )


def queue_batch(
    outbox: Outbox,
    plan: DryRun,
    *,
    reason: str = "",
    notify: bool = True,
    message: str | None = None,
    cancel: CancelToken | None = None,
    mass_award: bool = False,
    corrects: str | None = None,
) -> Batch:
    """Commit the batch the dry run described, with every input row and its status.

    ``mass_award``: send it by the server's mass award (as the batch plan,
    :mod:`desktop.batch_plan`, chose), verified member by member afterwards.
    ``corrects``: the id of the batch this one corrects (a revoke or another
    award for some of its members, started from its history).

    Raises :class:`OutboxError` when the list no longer reads as it did in the
    dry run (the file was changed): nothing is queued then.
    """
    if not plan.member_ids:
        raise OutboxError(_("Nothing to send: the dry run found no member to change."))
    source = plan.source
    if source.fingerprint() != plan.fingerprint:
        raise OutboxError(
            _("{source} changed since the dry run. Run the dry run again.").format(source=source.name)
        )
    classifier = _Classifier(outbox.cache, plan.kind, plan.badge_id, dict(plan._keys))
    classifier.inactive = set(plan._inactive)
    classifier.already = set(plan._already)
    classifier.queued = set(plan._queued)
    sent: list[int] = []

    def records() -> Iterator[BatchRowRecord]:
        for row in source.rows(outbox.cache, cancel):
            status, detail, member_id = classifier.status(row)
            if status is RowStatus.TO_SEND and member_id is not None:
                sent.append(member_id)
            yield BatchRowRecord(row.row, row.raw, status.value, detail, member_id)
        if tuple(sent) != plan.member_ids:
            raise OutboxError(
                _("{source} changed since the dry run. Run the dry run again.").format(source=source.name)
            )

    return outbox.queue_batch(
        plan.kind,
        plan.badge_id,
        plan.member_ids,
        reason=reason,
        notify=notify,
        message=message,
        source=source.name,
        rows=records(),
        mass_award=mass_award,
        # The grants the dry run showed, even if a sync brought newer ones since.
        grants=plan._grants,
        corrects=corrects,
    )
