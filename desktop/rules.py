"""Rules that select members: AND / OR / NOT over conditions, with dates that stay relative.

A rule is a small immutable tree. Its leaves are conditions on what the cache
knows of a member: when they joined, when they were last seen (or never),
their status, their groups, the badges they hold (optionally awarded within a
period) and a text match as the search box does it. Its inner nodes are
:class:`AllOf` (AND), :class:`AnyOf` (OR) and :class:`Not`. An empty
:class:`AllOf` is true for everyone and an empty :class:`AnyOf` for no one, so
``Not(AllOf(()))`` selects nobody and ``Not(AnyOf(()))`` everyone.

Posts and trust level (:class:`Posts`, :class:`HasTrustLevel`) are
conditions only where the server lists them with its members (Discourse:
``Capabilities.member_activity``); the cache holds them as of the sync that
last read each member. Elsewhere they are unknown (NULL) and, as for members
never seen, a comparison with an unknown value is false, also under NOT.
:func:`uses_member_activity` tells a view to say so rather than run such a
rule on a server without them.

Dates (:mod:`desktop.rule_dates`, re-exported here) are half-open
:class:`DateSpan` s whose ends are a calendar day (:class:`Day`) or a
distance back from *now* (:class:`Ago`: "90 days"), stored as such (a saved
"seen in the last 90 days" means the last 90 days of whatever day it runs on)
and resolved only when the rule is compiled, in the user's local time zone.

Comparisons involving a member never seen are false, also under NOT: "not seen
in the last 90 days" includes members never seen; "seen more than a year ago"
does not (that is :class:`NeverSeen`).

Badges and groups are referred to by id *and* name: the id selects (a renamed
badge still matches), the name is what a view shows when the cache no longer
knows the id. Groups known only from the member rows' own lists (servers that
do not list groups) have no id and match by name.

The rules compile to SQL in :mod:`desktop.member_search` (``compile_rule``),
which runs them. Here: the model, relative dates, ``rule_to_dict`` /
``rule_from_dict`` and the saved rules kept in :class:`desktop.settings.Settings`.

Thread safety: the rule types are immutable and the functions pure, except the
saved-rule functions, which change the ``Settings`` given (GUI thread).
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeAlias

from desktop.domain import MemberStatus
from desktop.i18n import _
from desktop.rule_dates import EARLIEST as EARLIEST
from desktop.rule_dates import Ago as Ago
from desktop.rule_dates import DateSpan as DateSpan
from desktop.rule_dates import Day as Day
from desktop.rule_dates import Point as Point
from desktop.rule_dates import Unit as Unit
from desktop.rule_dates import between_days as between_days
from desktop.rule_dates import more_than_ago as more_than_ago
from desktop.rule_dates import resolve as resolve
from desktop.rule_dates import within_last as within_last
from desktop.settings import Settings

#: The newest version ``rule_to_dict`` writes; ``rule_from_dict`` refuses newer ones. Format 2
#: added posts and trust level; a rule without them is still written as format 1, which
#: older versions read.
RULE_FORMAT = 2


# --- references ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BadgeRef:
    """A badge by id (what matches) and by the name it had when the rule was made."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class GroupRef:
    """A group by id (``None``: known only by name from the member rows) and name."""

    id: int | None
    name: str


# --- conditions and operators ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Joined:
    span: DateSpan


@dataclass(frozen=True, slots=True)
class LastSeen:
    """Seen within ``span`` (an empty span: seen at all). Never-seen members do not match."""

    span: DateSpan


@dataclass(frozen=True, slots=True)
class NeverSeen:
    pass


@dataclass(frozen=True, slots=True)
class HasStatus:
    """Any of these statuses (none: no one)."""

    statuses: frozenset[MemberStatus]


@dataclass(frozen=True, slots=True)
class InGroup:
    group: GroupRef


@dataclass(frozen=True, slots=True)
class HoldsBadge:
    """Holds the badge, with a grant awarded within ``awarded`` (an empty span: any grant)."""

    badge: BadgeRef
    awarded: DateSpan = field(default_factory=DateSpan)


class TrustLevel(enum.IntEnum):
    """Discourse's trust levels."""

    NEW_USER = 0
    BASIC = 1
    MEMBER = 2
    REGULAR = 3
    LEADER = 4


