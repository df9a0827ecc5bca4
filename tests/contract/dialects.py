"""The dialects the contract suite runs against, each behind one harness.

A dialect joins the suite here, with one entry in :data:`STARTERS`: a
function that starts its server with a seeded community (the sandbox
speaking that dialect, or the memory server) and returns a :class:`Harness`.
The v1 and memory harnesses are below; Discourse's (the sandbox's Discourse
face, its hooks at Discourse's paths, its 429s in both of Discourse's shapes)
is :mod:`tests.contract.discourse_harness`. What a server does that no port
declares (it keeps free-text reasons, refuses suspended members, fills its
pages, …) is declared by its harness, and the tests follow it.
Tests speak to the server only through the ports of the sessions a harness
opens; the harness adds what no port offers:

- the test hooks (:class:`tests.fakes.hooks.ServerHooks`): lose an answer,
  answer 429 with a ``Retry-After``, spoil a page. The memory server consults
  them itself; for the sandbox they sit in an httpx transport between the
  connector and the real HTTP, so the server and the connector are untouched;
- witnesses: what the server really holds (award rows, revoked ones included;
  the idempotency keys it saw, where it keeps any), read behind the ports' back;
- how a separate process (``tests/e2e/send_worker.py``) reaches the server.

A test module outside ``tests/contract`` runs once per dialect with the
fixtures of :mod:`tests.contract.per_dialect` (as
``tests/e2e/test_exactly_once.py`` does).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

import httpx

from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.dialects.badgedesk_v1.wire import ErrorOut
from desktop.dialects.base import ServerSession
from desktop.sandbox.process import SandboxProcess
from tests.contract.discourse_harness import start_discourse
from tests.e2e import server_witness
from tests.fakes.hooks import ServerHooks
from tests.fakes.memory_community import MemoryCommunity
from tests.fakes.memory_dialect import SCHEME, MemorySession
from tests.fakes.memory_server import Faults, MemoryServer

#: The community every contract test starts from (the sandbox's seed; the memory server loads the same).
MEMBERS = 300
SEED = 3


class Harness(Protocol):
    """A running server of one dialect, as the tests see it."""

    kind: str
    hooks: ServerHooks
    #: What the server does that no port declares (the tests' expectations follow it):
    #: an award keeps the moderator's free-text reason (Discourse keeps only a link to a post);
    keeps_free_text_reasons: bool
    #: a grant to a suspended member is refused unless forced (Discourse grants it);
    refuses_suspended_members: bool
    #: a disabled badge is granted when forced (Discourse grants no disabled badge);
    grants_disabled_badges_when_forced: bool
    #: a session waits out 429s for minutes instead of counting each as an attempt (Discourse);
    waits_out_429s: bool
    #: a badge's image comes back with it (Discourse's is an upload URL the client does not fetch);
    reads_back_badge_images: bool
    #: every page of a listing but the last holds as many items as asked (Discourse's server
    #: caps its pages: 100 users, 50 holders, each badge's holders ending on a page of their own).
    fills_pages: bool
    #: a decision is checked by the request's version number alone: any version but the current
    #: one is refused, a version the server never gave and one its own earlier decision replaced
    #: (Discourse's desk checks instead who replied to or closed the topic since).
    checks_decision_versions: bool
    #: Contract tests this server is known to fail, by test function name, and why: they run
    #: as strict expected failures (one that passes fails, so the entry is removed).
    known_gaps: Mapping[str, str]

    def open(self, **options: Any) -> ServerSession:
        """A new session (``max_attempts``, ``rate_control``, ``cancel`` as the connectors take them)."""
        ...

    def open_other_moderator(self) -> ServerSession:
        """A session of a second moderator (another account of the same server), for what someone
        else does behind the tested session's back; the hooks do not apply to it."""
        ...

    def award_rows(self, badge_id: int) -> dict[int, int]:
        """Award rows per member for a badge on the server, revoked ones included."""
        ...

    def active_holders(self, badge_id: int) -> set[int]: ...

    def idempotency_keys(self) -> set[str]: ...

    def messages_to(self, member_id: int) -> list[str]:
        """What the server itself told the member (award or revoke messages it sent), oldest first."""
        ...

    def worker_args(self) -> tuple[str, dict[str, str]]:
        """``send_worker.py``'s server argument, and what its environment needs, to reach this server."""
        ...

    def stop(self) -> None: ...


# --- badgedesk-v1: the sandbox over loopback HTTP ----------------------------------------


def _operation(request: httpx.Request) -> str:
    """What a v1 request does, in the hooks' words (``award_batch``, ``members``, …)."""
    path = request.url.path.removeprefix("/api/v1")
    parts = path.strip("/").split("/")
    if request.method == "GET":
        return parts[0] if len(parts) == 1 else f"{parts[0]}/id"
    if path == "/awards/batch":
        return "award_batch"
    if path == "/awards/revoke-batch":
        return "revoke_batch"
    if parts[0] == "requests" and parts[-1] == "decision":
        return "decide"
    if parts[0] == "badges":
        return "set_badge_state" if parts[-1] == "state" else "save_badge"
    return f"{request.method} {path}"


def _spoiled(content: bytes) -> bytes:
    """A v1 page with its first row's id out of bounds (0), or, without rows, an empty cursor."""
    body = json.loads(content)
    for kind in ("items", "members", "badges", "awards", "requests"):
        rows = body.get(kind)
        if rows:
            rows[0]["id"] = 0
            return json.dumps(body).encode()
    body["next_cursor"] = ""
    return json.dumps(body).encode()


