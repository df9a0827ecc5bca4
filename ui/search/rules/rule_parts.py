"""The rule builder's editable parts (a group of conditions, a condition) and how each reads.

A :class:`desktop.rules.Rule` is immutable; the builder edits these small
mutable parts, one per tree row, and turns them back into a rule whenever it
counts or saves. Negation is a switch on any part ("Not: holds Contest
Winner"), so "lacks a badge" and "not in a group" are a holds / in-group
condition switched to "not". GUI thread only.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from desktop.domain import MemberStatus
from desktop.rules import (
    Ago,
    AllOf,
    AnyOf,
    BadgeRef,
    DateSpan,
    Day,
    GroupRef,
    HasStatus,
    HasTrustLevel,
    HoldsBadge,
    InGroup,
    Joined,
    LastSeen,
    NeverSeen,
    Not,
    Point,
    Posts,
    Rule,
    TextMatches,
    TrustLevel,
    Unit,
)
from ui.i18n import format_date, format_number
from ui.search.model import status_name


class Kind(enum.Enum):
    JOINED = "joined"
    LAST_SEEN = "last_seen"
    NEVER_SEEN = "never_seen"
    STATUS = "status"
    IN_GROUP = "in_group"
    HOLDS_BADGE = "holds_badge"
    POSTS = "posts"
    TRUST_LEVEL = "trust_level"
    TEXT = "text"

    @property
    def member_activity(self) -> bool:
        """Only where the server lists posts and trust levels (``Capabilities.member_activity``)."""
        return self in (Kind.POSTS, Kind.TRUST_LEVEL)


#: The condition kinds as the builder's kind list names them, in its order.
KIND_NAMES: dict[Kind, str] = {
    Kind.JOINED: str(QT_TRANSLATE_NOOP("RuleParts", "Joined")),
    Kind.LAST_SEEN: str(QT_TRANSLATE_NOOP("RuleParts", "Last seen")),
    Kind.NEVER_SEEN: str(QT_TRANSLATE_NOOP("RuleParts", "Never seen")),
    Kind.STATUS: str(QT_TRANSLATE_NOOP("RuleParts", "Status")),
    Kind.IN_GROUP: str(QT_TRANSLATE_NOOP("RuleParts", "In group")),
    Kind.HOLDS_BADGE: str(QT_TRANSLATE_NOOP("RuleParts", "Holds badge")),
    Kind.POSTS: str(QT_TRANSLATE_NOOP("RuleParts", "Posts")),
    Kind.TRUST_LEVEL: str(QT_TRANSLATE_NOOP("RuleParts", "Trust level")),
    Kind.TEXT: str(QT_TRANSLATE_NOOP("RuleParts", "Name, username or email")),
}


def kind_name(kind: Kind) -> str:
    return QCoreApplication.translate("RuleParts", KIND_NAMES[kind])


#: Discourse's names of its trust levels.
TRUST_LEVEL_NAMES: dict[TrustLevel, str] = {
    TrustLevel.NEW_USER: str(QT_TRANSLATE_NOOP("TrustLevels", "new user")),
    TrustLevel.BASIC: str(QT_TRANSLATE_NOOP("TrustLevels", "basic user")),
    TrustLevel.MEMBER: str(QT_TRANSLATE_NOOP("TrustLevels", "member")),
    TrustLevel.REGULAR: str(QT_TRANSLATE_NOOP("TrustLevels", "regular")),
    TrustLevel.LEADER: str(QT_TRANSLATE_NOOP("TrustLevels", "leader")),
}


#: The trust levels as the rule builder's check boxes show them: Alt+0 … Alt+4 tick them.
TRUST_LEVEL_CHOICES: dict[TrustLevel, str] = {
    TrustLevel.NEW_USER: str(QT_TRANSLATE_NOOP("TrustLevels", "&0: new user")),
    TrustLevel.BASIC: str(QT_TRANSLATE_NOOP("TrustLevels", "&1: basic user")),
    TrustLevel.MEMBER: str(QT_TRANSLATE_NOOP("TrustLevels", "&2: member")),
    TrustLevel.REGULAR: str(QT_TRANSLATE_NOOP("TrustLevels", "&3: regular")),
    TrustLevel.LEADER: str(QT_TRANSLATE_NOOP("TrustLevels", "&4: leader")),
}


def trust_level_choice(level: TrustLevel) -> str:
    return QCoreApplication.translate("TrustLevels", TRUST_LEVEL_CHOICES[level])


def trust_level_name(level: int) -> str:
    """ "regular"; a level Discourse does not name as its number."""
    try:
        return QCoreApplication.translate("TrustLevels", TRUST_LEVEL_NAMES[TrustLevel(level)])
    except ValueError:
        return str(level)  # i18n: not translated


@dataclass
class GroupPart:
    """AND (all of) or OR (any of) over the rows below it; ``negated``: NOT."""

    any_of: bool = False
    negated: bool = False


@dataclass
class ConditionPart:
    kind: Kind = Kind.JOINED
    negated: bool = False
    #: Joined / last seen: when; holds badge: when awarded (empty: any time).
    span: DateSpan = field(default_factory=DateSpan)
    statuses: frozenset[MemberStatus] = frozenset({MemberStatus.ACTIVE})
    group: GroupRef | None = None
    badge: BadgeRef | None = None
    text: str = ""
    posts: Posts = field(default_factory=lambda: Posts(at_least=10))
    trust_levels: frozenset[TrustLevel] = frozenset({TrustLevel.REGULAR, TrustLevel.LEADER})

    def rule(self) -> Rule:
        base: Rule
        if self.kind is Kind.JOINED:
            base = Joined(self.span)
        elif self.kind is Kind.LAST_SEEN:
            base = LastSeen(self.span)
        elif self.kind is Kind.NEVER_SEEN:
            base = NeverSeen()
        elif self.kind is Kind.STATUS:
            base = HasStatus(self.statuses)
        elif self.kind is Kind.IN_GROUP:
            # No group chosen yet: no one is in it.
            base = InGroup(self.group) if self.group is not None else AnyOf(())
        elif self.kind is Kind.HOLDS_BADGE:
            base = HoldsBadge(self.badge, self.span) if self.badge is not None else AnyOf(())
        elif self.kind is Kind.POSTS:
            base = self.posts
        elif self.kind is Kind.TRUST_LEVEL:
            base = HasTrustLevel(self.trust_levels)
        else:
            base = TextMatches(self.text)
        return Not(base) if self.negated else base


def group_rule(part: GroupPart, children: list[Rule]) -> Rule:
    rules = tuple(children)
    combined: Rule = AnyOf(rules) if part.any_of else AllOf(rules)
    return Not(combined) if part.negated else combined


def condition_of(rule: Rule, negated: bool = False) -> ConditionPart | None:
    """The condition row that stands for ``rule`` (None: ``rule`` is a group)."""
    if isinstance(rule, Not):
        if isinstance(rule.rule, AllOf | AnyOf | Not):
            return None
        return condition_of(rule.rule, not negated)
    if isinstance(rule, Joined):
        return ConditionPart(Kind.JOINED, negated, span=rule.span)
    if isinstance(rule, LastSeen):
        return ConditionPart(Kind.LAST_SEEN, negated, span=rule.span)
    if isinstance(rule, NeverSeen):
        return ConditionPart(Kind.NEVER_SEEN, negated)
    if isinstance(rule, HasStatus):
        return ConditionPart(Kind.STATUS, negated, statuses=rule.statuses)
    if isinstance(rule, InGroup):
        return ConditionPart(Kind.IN_GROUP, negated, group=rule.group)
    if isinstance(rule, HoldsBadge):
        return ConditionPart(Kind.HOLDS_BADGE, negated, span=rule.awarded, badge=rule.badge)
    if isinstance(rule, Posts):
        return ConditionPart(Kind.POSTS, negated, posts=rule)
    if isinstance(rule, HasTrustLevel):
        return ConditionPart(Kind.TRUST_LEVEL, negated, trust_levels=rule.levels)
    if isinstance(rule, TextMatches):
        return ConditionPart(Kind.TEXT, negated, text=rule.text)
    return None


# --- how a part reads ------------------------------------------------------------------


def distance(point: Ago) -> str:
    """ "90 days", "10 years"."""
    n = point.amount
    if point.unit is Unit.DAYS:
        return QCoreApplication.translate("RuleParts", "%Ln day(s)", "", n)
    if point.unit is Unit.WEEKS:
        return QCoreApplication.translate("RuleParts", "%Ln week(s)", "", n)
    if point.unit is Unit.MONTHS:
        return QCoreApplication.translate("RuleParts", "%Ln month(s)", "", n)
    return QCoreApplication.translate("RuleParts", "%Ln year(s)", "", n)


def _day(point: Point) -> str:
    assert isinstance(point, Day)
    return format_date(point.day)


def span_text(span: DateSpan) -> str:
    """When, as a condition reads it: "in the last 90 days", "more than 10 years ago"."""
    translate = QCoreApplication.translate
    since, before = span.since, span.before
    if since is None and before is None:
        return translate("RuleParts", "at any time")
    if isinstance(since, Ago) and before is None:
        return translate("RuleParts", "in the last {distance}").format(distance=distance(since))
    if since is None and isinstance(before, Ago):
        return translate("RuleParts", "more than {distance} ago").format(distance=distance(before))
    if isinstance(since, Day) and before is None:
        return translate("RuleParts", "on or after {date}").format(date=_day(since))
    if since is None and isinstance(before, Day):
        return translate("RuleParts", "before {date}").format(date=_day(before))
    if isinstance(since, Day) and isinstance(before, Day):
        last = Day(before.day - timedelta(days=1))
        return translate("RuleParts", "from {first} to {last}").format(first=_day(since), last=_day(last))
    if isinstance(since, Ago) and isinstance(before, Ago):
        return translate("RuleParts", "between {far} and {near} ago").format(
            far=distance(since), near=distance(before)
        )
    return translate("RuleParts", "in a period")


def condition_text(part: ConditionPart) -> str:
    """One row of the rule as a sentence: "Joined more than 10 years ago", "Not: in group MVP"."""
    translate = QCoreApplication.translate
    when = span_text(part.span)
    if part.kind is Kind.JOINED:
        text = translate("RuleParts", "Joined {when}").format(when=when)
    elif part.kind is Kind.LAST_SEEN:
        if part.span == DateSpan():
            text = translate("RuleParts", "Seen at least once")
        else:
            text = translate("RuleParts", "Seen {when}").format(when=when)
    elif part.kind is Kind.NEVER_SEEN:
        text = translate("RuleParts", "Never seen")
    elif part.kind is Kind.STATUS:
        order = (MemberStatus.ACTIVE, MemberStatus.SUSPENDED, MemberStatus.DELETED)
        names = ", ".join(status_name(s) for s in order if s in part.statuses)
        text = translate("RuleParts", "Status is {statuses}").format(statuses=names or "—")
    elif part.kind is Kind.IN_GROUP:
        group = part.group.name if part.group is not None else "—"
        text = translate("RuleParts", "In group {group}").format(group=group)
    elif part.kind is Kind.HOLDS_BADGE:
        badge = part.badge.name if part.badge is not None else "—"
        if part.span == DateSpan():
            text = translate("RuleParts", "Holds {badge}").format(badge=badge)
        else:
            text = translate("RuleParts", "Holds {badge}, awarded {when}").format(badge=badge, when=when)
    elif part.kind is Kind.POSTS:
        text = posts_text(part.posts)
    elif part.kind is Kind.TRUST_LEVEL:
        names = ", ".join(trust_level_name(level) for level in sorted(part.trust_levels))
        text = translate("RuleParts", "Trust level is {levels}").format(levels=names or "—")
    else:
        text = translate("RuleParts", "Name, username or email matches “{text}”").format(text=part.text)
    return translate("RuleParts", "Not: {condition}").format(condition=text) if part.negated else text


def posts_text(posts: Posts) -> str:
    """ "Wrote at least 10 posts", "Wrote from 5 to 20 posts"."""
    translate = QCoreApplication.translate
    low, high = posts.at_least, posts.at_most
    if high is None:
        least = low or 0  # a plain name: lupdate skips a count computed in the call
        return translate("RuleParts", "Wrote at least %Ln post(s)", "", least)
    if low is None:
        return translate("RuleParts", "Wrote at most %Ln post(s)", "", high)
    return translate("RuleParts", "Wrote from {low} to %Ln post(s)", "", high).format(low=format_number(low))


def group_text(part: GroupPart) -> str:
    translate = QCoreApplication.translate
    if part.any_of:
        return (
            translate("RuleParts", "None of these (NOT OR)")
            if part.negated
            else translate("RuleParts", "Any of these (OR)")
        )
    return (
        translate("RuleParts", "Not all of these (NOT AND)")
        if part.negated
        else translate("RuleParts", "All of these (AND)")
    )
