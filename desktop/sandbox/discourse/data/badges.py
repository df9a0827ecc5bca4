"""The community's badges as Discourse badges: listing, creating, updating, deleting, by Discourse's rules.

A store badge appears on the Discourse face unless it is a draft (Discourse
has none). Its state maps to ``enabled`` (published; disabled and
discontinued are ``enabled: false``), its tier to ``badge_type_id`` (Gold 1,
Silver 2, Bronze 3), its category to a grouping, its criteria to
``long_description``. Writes go to the store (so the v1 face sees them, with
new versions and feed positions) and to ``dc_badges`` for Discourse's own
fields.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from typing import Any

from desktop.sandbox.discourse.data.base import DiscourseBase
from desktop.sandbox.discourse.data.schema import (
    BADGE_TYPES,
    OTHER_GROUPING_ID,
    PROTECTED_SYSTEM_FIELDS,
    TIER_TYPE,
    TYPE_TIER,
    discourse_badge_id,
    grouping_name_for,
    slug_for,
    store_badge_id,
)
from desktop.sandbox.discourse.errors import NotFound, RecordInvalid

_BADGE_SELECT = (
    "SELECT b.id, b.title, b.description, b.criteria, b.tier, b.category, b.state, b.multiple_grant,"
    " COALESCE(d.icon, 'fa-certificate'), d.image_upload_id, u.sha1, u.extension,"
    " COALESCE(d.listable, 1), COALESCE(d.allow_title, 0), COALESCE(d.target_posts, 0),"
    " COALESCE(d.show_posts, 0), COALESCE(d.auto_revoke, 1), COALESCE(d.show_in_post_header, 0),"
    " d.query, d.trigger, COALESCE(d.system, 0), g.id, g.position"
    " FROM badges b LEFT JOIN dc_badges d ON d.badge_id = b.id"
    " LEFT JOIN dc_uploads u ON u.id = d.image_upload_id"
    " LEFT JOIN dc_badge_groupings g ON lower(g.name) = lower(replace(b.category, '-', ' '))"
    " WHERE b.state != 'draft'"
)


@dataclass(frozen=True, slots=True)
class BadgeRow:
    """A badge as Discourse has it; ``id`` is the Discourse id. Immutable; any thread."""

    id: int
    name: str
    description: str
    long_description: str
    badge_type_id: int
    badge_grouping_id: int
    grouping_position: int
    enabled: bool
    multiple_grant: bool
    icon: str
    image_upload_id: int | None
    image_url: str | None
    listable: bool
    allow_title: bool
    target_posts: bool
    show_posts: bool
    auto_revoke: bool
    show_in_post_header: bool
    query: str | None
    trigger: int | None
    system: bool
    grant_count: int = 0

    @property
    def slug(self) -> str:
        return slug_for(self.name)

    @property
    def manually_grantable(self) -> bool:
        return not self.query and not self.system

    @property
    def store_id(self) -> int:
        return store_badge_id(self.id)


@dataclass(frozen=True, slots=True)
class BadgeGroupingRow:
    id: int
    name: str
    description: str | None
    position: int
    system: bool


def upload_url(sha1: str, extension: str) -> str:
    return f"/uploads/default/original/1X/{sha1}.{extension}"


def badge_row(row: tuple[Any, ...]) -> BadgeRow:
    (
        store_id,
        title,
        description,
        criteria,
        tier,
        _category,
        state,
        multiple,
        icon,
        upload_id,
        sha1,
        extension,
        listable,
        allow_title,
        target_posts,
        show_posts,
        auto_revoke,
        in_header,
        query,
        trigger,
        system,
        grouping_id,
        grouping_position,
    ) = row
    return BadgeRow(
        id=discourse_badge_id(store_id),
        name=title,
        description=description,
        long_description=criteria,
        badge_type_id=TIER_TYPE.get(tier, 3),
        badge_grouping_id=grouping_id if grouping_id is not None else OTHER_GROUPING_ID,
        grouping_position=grouping_position if grouping_position is not None else 14,
        enabled=state == "published",
        multiple_grant=bool(multiple),
        icon=icon,
        image_upload_id=upload_id,
        image_url=upload_url(sha1, extension) if upload_id is not None and sha1 else None,
        listable=bool(listable),
        allow_title=bool(allow_title),
        target_posts=bool(target_posts),
        show_posts=bool(show_posts),
        auto_revoke=bool(auto_revoke),
        show_in_post_header=bool(in_header),
        query=query,
        trigger=trigger,
        system=bool(system),
    )


@dataclass(frozen=True, slots=True)
class BadgeChanges:
    """Fields of a create or update, already cast as ActiveRecord casts them; ``None`` = not given."""

    name: str | None = None
    description: str | None = None
    long_description: str | None = None
    badge_type_id: int | None = None
    badge_grouping_id: int | None = None
    enabled: bool | None = None
    multiple_grant: bool | None = None
    allow_title: bool | None = None
    listable: bool | None = None
    target_posts: bool | None = None
    show_posts: bool | None = None
    auto_revoke: bool | None = None
    show_in_post_header: bool | None = None
    icon: str | None = None
    image_upload_id: int | None = None
    #: Fields given with a value that casts to nil (a form's ""): validations decide.
    blanked: frozenset[str] = frozenset()


class BadgeData(DiscourseBase):
    """Badges through the Discourse face. Thread safety: any thread (see ``StoreDatabase``)."""

    def badge_types(self) -> list[tuple[int, str, int]]:
        return list(BADGE_TYPES)

    def badge_groupings(self) -> list[BadgeGroupingRow]:
        rows = (
            self._conn()
            .execute(
                "SELECT id, name, description, position, system FROM dc_badge_groupings ORDER BY position, id"
            )
            .fetchall()
        )
        return [BadgeGroupingRow(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    def all_badges(self) -> list[BadgeRow]:
        """Every badge with its grant count, in ``Admin::BadgesController#index``'s order."""
        return list(self._cached(("badges",), self._all_badges))

    def _all_badges(self) -> list[BadgeRow]:
        conn = self._conn()
        counts = dict(
            conn.execute(
                "SELECT a.badge_id, COUNT(*) FROM awards a JOIN members m ON m.id = a.member_id"
                " WHERE a.revoked_at IS NULL AND m.status != 'deleted' GROUP BY a.badge_id"
            ).fetchall()
        )
        badges = [badge_row(r) for r in conn.execute(_BADGE_SELECT).fetchall()]
        badges = [replace(b, grant_count=counts.get(b.store_id, 0)) for b in badges]
        badges.sort(key=lambda b: (b.grouping_position, b.badge_type_id, b.name))
        return badges

    def badge(self, badge_id: int, *, enabled_only: bool = False) -> BadgeRow | None:
        """The badge with this Discourse id; with ``enabled_only``, a disabled one is not found."""
        return self._badge(self._conn(), badge_id, enabled_only=enabled_only)

    def badge_by_name(self, name: str, *, enabled_only: bool = False) -> BadgeRow | None:
        row = self._conn().execute(f"{_BADGE_SELECT} AND b.title = ?", (name,)).fetchone()
        if row is None:
            return None
        found = self._with_count(self._conn(), badge_row(row))
        return None if enabled_only and not found.enabled else found

    def _badge(
        self, conn: sqlite3.Connection, badge_id: int, *, enabled_only: bool = False
    ) -> BadgeRow | None:
        row = conn.execute(f"{_BADGE_SELECT} AND b.id = ?", (store_badge_id(badge_id),)).fetchone()
        if row is None:
            return None
        found = self._with_count(conn, badge_row(row))
        return None if enabled_only and not found.enabled else found

    @staticmethod
    def _with_count(conn: sqlite3.Connection, badge: BadgeRow) -> BadgeRow:
        count = conn.execute(
            "SELECT COUNT(*) FROM awards a JOIN members m ON m.id = a.member_id"
            " WHERE a.badge_id = ? AND a.revoked_at IS NULL AND m.status != 'deleted'",
            (badge.store_id,),
        ).fetchone()[0]
        return replace(badge, grant_count=int(count))

    # --- writes ----------------------------------------------------------------

    def create_badge(self, changes: BadgeChanges) -> BadgeRow:
        """A custom badge; ``name`` and ``badge_type_id`` are validated as Discourse validates them."""
        with self._write() as conn:
            defaults = BadgeChanges(
                enabled=True,
                multiple_grant=False,
                allow_title=False,
                listable=True,
                auto_revoke=True,
                target_posts=False,
                show_posts=False,
                show_in_post_header=False,
                badge_grouping_id=OTHER_GROUPING_ID,
                icon="fa-certificate",
                description="",
                long_description="",
            )
            merged = _merge(defaults, changes)
            self._validate(conn, merged, current_id=None)
            assert merged.name is not None and merged.badge_type_id is not None
            category = self._category(conn, merged.badge_grouping_id or OTHER_GROUPING_ID)
            now = self._now()
            cur = conn.execute(
                "INSERT INTO badges (slug, title, description, criteria, tier, category, state,"
                " award_message, version, image, image_media_type, updated_at, seq, multiple_grant)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, '', 1, NULL, NULL, ?, ?, ?)",
                (
                    self._free_slug(conn, slug_for(merged.name) or "badge"),
                    merged.name,
                    merged.description or "",
                    merged.long_description or "",
                    TYPE_TIER[merged.badge_type_id],
                    category,
                    "published" if merged.enabled else "disabled",
                    now,
                    self._next_seq(conn),
                    int(bool(merged.multiple_grant)),
                ),
            )
            assert cur.lastrowid is not None
            self._bump(conn, "badges", 1)
            conn.execute("INSERT INTO dc_badges (badge_id) VALUES (?)", (cur.lastrowid,))
            self._write_discourse_fields(conn, cur.lastrowid, merged)
            created = self._badge(conn, discourse_badge_id(cur.lastrowid))
            assert created is not None
            return created

    def update_badge(self, badge_id: int, changes: BadgeChanges) -> BadgeRow:
        """Apply the given fields; on a system badge the protected ones are silently left alone."""
        with self._write() as conn:
            current = self._badge(conn, badge_id)
            if current is None:
                raise NotFound()
            if current.system:
                changes = replace(
                    changes,
                    **{name: None for name in PROTECTED_SYSTEM_FIELDS if hasattr(changes, name)},
                    blanked=changes.blanked - set(PROTECTED_SYSTEM_FIELDS),
                )
            merged = _merge(_as_changes(current), changes)
            self._validate(conn, merged, current_id=current.store_id)
            assert merged.name is not None and merged.badge_type_id is not None
            store_changes: dict[str, Any] = {
                "title": merged.name,
                "description": merged.description or "",
                "criteria": merged.long_description or "",
                "tier": TYPE_TIER[merged.badge_type_id],
                "multiple_grant": int(bool(merged.multiple_grant)),
            }
            if merged.badge_grouping_id != current.badge_grouping_id:
                store_changes["category"] = self._category(
                    conn, merged.badge_grouping_id or OTHER_GROUPING_ID
                )
            state = conn.execute("SELECT state FROM badges WHERE id = ?", (current.store_id,)).fetchone()[0]
            if merged.enabled and state != "published":
                store_changes["state"] = "published"
            elif merged.enabled is False and state == "published":
                store_changes["state"] = "disabled"
            if changes.image_upload_id is not None:
                image = conn.execute(
                    "SELECT data, content_type FROM dc_uploads WHERE id = ?", (changes.image_upload_id,)
                ).fetchone()
                if image is not None:
                    store_changes["image"], store_changes["image_media_type"] = image
            self._store_update(conn, current.store_id, store_changes, system=current.system)
            self._write_discourse_fields(conn, current.store_id, merged)
            updated = self._badge(conn, badge_id)
            assert updated is not None
            return updated

    def delete_badge(self, badge_id: int, *, deleted_by: str) -> None:
        """Delete the badge and every grant of it (``has_many :user_badges, dependent: :destroy``).

        The grants are revoked rather than erased, each at a new feed
        position, so a v1 client syncing later learns they are gone.
        """
        with self._write() as conn:
            current = self._badge(conn, badge_id)
            if current is None:
                raise NotFound()
            held = [
                int(r[0])
                for r in conn.execute(
                    "SELECT id FROM awards WHERE badge_id = ? AND revoked_at IS NULL", (current.store_id,)
                )
            ]
            now = self._now()
            for award_id in held:
                conn.execute(
                    "UPDATE awards SET revoked_at = ?, revoked_by = ?, revoke_reason = 'Badge deleted.',"
                    " seq = ? WHERE id = ?",
                    (now, deleted_by, 0 if current.system else self._next_seq(conn), award_id),
                )
            conn.execute("DELETE FROM badges WHERE id = ?", (current.store_id,))
            conn.execute("DELETE FROM dc_badges WHERE badge_id = ?", (current.store_id,))
            if not current.system:
                self._bump(conn, "badges", -1)
                self._bump(conn, "awards", -len(held))

    # --- helpers ---------------------------------------------------------------

    def _validate(self, conn: sqlite3.Connection, badge: BadgeChanges, *, current_id: int | None) -> None:
        """Badge's ActiveRecord validations, with Rails' full messages, all at once."""
        errors: list[str] = []
        name = badge.name
        if name is None or not name.strip():
            errors.append("Name can't be blank")
        else:
            if len(name) > 100:
                errors.append("Name is too long (maximum is 100 characters)")
            taken = conn.execute(
                "SELECT 1 FROM badges WHERE title = ? AND state != 'draft' AND id IS NOT ?",
                (name, current_id),
            ).fetchone()
            if taken:
                errors.append("Name has already been taken")
        if badge.badge_type_id not in TYPE_TIER or "badge_type_id" in badge.blanked:
            errors.append("Badge type can't be blank")
        if "allow_title" in badge.blanked:
            errors.append("Allow title is not included in the list")
        if "multiple_grant" in badge.blanked:
            errors.append("Multiple grant is not included in the list")
        if len(badge.description or "") > 500:
            errors.append("Description is too long (maximum is 500 characters)")
        if len(badge.long_description or "") > 1000:
            errors.append("Long description is too long (maximum is 1000 characters)")
        grouping = badge.badge_grouping_id
        if "badge_grouping_id" in badge.blanked or (
            grouping is not None
            and not conn.execute("SELECT 1 FROM dc_badge_groupings WHERE id = ?", (grouping,)).fetchone()
        ):
            errors.append("Badge grouping must exist")
        if (
            badge.image_upload_id is not None
            and not conn.execute("SELECT 1 FROM dc_uploads WHERE id = ?", (badge.image_upload_id,)).fetchone()
        ):
            errors.append("Image upload must exist")
        if errors:
            raise RecordInvalid(errors)

    @staticmethod
    def _category(conn: sqlite3.Connection, grouping_id: int) -> str:
        """The store category a grouping stands for: its name in lower case."""
        row = conn.execute("SELECT name FROM dc_badge_groupings WHERE id = ?", (grouping_id,)).fetchone()
        name = str(row[0]) if row else "Other"
        existing = conn.execute(
            "SELECT category FROM badges WHERE lower(replace(category, '-', ' ')) = lower(?) LIMIT 1", (name,)
        ).fetchone()
        return str(existing[0]) if existing else name.lower()

    @staticmethod
    def _free_slug(conn: sqlite3.Connection, slug: str) -> str:
        candidate, n = slug, 1
        while conn.execute("SELECT 1 FROM badges WHERE slug = ?", (candidate,)).fetchone():
            n += 1
            candidate = f"{slug}-{n}"
        return candidate

    def _store_update(
        self, conn: sqlite3.Connection, store_id: int, changes: dict[str, Any], *, system: bool
    ) -> None:
        current = conn.execute(
            f"SELECT {', '.join(changes)} FROM badges WHERE id = ?", (store_id,)
        ).fetchone()
        changed = {k: v for (k, v), old in zip(changes.items(), current, strict=True) if v != old}
        if not changed:
            return
        # Like every v1 write: a new version and feed position (system badges stay out of the feed).
        changed["updated_at"] = self._now()
        changed["seq"] = 0 if system else self._next_seq(conn)
        assignments = ", ".join(f"{name} = ?" for name in changed)
        conn.execute(
            f"UPDATE badges SET {assignments}, version = version + 1 WHERE id = ?",
            [*changed.values(), store_id],
        )

    @staticmethod
    def _write_discourse_fields(conn: sqlite3.Connection, store_id: int, badge: BadgeChanges) -> None:
        conn.execute("INSERT OR IGNORE INTO dc_badges (badge_id) VALUES (?)", (store_id,))
        conn.execute(
            "UPDATE dc_badges SET icon = ?, image_upload_id = ?, listable = ?, allow_title = ?,"
            " target_posts = ?, show_posts = ?, auto_revoke = ?, show_in_post_header = ? WHERE badge_id = ?",
            (
                badge.icon or "fa-certificate",
                badge.image_upload_id,
                int(bool(badge.listable)),
                int(bool(badge.allow_title)),
                int(bool(badge.target_posts)),
                int(bool(badge.show_posts)),
                int(bool(badge.auto_revoke)),
                int(bool(badge.show_in_post_header)),
                store_id,
            ),
        )


