"""Finding members in the cache: word-prefix text search plus combinable filters and rules.

Text goes to the FTS5 index (``members_fts``): each word of the query must
start a word of the username, display name or email, in any case and with or
without accents ("jose" finds "José", "ann" finds "Ann-Marie" and
"annika@…"). Filters narrow the set with plain SQL; the result is a list of
member ids in the requested order, which the views load lazily. A query may
also carry a rule (:mod:`desktop.rules`), compiled here to one SQL condition
(:func:`compile_rule`); :func:`members_matching` runs a rule on its own.

Thread safety: a :class:`MemberSearch` may be used from any worker thread.
"""

from __future__ import annotations

import enum
import json
import re
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import chain
from typing import Any

from sqlalchemy import Connection

from desktop.cache.cancellable import cancellable
from desktop.cache.database import KEY_COUNTS_DEFERRED, Cache
from desktop.cache.groups import groups_of_member
from desktop.cache.rows import to_epoch
from desktop.cancellation import CancelToken
from desktop.domain import Award, Badge, BadgeRequest, Member, MemberStatus, utc_now
from desktop.outbox.store import queries
from desktop.rule_sql import compile_rule as compile_rule
from desktop.rules import Rule, rule_from_dict, rule_to_dict
from desktop.search_text import match_expression as match_expression


class SortKey(enum.StrEnum):
    #: Best text matches first (by name when there is no text).
    RELEVANCE = "relevance"
    NAME = "name"
    JOINED = "joined"
    LAST_SEEN = "last_seen"
    BADGE_COUNT = "badge_count"


@dataclass(frozen=True, slots=True)
class MemberQuery:
    """What the user asked for. Empty fields do not filter."""

    text: str = ""
    #: Members holding every one of these badges.
    holds: frozenset[int] = field(default_factory=frozenset)
    #: Members holding none of these badges.
    lacks: frozenset[int] = field(default_factory=frozenset)
    status: MemberStatus | None = None
    joined_after: datetime | None = None
    joined_before: datetime | None = None
    seen_within_days: int | None = None
    group: str | None = None
    #: Members the rule selects (relative dates resolved against the search's ``now``).
    rule: Rule | None = None
    sort: SortKey = SortKey.RELEVANCE
    descending: bool = False


#: Ids turned from hexadecimal digits into numbers at a time (well under a millisecond).
_SLICE_IDS = 65_536

# Ordering columns; ``id`` last keeps the order total and stable.
_ORDER = {
    SortKey.NAME: "m.sort_name {dir}, m.id",
    SortKey.JOINED: "m.joined_at {dir}, m.id",
    # SQLite puts NULL first ascending and last descending: "never seen" counts
    # as the least recent visit, and the index serves both directions.
    SortKey.LAST_SEEN: "m.last_seen_at {dir}, m.id",
    # Badges held, as the list shows them (a badge held three times counts once), then
    # grants: the members' maintained counts. Ties go by id in the same direction, so
    # that the index serves both directions whole: with ties by id ascending, a
    # descending sort sorted the largest group (those holding nothing) in a temporary
    # B-tree before its first row.
    SortKey.BADGE_COUNT: "m.badge_count {dir}, m.grant_count {dir}, m.id {dir}",
}
#: The badge-count order while a first sync has not counted the badges yet (its awards are
#: loaded without the counting triggers, then counted once): counted from the awards, slow
#: (seconds at a million members) but right.
_COUNTED_ORDER = (
    "(SELECT count(DISTINCT a.badge_id) FROM awards a WHERE a.member_id = m.id) {dir},"
    " (SELECT count(*) FROM awards a WHERE a.member_id = m.id) {dir}, m.id {dir}"
)


def _counts_kept(connection: Connection) -> bool:
    """Whether the members' badge counts are up to date (no first sync is counting them)."""
    deferred = connection.exec_driver_sql(
        "SELECT 1 FROM sync_state WHERE key = ?", (KEY_COUNTS_DEFERRED,)
    ).first()
    return deferred is None


@dataclass(frozen=True, slots=True)
class FirstResults:
    """The first results of a query, and how many match (exact unless ``more``)."""

    ids: list[int]
    #: Matches counted, up to the cap (:meth:`MemberSearch.first_results`' ``at_most``).
    counted: int
    #: More match than ``counted``.
    more: bool


