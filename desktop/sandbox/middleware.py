"""Misbehaviour on purpose: latency, rate limiting and injected faults.

The sandbox exists to exercise the client's retry and exactly-once logic, so it
can be slow, say 429, fail with 503 before doing anything, or - the nasty case
- do the work and then lose the answer half-way through the body.

Pure ASGI rather than ``BaseHTTPMiddleware``: the latter buffers and re-wraps
responses, which would make a truncated body impossible to send.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop.dialects.badgedesk_v1.wire import ErrorOut


class TokenBucket:
    """Allows ``rate`` requests per second on average, bursts up to ``capacity``.

    Thread safety: not thread-safe; the sandbox uses it from the event loop only.
    """

    def __init__(
        self, rate: float, *, capacity: float | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = capacity if capacity is not None else max(1.0, rate)
        self._clock = clock
        self._tokens = self.capacity
        self._last = clock()

    def take(self) -> float:
        """Spend one token; return 0 when allowed, else seconds until one is available."""
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / self.rate


class RateLimiter:
    """One token bucket per caller (per bearer token).

    Thread safety: not thread-safe; event loop only.
    """

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self._clock = clock
        self._buckets: dict[str, TokenBucket] = {}

    def retry_after(self, key: str) -> int | None:
        """``None`` if the call may proceed, else whole seconds to wait (at least 1)."""
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(self.rate, clock=self._clock)
        wait = bucket.take()
        if wait <= 0:
            return None
        return max(1, math.ceil(wait))


def _error_body(error: str, message: str) -> bytes:
    return ErrorOut(error=error, message=message).model_dump_json().encode()


async def send_error(
    send: Send, status: int, error: str, message: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = _error_body(error, message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _bearer(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            return bytes(value).decode("latin-1")
    return ""


class SandboxMiddleware:
    """Latency, rate limit and fault injection for paths under ``prefix``.

    Thread safety: runs on the server's event loop only.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        prefix: str = "/api/v1",
        latency_ms: int = 0,
        rate: float | None = None,
        fail_rate: float = 0.0,
        fault_seed: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.prefix = prefix
        self.latency = latency_ms / 1000.0
        self.limiter = RateLimiter(rate, clock=clock) if rate else None
        self.fail_rate = fail_rate
        self._faults = random.Random(fault_seed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope["path"]).startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        if self.limiter is not None:
            wait = self.limiter.retry_after(_bearer(scope))
            if wait is not None:
                await send_error(
                    send,
                    429,
                    "rate_limited",
                    f"Too many requests; at most {self.limiter.rate:g} per second. Retry after {wait} s.",
                    [(b"retry-after", str(wait).encode())],
                )
                return
        if self.fail_rate > 0 and self._faults.random() < self.fail_rate:
            if self._faults.random() < 0.5:
                await send_error(
                    send, 503, "unavailable", "Injected fault: nothing was done.", [(b"retry-after", b"1")]
                )
            else:
                await self._apply_then_drop(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _apply_then_drop(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle the request fully, then send only half the promised body.

        Returning with the body incomplete makes the server close the
        connection, so the client sees a broken response for work that was done.
        """
        start: Message | None = None
        body = bytearray()

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        await self.app(scope, receive, capture)
        if start is None:
            return
        declared = max(1, len(body))
        headers = [(k, v) for k, v in start.get("headers", []) if bytes(k).lower() != b"content-length"]
        headers.append((b"content-length", str(declared).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send({"type": "http.response.body", "body": bytes(body[: len(body) // 2]), "more_body": True})
