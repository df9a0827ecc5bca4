"""Timing a benchmark's step: wall-clock samples, and the figures printed from them."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(run: Callable[[], object], times: int = 1) -> list[float]:
    """``run`` called ``times`` times; each call's wall-clock time, in seconds."""
    out = []
    for _attempt in range(times):
        started = time.perf_counter()
        run()
        out.append(time.perf_counter() - started)
    return out


def figures(samples: list[float], digits: int = 1) -> str:
    """The median and the slowest of ``samples`` (seconds), in milliseconds."""
    width = 7
    return (
        f"p50 {statistics.median(samples) * 1000:{width}.{digits}f} ms"
        f"  max {max(samples) * 1000:{width}.{digits}f} ms"
    )
