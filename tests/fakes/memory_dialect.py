"""The memory dialect: a session with every port of ``desktop/dialects/base.py``, over a server in memory.

For fast core tests instead of hand-made fake servers, and kept honest by the
contract suite (``tests/contract``), which runs the same tests against it and
against the v1 connector talking to the sandbox.

How a call travels. A port method makes a :class:`ServerRequest` (what it
does to the community) and sends it through the shared
:class:`desktop.net.http.HttpSession` over an in-process
``httpx.MockTransport``; the server answers in place and hands the answer
back in the request object, never as JSON. So pacing, ``Retry-After``,
back-off, bounded retries, re-sending after a lost answer and the errors they
end in (``ServerBusy``, ``ServerUnreachable``) are the production code, not
a copy of it that could drift; only the wire format is skipped. No socket is
ever opened: the transport answers before any connection is made.

What comes back is checked at the boundary (:mod:`tests.fakes.boundary`)
like any real server's answer.

    server = MemoryServer(MemoryCommunity.of(members=..., badges=...))
    with MemorySession(server) as session:
        SyncService(cache, session).run()
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

from desktop.cancellation import CancelToken
from desktop.dialects.base import (
    AwardItem,
    AwardWriter,
    BadgeEditor,
    ChangeFeed,
    Changes,
    CommunitySummary,
    DecisionResult,
    Delivery,
    Directory,
    ItemResult,
    MassAwarder,
    Messenger,
    Page,
    RequestDesk,
    RequestFilter,
    RevokeItem,
)
from desktop.dialects.capabilities import Capabilities
from desktop.domain import Award, AwardOutcome, Badge, BadgeRequest, BadgeState, Decision, Member
from desktop.net.errors import ApiError, AuthError, BadgeConflict, DecisionConflict
from desktop.net.http import HttpSession
from desktop.net.ratecontrol import RateControl
from tests.fakes import boundary
from tests.fakes.memory_rows import Refusal
from tests.fakes.memory_server import MemoryServer, ServerRequest

KIND = "memory"
#: Loopback, so that nothing could leave the machine even by mistake; the transport answers first.
BASE_URL = "http://127.0.0.1:9"
#: ``send_worker.py``'s server argument for a memory server kept in a file: ``memory:PATH``.
SCHEME = "memory:"


class MemorySession:
    """A session with a :class:`MemoryServer`, offering the ports the server has.

    The award writer is idempotent (the server deduplicates by key) and takes
    up to the server's batch cap; the badge editor has versions; there is no
    messenger, as in v1.

    Thread safety: one thread at a time per instance, as the v1 connector.
    """

    def __init__(
        self,
        server: MemoryServer,
        token: str = "moderator",
        *,
        rate_control: RateControl | None = None,
        max_attempts: int = 6,
        cancel: CancelToken | None = None,
    ) -> None:
        self.server = server
        self.token = token
        self._requests: dict[str, ServerRequest] = {}
        self._ids = itertools.count(1)
        self._me: str | None = None
        self._http = HttpSession(
            BASE_URL,
            headers={"Authorization": f"Bearer {token}"},
            rate_control=rate_control,
            max_attempts=max_attempts,
            cancel=cancel,
            transport=httpx.MockTransport(self._deliver),
        )

    @classmethod
    def open_file(cls, spec: str, **options: Any) -> MemorySession:
        """A session with the server kept in the file ``spec`` names (``memory:PATH``)."""
        return cls(MemoryServer(state_file=Path(spec.removeprefix(SCHEME))), **options)

    @property
    def cancel(self) -> CancelToken:
        return self._http.cancel

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> MemorySession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- ports ----------------------------------------------------------------

    @property
    def kind(self) -> str:
        return KIND

    @property
    def directory(self) -> Directory:
        return self

    @property
    def feed(self) -> ChangeFeed | None:
        return self if self.server.feed else None

    @property
    def writer(self) -> AwardWriter:
        return self

    @property
    def desk(self) -> RequestDesk | None:
        return self if self.server.desk else None

    @property
    def editor(self) -> BadgeEditor | None:
        return self if self.server.editor else None

    @property
    def messenger(self) -> Messenger | None:
        return None

    @property
    def mass_awarder(self) -> MassAwarder | None:
        return None

    @property
    def delivery(self) -> Delivery:
        return Delivery.IDEMPOTENT

    @property
    def batch_cap(self) -> int:
        return self.server.batch_cap

    @property
    def sends_award_messages(self) -> bool:
        return True

    @property
    def sends_revoke_messages(self) -> bool:
        # The memory server keeps no messages: it cannot tell a member of a revoke.
        return False

    @property
    def versions(self) -> bool:
        return True

    @property
    def drafts(self) -> bool:
        # Badges have a draft state on the server, unseen by members.
        return True

    @property
    def keeps_award_messages(self) -> bool:
        return True

    def capabilities(self) -> Capabilities:
        return Capabilities.of(self)

    # --- transport ------------------------------------------------------------

    def _deliver(self, request: httpx.Request) -> httpx.Response:
        return self.server.serve(self.token, self._requests[request.url.params["call"]])

    def _call(self, operation: str, method: str, *args: Any, **kwargs: Any) -> Any:
        """Send one request through the HTTP session (and its retries); its answer, or its refusal raised."""
        call = str(next(self._ids))
        request = self._requests[call] = ServerRequest(operation, method, args, kwargs)
        try:
            # A retry re-sends the same call: the server applies it again, as
            # it would a re-sent HTTP request (writes replay by their keys).
            self._http.send("POST" if request.write else "GET", f"/{operation}", params={"call": call})
        finally:
            del self._requests[call]
        if request.refusal is not None:
            raise self._error(operation, request.refusal)
        return request.answer

    @staticmethod
    def _error(operation: str, refusal: Refusal) -> ApiError:
        what = f"{operation} failed (HTTP {refusal.status}): {refusal.message}"
        if refusal.status in (401, 403):
            cause = "The token was refused" if refusal.status == 401 else "This token may not do that"
            return AuthError(f"{cause}: {refusal.message}", status=refusal.status, code=refusal.code)
        if refusal.status == 409 and operation == "decide" and isinstance(refusal.current, BadgeRequest):
            return DecisionConflict(refusal.message, refusal.current)
        if refusal.status == 409 and operation in ("save_badge", "set_badge_state"):
            current = refusal.current if isinstance(refusal.current, Badge) else None
            return BadgeConflict(what, current)
        return ApiError(what, status=refusal.status, code=refusal.code)

    def _page(self, operation: str, method: str, *args: Any) -> Any:
        return boundary.checked_page(operation, self._call(operation, method, *args))

    # --- directory and feed ---------------------------------------------------

    def community(self) -> CommunitySummary:
        summary: CommunitySummary = self._call("community", "summary")
        return summary

    def me(self) -> str:
        # A token's owner does not change during a session: ask once.
        if self._me is None:
            self._me = str(self._call("me", "me"))
        return self._me

    def members(self, cursor: str | None, limit: int) -> Page[Member]:
        page: Page[Member] = self._page("members", "members_page", cursor, limit)
        return page

    def badges(self, cursor: str | None, limit: int) -> Page[Badge]:
        page: Page[Badge] = self._page("badges", "badges_page", cursor, limit)
        return page

    def awards(
        self, cursor: str | None, limit: int, *, badge_id: int | None = None, member_id: int | None = None
    ) -> Page[Award]:
        page: Page[Award] = self._page("awards", "awards_page", cursor, limit, badge_id, member_id)
        return page

    def requests(self, state: RequestFilter, cursor: str | None, limit: int) -> Page[BadgeRequest]:
        page: Page[BadgeRequest] = self._page("requests", "requests_page", state, cursor, limit)
        return page

    def changes(self, since: str, limit: int) -> Changes:
        return boundary.checked_changes(self._call("changes", "changes", since, limit))

    # --- award writer ---------------------------------------------------------

    def _capped(self, items: Sequence[AwardItem] | Sequence[RevokeItem]) -> None:
        # Refused before sending, as the v1 connector does; the server refuses too (413).
        cap = self.batch_cap
        if len(items) > cap:
            raise ApiError(f"A batch holds at most {cap} items for this server; got {len(items)}")

    def award_batch(self, items: Sequence[AwardItem]) -> list[ItemResult]:
        self._capped(items)
        sent = list(items)
        return boundary.checked_results("award_batch", sent, self._call("award_batch", "award_batch", sent))

    def revoke_batch(self, items: Sequence[RevokeItem]) -> list[ItemResult]:
        self._capped(items)
        sent = list(items)
        return boundary.checked_results(
            "revoke_batch", sent, self._call("revoke_batch", "revoke_batch", sent)
        )

    def confirm(self, item: AwardItem | RevokeItem) -> ItemResult | None:
        page = self.awards(None, 1, badge_id=item.badge_id, member_id=item.member_id)
        held = page.items[0] if page.items else None
        key = item.idempotency_key
        if isinstance(item, AwardItem):
            return None if held is None else ItemResult(key, AwardOutcome.AWARDED, held, replayed=True)
        return ItemResult(key, AwardOutcome.REVOKED, None, replayed=True) if held is None else None

    # --- request desk ---------------------------------------------------------

    def decide(
        self,
        request_id: int,
        *,
        version: int,
        decision: Decision,
        reason: str,
        message: str | None,
        idempotency_key: str,
        duplicates: Sequence[tuple[int, int]] = (),
    ) -> DecisionResult:
        result: DecisionResult = self._call(
            "decide",
            "decide",
            request_id,
            version=version,
            decision=decision,
            reason=reason,
            message=message,
            idempotency_key=idempotency_key,
            duplicates=list(duplicates),
        )
        return result

    # --- badge editor ---------------------------------------------------------

    def save_badge(
        self,
        badge_id: int | None,
        fields: Mapping[str, str],
        image: tuple[bytes, str] | None,
        *,
        version: int | None,
        idempotency_key: str,
    ) -> Badge:
        badge: Badge
        if badge_id is None:
            badge = self._call("save_badge", "create_badge", dict(fields), image, idempotency_key)
        else:
            badge = self._call(
                "save_badge", "update_badge", badge_id, dict(fields), image, version, idempotency_key
            )
        return badge

    def set_badge_state(
        self, badge_id: int, state: BadgeState, *, version: int | None, idempotency_key: str
    ) -> Badge:
        badge: Badge = self._call(
            "set_badge_state", "set_badge_state", badge_id, state, version, idempotency_key
        )
        return badge

    def current(self, badge_id: int) -> Badge | None:
        cursor: str | None = None
        while True:
            page = self.badges(cursor, 100)
            for badge in page.items:
                if badge.id == badge_id:
                    return badge
            if page.next_cursor is None:
                return None
            cursor = page.next_cursor
