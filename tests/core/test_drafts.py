"""Badge drafts: saving to the cache and the outbox, opening server badges, and sending (no Qt)."""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop.cache import schema
from desktop.cache.database import Cache
from desktop.designer.checks import DEFAULT_AWARD_MESSAGE
from desktop.designer.document import BadgeMeta, Banner, Design, EmblemKind, Fill, FillKind, Frame, Shape
from desktop.designer.drafts import (
    KEY_DEFAULT_MESSAGE,
    BadgeDrafts,
    Draft,
    DraftError,
    PlaceholderError,
    design_from_svg,
    digest,
)
from desktop.designer.render import render_svg
from desktop.domain import Action, ActionKind, ActionState, Badge, BadgeState
from desktop.net.errors import BadgeConflict
from desktop.outbox import HoldReason, Outbox, OutboxError, SendReport
from tests.core.test_design_document import png
from tests.core.test_render import HOSTILE_SVG
from tests.ports import SelfPorts

DESIGN = Design(
    shape=Shape.SHIELD,
    fill=Fill(FillKind.LINEAR, "#223344", "#8899aa", 60),
    frame=Frame(rings=2, colour="#eeeeee", width=12.0),
    banner=Banner("Gold Star", "#ffffff", "#5a1a1a"),
)
META = BadgeMeta(title="Gold Star", description="For the brightest.", criteria="Shine", category="Fun")


@dataclass(frozen=True)
class SaveCall:
    badge_id: int | None
    fields: dict[str, str]
    image: tuple[bytes, str] | None
    version: int | None
    idempotency_key: str


@dataclass(frozen=True)
class StateCall:
    badge_id: int
    state: BadgeState
    version: int | None
    idempotency_key: str


class FakeBadgeServer(SelfPorts):
    """The badge part of a connector: versions checked like If-Match, answers replayed by key."""

    def __init__(self) -> None:
        self.badges: dict[int, Badge] = {}
        self.calls: list[SaveCall | StateCall] = []
        self.replies: dict[str, Badge] = {}
        self.next_id = 500

    def save_badge(
        self,
        badge_id: int | None,
        fields: Mapping[str, str],
        image: tuple[bytes, str] | None,
        *,
        version: int | None,
        idempotency_key: str,
    ) -> Badge:
        self.calls.append(SaveCall(badge_id, dict(fields), image, version, idempotency_key))
        if idempotency_key in self.replies:
            return self.replies[idempotency_key]
        data, media_type = image if image is not None else (None, None)
        if badge_id is None:
            if any(b.slug == fields["slug"] for b in self.badges.values()):
                raise BadgeConflict(f"The slug {fields['slug']!r} is taken.")
            badge = Badge(
                self.next_id,
                fields["slug"],
                fields["title"],
                fields["description"],
                fields["criteria"],
                fields["tier"],
                fields["category"],
                BadgeState(fields["state"]),
                fields["award_message"],
                1,
                data,
                media_type,
            )
            self.next_id += 1
        else:
            current = self.badges[badge_id]
            self._check(current, version)
            known = ("title", "description", "criteria", "tier", "category", "award_message")
            changes: dict[str, Any] = {k: v for k, v in fields.items() if k in known}
            badge = replace(
                current,
                **changes,
                version=current.version + 1,
                image=data if image is not None else current.image,
                image_media_type=media_type if image is not None else current.image_media_type,
            )
        self.badges[badge.id] = badge
        self.replies[idempotency_key] = badge
        return badge

    def set_badge_state(
        self, badge_id: int, state: BadgeState, *, version: int | None, idempotency_key: str
    ) -> Badge:
        self.calls.append(StateCall(badge_id, state, version, idempotency_key))
        if idempotency_key in self.replies:
            return self.replies[idempotency_key]
        current = self.badges[badge_id]
        self._check(current, version)
        badge = replace(current, state=state, version=current.version + 1)
        self.badges[badge_id] = badge
        self.replies[idempotency_key] = badge
        return badge

    @staticmethod
    def _check(current: Badge, version: int | None) -> None:
        if version is not None and version != current.version:
            raise BadgeConflict(f"The badge is at version {current.version}, not {version}.", current=current)

    def edit_elsewhere(self, badge_id: int, **changes: Any) -> Badge:
        """Another moderator saves the badge: a new version."""
        current = self.badges[badge_id]
        self.badges[badge_id] = replace(current, **changes, version=current.version + 1)
        return self.badges[badge_id]


