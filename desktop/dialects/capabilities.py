"""What the server behind a session can do (:class:`Capabilities`), derived from its ports.

Derived from which ports of :mod:`desktop.dialects.base` a session offers, never
from what a server claims in prose; the core and the views read it instead of
assuming our own API's guarantees. Stored with the cache (:meth:`Capabilities.to_json`)
so the app knows its server before it reaches it.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass

from desktop.dialects.base import Delivery, KeyLimited, MemberPages, ServerSession
from desktop.domain import Member, MemberStatus
from desktop.i18n import _

#: The fields a profile address may hold (:attr:`MemberPages.profile_url`).
PROFILE_FIELDS = ("{username}", "{member_id}")


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What the server behind a session can do, derived from the ports it offers."""

    kind: str
    changes_feed: bool
    requests: bool
    badge_editing: bool
    #: An edit of a badge someone changed meanwhile is refused (not silently overwritten).
    edit_conflicts: bool
    messages: bool
    #: An award's message reaches the member: with the award, or as a message of its own.
    award_messages: bool
    delivery: Delivery
    #: Most awards or revokes in one request.
    batch_cap: int
    #: An award's message goes as a request of its own (the writer sends none with the award).
    messages_apart: bool = False
    #: Most members one mass award takes (0: the server has no mass award).
    mass_award_cap: int = 0
    #: Grants one read of a badge's newest holders returns (for a mass award's verification).
    holders_per_request: int = 0
    #: What the session's key may not do (a read-only or granular key), in words naming the
    #: missing scope. Stored values from before it read as none.
    key_limits: tuple[str, ...] = ()
    #: The server keeps no draft badges: a draft stays in the user's work until published.
    local_drafts: bool = False
    #: The server's badges carry no award message: BadgeDesk keeps each badge's template.
    local_award_messages: bool = False
    #: Group members can be added and removed from here (the session offers
    #: :class:`~desktop.dialects.groups.GroupMembershipWriter`): the group check can fix the
    #: group side (Discourse with an admin's key; v1 where the server has groups).
    group_editing: bool = False
    #: A revoke can tell the member their badge was taken back (:attr:`RevokeItem.notify`).
    revoke_messages: bool = False
    #: The members read carry a trust level and a post count (Discourse): rules may use them.
    #: An optional attribute of the directory, ``member_activity`` (absent: False).
    member_activity: bool = False
    #: Where a member's profile is (:attr:`MemberPages.profile_url`; "": the server shows none).
    profile_url: str = ""
    #: A grant's reason is kept only as a link to a post or topic of the forum (Discourse): a
    #: program's award then carries the link that earned it, not a sentence. An optional
    #: attribute of the writer, ``link_reasons`` (absent: False).
    link_reasons: bool = False
    #: The activity the server can tell (:class:`~desktop.dialects.activity.ActivityReader`'s
    #: ``activity_sources`` values, sorted): the program sources offered. Empty: none.
    activity_sources: tuple[str, ...] = ()
    #: What the server's leaderboards rank by (:func:`~desktop.dialects.activity.measures_of`'s
    #: values, sorted): the measures offered. Empty: no leaderboard, or a value stored before
    #: it was known (:meth:`leaderboard_measures` then reads the basic ones).
    activity_measures: tuple[str, ...] = ()
    #: Members can be found by the id another system signs them in with (the session offers
    #: :class:`~desktop.dialects.external_ids.ExternalIdReader`; one request an id): a list
    #: source may match a column of them (Discourse; not v1).
    external_ids: bool = False

    @property
    def batch_awards(self) -> bool:
        return self.batch_cap > 1

    @property
    def mass_award(self) -> bool:
        """One upload awards a badge to many members (applied later, verified by reading holders)."""
        return self.mass_award_cap > 0

    @classmethod
    def of(cls, session: ServerSession, *, measures: tuple[str, ...] | None = None) -> Capabilities:
        """The session's capabilities; ``measures``: what its leaderboards rank by, known already
        (from the last sync: finding out may take a request), else asked."""
        # Here, not at the top: the groups port builds on this module's Page.
        from desktop.dialects.activity import ActivityReader, ActivitySource, measures_of
        from desktop.dialects.external_ids import ExternalIdReader
        from desktop.dialects.groups import GroupMembershipWriter

        editor = session.editor
        writer = session.writer
        mass = session.mass_awarder
        sources = session.activity_sources() if isinstance(session, ActivityReader) else frozenset()
        ranks = isinstance(session, ActivityReader) and ActivitySource.LEADERBOARD in sources
        if not ranks:
            measures = ()
        elif measures is None:
            assert isinstance(session, ActivityReader)
            measures = tuple(sorted(m.value for m in measures_of(session)))
        return cls(
            kind=session.kind,
            changes_feed=session.feed is not None,
            requests=session.desk is not None,
            badge_editing=editor is not None,
            edit_conflicts=editor is not None and editor.versions,
            messages=session.messenger is not None,
            award_messages=writer.sends_award_messages or session.messenger is not None,
            delivery=writer.delivery,
            batch_cap=writer.batch_cap,
            messages_apart=not writer.sends_award_messages and session.messenger is not None,
            mass_award_cap=0 if mass is None else mass.lines_cap,
            holders_per_request=0 if mass is None else mass.holders_per_read,
            key_limits=tuple(session.key_limits) if isinstance(session, KeyLimited) else (),
            local_drafts=editor is not None and not editor.drafts,
            local_award_messages=not session.directory.keeps_award_messages,
            # A session that has the port may still be unable to use it with this key (a
            # moderator's on Discourse): it says so with ``edits_groups``.
            group_editing=isinstance(session, GroupMembershipWriter)
            and bool(getattr(session, "edits_groups", True)),
            revoke_messages=writer.sends_revoke_messages,
            member_activity=bool(getattr(session.directory, "member_activity", False)),
            profile_url=_profile_url(session),
            link_reasons=bool(getattr(writer, "link_reasons", False)),
            activity_sources=tuple(sorted(sources)),
            activity_measures=measures,
            external_ids=isinstance(session, ExternalIdReader),
        )

    def leaderboard_measures(self) -> tuple[str, ...]:
        """What a leaderboard may rank by here: the measures the server said, or the basic ones
        for a value stored before they were known (a stored leaderboard reads as before)."""
        if self.activity_measures or "leaderboard" not in self.activity_sources:
            return self.activity_measures
        from desktop.dialects.activity import BASIC_MEASURES

        return tuple(sorted(BASIC_MEASURES))

    def member_profile(self, member: Member) -> str | None:
        """The web address of ``member``'s profile on the server; None where it shows none.

        A deleted member has no profile left to show.
        """
        if not self.profile_url or member.status is MemberStatus.DELETED:
            return None
        # Replaced, not format(): the server's part of the address is not a template.
        username = urllib.parse.quote(member.username, safe="")
        return self.profile_url.replace("{username}", username).replace("{member_id}", str(member.id))

    def to_json(self) -> str:
        return json.dumps({f: getattr(self, f) for f in self.__dataclass_fields__}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Capabilities | None:
        """As stored by :meth:`to_json`; None for anything else (an older or damaged value)."""
        try:
            data = json.loads(text)
            # Fields added since (with defaults) may be missing from an older value.
            fields = {
                f: data[f]
                for f in cls.__dataclass_fields__
                if f not in _LISTS and (f in data or f not in _DEFAULTED)
            }
            fields["delivery"] = Delivery(fields["delivery"])
            for name in _LISTS:
                values = data.get(name, [])
                if not isinstance(values, list) or not all(isinstance(n, str) for n in values):
                    return None
                fields[name] = tuple(values)
            return cls(**fields)
        except (ValueError, KeyError, TypeError):
            return None

    def missing(self) -> list[str]:
        """What this server cannot do, in words for the user (empty: nothing missing)."""
        notes = []
        if not self.requests:
            notes.append(_("members cannot request badges (no review queue)"))
        if not self.badge_editing:
            notes.append(_("badges cannot be created or edited from here"))
        elif not self.edit_conflicts:
            notes.append(_("an edit made elsewhere is looked for before saving, not refused by the server"))
        if self.local_drafts:
            notes.append(
                _("badge drafts are kept on this computer until published (the server has no drafts)")
            )
        if not self.changes_feed:
            notes.append(
                _(
                    "what is deleted on the server leaves the local copy with a full read of the community"
                    " (the server has no changes feed)"
                )
            )
        if not self.award_messages:
            notes.append(_("members get no award message with their badge"))

        notes.extend(self.key_limits)
        return notes


#: Capabilities' fields with a default: an older stored value may lack them.
_DEFAULTED = frozenset(
    {
        "messages_apart",
        "mass_award_cap",
        "holders_per_request",
        "local_drafts",
        "local_award_messages",
        "group_editing",
        "revoke_messages",
        "member_activity",
        "profile_url",
        "link_reasons",
        "activity_sources",
        "activity_measures",
        "external_ids",
    }
)
#: Capabilities' fields that are tuples of words (stored as JSON lists; absent: empty).
_LISTS = ("key_limits", "activity_sources", "activity_measures")


def _profile_url(session: ServerSession) -> str:
    """The session's profile address when it has a usable one (an absolute http(s) address
    with a member's field), else ""."""
    if not isinstance(session, MemberPages):
        return ""
    url = session.profile_url
    if not url.lower().startswith(("https://", "http://")) or not any(f in url for f in PROFILE_FIELDS):
        return ""
    return url
