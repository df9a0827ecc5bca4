"""``badgedesk program run`` for every source kind, on BadgeDesk's own server (v1) and on the sandbox
speaking Discourse, over loopback: a weekly likes leaderboard, the month's most liked post, everyone
in the outage topic (all of its 300+ posters, not the 24 a topic's page names), the posters of a
week, tenure and a list. Each runs from a subprocess as a schedule would, is awarded once, and a
second run for the same period finds nothing new; on Discourse a reason is the link that earned
it. The expected members are computed from the sandbox's own activity tables, behind the API.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from desktop import paths
from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.domain import BadgeState, utc_now
from desktop.outbox import Outbox
from desktop.programs.model import ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, from_key
from desktop.programs.sources.tenure import TenureSource
from desktop.programs.store import ProgramStore
from desktop.sandbox.discourse.data.schema import store_badge_id
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.server import DATABASE_NAME
from tests.e2e import server_witness
from tests.e2e.discourse_admin import admin_client

ROOT = Path(__file__).resolve().parents[2]
#: The forum's admin API limit, raised so the runs take seconds (the runs are told with
#: --requests-per-minute, as an admin who raised it would).
RATE = 6000
MEMBERS = 1500
WEEK = "2026-W48"
MONTH = "2026-11"


@dataclass(frozen=True)
class Server:
    kind: str
    process: SandboxProcess

    @property
    def discourse(self) -> bool:
        return self.kind == "discourse"

    @property
    def who(self) -> str:
        return "admin" if self.discourse else "moderator"

    def endpoint(self) -> Endpoint:
        if not self.discourse:
            return Endpoint(self.process.url, self.process.tokens[self.who])
        return Endpoint(
            self.process.url,
            self.process.tokens[self.who],
            kind="discourse",
            username=self.process.usernames[self.who],
            requests_per_minute=RATE,
        )

    def stored(self, badge_id: int) -> int:
        """A badge's id in the sandbox's own tables (the Discourse face shows them shifted)."""
        return store_badge_id(badge_id) if self.discourse else badge_id

    def options(self) -> list[str]:
        if not self.discourse:
            return []
        username = self.process.usernames[self.who]
        return ["--server-kind", "discourse", "--username", username, "--requests-per-minute", str(RATE)]


@pytest.fixture(scope="module", params=["v1", "discourse"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    kind = str(request.param)
    extra: dict[str, Any] = {"dialect": "discourse", "rate": RATE} if kind == "discourse" else {}
    process = SandboxProcess(data_dir=tmp_path_factory.mktemp(kind), members=MEMBERS, seed=7, **extra)
    with process:
        yield Server(kind, process)


@pytest.fixture()
def token(server: Server, tmp_path: Path) -> Path:
    path = tmp_path / "token"
    path.write_text(server.process.tokens[server.who] + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def _sync(server: Server) -> None:
    """The profile as the app leaves it: synced."""
    community = Community(server.process.url, server.endpoint())
    try:
        community.sync()
    finally:
        community.close()


#: Badges a test of this module took already, per server (the server outlives a test).
_TAKEN: dict[str, set[int]] = {}


def _badge(server: Server, avoid: Iterable[int] = ()) -> int:
    """A published badge no earlier test took and none of ``avoid`` holds, the least held first."""
    taken = _TAKEN.setdefault(server.kind, set())
    avoid = set(avoid)
    cache = Cache(paths.profile_dir(server.process.url))
    try:
        # Ids below 1 are Discourse's own system badges, granted by the forum only.
        badges = [b.id for b in cache.badges() if b.state is BadgeState.PUBLISHED and b.id > 0]
    finally:
        cache.close()
    with server_witness.server_db(server.process) as db:
        holders: dict[int, set[int]] = {}
        for badge_id, member_id in db.execute(
            "SELECT badge_id, member_id FROM awards WHERE revoked_at IS NULL"
        ):
            holders.setdefault(int(badge_id), set()).add(int(member_id))
    held = {b: holders.get(server.stored(b), set()) for b in badges}
    free = [b for b in badges if b not in taken and not held[b] & avoid]
    chosen = min(free, key=lambda b: (len(held[b]), b))
    taken.add(chosen)
    return chosen


def _program(server: Server, name: str, source: SourceSpec, badge_id: int, cadence: Cadence) -> None:
    cache = Cache(paths.profile_dir(server.process.url))
    try:
        ProgramStore(cache).create(ProgramSpec(name, source, badge_id, cadence, message="Well done"))
    finally:
        cache.close()


def _run(server: Server, token: Path, name: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["TZ"] = "UTC"  # the periods' bounds in the calendar the expectations use
    env.pop("CREDENTIALS_DIRECTORY", None)
    argv = [sys.executable, "-m", "ui.app", "program", "run", name, "--server", server.process.url]
    argv += ["--token-file", str(token), *server.options(), *extra]
    return subprocess.run(
        argv, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300, env=env, cwd=ROOT
    )


def _json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    outcome: dict[str, Any] = json.loads(result.stdout)
    return outcome


def _standing(outcome: dict[str, Any], standing: str) -> list[int]:
    return [row["member_id"] for row in outcome["rows"] if row["standing"] == standing]


def _bounds(key: str, cadence: Cadence) -> tuple[int, int]:
    starts, ends = from_key(cadence, key).bounds(UTC)
    return int(starts.timestamp()), int(ends.timestamp())


def _rows(server: Server, badge_id: int, members: Sequence[int]) -> dict[int, int]:
    return {
        m: n
        for m, n in server_witness.award_rows(server.process, server.stored(badge_id)).items()
        if m in members
    }


def _reasons(server: Server, badge_id: int) -> dict[int, str]:
    with server_witness.server_db(server.process) as db:
        found = db.execute(
            "SELECT member_id, reason FROM awards WHERE badge_id = ?", (server.stored(badge_id),)
        )
        return {int(m): str(r) for m, r in found}


def _once_then_nothing_new(
    server: Server, token: Path, name: str, badge_id: int, *extra: str
) -> dict[str, Any]:
    """Run for real, then again for the same period: the awards reach the server once."""
    outcome = _json(_run(server, token, name, "--yes", "--json", *extra))
    awarded = _standing(outcome, "to_award")
    assert awarded and outcome["queued"] == awarded
    assert {r["state"] for r in outcome["results"]} == {"done"}
    assert _rows(server, badge_id, awarded) == dict.fromkeys(awarded, 1)
    again = _run(server, token, name, "--yes", *extra)
    assert again.returncode == 0, again.stderr
    assert "0 members to award." in again.stdout
    assert f"Nothing new to award for {outcome['period']}." in again.stderr
    assert (
        set(_standing(_json(_run(server, token, name, "--dry-run", "--json", *extra)), "to_award")) == set()
    )
    assert _rows(server, badge_id, awarded) == dict.fromkeys(awarded, 1)
    return outcome


def _cost(outcome: dict[str, Any]) -> str:
    """The one sentence of the run's cost: the source's reads, then the sends."""
    [sentence] = [str(line) for line in outcome["cost"] if str(line).startswith("This run: ")]
    reads = outcome["read_requests"]
    assert reads >= 1
    assert sentence.startswith(f"This run: {reads} read{'s' if reads > 1 else ''} of the source + ")
    return sentence


def _weekly_likes(server: Server) -> list[tuple[int, int]]:
    """(member id, likes received) best first, as the server ranks the week."""
    if server.discourse:
        # Discourse ranks rolling periods only: its weekly directory as of its last refresh.
        with admin_client(server.process) as client:
            answer = client.get(
                "/directory_items.json", params={"period": "weekly", "order": "likes_received"}
            )
        me = server.process.usernames["admin"]
        items = answer.json()["directory_items"]
        return [(i["user"]["id"], i["likes_received"]) for i in items if i["user"]["username"] != me]
    starts, ends = _bounds(WEEK, Cadence.WEEKLY)
    with server_witness.server_db(server.process) as db:
        found = db.execute(
            "SELECT p.member_id, COUNT(*) AS n FROM activity_likes l"
            " JOIN activity_posts p ON p.id = l.post_id JOIN members m ON m.id = p.member_id"
            " WHERE l.created_at >= ? AND l.created_at < ? AND m.status != 'deleted'"
            " GROUP BY p.member_id ORDER BY n DESC, p.member_id",
            (starts, ends),
        )
        return [(int(m), int(n)) for m, n in found]


def test_a_weekly_likes_leaderboard(server: Server, token: Path) -> None:
    _sync(server)
    ranked = _weekly_likes(server)
    values = [n for _m, n in ranked]
    # The fewest places whose last one no one else shares; the first places that are shared.
    places = next(k for k in range(1, len(values)) if values[k - 1] != values[k])
    tied = next((k for k in range(1, len(values)) if values[k - 1] == values[k]), None)
    winners = [m for m, _n in ranked[:places]]
    badge = _badge(server, winners)
    source = SourceSpec("leaderboard", {"measure": "likes_received", "top": places})
    _program(server, "Top of the week", source, badge, Cadence.WEEKLY)

    dry = _run(server, token, "Top of the week", "--period", WEEK, "--dry-run", "--json")
    plan = _json(dry)
    # The ranking is read deeper than its places (the dry run cuts after its conditions).
    placed = [row for row in plan["rows"] if row["standing"] != "below_cut"]
    assert [row["member_id"] for row in placed] == winners
    # The reasons name the window ranked: the week asked (v1), Discourse's own rolling week.
    window = r"the 7 days to \d{4}-\d{2}-\d{2}" if server.discourse else re.escape(WEEK)
    assert len(placed) == places
    for row, (_m, n) in zip(placed, ranked[:places], strict=True):
        assert re.fullmatch(rf"{n} likes? received in {window}", row["why"]), row["why"]
    if server.discourse:
        assert "Ranking as of " in dry.stderr
        assert all(row["reason"] == row["why"] for row in placed)  # no link: the forum keeps none
    sentence = _cost(plan)
    rate = "under a minute at 6,000 requests/min." if server.discourse else "requests."
    assert sentence.endswith(rate), sentence

    outcome = _once_then_nothing_new(server, token, "Top of the week", badge, "--period", WEEK)
    assert outcome["queued"] == winners

    if tied is not None:
        # A tie across the last place is for a moderator: a schedule awards none of them.
        shared = values[tied - 1]
        sharing = {m for m, n in ranked if n == shared}
        _program(
            server,
            "Tied",
            SourceSpec("leaderboard", {"measure": "likes_received", "top": tied}),
            _badge(server, sharing),
            Cadence.WEEKLY,
        )
        result = _run(server, token, "Tied", "--period", WEEK, "--yes", "--json")
        ties = _json(result)
        left = set(_standing(ties, "tie"))
        assert left and left <= sharing
        assert left.isdisjoint(ties["queued"])
        assert "left for a moderator to decide in the app" in result.stderr


def test_the_most_liked_post_of_a_month(server: Server, token: Path) -> None:
    _sync(server)
    starts, ends = _bounds(MONTH, Cadence.MONTHLY)
    with server_witness.server_db(server.process) as db:
        member, likes, topic, number = db.execute(
            "SELECT p.member_id, p.like_count, p.topic_id, p.post_number FROM activity_posts p"
            " JOIN members m ON m.id = p.member_id"
            " WHERE p.created_at >= ? AND p.created_at < ? AND m.status != 'deleted'"
            " ORDER BY p.like_count DESC, p.id LIMIT 1",
            (starts, ends),
        ).fetchone()
    badge = _badge(server, [member])
    _program(server, "Post of the month", SourceSpec("liked-posts", {"top": 1}), badge, Cadence.MONTHLY)

    outcome = _once_then_nothing_new(server, token, "Post of the month", badge, "--period", MONTH)
    [row] = outcome["rows"]
    assert row["member_id"] == member
    assert row["why"].startswith(f"most liked post of {MONTH}: {likes} likes, in “")
    reason = _reasons(server, badge)[member]
    if server.discourse:
        # The forum keeps only a link as a grant's reason: the post that earned it.
        assert reason == row["reason"] and reason.startswith(server.process.url + "/t/")
        assert reason.endswith(f"/{topic + 1_000_000}/{number}")
    else:
        assert reason == f"{row['why']}: {server.process.url}/t/{topic}/{number}"


def _outage(server: Server) -> tuple[int, dict[int, int]]:
    """The outage topic's id on the server and each poster's posts (deleted members aside)."""
    with server_witness.server_db(server.process) as db:
        [topic] = db.execute("SELECT id FROM activity_topics WHERE kind = 'outage'").fetchone()
        posts = db.execute(
            "SELECT p.member_id, COUNT(*) FROM activity_posts p JOIN members m ON m.id = p.member_id"
            " WHERE p.topic_id = ? AND m.status != 'deleted' GROUP BY p.member_id",
            (topic,),
        )
        counted = {int(m): int(n) for m, n in posts}
    return (topic + 1_000_000 if server.discourse else topic), counted


def test_everyone_who_posted_in_the_outage_topic(server: Server, token: Path) -> None:
    _sync(server)
    topic, posters = _outage(server)
    assert len(posters) > 300
    everyone = _badge(server)
    _program(
        server, "Survived the outage", SourceSpec("topic", {"topic_id": topic}), everyone, Cadence.ONE_OFF
    )
    plan = _json(_run(server, token, "Survived the outage", "--dry-run", "--json"))
    # All of them, not the 24 a topic's page names; each with the posts counted.
    assert {row["member_id"] for row in plan["rows"]} == set(posters)
    assert all(row["why"].startswith(f"{posters[row['member_id']]} post") for row in plan["rows"])
    if server.discourse:
        assert {row["reason"] for row in plan["rows"]} == {
            f"{server.process.url}/t/the-great-outage-of-9-february/{topic}"
        }
    _cost(plan)

    # A least number of posts is a condition (and keeps the real run short on the forum).
    regulars = _badge(server, [m for m, n in posters.items() if n >= 4])
    source = SourceSpec("topic", {"topic_id": topic, "min_posts": 4})
    _program(server, "Outage regulars", source, regulars, Cadence.ONE_OFF)
    outcome = _once_then_nothing_new(server, token, "Outage regulars", regulars)
    assert {row["member_id"] for row in outcome["rows"]} == {m for m, n in posters.items() if n >= 4}
    if server.discourse:
        reasons = _reasons(server, regulars)
        assert {reasons[m] for m in outcome["queued"]} == {outcome["rows"][0]["reason"]}


def test_the_posters_of_a_week(server: Server, token: Path) -> None:
    _sync(server)
    starts, ends = _bounds(WEEK, Cadence.WEEKLY)
    with server_witness.server_db(server.process) as db:
        found = db.execute(
            "SELECT p.member_id, COUNT(*) FROM activity_posts p JOIN members m ON m.id = p.member_id"
            " WHERE p.created_at >= ? AND p.created_at < ? AND m.status != 'deleted'"
            " GROUP BY p.member_id HAVING COUNT(*) >= 3",
            (starts, ends),
        )
        expected = {int(m): int(n) for m, n in found}
    assert expected
    badge = _badge(server, expected)
    _program(server, "Busy week", SourceSpec("posters", {"min_posts": 3}), badge, Cadence.WEEKLY)
    outcome = _once_then_nothing_new(server, token, "Busy week", badge, "--period", WEEK)
    assert {row["member_id"]: row["why"] for row in outcome["rows"]} == {
        m: f"{n} posts in {WEEK}" for m, n in expected.items()
    }


def test_tenure_and_a_list(server: Server, token: Path, tmp_path: Path) -> None:
    _sync(server)
    cache = Cache(paths.profile_dir(server.process.url))
    try:
        period = from_key(Cadence.MONTHLY, MONTH)
        assert period.first is not None and period.last is not None
        tenure = TenureSource(1).read(cache, period.first, period.last, now=utc_now(), tz=UTC)
        members = [m for m in cache.members_by_ids(list(range(1, 60))).values() if m.username][:5]
    finally:
        cache.close()
    assert tenure.candidates
    tenure_badge = _badge(server, [c.member_id for c in tenure.candidates])
    list_badge = _badge(server, [m.id for m in members])
    _program(server, "One Year Club", SourceSpec("tenure", {"years": 1}), tenure_badge, Cadence.MONTHLY)
    outcome = _once_then_nothing_new(server, token, "One Year Club", tenure_badge, "--period", MONTH)
    assert [row["member_id"] for row in outcome["rows"]] == [c.member_id for c in tenure.candidates]

    listing = tmp_path / "lms" / "passed.csv"
    listing.parent.mkdir()
    listing.write_text("username\n" + "".join(f"{m.username}\n" for m in members), encoding="utf-8")
    _program(
        server, "Certified Admin", SourceSpec("list", {"path": str(listing)}), list_badge, Cadence.MONTHLY
    )
    listed = _once_then_nothing_new(server, token, "Certified Admin", list_badge, "--period", MONTH)
    assert [row["member_id"] for row in listed["rows"]] == [m.id for m in members]
    # A list is read from its file: no request for the source.
    assert listed["read_requests"] == 0


@pytest.mark.parametrize("kind", ["v1", "discourse"])
def test_a_server_out_of_reach_while_reading_the_source(kind: str, tmp_path: Path) -> None:
    """The profile was synced; the server is gone when the schedule runs: exit 3, nothing queued."""
    extra: dict[str, Any] = {"dialect": "discourse", "rate": RATE} if kind == "discourse" else {}
    process = SandboxProcess(data_dir=tmp_path / "gone", members=300, seed=3, **extra)
    with process:
        gone = Server(kind, process)
        _sync(gone)
        key = tmp_path / "key"
        key.write_text(process.tokens[gone.who], encoding="utf-8")
        key.chmod(0o600)
        _program(
            gone, "Post of the week", SourceSpec("liked-posts", {"top": 1}), _badge(gone), Cadence.WEEKLY
        )
    result = _run(gone, key, "Post of the week", "--period", WEEK, "--yes")
    assert result.returncode == 3, result.stderr
    assert "using the cache as last synced" in result.stderr
    assert "to read the program's source" in result.stderr
    cache = Cache(paths.profile_dir(process.url))
    try:
        assert Outbox(cache).pending_count() == 0
    finally:
        cache.close()


def test_some_failed_writes_the_results_in_the_profile_folder(
    sandbox: SandboxProcess, tmp_path: Path
) -> None:
    """An activity source has no file to write beside: the results go to the profile's folder; exit 1."""
    server = Server("v1", sandbox)
    _sync(server)
    starts, ends = _bounds(WEEK, Cadence.WEEKLY)
    with server_witness.server_db(sandbox) as db:
        found = db.execute(
            "SELECT p.member_id FROM activity_posts p JOIN members m ON m.id = p.member_id"
            " WHERE p.created_at >= ? AND p.created_at < ? AND m.status = 'active'"
            " GROUP BY p.member_id HAVING COUNT(*) >= 2 ORDER BY p.member_id",
            (starts, ends),
        )
        posters = [int(m) for (m,) in found]
    assert len(posters) >= 2
    badge = _badge(server, posters)
    _program(server, "Busy week", SourceSpec("posters", {"min_posts": 2}), badge, Cadence.WEEKLY)
    # Suspended on the server behind the change feed's back: the cache still says active.
    with sqlite3.connect(sandbox.data_dir / DATABASE_NAME) as db:
        db.execute("UPDATE members SET status = 'suspended' WHERE id = ?", (posters[0],))
    key = tmp_path / "key"
    key.write_text(sandbox.tokens["moderator"], encoding="utf-8")
    key.chmod(0o600)

    result = _run(server, key, "Busy week", "--period", WEEK, "--yes")
    assert result.returncode == 1, result.stderr
    report = paths.profile_dir(sandbox.url) / f"busy-week-{WEEK}-results.csv"
    assert str(report) in result.stderr
    with report.open(encoding="utf-8-sig", newline="") as handle:
        outcomes = {row["member"]: row["outcome"] for row in csv.DictReader(handle)}
    assert len(outcomes) == len(posters)
    assert sum("suspended" in outcome.casefold() for outcome in outcomes.values()) == 1
    assert _rows(server, badge, posters) == dict.fromkeys(posters[1:], 1)
