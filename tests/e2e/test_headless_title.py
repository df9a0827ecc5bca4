"""``badgedesk program run`` of a title (a badge held by one member at a time) and runs whose actions
stay queued, against the v1 sandbox.

A title run queues one hand-over and says how it ended: handed over (exit 0), or stopped by a
holder the cache did not know (exit 1, the outbox's words). A run whose actions are still
pending after the send (the outbox paused in the app) applied nothing: it says so, and how to
resume, and exits 3, for ``program run`` and ``award`` alike.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from desktop import paths
from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.dialects.activity import Measure
from desktop.dialects.base import AwardItem, RevokeItem
from desktop.domain import ActionState, MemberStatus
from desktop.outbox import Outbox
from desktop.programs.model import ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, latest_ended
from desktop.programs.sources.activity_specs import spec_of
from desktop.programs.sources.leaderboard import LeaderboardSource
from desktop.programs.store import ProgramStore
from desktop.programs.titles import OneHolderBadges
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.server import DATABASE_NAME
from tests.e2e.server_witness import active_holders, server_db
from tests.e2e.test_headless_award import _award, _badge_title
from tests.e2e.test_headless_programs import _command, _ours, _prepare, _program, _run, _token_file

#: Published badges of the sandbox's seed 7: the title (one holder in the seed) and its alumni badge.
TITLE, ALUMNI = 53, 52
NAME = "Hero of the Quarter"


def _community(sandbox: SandboxProcess) -> Community:
    return Community(sandbox.url, Endpoint(sandbox.url, sandbox.tokens["moderator"]))


def _quarter(sandbox: SandboxProcess) -> str:
    """The last quarter ended at the sandbox's "today" (its activity is seeded before it)."""
    with server_db(sandbox) as db:
        epoch = db.execute("SELECT value FROM meta WHERE key = 'seed_epoch'").fetchone()[0]
    return latest_ended(Cadence.QUARTERLY, datetime.fromtimestamp(int(epoch), UTC).date()).key


def _set_up(sandbox: SandboxProcess, tmp_path: Path) -> tuple[int, int, list[int], Path, str]:
    """A quarterly top-1 leaderboard program on the title, held by one member who is not the
    winner; (winner, holder, other active members, token file, quarter)."""
    quarter = _quarter(sandbox)
    token = _token_file(sandbox, tmp_path)
    with closing(_community(sandbox)) as community:
        community.sync()
        ProgramStore(community.cache).create(
            ProgramSpec(NAME, spec_of(LeaderboardSource(Measure.LIKES_RECEIVED, 1)), TITLE, Cadence.QUARTERLY)
        )
    dry = _run(
        _command(sandbox, NAME, "--token-file", str(token), "--period", quarter, "--dry-run", "--json")
    )
    assert dry.returncode == 0, dry.stderr
    [winner] = [row["member_id"] for row in json.loads(dry.stdout)["rows"] if row["standing"] == "to_award"]
    with closing(_community(sandbox)) as community:
        found = community.cache.members_by_ids(list(range(1, 300)))
        others = [m for m in found if found[m].status is MemberStatus.ACTIVE and m != winner]
        holder = others.pop(0)
        # The title held by ``holder`` alone (the server's, then the cache by a sync).
        session = community.connector()
        try:
            for member in active_holders(sandbox, TITLE):
                session.writer.revoke_batch([RevokeItem(f"setup-{member}", member, TITLE, reason="set up")])
            session.writer.award_batch([AwardItem("setup-holder", holder, TITLE, reason="set up")])
        finally:
            session.close()
        community.sync()
        OneHolderBadges(community.cache).mark(TITLE, ALUMNI)
    assert active_holders(sandbox, TITLE) == {holder}
    return winner, holder, others, token, quarter


def _username(sandbox: SandboxProcess, member_id: int) -> str:
    cache = Cache(paths.profile_dir(sandbox.url))
    try:
        return cache.members_by_ids([member_id])[member_id].username
    finally:
        cache.close()


def test_a_title_program_hands_the_title_over_headless(sandbox: SandboxProcess, tmp_path: Path) -> None:
    winner, holder, _others, token, quarter = _set_up(sandbox, tmp_path)
    run = _run(_command(sandbox, NAME, "--token-file", str(token), "--period", quarter, "--json"))
    # Without --yes and a terminal, nothing is sent; the question names the hand-over.
    assert run.returncode == 2 and "add --yes" in run.stderr, run.stderr
    done = _run(_command(sandbox, NAME, "--token-file", str(token), "--period", quarter, "--yes", "--json"))
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert outcome["exit"] == 0
    handover = outcome["handover"]
    assert (handover["member_id"], handover["previous_id"], handover["state"]) == (
        winner,
        holder,
        ActionState.DONE.value,
    )
    assert handover["previous"] == f"@{_username(sandbox, holder)}"
    assert "Nothing new" not in done.stderr
    assert f"Handed over from @{_username(sandbox, holder)} to @{_username(sandbox, winner)}." in done.stderr
    # One holder on the server, the former one with the alumni badge.
    assert active_holders(sandbox, TITLE) == {winner}
    assert holder in active_holders(sandbox, ALUMNI)
    # Run again for the quarter: nothing new, nothing sent.
    again = _run(_command(sandbox, NAME, "--token-file", str(token), "--period", quarter, "--yes"))
    assert again.returncode == 0, again.stderr
    assert active_holders(sandbox, TITLE) == {winner}


