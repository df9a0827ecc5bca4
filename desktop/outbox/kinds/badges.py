"""Badge saves (a design from the designer) and badge state changes: one at a time.

A new badge is created in the state its save names (a server without drafts
gets it only when it is published); a template the server cannot keep rides
in the save and is kept by the badge's id when the server confirms it.

Where the server keeps versions, an edit of a badge changed meanwhile is a
conflict, kept for the user with what the server has now.
"""

from __future__ import annotations

import base64
from typing import Any

from sqlalchemy import select

from desktop.cache import kept_messages, schema
from desktop.cache.database import Cache
from desktop.cache.rows import to_epoch
from desktop.dialects.base import BadgeEditor
from desktop.domain import Action, ActionState, Badge, BadgeState, ChangeSet, utc_now
from desktop.drift import HoldReason
from desktop.i18n import _
from desktop.net.errors import BadgeConflict
from desktop.outbox.kinds.common import mirror
from desktop.outbox.store import actions as rows
from desktop.outbox.types import Tally

#: A new badge whose slug is taken on the server tries the next ones, up to this many.
SLUG_TRIES = 10


def send_save(cache: Cache, editor: BadgeEditor, action: Action, tally: Tally) -> None:
    p = action.payload
    drafts = schema.badge_drafts
    with cache.read() as connection:
        draft = connection.execute(
            select(drafts.c.badge_id, drafts.c.base_version).where(drafts.c.id == p["draft_id"])
        ).first()
    # A save queued before the badge's creation was confirmed updates what that created.
    badge_id = p.get("badge_id") or (draft.badge_id if draft is not None else None)
    version = draft.base_version if draft is not None else None
    fields = dict(p["fields"])
    if badge_id is None:
        # A server without drafts gets a badge only when it is published (the payload says so).
        fields.update(slug=p["slug"], state=p.get("state", BadgeState.DRAFT.value))
    # None: the save leaves the server's image as it is (a blank design of a badge whose image
    # the cache never had).
    image = None if p.get("image") is None else (base64.b64decode(p["image"]), p["media_type"])
    now = to_epoch(utc_now())
    try:
        if badge_id is not None:
            _unchanged_since(editor, badge_id, version)
        badge = _save(editor, badge_id, fields, image, version, action.idempotency_key)
    except BadgeConflict as conflict:
        _conflict(cache, action, conflict, tally, now)
        return
    with cache.write() as connection:
        if draft is not None:
            connection.execute(
                drafts.update()
                .where(drafts.c.id == p["draft_id"])
                .values(
                    badge_id=badge.id, slug=badge.slug, base_version=badge.version, synced_digest=p["digest"]
                )
            )
        rows.set_badge(connection, action.id, badge.id)
        template = p.get("kept_award_message")
        if template is not None:
            # The server keeps no award message: the draft's is kept by the badge's new id.
            kept_messages.keep(connection, badge.id, template, now)
        rows.store_result(
            connection,
            action.id,
            ActionState.DONE,
            "created" if badge_id is None else "saved",
            None,
            {"badge_id": badge.id, "version": badge.version},
            now,
        )
    mirror(cache, lambda connection: Cache.upsert_badges(connection, [badge]))
    tally.applied += 1
    tally.changed(ChangeSet(outbox=True, badges=frozenset({badge.id})))


def _unchanged_since(editor: BadgeEditor, badge_id: int, version: int | None) -> None:
    """Where the server keeps no versions, refuse an edit of a badge changed (or deleted) meanwhile.

    A server with versions refuses it itself; one without would overwrite the
    other moderator's edit silently. Comparing first leaves a short window
    (an edit between the read and the write) that only the server could close.
    """
    if editor.versions or version is None:
        return
    current = editor.current(badge_id)
    if current is None:
        raise BadgeConflict(_("The badge was deleted on the server since this edit began."))
    if current.version != version:
        raise BadgeConflict(_("Someone changed this badge on the server since this edit began."), current)


def _save(
    editor: BadgeEditor,
    badge_id: int | None,
    fields: dict[str, str],
    image: tuple[bytes, str] | None,
    version: int | None,
    key: str,
) -> Badge:
    if badge_id is not None:
        return editor.save_badge(badge_id, fields, image, version=version, idempotency_key=key)
    # A new badge's slug may have been taken on the server since the last
    # sync: the next free one is tried, each with a key of its own (the server
    # remembers only what it created, so a retry replays that).
    slug = fields["slug"]
    for attempt in range(SLUG_TRIES):
        try:
            return editor.save_badge(
                None,
                {**fields, "slug": slug if attempt == 0 else f"{slug}-{attempt + 1}"},
                image,
                version=None,
                idempotency_key=key if attempt == 0 else f"{key}.{attempt}",
            )
        except BadgeConflict as conflict:
            # A taken name (unique names, slugs made from them) stays taken whatever the slug.
            if conflict.name_taken is not None or attempt == SLUG_TRIES - 1:
                raise
    raise AssertionError("unreachable")


def send_state(cache: Cache, editor: BadgeEditor, action: Action, tally: Tally) -> None:
    p = action.payload
    now = to_epoch(utc_now())
    try:
        _unchanged_since(editor, p["badge_id"], p.get("version"))
        badge = editor.set_badge_state(
            p["badge_id"],
            BadgeState(p["state"]),
            version=p.get("version"),
            idempotency_key=action.idempotency_key,
        )
    except BadgeConflict as conflict:
        _conflict(cache, action, conflict, tally, now)
        return
    with cache.write() as connection:
        # Our later saves of this badge build on the version this made.
        connection.execute(
            schema.badge_drafts.update()
            .where(
                schema.badge_drafts.c.badge_id == badge.id,
                schema.badge_drafts.c.base_version == p.get("version"),
            )
            .values(base_version=badge.version)
        )
        rows.store_result(
            connection, action.id, ActionState.DONE, badge.state.value, None, {"version": badge.version}, now
        )
    mirror(cache, lambda connection: Cache.upsert_badges(connection, [badge]))
    tally.applied += 1
    tally.changed(ChangeSet(outbox=True, badges=frozenset({p["badge_id"]})))


def _conflict(cache: Cache, action: Action, conflict: BadgeConflict, tally: Tally, now: int) -> None:
    """The badge changed on the server meanwhile: kept for the user, with what the server has now."""
    with cache.write() as connection:
        rows.store_result(
            connection,
            action.id,
            ActionState.CONFLICT,
            "conflict",
            HoldReason.BADGE_CHANGED,
            {
                "conflict": str(conflict),
                "server_version": conflict.current.version if conflict.current else None,
            },
            now,
        )
    current = conflict.current
    if current is not None:
        mirror(cache, lambda connection: Cache.upsert_badges(connection, [current]))
    tally.conflicts += 1
    badges = frozenset() if current is None else frozenset({current.id})
    tally.changed(ChangeSet(outbox=True, badges=badges))


def describe_save(payload: dict[str, Any]) -> str:
    return _("saved “{title}”").format(title=payload.get("fields", {}).get("title", ""))


def describe_state(payload: dict[str, Any]) -> str:
    return f"{payload.get('from', '?')} → {payload.get('state')}"
