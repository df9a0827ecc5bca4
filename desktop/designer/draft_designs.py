"""Helpers of badge drafts: a design to start from for a server's badge, slugs, save digests.

Pure functions (no cache, no network): what :mod:`desktop.designer.drafts`
makes of a badge the server has, and the values it compares between saves.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ElementTree

from desktop.designer.document import Design, DesignError, Emblem, EmblemKind
from desktop.designer.images import ImageError, load_image
from desktop.designer.render import DESIGN_NAMESPACE
from desktop.domain import Badge
from desktop.i18n import _, ngettext

SVG = "image/svg+xml"


def design_from_svg(data: bytes) -> Design | None:
    """The design a BadgeDesk wrote into this SVG, if any (and readable)."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None
    found = root.find(f".//{{{DESIGN_NAMESPACE}}}design")
    if found is None or not found.text:
        return None
    try:
        return Design.loads(found.text)
    except DesignError:
        return None


def design_for_badge(badge: Badge) -> tuple[Design, tuple[str, ...]]:
    """A design to start editing a badge made elsewhere: its layers, its image, or a blank."""
    if badge.image is None:
        return Design(), ()
    if badge.image_media_type == SVG:
        design = design_from_svg(badge.image)
        if design is not None:
            return design, ()
    try:
        image = load_image(badge.image, _("{title} image").format(title=badge.title))
    except ImageError as error:
        return Design(), (_("The server's image could not be used: {problem}").format(problem=error),)
    removed = len(image.removed)
    cleaned = ngettext(
        "The server's image was cleaned: {n} unsafe part removed.",
        "The server's image was cleaned: {n} unsafe parts removed.",
        removed,
    )
    kept = _("The badge's own image is kept as it is until you change its design.")
    notes = (kept, cleaned.format(n=removed)) if image.removed else (kept,)
    # The image is the badge until a layer changes; then it becomes the emblem of the layers.
    return Design(emblem=Emblem(kind=EmblemKind.IMAGE, image=image, scale=1.0), kept_image=True), notes


def slugify(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")
    return (slug or "badge")[:70].strip("-")


def digest(fields: dict[str, str], image: bytes) -> str:
    """What the server would hold after this save, as one value to compare."""
    hasher = hashlib.sha256(json.dumps(fields, sort_keys=True).encode("utf-8"))
    hasher.update(image)
    return hasher.hexdigest()


__all__ = ["SVG", "design_for_badge", "design_from_svg", "digest", "slugify"]
