"""An open community profile: its cache, its outbox and how to reach its server.

This is the façade the views' background operations call; it has no Qt and
blocks, so it runs on workers only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import threading
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from desktop import paths, profiles, settings
from desktop.cache.database import Cache
from desktop.cancellation import CancelToken
from desktop.dialects import registry
from desktop.dialects.base import ServerSession
from desktop.dialects.capabilities import Capabilities
from desktop.domain import ChangeSet
from desktop.net.budget import Priority, RateBudget
from desktop.net.errors import AuthError
from desktop.net.ratecontrol import RateControl
from desktop.outbox import Outbox, PauseReason, RetryPolicy, SendProgress, SendReport
from desktop.sync import ProgressCallback, SyncResult, SyncService, stored_capabilities

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from desktop.designer.drafts import BadgeDrafts

#: The app retries a chunk a few times over about a minute before going offline.
APP_RETRY = RetryPolicy(attempts=4, first_delay=2.0, max_delay=30.0)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where the server is. The token is held in memory only (read from the keyring)."""

    url: str
    token: str
    #: Plain http to a host that is not loopback was allowed by ``--insecure-http``.
    insecure_http: bool = False
    #: The server's kind: which dialect speaks to it (:mod:`desktop.dialects.registry`).
    kind: str = registry.DEFAULT_KIND
    #: Requests a minute the server allows all its clients together, where it has such a limit
    #: and its admin raised it (None: the dialect's default, e.g. Discourse's 60).
    requests_per_minute: int | None = None
    #: Who the token acts as, where the server wants it beside the token (Discourse's
    #: Api-Username); not a secret, so kept with the profile, never in the keyring.
    username: str = ""
    #: Where the server keeps badge requests, where the user chooses it (a Discourse
    #: category's slug or id; "" = none: no review queue). Kept with the profile.
    request_category: str = ""

    def __repr__(self) -> str:
        # Never let the token reach a log or a traceback.
        return (
            f"Endpoint(url={self.url!r}, token=***, insecure_http={self.insecure_http}, kind={self.kind!r},"
            f" username={self.username!r}, request_category={self.request_category!r})"
        )


