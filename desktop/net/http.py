"""The HTTP session every dialect sends through: timeouts, TLS, pacing, bounded retries.

What is shared by all server kinds lives here: the address check (no token
over plain http to another host), the httpx client and its timeouts, the
per-host :class:`~desktop.net.ratecontrol.RateControl` that honours
``Retry-After``, cancellation, and which failures are worth another attempt.
For a server with a site-wide limit (Discourse), an optional
:class:`~desktop.net.budget.RateBudget` gives each request its turn, and a 429
then means "wait", never a failed attempt.
What an answer *means* (error bodies, status codes with a dialect's own
meaning) is the dialect's business.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import httpx

from desktop.cancellation import CancelToken
from desktop.i18n import _, ngettext
from desktop.net.budget import Priority, RateBudget
from desktop.net.errors import ServerBusy, ServerUnreachable
from desktop.net.ratecontrol import RateControl
from desktop.net.server_address import check_server_url
from desktop.net.throttling import parse_retry_after as parse_retry_after  # re-exported: moved there
from desktop.net.throttling import throttle_wait
from desktop.net.tls import tls_failure

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Answers after which the request may have been applied all the same.
AMBIGUOUS_STATUSES = frozenset({500, 502, 504})
#: Failures after which the request may or may not have been applied. Whether
#: sending it again is safe is the caller's question (an idempotency key, or a
#: check first): :class:`HttpSession` retries only when told it is.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.PoolTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)
_CONNECT_ERRORS: tuple[type[Exception], ...] = (httpx.ConnectError, httpx.ConnectTimeout)


class HttpSession:
    """Requests to one server, paced and retried.

    Thread safety: one thread at a time per instance (the cancel token belongs
    to one operation), except :meth:`send`, which several threads may call at
    once (the outbox's batches in flight; the httpx client pools connections);
    the rate control may be shared by any number.
    """

    def __init__(
        self,
        base_url: str,
        *,
        prefix: str = "",
        headers: Mapping[str, str],
        rate_control: RateControl | None = None,
        max_attempts: int = 6,
        timeout: float = 15.0,
        connect_timeout: float = 3.0,
        cancel: CancelToken | None = None,
        transport: httpx.BaseTransport | None = None,
        allow_insecure_http: bool = False,
        max_throttled_wait: float | None = None,
        budget: RateBudget | None = None,
        priority: Priority = Priority.FOREGROUND,
        busy_after: float = 600.0,
    ) -> None:
        # Before the client exists: every request carries the credentials.
        self.base_url = check_server_url(base_url, allow_insecure_http=allow_insecure_http).url
        self.host = httpx.URL(self.base_url).host
        if budget is not None and budget.host != self.host:
            raise ValueError(f"The rate budget of {budget.host} cannot pace requests to {self.host}")
        #: The forum's budget, when it has a site-wide limit; None paces by ``rate`` alone.
        self.budget = budget
        #: Who waits for this session's requests, unless a call says otherwise.
        self.priority = priority
        #: With a budget: seconds of nothing but 429s before giving up with ServerBusy.
        self.busy_after = busy_after
        self.rate = rate_control or RateControl()
        self.max_attempts = max(1, max_attempts)
        #: How long one request waits out 429s in all before the server counts as busy; None: a
        #: 429 spends an attempt like a 503 (a server whose 429 is a refusal worth reporting).
        self.max_throttled_wait = max_throttled_wait
        self.cancel = cancel or CancelToken()
        #: Requests sent so far (every attempt, refused ones included): what a read cost.
        self.requests_sent = 0
        self._counting = threading.Lock()
        self._client = httpx.Client(
            base_url=self.base_url + prefix,
            headers=dict(headers),
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            limits=httpx.Limits(max_keepalive_connections=4, keepalive_expiry=30),
            transport=transport,
            follow_redirects=False,
        )

    def close(self) -> None:
        self._client.close()

    def send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Any = None,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        resend_after_loss: bool = True,
        priority: Priority | None = None,
    ) -> httpx.Response:
        """Send with bounded retries; returns the first response not worth retrying.

        ``resend_after_loss`` False: a connection that broke after the request
        went out raises :class:`ServerUnreachable` at once instead of sending
        it again, for a server that would apply it twice. ``priority``: who
        waits for this one (the session's own priority when None).
        """
        # What went wrong last, for the user (translated); whether it was an HTTP status.
        last_problem = ""
        last_was_status = False
        # Whether an earlier attempt may have reached the server (its answer lost or an error).
        sent = False
        throttled = 0.0
        attempt = 0
        while attempt < self.max_attempts:
            attempt += 1
            try:
                response = self._request_in_turn(
                    priority if priority is not None else self.priority,
                    method,
                    path,
                    params=params,
                    json=body,
                    files=files,
                    data=data,
                    headers=headers,
                )
            except _CONNECT_ERRORS as error:
                # A certificate does not get better by asking again, and the
                # server is there: neither a retry nor "offline" fits.
                tls = tls_failure(error, self.host)
                if tls is not None:
                    raise tls from error
                # Refused at once: the server is not there; retrying a little
                # covers a server that is just starting.
                last_problem = _("cannot connect to {server} ({error})").format(
                    server=self.base_url, error=type(error).__name__
                )
                last_was_status = False
                if attempt >= min(self.max_attempts, 3):
                    raise ServerUnreachable(
                        _("Server unreachable: {problem}").format(problem=last_problem), request_sent=sent
                    ) from error
                self._back_off(attempt)
                continue
            except TRANSIENT_ERRORS as error:
                sent = True
                last_problem = _("the connection broke ({error})").format(error=type(error).__name__)
                last_was_status = False
                log.info(
                    "%s %s: the connection broke (%s), attempt %d",
                    method,
                    path,
                    type(error).__name__,
                    attempt,
                )
                if not resend_after_loss:
                    raise ServerUnreachable(
                        _("Server unreachable: {problem}").format(problem=last_problem)
                    ) from error
                self._back_off(attempt)
                continue
            sent = True
            if response.status_code in AMBIGUOUS_STATUSES and not resend_after_loss:
                # A gateway that gave up may have passed the request on.
                raise ServerUnreachable(
                    _("Server unreachable: HTTP {status} from a gateway").format(status=response.status_code)
                )
            if response.status_code == 429 and self.max_throttled_wait is not None:
                # "Not now", never "no": nothing was done, so reads and writes alike wait
                # what the server asks and go again, without spending an attempt.
                throttled += self._wait_out_throttle(method, path, response, throttled)
                attempt -= 1
                continue
            if response.status_code in RETRY_STATUSES:
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                last_problem = f"HTTP {response.status_code}"
                last_was_status = True
                log.info("%s %s: %s, attempt %d", method, path, last_problem, attempt)
                self._back_off(attempt, retry_after)
                continue
            self.rate.on_success(self.host)
            return response
        attempts = self.max_attempts
        if last_was_status:
            raise ServerBusy(
                ngettext(
                    "Server busy: {problem} on {n} attempt",
                    "Server busy: {problem} on {n} attempts",
                    attempts,
                ).format(problem=last_problem, n=attempts)
            )
        raise ServerUnreachable(
            ngettext(
                "Server unreachable: {problem} on {n} attempt",
                "Server unreachable: {problem} on {n} attempts",
                attempts,
            ).format(problem=last_problem, n=attempts)
        )

    def _wait_out_throttle(self, method: str, path: str, response: httpx.Response, waited: float) -> float:
        """Wait what a 429 asks (both of Discourse's shapes); returns the wait, or raises
        :class:`ServerBusy` once the server has refused for longer than ``max_throttled_wait``."""
        patience = self.max_throttled_wait or 0.0
        wait = self.rate.on_throttled(self.host, throttle_wait(response))
        if waited + wait > patience:
            minutes = max(1, round(patience / 60))
            raise ServerBusy(
                _(
                    "Server busy: it kept refusing with a rate limit (HTTP 429) for {minutes} min;"
                    " another integration may be using up its request budget; try again later"
                ).format(minutes=minutes)
            )
        log.info("%s %s: rate limited (HTTP 429), waiting %.1f s", method, path, wait)
        self.cancel.sleep(wait)
        return wait

    @contextlib.contextmanager
    def prioritised(self, priority: Priority) -> Iterator[None]:
        """Send at ``priority`` for a while, e.g. a sync session's lookup that the user waits for."""
        previous, self.priority = self.priority, priority
        try:
            yield
        finally:
            self.priority = previous

    def _request_in_turn(self, priority: Priority, method: str, path: str, **request: Any) -> httpx.Response:
        """One request when its turn comes; with a budget, 429s are waited out here."""
        self.cancel.sleep(self.rate.reserve(self.host))
        if self.budget is None:
            self._count()
            return self._client.request(method, path, **request)
        while True:
            slot = self.budget.acquire(priority, self.cancel)
            self._count()
            response = self._client.request(method, path, **request)
            if response.status_code != 429:
                self.budget.on_answered()
                return response
            # Refused, so not applied: safe to send again, whatever the method.
            wait = throttle_wait(response)
            refusing_for = self.budget.on_throttled(wait, slot)
            log.info("%s %s: HTTP 429, the forum asks to wait %s s", method, path, wait)
            if refusing_for >= self.busy_after:
                raise ServerBusy(
                    _(
                        "Server busy: {host} has refused every request for {minutes} min (rate limit,"
                        " HTTP 429); its API limit is shared by every tool that uses it: try again later"
                    ).format(host=self.host, minutes=round(refusing_for / 60)),
                    status=429,
                    code="rate_limited",
                )

    def _count(self) -> None:
        with self._counting:
            self.requests_sent += 1

    def _back_off(self, attempt: int, retry_after: float | None = None) -> None:
        wait = self.rate.on_throttled(self.host, retry_after)
        # After the last attempt there is nothing to wait for: report at once.
        if attempt < self.max_attempts:
            self.cancel.sleep(wait)
