"""``badgedesk award --badge NAME --from FILE`` from a schedule, against the v1 sandbox."""

from __future__ import annotations

import csv
import sqlite3
import sys
from pathlib import Path

from desktop import paths
from desktop.cache.database import Cache
from desktop.outbox import Outbox
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.server import DATABASE_NAME
from tests.e2e.test_headless_programs import ROOT, _env, _ours, _prepare, _run, _token_file


def _badge_title(sandbox: SandboxProcess, badge_id: int) -> str:
    cache = Cache(paths.profile_dir(sandbox.url))
    try:
        return next(b.title for b in cache.badges() if b.id == badge_id)
    finally:
        cache.close()


def _award(sandbox: SandboxProcess, badge: str, listing: Path, token: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ui.app",
        "award",
        "--server",
        sandbox.url,
        "--badge",
        badge,
        "--from",
        str(listing),
        "--token-file",
        str(token),
        *extra,
    ]


def test_award_from_a_file_dry_run_then_applied_then_nothing_to_do(
    sandbox: SandboxProcess, tmp_path: Path
) -> None:
    ids, badges, listing = _prepare(sandbox, tmp_path)
    title = _badge_title(sandbox, badges[0])
    token = _token_file(sandbox, tmp_path)
    dry = _run(_award(sandbox, title, listing, token, "--dry-run"))
    assert dry.returncode == 0, dry.stderr
    assert f"{len(ids)} members to award." in dry.stdout
    assert f"{len(ids)} grants in requests of" in dry.stdout  # what sending takes
    assert "This run: 1 grant request = 1 request." in dry.stdout  # in one sentence (v1: no known limit)
    assert _ours(sandbox, badges[0], ids) == {}

    done = _run(
        _award(sandbox, title.upper(), listing, token, "--yes", "--reason", "https://lms.example/exam")
    )
    assert done.returncode == 0, done.stderr
    assert f"{len(ids)} awards applied" in done.stdout
    assert _ours(sandbox, badges[0], ids) == dict.fromkeys(ids, 1)

    again = _run(_award(sandbox, title, listing, token, "--yes"))
    assert again.returncode == 0, again.stderr
    assert "0 members to award." in again.stdout
    assert _ours(sandbox, badges[0], ids) == dict.fromkeys(ids, 1)


def test_award_refuses_bad_input(sandbox: SandboxProcess, tmp_path: Path) -> None:
    _ids, badges, listing = _prepare(sandbox, tmp_path)
    token = _token_file(sandbox, tmp_path)
    unknown = _run(_award(sandbox, "No such badge", listing, token, "--yes"))
    assert unknown.returncode == 2
    assert "There is no badge named No such badge." in unknown.stderr
    missing = _run(_award(sandbox, _badge_title(sandbox, badges[0]), tmp_path / "nope.csv", token, "--yes"))
    assert missing.returncode == 2
    assert "nope.csv" in missing.stderr
    no_token = _run(
        [
            sys.executable,
            "-m",
            "ui.app",
            "award",
            "--server",
            sandbox.url,
            "--badge",
            "x",
            "--from",
            str(listing),
            "--token",
            "secret",
        ]
    )
    assert no_token.returncode == 2


def test_award_some_failed_writes_the_results_beside_the_file(
    sandbox: SandboxProcess, tmp_path: Path
) -> None:
    ids, badges, listing = _prepare(sandbox, tmp_path)
    with sqlite3.connect(sandbox.data_dir / DATABASE_NAME) as db:
        db.execute("UPDATE members SET status = 'suspended' WHERE id = ?", (ids[2],))
    result = _run(
        _award(sandbox, _badge_title(sandbox, badges[0]), listing, _token_file(sandbox, tmp_path), "--yes")
    )
    assert result.returncode == 1, result.stderr
    reports = list(listing.parent.glob("passed-results-*.csv"))
    assert len(reports) == 1 and str(reports[0]) in result.stderr
    with reports[0].open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(ids)
    assert "suspended" in rows[2]["outcome"].casefold()
    assert _ours(sandbox, badges[0], ids) == {i: 1 for i in ids if i != ids[2]}


def test_award_with_the_server_out_of_reach_stays_queued(sandbox: SandboxProcess, tmp_path: Path) -> None:
    ids, badges, listing = _prepare(sandbox, tmp_path)
    title = _badge_title(sandbox, badges[0])
    sandbox.stop()
    result = _run(_award(sandbox, title, listing, _token_file(sandbox, tmp_path), "--yes"))
    assert result.returncode == 3, result.stderr
    assert "stay queued" in result.stderr
    cache = Cache(paths.profile_dir(sandbox.url))
    try:
        assert Outbox(cache).pending_count() == len(ids)
    finally:
        cache.close()


def test_award_started_twice_at_once_awards_once(sandbox: SandboxProcess, tmp_path: Path) -> None:
    import subprocess

    ids, badges, listing = _prepare(sandbox, tmp_path)
    token = _token_file(sandbox, tmp_path)
    for badge_id in badges[:3]:
        argv = _award(sandbox, _badge_title(sandbox, badge_id), listing, token, "--yes")
        started = [
            subprocess.Popen(
                argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT
            )
            for _twice in range(2)
        ]
        outputs = [process.communicate(timeout=180) for process in started]
        assert [process.returncode for process in started] == [0, 0], outputs
        assert _ours(sandbox, badge_id, ids) == dict.fromkeys(ids, 1)
        assert sorted("awards applied" in out for out, _err in outputs) == [False, True]
