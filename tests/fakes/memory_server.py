"""The memory dialect's server: one community, answering its sessions' requests, with faults on demand.

Every request of a memory session arrives here through the shared HTTP
session (``desktop.net.http.HttpSession`` over an in-process transport, see
:mod:`tests.fakes.memory_dialect`) and is answered under one lock, as the
sandbox serialises its writes. Before the community sees a request, the
server does what the sandbox's middleware does: a rate limit per token (429
with ``Retry-After``, the sandbox's own limiter) and injected faults (503
before doing anything, or the work done and the answer dropped), then what a
test armed on :attr:`MemoryServer.hooks`.

With a state file the community outlives the process: each write is logged
to the file before its answer goes back, so a process killed mid-request
leaves the server as a real one would be: the request applied and its answer
lost, or not applied at all. One process writes at a time; the others see its
writes at their next request.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import random
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from desktop.dialects.base import Changes, Page
from desktop.domain import Award, Member, MemberStatus
from desktop.sandbox.middleware import RateLimiter
from tests.fakes.hooks import READS, ServerHooks
from tests.fakes.memory_community import MemoryCommunity
from tests.fakes.memory_rows import Refusal

#: Tokens of the memory server and whom they belong to (the sandbox's demo moderators).
MODERATORS = {"moderator": "Alice Moderator", "moderator2": "Bob Moderator"}
DEFAULT_BATCH_CAP = 50

#: Writes that carry a batch, refused whole beyond the server's cap.
BATCHES = frozenset({"award_batch", "revoke_batch"})
_FRAME = struct.Struct("<I")


@dataclass(frozen=True, slots=True)
class Faults:
    """The sandbox's ``--rate``, ``--fail-rate`` and ``--fault-seed``."""

    #: Requests per second per token; more are refused with 429 and Retry-After.
    rate: float | None = None
    #: Share of requests that fail: half with 503 (nothing done), half applied with the answer dropped.
    fail_rate: float = 0.0
    fault_seed: int | None = None


@dataclass(slots=True)
class ServerRequest:
    """One request of a session: the community method it calls and its arguments (plain data,
    so a write can be logged and replayed), and once served its answer or refusal."""

    operation: str
    method: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    answer: Any = None
    refusal: Refusal | None = None

    @property
    def write(self) -> bool:
        return self.operation not in READS


