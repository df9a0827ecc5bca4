"""Discourse's answers on the wire: JSON with exactly ``application/json; charset=utf-8``, or an empty body.

pydiscourse compares the content type with that exact string and raises on
anything else, so every JSON answer goes through ``json_answer``. Rails renders
``body: nil`` (a deleted badge, ``/session/current`` without a user) as an
empty ``text/html`` answer; pydiscourse reads an empty body as ``None``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from starlette.responses import Response

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
EMPTY_CONTENT_TYPE = "text/html; charset=utf-8"


class DiscourseJSONResponse(Response):
    """A JSON body with Discourse's exact content type (Starlette's adds no charset)."""

    media_type = JSON_CONTENT_TYPE

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def plain(content: BaseModel | Mapping[str, Any] | Sequence[Any]) -> Any:
    """``content`` as JSON-ready data; models keep only the fields they were given."""
    if isinstance(content, BaseModel):
        return content.model_dump(mode="json", exclude_unset=True)
    if isinstance(content, Mapping):
        return {key: plain(value) for key, value in content.items()}
    if isinstance(content, list | tuple):
        return [plain(item) for item in content]
    return content


def json_answer(
    content: BaseModel | Mapping[str, Any] | Sequence[Any],
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> DiscourseJSONResponse:
    return DiscourseJSONResponse(plain(content), status_code=status, headers=dict(headers or {}))


def empty_answer(status: int = 200) -> Response:
    return Response(b"", status_code=status, media_type=EMPTY_CONTENT_TYPE)
