"""The checks every session makes on what a server sent, for the memory dialect.

``desktop/dialects/base.py`` promises that what a session returns has been
checked at its boundary: ids positive and within SQLite's signed 64 bits,
dates between 1970 and 2200, strings and cursors of bounded length, and a
batch's results matching the items sent. The v1 connector checks them with
its wire models; the memory dialect checks its server's answers here, so a
spoiled page is refused whole (:class:`MalformedResponse`) and never reaches
the cache, as with a real server.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from desktop.dialects.base import AwardItem, Changes, ItemResult, Page, RevokeItem
from desktop.domain import Award, Badge, BadgeRequest, Member
from desktop.net.errors import MalformedResponse

MAX_SQLITE_INT = 2**63 - 1
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
MAX_NAME = 1_000
MAX_TEXT = 100_000
MAX_CURSOR = 1_000
MAX_GROUPS = 1_000


class _Fault(Exception):
    pass


def _id(where: str, value: int) -> None:
    if not 1 <= value <= MAX_SQLITE_INT:
        raise _Fault(f"{where}: input should be between 1 and {MAX_SQLITE_INT}")


def _count(where: str, value: int) -> None:
    if not 0 <= value <= MAX_SQLITE_INT:
        raise _Fault(f"{where}: input should be between 0 and {MAX_SQLITE_INT}")


def _time(where: str, value: datetime | None, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if value is None or value.tzinfo is None or not EARLIEST <= value < LATEST:
        raise _Fault(f"{where}: a date between 1970 and 2200 is required")


def _text(where: str, value: str | None, limit: int, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if value is None or len(value) > limit:
        raise _Fault(f"{where}: text of at most {limit:,} characters is required")


def _cursor(where: str, value: str | None, *, optional: bool) -> None:
    if value is None and optional:
        return
    if value is None or not 1 <= len(value) <= MAX_CURSOR:
        raise _Fault(f"{where}: a cursor of 1 to {MAX_CURSOR} characters is required")


def _member(where: str, m: Member) -> None:
    _id(f"{where}.id", m.id)
    for name in ("username", "display_name", "email"):
        _text(f"{where}.{name}", getattr(m, name), MAX_NAME)
    _time(f"{where}.joined_at", m.joined_at)
    _time(f"{where}.last_seen_at", m.last_seen_at, optional=True)
    if len(m.groups) > MAX_GROUPS:
        raise _Fault(f"{where}.groups: at most {MAX_GROUPS} groups")
    for n, group in enumerate(m.groups):
        _text(f"{where}.groups[{n}]", group, MAX_NAME)


def _badge(where: str, b: Badge) -> None:
    _id(f"{where}.id", b.id)
    for name in ("slug", "title", "tier", "category"):
        _text(f"{where}.{name}", getattr(b, name), MAX_NAME)
    for name in ("description", "criteria", "award_message"):
        _text(f"{where}.{name}", getattr(b, name), MAX_TEXT)
    _count(f"{where}.version", b.version)
    _time(f"{where}.updated_at", b.updated_at)


def _award(where: str, a: Award) -> None:
    for name in ("id", "member_id", "badge_id"):
        _id(f"{where}.{name}", getattr(a, name))
    _time(f"{where}.granted_at", a.granted_at)
    _text(f"{where}.granted_by", a.granted_by, MAX_NAME)
    _text(f"{where}.reason", a.reason, MAX_TEXT)


def _request(where: str, r: BadgeRequest) -> None:
    for name in ("id", "member_id", "badge_id"):
        _id(f"{where}.{name}", getattr(r, name))
    _text(f"{where}.note", r.note, MAX_TEXT)
    _text(f"{where}.evidence_url", r.evidence_url, MAX_TEXT, optional=True)
    _time(f"{where}.created_at", r.created_at)
    _count(f"{where}.version", r.version)
    _text(f"{where}.decided_by", r.decided_by, MAX_NAME, optional=True)
    _time(f"{where}.decided_at", r.decided_at, optional=True)
    _text(f"{where}.reason", r.reason, MAX_TEXT, optional=True)


_CHECKS = {Member: _member, Badge: _badge, Award: _award, BadgeRequest: _request}


def _rows(where: str, rows: Iterable[object]) -> None:
    for n, row in enumerate(rows):
        _CHECKS[type(row)](f"{where}[{n}]", row)  # type: ignore[operator]


def checked_page(operation: str, page: Page[object]) -> Page[object]:
    """``page`` as the server sent it, or :class:`MalformedResponse` naming the first fault."""
    try:
        _rows("items", page.items)
        _cursor("next_cursor", page.next_cursor, optional=True)
    except _Fault as fault:
        raise _malformed(operation, fault) from None
    return page


def checked_changes(changes: Changes) -> Changes:
    try:
        for kind in ("members", "badges", "awards", "requests"):
            _rows(kind, getattr(changes, kind))
        for n, award_id in enumerate(changes.revoked_award_ids):
            _id(f"awards[{n}].id", award_id)
        _cursor("next_cursor", changes.next_cursor, optional=False)
    except _Fault as fault:
        raise _malformed("changes", fault) from None
    return changes


def checked_results(
    operation: str, items: Sequence[AwardItem] | Sequence[RevokeItem], results: list[ItemResult]
) -> list[ItemResult]:
    """One result per item sent, each checked, or :class:`MalformedResponse`."""
    if len(results) != len(items) or {r.idempotency_key for r in results} != {
        i.idempotency_key for i in items
    }:
        raise MalformedResponse(f"Malformed response from {operation}: results do not match the items sent")
    try:
        for n, result in enumerate(results):
            if result.award is not None:
                _award(f"results[{n}].award", result.award)
    except _Fault as fault:
        raise _malformed(operation, fault) from None
    return results


def _malformed(operation: str, fault: _Fault) -> MalformedResponse:
    return MalformedResponse(
        f"Malformed response from {operation}: {fault};"
        " the memory server does not answer as its dialect requires"
    )
