"""Cold start of the real app on a million-member cache: to an interactive window, to the full list.

    ./dev bench startup [--cache DIR] [--runs 5] [--work DIR]

Each run starts a new process that runs BadgeDesk's entry point (``ui.app.main``, what the
``badgedesk`` command runs) as ``badgedesk --server http://127.0.0.1:PORT --server-kind badgedesk-v1``
on a copy of ``--cache`` (a profile folder: ``work.sqlite3`` and ``mirror.sqlite3``), with
Qt's offscreen platform and its own home, config, data and runtime folders. The server is
never reached: PORT is a closed loopback port, so the first sync fails at once and the app
works offline on the cache, as when the server is down. The token comes from a keyring that
returns a fixed string (``fixed_keyring.py``).

Printed: seconds from the process start to the main window shown with its event loop
running, to the Members pane showing its first member, to the complete list (the pane idle,
one row per member); the process's CPU seconds at those moments; its resident memory once
the list is complete. The baseline, measured in the same run: a bare Python process that
imports PySide6, shows an empty QMainWindow and notes the first timer tick after it (and its
resident memory then). Runs alternate between the two; a first run of each is not counted
(it compiles the bytecode into the work folder and reads the files into the OS cache, as
any earlier start of an installed app would have). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import describe

from desktop.paths import profile_id

BENCH = Path(__file__).resolve().parent
DEFAULT_CACHE = Path("/work/bench-data/1m/cache.sqlite3")


def closed_port() -> int:
    """A loopback port nothing listens on (one that was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def prepare(work: Path, cache: Path, server: str) -> dict[str, str]:
    """The folders of the started processes (the cache copied into the profile's), and their environment."""
    profile = work / "data" / "profiles" / profile_id(server)
    if not (profile / "mirror.sqlite3").exists():
        profile.mkdir(parents=True, exist_ok=True)
        # The shared original is never opened by the app: it writes (migrations, WAL, locks).
        names = [p.name for p in cache.iterdir() if p.is_file() and not p.name.endswith(".lock")]
        subprocess.run(["cp", "--sparse=always", *(str(cache / n) for n in names), str(profile)], check=True)
    for name in ("home", "config", "xdg-config", "xdg-data", "xdg-cache", "runtime", "pycache"):
        (work / name).mkdir(exist_ok=True)
    (work / "runtime").chmod(0o700)
    env = dict(os.environ)
    # Bytecode compiled once and reused, as an installed app's is (never written into the tree).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        PYTHONPYCACHEPREFIX=str(work / "pycache"),
        PYTHONPATH=os.pathsep.join(p for p in (str(BENCH), os.environ.get("PYTHONPATH", "")) if p),
        PYTHON_KEYRING_BACKEND="fixed_keyring.FixedKeyring",
        QT_QPA_PLATFORM="offscreen",
        HOME=str(work / "home"),
        XDG_CONFIG_HOME=str(work / "xdg-config"),
        XDG_DATA_HOME=str(work / "xdg-data"),
        XDG_CACHE_HOME=str(work / "xdg-cache"),
        XDG_RUNTIME_DIR=str(work / "runtime"),
        BADGEDESK_DATA_DIR=str(work / "data"),
        BADGEDESK_CONFIG_DIR=str(work / "config"),
    )
    return env


def member_count(cache: Path) -> int:
    with sqlite3.connect(f"file:{cache / 'mirror.sqlite3'}?mode=ro", uri=True) as connection:
        count: int = connection.execute("SELECT count(*) FROM members").fetchone()[0]
    return count


def probe(env: dict[str, str], *args: str) -> dict[str, float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(BENCH / "startup_probe.py"), *args],
        env=dict(env, BENCH_STARTED=repr(started)),
        capture_output=True,
        text=True,
        timeout=180,
    )
    line = next((line for line in done.stdout.splitlines() if line.startswith("FIGURES ")), None)
    if line is None:
        raise RuntimeError(f"the probe printed no figures (exit {done.returncode}):\n{done.stderr[-3000:]}")
    figures: dict[str, float] = json.loads(line.removeprefix("FIGURES "))
    return figures


def row(name: str, samples: list[float], base: float, unit: str) -> str:
    median = statistics.median(samples)
    spread = (
        f"{min(samples):.2f}–{max(samples):.2f}" if unit == "s" else f"{min(samples):.0f}–{max(samples):.0f}"
    )
    shown = f"{median:.2f} {unit}" if unit == "s" else f"{median:.0f} {unit}"
    return f"  {name:58s} {shown:>9s} ({spread})  {median / base:4.1f}x the baseline"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cache", default=str(DEFAULT_CACHE), help="a profile folder to start on (copied)")
    parser.add_argument("--runs", type=int, default=5, help="counted runs of the app and of the baseline")
    parser.add_argument("--work", help="where to keep the copy and the folders (default: a temporary dir)")
    args = parser.parse_args()
    print(f"machine: {describe()}")
    cache = Path(args.cache)
    expected = member_count(cache)
    with tempfile.TemporaryDirectory(prefix="badgedesk-startup-") as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        server = f"http://127.0.0.1:{closed_port()}"
        env = prepare(work, cache, server)
        app_args = ["app", str(expected), "--", "--server", server, "--server-kind", "badgedesk-v1"]
        base: list[dict[str, float]] = []
        runs: list[dict[str, float]] = []
        for turn in range(args.runs + 1):
            baseline = probe(env, "baseline")
            started = probe(env, *app_args)
            if "full_list" not in started:
                print(f"  run {turn}: the list was not complete after the probe's limit: {started}")
            if turn > 0:
                base.append(baseline)
                runs.append(started)
    print(
        f"cold start of the app on {expected:,} members ({args.runs} runs each, median (min–max));"
        " baseline: a bare PySide6 process showing an empty QMainWindow"
    )
    shown = statistics.median(b["interactive"] for b in base)
    shown_cpu = statistics.median(b["interactive_cpu"] for b in base)
    base_rss = statistics.median(b["interactive_rss_mb"] for b in base)
    print(row("baseline: window shown, event loop running", [b["interactive"] for b in base], shown, "s"))
    print(row("window shown, event loop running", [r["interactive"] for r in runs], shown, "s"))
    print(row("Members pane shows its first member", [r["first_members"] for r in runs], shown, "s"))
    complete = [r["full_list"] for r in runs if "full_list" in r]
    if complete:
        print(row(f"complete list of {expected:,} members in the pane", complete, shown, "s"))
    print(row("baseline: CPU until its window shows", [b["interactive_cpu"] for b in base], shown_cpu, "s"))
    print(row("CPU until the window shows", [r["interactive_cpu"] for r in runs], shown_cpu, "s"))
    if complete:
        cpu = [r["full_list_cpu"] for r in runs if "full_list" in r]
        print(row("CPU until the list is complete (all threads)", cpu, shown_cpu, "s"))
    print(
        row(
            "baseline: resident memory, window shown", [b["interactive_rss_mb"] for b in base], base_rss, "MB"
        )
    )
    print(row("resident memory, window shown", [r["interactive_rss_mb"] for r in runs], base_rss, "MB"))
    print(row("resident memory, list complete", [r["rss_mb"] for r in runs], base_rss, "MB"))
    print(row("peak resident memory until then", [r["peak_rss_mb"] for r in runs], base_rss, "MB"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
