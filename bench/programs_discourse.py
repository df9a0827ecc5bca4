"""Recognition programs on the Discourse dialect: a topic's posters and a tenure source, in requests and time.

    ./dev bench programs_discourse [--members 50000] [--rate 6000] [--quick]

Starts ``badgedesk sandbox --dialect discourse`` (``--members`` members who joined
over the last twelve years; its activity has the "great outage" topic, 300+
posters where that many members were around) with its admin limit raised to
``--rate`` a minute so the run takes seconds, tells the client the same rate,
and measures over real loopback HTTP, as the app and ``badgedesk program run``
read them (``desktop.programs.reading.read_source``):

- the first sync of the whole community (members, badges, holders): what a
  tenure program needs in the cache, timed apart;
- a one-off "everyone in the outage topic" program (``topic``): finding the
  topic by its title, then reading every poster (``/t/{id}.json?print=true``,
  1,000 posts a page);
- a monthly Ten Year Club (``tenure``: 10 years, seen within 90 days) for the
  current month: read from the cache, no request.

For each: the requests that reached the forum (counted by a transport around
real HTTP, 429s included), the wall time, the floor (requests ÷ the rate: no
client finishes sooner) at the run's rate and at Discourse's default 60 a
minute, and what sending the found candidates' awards costs (``send_plans``,
at 60 a minute: a program's awards go one by one, each with its own reason).
``--quick`` runs it on 2,000 members (the smoke test's size). Figures are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from discourse import CountingTransport, admin_endpoint
from machine import describe

from desktop.cache.database import Cache
from desktop.community import Community
from desktop.dialects.activity import ActivityReader
from desktop.dialects.capabilities import Capabilities
from desktop.domain import BadgeState
from desktop.net.budget import DISCOURSE_ADMIN_API, RateBudget
from desktop.programs.dry_run import ProgramDryRun, program_dry_run, send_plans
from desktop.programs.model import Program, ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, Period, containing, one_off
from desktop.programs.reading import SourceRead, read_source
from desktop.programs.store import ProgramStore
from desktop.sandbox.process import SandboxProcess

#: Discourse's default admin limit: the floor a real forum sets.
FORUM_RATE = 60
QUICK_MEMBERS = 2_000


@dataclass(frozen=True, slots=True)
class Step:
    """One measured piece of work."""

    what: str
    seconds: float
    requests: int
    throttled: int


def floor_line(step: Step, rate: int) -> str:
    """The step's figures against the rate floor, at the run's rate and at the forum's default."""
    floor = step.requests / (rate / 60.0)
    ratio = f"{step.seconds / floor:5.2f}× floor" if floor else "no request"
    forum = step.requests / (FORUM_RATE / 60.0)
    at_forum = f"{forum:.0f} s" if forum < 120 else f"{forum / 60:.1f} min"
    return (
        f"{step.what:<32} {step.seconds:8.3f} s wall  {step.requests:6,} requests"
        f"  floor {floor:7.3f} s at {rate:,}/min ({ratio})  {step.throttled} × 429"
        f"  floor at {FORUM_RATE}/min: {at_forum}"
    )


def _badge(community: Community) -> int:
    badge = next((b for b in community.cache.badges() if b.state is BadgeState.PUBLISHED), None)
    if badge is None:
        raise SystemExit("the community has no published badge")
    return badge.id


def _cost(plan: ProgramDryRun, capabilities: Capabilities, host: str) -> list[str]:
    """The awards' cost at the forum's default limit, from an idle budget (no other work waiting)."""
    forum = RateBudget(host, DISCOURSE_ADMIN_API)
    lines = []
    for batch in send_plans(plan, capabilities, forum):
        chosen = batch.chosen
        eta = chosen.eta.text if chosen.eta is not None else "no known limit"
        lines.append(f"    send: {batch.members:,} awards, {chosen.requests:,} requests, {eta}")
        lines += [f"      {line}" for line in batch.lines()]
    return lines


