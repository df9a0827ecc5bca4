"""The contract suite's Discourse entry: the sandbox's Discourse face and the real Discourse connector.

The connector talks to the sandbox over loopback HTTP through
:class:`DiscourseTransport`, which applies the test hooks as Discourse would
show them:

- the hooks' operations are read from Discourse's paths (:func:`operation`):
  a grant (``POST /user_badges``) is an ``award_batch`` of one, a revoke
  (``DELETE /user_badges/{id}``) a ``revoke_batch``, the user list ``members``,
  the holders and a member's badges ``awards``, and so on;
- a throttled request gets Discourse's 429, alternating its two shapes (the
  admin bucket's JSON with ``extras.wait_seconds``, and the per-IP plain text);
- a spoiled page has its first row's id beyond SQLite's 64 bits (Discourse's
  own users have ids of 0 and below, so 0 would be a bot, not a broken page);
- with ``fail_rate`` (the exactly-once fault test), the transport adds
  seeded faults of its own to the sandbox's (a 503, or the work done and the
  answer cut): a 429 of either shape, and a write applied whose answer is lost.

Witnesses come from the sandbox's store (award rows, revoked ones included);
Discourse keeps no idempotency keys, so there are none to witness. The
harness acts as the demo's all-users admin key (``system``): a moderator may
not read the badge list, which the directory needs. The demo's moderator is
the second moderator (:meth:`DiscourseHarness.open_other_moderator`) who
replies to and closes request topics behind the tested session's back.

The demo seeds no ``multiple_grant`` badge; as a forum's admin would, the
starter marks :data:`MULTIPLE_GRANT_BADGES` of the published badges so (through
``PUT /admin/badges/{id}``), so every contract test may meet both kinds.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx

from desktop.dialects.base import ServerSession
from desktop.dialects.discourse import KIND
from desktop.dialects.discourse.session import DiscourseSession
from desktop.sandbox.discourse.data.schema import store_badge_id
from desktop.sandbox.process import SandboxProcess
from tests.e2e import server_witness
from tests.fakes.hooks import WRITES, ServerHooks

#: The demo's category of badge requests (its topics are the requests): the session's request desk.
REQUEST_CATEGORY = "badge-requests"
#: How many published badges the starter makes ``multiple_grant`` (every other one, from the first).
MULTIPLE_GRANT_BADGES = 6
#: Discourse takes one member per request where v1 takes a batch of 50: a ``rate`` given in v1's
#: requests per second becomes this many times as many of Discourse's, so both servers pass the
#: same awards per second.
AWARDS_PER_V1_REQUEST = 50
#: A forum whose limit nobody asked about: high enough never to bind in a contract test.
UNLIMITED_PER_MINUTE = 600_000

_NOT_SQLITE_ID = 2**63
_TEXT_429 = b"Slow down, too many requests from this IP address. Please retry again in 0 seconds."


def operation(request: httpx.Request) -> str:
    """What a Discourse request does, in the hooks' words (``award_batch``, ``members``, …)."""
    path = request.url.path.removesuffix(".json").rstrip("/")
    parts = path.strip("/").split("/")
    method = request.method
    if path == "/user_badges":
        return "award_batch" if method == "POST" else "awards"
    if parts[0] == "user_badges" and method == "DELETE":
        return "revoke_batch"
    if method == "GET":
        if path == "/site/basic-info":
            return "community"
        if parts[0] == "u":
            return "me"
        if parts[0] == "user-badges":
            return "awards"
        if parts[:3] == ["admin", "users", "list"]:
            return "members"
        if parts[:2] == ["admin", "users"]:
            return "members/id"
        if parts[:2] == ["admin", "badges"]:
            return "badges"
        if parts[0] == "c":
            return "requests"
        if parts[0] == "t":
            return "requests/id"
    if parts[:2] == ["admin", "badges"] or parts[0] == "uploads":
        return "save_badge"
    if parts[0] == "t" and parts[-1] == "status":
        return "decide"
    return f"{method} {path}"


