"""The recognition programs' Discourse benchmark runs at its smoke size (``--quick``): a topic's posters
read over loopback and a tenure source read from the cache, each with its requests and the sends'
cost. Figures are never asserted; that it runs and what it reports are."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_benchmark_runs_at_its_smoke_size() -> None:
    done = subprocess.run(
        [sys.executable, "bench/programs_discourse.py", "--quick"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "2,000 members" in out
    assert re.search(r"^first sync +[\d.]+ s wall +[\d,]+ requests", out, re.M)
    posters = re.search(r"^Survived the outage \(topic\) +[\d.]+ s wall +(\d+) requests", out, re.M)
    # One page of the topic to find it, then its print pages (1,000 posts each).
    assert posters is not None and 2 <= int(posters.group(1)) <= 4
    assert re.search(r"^Ten Year Club \(tenure\) +[\d.]+ s wall +0 requests", out, re.M)
    assert len(re.findall(r"^    send: [\d,]+ awards, [\d,]+ requests", out, re.M)) == 2
