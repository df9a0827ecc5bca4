"""The Discourse face's endpoints, one module per resource; ``ROUTERS`` is what the app mounts.

Paths are declared without ``.json`` (the middleware strips it, as Rails reads
it as a format). Handlers are plain ``def``: FastAPI runs them in its
threadpool, where the store's per-thread connections serve them.
"""

from __future__ import annotations

from desktop.sandbox.discourse.routes import (
    badges,
    directory,
    groups,
    latest_posts,
    mass_award,
    moderation,
    posts,
    search,
    session,
    topics,
    uploads,
    user_badges,
    users,
)

ROUTERS = (
    session.router,
    users.router,
    moderation.router,
    badges.router,
    mass_award.router,
    user_badges.router,
    groups.router,
    directory.router,
    posts.router,
    latest_posts.router,
    search.router,
    topics.router,
    uploads.router,
)
