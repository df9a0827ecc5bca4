"""The BadgeEditor port over Discourse: create and edit badges, enable and disable them.

Discourse keeps no versions (``versions`` is False): the outbox compares
:meth:`DiscourseEditor.current` with the version the edit began from before
it saves (a digest of the badge's fields, :func:`mapping.badge_version`), so
an edit made elsewhere is reported instead of overwritten.

How BadgeDesk's fields and states become Discourse's (the table in
``docs/discourse-badges.md``):

- title → ``name`` (unique on the forum), description → ``description``,
  criteria → ``long_description``, tier → ``badge_type_id`` by the type's
  name (gold, silver, bronze; a new badge without a tier is bronze, Discourse
  requires a type), category → ``badge_grouping_id`` by the grouping's name.
  A category the forum has no grouping for is refused with the groupings it
  has: putting the badge in "Other" would file it elsewhere without a word,
  and only an admin's page makes groupings. No award message: Discourse's
  badges have none and it sends none with a grant (BadgeDesk keeps the
  template in the user's work and sends it as a private message).
- The image is uploaded first (``POST /uploads.json``, ``type=badge_image``)
  and set by ``image_upload_id``; an image the badge shows already (its URL
  carries the file's SHA-1) is not uploaded again.
- States: published = ``enabled``; disabled = not enabled; **draft**:
  Discourse has none (``drafts`` is False), so BadgeDesk keeps a draft in
  the user's work and sends nothing until it is published: the create then
  says ``enabled``. A create without a state (queued before) is made *not
  enabled* (members can neither see nor be granted it) and reads back as
  disabled. **Discontinued** (no new awards, holders keep it shown) has
  no Discourse equivalent (a disabled badge hides its holders too): refused
  with words, nothing is sent.
- Booleans travel as the strings ``"true"``/``"false"``: the controller sets
  a field only ``if params[key]``, so a JSON ``false`` would be skipped.

**Exactly once without keys.** A write whose answer was lost is settled by
reading the badge list at once: the badge holding what was sent is the
write's result. When the forum cannot be read either, the outbox sends the
save again later: before any create the editor looks the name up (names are
unique): a badge of that name with the fields this save sends is the first
attempt's, and is returned instead of created again; one with other fields
is someone else's, and the save is refused.

**System badges** (Discourse's own) take a save with 200 but silently keep
their protected fields (name, badge type, ...): the answer is compared with
what was sent, and a field left as it was is reported as a conflict with the
badge as the forum has it, not called saved.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from desktop.dialects.discourse import mapping, wire
from desktop.dialects.discourse.api import DiscourseApi, adapter, refusal_words
from desktop.dialects.discourse.directory import DiscourseDirectory
from desktop.domain import Badge, BadgeState
from desktop.i18n import _
from desktop.net.errors import ApiError, BadgeConflict, ServerUnreachable

_BADGES = "/admin/badges.json"
_UPLOADS = "/uploads.json"
#: A new badge without a tier: Discourse requires a badge type; bronze is the lowest.
_DEFAULT_TYPE_NAME = "bronze"
#: The answer's fields a save may set, by what the user calls them (for "kept as it was").
_CHECKED = {
    "name": "name",
    "description": "description",
    "long_description": "criteria",
    "badge_type_id": "tier",
    "badge_grouping_id": "category",
    "enabled": "state",
}
#: ActiveRecord's uniqueness message for the badge's name (``validates :name, uniqueness: true``).
_NAME_TAKEN = "Name has already been taken"
_EXTENSIONS = {"image/svg+xml": "svg", "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}


class DiscourseEditor:
    """Thread safety: one thread at a time (it belongs to one session)."""

    def __init__(self, api: DiscourseApi, directory: DiscourseDirectory) -> None:
        self._api = api
        self._directory = directory

    @property
    def versions(self) -> bool:
        return False

    @property
    def drafts(self) -> bool:
        # Discourse has no draft state: a draft stays in the user's work until it is published.
        return False

    # --- reads ----------------------------------------------------------------------------

    def current(self, badge_id: int) -> Badge | None:
        listing = self._directory.badge_list(fresh=True)
        row = next((b for b in listing.badges if b.id == badge_id), None)
        return None if row is None else mapping.badge(row, listing.badge_types, listing.badge_groupings)

    # --- writes ---------------------------------------------------------------------------

    def save_badge(
        self,
        badge_id: int | None,
        fields: Mapping[str, str],
        image: tuple[bytes, str] | None,
        *,
        version: int | None,
        idempotency_key: str,
    ) -> Badge:
        creating = badge_id is None
        # A create looks its name up in a fresh list (an earlier attempt may have made it).
        listing = self._directory.badge_list(fresh=creating)
        body = _body(fields, listing, creating=creating)
        existing = None
        if creating:
            existing = next((b for b in listing.badges if b.name == body["name"]), None)
            if existing is not None:
                if not _matches(existing, body):
                    raise BadgeConflict(
                        _(
                            "A badge named “{name}” exists on the forum already (badge"
                            " {badge}) and Discourse's badge names are unique: give this badge"
                            " another title, or open that badge to edit it"
                        ).format(name=body["name"], badge=existing.id),
                        name_taken=str(body["name"]),
                    )
                # The first attempt made it and its answer was lost: that badge is this one.
                # Its image travelled with the create, so nothing is sent again.
                return mapping.badge(existing, listing.badge_types, listing.badge_groupings)
        else:
            # The outbox read the list a moment ago (``current``); a badge not in it is newer.
            existing = next((b for b in listing.badges if b.id == badge_id), None)
            if existing is None:
                listing = self._directory.badge_list(fresh=True)
                existing = next((b for b in listing.badges if b.id == badge_id), None)
        if image is not None and not _shows(existing, image[0]):
            body["image_upload_id"] = self._upload(*image)
        if creating:
            row = self._send("POST", _BADGES, body, None)
        else:
            row = self._send("PUT", f"/admin/badges/{badge_id}.json", body, badge_id)
        return self._checked(row, body, listing)

    def set_badge_state(
        self, badge_id: int, state: BadgeState, *, version: int | None, idempotency_key: str
    ) -> Badge:
        if state is BadgeState.DISCONTINUED:
            raise ApiError(
                _(
                    "Discourse has no “discontinued” state (no new awards while holders keep the badge"
                    " shown): disabling a badge there hides it from its holders too. Disable the badge"
                    " instead, or leave it published"
                )
            )
        if state is BadgeState.DRAFT:
            raise ApiError(_("Discourse has no draft state: a badge there is enabled or disabled"))
        listing = self._directory.badge_list()
        body: dict[str, str | int] = {"enabled": _flag(state is BadgeState.PUBLISHED)}
        row = self._send("PUT", f"/admin/badges/{badge_id}.json", body, badge_id)
        return self._checked(row, body, listing)

    # --- helpers --------------------------------------------------------------------------

    def _upload(self, data: bytes, media_type: str) -> int:
        name = f"badge.{_EXTENSIONS.get(media_type, 'png')}"
        response = self._api.upload(
            _UPLOADS, {"file": (name, data, media_type)}, {"type": "badge_image", "synchronous": "true"}
        )
        if response.status_code != 200:
            raise self._api.error("POST", _UPLOADS, response)
        return self._api.parse(adapter(wire.Uploaded), "POST", _UPLOADS, response).id

    def _send(
        self, method: str, path: str, body: dict[str, str | int], badge_id: int | None
    ) -> wire.BadgeRow:
        # Whatever comes back, the forum's badges may have changed: the session's list is stale.
        self._directory.forget_badges()
        try:
            response = self._api.write(method, path, body)
        except ServerUnreachable as lost:
            # The answer was lost: whether the write landed is settled by reading, at once, while
            # the forum is likely still there (else the outbox's retry would take our own edit
            # for one made elsewhere, the badge having changed since the edit began).
            landed = self._landed(body, badge_id) if lost.request_sent else None
            if landed is None:
                raise
            return landed
        if response.status_code == 404 and badge_id is not None:
            # The badge list was just read with this key (an admin's): the badge is gone.
            raise BadgeConflict(
                _("Badge {badge} was deleted on the forum since this edit began.").format(badge=badge_id)
            )
        if response.status_code == 422:
            # Discourse's validations (a name taken or too long, a description over 500, ...),
            # in its own words, which name the field. A taken name is a conflict with another
            # badge (made since the editor looked, or the one a rename would take the name of).
            code, said = refusal_words(response)
            if _NAME_TAKEN in said and "name" in body:
                name = str(body["name"])
                raise BadgeConflict(
                    _(
                        "The name “{name}” belongs to another badge on the forum now, and Discourse's"
                        " badge names are unique: give this badge another title"
                    ).format(name=name),
                    name_taken=name,
                )
            raise ApiError(_("Discourse refused the badge: {said}").format(said=said), status=422, code=code)
        if response.status_code != 200:
            raise self._api.error(method, path, response)
        return self._api.parse(adapter(wire.BadgeSaved), method, path, response).badge

    def _landed(self, body: Mapping[str, str | int], badge_id: int | None) -> wire.BadgeRow | None:
        """The badge as a write whose answer was lost left it, if it holds what was sent; else None."""
        try:
            listing = self._directory.badge_list(fresh=True)
        except ApiError:
            return None  # still unreachable: the outbox sends again later (and looks first)
        if badge_id is None:
            row = next((b for b in listing.badges if b.name == body.get("name")), None)
        else:
            row = next((b for b in listing.badges if b.id == badge_id), None)
        return row if row is not None and _matches(row, body) else None

    def _checked(self, row: wire.BadgeRow, body: Mapping[str, str | int], listing: wire.AdminBadges) -> Badge:
        """The badge as saved, or a conflict naming what Discourse kept as it was (system badges)."""
        saved = mapping.badge(row, listing.badge_types, listing.badge_groupings)
        kept = [
            label for field, label in _CHECKED.items() if field in body and not _same(row, field, body[field])
        ]
        if kept:
            fields = ", ".join(_field_name(label) for label in kept)
            if row.system:
                message = _(
                    "Discourse kept this system badge's {fields} as it was and saved the rest: it"
                    " ignores changes to the name, tier and a few other fields of the badges it defines"
                    " itself. Change only what Discourse lets you change, or discard this edit."
                )
            else:
                message = _(
                    "Discourse kept this badge's {fields} as it was and saved the rest: it"
                    " ignores changes to the name, tier and a few other fields of the badges it defines"
                    " itself. Change only what Discourse lets you change, or discard this edit."
                )
            raise BadgeConflict(message.format(fields=fields), saved)
        return saved


def _field_name(label: str) -> str:
    """A badge's field (a key of :data:`_CHECKED`'s values) as the user reads it."""
    names = {
        "name": _("name"),
        "description": _("description"),
        "criteria": _("criteria"),
        "tier": _("tier"),
        "category": _("category"),
        "state": _("state"),
    }
    return names.get(label, label)


def _body(fields: Mapping[str, str], listing: wire.AdminBadges, *, creating: bool) -> dict[str, str | int]:
    """Discourse's parameters for BadgeDesk's fields (see the module's docstring)."""
    body: dict[str, str | int] = {}
    title = fields.get("title", "").strip()
    if title or creating:
        body["name"] = title
    for ours, theirs in (("description", "description"), ("criteria", "long_description")):
        if ours in fields:
            body[theirs] = fields[ours]
    tier = fields.get("tier", "").strip().lower()
    if tier or creating:
        body["badge_type_id"] = _type_id(tier or _DEFAULT_TYPE_NAME, listing)
    category = fields.get("category", "").strip()
    if category:
        body["badge_grouping_id"] = _grouping_id(category, listing)
    if creating:
        # No draft on Discourse: a draft is created disabled, out of members' sight.
        state = BadgeState(fields.get("state", BadgeState.DRAFT.value))
        body["enabled"] = _flag(state is BadgeState.PUBLISHED)
    return body


def _type_id(tier: str, listing: wire.AdminBadges) -> int:
    types = {t.name.lower(): t.id for t in listing.badge_types} or {"gold": 1, "silver": 2, "bronze": 3}
    found = types.get(tier)
    if found is None:
        raise ApiError(
            _(
                "Discourse has no badge type “{tier}”: its types are {types}. Choose one of them as the tier"
            ).format(tier=tier, types=", ".join(sorted(types)))
        )
    return found


def _grouping_id(category: str, listing: wire.AdminBadges) -> int:
    def key(name: str) -> str:
        return " ".join(name.replace("-", " ").replace("_", " ").lower().split())

    groupings = {key(g.name): g.id for g in listing.badge_groupings}
    found = groupings.get(key(category))
    if found is None:
        names = ", ".join(g.name for g in listing.badge_groupings) or _("none")
        raise ApiError(
            _(
                "The forum has no badge grouping “{category}” (Discourse files badges by grouping;"
                " its groupings are: {names}). Choose one of them as the category, or have an admin"
                " add the grouping on the forum's badge page"
            ).format(category=category, names=names)
        )
    return found


def _flag(value: bool) -> str:
    # A string: Discourse's controller skips a JSON false (it sets a field only ``if params[key]``).
    return "true" if value else "false"


def _same(row: wire.BadgeRow, field: str, sent: str | int) -> bool:
    value = getattr(row, field)
    if isinstance(value, bool):
        return _flag(value) == sent
    return (value or "") == sent if isinstance(sent, str) else value == sent


def _matches(row: wire.BadgeRow, body: Mapping[str, str | int]) -> bool:
    """Whether a badge already on the forum is what this create would make."""
    return all(_same(row, field, value) for field, value in body.items() if field in _CHECKED)


def _shows(row: wire.BadgeRow | None, image: bytes) -> bool:
    """Whether the badge shows this image already (an upload's URL names the file's SHA-1)."""
    return (
        row is not None
        and bool(row.image_url)
        and hashlib.sha1(image, usedforsecurity=False).hexdigest() in (row.image_url or "")
    )
