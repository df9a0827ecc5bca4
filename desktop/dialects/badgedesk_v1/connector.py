"""Connector for the BadgeDesk Community API v1 (the sandbox speaks it).

Every response body is validated against :mod:`desktop.dialects.badgedesk_v1.wire` before a
domain object is made from it, so a malformed answer raises
:class:`MalformedResponse` and never reaches the cache.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from desktop.cancellation import CancelToken
from desktop.dialects.badgedesk_v1 import KIND, wire
from desktop.dialects.badgedesk_v1 import groups as v1_groups
from desktop.dialects.badgedesk_v1 import rows as v1_rows
from desktop.dialects.badgedesk_v1.activity import ActivityMethods
from desktop.dialects.badgedesk_v1.mapping import (
    API_NAME,
    award_from_wire,
    badge_from_wire,
    member_from_wire,
    request_from_wire,
)
from desktop.dialects.badgedesk_v1.writes import WriteMethods
from desktop.dialects.base import (
    AwardWriter,
    BadgeEditor,
    ChangeFeed,
    Changes,
    CommunitySummary,
    Delivery,
    Directory,
    MassAwarder,
    Messenger,
    Page,
    RequestDesk,
    RequestFilter,
)
from desktop.dialects.capabilities import Capabilities
from desktop.dialects.groups import GroupMember
from desktop.domain import Award, AwardRow, Badge, BadgeRequest, Group, Member, MemberRow
from desktop.i18n import _
from desktop.net.answers import non_json_media_type, one_line, parse_answer
from desktop.net.errors import (
    ApiError,
    AuthError,
)
from desktop.net.http import HttpSession
from desktop.net.ratecontrol import RateControl

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

#: Where a v1 server shows a member's profile page to a browser, below its address.
PROFILE_PATH = "/members/{member_id}"

_ADAPTERS: dict[type[BaseModel], TypeAdapter[Any]] = {}


def _adapter(model: type[M]) -> TypeAdapter[M]:
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        adapter = _ADAPTERS[model] = TypeAdapter(model)
    return adapter


class CommunityApiConnector(ActivityMethods, WriteMethods):
    """A session with a server speaking BadgeDesk Community API v1.

    It offers every port itself: the directory, the award writer (idempotent:
    the server deduplicates by key, and all the items of one call are applied
    or refused together per duplicate group), the badge editor (with versions);
    the changes feed and the request desk where the server says it has them; the
    group listing and the group membership writer (by member id, with idempotency
    keys: :mod:`desktop.dialects.badgedesk_v1.groups`), used where the server says
    it has groups; the activity reader where it has activity (:mod:`.activity`).

    Thread safety: one thread at a time per instance, except the award writer's
    batch calls (:attr:`concurrent_batches` of them at once).
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        rate_control: RateControl | None = None,
        max_attempts: int = 6,
        timeout: float = 15.0,
        connect_timeout: float = 3.0,
        cancel: CancelToken | None = None,
        transport: httpx.BaseTransport | None = None,
        allow_insecure_http: bool = False,
    ) -> None:
        self._http = HttpSession(
            base_url,
            prefix="/api/v1",
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            rate_control=rate_control,
            max_attempts=max_attempts,
            timeout=timeout,
            connect_timeout=connect_timeout,
            cancel=cancel,
            transport=transport,
            allow_insecure_http=allow_insecure_http,
        )
        self.base_url = self._http.base_url
        self._info: wire.Capabilities | None = None
        self._info_lock = threading.Lock()
        self._me: str | None = None

    @property
    def cancel(self) -> CancelToken:
        return self._http.cancel

    def close(self) -> None:
        self._http.close()

    def requests_sent(self) -> int:
        """Requests this connector has sent so far (what a read cost)."""
        return self._http.requests_sent

    def __enter__(self) -> CommunityApiConnector:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- ports ----------------------------------------------------------------

    @property
    def kind(self) -> str:
        return KIND

    @property
    def profile_url(self) -> str:
        # A v1 server shows each member's profile outside the API, by id (README § Community API v1).
        return self.base_url + PROFILE_PATH

    @property
    def directory(self) -> Directory:
        return self

    @property
    def feed(self) -> ChangeFeed | None:
        return self if self._server_capabilities().changes_feed else None

    @property
    def writer(self) -> AwardWriter:
        return self

    @property
    def desk(self) -> RequestDesk | None:
        return self if self._server_capabilities().requests else None

    @property
    def editor(self) -> BadgeEditor | None:
        return self

    @property
    def messenger(self) -> Messenger | None:
        # Messages travel with awards and decisions; there is no separate one.
        return None

    @property
    def mass_awarder(self) -> MassAwarder | None:
        # Batches of 50 a request already: no upload of its own.
        return None

    @property
    def delivery(self) -> Delivery:
        return Delivery.IDEMPOTENT

    #: Batch calls that may run at once from different threads (the sender's
    #: parallelism): each item carries its key and nothing else is shared but
    #: the HTTP client, which pools its connections. More would only queue
    #: behind the HTTP client's kept-alive connections.
    concurrent_batches = 4

    @property
    def batch_cap(self) -> int:
        caps = self._server_capabilities()
        return caps.batch_cap if caps.batch_awards else 1

    @property
    def sends_award_messages(self) -> bool:
        # The server renders the badge's message (or the one given) and sends it with the award.
        return True

    @property
    def sends_revoke_messages(self) -> bool:
        # A server that predates ``notify`` on revokes does not say ``revoke_messages``.
        return self._server_capabilities().revoke_messages

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

    @property
    def edits_groups(self) -> bool:
        # A server that predates the group API does not say ``groups``.
        return self._server_capabilities().groups

    def group_delivery(self) -> Delivery:
        return Delivery.IDEMPOTENT

    def capabilities(self) -> Capabilities:
        return Capabilities.of(self)

    def _server_capabilities(self) -> wire.Capabilities:
        # Locked: the sender's batch calls, from several threads, would each ask first.
        with self._info_lock:
            if self._info is None:
                self.community()
        assert self._info is not None
        return self._info

    # --- transport ------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        # Every mutation carries an idempotency key: sending again after a lost answer is safe.
        return self._http.send(method, path, params=params, body=body, headers=headers)

    def _call(
        self,
        model: type[M],
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int | None] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200,),
    ) -> M:
        response = self._answer(method, path, params=params, body=body, headers=headers, ok=ok)
        return self._parse(model, method, path, response)

    def _answer(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int | None] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200,),
    ) -> httpx.Response:
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        # None without any: parameters given replace a query written in the path.
        response = self._send(method, path, params=clean or None, body=body, headers=headers)
        if response.status_code not in ok:
            raise self._error(method, path, response)
        return response

    @staticmethod
    def _parse(model: type[M], method: str, path: str, response: httpx.Response) -> M:
        return parse_answer(_adapter(model), method, path, response, api=API_NAME)

    def _error(self, method: str, path: str, response: httpx.Response) -> ApiError:
        code: str | None = None
        message = one_line(response.reason_phrase)
        try:
            body = json.loads(response.content)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
            body = None
        if isinstance(body, dict):
            if isinstance(body.get("error"), str):
                code = body["error"]
            if isinstance(body.get("message"), str):
                message = one_line(body["message"])
        status = response.status_code
        if status == 401:
            return AuthError(
                _("The token was refused: {reason}").format(reason=message), status=status, code=code
            )
        if status == 403:
            return AuthError(
                _("This token may not do that: {reason}").format(reason=message), status=status, code=code
            )
        return ApiError(
            _("{method} {path} failed (HTTP {status}): {reason}").format(
                method=method, path=path, status=status, reason=message
            ),
            status=status,
            code=code,
        )

    # --- reads ----------------------------------------------------------------

    def community(self) -> CommunitySummary:
        info = self._call(wire.CommunityInfo, "GET", "/community")
        self._info = info.capabilities
        return CommunitySummary(
            name=info.name,
            members=info.counts.members,
            badges=info.counts.badges,
            awards=info.counts.awards,
            requests=info.counts.requests,
            changes_cursor=info.changes_cursor,
        )

    def whoami(self) -> wire.WhoAmI:
        return self._call(wire.WhoAmI, "GET", "/me")

    def me(self) -> str:
        # A token's owner does not change during a session: ask once.
        if self._me is None:
            self._me = self.whoami().name
        return self._me

    def members(self, cursor: str | None, limit: int) -> Page[Member]:
        page = self._call(wire.MemberPage, "GET", "/members", params={"cursor": cursor, "limit": limit})
        return Page([member_from_wire(m) for m in page.items], page.next_cursor)

    def badges(self, cursor: str | None, limit: int) -> Page[Badge]:
        page = self._call(wire.BadgePage, "GET", "/badges", params={"cursor": cursor, "limit": limit})
        return Page([badge_from_wire(b) for b in page.items], page.next_cursor)

    def awards(
        self, cursor: str | None, limit: int, *, badge_id: int | None = None, member_id: int | None = None
    ) -> Page[Award]:
        params = {"cursor": cursor, "limit": limit, "badge_id": badge_id, "member_id": member_id}
        page = self._call(wire.AwardPage, "GET", "/awards", params=params)
        return Page([award_from_wire(a) for a in page.items], page.next_cursor)

    # --- rows for a full sync (RowListing) --------------------------------------

    def member_rows(self, cursor: str | None, limit: int) -> Page[MemberRow]:
        response = self._answer("GET", "/members", params={"cursor": cursor, "limit": limit})
        rows = None if non_json_media_type(response) else v1_rows.member_rows(response.content)
        if rows is None:
            # The wire models refuse it with the message naming the field, or accept it.
            page = self._parse(wire.MemberPage, "GET", "/members", response)
            rows = Page([v1_rows.member_row_of(m) for m in page.items], page.next_cursor)
        return rows

    def award_rows(self, cursor: str | None, limit: int) -> Page[AwardRow]:
        response = self._answer("GET", "/awards", params={"cursor": cursor, "limit": limit})
        rows = None if non_json_media_type(response) else v1_rows.award_rows(response.content)
        if rows is None:
            page = self._parse(wire.AwardPage, "GET", "/awards", response)
            rows = Page([v1_rows.award_row_of(a) for a in page.items], page.next_cursor)
        return rows

    def requests(self, state: RequestFilter, cursor: str | None, limit: int) -> Page[BadgeRequest]:
        page = self._call(
            wire.RequestPage, "GET", "/requests", params={"state": state, "cursor": cursor, "limit": limit}
        )
        return Page([request_from_wire(r) for r in page.items], page.next_cursor)

    def changes(self, since: str, limit: int) -> Changes:
        page = self._call(wire.ChangesPage, "GET", "/changes", params={"since": since, "limit": limit})
        return Changes(
            members=[member_from_wire(m) for m in page.members],
            badges=[badge_from_wire(b) for b in page.badges],
            awards=[award_from_wire(a) for a in page.awards if a.revoked_at is None],
            revoked_award_ids=[a.id for a in page.awards if a.revoked_at is not None],
            requests=[request_from_wire(r) for r in page.requests],
            next_cursor=page.next_cursor,
            has_more=page.has_more,
            # A membership change gives the member a new feed position (see the server's groups).
            groups_in_member_rows=True,
        )

    # --- groups (GroupListing, GroupMembershipWriter) --------------------------

    def groups(self, cursor: str | None, known: Mapping[int, int] | None = None) -> Page[Group]:
        if not self._server_capabilities().groups:
            return Page([], None)
        return v1_groups.group_page(self._call, cursor, known)

    def requests_to_list_groups(self, cursor: str | None, cached_groups: int) -> int:
        return v1_groups.requests_to_list(cached_groups)

    def add_group_members(self, group_id: int, members: Sequence[GroupMember], key: str) -> None:
        ids = [m.id for m in members]
        v1_groups.change_members(self._call, group_id, ids, key, add=True, cap=self.batch_cap)

    def remove_group_members(self, group_id: int, members: Sequence[GroupMember], key: str) -> None:
        ids = [m.id for m in members]
        v1_groups.change_members(self._call, group_id, ids, key, add=False, cap=self.batch_cap)
