"""A server with one limit for every client (Discourse): every session of a profile shares one budget."""

from __future__ import annotations

from pathlib import Path

from desktop.cache.database import Cache
from desktop.community import Community, Endpoint
from desktop.net.budget import DISCOURSE_ADMIN_API, Priority


def test_discourse_sessions_share_one_budget_and_v1_sessions_have_none(tmp_path: Path) -> None:
    forum = Community(
        "forum",
        Endpoint("https://forum.example.org", "key", kind="discourse", username="alice"),
        Cache(tmp_path / "forum"),
    )
    first = forum.connector()
    second = forum.connector(priority=Priority.BACKGROUND)
    try:
        budgets = {id(s._api.http.budget) for s in (first, second)}  # type: ignore[attr-defined]
        assert len(budgets) == 1 and first._api.http.budget is not None  # type: ignore[attr-defined]
        assert first._api.http.budget.limit == DISCOURSE_ADMIN_API  # type: ignore[attr-defined]
        assert second._api.http.priority is Priority.BACKGROUND  # type: ignore[attr-defined]
    finally:
        first.close()
        second.close()
        forum.close()

    ours = Community("v1", Endpoint("http://127.0.0.1:9", "token"), Cache(tmp_path / "v1"))
    session = ours.connector()
    try:
        assert session._http.budget is None  # type: ignore[attr-defined]
    finally:
        session.close()
        ours.close()
