"""What every request handler of the Discourse face reaches through ``app.state``."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.requests import Request

from desktop.sandbox.discourse.data import DiscourseData
from desktop.sandbox.discourse.jobs import BackgroundJobs
from desktop.sandbox.discourse.keys import ApiKeys
from desktop.sandbox.discourse.ratelimit import PerIpLimits, SlidingWindowLimiter


@dataclass(slots=True)
class DiscourseContext:
    """Data, keys, the admin bucket, the forum's host name. Thread safety: read-only after start."""

    data: DiscourseData
    keys: ApiKeys
    limiter: SlidingWindowLimiter | None
    jobs: BackgroundJobs = field(default_factory=BackgroundJobs)
    #: The forum's host name, for reason links; ``None`` takes it from each request's Host header.
    hostname: str | None = None
    clock: Callable[[], float] = field(default=time.time)
    #: The middleware's per-IP limits (``None``: off, as for a private address by default).
    ip_limits: PerIpLimits | None = None
    #: The Solved plugin's directory column is on (``solutions``): off, as on most forums.
    solved: bool = False

    def forum_hostname(self, request: Request) -> str:
        if self.hostname is not None:
            return self.hostname
        return request.url.hostname or "localhost"

    def now(self) -> int:
        return int(self.clock())


def context(request: Request) -> DiscourseContext:
    ctx = request.app.state.discourse
    assert isinstance(ctx, DiscourseContext)
    return ctx
