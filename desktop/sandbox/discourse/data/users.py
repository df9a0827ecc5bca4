"""The community's members as Discourse users: lookups and the admin user list.

A member is a Discourse user unless deleted (Discourse deletes the row). The
store knows no trust levels or reading statistics, so they are derived from
the member's id and dates by ``activity`` — deterministic, plausible, and the
same in SQL (registered as functions) as in Python, so the list can filter and
sort by them.

``system`` (id -1) is Discourse's own admin user; it is in the list too, as on
a real forum.
"""

from __future__ import annotations

import ipaddress
import re
import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from desktop.sandbox.discourse.data.activity import Activity, activity, is_admin, is_staff
from desktop.sandbox.discourse.data.base import DiscourseBase
from desktop.sandbox.discourse.data.schema import SYSTEM_USER_ID, SYSTEM_USERNAME
from desktop.sandbox.discourse.errors import InvalidParameters

PAGE_SIZE = 100
MAX_FILTER_TERMS = 100
#: The system user exists since the forum was set up: before any seeded member joined (the demo's
#: members joined up to twelve years before the day it was seeded).
SYSTEM_CREATED_AT = int(datetime(2000, 1, 1, tzinfo=UTC).timestamp())
_FILTER_SPLIT = re.compile(r"[,\s]+")

TRUST_LEVELS = {"newuser": 0, "basic": 1, "member": 2, "regular": 3, "leader": 4}

#: AdminUserIndexQuery::SORTABLE_MAPPING, over this module's columns.
SORTABLE = {
    "created": "joined_at",
    "last_emailed": "NULL",
    "seen": "COALESCE(last_seen_at, 0)",
    "username": "username",
    "email": "email",
    "trust_level": "dc_trust_level(id, joined_at, last_seen_at, groups)",
    "days_visited": "dc_days_visited(id, joined_at, last_seen_at)",
    "posts_read": "dc_posts_read(id, joined_at, last_seen_at)",
    "topics_viewed": "dc_topics_entered(id, joined_at, last_seen_at)",
    "posts": "dc_post_count(id, joined_at, last_seen_at)",
    "read_time": "dc_time_read(id, joined_at, last_seen_at)",
    "silence_reason": "NULL",
    "suspend_reason": "NULL",
}

_USERS_CTE = (
    "WITH users AS ("
    " SELECT id, username, display_name, email_fold AS email, joined_at, last_seen_at, status, groups,"
    " username_fold FROM members WHERE status != 'deleted'"
    " UNION ALL SELECT ?, ?, ?, 'no_email', ?, NULL, 'active', 'admins,staff', ?)"
)
_USERS_CTE_PARAMS: tuple[Any, ...] = (
    SYSTEM_USER_ID,
    SYSTEM_USERNAME,
    SYSTEM_USERNAME,
    SYSTEM_CREATED_AT,
    SYSTEM_USERNAME,
)
_COLUMNS = "id, username, display_name, email, joined_at, last_seen_at, status, groups"
#: A member with their suspension record, in ``user_row``'s order.
_MEMBER_SELECT = (
    "SELECT m.id, m.username, m.display_name, m.email_fold, m.joined_at, m.last_seen_at, m.status, m.groups,"
    " s.suspended_at, s.suspended_till, s.reason"
    " FROM members m LEFT JOIN dc_suspensions s ON s.user_id = m.id"
)
_SYSTEM_ROW = (
    SYSTEM_USER_ID,
    SYSTEM_USERNAME,
    SYSTEM_USERNAME,
    "no_email",
    SYSTEM_CREATED_AT,
    None,
    "active",
    "admins,staff",
)


@dataclass(frozen=True, slots=True)
class Suspension:
    """A suspension as Discourse records it on the user. Immutable; any thread."""

    suspended_at: int
    suspended_till: int
    reason: str


#: A suspension the demo seeded without an end: Discourse's "forever" (a thousand years).
FOREVER = int(datetime(3025, 1, 1, tzinfo=UTC).timestamp())
DEMO_SUSPEND_REASON = "Suspended by a moderator of the demo community."


