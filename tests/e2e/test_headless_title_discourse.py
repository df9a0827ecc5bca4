"""``badgedesk program run`` of a title against the sandbox speaking Discourse: a quarterly top-1
leaderboard hands a one-holder badge over headless, the former holder keeps the alumni badge."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import paths
from desktop.cache.database import Cache
from desktop.dialects.activity import Measure
from desktop.domain import BadgeState
from desktop.programs.model import ProgramSpec
from desktop.programs.periods import Cadence
from desktop.programs.sources.activity_specs import spec_of
from desktop.programs.sources.leaderboard import LeaderboardSource
from desktop.programs.store import ProgramStore
from desktop.programs.titles import OneHolderBadges
from desktop.sandbox.discourse.data.schema import discourse_badge_id
from desktop.sandbox.process import SandboxProcess
from tests.e2e.server_witness import active_holders, server_db
from tests.e2e.test_headless_every_kind import MEMBERS, RATE, Server, _run, _sync
from tests.e2e.test_headless_title import _quarter


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Server]:
    process = SandboxProcess(
        data_dir=tmp_path / "discourse", members=MEMBERS, seed=7, dialect="discourse", rate=RATE
    )
    with process:
        yield Server("discourse", process)


@pytest.fixture()
def token(server: Server, tmp_path: Path) -> Path:
    path = tmp_path / "token"
    path.write_text(server.process.tokens[server.who] + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def _create(server: Server, name: str, badge_id: int) -> None:
    cache = Cache(paths.profile_dir(server.process.url))
    try:
        source = spec_of(LeaderboardSource(Measure.LIKES_RECEIVED, 1))
        ProgramStore(cache).create(ProgramSpec(name, source, badge_id, Cadence.QUARTERLY))
    finally:
        cache.close()


def test_a_title_program_hands_the_title_over_on_discourse(server: Server, token: Path) -> None:
    _sync(server)
    quarter = _quarter(server.process)
    cache = Cache(paths.profile_dir(server.process.url))
    try:
        published = {b.id for b in cache.badges() if b.state is BadgeState.PUBLISHED and b.id > 0}
    finally:
        cache.close()
    # Who wins the quarter (the badge does not change it).
    _create(server, "Probe", min(published))
    dry = _run(server, token, "Probe", "--period", quarter, "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    [winner] = [r["member_id"] for r in json.loads(dry.stdout)["rows"] if r["standing"] == "to_award"]
    # A title held by one member who is not the winner; an alumni badge the holder lacks.
    with server_db(server.process) as db:
        held: dict[int, set[int]] = {}
        for badge, member in db.execute("SELECT badge_id, member_id FROM awards WHERE revoked_at IS NULL"):
            held.setdefault(discourse_badge_id(int(badge)), set()).add(int(member))
    title = min(b for b in published if len(held.get(b, set())) == 1 and winner not in held[b])
    [holder] = held[title]
    alumni = min(b for b in published if b != title and holder not in held.get(b, set()))
    cache = Cache(paths.profile_dir(server.process.url))
    try:
        OneHolderBadges(cache).mark(title, alumni)
    finally:
        cache.close()
    _create(server, "Hero of the Quarter", title)

    done = _run(server, token, "Hero of the Quarter", "--period", quarter, "--yes", "--json")
    assert done.returncode == 0, done.stderr
    handover = json.loads(done.stdout)["handover"]
    assert (handover["member_id"], handover["previous_id"], handover["state"]) == (winner, holder, "done")
    assert "Handed over from @" in done.stderr
    stored = title - discourse_badge_id(0)
    assert active_holders(server.process, stored) == {winner}
    assert holder in active_holders(server.process, alumni - discourse_badge_id(0))