@pytest.fixture()
def cache(tmp_path: Path) -> Iterator[Cache]:
    cache = Cache(tmp_path / "cache")
    yield cache
    cache.close()


@pytest.fixture()
def outbox(cache: Cache) -> Outbox:
    return Outbox(cache, actor="Tester")


@pytest.fixture()
def drafts(cache: Cache, outbox: Outbox) -> BadgeDrafts:
    return BadgeDrafts(cache, outbox)


@pytest.fixture()
def server() -> FakeBadgeServer:
    return FakeBadgeServer()


def new_draft(drafts: BadgeDrafts, meta: BadgeMeta = META, design: Design = DESIGN) -> Draft:
    return replace(drafts.new(), meta=meta, design=design)


def draft_rows(cache: Cache) -> list[Any]:
    with cache.read() as connection:
        return list(connection.execute(select(schema.badge_drafts).order_by(schema.badge_drafts.c.id)))


def saves(outbox: Outbox, *states: ActionState) -> list[Action]:
    found = outbox.actions(states or None)
    return [a for a in found if a.kind is ActionKind.BADGE_SAVE]


def send(outbox: Outbox, server: FakeBadgeServer) -> SendReport:
    return outbox.send_pending(server, batch_cap=100)


def cache_badge(cache: Cache, badge: Badge) -> None:
    with cache.write() as connection:
        Cache.upsert_badges(connection, [badge])


def server_badge(badge_id: int = 7, **changes: Any) -> Badge:
    badge = Badge(
        badge_id,
        "old-timer",
        "Old Timer",
        "Ten years here.",
        "",
        "",
        "",
        BadgeState.PUBLISHED,
        DEFAULT_AWARD_MESSAGE,
        4,
        png(),
        "image/png",
    )
    return replace(badge, **changes)


# --- saving -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("meta", "fields"),
    [
        (BadgeMeta(description="Something"), ["title"]),
        (BadgeMeta(title="  "), ["title", "description"]),
        (BadgeMeta(title="Gold", description="Best", award_message="Hi {membr}"), ["award_message"]),
    ],
)
def test_a_draft_with_problems_is_refused_and_nothing_is_written(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, meta: BadgeMeta, fields: list[str]
) -> None:
    with pytest.raises(DraftError) as raised:
        drafts.save(new_draft(drafts, meta))

    assert [p.field for p in raised.value.problems] == fields
    assert str(raised.value)
    assert draft_rows(cache) == []
    assert outbox.actions() == []


def test_an_invalid_design_is_refused_too(drafts: BadgeDrafts, cache: Cache, outbox: Outbox) -> None:
    with pytest.raises(ValueError, match="frame rings"):
        drafts.save(new_draft(drafts, design=replace(DESIGN, frame=Frame(rings=4))))
    assert draft_rows(cache) == []
    assert outbox.actions() == []


def test_a_save_writes_the_draft_and_queues_one_badge_save(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox
) -> None:
    result = drafts.save(new_draft(drafts))

    [row] = draft_rows(cache)
    assert (row.title, row.description, row.slug, row.badge_id, row.base_version, row.synced_digest) == (
        "Gold Star",
        "For the brightest.",
        "gold-star",
        None,
        None,
        None,
    )
    assert Design.loads(row.design) == DESIGN
    [action] = outbox.actions()
    assert action == result.action
    assert (action.kind, action.state, action.actor) == (ActionKind.BADGE_SAVE, ActionState.PENDING, "Tester")
    payload = action.payload
    assert payload["fields"] == {
        "title": "Gold Star",
        "description": "For the brightest.",
        "criteria": "Shine",
        "category": "Fun",
        "tier": "",
        "award_message": DEFAULT_AWARD_MESSAGE,
    }
    assert (payload["draft_id"], payload["badge_id"], payload["slug"]) == (row.id, None, "gold-star")
    assert payload["media_type"] == "image/svg+xml"
    image = base64.b64decode(payload["image"])
    assert image == render_svg(DESIGN).encode()
    assert design_from_svg(image) == DESIGN
    assert payload["digest"] == digest(payload["fields"], image)
    saved = result.draft
    assert (saved.id, saved.slug, saved.save_state, saved.design) == (
        row.id,
        "gold-star",
        ActionState.PENDING,
        DESIGN,
    )


