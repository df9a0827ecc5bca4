"""The sandbox's topic pages: what a browser shows at ``/t/{topic_id}`` and ``/t/{topic_id}/{post_number}``.

The activity endpoints link a post or topic here (a badge's reason can name the
post that earned it), as a forum's links open its pages. Public, like the
profile pages; everything members wrote is escaped.
"""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

TopicId = Annotated[int, Path(ge=1, le=2**63 - 1)]

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1>{body}</body></html>
"""


@router.get("/t/{topic_id}", response_class=HTMLResponse)
def topic_page(topic_id: TopicId, request: Request) -> HTMLResponse:
    return _topic(request, topic_id, 1)


@router.get("/t/{topic_id}/{post_number}", response_class=HTMLResponse)
def post_page(topic_id: TopicId, post_number: TopicId, request: Request) -> HTMLResponse:
    return _topic(request, topic_id, post_number)


def _topic(request: Request, topic_id: int, post_number: int) -> HTMLResponse:
    store = request.app.state.sandbox.store
    found = store.topic_post(topic_id, post_number)
    if found is None:
        body = "<p>This community has no such topic or post.</p>"
        return HTMLResponse(_PAGE.format(title="Not found", body=body), status_code=404)
    title, username, created_at, raw, likes = found
    body = (
        f"<article id='post_{post_number}'><p>@{html.escape(username)}, {created_at.date().isoformat()}</p>"
        f"<p>{html.escape(raw)}</p><p>{likes} likes</p></article>"
    )
    return HTMLResponse(_PAGE.format(title=html.escape(title), body=body))
