"""How close to a forum's rate limit one rate budget runs: wall time as a ratio to the floor.

    ./dev bench rate_budget [--requests 2000] [--per-second 100] [--only fg|bg|mixed]

A fake forum behind ``httpx.MockTransport`` (in-process: no network, no
latency) admits ``--per-second`` requests in any one-second window — 6,000 a
minute by default, Discourse's bucket at a raised rate, in a short window so
that the run spans many windows — and refuses the rest with Discourse's JSON
429 (``Retry-After``, ``extras.wait_seconds``). ``HttpSession`` sends through
a :class:`~desktop.net.budget.RateBudget` with its default headroom (3 %).

The floor is requests ÷ rate. The budget plans for (1 − headroom) of the
rate, so a long run ends near floor ÷ (1 − headroom); foreground work gains
the first window's burst, background work is spread evenly over the window
(so the user never waits long behind it) and does not. Scenarios: ``fg`` (a batch of awards the
user waits for), ``bg`` (a sync), ``mixed`` (both at once, half each, in two
threads). Prints the machine, wall and client CPU time, the ratio, and the
429s (the goal is none: the budget keeps under the limit by itself).
"""

from __future__ import annotations

import argparse
import math
import threading
import time
from collections import deque
from dataclasses import dataclass, field

import httpx
from machine import describe

from desktop.net.budget import Priority, RateBudget, RateLimit
from desktop.net.http import HttpSession

BASE_URL = "https://forum.example.org"
HOST = "forum.example.org"


@dataclass
class Forum:
    """A sliding window of ``limit`` requests per ``period`` seconds for the whole site."""

    limit: int
    period: float
    admitted: deque[float] = field(default_factory=deque)
    refused: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            now = time.monotonic()
            while self.admitted and self.admitted[0] <= now - self.period:
                self.admitted.popleft()
            if len(self.admitted) < self.limit:
                self.admitted.append(now)
                return httpx.Response(200, json={"ok": True})
            self.refused += 1
            wait = self.admitted[0] + self.period - now
        body = {
            "errors": ["You’ve performed this action too many times."],
            "error_type": "rate_limit",
            "extras": {"wait_seconds": wait, "time_left": f"{wait:.2f} seconds"},
        }
        return httpx.Response(429, headers={"Retry-After": str(math.ceil(wait))}, json=body)


def run(requests: int, per_second: int, sessions: list[tuple[Priority, int]]) -> None:
    forum = Forum(per_second, 1.0)
    limit = RateLimit(requests=per_second, period=1.0, margin=0.002)
    # Retry-After is whole seconds; this forum's own wait (extras) is finer, and is the one to use.
    budget = RateBudget(HOST, limit, min_pause=0.001)
    finished: dict[Priority, float] = {}
    failures: list[BaseException] = []

    def send(priority: Priority, count: int) -> None:
        session = HttpSession(
            BASE_URL,
            headers={"Api-Key": "bench", "Api-Username": "system"},
            transport=httpx.MockTransport(forum.handle),
            budget=budget,
            priority=priority,
        )
        try:
            for _ in range(count):
                session.send("POST", "/user_badges.json", resend_after_loss=False)
        except BaseException as error:
            failures.append(error)
        finally:
            session.close()
            finished[priority] = time.perf_counter()

    threads = [threading.Thread(target=send, args=(p, n), name=p.name) for p, n in sessions]
    cpu_start, start = time.process_time(), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    floor = requests / per_second
    names = " + ".join(f"{n} {p.name.lower()}" for p, n in sessions)
    print(f"{names}: {wall:.2f} s wall, floor {floor:.2f} s, ratio {wall / floor:.3f}×")
    for priority, at in sorted(finished.items()):
        print(f"    {priority.name.lower()} done after {at - start:.2f} s")
    print(f"    429s: {forum.refused}, failures: {len(failures)}, client CPU {cpu:.2f} s")
    if failures:
        print(f"    first failure: {failures[0]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--per-second", type=int, default=100)
    parser.add_argument("--only", choices=["fg", "bg", "mixed"])
    args = parser.parse_args()
    print(describe())
    headroom = RateLimit(requests=args.per_second, period=1.0).headroom
    print(
        f"{args.requests} requests at {args.per_second * 60:,} requests/min "
        f"({args.per_second} in any 1-s window), headroom {100 * headroom:g} %"
    )
    n = args.requests
    scenarios = {
        "fg": [(Priority.FOREGROUND, n)],
        "bg": [(Priority.BACKGROUND, n)],
        "mixed": [(Priority.FOREGROUND, n // 2), (Priority.BACKGROUND, n - n // 2)],
    }
    for name, sessions in scenarios.items():
        if args.only in (None, name):
            run(n, args.per_second, sessions)


if __name__ == "__main__":
    main()