class HookedTransport(httpx.BaseTransport):
    """Real HTTP to the sandbox, with the harness's hooks applied on the way."""

    def __init__(self, harness: SandboxHarness) -> None:
        self.harness = harness
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        hooks = self.harness.hooks
        operation = _operation(request)
        retry_after = hooks.take_throttle()
        if retry_after is not None:
            # Refused before the server sees it, as a rate limit in front of it would.
            hooks.saw(operation, 429)
            body = ErrorOut(error="rate_limited", message="Too many requests (test hook).")
            return httpx.Response(
                429,
                headers={"Retry-After": retry_after, "Content-Type": "application/json"},
                content=body.model_dump_json().encode(),
            )
        response = self.inner.handle_request(request)
        hooks.saw(operation, response.status_code)
        if hooks.take_lose(operation):
            # The server did the work and answered; the answer never arrives.
            response.read()
            response.close()
            raise httpx.ReadError("the answer was lost on the way back (test hook)", request=request)
        if response.status_code == 200 and hooks.take_malform(operation):
            response.read()
            return httpx.Response(
                200, headers={"Content-Type": "application/json"}, content=_spoiled(response.content)
            )
        return response

    def close(self) -> None:
        self.inner.close()


class SandboxHarness:
    """The sandbox, and the real v1 connector talking to it over loopback HTTP."""

    kind = "badgedesk-v1"
    keeps_free_text_reasons = True
    refuses_suspended_members = True
    grants_disabled_badges_when_forced = True
    waits_out_429s = False
    reads_back_badge_images = True
    fills_pages = True
    checks_decision_versions = True
    known_gaps: Mapping[str, str] = {}

    def __init__(self, process: SandboxProcess) -> None:
        self.process = process
        self.hooks = ServerHooks()

    def open(self, **options: Any) -> ServerSession:
        return CommunityApiConnector(
            self.process.url, self.process.tokens["moderator"], transport=HookedTransport(self), **options
        )

    def open_other_moderator(self) -> ServerSession:
        # The sandbox's second demo moderator (Bob).
        return CommunityApiConnector(self.process.url, self.process.tokens["moderator2"])

    def award_rows(self, badge_id: int) -> dict[int, int]:
        return server_witness.award_rows(self.process, badge_id)

    def active_holders(self, badge_id: int) -> set[int]:
        return server_witness.active_holders(self.process, badge_id)

    def idempotency_keys(self) -> set[str]:
        return server_witness.idempotency_keys(self.process)

    def messages_to(self, member_id: int) -> list[str]:
        return server_witness.messages_to(self.process, member_id)

    def worker_args(self) -> tuple[str, dict[str, str]]:
        return self.process.url, {"SEND_WORKER_TOKEN": self.process.tokens["moderator"]}

    def stop(self) -> None:
        self.process.stop()


def start_sandbox(
    directory: Path,
    *,
    members: int = MEMBERS,
    seed: int = SEED,
    rate: float | None = None,
    fail_rate: float | None = None,
    fault_seed: int | None = None,
    persistent: bool = False,  # the sandbox keeps its database in a file anyway
) -> SandboxHarness:
    process = SandboxProcess(
        data_dir=directory / "sandbox",
        members=members,
        seed=seed,
        rate=rate,
        fail_rate=fail_rate,
        fault_seed=fault_seed,
    )
    return SandboxHarness(process.start())


# --- memory: the fake dialect ------------------------------------------------------------


class MemoryHarness:
    """The memory server, and memory sessions with it."""

    kind = "memory"
    keeps_free_text_reasons = True
    refuses_suspended_members = True
    grants_disabled_badges_when_forced = True
    waits_out_429s = False
    reads_back_badge_images = True
    fills_pages = True
    checks_decision_versions = True
    known_gaps: Mapping[str, str] = {}

    def __init__(self, server: MemoryServer) -> None:
        self.server = server

    @property
    def hooks(self) -> ServerHooks:
        return self.server.hooks

    @hooks.setter
    def hooks(self, hooks: ServerHooks) -> None:
        self.server.hooks = hooks

    def open(self, **options: Any) -> ServerSession:
        return MemorySession(self.server, **options)

    def open_other_moderator(self) -> ServerSession:
        return MemorySession(self.server, "moderator2")

    def award_rows(self, badge_id: int) -> dict[int, int]:
        return self.server.award_rows(badge_id)

    def active_holders(self, badge_id: int) -> set[int]:
        return self.server.active_holders(badge_id)

    def idempotency_keys(self) -> set[str]:
        return self.server.idempotency_keys()

    def messages_to(self, member_id: int) -> list[str]:
        return []  # the memory server sends no message (its sessions say so)

    def worker_args(self) -> tuple[str, dict[str, str]]:
        # The worker runs the server in its own process, from the same file.
        if self.server.state_file is None:
            raise RuntimeError(
                "start the memory server with persistent=True to reach it from another process"
            )
        return f"{SCHEME}{self.server.state_file}", {}

    def stop(self) -> None:
        pass


def start_memory(
    directory: Path,
    *,
    members: int = MEMBERS,
    seed: int = SEED,
    rate: float | None = None,
    fail_rate: float | None = None,
    fault_seed: int | None = None,
    persistent: bool = False,
) -> MemoryHarness:
    directory.mkdir(parents=True, exist_ok=True)
    server = MemoryServer(
        MemoryCommunity.seeded(members, seed),
        faults=Faults(rate=rate, fail_rate=fail_rate or 0.0, fault_seed=fault_seed),
        state_file=directory / "memory-server" if persistent else None,
    )
    return MemoryHarness(server)


Starter = Callable[..., Harness]
STARTERS: dict[str, Starter] = {
    "badgedesk-v1": start_sandbox,
    "memory": start_memory,
    # The sandbox's Discourse face and the Discourse connector (tests/contract/discourse_harness.py).
    "discourse": functools.partial(start_discourse, members=MEMBERS, seed=SEED),
}