def spoiled(content: bytes) -> bytes:
    """A Discourse page with its first row's id out of bounds, or, without rows, not a page at all."""
    body = json.loads(content)
    rows: Any = None
    if isinstance(body, list):
        rows = body  # the user list is a bare array
    elif isinstance(body, dict):
        info = body.get("user_badge_info")
        rows = info.get("user_badges") if isinstance(info, dict) else body.get("badges")
        rows = rows or body.get("user_badges")
    if rows:
        rows[0]["id"] = _NOT_SQLITE_ID
        return json.dumps(body).encode()
    return b'"spoiled"'


def throttled(retry_after: str, shape: str) -> httpx.Response:
    """Discourse's 429: the admin bucket's JSON, or the request middleware's plain text."""
    headers = {"Retry-After": retry_after}
    if shape == "text":
        headers |= {"Content-Type": "text/plain", "Discourse-Rate-Limit-Error-Code": "ip_10_secs_limit"}
        return httpx.Response(429, headers=headers, content=_TEXT_429)
    seconds = int(float(retry_after))
    body = {
        "errors": ["You’ve performed this action too many times. Please wait a moment before trying again."],
        "error_type": "rate_limit",
        "extras": {"wait_seconds": seconds, "time_left": f"{seconds} seconds"},
    }
    headers |= {
        "Content-Type": "application/json; charset=utf-8",
        "Discourse-Rate-Limit-Error-Code": "admin_api_key_rate_limit",
    }
    return httpx.Response(429, headers=headers, content=json.dumps(body).encode())


class TransportFaults:
    """The transport's own seeded faults (besides the sandbox's). Thread safety: a lock."""

    def __init__(self, fail_rate: float, seed: int | None) -> None:
        self.fail_rate = fail_rate
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def draw(self, write: bool) -> str | None:
        """``"throttle"`` (half of ``fail_rate``), ``"lose"`` (the other half, writes only) or None."""
        with self._lock:
            roll = self._rng.random()
        if roll < self.fail_rate / 2:
            return "throttle"
        if write and roll < self.fail_rate:
            return "lose"
        return None


class DiscourseTransport(httpx.BaseTransport):
    """Real HTTP to the sandbox's Discourse face, with the harness's hooks (and faults) on the way."""

    def __init__(self, harness: DiscourseHarness) -> None:
        self.harness = harness
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        hooks = self.harness.hooks
        name = operation(request)
        fault = None if self.harness.faults is None else self.harness.faults.draw(name in WRITES)
        retry_after = hooks.take_throttle()
        if retry_after is None and fault == "throttle":
            retry_after = "0"
        if retry_after is not None:
            # Refused before the forum sees it, as its rate limiter would; nothing is done.
            hooks.saw(name, 429)
            return throttled(retry_after, self.harness.next_shape())
        response = self.inner.handle_request(request)
        hooks.saw(name, response.status_code)
        if hooks.take_lose(name) or (fault == "lose" and response.status_code == 200):
            # The forum did the work and answered; the answer never arrives.
            response.read()
            response.close()
            if fault == "lose":
                hooks.count_lost()
            raise httpx.ReadError("the answer was lost on the way back (test hook)", request=request)
        if response.status_code == 200 and hooks.take_malform(name):
            response.read()
            return httpx.Response(
                200,
                headers={"Content-Type": "application/json; charset=utf-8"},
                content=spoiled(response.content),
            )
        return response

    def close(self) -> None:
        self.inner.close()


