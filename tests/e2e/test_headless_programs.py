"""``badgedesk program run`` from a schedule, against the v1 sandbox: exit codes, tokens, JSON, twice at once.

Each run is a subprocess without a keyring (as on a server), so the token comes
from ``--token-file`` or systemd's ``$CREDENTIALS_DIRECTORY``; the profile was
synced and the program saved beforehand, as the app would have.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from desktop import paths
from desktop.cache.database import Cache
from desktop.cli_token import CREDENTIAL_NAME
from desktop.community import Community, Endpoint
from desktop.domain import ActionState, BadgeState, MemberStatus, utc_now
from desktop.programs.model import ProgramSpec, SourceSpec
from desktop.programs.periods import Cadence, from_key
from desktop.programs.sources.tenure import TenureSource
from desktop.programs.store import ProgramStore
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.server import DATABASE_NAME
from tests.e2e.server_witness import active_holders, award_rows

ROOT = Path(__file__).resolve().parents[2]


def _prepare(
    sandbox: SandboxProcess, tmp_path: Path, *, members: int = 5
) -> tuple[list[int], list[int], Path]:
    """Sync the profile; ``members`` active members listed (ids); published badges none of them holds."""
    community = Community(sandbox.url, Endpoint(sandbox.url, sandbox.tokens["moderator"]))
    try:
        community.sync()
        cache = community.cache
        found = cache.members_by_ids(list(range(1, 200)))
        listed = [m for m in found.values() if m.status is MemberStatus.ACTIVE and m.email][:members]
        ids = [m.id for m in listed]
        with cache.read() as connection:
            marks = ", ".join("?" * len(ids))
            held = {
                row[0]
                for row in connection.exec_driver_sql(
                    f"SELECT DISTINCT badge_id FROM awards WHERE member_id IN ({marks})", tuple(ids)
                )
            }
        badges = [b.id for b in cache.badges() if b.state is BadgeState.PUBLISHED and b.id not in held]
    finally:
        community.close()
    assert len(ids) == members and len(badges) >= 3
    listing = tmp_path / "lms" / "passed.csv"
    listing.parent.mkdir()
    listing.write_text("email\n" + "".join(f"{m.email}\n" for m in listed), encoding="utf-8")
    return ids, badges, listing


def _program(sandbox: SandboxProcess, name: str, source: SourceSpec, badge_id: int) -> None:
    cache = Cache(paths.profile_dir(sandbox.url))
    try:
        ProgramStore(cache).create(ProgramSpec(name, source, badge_id, Cadence.MONTHLY, message="Well done"))
    finally:
        cache.close()


def _token_file(sandbox: SandboxProcess, tmp_path: Path, mode: int = 0o600) -> Path:
    path = tmp_path / "token"
    path.write_text(sandbox.tokens["moderator"] + "\n", encoding="utf-8")
    path.chmod(mode)
    return path


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    # A server without a keyring: the token must come from a file.
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env.pop("CREDENTIALS_DIRECTORY", None)
    env.update(extra)
    return env


def _command(sandbox: SandboxProcess, name: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "ui.app", "program", "run", name, "--server", sandbox.url, *extra]


def _run(argv: Sequence[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(argv),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=180,
        env=env or _env(),
        cwd=ROOT,
    )


def _ours(sandbox: SandboxProcess, badge_id: int, ids: Sequence[int]) -> dict[int, int]:
    """Award rows per listed member (others may hold the badge from the seed)."""
    return {member: n for member, n in award_rows(sandbox, badge_id).items() if member in ids}


def _runs(sandbox: SandboxProcess, name: str) -> list[tuple[str, str | None]]:
    cache = Cache(paths.profile_dir(sandbox.url))
    try:
        store = ProgramStore(cache)
        program = store.named(name)
        assert program is not None
        return [(run.period_key, run.batch_id) for run in store.runs(program.id)]
    finally:
        cache.close()


def test_a_list_program_runs_once_then_finds_nothing_new(sandbox: SandboxProcess, tmp_path: Path) -> None:
    ids, badges, listing = _prepare(sandbox, tmp_path)
    _program(sandbox, "Certified Admin", SourceSpec("list", {"path": str(listing)}), badges[0])
    token = _token_file(sandbox, tmp_path)

    dry = _run(_command(sandbox, "Certified Admin", "--token-file", str(token), "--dry-run", "--json"))
    assert dry.returncode == 0, dry.stderr
    plan = json.loads(dry.stdout)
    assert [row["member_id"] for row in plan["rows"]] == ids
    assert {row["standing"] for row in plan["rows"]} == {"to_award"}
    assert "passed.csv" in plan["rows"][0]["why"]
    assert any(f"{len(ids)} grants" in line for line in plan["cost"]), plan["cost"]
    assert "to award — in passed.csv, row 2" in dry.stderr  # the dry run in words, beside the JSON
    assert _ours(sandbox, badges[0], ids) == {}

    done = _run(_command(sandbox, "Certified Admin", "--token-file", str(token), "--yes", "--json"))
    assert done.returncode == 0, done.stderr
    outcome = json.loads(done.stdout)
    assert outcome["exit"] == 0 and outcome["queued"] == ids
    assert {r["state"] for r in outcome["results"]} == {ActionState.DONE.value}
    assert _ours(sandbox, badges[0], ids) == dict.fromkeys(ids, 1)

    again = _run(_command(sandbox, "Certified Admin", "--token-file", str(token), "--yes"))
    assert again.returncode == 0, again.stderr
    assert "0 members to award." in again.stdout
    assert _ours(sandbox, badges[0], ids) == dict.fromkeys(ids, 1)


def test_without_yes_and_without_a_terminal_nothing_is_sent(sandbox: SandboxProcess, tmp_path: Path) -> None:
    ids, badges, listing = _prepare(sandbox, tmp_path)
    _program(sandbox, "Certified Admin", SourceSpec("list", {"path": str(listing)}), badges[0])
    result = _run(_command(sandbox, "Certified Admin", "--token-file", str(_token_file(sandbox, tmp_path))))
    assert result.returncode == 2
    assert "add --yes" in result.stderr
    assert _ours(sandbox, badges[0], ids) == {}


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_a_token_file_others_may_read_or_write_is_refused(
    sandbox: SandboxProcess, tmp_path: Path, mode: int
) -> None:
    token = _token_file(sandbox, tmp_path, mode)
    result = _run(_command(sandbox, "Anything", "--token-file", str(token), "--dry-run"))
    assert result.returncode == 2
    assert f"can be read or written by others (mode {mode:04o})" in result.stderr
    assert f"chmod 600 {token}" in result.stderr
    assert sandbox.tokens["moderator"] not in result.stderr + result.stdout


def test_a_read_only_private_token_file_is_taken(sandbox: SandboxProcess, tmp_path: Path) -> None:
    _ids, badges, listing = _prepare(sandbox, tmp_path)
    _program(sandbox, "Certified Admin", SourceSpec("list", {"path": str(listing)}), badges[0])
    token = _token_file(sandbox, tmp_path, 0o400)
    result = _run(_command(sandbox, "Certified Admin", "--token-file", str(token), "--dry-run"))
    assert result.returncode == 0, result.stderr


def test_missing_and_absent_tokens_say_what_is_wrong(sandbox: SandboxProcess, tmp_path: Path) -> None:
    missing = _run(_command(sandbox, "Anything", "--token-file", str(tmp_path / "nope"), "--dry-run"))
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr
    none = _run(_command(sandbox, "Anything", "--dry-run"))
    assert none.returncode == 2
    assert f"no {CREDENTIAL_NAME} credential" in none.stderr
    assert "--token" not in _run([sys.executable, "-m", "ui.app", "program", "run", "--help"]).stdout.replace(
        "--token-file", ""
    )


def test_the_token_from_systemd_credentials(sandbox: SandboxProcess, tmp_path: Path) -> None:
    _ids, badges, listing = _prepare(sandbox, tmp_path)
    _program(sandbox, "Certified Admin", SourceSpec("list", {"path": str(listing)}), badges[0])
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / CREDENTIAL_NAME).write_text(sandbox.tokens["moderator"], encoding="utf-8")
    result = _run(
        _command(sandbox, "Certified Admin", "--dry-run", "--json"),
        _env(CREDENTIALS_DIRECTORY=str(credentials)),
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["program"] == "Certified Admin"


def test_bad_input_is_refused(sandbox: SandboxProcess, tmp_path: Path) -> None:
    _ids, badges, listing = _prepare(sandbox, tmp_path)
    _program(sandbox, "Top contributor", SourceSpec("leaderboard", {"top": 1}), badges[0])
    _program(sandbox, "Certified Admin", SourceSpec("list", {"path": str(listing)}), badges[1])
    token = str(_token_file(sandbox, tmp_path))
    unknown = _run(_command(sandbox, "Nobody's program", "--token-file", token, "--dry-run"))
    assert unknown.returncode == 2
    assert "There is no program named Nobody's program" in unknown.stderr
    leaderboard = _run(_command(sandbox, "Top contributor", "--token-file", token, "--dry-run"))
    assert leaderboard.returncode == 2
    assert "source cannot be read: edit the program" in leaderboard.stderr
    period = _run(
        _command(sandbox, "Certified Admin", "--token-file", token, "--period", "2026-W49", "--dry-run")
    )
    assert period.returncode == 2
    assert "2026-W49 is not a period of Certified Admin (monthly)" in period.stderr
    listing.unlink()
    gone = _run(_command(sandbox, "Certified Admin", "--token-file", token, "--dry-run"))
    assert gone.returncode == 2


def test_some_failed_writes_the_results_beside_the_list(sandbox: SandboxProcess, tmp_path: Path) -> None:
    ids, badges, listing = _prepare(sandbox, tmp_path)
    _program(sandbox, "Certified Admin", SourceSpec("list", {"path": str(listing)}), badges[0])
    # Suspended on the server behind the change feed's back: the cache still says active.
    with sqlite3.connect(sandbox.data_dir / DATABASE_NAME) as db:
        db.execute("UPDATE members SET status = 'suspended' WHERE id = ?", (ids[1],))
    token = str(_token_file(sandbox, tmp_path))
    result = _run(_command(sandbox, "Certified Admin", "--token-file", token, "--yes", "--period", "2026-11"))
    assert result.returncode == 1, result.stderr
    report = listing.parent / "certified-admin-2026-11-results.csv"
    assert str(report) in result.stderr
    with report.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["input"] for row in rows] == [row["input"] for row in rows if "@" in row["input"]]
    assert len(rows) == len(ids)
    outcomes = [row["outcome"] for row in rows]
    assert "suspended" in outcomes[1].casefold(), outcomes
    assert len(set(outcomes[:1] + outcomes[2:])) == 1 and outcomes[0] != outcomes[1]


def test_a_server_out_of_reach_leaves_the_awards_queued(sandbox: SandboxProcess, tmp_path: Path) -> None:
    ids, badges, listing = _prepare(sandbox, tmp_path)
    _program(sandbox, "Certified Admin", SourceSpec("list", {"path": str(listing)}), badges[0])
    sandbox.stop()
    token = str(_token_file(sandbox, tmp_path))
    result = _run(_command(sandbox, "Certified Admin", "--token-file", token, "--yes"))
    assert result.returncode == 3, result.stderr
    assert "stay queued" in result.stderr
    cache = Cache(paths.profile_dir(sandbox.url))
    try:
        assert cache_pending(cache) == len(ids)
    finally:
        cache.close()
    assert _ours(sandbox, badges[0], ids) == {}

    # The server back at the same address: the next run sends what stayed queued, once.
    port = int(sandbox.url.rsplit(":", 1)[1].split("/")[0])
    with SandboxProcess(data_dir=sandbox.data_dir, port=port) as back:
        assert back.url == sandbox.url
        again = _run(_command(back, "Certified Admin", "--token-file", token, "--yes"))
        assert again.returncode == 0, again.stderr
        assert _ours(back, badges[0], ids) == dict.fromkeys(ids, 1)


def cache_pending(cache: Cache) -> int:
    from desktop.outbox import Outbox

    return Outbox(cache).pending_count()


def test_the_same_run_started_twice_at_once_sends_one_batch_once(
    sandbox: SandboxProcess, tmp_path: Path
) -> None:
    ids, badges, listing = _prepare(sandbox, tmp_path)
    token = str(_token_file(sandbox, tmp_path))
    for attempt, badge_id in enumerate(badges[:3]):
        name = f"Certified {attempt}"
        _program(sandbox, name, SourceSpec("list", {"path": str(listing)}), badge_id)
        argv = _command(sandbox, name, "--token-file", token, "--yes", "--period", "2026-11")
        started = [
            subprocess.Popen(
                argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT
            )
            for _twice in range(2)
        ]
        outputs = [process.communicate(timeout=180) for process in started]
        assert [process.returncode for process in started] == [0, 0], outputs
        assert _ours(sandbox, badge_id, ids) == dict.fromkeys(ids, 1)
        batches = [batch for _key, batch in _runs(sandbox, name) if batch is not None]
        assert len(batches) == 1
        # Both runs are recorded: the second found the period's members queued already.
        assert len(_runs(sandbox, name)) == 2


def test_a_tenure_program_runs_for_the_period_asked(sandbox: SandboxProcess, tmp_path: Path) -> None:
    _ids, badges, _listing = _prepare(sandbox, tmp_path)
    _program(sandbox, "One Year Club", SourceSpec("tenure", {"years": 1}), badges[0])
    cache = Cache(paths.profile_dir(sandbox.url))
    try:
        period = from_key(Cadence.MONTHLY, "2026-11")
        assert period.first is not None and period.last is not None
        expected = TenureSource(1).read(cache, period.first, period.last, now=utc_now())
    finally:
        cache.close()
    assert expected.candidates, "the seed has members who joined in November 2025"
    token = str(_token_file(sandbox, tmp_path))
    result = _run(
        _command(sandbox, "One Year Club", "--token-file", token, "--period", "2026-11", "--json", "--yes")
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["period"] == "2026-11"
    assert [row["member_id"] for row in outcome["rows"]] == [c.member_id for c in expected.candidates]
    if expected.upcoming:  # who qualifies in the next 30 days, by name
        assert "  soon: @" in result.stderr
    awarded = [row["member_id"] for row in outcome["rows"] if row["standing"] == "to_award"]
    assert outcome["queued"] == awarded
    assert _ours(sandbox, badges[0], awarded) == dict.fromkeys(awarded, 1)


def test_members_gone_from_the_list_are_revoked_only_when_asked(
    sandbox: SandboxProcess, tmp_path: Path
) -> None:
    ids, badges, listing = _prepare(sandbox, tmp_path)
    _program(sandbox, "Certified Admin", SourceSpec("list", {"path": str(listing)}), badges[0])
    token = str(_token_file(sandbox, tmp_path))
    first = _run(_command(sandbox, "Certified Admin", "--token-file", token, "--yes", "--period", "2026-10"))
    assert first.returncode == 0, first.stderr
    lines = listing.read_text(encoding="utf-8").splitlines()
    listing.write_text("\n".join([lines[0], *lines[2:]]) + "\n", encoding="utf-8")  # ids[0] expired

    kept = _run(
        _command(sandbox, "Certified Admin", "--token-file", token, "--dry-run", "--period", "2026-11")
    )
    assert kept.returncode == 0, kept.stderr
    assert "1 member gone from the list keeps the badge: add --revoke-gone REASON" in kept.stderr

    revoked = _run(
        _command(
            sandbox,
            "Certified Admin",
            "--token-file",
            token,
            "--yes",
            "--json",
            "--period",
            "2026-11",
            "--revoke-gone",
            "certification expired",
        )
    )
    assert revoked.returncode == 0, revoked.stderr
    outcome = json.loads(revoked.stdout)
    assert outcome["revoked"] == [ids[0]] and outcome["queued"] == []
    assert active_holders(sandbox, badges[0]) & set(ids) == set(ids[1:])
