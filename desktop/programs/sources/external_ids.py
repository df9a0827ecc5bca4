"""A list's column of external (single sign-on) ids, matched to members through the server.

A learning system that signs members in to the forum exports who passed by its own
ids. The server finds a member by one (:class:`~desktop.dialects.external_ids.ExternalIdReader`),
one request per id (Discourse's user lists do not carry them), so:

- the ids are compared exactly as written (Discourse does: ``LMS-12`` is not ``lms-12``);
- the members found are remembered in the mirror (``external_ids``), and the next read asks
  only for ids not remembered: a weekly run of a list that grows asks for the new rows only.
  Ids nobody has are asked again each time (they may be somebody's by then);
- the read says what it cost, in the dry run's notes ("412 external ids looked up:
  412 requests").

Thread safety: a worker's (it talks to the server and writes the mirror), never the GUI thread.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from desktop.cache.database import Cache
from desktop.cancellation import CancelToken
from desktop.dialects.external_ids import ExternalIdReader
from desktop.i18n import _, ngettext
from desktop.importers.identifiers import RowKind
from desktop.importers.lists import ListRow

#: Remembered ids read from the mirror this many at a time.
_CHUNK: Final = 500
#: Members found are written to the mirror every this many lookups (a cancelled read keeps
#: what it paid for).
_SAVE_EVERY: Final = 50


def as_external_id(row: ListRow) -> ListRow:
    """``row`` (read as an email or username) read as an external id instead: the cell as written,
    without the spaces around it. A row that holds nothing, or a JSON object or list, is not one."""
    value = row.raw.strip()
    if row.kind is RowKind.BLANK or not value:
        if row.kind is RowKind.INVALID:
            return row
        return ListRow(row.row, row.raw, RowKind.BLANK, None, None, None)
    if value[0] in "{[" or "\ufffd" in value or not value.isprintable():
        problem = _("not an external id (text on one line)")
        return ListRow(row.row, row.raw, RowKind.INVALID, None, None, problem)
    return ListRow(row.row, row.raw, RowKind.IDENTIFIER, value, None, None)


@dataclass(frozen=True, slots=True)
class ExternalMatch:
    """What the server (or the mirror) says about a list's external ids."""

    #: External id → (member id, status) for the members found that this computer knows.
    found: dict[str, tuple[int, str]]
    #: External ids whose member the server knows and the local copy does not yet (joined since
    #: the last sync).
    unsynced: frozenset[str]
    #: Ids asked of the server (one request each).
    looked_up: int
    #: Ids answered from the mirror (no request).
    remembered: int

    def notes(self) -> tuple[str, ...]:
        """The cost, for the dry run."""
        notes = []
        if self.looked_up:
            notes.append(
                ngettext(
                    "{n} external id looked up: {n} request.",
                    "{n} external ids looked up: {n} requests.",
                    self.looked_up,
                ).format(n=self.looked_up)
            )
        if self.remembered:
            notes.append(
                ngettext(
                    "{n} external id known from an earlier read (no request).",
                    "{n} external ids known from earlier reads (no request).",
                    self.remembered,
                ).format(n=self.remembered)
            )
        if self.looked_up and not self.remembered and not self.found and not self.unsynced:
            notes.append(
                _(
                    "The server knows none of these external ids: check the column, and that the"
                    " server signs members in through the system that wrote the list."
                )
            )
        if self.unsynced:
            notes.append(
                ngettext(
                    "{n} member found by external id is not on this computer yet: sync, then run again.",
                    "{n} members found by external id are not on this computer yet: sync, then run again.",
                    len(self.unsynced),
                ).format(n=len(self.unsynced))
            )
        return tuple(notes)


def match_external_ids(
    cache: Cache,
    reader: ExternalIdReader,
    rows: Sequence[ListRow],
    *,
    cancel: CancelToken | None = None,
) -> ExternalMatch:
    """The members the external ids of ``rows`` (read by :func:`as_external_id`) name: from the
    mirror where remembered, else one request each, remembered when found."""
    wanted = list(dict.fromkeys(r.key for r in rows if r.kind is RowKind.IDENTIFIER and r.key is not None))
    known = _remembered(cache, wanted, cancel)
    asked = [external_id for external_id in wanted if external_id not in known]
    new: list[tuple[str, int, int]] = []
    ids = dict(known)
    try:
        for external_id in asked:
            if cancel is not None:
                cancel.raise_if_cancelled()
            member = reader.member_by_external_id(external_id)
            if member is not None:
                ids[external_id] = member.member_id
                new.append((external_id, member.member_id, int(time.time())))
            if len(new) >= _SAVE_EVERY:
                _remember(cache, new)
                new.clear()
    finally:
        _remember(cache, new)
    members = cache.members_by_ids(sorted(set(ids.values())))
    found = {
        external_id: (member_id, members[member_id].status.value)
        for external_id, member_id in ids.items()
        if member_id in members
    }
    unsynced = frozenset(external_id for external_id, member_id in ids.items() if member_id not in members)
    return ExternalMatch(found, unsynced, len(asked), len(known))


def _remembered(cache: Cache, wanted: Sequence[str], cancel: CancelToken | None) -> dict[str, int]:
    known: dict[str, int] = {}
    with cache.read() as connection:
        for start in range(0, len(wanted), _CHUNK):
            if cancel is not None:
                cancel.raise_if_cancelled()
            part = wanted[start : start + _CHUNK]
            marks = ", ".join("?" * len(part))
            result = connection.exec_driver_sql(
                f"SELECT external_id, member_id FROM external_ids WHERE external_id IN ({marks})",
                tuple(part),
            )
            known.update((str(external_id), int(member_id)) for external_id, member_id in result)
    return known


def _remember(cache: Cache, found: Sequence[tuple[str, int, int]]) -> None:
    if not found:
        return
    with cache.write() as connection:
        connection.exec_driver_sql(
            "INSERT OR REPLACE INTO external_ids (external_id, member_id, found_at) VALUES (?, ?, ?)",
            list(found),
        )
