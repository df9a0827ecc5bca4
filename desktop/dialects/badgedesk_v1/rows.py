"""A full sync's big pages (members, awards) straight from the body to the rows the cache stores.

Building a pydantic model and then a domain object for each of a million
rows, only to turn it into a tuple for the insert, was most of a first sync's
client time. Here the body goes through ``json.loads`` and a check of each
row that accepts only what :mod:`desktop.dialects.badgedesk_v1.wire` accepts
(the same bounds, in a narrower shape: timestamps exactly as the API writes
them). Whatever the check does not accept goes to the wire models, which
refuse it with the usual message naming the field, or accept it (e.g. a
timestamp with an offset) and are then turned into the same rows.

Thread safety: pure functions; any thread.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from desktop.dialects.badgedesk_v1 import wire
from desktop.dialects.base import Page
from desktop.domain import AwardRow, MemberRow, MemberStatus

#: The API's own timestamp format (:func:`wire.iso`); anything else is left to the wire models.
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_EARLIEST = int(wire.EARLIEST.timestamp())
_LATEST = int(wire.LATEST.timestamp())
_MAX_ID = wire.MAX_SQLITE_INT
_STATUSES = frozenset(s.value for s in MemberStatus)
#: An escaped UTF-16 surrogate: ``json.loads`` takes a lone one, the wire models refuse it.
_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


class _Refused(Exception):
    """The quick check does not accept a value: the wire models decide."""


def member_rows(content: bytes) -> Page[MemberRow] | None:
    """The page's members as rows, or None when the quick check does not accept the body."""
    return _page(content, _member_row)


def award_rows(content: bytes) -> Page[AwardRow] | None:
    """The page's awards as rows, or None when the quick check does not accept the body."""
    return _page(content, _award_row)


def member_row_of(m: wire.MemberOut) -> MemberRow:
    """The row of a member the wire models accepted."""
    return (
        m.id,
        m.username,
        m.display_name,
        m.email,
        int(m.joined_at.timestamp()),
        None if m.last_seen_at is None else int(m.last_seen_at.timestamp()),
        m.status.value,
        json.dumps(m.groups),
        None,  # a v1 server has neither trust levels nor post counts
        None,
    )


def award_row_of(a: wire.AwardOut) -> AwardRow:
    """The row of an award the wire models accepted."""
    return (a.id, a.member_id, a.badge_id, int(a.granted_at.timestamp()), a.granted_by, a.reason)


def _page(content: bytes, row: Callable[[Any], Any]) -> Page[Any] | None:
    if _SURROGATE.search(content):
        return None
    try:
        # Decoded first: json.loads would also take UTF-16 and UTF-32, the wire models only UTF-8.
        body = json.loads(content.decode())
        if type(body) is not dict:
            return None
        items, cursor = body["items"], body["next_cursor"]
        if type(items) is not list or not (
            cursor is None or (type(cursor) is str and 1 <= len(cursor) <= wire.MAX_CURSOR)
        ):
            return None
        return Page([row(item) for item in items], cursor)
    except (ValueError, RecursionError, KeyError, _Refused):
        # Not JSON, a missing field, or a value the check does not take.
        return None


def _member_row(m: object) -> MemberRow:
    if type(m) is not dict:
        raise _Refused
    status, groups, last_seen = m["status"], m["groups"], m["last_seen_at"]
    if (
        type(status) is not str
        or status not in _STATUSES
        or type(groups) is not list
        or len(groups) > wire.MAX_GROUPS
        or not all(type(g) is str and len(g) <= wire.MAX_NAME for g in groups)
    ):
        raise _Refused
    return (
        _id(m["id"]),
        _name(m["username"]),
        _name(m["display_name"]),
        _name(m["email"]),
        _epoch(m["joined_at"]),
        None if last_seen is None else _epoch(last_seen),
        status,
        json.dumps(groups),
        None,
        None,
    )


def _award_row(a: object) -> AwardRow:
    # Inline checks: this runs once for each of millions of awards.
    if type(a) is not dict:
        raise _Refused
    award, member, badge, by, reason = a["id"], a["member_id"], a["badge_id"], a["granted_by"], a["reason"]
    if not (
        type(award) is int
        and type(member) is int
        and type(badge) is int
        and 1 <= award <= _MAX_ID
        and 1 <= member <= _MAX_ID
        and 1 <= badge <= _MAX_ID
        and type(by) is str
        and len(by) <= wire.MAX_NAME
        and type(reason) is str
        and len(reason) <= wire.MAX_TEXT
    ):
        raise _Refused
    # Listed awards are active; a revocation time is still checked as the wire models check it.
    revoked = a.get("revoked_at")
    if revoked is not None:
        _epoch(revoked)
    return (award, member, badge, _epoch(a["granted_at"]), by, reason)


def _id(value: object) -> int:
    if type(value) is not int or not 1 <= value <= _MAX_ID:
        raise _Refused
    return value


def _name(value: object) -> str:
    if type(value) is not str or len(value) > wire.MAX_NAME:
        raise _Refused
    return value


def _epoch(value: object) -> int:
    if type(value) is not str or not _ISO.fullmatch(value):
        raise _Refused
    seconds = int(datetime.fromisoformat(value).timestamp())  # ValueError: e.g. February 30
    if not _EARLIEST <= seconds < _LATEST:
        raise _Refused
    return seconds