def test_a_title_held_elsewhere_stops_the_run_with_exit_1(sandbox: SandboxProcess, tmp_path: Path) -> None:
    winner, holder, others, token, quarter = _set_up(sandbox, tmp_path)
    stranger = others[0]
    # Someone hands the title to another member between the run's sync and its send: a grant the
    # run's sync does not see (written in the server's table with a change number already synced).
    with sqlite3.connect(sandbox.data_dir / DATABASE_NAME) as db:
        db.execute(
            "INSERT INTO awards (member_id, badge_id, granted_at, granted_by, reason, seq)"
            " VALUES (?, ?, ?, 'bob', 'elsewhere', 1)",
            (stranger, TITLE, int(datetime.now(UTC).timestamp())),
        )
    done = _run(_command(sandbox, NAME, "--token-file", str(token), "--period", quarter, "--yes", "--json"))
    assert done.returncode == 1, done.stderr
    handover = json.loads(done.stdout)["handover"]
    assert handover["state"] == ActionState.CONFLICT.value
    words = (
        f"Held by @{_username(sandbox, stranger)} on the server, not @{_username(sandbox, holder)}:"
        " nothing revoked."
    )
    assert handover["detail"] == words
    assert words in done.stderr
    assert "applied" not in done.stderr and "Nothing new" not in done.stderr
    # Nothing revoked, nothing granted to the winner.
    assert active_holders(sandbox, TITLE) == {holder, stranger}
    assert winner not in active_holders(sandbox, TITLE)


def _pause(sandbox: SandboxProcess) -> None:
    cache = Cache(paths.profile_dir(sandbox.url))
    try:
        Outbox(cache).set_paused(True)
    finally:
        cache.close()


def test_a_paused_outbox_leaves_the_run_queued_with_exit_3(sandbox: SandboxProcess, tmp_path: Path) -> None:
    ids, badges, listing = _prepare(sandbox, tmp_path)
    _program(sandbox, "Certified Admin", SourceSpec("list", {"path": str(listing)}), badges[0])
    token = _token_file(sandbox, tmp_path)
    _pause(sandbox)
    run = _run(_command(sandbox, "Certified Admin", "--token-file", str(token), "--yes", "--json"))
    assert run.returncode == 3, run.stderr
    assert json.loads(run.stdout)["exit"] == 3
    assert "applied" not in run.stderr + run.stdout
    assert (
        f"{len(ids)} actions stay queued: sending is paused in the app. Click “Resume sending” in its"
        " Outbox, then run again." in run.stderr
    )
    assert _ours(sandbox, badges[0], ids) == {}
    # Run again while still paused: nothing new to queue, but what the first run queued still waits.
    paused = _run(_command(sandbox, "Certified Admin", "--token-file", str(token), "--yes"))
    assert paused.returncode == 3, paused.stderr
    assert f"{len(ids)} actions stay queued: sending is paused in the app." in paused.stderr
    # Resumed: the next run sends what was queued (and queues nothing twice).
    cache = Cache(paths.profile_dir(sandbox.url))
    try:
        Outbox(cache).set_paused(False)
    finally:
        cache.close()
    again = _run(_command(sandbox, "Certified Admin", "--token-file", str(token), "--yes"))
    assert again.returncode == 0, again.stderr
    assert _ours(sandbox, badges[0], ids) == dict.fromkeys(ids, 1)


def test_a_paused_outbox_leaves_an_award_queued_with_exit_3(sandbox: SandboxProcess, tmp_path: Path) -> None:
    ids, badges, listing = _prepare(sandbox, tmp_path, members=1)
    token = _token_file(sandbox, tmp_path)
    _pause(sandbox)
    run = _run(_award(sandbox, _badge_title(sandbox, badges[0]), listing, token, "--yes"))
    assert run.returncode == 3, run.stderr
    assert "applied" not in run.stdout + run.stderr
    assert "1 action stays queued: sending is paused in the app." in run.stderr
    assert _ours(sandbox, badges[0], ids) == {}
    again = _run(_award(sandbox, _badge_title(sandbox, badges[0]), listing, token, "--yes"))
    assert again.returncode == 3, again.stderr
    assert "1 action stays queued: sending is paused in the app." in again.stderr


def test_the_server_out_of_reach_counts_one_action_in_words(sandbox: SandboxProcess, tmp_path: Path) -> None:
    _ids, badges, listing = _prepare(sandbox, tmp_path, members=1)
    title = _badge_title(sandbox, badges[0])
    sandbox.stop()
    result = _run(_award(sandbox, title, listing, _token_file(sandbox, tmp_path), "--yes"))
    assert result.returncode == 3, result.stderr
    assert "): 1 action stays queued for the next run or the app." in result.stderr
