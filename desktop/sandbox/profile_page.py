"""The sandbox's member profile pages: what a browser shows at ``/members/{member_id}``.

A BadgeDesk Community API v1 server shows each member's profile at that address
below its root (outside ``/api/v1``); the client's "Open on the server" opens it
(:attr:`desktop.dialects.badgedesk_v1.connector.PROFILE_PATH`). The page is public,
as a community's profiles are, and so names no email. Everything the member wrote
is escaped: a display name is text, never markup.
"""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from desktop.domain import MemberStatus

router = APIRouter(include_in_schema=False)

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1>{body}</body></html>
"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title=html.escape(title), body=body), status_code=status)


@router.get("/members/{member_id}", response_class=HTMLResponse)
def member_profile(member_id: Annotated[int, Path(ge=1, le=2**63 - 1)], request: Request) -> HTMLResponse:
    store = request.app.state.sandbox.store
    member = store.member(member_id)
    if member is None:
        return _page("No such member", "<p>This community has no member with that number.</p>", 404)
    if member.status is MemberStatus.DELETED:
        return _page("Deleted member", "<p>This member's account was deleted.</p>", 410)
    facts = [
        f"<dt>Username</dt><dd>@{html.escape(member.username)}</dd>",
        f"<dt>Member since</dt><dd>{member.joined_at.date().isoformat()}</dd>",
    ]
    if member.status is MemberStatus.SUSPENDED:
        facts.append("<dt>Status</dt><dd>suspended</dd>")
    community = html.escape(request.app.state.sandbox.community_name)
    body = f"<p>A member of {community}.</p><dl>{''.join(facts)}</dl>"
    return _page(member.display_name, body)