def test_saving_again_while_unsent_replaces_the_one_action(drafts: BadgeDrafts, outbox: Outbox) -> None:
    first = drafts.save(new_draft(drafts))
    assert first.action is not None

    again = drafts.save(first.draft)  # unchanged
    edited = replace(
        first.draft, meta=replace(META, title="Golden Star"), design=replace(DESIGN, shape=Shape.STAR)
    )
    last = drafts.save(edited)

    [action] = outbox.actions()
    assert again.action is not None and last.action is not None
    assert action.id == first.action.id == again.action.id == last.action.id
    assert action.idempotency_key == first.action.idempotency_key
    assert action.payload["fields"]["title"] == "Golden Star"
    assert action.payload["slug"] == "gold-star"  # the slug stays what it was
    assert design_from_svg(base64.b64decode(action.payload["image"])) == edited.design
    assert len(draft_rows(cache=drafts.cache)) == 1


def confirm_as_the_outbox_would(cache: Cache, action: Action, badge_id: int = 900) -> None:
    """What a successful send records, without a server."""
    with cache.write() as connection:
        connection.execute(
            schema.badge_drafts.update()
            .where(schema.badge_drafts.c.id == action.payload["draft_id"])
            .values(badge_id=badge_id, base_version=1, synced_digest=action.payload["digest"])
        )
        connection.execute(
            schema.actions.update()
            .where(schema.actions.c.id == action.id)
            .values(state=ActionState.DONE.value, outcome="created", badge_id=badge_id)
        )


def test_what_the_server_has_already_is_not_queued_again(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox
) -> None:
    first = drafts.save(new_draft(drafts))
    assert first.action is not None
    confirm_as_the_outbox_would(cache, first.action)
    confirmed = drafts.open_draft(first.draft.id or 0)

    assert drafts.save(confirmed).action is None  # unchanged

    edit = drafts.save(replace(confirmed, design=replace(DESIGN, shape=Shape.HEXAGON)))
    assert edit.action is not None
    assert outbox.pending_count() == 1
    assert edit.action.payload["badge_id"] == 900

    back = drafts.save(replace(confirmed, design=DESIGN))  # edited back to what the server has

    assert back.action is None
    assert back.draft.save_state is None
    assert outbox.pending_count() == 0
    [superseded] = outbox.actions([ActionState.DISCARDED])
    assert (superseded.id, superseded.outcome) == (edit.action.id, "superseded")


def test_slugs_are_unique_among_drafts_and_server_badges(drafts: BadgeDrafts, cache: Cache) -> None:
    cache_badge(cache, server_badge(slug="silver"))

    slugs = [
        drafts.save(new_draft(drafts, replace(META, title=title))).draft.slug
        for title in ("Gold Star", "Gold Star", "gold  STAR!", "Silver", "Gold Starling", "!!!")
    ]

    assert slugs == ["gold-star", "gold-star-2", "gold-star-3", "silver-2", "gold-starling", "badge"]


def test_the_community_default_message_is_used_when_the_badge_has_none(
    drafts: BadgeDrafts, cache: Cache
) -> None:
    assert drafts.default_message() == DEFAULT_AWARD_MESSAGE
    drafts.set_default_message("  Well done {member}, {badge} is yours.  ")
    assert cache.preferences()[KEY_DEFAULT_MESSAGE] == "Well done {member}, {badge} is yours."

    own = drafts.save(new_draft(drafts, replace(META, title="Own", award_message="Bravo {username}!")))
    default = drafts.save(new_draft(drafts))

    assert own.action is not None and default.action is not None
    assert own.action.payload["fields"]["award_message"] == "Bravo {username}!"
    assert default.action.payload["fields"]["award_message"] == "Well done {member}, {badge} is yours."
    assert draft_rows(cache)[1].award_message == ""  # the draft keeps "use the default"


def test_a_bad_default_message_is_refused_and_empty_restores_the_built_in(drafts: BadgeDrafts) -> None:
    drafts.set_default_message("Hello {member}")

    with pytest.raises(PlaceholderError, match=r"\{membr\}"):
        drafts.set_default_message("Hello {membr}")
    assert drafts.default_message() == "Hello {member}"

    drafts.set_default_message("   ")
    assert drafts.default_message() == DEFAULT_AWARD_MESSAGE


def test_duplicate_is_a_new_badge_marked_as_a_copy(drafts: BadgeDrafts) -> None:
    saved = drafts.save(new_draft(drafts)).draft
    copy = drafts.duplicate(saved)
    assert (copy.id, copy.badge_id, copy.slug, copy.base_version) == (None, None, "", None)
    assert copy.meta.title == "Gold Star (copy)" and copy.design == DESIGN
    assert drafts.save(copy).draft.slug == "gold-star-copy"


