"""Discourse's published API descriptions, for fakes that must answer as Discourse does.

A fake Discourse server in tests builds its answers from the spec's own
schemas (:func:`example` gives the smallest instance a schema accepts; the
fake then sets the fields a test cares about) and has every answer checked
against the spec (:func:`check`) before the client sees it. So a fake that
drifts from Discourse's shape fails its test instead of teaching the client
a convenient variant.

The descriptions, and the one list of corrections where Discourse's code
disagrees with them (FACTS.md: the code wins), are in ``tests/discourse_openapi.py``.
Operations neither describes (the holders list ``GET /user_badges.json``)
are not checked: :func:`check` returns False for them, and the fake builds
them from Discourse's serializers as FACTS.md describes them.
"""

from __future__ import annotations

import functools
from typing import Any

import httpx
from openapi_core import Config, OpenAPI
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound, ServerNotFound

from tests.discourse_openapi import grant_and_revoke, official
from tests.openapi_httpx import OpenApiRequest, OpenApiResponse


class SpecViolation(AssertionError):
    """An answer of a fake does not match Discourse's published description."""


@functools.cache
def document() -> dict[str, Any]:
    """The official description, corrected where Discourse's code disagrees with it."""
    return official()


@functools.cache
def _grant_and_revoke() -> dict[str, Any]:
    return grant_and_revoke()


@functools.cache
def _apis() -> tuple[OpenAPI, OpenAPI]:
    # The documents are not validated as OpenAPI each run (2 s for the official one): both
    # validate (the 2021 part once its parameter has a schema); test_discourse_fake checks it.
    unchecked = Config(spec_validator_cls=None)
    return (
        OpenAPI.from_dict(document(), config=unchecked),
        OpenAPI.from_dict(_grant_and_revoke(), config=unchecked),
    )


def validate_documents() -> None:
    """Validate both documents as OpenAPI (slow: for one test, not every run)."""
    OpenAPI.from_dict(document())
    OpenAPI.from_dict(_grant_and_revoke())


def response_schema(path: str, method: str = "get", status: str = "200") -> dict[str, Any]:
    """The JSON schema of an answer in the official description."""
    operation = document()["paths"][path][method]
    schema: dict[str, Any] = operation["responses"][status]["content"]["application/json"]["schema"]
    return schema


def example(schema: dict[str, Any]) -> Any:
    """The smallest value ``schema`` accepts: required properties only, empty lists, zeros."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object" or (kind is None and "properties" in schema):
        properties = schema.get("properties", {})
        return {name: example(properties.get(name, {})) for name in schema.get("required", [])}
    if kind == "array":
        return [example(schema.get("items", {})) for _ in range(schema.get("minItems", 0))]
    return {"string": "", "integer": 0, "number": 0, "boolean": False, "null": None}.get(kind or "")


def item_schema(schema: dict[str, Any], *path: str) -> dict[str, Any]:
    """The schema of the items of the array at ``path`` inside ``schema`` (``()``: ``schema`` itself)."""
    for name in path:
        schema = schema["properties"][name]
    items: dict[str, Any] = schema["items"]
    return items


def shaped(schema: dict[str, Any], **values: Any) -> dict[str, Any]:
    """An object ``schema`` accepts, with ``values`` set on top of its smallest instance."""
    body: dict[str, Any] = example(schema)
    body.update(values)
    return body


def check(request: httpx.Request, response: httpx.Response) -> bool:
    """Whether a description covers this operation (True) and, if so, that the answer matches it.

    Raises :class:`SpecViolation` naming the operation and the fault. Only
    answers the description documents (the 200 of an operation) are
    checked; errors are Discourse's two conventions, which it does not describe.
    """
    if response.status_code != 200:
        return False
    for api in _apis():
        try:
            api.validate_response(OpenApiRequest(request), OpenApiResponse(response))
        except (PathNotFound, OperationNotFound, ServerNotFound):
            continue
        except Exception as error:
            raise SpecViolation(f"{request.method} {request.url.path}: {error}") from error
        return True
    return False
