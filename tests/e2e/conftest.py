"""End-to-end fixtures: a real sandbox server over loopback HTTP."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from desktop.cache.database import Cache
from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.sandbox.process import SandboxProcess
from desktop.sandbox.scenarios import ReviewScenario, review_queue
from desktop.sandbox.seed import seed_database
from desktop.sandbox.server import DATABASE_NAME

SMALL = 1500


@pytest.fixture()
def sandbox(tmp_path: Path) -> Iterator[SandboxProcess]:
    """A fresh small community for tests that change server state."""
    with SandboxProcess(data_dir=tmp_path / "sandbox", members=SMALL, seed=7) as process:
        yield process


@pytest.fixture()
def start_sandbox(tmp_path: Path) -> Iterator[Callable[..., SandboxProcess]]:
    """Start a sandbox with extra options (rate limit, faults); stopped after the test."""
    started: list[SandboxProcess] = []

    def start(*extra: str, members: int = 300) -> SandboxProcess:
        process = SandboxProcess(
            data_dir=tmp_path / f"sandbox{len(started)}", members=members, seed=3, extra_args=list(extra)
        )
        started.append(process)
        process.start()
        return process

    yield start
    for process in started:
        process.stop()


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    yield cache
    cache.close()


class CountingTransport(httpx.BaseTransport):
    """Real HTTP, with a count of requests and statuses per path, and optional tampering."""

    def __init__(self, tamper: Callable[[httpx.Request, bytes], bytes | None] | None = None) -> None:
        self.inner = httpx.HTTPTransport()
        self.paths: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()
        self.tamper = tamper

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.paths[request.url.path] += 1
        self.statuses[response.status_code] += 1
        if self.tamper is not None:
            response.read()
            changed = self.tamper(request, response.content)
            if changed is not None:
                return httpx.Response(
                    response.status_code, headers={"content-type": "application/json"}, content=changed
                )
        return response

    def close(self) -> None:
        self.inner.close()


def connector_for(
    process: SandboxProcess,
    *,
    token: str = "moderator",
    transport: httpx.BaseTransport | None = None,
    **options: Any,
) -> CommunityApiConnector:
    return CommunityApiConnector(process.url, process.tokens[token], transport=transport, **options)


REVIEW_MEMBERS = 300


def start_review_sandbox(data_dir: Path) -> tuple[SandboxProcess, ReviewScenario]:
    """A sandbox whose queue is the known review scenario (87 requests over 5 badges); started."""
    data_dir.mkdir(parents=True, exist_ok=True)
    database = data_dir / DATABASE_NAME
    seed_database(database, members=REVIEW_MEMBERS, seed=3)
    scenario = review_queue(database)
    process = SandboxProcess(data_dir=data_dir, members=REVIEW_MEMBERS, seed=3)
    process.start()
    return process, scenario


@pytest.fixture()
def review_sandbox(tmp_path: Path) -> Iterator[tuple[SandboxProcess, ReviewScenario]]:
    process, scenario = start_review_sandbox(tmp_path / "review-sandbox")
    try:
        yield process, scenario
    finally:
        process.stop()