def test_local_drafts_lists_badges_not_on_the_server(drafts: BadgeDrafts, cache: Cache) -> None:
    b = drafts.save(new_draft(drafts, replace(META, title="B"))).draft
    a = drafts.save(new_draft(drafts, replace(META, title="A"))).draft
    assert [d.id for d in drafts.local_drafts()] == [a.id, b.id]
    assert drafts.local_drafts()[0].save_state is ActionState.PENDING


# --- opening server badges ------------------------------------------------------------------------


def test_a_badge_made_by_badgedesk_opens_with_its_layers(drafts: BadgeDrafts, cache: Cache) -> None:
    svg = render_svg(DESIGN).encode()
    cache_badge(
        cache, server_badge(image=svg, image_media_type="image/svg+xml", award_message="Yay {member}")
    )

    draft = drafts.open_badge(7)

    assert draft.design == DESIGN
    assert (draft.id, draft.badge_id, draft.slug, draft.base_version, draft.state) == (
        None,
        7,
        "old-timer",
        4,
        BadgeState.PUBLISHED,
    )
    assert draft.meta == BadgeMeta("Old Timer", "Ten years here.", award_message="Yay {member}")
    assert draft.notes == ()


def test_a_badge_with_the_default_message_opens_with_an_empty_one(drafts: BadgeDrafts, cache: Cache) -> None:
    cache_badge(cache, server_badge())
    assert drafts.open_badge(7).meta.award_message == ""


def test_a_png_badge_opens_as_an_image_emblem(drafts: BadgeDrafts, cache: Cache) -> None:
    cache_badge(cache, server_badge())

    draft = drafts.open_badge(7)

    assert draft.design.emblem.kind is EmblemKind.IMAGE
    image = draft.design.emblem.image
    assert image is not None
    assert (image.media_type, image.data) == ("image/png", png())
    # Kept as the whole badge until a layer changes (tests/core/test_kept_image.py).
    assert draft.design.kept_image
    assert draft.notes == ("The badge's own image is kept as it is until you change its design.",)


def test_a_hostile_svg_badge_opens_cleaned_with_a_note(drafts: BadgeDrafts, cache: Cache) -> None:
    cache_badge(cache, server_badge(image=HOSTILE_SVG, image_media_type="image/svg+xml"))

    draft = drafts.open_badge(7)

    image = draft.design.emblem.image
    assert draft.design.emblem.kind is EmblemKind.IMAGE and image is not None
    assert image.media_type == "image/svg+xml"
    assert b"script" not in image.data and b"http://evil" not in image.data and b"onclick" not in image.data
    [_kept, note] = draft.notes
    assert "cleaned" in note and f"{len(image.removed)} unsafe parts" in note


def test_an_unreadable_image_opens_a_blank_design_with_a_note(drafts: BadgeDrafts, cache: Cache) -> None:
    cache_badge(cache, server_badge(image=b"GIF89a....", image_media_type="image/gif"))
    draft = drafts.open_badge(7)
    assert draft.design == Design()
    [note] = draft.notes
    assert "could not be used" in note and "GIF" in note


def test_opening_an_unknown_badge_says_so(drafts: BadgeDrafts) -> None:
    with pytest.raises(OutboxError, match="no badge 42"):
        drafts.open_badge(42)
    with pytest.raises(OutboxError, match="no badge draft 42"):
        drafts.open_draft(42)


def test_change_state_refuses_the_same_state_and_going_back_to_draft(
    drafts: BadgeDrafts, outbox: Outbox
) -> None:
    badge = server_badge()
    with pytest.raises(OutboxError, match="published already"):
        drafts.change_state(badge, BadgeState.PUBLISHED)
    with pytest.raises(OutboxError, match="back to draft"):
        drafts.change_state(badge, BadgeState.DRAFT)
    assert outbox.actions() == []

    action = drafts.change_state(badge, BadgeState.DISABLED)

    assert action.kind is ActionKind.BADGE_STATE
    assert action.payload == {"badge_id": 7, "state": "disabled", "version": 4, "from": "published"}


# --- sending ---------------------------------------------------------------------------------------


