"""Which of the operations Discourse's published descriptions describe the sandbox serves, read from the
app's own routes (so neither the schemathesis run nor the README's list can drift from them)."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from desktop.sandbox.discourse.operations import route_shape, served_routes
from tests.discourse_openapi import HANDWRITTEN_2021, OFFICIAL, Document, grant_and_revoke, official

METHODS = ("get", "post", "put", "delete", "patch")


@dataclass(frozen=True, slots=True)
class Described:
    """One operation of a published description: which one, its method and path as written there."""

    description: str
    method: str
    path: str
    operation_id: str

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def described() -> list[Described]:
    """Every operation of ``openapi.json`` and the two taken from the 2021 description."""
    found: list[Described] = []
    for name, document in ((OFFICIAL, official()), (HANDWRITTEN_2021, grant_and_revoke())):
        for path, item in document["paths"].items():
            for method in METHODS:
                operation = item.get(method)
                if isinstance(operation, dict):
                    found.append(
                        Described(name, method, path, str(operation.get("operationId") or f"{method} {path}"))
                    )
    return found


def _served() -> set[tuple[str, str]]:
    return {(method.lower(), route_shape(path)) for method, path in served_routes()}


def covered() -> list[Described]:
    """The described operations the sandbox serves."""
    served = _served()
    return [op for op in described() if (op.method, route_shape(op.path)) in served]


def not_covered() -> list[Described]:
    """The described operations the sandbox does not serve."""
    served = _served()
    return [op for op in described() if (op.method, route_shape(op.path)) not in served]


def served_but_undescribed() -> list[tuple[str, str]]:
    """Routes the sandbox serves that neither description describes."""
    shapes = {(op.method, route_shape(op.path)) for op in described()}
    return [(m, p) for m, p in served_routes() if (m.lower(), route_shape(p)) not in shapes]


def only_covered(document: Document) -> Document:
    """``document`` keeping only the operations the sandbox serves (for schemathesis)."""
    served = _served()
    kept = copy.deepcopy(document)
    paths: dict[str, dict[str, object]] = {}
    for path, item in document["paths"].items():
        methods = {
            key: value
            for key, value in item.items()
            if key not in METHODS or (key, route_shape(path)) in served
        }
        if any(key in METHODS for key in methods):
            paths[path] = methods
    kept["paths"] = paths
    return kept
