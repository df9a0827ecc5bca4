"""What a Discourse API key may do, read once when a session first talks to the forum.

Discourse never answers 401: a wrong or revoked key is a 403 on ordinary
routes and a 404 on admin pages, the same answers as a right the user lacks
or a page that does not exist. So the first request of a session is ``GET
/session/scopes.json``, which Discourse answers for *any* valid key (whatever
its scopes): refused there, the key itself is refused, and the session raises
the core's "token refused" (:class:`AuthError` with status 401), on which the
app pauses sending and asks for a new key.

A key is **global** (no scopes), **read-only** (``global:read``: every GET
its user may see) or **granular** (``resource:action`` scopes). The scopes
BadgeDesk needs (FACTS.md § API keys) are grouped by feature below; a feature
whose scopes the key lacks is off, and the capabilities say so, naming the
scope. A scope grants no right the user lacks: an admin's pages stay an
admin's (the badge editor also needs the badge list, which only admins read).

The acting user comes back on every answer as ``X-Discourse-Username``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from desktop.dialects.discourse import wire
from desktop.i18n import _, ngettext
from desktop.net.answers import parse_answer
from desktop.net.errors import ApiError, AuthError
from desktop.net.http import HttpSession

SCOPES_PATH = "/session/scopes.json"
READ_ONLY = "global:read"

#: Each feature's scopes, and what is off without them, in words for the user.
GRANTS = ("badges:assign_badge_to_user",)
REVOKES = ("badges:revoke_badge_from_user",)
MEMBER_BADGES = ("badges:list_user_badges",)
BADGE_EDITING = ("badges:create", "badges:update", "uploads:create")
MEMBER_LIST = ("users:list",)
#: Adding and removing group members (GroupsController#add_members / #remove_member).
GROUP_EDITING = ("groups:manage_groups",)
#: (The words are translated when read: this table is made before the language is chosen.)
_FEATURES: tuple[tuple[tuple[str, ...], Callable[[], str]], ...] = (
    (GRANTS, lambda: _("badges cannot be awarded from here")),
    (REVOKES, lambda: _("badges cannot be revoked from here")),
    (MEMBER_BADGES, lambda: _("an award whose answer was lost cannot be checked before it is sent again")),
    (BADGE_EDITING, lambda: _("badges cannot be created or edited from here")),
    (MEMBER_LIST, lambda: _("members cannot be listed (sync)")),
)


@dataclass(frozen=True, slots=True)
class KeyAccess:
    """The key's scopes (``resource:action``; empty: a global key) and the user it acts as."""

    scopes: frozenset[str]
    acting_user: str

    @property
    def read_only(self) -> bool:
        return READ_ONLY in self.scopes

    @property
    def granular(self) -> bool:
        return bool(self.scopes) and not self.read_only

    def lacks(self, needed: tuple[str, ...]) -> list[str]:
        """The scopes of ``needed`` this key does not have (none for a global key)."""
        if not self.scopes:
            return []
        return [scope for scope in needed if scope not in self.scopes]

    def limits(self) -> tuple[str, ...]:
        """What this key leaves off, each naming the missing scope (empty for a global key)."""
        if self.read_only:
            return (
                _(
                    "the API key is read-only (global:read): badges cannot be awarded, revoked, created or"
                    " edited from here; use a key with write scopes for that"
                ),
            )
        notes = []
        for needed, what in _FEATURES:
            missing = self.lacks(needed)
            if missing:
                notes.append(
                    ngettext(
                        "{what}: the API key lacks the scope {scopes}",
                        "{what}: the API key lacks the scope {scopes}",
                        len(missing),
                    ).format(what=what(), scopes=", ".join(missing))
                )
        if self.granular:
            # No scope covers the holders list; the sync of awards needs a read-only or global key.
            notes.append(
                _(
                    "a granular key cannot read a badge's holders (no Discourse scope covers"
                    " GET /user_badges.json?badge_id=), so a sync of awards is refused"
                )
            )
        return tuple(notes)


def read_access(http: HttpSession, username: str) -> KeyAccess:
    """Ask the forum what the session's key may do; a refused key raises "token refused"."""
    response = http.send("GET", SCOPES_PATH)
    status = response.status_code
    if status in (401, 403):
        raise AuthError(
            _(
                "Discourse refused the API key for {user} (GET {path} answered {status}, which it"
                " answers to any valid key): the key is wrong, revoked or expired, it is a single-user key of"
                " another user than {user}, it is limited to other IP addresses, or {user} is"
                " suspended. Enter a new key"
            ).format(user=username, path=SCOPES_PATH, status=status),
            status=401,
            code="token_refused",
        )
    acting = response.headers.get("X-Discourse-Username") or username
    if status == 404:
        # Discourse before 2020 has no such page: nothing known about scopes, nothing turned off.
        return KeyAccess(frozenset(), acting)
    if status != 200:
        raise ApiError(
            _("GET {path} failed (HTTP {status})").format(path=SCOPES_PATH, status=status), status=status
        )
    answer = parse_answer(wire.KEY_SCOPES, "GET", SCOPES_PATH, response, api="Discourse's API")
    return KeyAccess(frozenset(f"{s.resource}:{s.action}" for s in answer.scopes), acting)