def test_a_new_badge_is_created_and_a_second_sync_changes_nothing(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, server: FakeBadgeServer
) -> None:
    saved = drafts.save(new_draft(drafts))
    assert saved.action is not None

    report = send(outbox, server)

    [call] = server.calls
    assert isinstance(call, SaveCall)
    assert call.badge_id is None and call.version is None
    assert call.idempotency_key == saved.action.idempotency_key
    assert call.fields == {**saved.action.payload["fields"], "slug": "gold-star", "state": "draft"}
    assert call.image == (render_svg(DESIGN).encode(), "image/svg+xml")
    assert (report.applied, report.conflicts, report.failed) == (1, 0, 0)
    [badge] = cache.badges()
    assert badge == server.badges[500]
    assert (badge.slug, badge.state, badge.version) == ("gold-star", BadgeState.DRAFT, 1)
    [row] = draft_rows(cache)
    assert (row.badge_id, row.base_version, row.synced_digest) == (500, 1, saved.action.payload["digest"])
    [done] = outbox.actions()
    assert (done.state, done.outcome, done.result) == (
        ActionState.DONE,
        "created",
        {"badge_id": 500, "version": 1},
    )

    reopened = drafts.open_badge(500)
    assert (reopened.id, reopened.base_version, reopened.design) == (row.id, 1, DESIGN)
    assert drafts.save(reopened).action is None
    assert drafts.save(saved.draft).action is None  # the designer's own copy, from before the send
    second = send(outbox, server)

    assert len(server.calls) == 1
    assert (second.queued, second.applied) == (0, 0)
    assert outbox.pending_count() == 0


def test_an_edit_is_sent_with_the_version_it_started_from(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, server: FakeBadgeServer
) -> None:
    saved = drafts.save(new_draft(drafts)).draft
    send(outbox, server)

    # The designer keeps editing its own copy, made before the create was confirmed.
    edited = replace(
        saved, meta=replace(META, title="Gold Star II"), design=replace(DESIGN, shape=Shape.STAR)
    )
    result = drafts.save(edited)
    assert result.action is not None
    assert (result.draft.badge_id, result.draft.base_version) == (500, 1)
    send(outbox, server)

    update = server.calls[-1]
    assert isinstance(update, SaveCall)
    assert (update.badge_id, update.version) == (500, 1)
    assert "state" not in update.fields and "slug" not in update.fields  # an update keeps them
    assert update.fields["title"] == "Gold Star II"
    [badge] = cache.badges()
    assert (badge.title, badge.version) == ("Gold Star II", 2)
    assert design_from_svg(badge.image or b"") == edited.design
    assert [r.base_version for r in draft_rows(cache)] == [2]
    assert outbox.actions()[-1].outcome == "saved"


def test_a_save_queued_before_the_create_was_confirmed_updates_the_created_badge(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, server: FakeBadgeServer
) -> None:
    first = drafts.save(new_draft(drafts))
    assert first.action is not None
    # The create went out and its answer was lost: it is in flight, so the next save is a new action.
    with cache.write() as connection:
        connection.execute(
            schema.actions.update()
            .where(schema.actions.c.id == first.action.id)
            .values(state=ActionState.SENDING.value, attempts=1)
        )
    second = drafts.save(replace(first.draft, meta=replace(META, title="Gold Star II")))
    assert second.action is not None and second.action.id != first.action.id

    send(outbox, server)

    assert [(c.badge_id, c.version) for c in server.calls if isinstance(c, SaveCall)] == [
        (None, None),
        (500, 1),
    ]
    assert len(server.badges) == 1
    assert server.badges[500].title == "Gold Star II"
    assert [a.state for a in outbox.actions()] == [ActionState.DONE, ActionState.DONE]


def test_a_conflict_waits_for_the_user_then_rebase_sends_over_the_newer_version(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, server: FakeBadgeServer
) -> None:
    drafts.save(new_draft(drafts))
    send(outbox, server)
    server.edit_elsewhere(500, title="Their Star")
    mine = replace(drafts.open_badge(500), meta=replace(META, title="My Star"))
    queued = drafts.save(mine)
    assert queued.action is not None

    report = send(outbox, server)

    assert report.conflicts == 1
    [conflict] = outbox.actions([ActionState.CONFLICT])
    assert conflict.id == queued.action.id
    assert conflict.hold_reason == HoldReason.BADGE_CHANGED.value
    assert conflict.result is not None and conflict.result["server_version"] == 2
    assert server.badges[500].title == "Their Star"  # nothing of ours was applied
    [badge] = cache.badges()
    assert (badge.title, badge.version) == ("Their Star", 2)  # the cache learnt the server's version
    [row] = draft_rows(cache)
    assert (row.title, row.base_version) == ("My Star", 1)  # the edit is kept
    waiting = drafts.open_badge(500)
    assert waiting.meta.title == "My Star"
    assert waiting.save_state is ActionState.CONFLICT
    assert waiting.save_problem and "version 2" in waiting.save_problem

    rebased = drafts.rebase(waiting)
    assert (rebased.base_version, rebased.save_state, rebased.save_problem) == (2, None, None)
    assert outbox.actions([ActionState.CONFLICT]) == []  # settled
    assert drafts.save(rebased).action is not None
    send(outbox, server)

    last = server.calls[-1]
    assert isinstance(last, SaveCall)
    assert (last.badge_id, last.version, last.fields["title"]) == (500, 2, "My Star")
    assert (server.badges[500].title, server.badges[500].version) == ("My Star", 3)
    assert [r.base_version for r in draft_rows(cache)] == [3]
    assert drafts.open_badge(500).save_state is None


