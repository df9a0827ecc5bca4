"""Discourse's published API descriptions, for fakes that must answer as Discourse does.

A fake Discourse server in tests builds its answers from the spec's own
schemas (:func:`example` gives the smallest instance a schema accepts; the
fake then sets the fields a test cares about) and has every answer checked
against the spec (:func:`check`) before the client sees it. So a fake that
drifts from Discourse's shape fails its test instead of teaching the client
a convenient variant.

Two descriptions (``tests/data/discourse/``, MIT):

- ``openapi.json``, the official one generated from Discourse's request
  specs: strict schemas (``additionalProperties: false``, long ``required``
  lists);
- the 2021 hand-written one, the only official description of grant
  (``POST /user_badges.json``) and revoke (``DELETE /user_badges/{id}``).
  Only those two operations are taken from it (the document as a whole
  does not validate: some path parameters have no schema).

Corrections, each where the code of Discourse disagrees with the spec
(FACTS.md: the code wins), are made in :func:`_corrected` and listed there.
Operations neither describes (the holders list ``GET /user_badges.json``)
are not checked: :func:`check` returns False for them, and the fake builds
them from Discourse's serializers as FACTS.md describes them.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import httpx
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound, ServerNotFound

from tests.openapi_httpx import OpenApiRequest, OpenApiResponse

DATA = Path(__file__).resolve().parent.parent / "data" / "discourse"

#: The operations taken from the 2021 description, under the path the client calls
#: (every Discourse route takes an optional ``.json``; the 2021 spec wrote the revoke without).
_FROM_2021 = {"/user_badges.json": "/user_badges.json", "/user_badges/{id}.json": "/user_badges/{id}"}


class SpecViolation(AssertionError):
    """An answer of a fake does not match Discourse's published description."""


@functools.cache
def document() -> dict[str, Any]:
    """The official description, corrected where Discourse's code disagrees with it."""
    with (DATA / "openapi.json").open(encoding="utf-8") as file:
        return _corrected(json.load(file))


def _corrected(spec: dict[str, Any]) -> dict[str, Any]:
    users = spec["paths"]["/admin/users/list/{flag}.json"]["get"]
    # The list ends with an empty page (FACTS.md; AdminUserIndexQuery pages past the end
    # with OFFSET), though the generated schema says at least one user.
    users["responses"]["200"]["content"]["application/json"]["schema"].pop("minItems", None)
    # The flag enum is stale: only some flags filter and every word is accepted (FACTS.md).
    for parameter in users["parameters"]:
        if parameter["name"] == "flag":
            parameter["schema"].pop("enum", None)
        if parameter["name"] == "asc":
            # Any non-empty value sorts ascending, "asc=false" included.
            parameter["schema"].pop("enum", None)
    # TopicListSerializer adds more_topics_url while more topics remain.
    topic_list = spec["paths"]["/c/{slug}/{id}.json"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]
    topic_list["schema"]["properties"]["topic_list"]["properties"]["more_topics_url"] = {"type": "string"}
    # PostSerializer adds action_code to a small action post (closing a topic).
    topic = spec["paths"]["/t/{id}.json"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    topic["properties"]["post_stream"]["properties"]["posts"]["items"]["properties"]["action_code"] = {
        "type": "string"
    }
    return spec


@functools.cache
def _grant_and_revoke() -> dict[str, Any]:
    """Grant and revoke from the 2021 description, as a document of their own."""
    with (DATA / "openapi-2021-handwritten.yml").open(encoding="utf-8") as file:
        old = yaml.safe_load(file)
    paths: dict[str, Any] = {}
    for ours, theirs in _FROM_2021.items():
        item = copy.deepcopy(old["paths"][theirs])
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                # The 2021 spec leaves the revoke's id without a schema (invalid OpenAPI).
                parameter.setdefault("schema", {"type": "integer"})
        paths[ours] = item
    document = {
        "openapi": old["openapi"],
        "info": old["info"],
        "servers": [{"url": "https://{host}", "variables": {"host": {"default": "forum.test"}}}],
        "paths": paths,
    }
    # Through JSON: YAML reads the status codes as integers; OpenAPI wants strings.
    result: dict[str, Any] = json.loads(json.dumps(document))
    return result


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
