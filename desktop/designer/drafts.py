"""Badges edited here: kept in the cache, sent through the outbox as image bytes.

A *draft* is the design and metadata of one badge as last saved here. Saving
commits the draft and, when it differs from what the server confirmed, one
``badge-save`` action carrying the rendered SVG (the design rides inside it,
so another BadgeDesk can reopen its layers). An unsent save of the same badge
is replaced rather than joined by a second, and saving what the server
already has queues nothing: a second sync changes nothing.

Where the server keeps no drafts, a new badge stays here until published
(:mod:`desktop.designer.publishing`); where it keeps no award messages, the
template is kept here by badge id (:mod:`desktop.cache.kept_messages`).

Thread safety: any thread (writes go through the cache's writer lock); the
application calls it from its writer and reader pools.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, RowMapping, select

from desktop.cache import kept_messages, schema
from desktop.cache.database import Cache
from desktop.cache.rows import badge_from_row, to_epoch
from desktop.designer import publishing
from desktop.designer.checks import DEFAULT_AWARD_MESSAGE, MetaError, check_award_message, meta_problems
from desktop.designer.document import BadgeMeta, Design, DesignError
from desktop.designer.draft_designs import SVG, design_for_badge, design_from_svg, digest, slugify
from desktop.designer.render import render_svg
from desktop.dialects.capabilities import Capabilities
from desktop.domain import Action, ActionKind, ActionState, Badge, BadgeState, utc_now
from desktop.i18n import _
from desktop.outbox import Outbox, OutboxError
from desktop.outbox.store import actions, queries
from desktop.placeholders import PlaceholderError
from desktop.sync import stored_capabilities

#: Where the community's default award message is kept (a preference of the work file).
KEY_DEFAULT_MESSAGE = "award_message_default"


@dataclass(frozen=True, slots=True)
class Draft:
    """One badge as edited here (``id`` None: not saved yet)."""

    id: int | None
    badge_id: int | None
    slug: str
    meta: BadgeMeta
    design: Design
    #: The server version the edit started from (None for a new badge).
    base_version: int | None
    #: The badge's state on the server (a new badge is a draft).
    state: BadgeState = BadgeState.DRAFT
    #: What became of the last save: None (nothing unsent), or the action's state.
    save_state: ActionState | None = None
    #: Why the last save waits for the user, if it does.
    save_problem: str | None = None
    #: Notes from opening the badge (an image that could not be read, ...).
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SaveResult:
    draft: Draft
    #: The queued action, or None when the server already has exactly this.
    action: Action | None


def _state_note(state: ActionState) -> str:
    """Where a badge change waiting to reach the server is."""
    notes = {
        ActionState.PENDING: _("queued"),
        ActionState.SENDING: _("sending"),
        ActionState.CONFLICT: _("changed on the server meanwhile"),
        ActionState.FAILED: _("refused by the server"),
        ActionState.HELD: _("held"),
    }
    return notes.get(state, state.value)


class DraftError(ValueError):
    """The badge cannot be saved as it is; ``problems`` name the fields."""

    def __init__(self, problems: list[MetaError]) -> None:
        super().__init__(" ".join(str(p) for p in problems))
        self.problems = problems


class BadgeDrafts:
    """Open, save and send badges designed here."""

    def __init__(self, cache: Cache, outbox: Outbox) -> None:
        self.cache = cache
        self.outbox = outbox

    # --- the community's default award message -----------------------------------------

    def default_message(self) -> str:
        return self.cache.preferences().get(KEY_DEFAULT_MESSAGE) or DEFAULT_AWARD_MESSAGE

    def set_default_message(self, text: str) -> None:
        """Raises :class:`~desktop.placeholders.PlaceholderError` for a bad placeholder.

        Empty text restores the built-in default.
        """
        text = text.strip()
        if text:
            check_award_message(text)
        with self.cache.write() as connection:
            Cache.set_preferences(connection, {KEY_DEFAULT_MESSAGE: text or None})

    # --- opening ------------------------------------------------------------------------

    def new(self) -> Draft:
        return Draft(None, None, "", BadgeMeta(), Design(), None)

    def duplicate(self, draft: Draft) -> Draft:
        """A new badge with the same design and metadata; the title says it is a copy."""
        meta = draft.meta
        return Draft(
            None,
            None,
            "",
            BadgeMeta(
                _("{title} (copy)").format(title=meta.title) if meta.title else "",
                meta.description,
                meta.criteria,
                meta.category,
                meta.tier,
                meta.award_message,
            ),
            draft.design,
            None,
        )

    def open_badge(self, badge_id: int) -> Draft:
        """The badge as edited here, or as the server has it when it was not."""
        with self.cache.read() as connection:
            row = connection.execute(
                select(schema.badge_drafts).where(schema.badge_drafts.c.badge_id == badge_id)
            ).first()
            badge_row = connection.execute(
                select(schema.badges).where(schema.badges.c.id == badge_id)
            ).first()
            message = kept_messages.kept(connection, [badge_id]).get(badge_id)
        if badge_row is None and row is None:
            raise OutboxError(_("There is no badge {id} in the cache.").format(id=badge_id))
        badge = None if badge_row is None else badge_from_row(badge_row._mapping)
        if badge is not None and message is not None:
            badge = replace(badge, award_message=message)
        if row is not None:
            draft = self._draft(row._mapping, badge)
            if badge is not None and draft.save_state is None and self._newer(badge, draft.base_version):
                # Changed on the server and nothing of ours waits: the server's is newer.
                return self._from_badge(badge, draft.id)
            return draft
        assert badge is not None
        return self._from_badge(badge, None)

    def _newer(self, badge: Badge, base_version: int | None) -> bool:
        """Whether the cached badge is newer than the version this draft began from.

        A server with versions counts them up; one without (Discourse) has
        versions computed from the badge's fields, which only differ or not.
        """
        capabilities = stored_capabilities(self.cache.sync_state())
        if capabilities is None or capabilities.edit_conflicts:
            return (base_version or 0) < badge.version
        return base_version != badge.version

    def open_draft(self, draft_id: int) -> Draft:
        with self.cache.read() as connection:
            row = connection.execute(
                select(schema.badge_drafts).where(schema.badge_drafts.c.id == draft_id)
            ).first()
        if row is None:
            raise OutboxError(_("There is no badge draft {id}.").format(id=draft_id))
        badge = None
        if row.badge_id is not None:
            with self.cache.read() as connection:
                found = connection.execute(
                    select(schema.badges).where(schema.badges.c.id == row.badge_id)
                ).first()
            badge = None if found is None else badge_from_row(found._mapping)
        return self._draft(row._mapping, badge)

    def local_drafts(self) -> list[Draft]:
        """Badges created here and not on the server yet."""
        with self.cache.read() as connection:
            rows = connection.execute(
                select(schema.badge_drafts)
                .where(schema.badge_drafts.c.badge_id.is_(None))
                .order_by(schema.badge_drafts.c.title)
            ).all()
        return [self._draft(row._mapping, None) for row in rows]

    def _from_badge(self, badge: Badge, draft_id: int | None) -> Draft:
        design, notes = design_for_badge(badge)
        meta = BadgeMeta(
            badge.title,
            badge.description,
            badge.criteria,
            badge.category,
            badge.tier,
            "" if badge.award_message == self.default_message() else badge.award_message,
        )
        return Draft(draft_id, badge.id, badge.slug, meta, design, badge.version, badge.state, notes=notes)

    def _draft(self, row: RowMapping, badge: Badge | None) -> Draft:
        try:
            design = Design.loads(row["design"])
            notes: tuple[str, ...] = ()
        except DesignError as error:
            design, notes = (
                Design(),
                (_("The saved design could not be read: {problem}").format(problem=error),),
            )
        save_state, problem = self._last_save(row["id"])
        return Draft(
            row["id"],
            row["badge_id"],
            row["slug"],
            BadgeMeta(
                row["title"],
                row["description"],
                row["criteria"],
                row["category"],
                row["tier"],
                row["award_message"],
            ),
            design,
            row["base_version"],
            badge.state if badge is not None else BadgeState.DRAFT,
            save_state,
            problem,
            notes,
        )

    def _last_save(self, draft_id: int) -> tuple[ActionState | None, str | None]:
        waiting = [s for s in ActionState if s.unsent or s.needs_user]
        with self.cache.read() as connection:
            row = queries.last_draft_save(connection, draft_id, waiting)
        if row is None:
            return None, None
        result = json.loads(row["result"] or "{}")
        return ActionState(row["state"]), result.get("conflict") or row["last_error"]

    # --- saving ---------------------------------------------------------------------------

    def payload(self, draft: Draft, *, award_message: bool = True) -> tuple[dict[str, str], bytes]:
        """The fields and image the server should hold for this draft.

        ``award_message`` False: the server keeps none (the template is kept here).
        """
        meta = draft.meta
        fields = {
            "title": meta.title.strip(),
            "description": meta.description.strip(),
            "criteria": meta.criteria.strip(),
            "category": meta.category.strip(),
            "tier": meta.tier.strip(),
        }
        if award_message:
            fields["award_message"] = self.award_template(draft)
        return fields, render_svg(draft.design).encode("utf-8")

    def award_template(self, draft: Draft) -> str:
        """The award message members get for this badge: its own, or the community's default."""
        return draft.meta.award_message.strip() or self.default_message()

    def _capabilities(self) -> Capabilities | None:
        return stored_capabilities(self.cache.sync_state())

    def keeps_drafts_here(self) -> bool:
        """Whether a new badge's draft stays in the user's work until published (the server has none).

        Before the first sync the server is not known: it is taken to keep
        drafts, as BadgeDesk's own does.
        """
        capabilities = self._capabilities()
        return capabilities is not None and capabilities.local_drafts

    def save(self, draft: Draft) -> SaveResult:
        """Commit the draft and queue what the server lacks; both or neither.

        Where the server keeps no drafts, a badge it does not have yet is
        only committed: nothing is queued until :meth:`publish`.

        Raises :class:`DraftError` naming every field that is wrong; nothing
        is written then.
        """
        return self._save(draft, publish=False)

    def publish(self, draft: Draft) -> SaveResult:
        """Commit a badge the server does not have and queue its creation, published.

        For a server without drafts. One create however often it is published
        before the outbox runs (an unsent one is replaced). A badge the server
        has already is published by a state change (:meth:`change_state`).
        """
        if draft.badge_id is not None:
            raise OutboxError(publishing.on_server(draft.meta.title))
        if draft.id is not None:
            # A refused publish waiting for the user is replaced by this one, not joined by it.
            self._settle_conflicts(draft)
        return self._save(draft, publish=True)

    def _save(self, draft: Draft, *, publish: bool) -> SaveResult:
        problems = meta_problems(draft.meta)
        if problems:
            raise DraftError(problems)
        design = draft.design.validated()
        capabilities = self._capabilities()
        local_drafts = capabilities is not None and capabilities.local_drafts
        local_messages = capabilities is not None and capabilities.local_award_messages
        template = self.award_template(draft)
        fields, image, keep_image, value = self._sent(replace(draft, design=design), not local_messages)
        # A server badge saved here the first time: compared with what the server has, so
        # opening and saving it unchanged sends nothing.
        baseline = (
            self._server_digest(draft.badge_id, draft.base_version, not local_messages)
            if draft.id is None and draft.badge_id is not None
            else None
        )
        now = to_epoch(utc_now())
        table = schema.badge_drafts
        # Read before the write begins (another connection's read would wait for this write).
        actor = self.outbox.actor
        with self.cache.write() as connection:
            slug = draft.slug or self._free_slug(connection, fields["title"])
            values: dict[str, Any] = {
                "slug": slug,
                "title": fields["title"],
                "description": fields["description"],
                "criteria": fields["criteria"],
                "category": fields["category"],
                "tier": fields["tier"],
                "award_message": draft.meta.award_message.strip(),
                "design": design.dumps(),
                "updated_at": now,
            }
            if draft.id is None:
                badge_id, base_version = draft.badge_id, draft.base_version
                inserted = connection.execute(
                    table.insert().values(badge_id=badge_id, base_version=base_version, **values)
                ).inserted_primary_key
                assert inserted is not None
                draft_id = int(inserted[0])
                synced = baseline
                if synced is not None:
                    connection.execute(
                        table.update().where(table.c.id == draft_id).values(synced_digest=synced)
                    )
            else:
                draft_id = draft.id
                # Which badge and version this edit builds on is the cache's to say: a
                # create confirmed since the designer opened set them (and rebase does).
                row = connection.execute(
                    select(table.c.badge_id, table.c.base_version, table.c.synced_digest).where(
                        table.c.id == draft_id
                    )
                ).first()
                if row is None:
                    raise OutboxError(_("This badge draft was discarded meanwhile; save it as a new badge."))
                badge_id, base_version, synced = row.badge_id, row.base_version, row.synced_digest
                if publish and badge_id is not None:
                    raise OutboxError(publishing.on_server(fields["title"]))
                connection.execute(table.update().where(table.c.id == draft_id).values(**values))
            if local_messages and badge_id is not None:
                kept_messages.keep(connection, badge_id, template, now)
            unsent = self._unsent_save(connection, draft_id)
            keep_here = local_drafts and publishing.stays_here(connection, draft_id, badge_id, publish)
            action = None
            if not keep_here and (value != synced or unsent is not None):
                payload: dict[str, Any] = {
                    "draft_id": draft_id,
                    "badge_id": badge_id,
                    "slug": slug,
                    "fields": fields,
                    "image": None if keep_image else base64.b64encode(image).decode("ascii"),
                    "media_type": SVG,
                    "digest": value,
                }
                if badge_id is None:
                    payload.update(
                        publishing.create_extras(publish, local_drafts, unsent, template, local_messages)
                    )
                if unsent is not None:
                    action = self._replace_unsent(connection, unsent, payload, value == synced)
                else:
                    keys = actions.insert(connection, ActionKind.BADGE_SAVE, [payload], None, actor)
                    action = actions.by_keys(connection, keys)[0]
        saved = Draft(
            draft_id,
            badge_id,
            slug,
            draft.meta,
            design,
            base_version,
            draft.state,
            None if action is None else action.state,
        )
        return SaveResult(saved, action)

    def _sent(self, draft: Draft, award_message: bool) -> tuple[dict[str, str], bytes, bool, str]:
        """The fields, the image, whether the server keeps its own image, and the save's digest.

        The server keeps its image for a badge of its own whose design is its image kept as
        it is, or a blank design of a badge whose image the cache never had (Discourse's are
        not fetched: left blank, it must not replace the forum's image or icon).
        """
        fields, image = self.payload(draft, award_message=award_message)
        server_image = None if draft.badge_id is None else self._server_image(draft.badge_id)
        keep_image = draft.badge_id is not None and (
            (draft.design.kept_image and server_image is not None)
            or (draft.design == Design() and server_image is None)
        )
        return fields, image, keep_image, digest(fields, (server_image or b"") if keep_image else image)

    def image(self, draft: Draft) -> tuple[bytes, str]:
        """The image the server would hold after saving this draft, and its media type.

        A server badge's own image kept as its design is the server's bytes as they are.
        """
        if draft.badge_id is not None and draft.design.kept_image:
            with self.cache.read() as connection:
                found = connection.execute(
                    select(schema.badges.c.image, schema.badges.c.image_media_type).where(
                        schema.badges.c.id == draft.badge_id
                    )
                ).first()
            if found is not None and found.image is not None:
                return bytes(found.image), str(found.image_media_type)
        return render_svg(draft.design).encode("utf-8"), SVG

    def _server_image(self, badge_id: int) -> bytes | None:
        """The server's image of this badge as the cache holds it (None: it holds none)."""
        with self.cache.read() as connection:
            found = connection.execute(
                select(schema.badges.c.image).where(schema.badges.c.id == badge_id)
            ).scalar()
        return None if found is None else bytes(found)

    def _server_digest(self, badge_id: int, version: int | None, award_message: bool) -> str | None:
        """The digest of saving the badge as the server has it (None: the cache has another version)."""
        with self.cache.read() as connection:
            row = connection.execute(select(schema.badges).where(schema.badges.c.id == badge_id)).first()
            message = kept_messages.kept(connection, [badge_id]).get(badge_id)
        if row is None:
            return None
        badge = badge_from_row(row._mapping)
        if badge.version != version:
            return None
        if message is not None:
            badge = replace(badge, award_message=message)
        return self._sent(self._from_badge(badge, None), award_message)[3]

    @staticmethod
    def _free_slug(connection: Connection, title: str) -> str:
        base = slugify(title)
        taken = {
            row[0]
            for row in connection.exec_driver_sql(
                "SELECT slug FROM badges WHERE slug = ? OR slug LIKE ? UNION"
                " SELECT slug FROM badge_drafts WHERE slug = ? OR slug LIKE ?",
                (base, f"{base}-%", base, f"{base}-%"),
            )
        }
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        return slug

    @staticmethod
    def _unsent_save(connection: Connection, draft_id: int) -> RowMapping | None:
        """This draft's save that was not sent yet (pending, never attempted), if any."""
        return queries.unsent_draft_save(connection, draft_id)

    @staticmethod
    def _replace_unsent(
        connection: Connection, row: RowMapping, payload: dict[str, Any], back_to_synced: bool
    ) -> Action | None:
        """One unsent save per badge: the newer edit replaces the older one's payload."""
        if back_to_synced:
            # Edited back to what the server has: nothing left to send.
            actions.settle(connection, [row["id"]], [ActionState.PENDING], "superseded")
            return None
        actions.replace_payload(connection, row["id"], payload)
        return actions.by_keys(connection, [row["idempotency_key"]])[0]

    def rebase(self, draft: Draft) -> Draft:
        """Keep this edit over a newer server version: the next save replaces theirs."""
        if draft.badge_id is None:
            return draft
        with self.cache.read() as connection:
            version = connection.execute(
                select(schema.badges.c.version).where(schema.badges.c.id == draft.badge_id)
            ).scalar()
        self._settle_conflicts(draft)
        if draft.id is not None:
            with self.cache.write() as connection:
                connection.execute(
                    schema.badge_drafts.update()
                    .where(schema.badge_drafts.c.id == draft.id)
                    .values(base_version=version)
                )
        return Draft(
            draft.id, draft.badge_id, draft.slug, draft.meta, draft.design, version, draft.state, None, None
        )

    def discard(self, draft: Draft) -> None:
        """Forget this edit (and its unsent or refused saves): the server's version stands."""
        if draft.id is None:
            return
        self._settle_conflicts(draft)
        with self.cache.write() as connection:
            pending = queries.draft_save_ids(connection, draft.id, [ActionState.PENDING])
            actions.settle(connection, pending, [ActionState.PENDING], "discarded")
            connection.execute(schema.badge_drafts.delete().where(schema.badge_drafts.c.id == draft.id))

    def _settle_conflicts(self, draft: Draft) -> int:
        assert draft.id is not None
        with self.cache.read() as connection:
            ids = queries.draft_save_ids(connection, draft.id, [ActionState.CONFLICT, ActionState.FAILED])
        return self.outbox.skip(ids) if ids else 0

    def unsent_changes(self) -> tuple[dict[int, str], dict[int, str]]:
        """What waits to reach the server, as a short note: by badge id, and by draft id."""
        waiting = [s for s in ActionState if s.unsent or s.needs_user]
        by_badge: dict[int, str] = {}
        by_draft: dict[int, str] = {}
        with self.cache.read() as connection:
            found = queries.badge_changes_waiting(connection, waiting)
        for kind, state, badge_id, draft_id, new_state in found:
            what = _("edit") if kind is ActionKind.BADGE_SAVE else f"{new_state}"
            note = _("{change}: {where}").format(change=what, where=_state_note(state))
            if badge_id is not None:
                by_badge[badge_id] = note
            if draft_id is not None:
                by_draft[draft_id] = note
        return by_badge, by_draft

    # --- state -----------------------------------------------------------------------------

    def change_state(self, badge: Badge, state: BadgeState) -> Action:
        """Queue a state change of a badge the server has."""
        if state is badge.state:
            raise OutboxError(_("The badge is {state} already.").format(state=state.value))
        if state is BadgeState.DRAFT:
            if self.keeps_drafts_here():
                raise OutboxError(publishing.no_way_back_to_draft())
            raise OutboxError(_("A badge that left draft cannot go back to draft."))
        return self.outbox.queue(
            ActionKind.BADGE_STATE,
            [
                {
                    "badge_id": badge.id,
                    "state": state.value,
                    "version": badge.version,
                    "from": badge.state.value,
                }
            ],
        )[0]


__all__ = [
    "KEY_DEFAULT_MESSAGE",
    "BadgeDrafts",
    "Draft",
    "DraftError",
    "PlaceholderError",
    "SaveResult",
    "design_for_badge",
    "design_from_svg",
    "digest",
    "slugify",
]
