"""Discourse's API as another admin tool calls it (not through BadgeDesk), for the e2e tests' witnesses."""

from __future__ import annotations

import httpx

from desktop.sandbox.process import SandboxProcess


def admin_client(forum: SandboxProcess, *, acting_as: str | None = None) -> httpx.Client:
    """A client with the demo's admin key, acting as its admin or as ``acting_as`` (an all-users key)."""
    username = acting_as if acting_as is not None else forum.usernames["admin"]
    return httpx.Client(
        base_url=forum.url, headers={"Api-Key": forum.tokens["admin"], "Api-Username": username}
    )
