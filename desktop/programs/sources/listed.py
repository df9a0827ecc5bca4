"""A list from another system: a learning system's export of who passed, read on every run.

The program names a CSV or JSON file, or a folder whose newest list file is read
(:mod:`desktop.programs.sources.listed_files`). Each row names a member by email
address or username (matched as a batch's list is: without case, against the
cache), or, with ``match="external_id"``, by the id another system signs the member
in with, where the server finds members by one (Discourse's single sign-on,
``Capabilities.external_ids``; v1 has none): compared exactly, one request per id
not remembered from an earlier read, the cost said in the notes
(:mod:`desktop.programs.sources.external_ids`).

Between runs the source remembers whom its last read named, as one opaque JSON
value (:attr:`ListedRead.keep`) the caller stores with the program **when the run's
batch is queued** and hands back to the next :meth:`ListedSource.read`:

* **candidates**: members the list names now and did not name last time (on the
  first run, everyone it names), each with where ("in certified-2026-11.csv, row 12"),
  and those it named before whom the program has not awarded (``settled`` leaves them
  out: an award undone before it was sent, or failed, or a member the conditions or the
  moderator passed over, is a candidate again; one awarded and since revoked by hand is not);
* **gone**: members it named last time and no longer does, for the caller to
  revoke ("certification expired") if the program asks;
* **unmatched**: every row that gives no candidate for want of a member: blank,
  not an email or username, no such member, a member suspended or deleted
  (who becomes a candidate once active again and still listed). Never dropped.

Members are remembered by id, so a member whose address changed in the list but
who is the same member is neither gone nor new. A row naming a member an earlier
row named is counted once and said in the notes. Reading a file that names far
fewer members than last time (a truncated export) is said before anyone revokes.

Thread safety: :class:`ListedSource` is immutable; :meth:`ListedSource.read`
reads a file and the cache, on a worker, never the GUI thread.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from desktop.cache.database import Cache
from desktop.cancellation import CancelToken
from desktop.dialects.external_ids import ExternalIdReader
from desktop.domain import MemberStatus
from desktop.i18n import _, ngettext
from desktop.importers.identifiers import RowKind
from desktop.importers.lists import ListRow
from desktop.programs.sources.base import Candidate, SourceResult, Unmatched
from desktop.programs.sources.external_ids import as_external_id, match_external_ids
from desktop.programs.sources.listed_files import Unit, choose_file, read_rows

#: What a list's column holds (:attr:`ListedSource.match`).
MATCHES: Final = ("identifier", "external_id")
#: The version of :attr:`ListedRead.keep`'s shape.
KEEP_FORMAT: Final = 1
#: Repeated rows said one by one in the notes; more are counted.
SHOWN_REPEATS: Final = 20
_LOOKUP_CHUNK: Final = 500


@dataclass(frozen=True, slots=True)
class ListedRead:
    """What one read of the list gives: the result, and what to keep for the next read."""

    result: SourceResult
    #: A JSON value (dict) to store with the program once the run's batch is queued, and to
    #: pass as ``kept`` next time. Opaque to the caller.
    keep: dict[str, object]
    #: The file that was read (a folder's newest).
    file: Path


@dataclass(frozen=True, slots=True)
class _Kept:
    file: str
    #: member id → the email or username that named it.
    members: dict[int, str]


def _parse_kept(kept: object) -> _Kept | None:
    if kept is None:
        return None
    if not isinstance(kept, Mapping) or kept.get("format") != KEEP_FORMAT:
        raise ValueError(f"not what a list source keeps (format {KEEP_FORMAT}): {kept!r:.200}")
    members = kept.get("members")
    file = kept.get("file")
    if not isinstance(members, Mapping) or not isinstance(file, str):
        raise ValueError(f"a list source's kept value without members or file: {kept!r:.200}")
    return _Kept(file, {int(member_id): str(value) for member_id, value in members.items()})


def _fold(value: str) -> str:
    return unicodedata.normalize("NFC", value).casefold()


def _lookup(cache: Cache, rows: Sequence[ListRow], cancel: CancelToken | None) -> dict[str, tuple[int, str]]:
    """Each identifier key of ``rows`` → (member id, status), for those the cache knows."""
    wanted: dict[str, set[str]] = {"email": set(), "username": set()}
    for row in rows:
        if row.kind is RowKind.IDENTIFIER and row.key is not None and row.id_type is not None:
            # The key (folded) and the value as written: NOCASE folds ASCII letters only.
            wanted[row.id_type].update((row.key, row.raw.strip().lstrip("@")))
    found: dict[str, tuple[int, str]] = {}
    with cache.read() as connection:
        for column, values in wanted.items():
            ordered = sorted(values)
            for start in range(0, len(ordered), _LOOKUP_CHUNK):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                part = ordered[start : start + _LOOKUP_CHUNK]
                marks = ", ".join("?" * len(part))
                result = connection.exec_driver_sql(
                    f"SELECT id, {column}, status FROM members WHERE {column} COLLATE NOCASE IN ({marks})"
                    " ORDER BY id",
                    tuple(part),
                )
                for member_id, value, status in result:
                    found.setdefault(_fold(value), (member_id, status))
    return found


def _where(unit: Unit, file: str, number: int) -> str:
    if unit == "item":
        return _("in {file}, item {n}").format(file=file, n=number)
    return _("in {file}, row {n}").format(file=file, n=number)


def _which(unit: Unit, number: int, value: str) -> str:
    if unit == "item":
        return _("item {n}: {value}").format(n=number, value=value)
    return _("row {n}: {value}").format(n=number, value=value)


def _repeat(unit: Unit, number: int, first: int) -> str:
    if unit == "item":
        return _("Item {n} names the same member as item {first}: counted once.").format(
            n=number, first=first
        )
    return _("Row {n} names the same member as row {first}: counted once.").format(n=number, first=first)


def _not_found(row: ListRow, unsynced: frozenset[str]) -> str:
    if row.key in unsynced:
        return _("member not on this computer yet: sync, then run again")
    if row.id_type is None:
        return _("no member has this external id")
    if row.id_type == "email":
        return _("no member has this email address")
    return _("no member has this username")


def _notes(
    unit: Unit, among: int, path: Path, still: int, repeats: list[str], gone: int, before: int, file: str
) -> tuple[str, ...]:
    notes: list[str] = []
    if among == 1:
        notes.append(_("Read {file}, the only list file in {folder}.").format(file=file, folder=path.parent))
    elif among:
        notes.append(
            ngettext(
                "Read {file}, the newest of {n} list file in {folder}.",
                "Read {file}, the newest of {n} list files in {folder}.",
                among,
            ).format(file=file, n=among, folder=path.parent)
        )
    if still:
        notes.append(
            ngettext(
                "{n} member listed last time is still listed (not a candidate again).",
                "{n} members listed last time are still listed (not candidates again).",
                still,
            ).format(n=still)
        )
    if gone >= 2 and gone * 2 > before:
        notes.append(
            ngettext(
                "{n} of the {total} member listed last time is no longer in {file}: "
                "check the file before revoking.",
                "{n} of the {total} members listed last time are no longer in {file}: "
                "check the file before revoking.",
                before,
            ).format(n=gone, total=before, file=file)
        )
    notes.extend(repeats[:SHOWN_REPEATS])
    more = len(repeats) - SHOWN_REPEATS
    if more > 0 and unit == "item":
        notes.append(
            ngettext(
                "{n} more item names a member an earlier item named.",
                "{n} more items name a member an earlier item named.",
                more,
            ).format(n=more)
        )
    elif more > 0:
        notes.append(
            ngettext(
                "{n} more row names a member an earlier row named.",
                "{n} more rows name a member an earlier row named.",
                more,
            ).format(n=more)
        )
    return tuple(notes)


@dataclass(frozen=True, slots=True)
class ListedSource:
    """Members named by a list another system writes: ``path`` is a CSV or JSON file, or a
    folder (its newest list file); ``column`` the column or field of emails or usernames
    (None: the one named so, or the only one); ``match`` ``"external_id"``: the column holds
    external ids instead (name the column: a header like "external_id" reads as a username)."""

    path: Path
    column: str | None = None
    match: str = "identifier"

    def __post_init__(self) -> None:
        if self.match not in MATCHES:
            raise ValueError(f"match must be one of {MATCHES}, not {self.match!r}")

    def read(
        self,
        cache: Cache,
        kept: object = None,
        *,
        cancel: CancelToken | None = None,
        external_ids: ExternalIdReader | None = None,
        settled: AbstractSet[int] | None = None,
    ) -> ListedRead:
        """Read the list now; ``kept``: the :attr:`ListedRead.keep` of the last queued run (None:
        the first run); ``external_ids``: the server's, required to match by external id;
        ``settled``: the members the program has awarded (None: every member listed before is).
        Raises :class:`~desktop.importers.files.ListFileError` when the file cannot be read as
        a list, with a sentence for the user."""
        by_external = self.match == "external_id"
        if by_external and external_ids is None:
            raise ValueError("matching by external id needs the server's ExternalIdReader")
        before = _parse_kept(kept)
        if cancel is not None:
            cancel.raise_if_cancelled()
        chosen = choose_file(self.path)
        unit, stream = read_rows(chosen.path, self.column, cancel)
        rows = list(stream)
        costs: tuple[str, ...] = ()
        unsynced: frozenset[str] = frozenset()
        if external_ids is not None and by_external:
            rows = [as_external_id(row) for row in rows]
            matched = match_external_ids(cache, external_ids, rows, cancel=cancel)
            found, unsynced, costs = matched.found, matched.unsynced, matched.notes()
        else:
            found = _lookup(cache, rows, cancel)
        file = chosen.path.name
        kept_before = before.members if before is not None else {}

        candidates: list[Candidate] = []
        unmatched: list[Unmatched] = []
        repeats: list[str] = []
        named: dict[int, str] = {}  # member id → the value that named it, in the list's order
        first_row: dict[int, int] = {}
        for row in rows:
            value = row.raw.strip()
            if row.kind is RowKind.BLANK:
                blank = _("has no external id") if by_external else _("has no email address or username")
                unmatched.append(Unmatched(_which(unit, row.row, value), blank))
                continue
            if row.kind is RowKind.INVALID or row.key is None:
                problem = row.problem or _("not an email address or a username")
                unmatched.append(Unmatched(_which(unit, row.row, value), problem))
                continue
            member = found.get(row.key)
            if member is None:
                unmatched.append(Unmatched(_which(unit, row.row, value), _not_found(row, unsynced)))
                continue
            member_id, status = member
            if member_id in first_row:
                repeats.append(_repeat(unit, row.row, first_row[member_id]))
                continue
            first_row[member_id] = row.row
            named[member_id] = value
            if status != MemberStatus.ACTIVE:
                unmatched.append(Unmatched(_which(unit, row.row, value), _("member suspended or deleted")))
            elif member_id not in kept_before:
                candidates.append(Candidate(member_id, _where(unit, file, row.row)))
            elif settled is not None and member_id not in settled:
                # Listed before, and never awarded by the program: still owed the badge.
                candidates.append(Candidate(member_id, _where(unit, file, row.row)))

        gone = tuple(
            Candidate(
                member_id,
                _("no longer in {file} (listed as {value} in {before})").format(
                    file=file, value=value, before=before.file if before is not None else ""
                ),
            )
            for member_id, value in sorted(kept_before.items())
            if member_id not in named
        )
        again = {c.member_id for c in candidates if c.member_id in kept_before}
        still = [member_id for member_id in named if member_id in kept_before and member_id not in again]
        keep_ids = {*still, *(c.member_id for c in candidates)}
        keep: dict[str, object] = {
            "format": KEEP_FORMAT,
            "file": file,
            "members": {str(member_id): named[member_id] for member_id in named if member_id in keep_ids},
        }
        notes = costs + _notes(
            unit, chosen.among, chosen.path, len(still), repeats, len(gone), len(kept_before), file
        )
        result = SourceResult(
            candidates=tuple(candidates), unmatched=tuple(unmatched), gone=gone, notes=notes
        )
        return ListedRead(result, keep, chosen.path)
