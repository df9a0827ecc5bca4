"""The activity sources as a program stores them: a :class:`~desktop.programs.model.SourceSpec`
(kind and JSON parameters, version 1) to a source and back, and the server reading each needs.

Kinds: ``leaderboard`` ``{measure, top, exclude_groups, exclude_usernames}``,
``liked-posts`` ``{top}``, ``topic`` ``{topic_id, min_posts}``, ``posters`` ``{min_posts}``.
A program offers a kind only where ``Capabilities.activity_sources`` has :func:`needs`'s answer.

Thread safety: pure functions; any thread.
"""

from __future__ import annotations

from typing import Any

from desktop.dialects.activity import ActivitySource, Measure
from desktop.i18n import _
from desktop.programs.model import ProgramError, SourceSpec
from desktop.programs.sources.leaderboard import LeaderboardSource
from desktop.programs.sources.liked_posts import LikedPostsSource
from desktop.programs.sources.posters import TopicPostersSource, WindowPostersSource

ActivitySourceKind = LeaderboardSource | LikedPostsSource | TopicPostersSource | WindowPostersSource

#: Each kind and the reading of the server it needs.
NEEDS = {
    "leaderboard": ActivitySource.LEADERBOARD,
    "liked-posts": ActivitySource.LIKED_POSTS,
    "topic": ActivitySource.TOPIC_POSTERS,
    "posters": ActivitySource.WINDOW_POSTERS,
}


def needs(kind: str) -> ActivitySource | None:
    """What ``kind`` reads of the server (None: not an activity source)."""
    return NEEDS.get(kind)


def _int(params: dict[str, Any], name: str, default: int | None = None) -> int:
    value = params.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    return value


def activity_source(spec: SourceSpec) -> ActivitySourceKind:
    """The source a stored spec describes; :class:`ProgramError` (for the user) where it cannot be read."""
    params = spec.params
    try:
        if spec.version != 1 or spec.kind not in NEEDS:
            raise ValueError(f"unknown source {spec.kind!r} version {spec.version}")
        if spec.kind == "leaderboard":
            groups = params.get("exclude_groups", [])
            names = params.get("exclude_usernames", [])
            if not isinstance(groups, list) or not all(isinstance(g, int) for g in groups):
                raise ValueError(f"exclude_groups must be group ids, not {groups!r}")
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise ValueError(f"exclude_usernames must be usernames, not {names!r}")
            measure = Measure(str(params.get("measure")))
            return LeaderboardSource(measure, _int(params, "top"), tuple(groups), tuple(names))
        if spec.kind == "liked-posts":
            return LikedPostsSource(_int(params, "top"))
        if spec.kind == "topic":
            return TopicPostersSource(_int(params, "topic_id"), _int(params, "min_posts", 1))
        return WindowPostersSource(_int(params, "min_posts", 1))
    except ValueError as error:
        # What is wrong is for developers (the chained error); the user can only choose again.
        raise ProgramError(
            _("This program's source cannot be read: edit the program to choose it again.")
        ) from error


def spec_of(source: ActivitySourceKind) -> SourceSpec:
    """How a program stores ``source``."""
    if isinstance(source, LeaderboardSource):
        return SourceSpec(
            "leaderboard",
            {
                "measure": source.measure.value,
                "top": source.top,
                "exclude_groups": list(source.exclude_groups),
                "exclude_usernames": list(source.exclude_usernames),
            },
        )
    if isinstance(source, LikedPostsSource):
        return SourceSpec("liked-posts", {"top": source.top})
    if isinstance(source, TopicPostersSource):
        return SourceSpec("topic", {"topic_id": source.topic_id, "min_posts": source.min_posts})
    return SourceSpec("posters", {"min_posts": source.min_posts})