@dataclass(frozen=True, slots=True)
class Posts:
    """Wrote at least ``at_least`` and at most ``at_most`` posts (None: no limit on that side).

    A member whose post count is unknown (a server that does not say) never matches.
    """

    at_least: int | None = None
    at_most: int | None = None

    def __post_init__(self) -> None:
        for bound in (self.at_least, self.at_most):
            if bound is not None and bound < 0:
                raise ValueError(f"a negative number of posts: {bound}")


@dataclass(frozen=True, slots=True)
class HasTrustLevel:
    """Any of these trust levels (none: no one); an unknown trust level never matches."""

    levels: frozenset[TrustLevel]


@dataclass(frozen=True, slots=True)
class TextMatches:
    """The name, username or email matches as in the search box (no words: everyone)."""

    text: str


@dataclass(frozen=True, slots=True)
class AllOf:
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    rules: tuple[Rule, ...]


@dataclass(frozen=True, slots=True)
class Not:
    rule: Rule


Condition: TypeAlias = (
    Joined | LastSeen | NeverSeen | HasStatus | InGroup | HoldsBadge | Posts | HasTrustLevel | TextMatches
)
Rule: TypeAlias = AllOf | AnyOf | Not | Condition


def lacks_badge(badge: BadgeRef) -> Rule:
    return Not(HoldsBadge(badge))


def not_in_group(group: GroupRef) -> Rule:
    return Not(InGroup(group))


def uses_member_activity(rule: Rule) -> bool:
    """Whether ``rule`` has a condition on posts or trust level (which some servers do not list)."""
    if isinstance(rule, AllOf | AnyOf):
        return any(uses_member_activity(r) for r in rule.rules)
    if isinstance(rule, Not):
        return uses_member_activity(rule.rule)
    return isinstance(rule, Posts | HasTrustLevel)


def with_names(rule: Rule, badges: Mapping[int, str], groups: Mapping[int, str]) -> Rule:
    """``rule`` with the badge and group names it stores updated to the current ones (by id)."""
    if isinstance(rule, AllOf | AnyOf):
        return type(rule)(tuple(with_names(r, badges, groups) for r in rule.rules))
    if isinstance(rule, Not):
        return Not(with_names(rule.rule, badges, groups))
    if isinstance(rule, HoldsBadge) and rule.badge.id in badges:
        return HoldsBadge(BadgeRef(rule.badge.id, badges[rule.badge.id]), rule.awarded)
    if isinstance(rule, InGroup) and rule.group.id is not None and rule.group.id in groups:
        return InGroup(GroupRef(rule.group.id, groups[rule.group.id]))
    return rule


# --- to and from JSON ----------------------------------------------------------------


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    """A JSON-safe, versioned form of ``rule`` (relative dates stay relative)."""
    # Format 1 where it says all: an older BadgeDesk then still reads the rule.
    version = RULE_FORMAT if uses_member_activity(rule) else 1
    return {"version": version, "rule": _node_to_dict(rule)}


def _point_to_dict(point: Point) -> dict[str, Any]:
    if isinstance(point, Day):
        return {"day": point.day.isoformat()}
    return {"ago": point.amount, "unit": point.unit.value}


def _span_to_dict(span: DateSpan) -> dict[str, Any]:
    return {
        "since": None if span.since is None else _point_to_dict(span.since),
        "before": None if span.before is None else _point_to_dict(span.before),
    }


def _node_to_dict(rule: Rule) -> dict[str, Any]:
    if isinstance(rule, AllOf):
        return {"all": [_node_to_dict(r) for r in rule.rules]}
    if isinstance(rule, AnyOf):
        return {"any": [_node_to_dict(r) for r in rule.rules]}
    if isinstance(rule, Not):
        return {"not": _node_to_dict(rule.rule)}
    if isinstance(rule, Joined):
        return {"joined": _span_to_dict(rule.span)}
    if isinstance(rule, LastSeen):
        return {"last_seen": _span_to_dict(rule.span)}
    if isinstance(rule, NeverSeen):
        return {"never_seen": True}
    if isinstance(rule, HasStatus):
        return {"status": sorted(s.value for s in rule.statuses)}
    if isinstance(rule, InGroup):
        return {"in_group": {"id": rule.group.id, "name": rule.group.name}}
    if isinstance(rule, HoldsBadge):
        return {
            "holds_badge": {"id": rule.badge.id, "name": rule.badge.name},
            "awarded": _span_to_dict(rule.awarded),
        }
    if isinstance(rule, Posts):
        return {"posts": {"at_least": rule.at_least, "at_most": rule.at_most}}
    if isinstance(rule, HasTrustLevel):
        return {"trust_level": sorted(int(level) for level in rule.levels)}
    return {"text": rule.text}


