"""The Discourse face's request plumbing around the routes: Rails' formats, the username header, faults.

- Rails treats ``/admin/badges.json`` and ``/admin/badges`` as one route with a
  format, and ignores a trailing slash; the routes here are declared without
  ``.json``, and this strips it (and the slash) before routing, without
  redirecting (pydiscourse refuses redirects).
- ``X-Discourse-Username`` names the acting user on every authenticated answer.
- The per-IP limits, when switched on (``PerIpLimits``): counted before any
  route, refused with ``RequestTracker``'s plain-text 429; ``auth`` takes the
  step back when the request's API key is good.
- Latency and injected faults, for the client's retry and exactly-once tests:
  a 503 before anything is done (Discourse's read-only answer), or the work done
  and the answer cut off half-way through its body.

Pure ASGI (no ``BaseHTTPMiddleware``): a truncated body must reach the socket as is.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from desktop.sandbox.discourse.ratelimit import IpLimited, PerIpLimits
from desktop.sandbox.discourse.responses import JSON_CONTENT_TYPE

#: Where ``auth`` finds the IP the per-IP limiter counted this request under.
IP_STATE = "discourse_ip"

READ_ONLY_BODY = (
    b'{"errors":["Site is in read only mode. Interactions are disabled."],"error_type":"read_only"}'
)


def normalise_path(path: str) -> str:
    if path.endswith(".json"):
        path = path[: -len(".json")]
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return path


class DiscourseConventions:
    """Formats, the username header, latency and faults. Thread safety: the event loop only."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        latency_ms: int = 0,
        fail_rate: float = 0.0,
        fault_seed: int | None = None,
        ip_limits: PerIpLimits | None = None,
    ) -> None:
        if not 0.0 <= fail_rate <= 1.0:
            raise ValueError("fail_rate must be between 0 and 1")
        self.app = app
        self.latency = latency_ms / 1000.0
        self.fail_rate = fail_rate
        self._faults = random.Random(fault_seed)
        self.ip_limits = ip_limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = normalise_path(str(scope["path"]))
        scope = {**scope, "path": path, "raw_path": path.encode("utf-8")}
        state: dict[str, Any] = scope.setdefault("state", {})

        async def named(message: Message) -> None:
            if message["type"] == "http.response.start":
                username = state.get("discourse_username")
                if username:
                    headers = list(message.get("headers", []))
                    headers.append((b"x-discourse-username", str(username).encode("utf-8")))
                    message = {**message, "headers": headers}
            await send(message)

        if self.ip_limits is not None:
            client = scope.get("client")
            ip = str(client[0]) if client else "unknown"
            try:
                self.ip_limits.perform(ip)
            except IpLimited as refused:
                await _ip_limited(send, refused)
                return
            state[IP_STATE] = ip
        if self.latency > 0:
            await asyncio.sleep(self.latency)
        if self.fail_rate > 0 and self._faults.random() < self.fail_rate:
            if self._faults.random() < 0.5:
                await _read_only(send)
            else:
                await self._apply_then_drop(scope, receive, named)
            return
        await self.app(scope, receive, named)

    async def _apply_then_drop(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle the request fully, then send only half the promised body (the connection then breaks)."""
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
        headers = [(k, v) for k, v in start.get("headers", []) if bytes(k).lower() != b"content-length"]
        headers.append((b"content-length", str(max(1, len(body))).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send({"type": "http.response.body", "body": bytes(body[: len(body) // 2]), "more_body": True})


async def _read_only(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", JSON_CONTENT_TYPE.encode()),
                (b"content-length", str(len(READ_ONLY_BODY)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": READ_ONLY_BODY})


async def _ip_limited(send: Send, refused: IpLimited) -> None:
    body = refused.body()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                # Exactly "text/plain": Rack's answer from the middleware, no charset.
                (b"content-type", b"text/plain"),
                (b"retry-after", str(refused.wait_seconds).encode()),
                (b"discourse-rate-limit-error-code", refused.error_code.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
