"""The operations the Discourse face serves, read from the app itself (so lists of them cannot drift).

``declared_routes`` walks the mounted routers; tests compare it with
``scopes.ROUTES`` (every route named as Rails names it), run schemathesis on
the operations the published descriptions describe, and check the README's
list of covered operations against it.
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute


def _walk(routes: list[BaseRoute]) -> list[APIRoute]:
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
            continue
        # FastAPI keeps an included router as one route wrapping the router's own list.
        inner = getattr(getattr(route, "original_router", None), "routes", None)
        if isinstance(inner, list):
            found.extend(_walk(inner))
    return found


def declared_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) the app routes, paths as declared (without ``.json``), HEAD left out."""
    pairs = {
        (method, route.path)
        for route in _walk(list(app.routes))
        for method in route.methods or ()
        if method != "HEAD"
    }
    return sorted(pairs, key=lambda pair: (pair[1], pair[0]))


def served_routes() -> list[tuple[str, str]]:
    """``declared_routes`` of the face's routers, without data behind them (for listing only)."""
    from desktop.sandbox.discourse.routes import ROUTERS

    app = FastAPI()
    for router in ROUTERS:
        app.include_router(router)
    return declared_routes(app)


def route_shape(path: str) -> str:
    """A path template without ``.json``, its parameters unnamed: ``/u/{}`` for ``/u/{username}.json``."""
    return re.sub(r"\{[^}]*\}", "{}", path.removesuffix(".json"))
