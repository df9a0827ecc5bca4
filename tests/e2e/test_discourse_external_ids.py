"""A certification program on the sandbox's Discourse face over loopback, its list naming members by
single sign-on id: each id one ``GET /u/by-external/…``, the cost in the dry run's notes, the awards
sent with the run, and the next run asking only for ids it does not remember."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.dialects.external_ids import ExternalIdReader
from desktop.domain import BadgeState, MemberStatus
from desktop.outbox import RetryPolicy
from desktop.programs.dry_run import program_dry_run
from desktop.programs.model import Program, ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, Period, containing
from desktop.programs.reading import SourceRead, read_source
from desktop.programs.runs import queue_run
from desktop.programs.store import ProgramStore
from desktop.sandbox.discourse.data.external_ids import external_id_of
from desktop.sandbox.process import SandboxProcess
from tests.e2e.test_discourse import _holders

RATE = 6000


class CountingTransport(httpx.HTTPTransport):
    """Loopback HTTP that counts the requests it sends, by path."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        return super().handle_request(request)


def _held_by_none(cache: Cache, members: list[int]) -> int:
    """A published custom badge (Discourse's start at 100) none of ``members`` holds."""
    marks = ", ".join("?" * len(members))
    with cache.read() as connection:
        held = {
            int(row[0])
            for row in connection.exec_driver_sql(
                f"SELECT DISTINCT badge_id FROM awards WHERE member_id IN ({marks})", tuple(members)
            )
        }
    return next(
        b.id
        for b in cache.badges()
        if b.state is BadgeState.PUBLISHED and b.id >= 100 and b.id not in held and not b.multiple_grant
    )


def _lookups(transport: CountingTransport) -> list[str]:
    """The lookups sent; besides them, a new session only asks what its key may do."""
    others = [p for p in transport.paths if not p.startswith("/u/by-external/")]
    assert set(others) <= {"/session/scopes.json", "/session/current.json"}, others
    return [p for p in transport.paths if p.startswith("/u/by-external/")]


def _read(community: Community, program: Program, period: Period) -> SourceRead:
    session = community.connector()
    try:
        assert isinstance(session, ExternalIdReader)
        store = ProgramStore(community.cache)
        return read_source(store, program, period, server=session, now=datetime.now(UTC))
    finally:
        session.close()


def test_a_list_of_external_ids_becomes_awards_and_each_id_is_looked_up_once(tmp_path: Path) -> None:
    with SandboxProcess(
        data_dir=tmp_path / "forum", members=300, seed=7, dialect="discourse", rate=RATE
    ) as forum:
        transport = CountingTransport()
        endpoint = Endpoint(
            forum.url,
            forum.tokens["admin"],
            kind="discourse",
            username=forum.usernames["admin"],
            requests_per_minute=RATE,
        )
        community = Community(forum.url, endpoint, Cache(tmp_path / "profile"), transport=transport)
        try:
            community.sync()
            capabilities = community.capabilities()
            assert capabilities is not None and capabilities.external_ids
            cache = community.cache
            members = cache.members_by_ids(list(range(1, 300)))
            active = sorted(m.id for m in members.values() if m.status is MemberStatus.ACTIVE)[:6]
            badge = _held_by_none(cache, active)
            listing = tmp_path / "lms" / "passed.csv"
            listing.parent.mkdir()
            rows = [(external_id_of(i), "2026-11-30") for i in active[:4]] + [("lms-0000000", "2026-11-30")]
            listing.write_text(
                "learner_id,passed\n" + "".join(f"{a},{b}\n" for a, b in rows), encoding="utf-8"
            )
            params = {"path": str(listing), "column": "learner_id", "match": "external_id"}
            program = ProgramStore(cache).create(
                ProgramSpec("Certified", SourceSpec("list", params), badge, Cadence.MONTHLY)
            )
            month = containing(Cadence.MONTHLY, datetime.now(UTC).date())

            transport.paths.clear()
            read = _read(community, program, month)
            lookups = _lookups(transport)
            assert lookups == [f"/u/by-external/{external_id_of(i)}.json" for i in active[:4]] + [
                "/u/by-external/lms-0000000.json"
            ]
            assert [c.member_id for c in read.result.candidates] == active[:4]
            assert [u.why for u in read.result.unmatched] == ["no member has this external id"]
            assert read.result.notes[0] == "5 external ids looked up: 5 requests."

            plan = program_dry_run(
                cache, program, month, read.result, now=datetime.now(UTC), link_reasons=True
            )
            assert set(plan.to_award) == set(active[:4])
            queue_run(community.outbox, plan, kept=read.keep)
            report = community.send_outbox(retry=RetryPolicy(attempts=3, first_delay=0.0))
            assert report.done == 4
            assert set(active[:4]) <= set(_holders(forum, badge))

            # Next month the list has two more learners: only they, and the id nobody has, are asked.
            with listing.open("a", encoding="utf-8") as more:
                more.writelines(f"{external_id_of(i)},2026-12-05\n" for i in active[4:])
            transport.paths.clear()
            stored = ProgramStore(cache).get(program.id)
            assert stored is not None
            again = _read(community, stored, month)
            assert len(_lookups(transport)) == 3
            assert [c.member_id for c in again.result.candidates] == active[4:]
            assert again.result.notes[:2] == (
                "3 external ids looked up: 3 requests.",
                "4 external ids known from earlier reads (no request).",
            )
        finally:
            community.close()