def _read(
    store: ProgramStore,
    program: Program,
    period: Period,
    reader: ActivityReader | None,
    transport: CountingTransport,
    now: datetime,
) -> tuple[SourceRead, Step]:
    transport.take()
    started = time.perf_counter()
    read = read_source(store, program, period, server=reader, now=now, tz=UTC)
    seconds = time.perf_counter() - started
    requests, throttled = transport.take()
    return read, Step(f"{program.name} ({program.spec.source.kind})", seconds, requests, throttled)


def _report(
    community: Community,
    program: Program,
    period: Period,
    read: SourceRead,
    step: Step,
    rate: int,
    now: datetime,
) -> None:
    capabilities = community.capabilities()
    assert capabilities is not None
    plan = program_dry_run(
        community.cache, program, period, read.result, now=now, tz=UTC, link_reasons=capabilities.link_reasons
    )
    counts = plan.counts()
    print(floor_line(step, rate))
    print(
        f"    {len(read.result.candidates):,} candidates, {len(plan.to_award):,} to award"
        f" ({', '.join(f'{k} {v:,}' for k, v in sorted(counts.items()) if v)})"
        + (f", {len(read.result.upcoming):,} in the next 30 days" if read.result.upcoming else "")
    )
    host = httpx.URL(community.profile).host
    for line in _cost(plan, capabilities, host):
        print(line)


def run(members: int, rate: int) -> None:
    print(describe())
    print(f"sandbox --dialect discourse, {members:,} members, admin limit {rate:,} requests/min")
    with tempfile.TemporaryDirectory(prefix="bench-programs-discourse-") as folder:
        root = Path(folder)
        started = time.perf_counter()
        with SandboxProcess(
            data_dir=root / "forum", members=members, seed=7, dialect="discourse", rate=rate
        ) as forum:
            print(f"sandbox seeded and started in {time.perf_counter() - started:.1f} s")
            endpoint = admin_endpoint(forum, rate)
            transport = CountingTransport()
            community = Community(forum.url, endpoint, Cache(root / "profile"), transport=transport)
            try:
                wall = time.perf_counter()
                community.sync()
                wall = time.perf_counter() - wall
                requests, throttled = transport.take()
                counts = community.cache.counts()
                print(
                    f"first sync: {counts.members:,} members, {counts.badges} badges,"
                    f" {counts.awards:,} awards"
                )
                print(floor_line(Step("first sync", wall, requests, throttled), rate))

                now = datetime.now(UTC)
                store = ProgramStore(community.cache)
                badge = _badge(community)
                with contextlib.closing(community.connector()) as session:
                    assert isinstance(session, ActivityReader)
                    transport.take()
                    wall = time.perf_counter()
                    found = [t for t in session.find_topics("outage") if "outage" in t.title.casefold()]
                    wall = time.perf_counter() - wall
                    requests, throttled = transport.take()
                    if not found:
                        raise SystemExit("the sandbox has no outage topic")
                    topic = found[0]
                    print(f"outage topic {topic.topic_id}: “{topic.title}”, {topic.posts_count:,} posts")
                    print(floor_line(Step("finding the topic by title", wall, requests, throttled), rate))
                    outage = store.create(
                        ProgramSpec(
                            "Survived the outage",
                            SourceSpec("topic", {"topic_id": topic.topic_id, "min_posts": 1}),
                            badge,
                            Cadence.ONE_OFF,
                        )
                    )
                    period = one_off()
                    read, step = _read(store, outage, period, session, transport, now)
                    _report(community, outage, period, read, step, rate, now)

                tenure = store.create(
                    ProgramSpec(
                        "Ten Year Club",
                        SourceSpec("tenure", {"years": 10, "seen_within_days": 90}),
                        badge,
                        Cadence.MONTHLY,
                    )
                )
                month = containing(Cadence.MONTHLY, now.date())
                read, step = _read(store, tenure, month, None, transport, now)
                _report(community, tenure, month, read, step, rate, now)
            finally:
                community.close()
                transport.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--rate", type=int, default=6_000, help="the forum's admin requests a minute")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_MEMBERS:,} members: a smoke run")
    args = parser.parse_args()
    run(QUICK_MEMBERS if args.quick else args.members, args.rate)


if __name__ == "__main__":
    main()
