"""Rules compiled to SQL: one condition over the cache's ``members m`` and its parameters.

The member search runs them (:mod:`desktop.member_search` re-exports
:func:`compile_rule`); the rule model is :mod:`desktop.rules`.

Thread safety: pure functions; any thread.
"""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from typing import Any

from desktop.cache.rows import to_epoch
from desktop.rules import (
    AllOf,
    AnyOf,
    DateSpan,
    HasStatus,
    HasTrustLevel,
    HoldsBadge,
    InGroup,
    Joined,
    LastSeen,
    NeverSeen,
    Not,
    Posts,
    Rule,
    resolve,
)
from desktop.search_text import match_expression


def compile_rule(rule: Rule, now: datetime, tz: tzinfo | None = None) -> tuple[str, list[Any]]:
    """One SQL condition over ``members m`` selecting what ``rule`` selects, and its parameters.

    Relative dates are resolved against ``now`` in ``tz`` (``None``: the local
    time zone; see :func:`desktop.rules.resolve`). Every part is true or false,
    never NULL, so NOT inverts exactly (a never-seen member is "not seen in
    the last 90 days"). Values travel only as parameters.
    """
    params: list[Any] = []
    return _compile(rule, now, tz, params), params


def _span(column: str, span: DateSpan, now: datetime, tz: tzinfo | None, params: list[Any]) -> list[str]:
    parts: list[str] = []
    if span.since is not None:
        parts.append(f"{column} >= ?")
        params.append(to_epoch(resolve(span.since, now, tz)))
    if span.before is not None:
        parts.append(f"{column} < ?")
        params.append(to_epoch(resolve(span.before, now, tz)))
    return parts


def _compile(rule: Rule, now: datetime, tz: tzinfo | None, params: list[Any]) -> str:
    if isinstance(rule, AllOf | AnyOf):
        if not rule.rules:
            return "1" if isinstance(rule, AllOf) else "0"
        joiner = " AND " if isinstance(rule, AllOf) else " OR "
        return "(" + joiner.join(_compile(r, now, tz, params) for r in rule.rules) + ")"
    if isinstance(rule, Not):
        return "NOT (" + _compile(rule.rule, now, tz, params) + ")"
    if isinstance(rule, Joined):
        return "(" + " AND ".join(["1", *_span("m.joined_at", rule.span, now, tz, params)]) + ")"
    if isinstance(rule, LastSeen):
        # The IS NOT NULL keeps the comparison two-valued for members never seen.
        parts = ["m.last_seen_at IS NOT NULL", *_span("m.last_seen_at", rule.span, now, tz, params)]
        return "(" + " AND ".join(parts) + ")"
    if isinstance(rule, NeverSeen):
        return "(m.last_seen_at IS NULL)"
    if isinstance(rule, HasStatus):
        if not rule.statuses:
            return "0"
        statuses = sorted(s.value for s in rule.statuses)
        params.extend(statuses)
        return "(m.status IN (" + ", ".join("?" * len(statuses)) + "))"
    if isinstance(rule, Posts):
        # As for last seen: the IS NOT NULL keeps an unknown count out, also under NOT.
        parts = ["m.post_count IS NOT NULL"]
        for operator, bound in ((">=", rule.at_least), ("<=", rule.at_most)):
            if bound is not None:
                parts.append(f"m.post_count {operator} ?")
                params.append(bound)
        return "(" + " AND ".join(parts) + ")"
    if isinstance(rule, HasTrustLevel):
        if not rule.levels:
            return "0"
        levels = sorted(int(level) for level in rule.levels)
        params.extend(levels)
        marks = ", ".join("?" * len(levels))
        return f"(m.trust_level IS NOT NULL AND m.trust_level IN ({marks}))"
    if isinstance(rule, HoldsBadge):
        params.append(rule.badge.id)
        granted = _span("a.granted_at", rule.awarded, now, tz, params)
        return (
            "EXISTS (SELECT 1 FROM awards a WHERE a.member_id = m.id AND a.badge_id = ?"
            + "".join(" AND " + part for part in granted)
            + ")"
        )
    if isinstance(rule, InGroup):
        # The listed group with that id (a renamed group still matches), else the listed group
        # of that name, else (servers that list no such group) the member rows naming it, as
        # the simple group filter does.
        group = rule.group
        params.extend((group.id, group.name, group.id, group.id, group.name, json.dumps(group.name)))
        return (
            "m.id IN (SELECT gm.member_id FROM group_memberships gm WHERE gm.group_id IN"
            " (SELECT id FROM member_groups WHERE id = ? OR (name = ? AND NOT EXISTS"
            " (SELECT 1 FROM member_groups WHERE id = ?)))"
            " UNION ALL SELECT id FROM members WHERE NOT EXISTS"
            " (SELECT 1 FROM member_groups WHERE id = ? OR name = ?) AND instr(groups, ?) > 0)"
        )
    match = match_expression(rule.text)
    if match is None:
        return "1"
    params.append(match)
    return "m.id IN (SELECT rowid FROM members_fts WHERE members_fts MATCH ?)"
