"""Fixtures for the sandbox's Discourse face: a seeded community, the app, and clients whose every
answer is checked against Discourse's published description (see ``spec``)."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from starlette.exceptions import StarletteDeprecationWarning

from desktop.sandbox.discourse.app import create_discourse_app
from desktop.sandbox.discourse.context import DiscourseContext
from desktop.sandbox.discourse.data import DiscourseData
from desktop.sandbox.discourse.jobs import BackgroundJobs
from desktop.sandbox.discourse.keys import ApiKey, DemoKeys, ensure_api_keys
from desktop.sandbox.seed import seed_database
from tests.core.sandbox_discourse.spec import validate

with warnings.catch_warnings():
    # Starlette would rather its test client ran on httpx2; httpx is what this project has.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

MEMBERS = 300
SEED = 3
#: The forum's host as the test clients call it (reason links must name it).
FORUM = "forum.test"


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded database per test session; each test works on its own copy."""
    path = tmp_path_factory.mktemp("discourse-template") / "sandbox.sqlite3"
    seed_database(path, members=MEMBERS, seed=SEED)
    return path


@pytest.fixture()
def database(seeded_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "sandbox.sqlite3"
    shutil.copy(seeded_template, path)
    return path


@pytest.fixture()
def data(database: Path) -> Iterator[DiscourseData]:
    opened = DiscourseData(database)
    yield opened
    opened.close()


@pytest.fixture()
def demo(data: DiscourseData, tmp_path: Path) -> DemoKeys:
    return ensure_api_keys(data, tmp_path / "discourse_keys.json")


class CheckedClient:
    """A test client whose answers are validated against the published description, when it has one.

    ``operations`` lists the operation ids validated so far, so a test can show
    that its answers really were checked.
    """

    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self._client = client
        self.headers = headers
        self.operations: list[str] = []

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        response: httpx.Response = self._client.request(method, path, headers=headers, **kwargs)
        checked = validate(response)
        if checked is not None:
            self.operations.append(checked)
        return response

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)


@dataclass
class Forum:
    """The app with its data, keys and clients; ``client(...)`` makes one for any key and username."""

    app: FastAPI
    data: DiscourseData
    demo: DemoKeys
    test_client: TestClient
    clients: dict[str, CheckedClient] = field(default_factory=dict)

    def client(self, key: str | None = None, username: str | None = None) -> CheckedClient:
        headers: dict[str, str] = {}
        if key is not None:
            headers["Api-Key"] = key
        if username is not None:
            headers["Api-Username"] = username
        return CheckedClient(self.test_client, headers)

    @property
    def admin(self) -> CheckedClient:
        return self.client(self.demo.tokens["admin"], self.demo.usernames["admin"])

    @property
    def moderator(self) -> CheckedClient:
        return self.client(self.demo.tokens["moderator"], self.demo.usernames["moderator"])

    @property
    def anonymous(self) -> CheckedClient:
        return self.client()

    @property
    def jobs(self) -> BackgroundJobs:
        """The background jobs (a mass award's grants) of this app."""
        ctx = self.app.state.discourse
        assert isinstance(ctx, DiscourseContext)
        return ctx.jobs

    def key_for(self, username: str) -> str:
        """A single-user key of ``username`` (as an admin makes one at /admin/api/keys)."""
        user = self.data.user_by_username(username)
        assert user is not None
        key = f"{user.id:064x}"
        self.demo.keys.add(ApiKey(key, f"test key of {username}", user.id))
        return key


MakeForum = Callable[..., Forum]


@pytest.fixture()
def make_forum(data: DiscourseData, demo: DemoKeys) -> Iterator[MakeForum]:
    made: list[Forum] = []

    def make(**options: Any) -> Forum:
        options.setdefault("rate_per_minute", None)
        app = create_discourse_app(data, demo.keys, **options)
        client = TestClient(app, base_url=f"http://{FORUM}", raise_server_exceptions=True)
        made.append(Forum(app=app, data=data, demo=demo, test_client=client))
        return made[-1]

    yield make
    for forum in made:
        forum.jobs.close()
        forum.test_client.close()


@pytest.fixture()
def forum(make_forum: MakeForum) -> Forum:
    """The Discourse face without a rate limit (the bucket has tests of its own)."""
    return make_forum()


def member_without(forum: Forum, badge_id: int) -> str:
    """An active member who does not hold ``badge_id`` yet."""
    holders = forum.data.holders(badge_ids=[badge_id], user_id=None, offset=0, limit=10_000)
    held = {g.user_id for g in holders}
    for row in forum.admin.get("/admin/users/list/basic.json").json():
        if row["id"] not in held:
            return str(row["username"])
    raise AssertionError("every basic member holds the badge")
