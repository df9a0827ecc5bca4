"""Reading a server's answer: accept it whole, or refuse it in one clear sentence.

A dialect's wire models (e.g. :mod:`desktop.dialects.badgedesk_v1.wire`) say what an answer may hold; this
module turns a body that breaks them into a :class:`MalformedResponse` that
names the place and the fault, never the value itself (it may be member data,
or megabytes of it).
"""

from __future__ import annotations

import re
from typing import TypeVar

import httpx
from pydantic import TypeAdapter, ValidationError

from desktop.i18n import _, ngettext
from desktop.net.errors import MalformedResponse

T = TypeVar("T")


def advice(api: str) -> str:
    """What the user can do about a malformed answer from a server that should speak ``api``."""
    return _("tell the server's administrator: this server does not answer as {api} requires").format(api=api)


_MEDIA_TYPE = re.compile(r"[a-z0-9!#$&^_.+-]{1,40}/[a-z0-9!#$&^_.+-]{1,40}")


def parse_answer(adapter: TypeAdapter[T], method: str, path: str, response: httpx.Response, *, api: str) -> T:
    """The body as ``adapter``'s type, or :class:`MalformedResponse` naming what was wrong."""
    # A proxy's or sign-in page's answer is not the API's, even when it happens to parse.
    media_type = non_json_media_type(response)
    if media_type is not None:
        raise MalformedResponse(
            _(
                "Malformed response from {method} {path}: the server sent {media_type}, not JSON;"
                " check the server address (a proxy or sign-in page may be answering instead),"
                " or tell the server's administrator"
            ).format(method=method, path=path, media_type=media_type)
        )
    try:
        return adapter.validate_json(response.content)
    except ValidationError as error:
        # from None: pydantic's own message quotes the payload.
        if error.errors()[0]["type"] == "json_invalid":
            raise MalformedResponse(
                _("Malformed response from {method} {path}: not valid JSON; {advice}").format(
                    method=method, path=path, advice=advice(api)
                )
            ) from None
        raise MalformedResponse(
            _("Malformed response from {method} {path}: {fault}; {advice}").format(
                method=method, path=path, fault=describe_validation(error), advice=advice(api)
            )
        ) from None


def describe_validation(error: ValidationError) -> str:
    """Where and what, e.g. ``items[3].id: input should be greater than or equal to 1``."""
    first = error.errors()[0]
    where = ""
    for part in first["loc"]:
        if isinstance(part, int):
            where += f"[{part}]"
        elif part.isidentifier():  # not pydantic's names for union members and validators
            where += f".{part}" if where else part
    what = first["msg"].removeprefix("Value error, ")
    what = what[:1].lower() + what[1:]
    where = where or _("the answer")
    others = error.error_count() - 1
    if not others:
        return _("{where}: {what}").format(where=where, what=what)
    return ngettext("{where}: {what} (and {n} more)", "{where}: {what} (and {n} more)", others).format(
        where=where, what=what, n=others
    )


def one_line(text: str, limit: int = 200) -> str:
    """A server's own words, made fit for the status bar: one line, and short."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def non_json_media_type(response: httpx.Response) -> str | None:
    """The answer's media type when it is not JSON (none declared counts as JSON), else None."""
    declared = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if not declared or declared == "application/json" or declared.endswith("+json"):
        return None
    # Shown to the user: only something that looks like a media type.
    return declared if _MEDIA_TYPE.fullmatch(declared) else _("something else")