class Community:
    """One community profile.

    Thread safety: any worker thread; cache writes are serialised by the
    cache, and each call makes its own connector (they share rate control).
    """

    def __init__(
        self,
        profile: str,
        endpoint: Endpoint | None,
        cache: Cache | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        listed: Collection[str] | None = None,
    ) -> None:
        """``listed``: the keys of every listed profile, for moving an old cache folder
        (:func:`desktop.paths.open_profile_dir`); None: as the settings file lists them."""
        self.profile = profile
        self.endpoint = endpoint
        #: Tests put a recording transport here; None is real HTTP.
        self.transport = transport
        if cache is None:
            keys = profiles.listed_keys(settings.load(move_aside=False)) if listed is None else listed
            cache = Cache(paths.open_profile_dir(profile, keys))
        self.cache = cache
        self.outbox = Outbox(self.cache)
        self.rate_control = RateControl()
        self._rate_budget: RateBudget | None = None
        self._budget_lock = threading.Lock()
        self._actor_known = False

    def close(self) -> None:
        self.cache.close()

    @functools.cached_property
    def drafts(self) -> BadgeDrafts:
        """Badges designed here (loaded on first use: it brings the fonts along)."""
        from desktop.designer.drafts import BadgeDrafts

        return BadgeDrafts(self.cache, self.outbox)

    def connector(
        self, cancel: CancelToken | None = None, *, priority: Priority = Priority.FOREGROUND
    ) -> ServerSession:
        """A session with the server, in its dialect.

        ``priority``: who waits for its requests where the server has one limit
        for all (the user: FOREGROUND; a sync: BACKGROUND).
        """
        if self.endpoint is None:
            raise RuntimeError("This community has no server configured")
        dialect = registry.dialect(self.endpoint.kind)
        return dialect.open(
            self.endpoint.url,
            self.endpoint.token,
            username=self.endpoint.username,
            request_category=self.endpoint.request_category,
            rate_control=self.rate_control,
            budget=self._budget(dialect),
            priority=priority,
            cancel=cancel,
            transport=self.transport,
            allow_insecure_http=self.endpoint.insecure_http,
        )

    def _budget(self, dialect: registry.Dialect) -> RateBudget | None:
        """The one budget of this server's site-wide limit, shared by every session (None: no such limit)."""
        if dialect.rate_limit is None or self.endpoint is None:
            return None
        with self._budget_lock:
            if self._rate_budget is None:
                host = httpx.URL(self.endpoint.url).host
                limit = dialect.rate_limit
                if self.endpoint.requests_per_minute is not None:
                    limit = dataclasses.replace(
                        limit, requests=self.endpoint.requests_per_minute, period=60.0
                    )
                self._rate_budget = RateBudget(host, limit)
            return self._rate_budget

    def rate_budget(self) -> RateBudget | None:
        """The server's shared rate budget, for plans and ETAs (None: no server, or no known limit)."""
        if self.endpoint is None:
            return None
        return self._budget(registry.dialect(self.endpoint.kind))

    def use_token(self, token: str) -> bool:
        """Replace a refused token; sending resumes if the refusal had paused it (whether it did).

        The queue keeps its actions and their idempotency keys, so what the
        old token may have sent is not applied twice.
        """
        if self.endpoint is None:
            raise RuntimeError("This community has no server configured")
        self.endpoint = dataclasses.replace(self.endpoint, token=token)
        return self.outbox.resume_from(PauseReason.TOKEN_REFUSED)

    @contextlib.contextmanager
    def _pause_if_token_refused(self) -> Iterator[None]:
        # Sending with a refused token would only fail again, chunk after chunk:
        # pause until a new token is given (nothing queued is touched).
        try:
            yield
        except AuthError as error:
            if error.status == 401:
                self.outbox.pause_for(PauseReason.TOKEN_REFUSED)
            raise

    def sync(
        self,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        snapshot: bool = False,
        confirm_sweep: bool = False,
    ) -> SyncResult:
        """Sync in the background of the forum's rate budget (the user's sends go first).

        ``snapshot``: where later syncs read only what is new, read everything again now
        (and delete what is gone); ``confirm_sweep``: delete even most of a kind.
        """
        with (
            self._pause_if_token_refused(),
            contextlib.closing(self.connector(cancel, priority=Priority.BACKGROUND)) as session,
        ):
            # The connector made the forum's budget, if it has a limit: the progress's time left.
            service = SyncService(self.cache, session, budget=self._rate_budget)
            result = service.run(
                progress=progress, cancel=cancel, snapshot=snapshot, confirm_sweep=confirm_sweep
            )
            if not self._actor_known:
                # Who the token belongs to, recorded with every action (audit log).
                self.outbox.remember_actor(session.directory.me())
                self._actor_known = True
            # For the log file (the window and badgedesk sync alike): what a sync did, and when.
            log.info(
                "%s sync of %s: %d items in %.1f s",
                "snapshot" if result.snapshot else "full" if result.full else "later",
                self.profile,
                result.items,
                result.seconds,
            )
            return result

    def capabilities(self) -> Capabilities | None:
        """What the server could do at the last sync (None before the first one)."""
        return stored_capabilities(self.cache.sync_state())

    def send_outbox(
        self,
        *,
        cancel: CancelToken | None = None,
        progress: Callable[[SendProgress], None] | None = None,
        retry: RetryPolicy = APP_RETRY,
    ) -> SendReport:
        if self.outbox.paused():
            # Not even the server's capabilities: a refused token would only be refused again.
            pending = self.outbox.pending_count()
            return SendReport(queued=pending, done=0, conflicts=0, failed=0, changes=ChangeSet(), paused=True)
        with self._pause_if_token_refused(), contextlib.closing(self.connector(cancel)) as session:
            return self.outbox.send_pending(
                session, batch_cap=session.writer.batch_cap, cancel=cancel, progress=progress, retry=retry
            )
