"""Checking the sandbox's Discourse answers against Discourse's published OpenAPI descriptions.

``openapi.json`` (OpenAPI 3.1, generated from Discourse's request specs)
describes most operations; the 2021 hand-written description is the only one
with grant (``POST /user_badges.json``) and revoke (``DELETE /user_badges/{id}``),
so those two paths are taken from it. Every answer whose operation and status
a description documents is validated with openapi-core; the rest (errors the
descriptions leave out, operations they lack) are not.

Both descriptions forbid, in a few places, what Discourse's code does; the
corrections (one list, each with its reason) are in ``tests/discourse_openapi.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import httpx
from openapi_core import OpenAPI

from tests.discourse_openapi import grant_and_revoke, official
from tests.openapi_httpx import OpenApiRequest, OpenApiResponse


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
    for raw in (official(), grant_and_revoke()):
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