class MemberSearch:
    """Runs :class:`MemberQuery` against one cache."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    @staticmethod
    def _filters(query: MemberQuery, now: datetime | None) -> tuple[list[str], list[Any]]:
        """WHERE clauses (over ``members m``) and their parameters, text aside."""
        where: list[str] = []
        params: list[Any] = []
        for badge_id in sorted(query.holds):
            where.append("EXISTS (SELECT 1 FROM awards a WHERE a.member_id = m.id AND a.badge_id = ?)")
            params.append(badge_id)
        for badge_id in sorted(query.lacks):
            where.append("NOT EXISTS (SELECT 1 FROM awards a WHERE a.member_id = m.id AND a.badge_id = ?)")
            params.append(badge_id)
        if query.status is not None:
            where.append("m.status = ?")
            params.append(query.status.value)
        if query.joined_after is not None:
            where.append("m.joined_at >= ?")
            params.append(to_epoch(query.joined_after))
        if query.joined_before is not None:
            where.append("m.joined_at < ?")
            params.append(to_epoch(query.joined_before))
        if query.seen_within_days is not None:
            since = (now or utc_now()) - timedelta(days=query.seen_within_days)
            where.append("m.last_seen_at >= ?")
            params.append(to_epoch(since))
        if query.group:
            # The members of the server's group of that name (servers that list groups), else
            # those whose own row names it: groups is a JSON list of strings, so the quoted
            # name is a whole element; instr() is a plain substring test (no wildcards), far
            # cheaper than json_each over a million members. One IN over both lets SQLite
            # fetch the members by id (a group of 20,000 in 100,000: ~50 ms for the whole
            # list, against ~240 ms walking the name index with an OR; bench/group_search.py);
            # the constant NOT EXISTS skips the scan for a listed group.
            where.append(
                "m.id IN (SELECT gm.member_id FROM group_memberships gm JOIN member_groups g"
                " ON g.id = gm.group_id WHERE g.name = ? UNION ALL SELECT id FROM members WHERE"
                " NOT EXISTS (SELECT 1 FROM member_groups WHERE name = ?) AND instr(groups, ?) > 0)"
            )
            params.extend((query.group, query.group, json.dumps(query.group)))
        if query.rule is not None:
            clause, rule_params = compile_rule(query.rule, now or utc_now())
            where.append(clause)
            params.extend(rule_params)
        return where, params

    @staticmethod
    def _select(match: str | None, where: list[str], *, ordered: bool = True) -> str:
        """``SELECT m.id FROM …`` with the text match (if any) and the filters.

        Not ``ordered`` (no ORDER BY will name the member's columns), a text
        match without filters reads the index alone: its rowids are the ids.
        """
        if match is not None and not where and not ordered:
            return "SELECT rowid FROM members_fts WHERE members_fts MATCH ?"
        if match is not None:
            sql = "SELECT m.id FROM members_fts f JOIN members m ON m.id = f.rowid"
            where = ["members_fts MATCH ?", *where]
        else:
            sql = "SELECT m.id FROM members m"
        return sql + (" WHERE " + " AND ".join(where) if where else "")

    def _sql(self, query: MemberQuery, now: datetime | None, connection: Connection) -> tuple[str, list[Any]]:
        match = match_expression(query.text)
        where, params = self._filters(query, now)
        if match is not None:
            params = [match, *params]
        direction = "DESC" if query.descending else "ASC"
        if query.sort is SortKey.RELEVANCE and match is not None:
            # Whole-word matches first ("Ann" before "Annika"), then bm25
            # (smaller is better; names weigh more than the email).
            order = (
                "f.rowid IN (SELECT rowid FROM members_fts WHERE members_fts MATCH ?) DESC,"
                " bm25(members_fts, 4.0, 4.0, 1.0), m.id"
            )
            params.append(match.replace("*", ""))
        elif query.sort is SortKey.RELEVANCE:
            order = _ORDER[SortKey.NAME]
        elif query.sort is SortKey.BADGE_COUNT and not _counts_kept(connection):
            order = _COUNTED_ORDER
        else:
            order = _ORDER[query.sort]
        return self._select(match, where) + " ORDER BY " + order.format(dir=direction), params

    def first_window(self, query: MemberQuery, limit: int = 100, *, now: datetime | None = None) -> list[int]:
        """The first ``limit`` results, fast even when a million members match.

        For relevance order this does not rank every match: members whose
        names contain the words whole come first, then members whose names
        start with them (for several words only when more match than the
        window holds), then the rest (username or email matches). The full, ranked list comes from
        :meth:`ids`, which the views run right after. For the other orders it
        is the head of :meth:`ids`.
        """
        return self.first_results(query, limit, at_most=limit, now=now).ids

    def first_results(
        self,
        query: MemberQuery,
        limit: int = 100,
        *,
        at_most: int = 1000,
        now: datetime | None = None,
        cancel: CancelToken | None = None,
    ) -> FirstResults:
        """:meth:`first_window`, and how many match, counted up to ``at_most`` (at least ``limit``);
        ``cancel`` stops the queries at once."""
        at_most = max(at_most, limit)
        match = match_expression(query.text)
        where, params = self._filters(query, now)
        with self.cache.read() as connection, cancellable(connection, cancel):
            if match is None or query.sort is not SortKey.RELEVANCE:
                sql, params = self._sql(query, now, connection)
                window = [row[0] for row in connection.exec_driver_sql(sql + " LIMIT ?", (*params, limit))]
                if len(window) < limit:
                    return FirstResults(window, len(window), more=False)
                if at_most == limit:
                    return FirstResults(window, limit, more=True)
                # The same selection without its order: no sort, it stops at the cap.
                counted = "SELECT count(*) FROM (" + self._select(match, where, ordered=False) + " LIMIT ?)"
                found = int(connection.exec_driver_sql(counted, (*params, at_most + 1)).scalar() or 0)
                return FirstResults(window, min(found, at_most), more=found > at_most)
            sql = self._select(match, where, ordered=False) + " LIMIT ?"
            # The driver's own cursor: three short statements, where SQLAlchemy's
            # handling of each would cost as much as SQLite's work on a short prefix.
            raw = connection.connection.driver_connection

            def tier(expression: str, rows: int) -> list[int]:
                return list(chain.from_iterable(raw.execute(sql, (expression, *params, rows))))  # type: ignore[union-attr]

            names = "{username display_name} : "
            # Whole words are cheap to find (no prefix to expand), and enough when common.
            window = tier(names + "(" + match.replace("*", "") + ")", limit)
            if len(window) == limit and at_most == limit:
                return FirstResults(window, limit, more=True)
            named = at_most == limit and " " not in match
            if named:
                # The window alone, of one word: names starting with it come next, and
                # when they fill the window nobody else is looked at (a short prefix
                # matches most names; one query fewer is a third of the time).
                window = list(dict.fromkeys(window + tier(names + "(" + match + ")", limit + len(window))))
                if len(window) >= limit:
                    return FirstResults(window[:limit], limit, more=True)
            # Every match up to the cap, in one pass over the prefixes' entries:
            # when few match (two or three words) it is the rest of the window.
            every = tier(match, at_most + 1)
            if len(window) < limit < len(every) and not named:
                window += tier(names + "(" + match + ")", limit + len(window))
        window = list(dict.fromkeys(window + every))[:limit]
        return FirstResults(window, min(len(every), at_most), more=len(every) > at_most)

    def ids(
        self, query: MemberQuery, *, now: datetime | None = None, cancel: CancelToken | None = None
    ) -> list[int]:
        """Ids of the matching members, in the query's order; ``cancel`` stops the query at once."""
        return list(self.packed_ids(query, now=now, cancel=cancel))

    def packed_ids(
        self, query: MemberQuery, *, now: datetime | None = None, cancel: CancelToken | None = None
    ) -> array[int]:
        """:meth:`ids` packed, 4 bytes an id (8 when an id needs more), without holding up the GUI thread.

        SQLite hands over the whole ranked list as one hexadecimal text, in the
        subquery's order: an aggregate reads an ordered subquery in order, and
        ``tests/core/test_member_search.py`` compares the two, row by row. The
        statement runs without the GIL from start to end. Read row by row, the worker
        took the GIL back for every row, and the GUI thread, painting, waited its turn
        a quarter of a million times for a one-letter prefix. The text becomes numbers
        a slice at a time, each slice one short C call.
        """
        with self.cache.read() as connection, cancellable(connection, cancel):
            sql, params = self._sql(query, now, connection)
            raw = connection.connection.driver_connection
            bounds = "SELECT (SELECT min(id) FROM members), (SELECT max(id) FROM members)"
            low, high = raw.execute(bounds).fetchone()  # type: ignore[union-attr]
            # Eight digits an id (the low 32 bits, read back signed) when every id fits.
            small = low is None or (low >= -(2**31) and high < 2**31)
            digits, typecode = (8, "i") if small else (16, "q")
            value = "id & 4294967295" if small else "id"
            packed = f"SELECT group_concat(printf('%0{digits}x', {value}), '') FROM ({sql})"
            text = raw.execute(packed, tuple(params)).fetchone()[0] or ""  # type: ignore[union-attr]
        ids = array(typecode)
        step = digits * _SLICE_IDS
        for start in range(0, len(text), step):
            ids.frombytes(bytes.fromhex(text[start : start + step]))
        if sys.byteorder == "little":
            ids.byteswap()  # the digits are big-endian
        return ids

    def count(self, query: MemberQuery, *, now: datetime | None = None) -> int:
        match = match_expression(query.text)
        where, params = self._filters(query, now)
        if match is not None:
            params = [match, *params]
        counted = "SELECT count(*) FROM (" + self._select(match, where) + ")"
        with self.cache.read() as connection:
            return int(connection.exec_driver_sql(counted, tuple(params)).scalar() or 0)


# --- rules --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """The members a rule selected, by name."""

    ids: list[int]

    @property
    def count(self) -> int:
        return len(self.ids)


def members_matching(cache: Cache, rule: Rule, *, now: datetime) -> RuleMatch:
    """Run ``rule`` on demand: the matching members (in name order) when it is ``now``."""
    return RuleMatch(MemberSearch(cache).ids(MemberQuery(rule=rule, sort=SortKey.NAME), now=now))


# --- saved searches ----------------------------------------------------------


def query_to_dict(query: MemberQuery) -> dict[str, Any]:
    """A JSON-safe form of ``query`` for saved searches."""
    saved: dict[str, Any] = {
        "text": query.text,
        "holds": sorted(query.holds),
        "lacks": sorted(query.lacks),
        "status": None if query.status is None else query.status.value,
        "joined_after": None if query.joined_after is None else query.joined_after.isoformat(),
        "joined_before": None if query.joined_before is None else query.joined_before.isoformat(),
        "seen_within_days": query.seen_within_days,
        "group": query.group,
        "sort": query.sort.value,
        "descending": query.descending,
    }
    if query.rule is not None:
        # Only when there is one: a search saved without a rule reads the same in older versions.
        saved["rule"] = rule_to_dict(query.rule)
    return saved


def query_from_dict(data: dict[str, Any]) -> MemberQuery:
    """Inverse of :func:`query_to_dict`; raises ``ValueError`` on a damaged entry."""
    if not isinstance(data, dict):
        raise ValueError("damaged saved search: not a mapping")
    for key in ("holds", "lacks"):
        if not isinstance(data.get(key, []), list):
            raise ValueError(f"damaged saved search: {key} is not a list")
    try:
        return MemberQuery(
            text=str(data.get("text", "")),
            holds=frozenset(int(b) for b in data.get("holds", [])),
            lacks=frozenset(int(b) for b in data.get("lacks", [])),
            status=None if data.get("status") is None else MemberStatus(data["status"]),
            joined_after=_opt_datetime(data.get("joined_after")),
            joined_before=_opt_datetime(data.get("joined_before")),
            seen_within_days=None if data.get("seen_within_days") is None else int(data["seen_within_days"]),
            group=data.get("group") or None,
            rule=None if data.get("rule") is None else rule_from_dict(data["rule"]),
            sort=SortKey(data.get("sort", SortKey.RELEVANCE.value)),
            descending=bool(data.get("descending", False)),
        )
    except (TypeError, KeyError) as error:
        raise ValueError(f"damaged saved search: {error}") from error


def _opt_datetime(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


# --- paste a list ------------------------------------------------------------

_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True, slots=True)
class Resolution:
    """Members found for a pasted list, in the list's order, and what was not found."""

    found: list[int]
    not_found: list[str]


def resolve_identifiers(cache: Cache, text: str, *, chunk: int = 500) -> Resolution:
    """Find members by username or email (any case; a leading ``@`` is ignored).

    Entries are separated by new lines, commas, semicolons or spaces;
    duplicates count once.
    """
    entries: list[str] = []
    seen: set[str] = set()
    for raw in _SEPARATORS.split(text):
        entry = raw.strip().lstrip("@").strip()
        key = entry.casefold()
        if entry and key not in seen:
            seen.add(key)
            entries.append(entry)
    by_key: dict[str, int] = {}
    with cache.read() as connection:
        for column, wanted in (
            ("email", [e for e in entries if "@" in e]),
            ("username", [e for e in entries if "@" not in e]),
        ):
            for start in range(0, len(wanted), chunk):
                part = wanted[start : start + chunk]
                marks = ", ".join("?" * len(part))
                rows = connection.exec_driver_sql(
                    f"SELECT id, {column} FROM members WHERE {column} COLLATE NOCASE IN ({marks})",
                    tuple(part),
                )
                for member_id, value in rows:
                    by_key.setdefault(value.casefold(), member_id)
    found: list[int] = []
    not_found: list[str] = []
    added: set[int] = set()
    for entry in entries:
        member_id = by_key.get(entry.casefold())
        if member_id is None:
            not_found.append(entry)
        elif member_id not in added:
            added.add(member_id)
            found.append(member_id)
    return Resolution(found, not_found)


# --- badges held ---------------------------------------------------------------


def held_counts(cache: Cache, member_ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Member id → (badges held, grants held) for these members (those holding none are absent).

    They differ where a member holds a badge several times (Discourse's
    ``multiple_grant``). The members' maintained counts.
    """
    if not member_ids:
        return {}
    marks = ", ".join("?" * len(member_ids))
    with cache.read() as connection:
        if _counts_kept(connection):
            sql = (
                f"SELECT id, badge_count, grant_count FROM members WHERE id IN ({marks}) AND grant_count > 0"
            )
        else:  # a first sync is counting them: from the awards, as they are
            sql = (
                "SELECT member_id, count(DISTINCT badge_id), count(*) FROM awards"
                f" WHERE member_id IN ({marks}) GROUP BY member_id"
            )
        rows = connection.exec_driver_sql(sql, tuple(member_ids))
        return {int(member_id): (int(badges), int(grants)) for member_id, badges, grants in rows}


def repeated_grants(
    cache: Cache, member_ids: Sequence[int], badge_ids: Sequence[int]
) -> dict[int, dict[int, int]]:
    """Member id → {badge id: grants} for these badges where the member holds one several times."""
    if not member_ids or not badge_ids:
        return {}
    members = ", ".join("?" * len(member_ids))
    badges = ", ".join("?" * len(badge_ids))
    found: dict[int, dict[int, int]] = {}
    with cache.read() as connection:
        rows = connection.exec_driver_sql(
            f"SELECT member_id, badge_id, count(*) FROM awards WHERE member_id IN ({members})"
            f" AND badge_id IN ({badges}) GROUP BY member_id, badge_id HAVING count(*) > 1",
            (*member_ids, *badge_ids),
        )
        for member_id, badge_id, n in rows:
            found.setdefault(int(member_id), {})[int(badge_id)] = int(n)
    return found


# --- member detail -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeldBadge:
    award: Award
    badge: Badge | None


@dataclass(frozen=True, slots=True)
class RequestHistoryItem:
    request: BadgeRequest
    badge: Badge | None


@dataclass(frozen=True, slots=True)
class MemberDetail:
    member: Member
    badges: list[HeldBadge]
    requests: list[RequestHistoryItem]
    #: Grants (award ids) whose revoke is queued and not yet confirmed by the server.
    revoking: frozenset[int] = frozenset()
    #: The groups the member is in: those the member row carries and the server's listed ones.
    groups: list[str] = field(default_factory=list)


def member_detail(cache: Cache, member_id: int) -> MemberDetail | None:
    """Everything the detail panel shows about one member, or ``None`` if unknown."""
    member = cache.member(member_id)
    if member is None:
        return None
    badges = {b.id: b for b in cache.badges()}
    awards = sorted(cache.awards_of_member(member_id), key=lambda a: a.granted_at, reverse=True)
    requests = sorted(cache.requests_of_member(member_id), key=lambda r: r.created_at, reverse=True)
    with cache.read() as connection:
        revoking = queries.unsent_grant_revokes(connection, member_id)
    return MemberDetail(
        member=member,
        badges=[HeldBadge(a, badges.get(a.badge_id)) for a in awards],
        requests=[RequestHistoryItem(r, badges.get(r.badge_id)) for r in requests],
        revoking=frozenset(revoking),
        groups=sorted({*member.groups, *groups_of_member(cache, member_id)}, key=str.casefold),
    )
