"""Rows of the sandbox database as the records the API returns, a page at a time.

The store hands out the API's own models (members, badges, awards, requests),
so this is the one place that knows both the column order of the schema's
``*_COLUMNS`` lists and the records' fields. Pages are keyset pages: the
cursor is the last id of the page, as a decimal string.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from desktop.dialects.badgedesk_v1.wire import AwardOut, BadgeOut, ImageData, MemberOut, RequestOut
from desktop.domain import BadgeState, MemberStatus, RequestState
from desktop.sandbox.store.errors import StoreError


def _ts(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def _opt_ts(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def member_record(row: Sequence[Any]) -> MemberOut:
    return MemberOut(
        id=row[0],
        username=row[1],
        display_name=row[2],
        email=row[3],
        joined_at=_ts(row[4]),
        last_seen_at=_opt_ts(row[5]),
        status=MemberStatus(row[6]),
        groups=row[7].split(",") if row[7] else [],
    )


def badge_record(row: Sequence[Any]) -> BadgeOut:
    image = None
    if row[10] is not None:
        image = ImageData(media_type=row[11], data_base64=base64.b64encode(row[10]).decode("ascii"))
    return BadgeOut(
        id=row[0],
        slug=row[1],
        title=row[2],
        description=row[3],
        criteria=row[4],
        tier=row[5],
        category=row[6],
        state=BadgeState(row[7]),
        award_message=row[8],
        version=row[9],
        image=image,
        updated_at=_ts(row[12]),
    )


def award_record(row: Sequence[Any]) -> AwardOut:
    return AwardOut(
        id=row[0],
        member_id=row[1],
        badge_id=row[2],
        granted_at=_ts(row[3]),
        granted_by=row[4],
        reason=row[5],
        revoked_at=_opt_ts(row[6]),
    )


def request_record(row: Sequence[Any]) -> RequestOut:
    return RequestOut(
        id=row[0],
        member_id=row[1],
        badge_id=row[2],
        note=row[3],
        evidence_url=row[4],
        created_at=_ts(row[5]),
        state=RequestState(row[6]),
        version=row[7],
        decided_by=row[8],
        decided_at=_opt_ts(row[9]),
        reason=row[10],
    )


_Row = TypeVar("_Row")


def keyset_page(
    rows: Sequence[Sequence[Any]], limit: int, convert: Callable[[Sequence[Any]], _Row]
) -> tuple[list[_Row], str | None]:
    """Rows fetched with ``LIMIT limit + 1``, ordered by id (column 0): the
    page's items, and the cursor to the next page when there is one."""
    page = rows[:limit]
    next_cursor = str(page[-1][0]) if len(rows) > limit else None
    return [convert(r) for r in page], next_cursor


def parse_cursor(cursor: str | None) -> int:
    """Cursors are decimal positions; anything else is the caller's mistake."""
    if cursor is None or cursor == "":
        return 0
    if not cursor.isascii() or not cursor.isdigit() or len(cursor) > 18:
        raise StoreError(400, "bad_cursor", f"Not a cursor this server issued: {cursor!r}")
    return int(cursor)
