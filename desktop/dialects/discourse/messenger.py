"""The Messenger port over Discourse: one private message to one member, ``POST /posts.json``.

``{title, raw, archetype: "private_message", target_recipients: username}``
(the newest Discourse ignores ``target_usernames``). One member a message,
never several: the recipients of one message share its thread and see each
other. Discourse keeps no idempotency keys: a message whose answer was lost
is not sent again here (the outbox asks the user).

Discourse refuses titles under 2 characters and bodies under 10 (its
defaults for private messages): a shorter text is refused with its words.
A member renamed since the cache learned the name is looked up by id and
the message sent to the new name (the refusal created nothing).

Thread safety: one thread at a time (it belongs to one session).
"""

from __future__ import annotations

import httpx

from desktop.dialects.discourse import wire
from desktop.dialects.discourse.api import DiscourseApi, adapter
from desktop.dialects.discourse.directory import DiscourseDirectory
from desktop.i18n import _
from desktop.net.errors import ApiError

_POSTS = "/posts.json"


class DiscourseMessenger:
    """Thread safety: one thread at a time (it belongs to one session)."""

    def __init__(self, api: DiscourseApi, directory: DiscourseDirectory) -> None:
        self._api = api
        self._directory = directory

    def send_message(self, member_id: int, username: str, subject: str, text: str) -> None:
        name = username or self._current_name(member_id)
        response = self._post(name, subject, text)
        if response.status_code == 422:
            # Perhaps renamed since the cache learned the name: Discourse names the recipient it lacks.
            current = self._current_name(member_id)
            if current.lower() != name.lower():
                response = self._post(current, subject, text)
        if response.status_code != 200:
            raise self._api.error("POST", _POSTS, response)
        self._api.parse(adapter(wire.CreatedPost), "POST", _POSTS, response)

    def _post(self, username: str, subject: str, text: str) -> httpx.Response:
        body = {
            "title": subject,
            "raw": text,
            "archetype": "private_message",
            "target_recipients": username,
        }
        return self._api.write("POST", _POSTS, body)

    def _current_name(self, member_id: int) -> str:
        found = self._directory.username_of(member_id)
        if found is None:
            raise ApiError(
                _("Member {member} is no longer on the forum: the message was not sent").format(
                    member=member_id
                ),
                status=404,
            )
        return found
