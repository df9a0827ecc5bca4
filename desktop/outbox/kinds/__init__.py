"""Each kind of action: what it carries, which port sends it, how its answer ends it.

Awards and revokes go in runs up to the writer's batch cap; decisions, badge
saves and state changes one at a time, each through its own port. A kind
whose port the server lacks cannot be sent there: :class:`MissingPort`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop.cache.database import Cache
from desktop.dialects.base import ServerSession
from desktop.dialects.groups import GroupMembershipWriter
from desktop.domain import Action, ActionKind
from desktop.i18n import _
from desktop.outbox.kinds import awards, badges, decisions, group_members, handover, mass_award, messages
from desktop.outbox.types import Tally

#: Kinds sent one action per request.
ONE_BY_ONE = frozenset(
    {
        ActionKind.DECIDE,
        ActionKind.BADGE_SAVE,
        ActionKind.BADGE_STATE,
        ActionKind.MESSAGE,
        ActionKind.MASS_AWARD,
        ActionKind.GROUP_MEMBERS,
        ActionKind.HANDOVER,
    }
)


class MissingPort(Exception):
    """The server has no port for this kind of action; the message says so, for the user."""


def send(cache: Cache, session: ServerSession, chunk: Sequence[Action], tally: Tally) -> None:
    """Send a chunk (a run of awards or of revokes, or one action of another kind)."""
    kind = chunk[0].kind
    if kind in awards.KINDS:
        awards.send(cache, session.writer, chunk, tally, messages=sends_messages(session))
    elif kind is ActionKind.MASS_AWARD:
        raise ValueError("A mass award is sent by the sender itself (it claims the batch's awards)")
    elif kind is ActionKind.GROUP_MEMBERS:
        send_group_change(cache, session, chunk[0], tally, maybe_applied=False)
    elif kind is ActionKind.HANDOVER:
        handover.send(cache, session, chunk[0], tally)
    elif kind is ActionKind.MESSAGE:
        messenger = session.messenger
        if messenger is None:
            raise MissingPort(
                _("This server takes no messages to members: the message cannot be sent there.")
            )
        messages.send(cache, messenger, chunk[0], tally)
    elif kind is ActionKind.DECIDE:
        desk = session.desk
        if desk is None:
            raise MissingPort(_("This server has no badge requests: the decision cannot be sent there."))
        decisions.send(cache, desk, chunk[0], tally)
    else:
        editor = session.editor
        if editor is None:
            raise MissingPort(
                _("This server does not let badges be changed from here: the change cannot be sent.")
            )
        if kind is ActionKind.BADGE_SAVE:
            badges.send_save(cache, editor, chunk[0], tally)
        else:
            badges.send_state(cache, editor, chunk[0], tally)


def send_group_change(
    cache: Cache, session: ServerSession, action: Action, tally: Tally, *, maybe_applied: bool
) -> None:
    """Send a group membership change; ``maybe_applied``: its answer was lost before (read first)."""
    if not isinstance(session, GroupMembershipWriter):
        raise MissingPort(
            _("This server does not let group members be changed from here: the change cannot be sent.")
        )
    group_members.send(cache, session, action, tally, maybe_applied=maybe_applied)


def sends_messages(session: ServerSession) -> bool:
    """Whether award messages go out as messages of their own (the writer sends none with the award)."""
    return not session.writer.sends_award_messages and session.messenger is not None


def describe(kind: ActionKind, payload: dict[str, Any]) -> str:
    """One line on what the action does, for the audit log."""
    if kind is ActionKind.MASS_AWARD:
        return mass_award.describe(payload)
    if kind is ActionKind.MESSAGE:
        return messages.describe(payload)
    if kind is ActionKind.GROUP_MEMBERS:
        return group_members.describe(payload)
    if kind is ActionKind.HANDOVER:
        return handover.describe(payload)
    if kind is ActionKind.DECIDE:
        return decisions.describe(payload)
    if kind is ActionKind.BADGE_SAVE:
        return badges.describe_save(payload)
    if kind is ActionKind.BADGE_STATE:
        return badges.describe_state(payload)
    return awards.describe(kind, payload)