class MemoryServer:
    """A community in memory (or in a file) that sessions of the memory dialect talk to.

    ``feed``, ``desk`` and ``editor`` False: the server has no changes feed,
    no request desk or no badge editing, and its sessions say so (``None``).

    Thread safety: any thread; one lock serialises every request.
    """

    def __init__(
        self,
        community: MemoryCommunity | None = None,
        *,
        batch_cap: int = DEFAULT_BATCH_CAP,
        feed: bool = True,
        desk: bool = True,
        editor: bool = True,
        faults: Faults = Faults(),
        state_file: Path | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.batch_cap = batch_cap
        self.feed = feed
        self.desk = desk
        self.editor = editor
        self.faults = faults
        self.hooks = ServerHooks()
        #: Writes that reached the community, in order: (operation, items in it), for tests.
        self.received: list[tuple[str, int]] = []
        self.state_file = state_file
        self._clock = clock
        self._lock = threading.RLock()
        self._limiter = RateLimiter(faults.rate) if faults.rate else None
        self._random = random.Random(faults.fault_seed)
        #: How far this process has read the log of writes, and whether a torn record ends it.
        self._log_offset = 0
        self._torn = False
        if state_file is not None and community is None:
            self.community = self._load(state_file)
        else:
            self.community = community or MemoryCommunity()
            if state_file is not None:
                self._start_file(state_file)

    # --- serving --------------------------------------------------------------

    def serve(self, token: str, request: ServerRequest) -> httpx.Response:
        """Answer one request as the sandbox would: faults first, then the community.

        The answer itself travels in ``request``; the response carries only
        its status (and ``Retry-After``). A dropped answer raises the error a
        broken connection raises, after the work was done.
        """
        with self._lock:
            retry_after = self.hooks.take_throttle()
            if retry_after is None and self._limiter is not None:
                wait = self._limiter.retry_after(token)
                retry_after = None if wait is None else str(wait)
            if retry_after is not None:
                return self._status(request, 429, retry_after)
            drop = False
            if self.faults.fail_rate > 0 and self._random.random() < self.faults.fail_rate:
                if self._random.random() < 0.5:
                    return self._status(request, 503, "1")
                drop = True
            drop = self.hooks.take_lose(request.operation) or drop
            request.answer, request.refusal = None, None
            actor = MODERATORS.get(token)
            if actor is None:
                request.refusal = Refusal(401, "unauthorized", "Unknown token.")
            elif request.operation in BATCHES and len(request.args[0]) > self.batch_cap:
                count = len(request.args[0])
                request.refusal = Refusal(
                    413, "batch_too_large", f"At most {self.batch_cap} items per batch; this one has {count}."
                )
            else:
                self._apply(request, actor)
            response = self._status(request, 200 if request.refusal is None else request.refusal.status)
            if drop:
                raise httpx.ReadError("the connection broke after the server answered (dropped on purpose)")
            return response

    def _apply(self, request: ServerRequest, actor: str) -> None:
        if request.write:
            self.received.append(
                (request.operation, len(request.args[0]) if request.operation in BATCHES else 1)
            )
        self._catch_up()
        if request.method == "me":
            request.answer = actor
            return
        kwargs = request.kwargs
        if request.write:
            kwargs = {**kwargs, "actor": actor, "now": self.now()}
        try:
            answer = getattr(self.community, request.method)(*request.args, **kwargs)
        except Refusal as refusal:
            # A refusal changed nothing (the community checks before it writes): nothing to log.
            request.refusal = refusal
            return
        if request.write:
            self._log(request.method, request.args, kwargs)
        if self.hooks.take_malform(request.operation):
            answer = _spoiled(answer)
        request.answer = answer

    def _status(self, request: ServerRequest, status: int, retry_after: str | None = None) -> httpx.Response:
        self.hooks.saw(request.operation, status)
        headers = {} if retry_after is None else {"Retry-After": retry_after}
        return httpx.Response(status, headers=headers)

    def now(self) -> datetime:
        # Whole seconds, as the sandbox stores them and the cache keeps them.
        return datetime.fromtimestamp(int(self._clock()), UTC)

    # --- changes elsewhere (another moderator, an admin), and what the server holds --------

    def change(self, method: str, *args: Any, actor: str = "Bob Moderator", **kwargs: Any) -> Any:
        """Call a write of the community outside any session, as ``actor`` would; returns its answer."""
        with self._lock:
            self._catch_up()
            kwargs = {**kwargs, "actor": actor, "now": self.now()}
            answer = getattr(self.community, method)(*args, **kwargs)
            self._log(method, args, kwargs)
            return answer

    def set_member_status(self, member_id: int, status: MemberStatus) -> Member:
        """Suspend, unsuspend or delete a member, as an admin would."""
        member: Member = self.change("set_member_status", member_id, status)
        return member

    def grant(
        self, member_id: int, badge_id: int, granted_by: str = "Bob Moderator", reason: str = ""
    ) -> Award:
        """An award someone else made meanwhile."""
        award: Award = self.change("grant", member_id, badge_id, reason, actor=granted_by)
        return award

    def read(self) -> MemoryCommunity:
        """The community as it is now (with a state file: as the last writer left it). Do not change it."""
        with self._lock:
            self._catch_up()
            return self.community

    def award_rows(self, badge_id: int) -> dict[int, int]:
        """Award rows per member for a badge, revoked ones included (a double apply shows as 2)."""
        rows: dict[int, int] = {}
        for record in self.read().awards.values():
            if record.award.badge_id == badge_id:
                rows[record.award.member_id] = rows.get(record.award.member_id, 0) + 1
        return rows

    def active_holders(self, badge_id: int) -> set[int]:
        return {member for member, badge in self.read().held if badge == badge_id}

    def idempotency_keys(self) -> set[str]:
        return set(self.read().keys)

    # --- the state file: a snapshot, then a log of writes ---------------------------------
    #
    # Saving the whole community at every write would cost more than the
    # write (a pickle of thousands of rows): the file holds the community as
    # it started, and a log beside it every write applied since, each record
    # appended before the answer goes back. Reading the file replays the log.

    def _start_file(self, path: Path) -> None:
        beside = path.with_name(path.name + ".next")
        with beside.open("wb") as file:
            pickle.dump(self.community, file, protocol=pickle.HIGHEST_PROTOCOL)
        _log_path(path).write_bytes(b"")
        os.replace(beside, path)
        self._log_offset, self._torn = 0, False

    def _load(self, path: Path) -> MemoryCommunity:
        with path.open("rb") as file:
            community = pickle.load(file)
        assert isinstance(community, MemoryCommunity)
        self.community = community
        self._log_offset, self._torn = 0, False
        self._catch_up()
        return community

    def _catch_up(self) -> None:
        """Apply the writes other processes logged since this one last looked."""
        if self.state_file is None:
            return
        with _log_path(self.state_file).open("rb") as file:
            file.seek(self._log_offset)
            data = file.read()
        at = 0
        while at + _FRAME.size <= len(data):
            (size,) = _FRAME.unpack_from(data, at)
            if at + _FRAME.size + size > len(data):
                break
            method, args, kwargs = pickle.loads(data[at + _FRAME.size : at + _FRAME.size + size])
            getattr(self.community, method)(*args, **kwargs)
            at += _FRAME.size + size
        self._log_offset += at
        # A writer killed in the middle of a record left it torn: it never happened.
        self._torn = at < len(data)

    def _log(self, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if self.state_file is None:
            return
        record = pickle.dumps((method, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
        with _log_path(self.state_file).open("r+b") as file:
            if self._torn:
                file.truncate(self._log_offset)
                self._torn = False
            file.seek(self._log_offset)
            file.write(_FRAME.pack(len(record)) + record)
            self._log_offset = file.tell()


def _log_path(path: Path) -> Path:
    return path.with_name(path.name + ".log")


def _spoiled(answer: Any) -> Any:
    """A page with its first row's id out of bounds (0), or, without rows, an empty cursor."""
    if isinstance(answer, Page):
        if answer.items:
            return Page([dataclasses.replace(answer.items[0], id=0), *answer.items[1:]], answer.next_cursor)
        return Page([], "")
    if isinstance(answer, Changes):
        for kind in ("members", "badges", "awards", "requests"):
            rows = getattr(answer, kind)
            if rows:
                spoiled: dict[str, Any] = {kind: [dataclasses.replace(rows[0], id=0), *rows[1:]]}
                return dataclasses.replace(answer, **spoiled)
        return dataclasses.replace(answer, next_cursor="")
    raise AssertionError(f"only pages are spoiled, not {type(answer).__name__}")
