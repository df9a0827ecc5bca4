"""Which dialect speaks to which kind of server.

A profile names its server's kind (``badgedesk-v1`` unless it says
otherwise); the registry opens a session of that dialect. Adding a server
kind is one package under :mod:`desktop.dialects` (its ``KIND`` in the
package itself) and one entry here. The entries name the dialects without
importing their sessions: each opener imports its own when a session opens
(on a worker), so a start pays for no wire models.

Every opener takes the token (the secret the keyring keeps) and the
``username`` the token acts as, which a server may need beside it
(Discourse's ``Api-Username``; :attr:`Dialect.needs_username`). Our own API
knows the token's owner from the token and ignores it. ``request_category``
names where a forum keeps badge requests (Discourse: a category's slug or id;
none chosen = no request desk); our own API has requests of its own and
ignores it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import httpx

from desktop.cancellation import CancelToken
from desktop.dialects import badgedesk_v1, discourse
from desktop.dialects.base import ServerSession
from desktop.i18n import _
from desktop.net.budget import DISCOURSE_ADMIN_API, Priority, RateBudget, RateLimit
from desktop.net.ratecontrol import RateControl

DEFAULT_KIND = badgedesk_v1.KIND


class Opener(Protocol):
    def __call__(
        self,
        base_url: str,
        token: str,
        *,
        username: str = "",
        request_category: str = "",
        rate_control: RateControl | None = None,
        budget: RateBudget | None = None,
        priority: Priority = Priority.FOREGROUND,
        cancel: CancelToken | None = None,
        transport: httpx.BaseTransport | None = None,
        allow_insecure_http: bool = False,
    ) -> ServerSession: ...


@dataclass(frozen=True, slots=True)
class Dialect:
    kind: str
    #: What the user reads in settings and messages.
    title: str
    open: Opener
    #: The server wants the acting username beside the token (the connect dialog asks for it).
    needs_username: bool = False
    #: Badge requests live in a place the user chooses (a forum category): the connect
    #: dialog offers the setting; without it the server has no request desk.
    requests_in_category: bool = False
    #: A limit on requests for the whole server (every client shares it): sessions then
    #: take turns in one :class:`~desktop.net.budget.RateBudget` per server.
    rate_limit: RateLimit | None = None
    #: Which key to create on the server, and where (:attr:`key_help`), translated when
    #: read: the dialects are listed at import, before the language is chosen.
    key_help_text: Callable[[], str] = str

    @property
    def key_help(self) -> str:
        """Which key to create on the server, and where: one line for the connect dialog."""
        return self.key_help_text()


def _open_v1(
    base_url: str,
    token: str,
    *,
    username: str = "",
    request_category: str = "",
    rate_control: RateControl | None = None,
    budget: RateBudget | None = None,
    priority: Priority = Priority.FOREGROUND,
    cancel: CancelToken | None = None,
    transport: httpx.BaseTransport | None = None,
    allow_insecure_http: bool = False,
) -> ServerSession:
    # Imported when a session opens (on the sync's worker), not at start: 220 ms of wire models.
    from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector

    # A v1 token names its owner: no username travels; the server paces each client
    # on its own (its 429s and Retry-After), so no shared budget either.
    return CommunityApiConnector(
        base_url,
        token,
        rate_control=rate_control,
        cancel=cancel,
        transport=transport,
        allow_insecure_http=allow_insecure_http,
    )


def _open_discourse(
    base_url: str,
    token: str,
    *,
    username: str = "",
    request_category: str = "",
    rate_control: RateControl | None = None,
    budget: RateBudget | None = None,
    priority: Priority = Priority.FOREGROUND,
    cancel: CancelToken | None = None,
    transport: httpx.BaseTransport | None = None,
    allow_insecure_http: bool = False,
) -> ServerSession:
    # Imported when a session opens, not at start: 110 ms of wire models.
    from desktop.dialects.discourse.session import open_session

    return open_session(
        base_url,
        token,
        username=username,
        request_category=request_category,
        rate_control=rate_control,
        budget=budget,
        priority=priority,
        cancel=cancel,
        transport=transport,
        allow_insecure_http=allow_insecure_http,
    )


DIALECTS: dict[str, Dialect] = {
    badgedesk_v1.KIND: Dialect(
        badgedesk_v1.KIND,
        "BadgeDesk Community API v1",
        _open_v1,
        key_help_text=lambda: _(
            "Use a moderator's API token from the community server (its admin issues them)."
        ),
    ),
    discourse.KIND: Dialect(
        discourse.KIND,
        discourse.TITLE,
        _open_discourse,
        needs_username=True,
        requests_in_category=True,
        rate_limit=DISCOURSE_ADMIN_API,
        # FACTS.md § API keys: /admin/badges* is for admins whatever the scopes, and the
        # mass award of big batches is covered by no granular scope.
        key_help_text=lambda: _(
            'In Discourse: Admin → Advanced → API keys → New API key, user level "Single user" for'
            ' the admin you act as (below), scope "Global". Every key shares the forum\'s limit of'
            " 60 admin requests a minute."
        ),
    ),
}


class UnknownServerKind(ValueError):
    def __init__(self, kind: str) -> None:
        known = ", ".join(sorted(DIALECTS))
        super().__init__(
            _("BadgeDesk cannot speak to a server of kind {kind}; it knows: {known}.").format(
                kind=repr(kind), known=known
            )
        )


def dialect(kind: str) -> Dialect:
    try:
        return DIALECTS[kind]
    except KeyError:
        raise UnknownServerKind(kind) from None