def test_a_badge_changed_on_the_server_with_nothing_waiting_opens_as_the_server_has_it(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, server: FakeBadgeServer
) -> None:
    drafts.save(new_draft(drafts))
    send(outbox, server)
    cache_badge(cache, server.edit_elsewhere(500, title="Their Star"))

    opened = drafts.open_badge(500)

    assert (opened.meta.title, opened.base_version) == ("Their Star", 2)
    assert opened.id == draft_rows(cache)[0].id
    assert opened.design == DESIGN  # the layers ride in the server's image


def test_discard_forgets_the_draft_and_its_unsent_save(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, server: FakeBadgeServer
) -> None:
    saved = drafts.save(new_draft(drafts)).draft

    drafts.discard(saved)

    assert draft_rows(cache) == []
    [action] = outbox.actions()
    assert (action.state, action.outcome) == (ActionState.DISCARDED, "discarded")
    send(outbox, server)
    assert server.calls == []
    with pytest.raises(OutboxError):
        drafts.open_draft(saved.id or 0)


def test_discard_after_a_conflict_keeps_the_server_version(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, server: FakeBadgeServer
) -> None:
    drafts.save(new_draft(drafts))
    send(outbox, server)
    server.edit_elsewhere(500, title="Their Star")
    drafts.save(replace(drafts.open_badge(500), meta=replace(META, title="My Star")))
    send(outbox, server)

    drafts.discard(drafts.open_badge(500))

    assert draft_rows(cache) == []
    assert outbox.actions([ActionState.CONFLICT]) == []
    assert drafts.open_badge(500).meta.title == "Their Star"
    assert outbox.pending_count() == 0


def test_a_state_change_is_sent_and_later_saves_build_on_it(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, server: FakeBadgeServer
) -> None:
    drafts.save(new_draft(drafts))
    send(outbox, server)
    [badge] = cache.badges()

    action = drafts.change_state(badge, BadgeState.PUBLISHED)
    send(outbox, server)

    call = server.calls[-1]
    assert isinstance(call, StateCall)
    assert (call.badge_id, call.state, call.version, call.idempotency_key) == (
        500,
        BadgeState.PUBLISHED,
        1,
        action.idempotency_key,
    )
    [badge] = cache.badges()
    assert (badge.state, badge.version) == (BadgeState.PUBLISHED, 2)
    assert [r.base_version for r in draft_rows(cache)] == [2]
    assert outbox.actions()[-1].state is ActionState.DONE

    reopened = drafts.open_badge(500)
    assert (reopened.state, reopened.base_version) == (BadgeState.PUBLISHED, 2)
    edited = replace(reopened, design=replace(DESIGN, shape=Shape.RIBBON))
    drafts.save(edited)
    send(outbox, server)
    last = server.calls[-1]
    assert isinstance(last, SaveCall) and last.version == 2
    assert server.badges[500].state is BadgeState.PUBLISHED


def test_a_state_change_over_a_newer_version_is_a_conflict(
    drafts: BadgeDrafts, cache: Cache, outbox: Outbox, server: FakeBadgeServer
) -> None:
    server.badges[7] = server_badge()
    cache_badge(cache, server.badges[7])
    server.edit_elsewhere(7, title="Renamed")

    drafts.change_state(server_badge(), BadgeState.DISABLED)
    report = send(outbox, server)

    assert report.conflicts == 1
    [action] = outbox.actions()
    assert (action.state, action.hold_reason) == (ActionState.CONFLICT, HoldReason.BADGE_CHANGED.value)
    assert server.badges[7].state is BadgeState.PUBLISHED
    [badge] = cache.badges()
    assert (badge.title, badge.version) == ("Renamed", 5)
