"""The Discourse face's ASGI application: routes, Discourse's refusals, the admin bucket, the plumbing."""

from __future__ import annotations

import time
from collections.abc import Callable

from fastapi import FastAPI

from desktop.sandbox.discourse.context import DiscourseContext
from desktop.sandbox.discourse.data import DiscourseData
from desktop.sandbox.discourse.errors import install_error_handlers
from desktop.sandbox.discourse.jobs import BackgroundJobs
from desktop.sandbox.discourse.keys import ApiKeys
from desktop.sandbox.discourse.middleware import DiscourseConventions
from desktop.sandbox.discourse.ratelimit import DEFAULT_PER_MINUTE, PerIpLimits, SlidingWindowLimiter
from desktop.sandbox.discourse.routes import ROUTERS


def create_discourse_app(
    data: DiscourseData,
    keys: ApiKeys,
    *,
    rate_per_minute: float | None = DEFAULT_PER_MINUTE,
    hostname: str | None = None,
    latency_ms: int = 0,
    fail_rate: float = 0.0,
    fault_seed: int | None = None,
    job_delay: float = 1.0,
    clock: Callable[[], float] = time.time,
    limiter_clock: Callable[[], float] = time.monotonic,
    ip_limits: PerIpLimits | None = None,
    solved: bool = False,
) -> FastAPI:
    """The app over ``data``, accepting ``keys``.

    ``rate_per_minute`` is ``max_admin_api_reqs_per_minute`` (``None``: no
    limit); ``hostname`` the forum's host for reason links (``None``: each
    request's Host); ``fail_rate`` the share of injected faults; ``job_delay``
    how long background jobs (a mass award's grants) wait before they run;
    ``ip_limits`` the middleware's per-IP limits (``None``: off, as Discourse
    leaves private addresses such as loopback alone by default); ``solved`` turns on the
    Solved plugin's directory column (``solutions``).
    """
    app = FastAPI(
        title="BadgeDesk sandbox: Discourse",
        description="The sandbox's community through Discourse's API.",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    # Rails ignores a trailing slash; a redirect would break pydiscourse.
    app.router.redirect_slashes = False
    limiter = None
    if rate_per_minute is not None:
        limiter = SlidingWindowLimiter(max(1, int(rate_per_minute)), clock=limiter_clock)
    app.state.discourse = DiscourseContext(
        data=data,
        keys=keys,
        limiter=limiter,
        jobs=BackgroundJobs(job_delay),
        hostname=hostname,
        clock=clock,
        ip_limits=ip_limits,
        solved=solved,
    )
    for router in ROUTERS:
        app.include_router(router)
    install_error_handlers(app)
    app.add_middleware(
        DiscourseConventions,
        latency_ms=latency_ms,
        fail_rate=fail_rate,
        fault_seed=fault_seed,
        ip_limits=ip_limits,
    )
    return app