@dataclass(frozen=True, slots=True)
class UserRow:
    """A Discourse user. Immutable; any thread."""

    id: int
    username: str
    name: str
    email: str
    created_at: int
    last_seen_at: int | None
    suspended: bool
    admin: bool
    moderator: bool
    groups: tuple[str, ...]
    activity: Activity
    #: When a suspension began and ends, and why; ``None`` when not suspended.
    suspension: Suspension | None = None

    @property
    def staff(self) -> bool:
        return self.admin or self.moderator

    @property
    def is_system(self) -> bool:
        return self.id == SYSTEM_USER_ID


def user_row(row: sqlite3.Row | tuple[Any, ...]) -> UserRow:
    """A row of ``_MEMBER_SELECT`` (or the system user's) as a user."""
    member_id, username, name, email, joined, last_seen, status, groups = row[:8]
    suspended_at, suspended_till, reason = (*row[8:11], None, None, None)[:3]
    system = member_id == SYSTEM_USER_ID
    admin = system or is_admin(groups)
    suspension = None
    if status == "suspended":
        # The demo's seeded suspensions have no record of their own.
        suspension = Suspension(
            suspended_at=suspended_at if suspended_at is not None else (last_seen or joined),
            suspended_till=suspended_till if suspended_till is not None else FOREVER,
            reason=reason if reason is not None else DEMO_SUSPEND_REASON,
        )
    return UserRow(
        id=member_id,
        username=username,
        name=name,
        email=str(email).lower(),
        created_at=joined,
        last_seen_at=last_seen,
        suspended=status == "suspended",
        admin=admin,
        moderator=system or (is_staff(groups) and not admin),
        groups=tuple(g for g in str(groups).split(",") if g),
        activity=activity(member_id, joined, last_seen, groups),
        suspension=suspension,
    )


@dataclass(frozen=True, slots=True)
class UserQuery:
    """The parameters of ``GET /admin/users/list/{flag}`` that shape the list. Immutable; any thread."""

    flag: str
    order: str | None = None
    ascending: bool = False
    page: int = 1
    filter: str | None = None
    email: str | None = None


class UserData(DiscourseBase):
    """Users read from the members table. Thread safety: any thread (see ``StoreDatabase``)."""

    def user_by_username(self, username: str) -> UserRow | None:
        """The user with this username, whatever its case (Discourse's ``username_lower``)."""
        lowered = username.lower()
        if lowered == SYSTEM_USERNAME:
            return self.user_by_id(SYSTEM_USER_ID)
        row = (
            self._conn()
            .execute(
                f"{_MEMBER_SELECT} WHERE m.username_fold = ? AND m.status != 'deleted'",
                (username.casefold(),),
            )
            .fetchone()
        )
        return None if row is None else user_row(row)

    def user_by_id(self, user_id: int) -> UserRow | None:
        return self.users_by_id({user_id}).get(user_id)

    def users_by_id(self, user_ids: set[int]) -> dict[int, UserRow]:
        found: dict[int, UserRow] = {}
        if SYSTEM_USER_ID in user_ids:
            found[SYSTEM_USER_ID] = user_row(_SYSTEM_ROW)
        members = sorted(user_ids - {SYSTEM_USER_ID})
        if not members:
            return found
        marks = ",".join("?" * len(members))
        rows = (
            self._conn()
            .execute(
                f"{_MEMBER_SELECT} WHERE m.id IN ({marks}) AND m.status != 'deleted'",
                members,
            )
            .fetchall()
        )
        found.update((row[0], user_row(row)) for row in rows)
        return found

    def list_users(self, query: UserQuery) -> list[UserRow]:
        """One page (100) of ``AdminUserIndexQuery``: filtered by flag and search, in its order."""
        ordered = self._cached(("users", replace(query, page=1)), lambda: self._ordered_user_ids(query))
        offset = (max(query.page, 1) - 1) * PAGE_SIZE
        page = ordered[offset : offset + PAGE_SIZE]
        found = self.users_by_id(set(page))
        return [found[user_id] for user_id in page if user_id in found]

    def _ordered_user_ids(self, query: UserQuery) -> list[int]:
        where: list[str] = []
        params: list[Any] = []
        for condition in (_flag_condition(query.flag), _search_condition(query)):
            if condition is not None:
                where.append(condition[0])
                params.extend(condition[1])
        sql = (
            f"{_USERS_CTE} SELECT id FROM users"
            f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {_order(query)}"
        )
        return [int(row[0]) for row in self._conn().execute(sql, (*_USERS_CTE_PARAMS, *params))]


