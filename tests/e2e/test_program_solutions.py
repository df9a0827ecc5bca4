"""A "most solutions" monthly program run headless (``badgedesk program run``) on the sandbox speaking
Discourse with the Solved plugin's directory column on (``--solved``), over loopback: the sync finds
the column (capabilities offer solutions), the dry run ranks the forum's monthly directory by
accepted answers, the winners are awarded once, and a second run for the same month finds nothing
new. The same program on a forum without the column is refused with exit 2 and a sentence, never
ranked by something else. Accepted answers are computed by hand from the sandbox's tables."""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from desktop import paths
from desktop.cache.database import Cache
from desktop.programs.model import SourceSpec
from desktop.programs.periods import Cadence
from desktop.sandbox.process import SandboxProcess
from desktop.sync import stored_capabilities
from tests.e2e import server_witness
from tests.e2e.discourse_admin import admin_client
from tests.e2e.test_headless_every_kind import (
    MEMBERS,
    MONTH,
    RATE,
    Server,
    _badge,
    _json,
    _once_then_nothing_new,
    _program,
    _run,
    _standing,
    _sync,
)


def _forum(data_dir: Path, *extra: str, members: int = MEMBERS) -> SandboxProcess:
    return SandboxProcess(
        data_dir=data_dir, members=members, seed=7, dialect="discourse", rate=RATE, extra_args=list(extra)
    )


@pytest.fixture()
def solved(tmp_path: Path) -> Iterator[Server]:
    with _forum(tmp_path / "solved", "--solved") as process:
        yield Server("discourse", process)


@pytest.fixture()
def token(tmp_path: Path) -> Iterator[Any]:
    def write(server: Server) -> Path:
        path = tmp_path / f"token-{server.process.url.rsplit(':', 1)[-1]}"
        path.write_text(server.process.tokens[server.who] + "\n", encoding="utf-8")
        path.chmod(0o600)
        return path

    yield write


def _month_before(moment: datetime) -> datetime:
    index = moment.year * 12 + moment.month - 2
    year, month = divmod(index, 12)
    return moment.replace(
        year=year, month=month + 1, day=min(moment.day, calendar.monthrange(year, month + 1)[1])
    )


def _accepted(server: Server, starts: int, ends: int) -> Counter[int]:
    """Accepted answers written in the window, by member: in a solved question (a topic, not the
    outage one, whose id * 2654435761 % 1000 is below 450), the most liked reply by another
    member, the earliest of those tied."""
    with server_witness.server_db(server.process) as db:
        topics = {
            int(t): int(a)
            for t, a, kind in db.execute("SELECT id, member_id, kind FROM activity_topics")
            if kind != "outage" and int(t) * 2654435761 % 1000 < 450
        }
        best: dict[int, tuple[int, int, int, int]] = {}
        for topic, number, member, at, likes in db.execute(
            "SELECT topic_id, post_number, member_id, created_at, like_count FROM activity_posts"
        ):
            if topic not in topics or number == 1 or member == topics[topic]:
                continue
            held = best.get(topic)
            if held is None or (likes, -number) > (held[0], -held[1]):
                best[topic] = (likes, number, member, at)
        live = {int(m) for (m,) in db.execute("SELECT id FROM members WHERE status != 'deleted'")}
    return Counter(m for _l, _n, m, at in best.values() if starts <= at < ends and m in live)


def _monthly_solutions(server: Server) -> list[tuple[int, int]]:
    """(member id, solutions) best first, as the forum's monthly directory ranks them, checked
    against the accepted answers counted by hand in the window it ranked."""
    with admin_client(server.process) as client:
        answer = client.get(
            "/directory_items.json", params={"period": "monthly", "order": "solutions"}
        ).json()
    me = server.process.usernames["admin"]
    ranked = [
        (i["user"]["id"], i["solutions"]) for i in answer["directory_items"] if i["user"]["username"] != me
    ]
    refreshed = datetime.fromisoformat(answer["meta"]["last_updated_at"].replace("Z", "+00:00"))
    by_hand = _accepted(server, int(_month_before(refreshed).timestamp()), int(refreshed.timestamp()))
    assert [(m, n) for m, n in ranked if n] == sorted(by_hand.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked


def test_a_most_solutions_monthly_program_runs_headless_where_the_forum_counts_them(
    solved: Server, token: Any
) -> None:
    _sync(solved)
    cache = Cache(paths.profile_dir(solved.process.url))
    try:
        capabilities = stored_capabilities(cache.sync_state())
    finally:
        cache.close()
    assert capabilities is not None and "solutions" in capabilities.activity_measures

    ranked = _monthly_solutions(solved)
    values = [n for _m, n in ranked]
    assert len([n for n in values if n]) >= 2, ranked[:5]  # someone to rank
    places = next(k for k in range(1, len(values)) if values[k - 1] != values[k])
    winners = [m for m, _n in ranked[:places]]
    badge = _badge(solved, winners)
    source = SourceSpec("leaderboard", {"measure": "solutions", "top": places})
    _program(solved, "Most solutions", source, badge, Cadence.MONTHLY)

    path = token(solved)
    plan = _json(_run(solved, path, "Most solutions", "--period", MONTH, "--dry-run", "--json"))
    placed = [row for row in plan["rows"] if row["standing"] != "below_cut"]
    assert [row["member_id"] for row in placed] == winners
    # The reasons name the window the forum ranked: its own rolling month.
    assert len(placed) == places
    for row, (_m, n) in zip(placed, ranked[:places], strict=True):
        assert re.fullmatch(
            rf"{n} solutions? accepted in the \d+ days to \d{{4}}-\d{{2}}-\d{{2}}", row["why"]
        )
    outcome = _once_then_nothing_new(solved, path, "Most solutions", badge, "--period", MONTH)
    assert outcome["queued"] == winners and _standing(outcome, "to_award") == winners


def test_on_a_forum_without_the_column_the_program_is_refused(tmp_path: Path, token: Any) -> None:
    with _forum(tmp_path / "plain", members=300) as process:
        plain = Server("discourse", process)
        _sync(plain)
        cache = Cache(paths.profile_dir(process.url))
        try:
            capabilities = stored_capabilities(cache.sync_state())
        finally:
            cache.close()
        assert capabilities is not None and "solutions" not in capabilities.activity_measures
        source = SourceSpec("leaderboard", {"measure": "solutions", "top": 1})
        _program(plain, "Most solutions", source, _badge(plain), Cadence.MONTHLY)
        with server_witness.server_db(process) as db:
            before = db.execute("SELECT COUNT(*) FROM awards").fetchone()[0]
        result = _run(plain, token(plain), "Most solutions", "--period", MONTH, "--yes", "--json")
        assert result.returncode == 2, result.stdout + result.stderr
        assert (
            "This forum does not count solutions (the Solved plugin's directory column is off)."
            in result.stderr
        )
        with server_witness.server_db(process) as db:
            assert db.execute("SELECT COUNT(*) FROM awards").fetchone()[0] == before
