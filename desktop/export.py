"""Export members to CSV with the columns the user picks.

Rows are written in chunks as they are read, so exporting a million members
needs little memory. The file is UTF-8 with a byte-order mark, which
spreadsheet programs need to read non-ASCII names correctly.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.cache.database import Cache
from desktop.cancellation import CancelToken
from desktop.domain import Member
from desktop.i18n import _


def _titles() -> dict[str, str]:
    # Translated when shown (the language is chosen after this module is imported).
    return {
        "username": _("Username"),
        "display_name": _("Name"),
        "email": _("Email"),
        "joined_at": _("Joined"),
        "last_seen_at": _("Last seen"),
        "status": _("Status"),
        "groups": _("Groups"),
        "badge_count": _("Badges held"),
        "badges": _("Badge titles"),
    }


@dataclass(frozen=True, slots=True)
class Column:
    key: str

    @property
    def title(self) -> str:
        """The column's heading in the user's language: in the export dialog and the file's first row."""
        return _titles()[self.key]


COLUMNS: tuple[Column, ...] = tuple(
    Column(key)
    for key in (
        "username",
        "display_name",
        "email",
        "joined_at",
        "last_seen_at",
        "status",
        "groups",
        "badge_count",
        "badges",
    )
)
COLUMN_KEYS = frozenset(c.key for c in COLUMNS)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Keep spreadsheets from running member-provided text as a formula.

    A cell starting with ``= + - @`` (or a tab or carriage return) gets a
    leading apostrophe, which spreadsheet programs show as plain text.
    """
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _cell(member: Member, key: str, held: list[str]) -> str:
    if key == "joined_at":
        return member.joined_at.strftime("%Y-%m-%d")
    if key == "last_seen_at":
        return "" if member.last_seen_at is None else member.last_seen_at.strftime("%Y-%m-%d")
    if key == "status":
        return member.status.value
    if key == "groups":
        return "; ".join(member.groups)
    if key == "badge_count":
        return str(len(held))
    if key == "badges":
        return "; ".join(sorted(held))
    return str(getattr(member, key))


def export_members_csv(
    cache: Cache,
    member_ids: Sequence[int],
    columns: Sequence[str],
    path: Path,
    *,
    chunk: int = 2000,
    progress: Callable[[tuple[int, int]], None] | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """Write the members (in the given order) to ``path``; returns the rows written.

    The file appears only when complete: a cancelled or failed export leaves
    any earlier file at ``path`` as it was.
    """
    unknown = [c for c in columns if c not in COLUMN_KEYS]
    if unknown or not columns:
        raise ValueError(f"Unknown export columns: {', '.join(unknown)}" if unknown else "No columns chosen")
    titles = {c.key: c.title for c in COLUMNS}
    needs_badges = "badges" in columns or "badge_count" in columns
    badge_titles = {b.id: b.title for b in cache.badges()} if needs_badges else {}
    tmp = path.with_name(path.name + ".part")
    written = 0
    try:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([titles[c] for c in columns])
            for start in range(0, len(member_ids), chunk):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                ids = list(member_ids[start : start + chunk])
                members = cache.members_by_ids(ids)
                held = _badges_held(cache, ids, badge_titles) if needs_badges else {}
                for member_id in ids:
                    member = members.get(member_id)
                    if member is None:
                        continue
                    writer.writerow([safe_cell(_cell(member, c, held.get(member_id, []))) for c in columns])
                    written += 1
                if progress is not None:
                    progress((min(start + chunk, len(member_ids)), len(member_ids)))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return written


def _badges_held(cache: Cache, ids: list[int], titles: dict[int, str]) -> dict[int, list[str]]:
    held: dict[int, list[str]] = {}
    marks = ", ".join("?" * len(ids))
    with cache.read() as connection:
        # One entry per badge: a badge held several times (multiple_grant) reads "Helpful ×3".
        rows = connection.exec_driver_sql(
            f"SELECT member_id, badge_id, count(*) FROM awards WHERE member_id IN ({marks})"
            " GROUP BY member_id, badge_id",
            tuple(ids),
        )
        for member_id, badge_id, grants in rows:
            title = titles[badge_id] if badge_id in titles else _("badge #{id}").format(id=badge_id)
            held.setdefault(member_id, []).append(title if grants == 1 else f"{title} ×{grants}")
    return held
