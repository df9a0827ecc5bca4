"""What a program's run costs the server, in one sentence: the source's reads and the sends.

The sends' plans come from :func:`desktop.programs.dry_run.send_plans` (each a
:class:`~desktop.batch_plan.BatchPlan`, its chosen path); the reads are what
reading the source took (:attr:`desktop.programs.reading.SourceRead.requests`).
Together: "This run: 2 reads of the source + 1 grant = 3 requests, under a
minute at 60 requests/min." The time is the whole run's at the server's limit
from an empty window (as :meth:`RateBudget.eta <desktop.net.budget.RateBudget.eta>`
counts it): requests beyond one window's planned share wait a window each. A
server without a known limit gets the requests only.

Thread safety: pure functions; any thread.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from desktop.batch_plan import BatchPlan
from desktop.domain import ActionKind
from desktop.i18n import _, ngettext
from desktop.net.budget import RateLimit, describe_duration


def seconds_at(requests: int, limit: RateLimit) -> float:
    """How long ``requests`` take at ``limit`` from an empty window: a window per share after the first."""
    if requests <= 0:
        return 0.0
    return (math.ceil(requests / limit.planned) - 1) * limit.window


def cost_parts(read_requests: int, plans: Sequence[BatchPlan]) -> list[str]:
    """Each purpose's requests in words ("2 reads of the source", "1 grant"), those of none left out."""
    parts: list[str] = []
    if read_requests:
        parts.append(
            ngettext("{n:,} read of the source", "{n:,} reads of the source", read_requests).format(
                n=read_requests
            )
        )
    for plan in plans:
        cost = plan.chosen
        if cost.grants:
            parts.append(_changes(plan.kind, cost.grants, plan.batch_cap))
        if cost.uploads:
            parts.append(ngettext("{n:,} upload", "{n:,} uploads", cost.uploads).format(n=cost.uploads))
        if cost.reads:
            parts.append(
                ngettext("{n:,} read of the holders", "{n:,} reads of the holders", cost.reads).format(
                    n=cost.reads
                )
            )
        if cost.messages:
            parts.append(
                ngettext("{n:,} award message", "{n:,} award messages", cost.messages).format(n=cost.messages)
            )
    return parts


def _changes(kind: ActionKind, n: int, cap: int) -> str:
    if kind is ActionKind.AWARD:
        if cap > 1:
            return ngettext("{n:,} grant request", "{n:,} grant requests", n).format(n=n)
        return ngettext("{n:,} grant", "{n:,} grants", n).format(n=n)
    if cap > 1:
        return ngettext("{n:,} revoke request", "{n:,} revoke requests", n).format(n=n)
    return ngettext("{n:,} revoke", "{n:,} revokes", n).format(n=n)


def describe_cost(read_requests: int, plans: Sequence[BatchPlan], limit: RateLimit | None) -> list[str]:
    """The run's cost for the dry run: one sentence combining the source's reads and the sends.

    ``read_requests``: what reading the source took; ``plans``: the sends'
    (:func:`~desktop.programs.dry_run.send_plans`, their chosen paths); ``limit``:
    the server's rate limit (``RateBudget.limit``; None: not known, the time is left out).
    """
    parts = cost_parts(read_requests, plans)
    total = read_requests + sum(plan.chosen.requests for plan in plans)
    if total == 0:
        return [_("This run sends the server no request.")]
    counted = ngettext("{n:,} request", "{n:,} requests", total).format(n=total)
    # An addition of counts, not a sentence glued from fragments.
    requests = _("{parts} = {requests}").format(parts=" + ".join(parts), requests=counted)
    if limit is None:
        return [_("This run: {requests}.").format(requests=requests)]
    at = _("{duration} at {rate}").format(
        duration=describe_duration(seconds_at(total, limit)), rate=limit.rate_text
    )
    return [_("This run: {requests}, {time}.").format(requests=requests, time=at)]