def _flag_condition(flag: str) -> tuple[str, list[Any]] | None:
    """The list's flag as a filter; Discourse filters only by these, and lists everyone otherwise."""
    staff = "(',' || groups || ',' LIKE '%,admins,%' OR ',' || groups || ',' LIKE '%,staff,%')"
    admins = "',' || groups || ',' LIKE '%,admins,%'"
    if flag in TRUST_LEVELS:
        return "dc_trust_level(id, joined_at, last_seen_at, groups) = ?", [TRUST_LEVELS[flag]]
    # The system user is both admin and moderator.
    conditions = {
        "staff": staff,
        "admins": admins,
        "moderators": f"(id = {SYSTEM_USER_ID} OR ({staff} AND NOT {admins}))",
        "suspended": "status = 'suspended'",
        # The demo has no silenced, unapproved or staged users.
        "silenced": "0",
        "pending": "0",
        "staged": "0",
    }
    condition = conditions.get(flag)
    return None if condition is None else (condition, [])


def _looks_like_ip(term: str) -> bool:
    try:
        ipaddress.ip_network(term, strict=False)
    except ValueError:
        return False
    return True


def _search_condition(query: UserQuery) -> tuple[str, list[Any]] | None:
    if query.email:
        return "email = ?", [query.email.lower()]
    if not query.filter or not query.filter.strip():
        return None
    terms = [t for t in _FILTER_SPLIT.split(query.filter) if t.strip()]
    if not terms:
        return None
    if len(terms) > MAX_FILTER_TERMS:
        raise InvalidParameters("filter")
    if len(terms) == 1:
        term = terms[0]
        if _looks_like_ip(term):
            return "0", []  # no user of the sandbox has a recorded IP address
        if re.fullmatch(r".+@.+", term):
            # An exact email finds that user alone (filter_by_username_or_email).
            return (
                "(email = ? OR (NOT EXISTS"
                " (SELECT 1 FROM members WHERE email_fold = ? AND status != 'deleted')"
                " AND (instr(username_fold, ?) > 0 OR instr(email, ?) > 0)))",
                [term.lower(), term.lower(), term.casefold(), term.lower()],
            )
        return "(instr(username_fold, ?) > 0 OR instr(email, ?) > 0)", [term.casefold(), term.lower()]
    clauses: list[str] = []
    params: list[Any] = []
    for term in terms:
        clauses.append("instr(username_fold, ?) > 0 OR instr(email, ?) > 0")
        params += [term.casefold(), term.lower()]
        if re.fullmatch(r".+@.+", term):
            clauses.append("email = ?")
            params.append(term.lower())
    return "(" + " OR ".join(clauses) + ")", params


def _order(query: UserQuery) -> str:
    """AdminUserIndexQuery's order; ``id`` breaks ties so pages never overlap."""
    if query.order:
        normalized = re.sub(r" (asc|desc)\Z", "", query.order.lower())
        column = SORTABLE.get(normalized)
        if column is None:
            return "id"  # an unknown order sorts nothing (the database's own order)
        direction = "ASC" if query.ascending else "DESC"
        return f"{column} IS NULL, {column} {direction}, id"
    if query.flag == "active":
        return "last_seen_at IS NULL, last_seen_at DESC, username, id"
    return "joined_at DESC, username, id"
