"""A request's parameters as a Rails controller sees them: query string and body merged, read the Ruby way.

Discourse accepts bodies as JSON, form-urlencoded or multipart (pydiscourse
sends forms, most clients JSON), and Rails merges them with the query string
into one ``params``. Values keep the type their encoding gave them (a JSON
``false`` stays ``False``, a form's ``"false"`` stays a string), because
Discourse's controllers treat them differently: ``if params[key]`` skips a JSON
``false`` but not the string. The helpers below read values as Ruby would
(``to_i``, ``present?``) and as ActiveRecord casts them into columns.

Multipart is parsed with the standard library's ``email`` package: the
sandbox has no ``python-multipart`` (FastAPI's form parsing needs it).
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import Depends
from starlette.requests import Request

from desktop.sandbox.discourse.errors import InvalidParameters

_LEADING_INT = re.compile(r"\s*([+-]?\d+)")

#: ActiveModel::Type::Boolean's FALSE_VALUES; "" casts to nil, anything else to true.
_FALSE_STRINGS = frozenset({"0", "f", "F", "false", "FALSE", "off", "OFF"})


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file part of a multipart body. Immutable; any thread."""

    filename: str
    content_type: str
    data: bytes


@dataclass(slots=True)
class Params:
    """One request's merged parameters (body over query string, as Rails merges them).

    Thread safety: built on the event loop, then read by one request handler.
    """

    values: dict[str, Any] = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def has(self, key: str) -> bool:
        return key in self.values

    def present(self, key: str) -> bool:
        """Ruby's ``params[key].present?``: not nil, not false, not blank."""
        return present(self.values.get(key))

    def text(self, key: str) -> str | None:
        """The value as a string (``None`` when absent); numbers and booleans as Rails would print them."""
        value = self.values.get(key)
        if value is None:
            return None
        return ruby_string(value)


def present(value: Any) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, list | dict):
        return len(value) > 0
    return True


def truthy(value: Any) -> bool:
    """Ruby truthiness: everything but ``nil`` and ``false`` (so ``""`` and ``0`` are true)."""
    return value is not None and value is not False


def ruby_string(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float) and value.is_integer():
        return str(value)
    return str(value)


def to_i(value: Any) -> int:
    """Ruby's ``String#to_i``: the leading integer, or 0 (``"2abc"`` is 2, ``"abc"`` is 0)."""
    if value is None or value is False:
        return 0
    if value is True:
        return 0
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    match = _LEADING_INT.match(str(value))
    return int(match.group(1)) if match else 0


def cast_boolean(value: Any) -> bool | None:
    """ActiveRecord's boolean cast: ``""`` and nil are nil, the false spellings false, the rest true."""
    if value is None or value == "":
        return None
    if value is False or value == 0:
        return False
    return not (isinstance(value, str) and value in _FALSE_STRINGS)


def cast_integer(value: Any) -> int | None:
    """ActiveRecord's integer cast: a number, a numeric string, else nil."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    text = str(value).strip()
    match = re.fullmatch(r"[+-]?\d+(\.\d*)?", text)
    if match is None:
        return None
    return int(float(text)) if match.group(1) else int(text)


def _flatten(body: Any) -> dict[str, Any]:
    return dict(body) if isinstance(body, dict) else {}


def _form_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in pairs:
        if key.endswith("[]"):
            # Rails collects "ids[]=1&ids[]=2" into an array under "ids".
            values.setdefault(key[:-2], [])
            if isinstance(values[key[:-2]], list):
                values[key[:-2]].append(value)
        else:
            values[key] = value
    return values


def _multipart(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(header + body)
    if not message.is_multipart():
        raise InvalidParameters("the multipart body could not be read")
    pairs: list[tuple[str, Any]] = []
    files: dict[str, UploadedFile] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            files[name] = UploadedFile(filename=filename, content_type=part.get_content_type(), data=data)
            pairs.append((name, filename))
        else:
            charset = part.get_content_charset() or "utf-8"
            pairs.append((name, data.decode(charset, errors="replace")))
    return _form_pairs(pairs), files


async def read_params(request: Request) -> Params:
    """Query string and body of ``request``, merged; a body that cannot be read is a 400."""
    params = Params(values=_form_pairs(list(request.query_params.multi_items())))
    body = await request.body()
    if not body:
        return params
    content_type = request.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/json" or media_type.endswith("+json"):
        try:
            params.values.update(_flatten(json.loads(body)))
        except ValueError:
            raise InvalidParameters("the JSON body could not be parsed") from None
    elif media_type == "multipart/form-data":
        values, files = _multipart(content_type, body)
        params.values.update(values)
        params.files.update(files)
    elif media_type in ("application/x-www-form-urlencoded", ""):
        text = body.decode("utf-8", errors="replace")
        params.values.update(_form_pairs(parse_qsl(text, keep_blank_values=True)))
    return params


ParamsDep = Annotated[Params, Depends(read_params)]