class _Reader:
    """Reads a saved rule; every refusal names where in it the damage is."""

    def fail(self, where: str, what: str) -> ValueError:
        return ValueError(f"damaged saved rule at {where}: {what}")

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, found {type(value).__name__}")
        return value

    def integer(self, value: Any, where: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.fail(where, f"expected a whole number, found {value!r}")
        return value

    def count(self, value: Any, where: str) -> int:
        number = self.integer(value, where)
        if number < 0:
            raise self.fail(where, f"expected a count, found {number}")
        return number

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"expected text, found {type(value).__name__}")
        return value

    def point(self, value: Any, where: str) -> Point | None:
        if value is None:
            return None
        data = self.mapping(value, where)
        if set(data) == {"day"}:
            day = self.text(data["day"], where + ".day")
            try:
                return Day(date.fromisoformat(day))
            except ValueError:
                raise self.fail(where + ".day", f"not a date: {day!r}") from None
        if set(data) == {"ago", "unit"}:
            amount = self.integer(data["ago"], where + ".ago")
            if amount < 0:
                raise self.fail(where + ".ago", f"a negative distance back in time: {amount}")
            try:
                unit = Unit(data["unit"])
            except ValueError:
                raise self.fail(where + ".unit", f"unknown unit {data['unit']!r}") from None
            return Ago(amount, unit)
        raise self.fail(where, f"expected a day or a distance back in time, found keys {sorted(data)}")

    def span(self, value: Any, where: str) -> DateSpan:
        data = self.mapping(value, where)
        unknown = set(data) - {"since", "before"}
        if unknown:
            raise self.fail(where, f"unknown keys {sorted(unknown)}")
        return DateSpan(
            self.point(data.get("since"), where + ".since"), self.point(data.get("before"), where + ".before")
        )

    def node(self, value: Any, where: str, depth: int = 0) -> Rule:
        if depth > 64:
            raise self.fail(where, "nested too deeply")
        data = self.mapping(value, where)
        kinds = set(data) & _KINDS
        if len(kinds) != 1:
            raise self.fail(where, f"expected one of {sorted(_KINDS)}, found keys {sorted(data)}")
        (kind,) = kinds
        unknown = set(data) - {kind, *(("awarded",) if kind == "holds_badge" else ())}
        if unknown:
            raise self.fail(where, f"unknown keys {sorted(unknown)}")
        inner = where + "." + kind
        body = data[kind]
        if kind in ("all", "any"):
            if not isinstance(body, list):
                raise self.fail(inner, f"expected a list, found {type(body).__name__}")
            rules = tuple(self.node(r, f"{inner}[{i}]", depth + 1) for i, r in enumerate(body))
            return AllOf(rules) if kind == "all" else AnyOf(rules)
        if kind == "not":
            return Not(self.node(body, inner, depth + 1))
        if kind == "joined":
            return Joined(self.span(body, inner))
        if kind == "last_seen":
            return LastSeen(self.span(body, inner))
        if kind == "never_seen":
            if body is not True:
                raise self.fail(inner, f"expected true, found {body!r}")
            return NeverSeen()
        if kind == "status":
            if not isinstance(body, list):
                raise self.fail(inner, f"expected a list, found {type(body).__name__}")
            try:
                return HasStatus(frozenset(MemberStatus(s) for s in body))
            except ValueError:
                raise self.fail(inner, f"unknown status in {body!r}") from None
        if kind == "in_group":
            ref = self.mapping(body, inner)
            group_id = ref.get("id")
            return InGroup(
                GroupRef(
                    None if group_id is None else self.integer(group_id, inner + ".id"),
                    self.text(ref.get("name"), inner + ".name"),
                )
            )
        if kind == "holds_badge":
            ref = self.mapping(body, inner)
            badge = BadgeRef(
                self.integer(ref.get("id"), inner + ".id"), self.text(ref.get("name"), inner + ".name")
            )
            awarded = data.get("awarded")
            return HoldsBadge(
                badge, DateSpan() if awarded is None else self.span(awarded, where + ".awarded")
            )
        if kind == "posts":
            bounds = self.mapping(body, inner)
            unknown = set(bounds) - {"at_least", "at_most"}
            if unknown:
                raise self.fail(inner, f"unknown keys {sorted(unknown)}")
            at_least, at_most = (
                None if bounds.get(k) is None else self.count(bounds[k], f"{inner}.{k}")
                for k in ("at_least", "at_most")
            )
            return Posts(at_least, at_most)
        if kind == "trust_level":
            if not isinstance(body, list):
                raise self.fail(inner, f"expected a list, found {type(body).__name__}")
            try:
                return HasTrustLevel(frozenset(TrustLevel(self.integer(v, inner)) for v in body))
            except ValueError as error:
                raise self.fail(inner, f"unknown trust level in {body!r}") from error
        return TextMatches(self.text(body, inner))