def _as_changes(badge: BadgeRow) -> BadgeChanges:
    return BadgeChanges(
        name=badge.name,
        description=badge.description,
        long_description=badge.long_description,
        badge_type_id=badge.badge_type_id,
        badge_grouping_id=badge.badge_grouping_id,
        enabled=badge.enabled,
        multiple_grant=badge.multiple_grant,
        allow_title=badge.allow_title,
        listable=badge.listable,
        target_posts=badge.target_posts,
        show_posts=badge.show_posts,
        auto_revoke=badge.auto_revoke,
        show_in_post_header=badge.show_in_post_header,
        icon=badge.icon,
        image_upload_id=badge.image_upload_id,
    )


def _merge(base: BadgeChanges, changes: BadgeChanges) -> BadgeChanges:
    given = {
        name: getattr(changes, name)
        for name in BadgeChanges.__dataclass_fields__
        if name != "blanked" and getattr(changes, name) is not None
    }
    merged = replace(base, **given, blanked=changes.blanked)
    if "image_upload_id" in changes.blanked:
        # A blank image_upload_id casts to nil: the badge loses its image.
        merged = replace(merged, image_upload_id=None)
    return merged


__all__ = ["TYPE_TIER", "BadgeChanges", "BadgeData", "BadgeGroupingRow", "BadgeRow", "grouping_name_for"]
