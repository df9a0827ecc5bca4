"""Checking the sandbox's Discourse answers against Discourse's published OpenAPI descriptions.

``openapi.json`` (OpenAPI 3.1, generated from Discourse's request specs)
describes most operations; the 2021 hand-written description is the only one
with grant (``POST /user_badges.json``) and revoke (``DELETE /user_badges/{id}``),
so those two paths are taken from it. Every answer whose operation and status
a description documents is validated with openapi-core; the rest (errors the
descriptions leave out, operations they lack) are not.

Both descriptions were recorded from one example each, so in a few places they
forbid what Discourse's code does. Those places are corrected below, each with
its reason, and nowhere else:

- ``adminListUsersFlag``: ``minItems: 1`` forbids the empty page that ends every
  list; the ``flag`` enum is stale (the code takes any word).
- ``getUser``: ``featured_topic`` is null for a user without one; a suspended
  user's profile adds ``suspended_till`` and ``suspend_reason``.
- ``listUserBadges``: ``grouped=true`` adds ``count``; a grant linked to a post
  adds ``post_number``, ``topic_id``, ``topic_title``.
- ``listGroupMembers``: ``last_posted_at``, ``last_seen_at`` and ``timezone``
  are null for a member who never posted, never came back, or set no zone.
- ``createBadge``/``updateBadge``: ``trigger`` is an integer (``Badge::Trigger``)
  for a system badge, and a system badge adds ``i18n_name``.
- ``listCategoryTopics``: ``topic_list.more_topics_url`` is there while more
  topics remain (TopicListSerializer, ``include_more_topics_url?``).
- ``getTopic``: a small action post (closing a topic) adds ``action_code``
  (PostSerializer, ``include_action_code?``).
- 2021: the revoke's path parameter gets the schema OpenAPI 3.0 requires.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import yaml
from openapi_core import OpenAPI

from tests.openapi_httpx import OpenApiRequest, OpenApiResponse

#: The copies kept with the tests (MIT, see LICENSE.txt there): CI has nothing outside the checkout.
SHARED = Path(__file__).resolve().parents[2] / "data" / "discourse"
OPENAPI_JSON = SHARED / "openapi.json"
OPENAPI_2021 = SHARED / "openapi-2021-handwritten.yml"
#: The 2021 description's paths this suite takes (the newer one lacks them).
FROM_2021 = ("/user_badges.json", "/user_badges/{id}")


def _response_schema(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    schema = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
    assert isinstance(schema, dict)
    return schema


def _correct(spec: dict[str, Any]) -> dict[str, Any]:
    """The corrections listed in the module's docstring, applied to a copy of ``openapi.json``."""
    spec = copy.deepcopy(spec)
    users = spec["paths"]["/admin/users/list/{flag}.json"]["get"]
    _response_schema(spec, "/admin/users/list/{flag}.json", "get").pop("minItems", None)
    for parameter in users["parameters"]:
        if parameter["name"] in ("flag", "asc"):
            parameter["schema"].pop("enum", None)
    user = _response_schema(spec, "/u/{username}.json", "get")["properties"]["user"]
    user["properties"]["featured_topic"]["type"] = ["object", "null"]
    user["properties"]["suspended_till"] = {"type": ["string", "null"]}
    user["properties"]["suspend_reason"] = {"type": ["string", "null"]}
    grant_items = _response_schema(spec, "/user-badges/{username}.json", "get")["properties"]["user_badges"]
    grant_items["items"]["properties"].update(
        {
            "count": {"type": "integer"},
            "post_number": {"type": "integer"},
            "topic_id": {"type": "integer"},
            "topic_title": {"type": "string"},
        }
    )
    member = _response_schema(spec, "/groups/{name}/members.json", "get")["properties"]
    for key in ("members", "owners"):
        for field in ("last_posted_at", "last_seen_at", "timezone"):
            member[key]["items"]["properties"][field]["type"] = ["string", "null"]
    for path, method in (("/admin/badges.json", "post"), ("/admin/badges/{id}.json", "put")):
        badge = _response_schema(spec, path, method)["properties"]["badge"]
        badge["properties"]["trigger"] = {"type": ["string", "integer", "null"]}
        badge["properties"]["i18n_name"] = {"type": ["string", "null"]}
    topic_list = _response_schema(spec, "/c/{slug}/{id}.json", "get")["properties"]["topic_list"]
    topic_list["properties"]["more_topics_url"] = {"type": "string"}
    topic = _response_schema(spec, "/t/{id}.json", "get")["properties"]
    topic["post_stream"]["properties"]["posts"]["items"]["properties"]["action_code"] = {"type": "string"}
    # Answers are validated whatever host served them.
    spec["servers"] = [{"url": "https://discourse.example.com"}]
    return spec


