"""The Discourse connector's badge editor, against the fake forum (answers checked against the spec).

FACTS.md § Badges is the specification: create ``POST /admin/badges.json``,
update ``PUT /admin/badges/{id}.json``, the image uploaded first as
``badge_image`` and set by ``image_upload_id``, names unique, no draft and no
version, and system badges that silently keep their protected fields.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

import pytest

from desktop.cache.database import Cache
from desktop.designer.drafts import BadgeDrafts
from desktop.dialects.capabilities import Capabilities
from desktop.dialects.discourse.session import DiscourseSession
from desktop.domain import ActionState, BadgeState
from desktop.net.errors import ApiError, BadgeConflict, ServerUnreachable
from desktop.outbox import Outbox, RetryPolicy
from tests.core.test_discourse_directory import open_session
from tests.core.test_drafts import DESIGN, META, new_draft
from tests.core.test_drafts import cache as cache  # the fixtures
from tests.core.test_drafts import drafts as drafts
from tests.core.test_drafts import outbox as outbox
from tests.fakes.discourse_forum import FakeForum, ForumBadge
from tests.fakes.discourse_records import json_answer

SPEAKER, WELCOME = 100, 5  # a custom badge; one of Discourse's own
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle r="9"/></svg>'
FIELDS = {
    "title": "Night Owl",
    "description": "Answered at night.",
    "criteria": "Ten answers between midnight and five.",
    "category": "community",
    "tier": "gold",
    "award_message": "Hoot, {member}!",
    "slug": "night-owl",
    "state": "draft",
}


@pytest.fixture()
def forum() -> FakeForum:
    return FakeForum.seeded(
        5,
        [
            ForumBadge(SPEAKER, "Conference Speaker", "Spoke", badge_type_id=2, badge_grouping_id=2),
            ForumBadge(WELCOME, "Welcome", "Welcome!", badge_type_id=3, badge_grouping_id=1, system=True),
        ],
    )


@pytest.fixture()
def session(forum: FakeForum) -> Iterator[DiscourseSession]:
    with open_session(forum) as session:
        yield session


def sent_body(forum: FakeForum, method: str, path: str) -> dict[str, object]:
    [request] = forum.sent(method, path)
    body: dict[str, object] = json.loads(request.content)
    return body


# --- create ---------------------------------------------------------------------------------


def test_a_new_badge_uploads_its_image_then_is_created_disabled_as_discourse_has_no_draft(
    forum: FakeForum, session: DiscourseSession
) -> None:
    assert session.editor is not None and session.editor.versions is False
    badge = session.editor.save_badge(
        None, FIELDS, (SVG, "image/svg+xml"), version=None, idempotency_key="k1"
    )

    [upload] = forum.sent("POST", "/uploads")
    assert b'name="type"\r\n\r\nbadge_image' in upload.content
    assert SVG in upload.content
    body = sent_body(forum, "POST", "/admin/badges")
    [stored] = forum.uploads.values()
    assert body == {
        "name": "Night Owl",
        "description": "Answered at night.",
        "long_description": "Ten answers between midnight and five.",
        "badge_type_id": 1,
        "badge_grouping_id": 2,
        "enabled": "false",  # a string: Discourse skips a JSON false
        "image_upload_id": stored.id,
    }
    made = forum.badges[badge.id]
    assert (made.name, made.enabled, made.image_url) == ("Night Owl", False, stored.url)
    assert (badge.title, badge.tier, badge.category, badge.state) == (
        "Night Owl",
        "gold",
        "Community",
        BadgeState.DISABLED,
    )
    assert {"POST /admin/badges.json", "POST /uploads.json"} <= forum.checked


def test_a_badge_without_a_tier_is_bronze_and_without_a_category_takes_discourses_default(
    forum: FakeForum, session: DiscourseSession
) -> None:
    assert session.editor is not None
    fields = {**FIELDS, "tier": "", "category": ""}
    badge = session.editor.save_badge(None, fields, None, version=None, idempotency_key="k1")
    body = sent_body(forum, "POST", "/admin/badges")
    assert body["badge_type_id"] == 3 and "badge_grouping_id" not in body
    assert badge.tier == "bronze" and forum.count("POST", "/uploads") == 0


def test_a_category_the_forum_has_no_grouping_for_is_refused_with_the_groupings_it_has(
    forum: FakeForum, session: DiscourseSession
) -> None:
    assert session.editor is not None
    with pytest.raises(ApiError, match=r"no badge grouping “Fun”.*Getting Started, Community"):
        session.editor.save_badge(
            None, {**FIELDS, "category": "Fun"}, None, version=None, idempotency_key="k"
        )
    assert forum.count("POST") == 0


def test_a_create_whose_answer_was_lost_is_settled_by_reading_the_badges(
    forum: FakeForum, session: DiscourseSession
) -> None:
    assert session.editor is not None
    forum.lose_next("POST", "/admin/badges")
    made = session.editor.save_badge(None, FIELDS, (SVG, "image/svg+xml"), version=None, idempotency_key="k")
    assert [b.id for b in forum.badges.values() if b.name == "Night Owl"] == [made.id]
    assert forum.count("POST", "/admin/badges") == 1


def test_a_create_whose_answer_was_lost_and_unsettled_makes_no_second_badge_when_sent_again(
    forum: FakeForum, session: DiscourseSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert session.editor is not None
    forum.lose_next("POST", "/admin/badges")
    listing = forum._badge_list
    refused = json_answer(403, {"errors": ["refused"], "error_type": "invalid_access"})
    # After the create, the badge list cannot be read either (once): the outcome stays unknown.
    monkeypatch.setattr(
        forum, "_badge_list", lambda: refused if forum.count("POST", "/admin/badges") else listing()
    )
    with pytest.raises(ServerUnreachable):
        session.editor.save_badge(None, FIELDS, (SVG, "image/svg+xml"), version=None, idempotency_key="k")
    assert forum.count("POST", "/admin/badges") == 1  # never re-sent by the HTTP session
    monkeypatch.setattr(forum, "_badge_list", listing)

    again = session.editor.save_badge(None, FIELDS, (SVG, "image/svg+xml"), version=None, idempotency_key="k")

    assert [b.id for b in forum.badges.values() if b.name == "Night Owl"] == [again.id]
    assert forum.count("POST", "/admin/badges") == 1
    assert forum.badges[again.id].image_url is not None


def test_a_name_taken_by_another_badge_is_a_conflict_naming_it(
    forum: FakeForum, session: DiscourseSession
) -> None:
    assert session.editor is not None
    with pytest.raises(BadgeConflict, match="“Conference Speaker” exists on the forum already") as refused:
        session.editor.save_badge(
            None, {**FIELDS, "title": "Conference Speaker"}, None, version=None, idempotency_key="k"
        )
    # Not this badge as it is now (it has none yet), and another slug would not help.
    assert refused.value.current is None and refused.value.name_taken == "Conference Speaker"
    assert forum.count("POST", "/admin/badges") == 0 and len(forum.badges) == 2


def test_a_name_taken_after_the_list_was_read_is_a_conflict_naming_it(
    forum: FakeForum, session: DiscourseSession
) -> None:
    # Another admin made a badge of that name between the editor's look-up and its create.
    assert session.editor is not None
    taken = {"errors": ["Name has already been taken"], "error_type": "record_invalid"}
    forum.refuse_next("POST", "/admin/badges", 422, taken)
    with pytest.raises(BadgeConflict, match=r"“Night Owl” .*another badge") as refused:
        session.editor.save_badge(None, FIELDS, None, version=None, idempotency_key="k")
    assert refused.value.current is None and refused.value.name_taken == "Night Owl"


def test_renaming_a_badge_to_a_taken_name_is_a_conflict_naming_it(
    forum: FakeForum, session: DiscourseSession
) -> None:
    assert session.editor is not None
    with pytest.raises(BadgeConflict, match=r"“Welcome” .*another badge") as refused:
        session.editor.save_badge(SPEAKER, {"title": "Welcome"}, None, version=None, idempotency_key="k")
    assert refused.value.name_taken == "Welcome"
    assert forum.badges[SPEAKER].name == "Conference Speaker"


# --- edit -----------------------------------------------------------------------------------


def test_an_edit_is_a_put_and_an_image_the_badge_shows_already_is_not_uploaded_again(
    forum: FakeForum, session: DiscourseSession
) -> None:
    editor = session.editor
    assert editor is not None
    made = editor.save_badge(None, FIELDS, (SVG, "image/svg+xml"), version=None, idempotency_key="k1")
    changed = {k: v for k, v in FIELDS.items() if k not in ("slug", "state")} | {"title": "Night Owls"}

    saved = editor.save_badge(
        made.id, changed, (SVG, "image/svg+xml"), version=made.version, idempotency_key="k2"
    )

    assert forum.count("POST", "/uploads") == 1
    body = sent_body(forum, "PUT", f"/admin/badges/{made.id}")
    assert body["name"] == "Night Owls" and "enabled" not in body and "image_upload_id" not in body
    assert saved.title == "Night Owls" and saved.version != made.version
    assert editor.current(made.id) == saved
    assert "PUT /admin/badges/{id}.json" in {c.replace(str(made.id), "{id}") for c in forum.checked}


def test_the_sessions_badge_listing_shows_its_own_saves(forum: FakeForum, session: DiscourseSession) -> None:
    """The directory keeps the badge list for the session: a save of this session must not leave it stale."""
    editor = session.editor
    assert editor is not None
    before = {b.id for b in session.badges(None, 100).items}
    made = editor.save_badge(None, FIELDS, None, version=None, idempotency_key="k1")
    listed = {b.id: b for b in session.badges(None, 100).items}
    assert set(listed) == before | {made.id}
    saved = editor.save_badge(
        made.id, {"title": "Night Owls"}, None, version=made.version, idempotency_key="k2"
    )
    assert session.badges(None, 100).items == [b if b.id != made.id else saved for b in listed.values()]
    enabled = editor.set_badge_state(
        made.id, BadgeState.PUBLISHED, version=saved.version, idempotency_key="k3"
    )
    assert {b.id: b for b in session.badges(None, 100).items}[made.id] == enabled


def test_current_is_none_for_a_deleted_badge_and_changes_version_after_an_edit_elsewhere(
    forum: FakeForum, session: DiscourseSession
) -> None:
    editor = session.editor
    assert editor is not None
    before = editor.current(SPEAKER)
    assert before is not None
    forum.badges[SPEAKER].description = "Spoke twice"
    after = editor.current(SPEAKER)
    assert after is not None and after.version != before.version
    del forum.badges[SPEAKER]
    assert editor.current(SPEAKER) is None


def test_an_edit_of_a_badge_deleted_meanwhile_is_a_conflict(
    forum: FakeForum, session: DiscourseSession
) -> None:
    assert session.editor is not None
    session.editor.current(SPEAKER)
    del forum.badges[SPEAKER]
    with pytest.raises(BadgeConflict, match="deleted on the forum"):
        session.editor.save_badge(SPEAKER, {"title": "Speaker"}, None, version=1, idempotency_key="k")


def test_a_system_badge_that_keeps_its_name_is_reported_not_called_saved(
    forum: FakeForum, session: DiscourseSession
) -> None:
    assert session.editor is not None
    fields = {"title": "Hello", "description": "Say hello.", "criteria": "", "category": "", "tier": ""}
    with pytest.raises(BadgeConflict, match="kept this system badge's name as it was") as conflict:
        session.editor.save_badge(WELCOME, fields, None, version=1, idempotency_key="k")
    current = conflict.value.current
    assert current is not None and current.title == "Welcome"
    assert current.description == "Say hello."  # the rest was saved (Discourse took it)
    assert forum.badges[WELCOME].name == "Welcome"


# --- state ----------------------------------------------------------------------------------


def test_publishing_enables_disabling_disables_and_discontinued_is_refused_unsent(
    forum: FakeForum, session: DiscourseSession
) -> None:
    editor = session.editor
    assert editor is not None
    made = editor.save_badge(None, FIELDS, None, version=None, idempotency_key="k1")

    published = editor.set_badge_state(
        made.id, BadgeState.PUBLISHED, version=made.version, idempotency_key="k2"
    )
    assert published.state is BadgeState.PUBLISHED and forum.badges[made.id].enabled
    disabled = editor.set_badge_state(
        made.id, BadgeState.DISABLED, version=published.version, idempotency_key="k3"
    )
    assert disabled.state is BadgeState.DISABLED and not forum.badges[made.id].enabled
    assert json.loads(forum.sent("PUT", f"/admin/badges/{made.id}")[-1].content) == {"enabled": "false"}

    puts = forum.count("PUT")
    with pytest.raises(ApiError, match="no “discontinued” state"):
        editor.set_badge_state(
            made.id, BadgeState.DISCONTINUED, version=disabled.version, idempotency_key="k4"
        )
    assert forum.count("PUT") == puts


def test_the_session_offers_badge_editing_without_edit_conflicts(session: DiscourseSession) -> None:
    capabilities = Capabilities.of(session)
    assert capabilities.badge_editing and not capabilities.edit_conflicts


# --- through the outbox, as the designer sends ----------------------------------------------


def send(outbox: Outbox, forum: FakeForum) -> int:
    with open_session(forum) as session:
        report = outbox.send_pending(
            session, batch_cap=1, retry=RetryPolicy(attempts=3, first_delay=0.0, max_delay=0.0)
        )
    return report.conflicts


def test_the_designer_creates_then_an_edit_made_elsewhere_is_a_conflict_not_overwritten(
    forum: FakeForum, drafts: BadgeDrafts, cache: Cache, outbox: Outbox
) -> None:
    drafts.save(new_draft(drafts, replace(META, category="Community", tier="silver")))
    assert send(outbox, forum) == 0
    [made] = [b for b in forum.badges.values() if b.name == META.title]
    assert made.image_url is not None and made.badge_type_id == 2

    mine = drafts.open_badge(made.id)
    forum.badges[made.id].description = "Changed on the forum"
    drafts.save(replace(mine, meta=replace(mine.meta, title="Golden Star")))

    assert send(outbox, forum) == 1
    assert forum.badges[made.id].name == META.title  # not overwritten
    assert forum.count("PUT") == 0
    [conflict] = outbox.actions([ActionState.CONFLICT])
    assert conflict.result is not None and "Someone changed this badge" in conflict.result["conflict"]
    [cached] = cache.badges()
    assert cached.description == "Changed on the forum"


def test_the_designers_create_whose_answer_was_lost_is_sent_again_without_a_second_badge(
    forum: FakeForum, drafts: BadgeDrafts, outbox: Outbox
) -> None:
    drafts.save(new_draft(drafts, replace(META, category="Community")))
    forum.lose_next("POST", "/admin/badges")

    assert send(outbox, forum) == 0

    assert [b.name for b in forum.badges.values()].count(META.title) == 1
    assert forum.count("POST", "/admin/badges") == 1
    [done] = outbox.actions([ActionState.DONE])
    assert done.result is not None and done.result["badge_id"] == next(
        b.id for b in forum.badges.values() if b.name == META.title
    )


def test_an_edit_whose_answer_was_lost_is_settled_by_reading_not_taken_for_an_edit_elsewhere(
    forum: FakeForum, drafts: BadgeDrafts, outbox: Outbox
) -> None:
    drafts.save(new_draft(drafts, replace(META, category="Community")))
    assert send(outbox, forum) == 0
    [made] = [b for b in forum.badges.values() if b.name == META.title]
    mine = drafts.open_badge(made.id)
    drafts.save(replace(mine, meta=replace(mine.meta, title="Golden Star")))
    forum.lose_next("PUT", "/admin/badges/")

    assert send(outbox, forum) == 0

    assert forum.badges[made.id].name == "Golden Star" and forum.count("PUT") == 1
    assert {a.state for a in outbox.actions()} == {ActionState.DONE}


def test_a_state_change_whose_answer_was_lost_is_settled_by_reading(
    forum: FakeForum, session: DiscourseSession
) -> None:
    assert session.editor is not None
    forum.lose_next("PUT", f"/admin/badges/{SPEAKER}")
    disabled = session.editor.set_badge_state(SPEAKER, BadgeState.DISABLED, version=1, idempotency_key="k")
    assert disabled.state is BadgeState.DISABLED and forum.count("PUT") == 1


def test_a_forum_badge_opened_blank_and_edited_keeps_the_forums_image_unless_redesigned(
    forum: FakeForum, session: DiscourseSession, drafts: BadgeDrafts, cache: Cache, outbox: Outbox
) -> None:
    # Discourse's images are not fetched: the badge opens as a blank design.
    assert session.editor is not None
    forum.badges[SPEAKER].image_url = "/uploads/default/original/1X/theirs.png"
    synced = session.editor.current(SPEAKER)
    assert synced is not None and synced.image is None
    with cache.write() as connection:
        Cache.upsert_badges(connection, [synced])
    mine = drafts.open_badge(SPEAKER)
    drafts.save(replace(mine, meta=replace(mine.meta, description="Spoke twice")))

    assert send(outbox, forum) == 0

    assert forum.badges[SPEAKER].description == "Spoke twice"
    assert forum.badges[SPEAKER].image_url == "/uploads/default/original/1X/theirs.png"
    assert forum.count("POST", "/uploads") == 0
    assert "image_upload_id" not in json.loads(forum.sent("PUT", f"/admin/badges/{SPEAKER}")[-1].content)

    redesigned = drafts.open_badge(SPEAKER)
    drafts.save(replace(redesigned, design=DESIGN))
    assert send(outbox, forum) == 0
    assert forum.count("POST", "/uploads") == 1
    assert forum.badges[SPEAKER].image_url != "/uploads/default/original/1X/theirs.png"


def test_the_designers_badge_by_a_taken_name_is_held_as_a_conflict_after_one_try(
    forum: FakeForum, drafts: BadgeDrafts, outbox: Outbox
) -> None:
    drafts.save(new_draft(drafts, replace(META, title="Conference Speaker", category="Community")))
    forum.log.clear()

    assert send(outbox, forum) == 1

    [conflict] = outbox.actions([ActionState.CONFLICT])
    assert conflict.result is not None and "“Conference Speaker” exists" in conflict.result["conflict"]
    # Discourse's names are unique and it makes the slug from the name: no other slugs are tried
    # (the badge list is read twice: the session's editor reads it once, the create looks once).
    assert forum.count("GET", "/admin/badges") == 2 and forum.count("POST", "/admin/badges") == 0


def test_discourses_validations_are_reported_in_its_words(
    forum: FakeForum, session: DiscourseSession
) -> None:
    assert session.editor is not None
    with pytest.raises(ApiError) as refused:
        session.editor.save_badge(
            None, {**FIELDS, "description": "x" * 501}, None, version=None, idempotency_key="k"
        )
    assert (
        str(refused.value)
        == "Discourse refused the badge: Description is too long (maximum is 500 characters)"
    )
    assert refused.value.status == 422 and len(forum.badges) == 2
