"""The sync positions this dialect gives out: where the next page of a listing starts.

Discourse pages its lists its own ways (users by 1-based page of 100,
holders by offset within one badge, badges in one answer). A cursor says
where a listing stands in those terms, so a sync that stopped resumes
there, and a page smaller than Discourse's re-reads the rest of its page:

- members ``m1:<page>:<skip>``: Discourse's page, and the rows of it already given;
- newest members ``n1:<page>``: Discourse's page of the list newest first (a later sync's);
- badges ``b1:<id>``: the last badge given (badges go by id);
- groups ``g1:<page>``: the group list's page (from 0, as Discourse pages groups);
- requests ``q1:<page>:<skip>``: the request category's page (from 0) and the topics given;
- changed requests ``r1:<page>:<ids>``: the category's page by latest activity (a later
  sync's), and the pending requests of the cache not listed yet (comma-separated ids);
- awards ``a1:<badge id>:<offset>``: the badge whose holders are being read, and how
  many of them were given. A badge id rather than its place in the list, so a
  badge added or deleted between two pages moves nothing.

A cursor of another form (another dialect's, or damaged) is refused with a
clear error rather than read as the start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.i18n import _
from desktop.net.errors import ApiError

_MEMBERS = re.compile(r"m1:(\d{1,12}):(\d{1,6})")
_NEWEST = re.compile(r"n1:(\d{1,12})")
_BADGES = re.compile(r"b1:(\d{1,19})")
_AWARDS = re.compile(r"a1:(\d{1,19}):(\d{1,12})")


class ForeignCursor(ApiError):
    """A sync position this dialect did not give out."""

    def __init__(self, what: str) -> None:
        super().__init__(
            _(
                "The saved sync position for {what} is not one this Discourse connection gave out;"
                " run a full sync again"
            ).format(what=what)
        )


@dataclass(frozen=True, slots=True)
class MemberPosition:
    page: int = 1
    skip: int = 0

    def encode(self) -> str:
        return f"m1:{self.page}:{self.skip}"

    @classmethod
    def decode(cls, cursor: str | None) -> MemberPosition:
        if cursor is None:
            return cls()
        match = _MEMBERS.fullmatch(cursor)
        if match is None or int(match[1]) < 1:
            raise ForeignCursor(_("members"))
        return cls(int(match[1]), int(match[2]))


@dataclass(frozen=True, slots=True)
class NewestPosition:
    page: int = 1

    def encode(self) -> str:
        return f"n1:{self.page}"

    @classmethod
    def decode(cls, cursor: str | None) -> NewestPosition:
        if cursor is None:
            return cls()
        match = _NEWEST.fullmatch(cursor)
        if match is None or int(match[1]) < 1:
            raise ForeignCursor(_("the newest members"))
        return cls(int(match[1]))


@dataclass(frozen=True, slots=True)
class BadgePosition:
    after_id: int = 0

    def encode(self) -> str:
        return f"b1:{self.after_id}"

    @classmethod
    def decode(cls, cursor: str | None) -> BadgePosition:
        if cursor is None:
            return cls()
        match = _BADGES.fullmatch(cursor)
        if match is None:
            raise ForeignCursor(_("badges"))
        return cls(int(match[1]))


@dataclass(frozen=True, slots=True)
class AwardPosition:
    #: None: the first badge that has holders to list.
    badge_id: int | None = None
    offset: int = 0

    def encode(self) -> str:
        return f"a1:{self.badge_id or 0}:{self.offset}"

    @classmethod
    def decode(cls, cursor: str | None) -> AwardPosition:
        if cursor is None:
            return cls()
        match = _AWARDS.fullmatch(cursor)
        if match is None:
            raise ForeignCursor(_("awards"))
        return cls(int(match[1]) or None, int(match[2]))


_REQUESTS = re.compile(r"q1:(\d{1,12}):(\d{1,6})")


@dataclass(frozen=True, slots=True)
class RequestPosition:
    """``q1:<page>:<skip>``: the request category's page (0-based, as Discourse pages topics),
    and the topics of it already given."""

    page: int = 0
    skip: int = 0

    def encode(self) -> str:
        return f"q1:{self.page}:{self.skip}"

    @classmethod
    def decode(cls, cursor: str | None) -> RequestPosition:
        if cursor is None:
            return cls()
        match = _REQUESTS.fullmatch(cursor)
        if match is None:
            raise ForeignCursor(_("badge requests"))
        return cls(int(match[1]), int(match[2]))


_CHANGED = re.compile(r"r1:(\d{1,12}):((?:\d{1,19}(?:,\d{1,19})*)?)")


@dataclass(frozen=True, slots=True)
class ChangedPosition:
    """``r1:<page>:<ids>``: the request category's page by latest activity (from 0), and the
    requests the cache has as pending that the pages read so far did not list."""

    page: int = 0
    unseen: frozenset[int] = frozenset()

    def encode(self) -> str:
        return f"r1:{self.page}:{','.join(str(i) for i in sorted(self.unseen))}"

    @classmethod
    def decode(cls, cursor: str) -> ChangedPosition:
        match = _CHANGED.fullmatch(cursor)
        if match is None:
            raise ForeignCursor(_("changed badge requests"))
        return cls(int(match[1]), frozenset(int(i) for i in match[2].split(",") if i))


_GROUPS = re.compile(r"g1:(\d{1,12})")


@dataclass(frozen=True, slots=True)
class GroupPosition:
    """``g1:<page>``: the group list's page, from 0 (Discourse's ``GET /groups.json?page=``)."""

    page: int = 0

    def encode(self) -> str:
        return f"g1:{self.page}"

    @classmethod
    def decode(cls, cursor: str | None) -> GroupPosition:
        if cursor is None:
            return cls()
        match = _GROUPS.fullmatch(cursor)
        if match is None:
            raise ForeignCursor(_("groups"))
        return cls(int(match[1]))
