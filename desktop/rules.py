"""Rules that select members: AND / OR / NOT over conditions, with dates that stay relative.

A rule is a small immutable tree. Its leaves are conditions on what the cache
knows of a member: when they joined, when they were last seen (or never),
their status, their groups, the badges they hold (optionally awarded within a
period) and a text match as the search box does it. Its inner nodes are
:class:`AllOf` (AND), :class:`AnyOf` (OR) and :class:`Not`. An empty
:class:`AllOf` is true for everyone and an empty :class:`AnyOf` for no one, so
``Not(AllOf(()))`` selects nobody and ``Not(AnyOf(()))`` everyone.

Posts and trust level are not conditions: the cache does not hold them (no
dialect fills them in), so a rule could not be evaluated offline.

Dates are :class:`DateSpan` s, half-open ``[since, before)``, whose ends are
either a calendar day (:class:`Day`, from its local midnight) or a distance
back from *now* (:class:`Ago`: "90 days", "10 years"). An ``Ago`` is stored as
such, so a saved "seen in the last 90 days" means the last 90 days of whatever
day it runs on; it is resolved only when the rule is compiled, against the
``now`` given, in the user's local time zone: calendar units move the local
wall-clock date (a day back across a DST change is 23 or 25 hours, a month
back from 31 March is the last day of February, a year back from 29 February
is 28 February).

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

import calendar
import copy
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, TypeAlias

from desktop.domain import MemberStatus
from desktop.i18n import _
from desktop.settings import Settings

#: The version ``rule_to_dict`` writes; ``rule_from_dict`` refuses newer ones.
RULE_FORMAT = 1


# --- dates --------------------------------------------------------------------


class Unit(enum.StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


@dataclass(frozen=True, slots=True)
class Day:
    """A calendar day: the period's end starts at its local midnight."""

    day: date


@dataclass(frozen=True, slots=True)
class Ago:
    """``amount`` units before *now*, on the local calendar and wall clock."""

    amount: int
    unit: Unit

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError(f"a negative distance back in time: {self.amount}")


Point: TypeAlias = Day | Ago


@dataclass(frozen=True, slots=True)
class DateSpan:
    """From ``since`` (included) to ``before`` (excluded); a missing end does not limit."""

    since: Point | None = None
    before: Point | None = None


def within_last(amount: int, unit: Unit) -> DateSpan:
    """The span "in the last 90 days" (any amount and unit)."""
    return DateSpan(since=Ago(amount, unit))


def more_than_ago(amount: int, unit: Unit) -> DateSpan:
    """The span "more than 10 years ago" (any amount and unit)."""
    return DateSpan(before=Ago(amount, unit))


def between_days(first: date, last: date) -> DateSpan:
    """From the first day to the last day, both whole days included."""
    return DateSpan(since=Day(first), before=Day(last + timedelta(days=1)))


def _months_back(moment: datetime, months: int) -> datetime:
    year, month0 = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month0 + 1)[1])
    return moment.replace(year=year, month=month0 + 1, day=day)


def resolve(point: Point, now: datetime, tz: tzinfo | None = None) -> datetime:
    """The moment ``point`` stands for (aware, UTC) when it is ``now``.

    ``tz`` is the time zone of the calendar; ``None``: the system's local time
    zone (as ``TZ`` sets it), the user's.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    try:
        return _resolve(point, now, tz)
    except (OverflowError, ValueError):
        # Further back than the calendar goes ("10,000 years ago"): before every date there is.
        return EARLIEST


#: What a point further back than the calendar reaches resolves to.
EARLIEST = datetime(1, 1, 1, tzinfo=UTC)


def _resolve(point: Point, now: datetime, tz: tzinfo | None) -> datetime:
    if isinstance(point, Day):
        wall = datetime.combine(point.day, time())
    else:
        # The local wall clock, moved on the calendar, then back to a moment: across a DST
        # change the UTC offset differs at both ends, which is what makes days calendar days.
        wall = (now.astimezone(tz) if tz is not None else now.astimezone()).replace(tzinfo=None)
        if point.unit is Unit.DAYS:
            wall -= timedelta(days=point.amount)
        elif point.unit is Unit.WEEKS:
            wall -= timedelta(weeks=point.amount)
        elif point.unit is Unit.MONTHS:
            wall = _months_back(wall, point.amount)
        else:
            wall = _months_back(wall, 12 * point.amount)
    if tz is not None:
        return wall.replace(tzinfo=tz).astimezone(UTC)
    # A naive datetime's astimezone() reads it as local time (mktime), DST included.
    return wall.astimezone(UTC)


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


Condition: TypeAlias = Joined | LastSeen | NeverSeen | HasStatus | InGroup | HoldsBadge | TextMatches
Rule: TypeAlias = AllOf | AnyOf | Not | Condition


def lacks_badge(badge: BadgeRef) -> Rule:
    return Not(HoldsBadge(badge))


def not_in_group(group: GroupRef) -> Rule:
    return Not(InGroup(group))


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
    return {"version": RULE_FORMAT, "rule": _node_to_dict(rule)}


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
        return TextMatches(self.text(body, inner))


_KINDS = frozenset(
    {"all", "any", "not", "joined", "last_seen", "never_seen", "status", "in_group", "holds_badge", "text"}
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
