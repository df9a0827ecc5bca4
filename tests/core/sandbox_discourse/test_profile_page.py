"""A browser opening a member's profile on the demo forum (BadgeDesk's "Open on the server") gets a page."""

from __future__ import annotations

import dataclasses

from desktop.sandbox.discourse.routes.users import profile_page
from tests.core.sandbox_discourse.conftest import Forum

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_a_browser_gets_the_profile_as_a_page_and_the_api_still_gets_json(forum: Forum) -> None:
    row = forum.admin.get("/admin/users/list/active.json").json()[0]
    page = forum.test_client.get(f"/u/{row['username']}", headers=BROWSER)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert f"@{row['username']}" in page.text
    # An unknown member: Discourse's 404, as before.
    assert forum.test_client.get("/u/nobody-at-all", headers=BROWSER).status_code == 404
    # A key, or no browser: the JSON answer as before.
    assert forum.admin.get(f"/u/{row['username']}", headers=BROWSER).json()["user"]["id"] == row["id"]
    assert forum.anonymous.get(f"/u/{row['username']}.json").json()["user"]["username"] == row["username"]


def test_the_page_escapes_what_the_member_wrote(forum: Forum) -> None:
    row = forum.admin.get("/admin/users/list/active.json").json()[0]
    user = forum.data.user_by_username(row["username"])
    assert user is not None
    page = profile_page(dataclasses.replace(user, name="<b>Mallory</b>"))
    assert b"<b>Mallory</b>" not in page.body and b"&lt;b&gt;Mallory&lt;/b&gt;" in page.body