_KINDS = frozenset(
    [
        "all",
        "any",
        "not",
        "joined",
        "last_seen",
        "never_seen",
        "status",
        "in_group",
        "holds_badge",
        "posts",
        "trust_level",
        "text",
    ]
)


def rule_from_dict(data: Any) -> Rule:
    """Inverse of :func:`rule_to_dict`; a ``ValueError`` saying where a damaged rule is damaged."""
    reader = _Reader()
    saved = reader.mapping(data, "top")
    if "version" not in saved:
        raise reader.fail("top", "no version")
    version = reader.integer(saved["version"], "version")
    if version > RULE_FORMAT:
        raise reader.fail(
            "version", f"written by a newer BadgeDesk (format {version}, this one reads {RULE_FORMAT})"
        )
    if version < 1:
        raise reader.fail("version", f"unknown format {version}")
    if "rule" not in saved:
        raise reader.fail("top", "no rule")
    return reader.node(saved["rule"], "rule")


# --- saved rules -------------------------------------------------------------------


class RuleNameError(ValueError):
    """A saved rule's name that cannot be used (empty, or taken by another rule)."""


def _checked_name(settings: Settings, name: str, *, replacing: str | None = None) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise RuleNameError(_("A saved rule needs a name."))
    if cleaned in settings.saved_rules and cleaned != replacing:
        raise RuleNameError(_("There is already a saved rule named “{name}”.").format(name=cleaned))
    return cleaned


def saved_rule_names(settings: Settings) -> list[str]:
    """The saved rules' names, in alphabetical order (any case)."""
    return sorted(settings.saved_rules, key=str.casefold)


def save_rule(settings: Settings, name: str, rule: Rule, *, replace: bool = False) -> str:
    """Keep ``rule`` under ``name`` (trimmed, returned); an existing name only with ``replace``."""
    cleaned = _checked_name(settings, name, replacing=name.strip() if replace else None)
    settings.saved_rules[cleaned] = rule_to_dict(rule)
    return cleaned


def load_rule(settings: Settings, name: str) -> Rule:
    """The saved rule ``name``: ``KeyError`` if there is none, ``ValueError`` if it is damaged."""
    return rule_from_dict(settings.saved_rules[name])


def rename_rule(settings: Settings, old: str, new: str) -> str:
    """Give the saved rule ``old`` the name ``new`` (trimmed, returned); it keeps its place."""
    if old not in settings.saved_rules:
        raise KeyError(old)
    cleaned = _checked_name(settings, new, replacing=old)
    settings.saved_rules = {(cleaned if k == old else k): v for k, v in settings.saved_rules.items()}
    return cleaned


def delete_rule(settings: Settings, name: str) -> None:
    """Forget the saved rule ``name`` (nothing happens if there is none)."""
    settings.saved_rules.pop(name, None)


def duplicate_rule(settings: Settings, name: str) -> str:
    """Save a copy of the saved rule ``name`` under a free name ("… (copy)", "… (copy 2)"); returns it."""
    stored = settings.saved_rules[name]
    candidate = _("{name} (copy)").format(name=name)
    number = 2
    while candidate in settings.saved_rules:
        candidate = _("{name} (copy {number})").format(name=name, number=number)
        number += 1
    # The stored form as it is (even one this version cannot read): a copy, not a re-reading.
    settings.saved_rules[candidate] = copy.deepcopy(stored)
    return candidate