class DiscourseHarness:
    """The sandbox speaking Discourse, and the Discourse connector talking to it over loopback HTTP."""

    kind = KIND
    #: Discourse keeps no free-text reason (only a link to a post), refuses no grant to a suspended
    #: member, grants no disabled badge, and caps its pages (see :class:`tests.contract.dialects.Harness`).
    keeps_free_text_reasons = False
    refuses_suspended_members = False
    grants_disabled_badges_when_forced = False
    waits_out_429s = True
    reads_back_badge_images = False
    fills_pages = False
    checks_decision_versions = False
    known_gaps: Mapping[str, str] = {}

    def __init__(self, process: SandboxProcess, faults: TransportFaults | None = None) -> None:
        self.process = process
        self.hooks = ServerHooks()
        self.faults = faults
        self.lock = threading.Lock()
        self._shapes = 0

    def next_shape(self) -> str:
        """The 429's shape: JSON and plain text by turns, so both are met."""
        with self.lock:
            self._shapes += 1
            return "json" if self._shapes % 2 else "text"

    @property
    def api_key(self) -> str:
        return self.process.tokens["admin"]

    @property
    def username(self) -> str:
        return self.process.usernames["admin"]

    def open(self, **options: Any) -> ServerSession:
        return DiscourseSession(
            self.process.url,
            self.api_key,
            username=self.username,
            request_category=REQUEST_CATEGORY,
            transport=DiscourseTransport(self),
            **options,
        )

    def open_other_moderator(self) -> ServerSession:
        # The demo's moderator (not the admin key's ``system``), straight to the sandbox.
        return DiscourseSession(
            self.process.url,
            self.process.tokens["moderator"],
            username=self.process.usernames["moderator"],
            request_category=REQUEST_CATEGORY,
        )

    def award_rows(self, badge_id: int) -> dict[int, int]:
        return server_witness.award_rows(self.process, store_badge_id(badge_id))

    def active_holders(self, badge_id: int) -> set[int]:
        return server_witness.active_holders(self.process, store_badge_id(badge_id))

    def idempotency_keys(self) -> set[str]:
        return set()  # Discourse keeps none

    def messages_to(self, member_id: int) -> list[str]:
        # Its notifications and private messages are posts, not the store's messages.
        return server_witness.messages_to(self.process, member_id)

    def worker_args(self) -> tuple[str, dict[str, str]]:
        return self.process.url, {
            "SEND_WORKER_KIND": KIND,
            "SEND_WORKER_TOKEN": self.api_key,
            "SEND_WORKER_USERNAME": self.username,
        }

    def stop(self) -> None:
        self.process.stop()


def start_discourse(
    directory: Path,
    *,
    members: int,
    seed: int,
    rate: float | None = None,
    fail_rate: float | None = None,
    fault_seed: int | None = None,
    persistent: bool = False,  # the sandbox keeps its database in a file anyway
) -> DiscourseHarness:
    """``rate`` in v1's terms (requests per second; see :data:`AWARDS_PER_V1_REQUEST`); ``fail_rate``
    is shared by the sandbox's faults and the transport's (:class:`TransportFaults`)."""
    per_minute = UNLIMITED_PER_MINUTE if rate is None else rate * 60 * AWARDS_PER_V1_REQUEST
    process = SandboxProcess(
        data_dir=directory / "sandbox",
        members=members,
        seed=seed,
        rate=per_minute,
        fail_rate=None if fail_rate is None else fail_rate / 2,
        fault_seed=fault_seed,
        dialect="discourse",
    ).start()
    faults = None if fail_rate is None else TransportFaults(fail_rate / 2, fault_seed)
    harness = DiscourseHarness(process, faults)
    try:
        _mark_multiple_grant(process)
    except BaseException:
        harness.stop()
        raise
    return harness


def _mark_multiple_grant(process: SandboxProcess) -> None:
    """Make some published badges ``multiple_grant``, as a forum's admin may (the demo has none)."""
    headers = {"Api-Key": process.tokens["admin"], "Api-Username": process.usernames["admin"]}
    with httpx.Client(base_url=process.url, headers=headers, timeout=30) as client:
        listing = _through_faults(lambda: client.get("/admin/badges.json"))
        custom = sorted(b["id"] for b in listing.json()["badges"] if b["enabled"] and not b["system"])
        for badge_id in custom[: 2 * MULTIPLE_GRANT_BADGES : 2]:
            path = f"/admin/badges/{badge_id}.json"
            # Setting a flag: the same request again does no harm.
            _through_faults(_put(client, path, {"multiple_grant": True}))


def _through_faults(send: Callable[[], httpx.Response], attempts: int = 20) -> httpx.Response:
    """A request the sandbox's injected faults (a 503, a cut answer) may spoil, sent until it is not."""
    for _ in range(attempts - 1):
        try:
            response = send()
        except httpx.TransportError:
            continue
        if response.status_code != 503:
            return response.raise_for_status()
    return send().raise_for_status()


def _put(client: httpx.Client, path: str, body: dict[str, Any]) -> Callable[[], httpx.Response]:
    return lambda: client.put(path, json=body)
