"""A batch's plan: how it would be sent, in requests and time, before it is queued.

The dry run (:mod:`desktop.batches`) says *whom* a batch changes; this says
*how*: one by one (a request per member, or per chunk where the server takes
several) or, where the server offers it (:attr:`Capabilities.mass_award`),
one upload that awards the badge to everyone, then a verification pass that
reads the badge's newest holders and sends one by one only the members it
does not find. Award messages that travel apart from the award (a private
message per member) add one request each, on either path, unless the
moderator switches them off for the batch.

Times come from the server's shared rate budget (:meth:`RateBudget.eta`);
without one (a server with no known limit) only the requests are given.

**The threshold.** From :data:`MASS_AWARD_THRESHOLD` members the mass award
is the path offered first. At 50 members one by one is 50 requests (under a
minute at Discourse's 60 a minute) while the mass award is 1 upload + 1 read
of the holders + 1 more look while the forum's background jobs finish: 3
requests, and from there on every 50 members cost one request instead of
50. Below it the saving is under a minute, and one by one reports each
member as it goes without waiting for the forum's jobs, so it stays the
path. The core decides from capabilities, never from the server's kind.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from desktop.dialects.capabilities import Capabilities
from desktop.domain import ActionKind
from desktop.i18n import _, ngettext
from desktop.net.budget import Eta, Priority, RateBudget

#: From this many members a mass award (where the server has one) is the path.
MASS_AWARD_THRESHOLD = 50
#: Reads of the holders beyond one pass: a look again while the server's jobs finish.
EXTRA_LOOKS = 1


class SendPath(enum.StrEnum):
    ONE_BY_ONE = "one-by-one"
    MASS_AWARD = "mass-award"


@dataclass(frozen=True, slots=True)
class PathCost:
    """What one path takes: its requests by purpose, their sum, and the time at the rate limit."""

    path: SendPath
    #: Requests that grant or revoke (one per member, or per chunk).
    grants: int
    #: Uploads of a mass award.
    uploads: int
    #: Reads of the badge's holders that verify a mass award.
    reads: int
    #: Award messages sent as requests of their own.
    messages: int
    #: None without a known rate limit.
    eta: Eta | None

    @property
    def requests(self) -> int:
        return self.grants + self.uploads + self.reads + self.messages


@dataclass(frozen=True, slots=True)
class BatchPlan:
    kind: ActionKind
    members: int
    batch_cap: int
    one_by_one: PathCost
    #: None where the server has no mass award (or for revokes).
    mass: PathCost | None
    path: SendPath

    @property
    def chosen(self) -> PathCost:
        return self.mass if self.path is SendPath.MASS_AWARD and self.mass is not None else self.one_by_one

    def lines(self) -> list[str]:
        """The plan in words for the dry run, one line per path, then the path taken."""
        cost = self.one_by_one
        if cost.messages:
            requests = _("{grants:,} + {messages} = {total}").format(
                grants=cost.grants, messages=_messages(cost.messages), total=_total(cost)
            )
        else:
            requests = _total(cost)
        lines = [_first_line(self.kind, self.members, self.batch_cap, requests)]
        mass = self.mass
        if mass is not None:
            uploads = ngettext("{n:,} upload", "{n:,} uploads", mass.uploads).format(n=mass.uploads)
            # "about": how often the holders are read again depends on how fast the forum's jobs run.
            reads = ngettext(
                "about {n:,} read of the holders to verify",
                "about {n:,} reads of the holders to verify",
                mass.reads,
            ).format(n=mass.reads)
            if mass.messages:
                text = _(
                    "Mass award: {uploads} + {reads} + {messages} = {total},"
                    " plus the forum's background jobs;"
                    " members the verification does not find are then granted one by one"
                )
            else:
                text = _(
                    "Mass award: {uploads} + {reads} = {total}, plus the forum's background jobs;"
                    " members the verification does not find are then granted one by one"
                )
            lines.append(
                text.format(
                    uploads=uploads, reads=reads, messages=_messages(mass.messages), total=_total(mass)
                )
            )
        if self.path is SendPath.MASS_AWARD:
            lines.append(
                ngettext(
                    "Path: mass award ({n:,} member; from {threshold:,} members it takes far fewer requests)",
                    "Path: mass award ({n:,} members;"
                    " from {threshold:,} members it takes far fewer requests)",
                    self.members,
                ).format(n=self.members, threshold=MASS_AWARD_THRESHOLD)
            )
        elif mass is not None:
            lines.append(_("Path: one by one"))
        return lines


def plan_batch(
    kind: ActionKind,
    members: int,
    capabilities: Capabilities,
    *,
    messages: bool,
    budget: RateBudget | None,
    allow_mass: bool = True,
) -> BatchPlan:
    """The plan of a batch of ``members`` awards or revokes on a server with ``capabilities``.

    ``messages``: the batch sends the badge's award message (it has one and
    the moderator left it on). ``allow_mass`` False: the moderator declined
    the mass award (its cost is still shown).
    """
    cap = max(1, capabilities.batch_cap)
    award = kind is ActionKind.AWARD
    apart = members if award and messages and capabilities.messages_apart else 0
    one_by_one = _cost(SendPath.ONE_BY_ONE, -(-members // cap), 0, 0, apart, budget)
    mass: PathCost | None = None
    if award and capabilities.mass_award and members > 0:
        per_read = max(1, capabilities.holders_per_request)
        uploads = -(-members // capabilities.mass_award_cap)
        reads = -(-members // per_read) + EXTRA_LOOKS
        mass = _cost(SendPath.MASS_AWARD, 0, uploads, reads, apart, budget)
    path = SendPath.ONE_BY_ONE
    if mass is not None and allow_mass and members >= MASS_AWARD_THRESHOLD:
        path = SendPath.MASS_AWARD
    return BatchPlan(kind, members, cap, one_by_one, mass, path)


def _cost(
    path: SendPath, grants: int, uploads: int, reads: int, messages: int, budget: RateBudget | None
) -> PathCost:
    total = grants + uploads + reads + messages
    eta = None if budget is None else budget.eta(total, Priority.FOREGROUND)
    return PathCost(path, grants, uploads, reads, messages, eta)


def _first_line(kind: ActionKind, n: int, cap: int, requests: str) -> str:
    """The one-by-one path: ``n`` members, how they are sent, and the ``requests`` it takes."""
    if kind is ActionKind.AWARD:
        if cap <= 1:
            text = ngettext("{n:,} grant one by one: {requests}", "{n:,} grants one by one: {requests}", n)
        else:
            text = ngettext(
                "{n:,} grant in requests of {cap:,}: {requests}",
                "{n:,} grants in requests of {cap:,}: {requests}",
                n,
            )
    elif cap <= 1:
        text = ngettext("{n:,} revoke one by one: {requests}", "{n:,} revokes one by one: {requests}", n)
    else:
        text = ngettext(
            "{n:,} revoke in requests of {cap:,}: {requests}",
            "{n:,} revokes in requests of {cap:,}: {requests}",
            n,
        )
    return text.format(n=n, cap=cap, requests=requests)


def _total(cost: PathCost) -> str:
    text = ngettext("{n:,} request", "{n:,} requests", cost.requests).format(n=cost.requests)
    return text if cost.eta is None else _("{requests}, {eta}").format(requests=text, eta=cost.eta.text)


def _messages(n: int) -> str:
    return ngettext("{n:,} award message", "{n:,} award messages (one private message each)", n).format(n=n)