def _string_keys(value: Any) -> Any:
    """YAML reads ``200:`` as an integer key; OpenAPI's keys are strings."""
    if isinstance(value, dict):
        return {str(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_string_keys(v) for v in value]
    return value


def _from_2021() -> dict[str, Any]:
    whole = _string_keys(yaml.safe_load(OPENAPI_2021.read_text(encoding="utf-8")))
    for path in FROM_2021:
        for operation in whole["paths"][path].values():
            for parameter in operation.get("parameters", []):
                # OpenAPI 3.0 requires a schema, which the hand-written description left out.
                parameter.setdefault("schema", {"type": "string"})
    return {
        "openapi": whole["openapi"],
        "info": whole["info"],
        "servers": [{"url": "https://discourse.example.com"}],
        "paths": {path: whole["paths"][path] for path in FROM_2021},
    }


@dataclass(frozen=True, slots=True)
class Operation:
    """A described operation: which description, its path template, and how to match a request."""

    spec: OpenAPI
    template: str
    method: str
    operation_id: str
    statuses: frozenset[str]
    pattern: re.Pattern[str]


def _pattern(template: str) -> re.Pattern[str]:
    # Requests may leave out ".json" (the sandbox accepts both), so match without it.
    bare = template.removesuffix(".json")
    regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(bare))
    return re.compile(f"{regex}(?:\\.json)?")


@cache
def operations() -> tuple[Operation, ...]:
    found: list[Operation] = []
    for raw in (_correct(json.loads(OPENAPI_JSON.read_text(encoding="utf-8"))), _from_2021()):
        spec = OpenAPI.from_dict(raw)
        for template, methods in raw["paths"].items():
            for method, operation in methods.items():
                if method not in ("get", "post", "put", "delete", "patch"):
                    continue
                found.append(
                    Operation(
                        spec=spec,
                        template=template,
                        method=method,
                        operation_id=str(operation.get("operationId") or f"{method} {template}"),
                        statuses=frozenset(str(s) for s in operation.get("responses", {})),
                        pattern=_pattern(template),
                    )
                )
    return tuple(found)


def operation_for(method: str, path: str) -> Operation | None:
    """The described operation a request is an instance of (the most specific path wins)."""
    matches = [
        op for op in operations() if op.method == method.lower() and op.pattern.fullmatch(path) is not None
    ]
    if not matches:
        return None
    return min(matches, key=lambda op: op.template.count("{"))


def _path_as_described(request: httpx.Request, operation: Operation) -> str:
    """The request's path written as the description writes it (with or without ``.json``)."""
    path = request.url.path
    if operation.template.endswith(".json") and not path.endswith(".json"):
        return path + ".json"
    if not operation.template.endswith(".json"):
        return path.removesuffix(".json")
    return path


def validate(response: httpx.Response) -> str | None:
    """Validate ``response`` against the description of its operation; the operation's id, or
    ``None`` when no description documents this operation and status (nothing to check)."""
    operation = operation_for(response.request.method, response.request.url.path)
    if operation is None or str(response.status_code) not in operation.statuses:
        return None
    request = OpenApiRequest(
        response.request,
        path=_path_as_described(response.request, operation),
        host_url="https://discourse.example.com",
    )
    operation.spec.validate_response(request, OpenApiResponse(response))
    return operation.operation_id
