"""The badge design document: layers as plain values, and an undo history.

A :class:`Design` is immutable: every edit makes a new one, so the undo
history is a list of earlier designs and a render never sees a half-made
change. :class:`BadgeDocument` holds the current design, the badge's
metadata and the history; the Qt designer only shows it and forwards input.

Thread safety: a document belongs to the thread that edits it (the GUI
thread); its designs are immutable and may be handed to any thread.
"""

from __future__ import annotations

import base64
import enum
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from desktop.designer.colour import ColourError, parse_colour, to_hex
from desktop.designer.images import ImageError, ImportedImage
from desktop.i18n import _, ngettext

#: The design format written into saved designs and templates.
FORMAT_VERSION = 1
MAX_RINGS = 3
MAX_BANNER_CHARS = 60


class DesignError(ValueError):
    """A design value out of range or of the wrong kind; the message says which."""


class Shape(enum.StrEnum):
    CIRCLE = "circle"
    SHIELD = "shield"
    HEXAGON = "hexagon"
    STAR = "star"
    RIBBON = "ribbon"
    ROUNDED_SQUARE = "rounded-square"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()


class FillKind(enum.StrEnum):
    SOLID = "solid"
    LINEAR = "linear"
    RADIAL = "radial"

    @property
    def label(self) -> str:
        if self is FillKind.SOLID:
            return _("Solid")
        if self is FillKind.LINEAR:
            return _("Linear gradient")
        return _("Radial gradient")


class EmblemKind(enum.StrEnum):
    NONE = "none"
    GLYPH = "glyph"
    IMAGE = "image"


@dataclass(frozen=True, slots=True)
class Fill:
    kind: FillKind = FillKind.LINEAR
    colour: str = "#2f6fdb"
    #: The gradient's second stop; unused by a solid fill.
    colour2: str = "#173a80"
    #: Direction of a linear gradient in degrees: 90 runs top to bottom.
    angle: int = 90

    @property
    def stops(self) -> tuple[str, ...]:
        return (self.colour,) if self.kind is FillKind.SOLID else (self.colour, self.colour2)


@dataclass(frozen=True, slots=True)
class Frame:
    rings: int = 1
    colour: str = "#f2c94c"
    #: Thickness of one ring in canvas units (the canvas is 600 wide).
    width: float = 16.0

    def __post_init__(self) -> None:
        # 12 and 12.0 are one design: equal designs must render to equal bytes.
        object.__setattr__(self, "width", float(self.width))


@dataclass(frozen=True, slots=True)
class Banner:
    text: str = ""
    colour: str = "#ffffff"
    #: The band behind the text; empty for text straight on the fill.
    background: str = "#8a1c1c"


@dataclass(frozen=True, slots=True)
class Emblem:
    kind: EmblemKind = EmblemKind.GLYPH
    glyph: str = "fa6s.star"
    colour: str = "#ffffff"
    #: Size relative to the room inside the shape, 0.2 to 1.0.
    scale: float = 0.6
    image: ImportedImage | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "scale", float(self.scale))


@dataclass(frozen=True, slots=True)
class Design:
    shape: Shape = Shape.CIRCLE
    fill: Fill = field(default_factory=Fill)
    frame: Frame = field(default_factory=Frame)
    banner: Banner = field(default_factory=Banner)
    emblem: Emblem = field(default_factory=Emblem)
    #: The emblem's image is the whole badge, drawn as it is: a server badge made elsewhere
    #: keeps its own look until the designer changes a layer (the layers are where it starts).
    kept_image: bool = False

    @property
    def layered(self) -> Design:
        """This design drawn from its layers (the kept image, if any, becomes the emblem)."""
        return replace(self, kept_image=False) if self.kept_image else self

    def validated(self) -> Design:
        """This design when every value is in range, else :class:`DesignError`."""
        for which, value in (
            ("fill", self.fill.colour),
            ("gradient", self.fill.colour2),
            ("frame", self.frame.colour),
            ("banner text", self.banner.colour),
            ("glyph", self.emblem.colour),
            ("banner", self.banner.background),
        ):
            if which == "banner" and not value:
                continue  # no band behind the banner text
            try:
                parse_colour(value)
            except ColourError as error:
                raise DesignError(_colour_problem(which).format(error=error)) from None
        if not 0 <= self.frame.rings <= MAX_RINGS:
            raise DesignError(
                _("A badge has 0 to {most} frame rings, not {rings}.").format(
                    most=MAX_RINGS, rings=self.frame.rings
                )
            )
        if not 4 <= self.frame.width <= 30:
            raise DesignError(
                _("A ring is 4 to 30 units thick, not {width:g}.").format(width=self.frame.width)
            )
        if not 0.2 <= self.emblem.scale <= 1.0:
            raise DesignError(
                _("The emblem's size is 20% to 100%, not {scale:.0%}.").format(scale=self.emblem.scale)
            )
        if len(self.banner.text) > MAX_BANNER_CHARS:
            n = len(self.banner.text)
            raise DesignError(
                ngettext(
                    "The banner text has {n} character; at most {most} fit.",
                    "The banner text has {n} characters; at most {most} fit.",
                    n,
                ).format(n=n, most=MAX_BANNER_CHARS)
            )
        if "\n" in self.banner.text:
            raise DesignError(_("The banner text is one line; it wraps by itself when it must."))
        if self.emblem.kind is EmblemKind.IMAGE and self.emblem.image is None:
            raise DesignError(_("An image emblem needs an image."))
        if self.kept_image and (self.emblem.kind is not EmblemKind.IMAGE or self.emblem.image is None):
            raise DesignError(_("Only an image can be kept as the whole badge."))
        if self.emblem.kind is EmblemKind.GLYPH and not self.emblem.glyph:
            raise DesignError(_("A glyph emblem needs a glyph name."))
        return self

    # --- serialisation ------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if not self.kept_image:
            # Only when set: a design of layers serialises (and renders) as it did before.
            del data["kept_image"]
        data["format"] = FORMAT_VERSION
        image = self.emblem.image
        data["emblem"]["image"] = (
            None
            if image is None
            else {"media_type": image.media_type, "data": base64.b64encode(image.data).decode("ascii")}
        )
        return data

    def dumps(self) -> str:
        return json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: Any) -> Design:
        """A design from its JSON form; a clear :class:`DesignError` for anything malformed."""
        if not isinstance(data, dict):
            raise DesignError(_("A design is a JSON object."))
        version = data.get("format", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise DesignError(
                _("This design has format {version}; this BadgeDesk reads format {supported}.").format(
                    version=version, supported=FORMAT_VERSION
                )
            )
        default = cls()
        try:
            fill = data.get("fill", {})
            frame = data.get("frame", {})
            banner = data.get("banner", {})
            emblem = data.get("emblem", {})
            image = emblem.get("image")
            imported = None
            if image is not None:
                from desktop.designer.images import load_image

                imported = load_image(base64.b64decode(image["data"], validate=True))
            design = cls(
                shape=Shape(data.get("shape", Shape.CIRCLE)),
                fill=Fill(
                    kind=FillKind(fill.get("kind", FillKind.LINEAR)),
                    colour=_colour(fill.get("colour", default.fill.colour)),
                    colour2=_colour(fill.get("colour2", default.fill.colour2)),
                    angle=int(fill.get("angle", default.fill.angle)) % 360,
                ),
                frame=Frame(
                    rings=int(frame.get("rings", default.frame.rings)),
                    colour=_colour(frame.get("colour", default.frame.colour)),
                    width=float(frame.get("width", default.frame.width)),
                ),
                banner=Banner(
                    text=str(banner.get("text", "")),
                    colour=_colour(banner.get("colour", default.banner.colour)),
                    background=_colour(banner.get("background", default.banner.background), optional=True),
                ),
                emblem=Emblem(
                    kind=EmblemKind(emblem.get("kind", EmblemKind.GLYPH)),
                    glyph=str(emblem.get("glyph", default.emblem.glyph)),
                    colour=_colour(emblem.get("colour", default.emblem.colour)),
                    scale=float(emblem.get("scale", default.emblem.scale)),
                    image=imported,
                ),
                kept_image=bool(data.get("kept_image", False)),
            )
        except ImageError as error:
            raise DesignError(_("The design's image: {problem}").format(problem=error)) from None
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise DesignError(_("The design is malformed: {problem}").format(problem=error)) from None
        return design.validated()

    @classmethod
    def loads(cls, text: str) -> Design:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise DesignError(_("The design is not valid JSON: {problem}").format(problem=error)) from None
        return cls.from_json(data)


def _colour_problem(which: str) -> str:
    """Which colour of a design is wrong, with an ``{error}`` field for why."""
    if which == "fill":
        return _("The fill colour: {error}")
    if which == "gradient":
        return _("The gradient colour: {error}")
    if which == "frame":
        return _("The frame colour: {error}")
    if which == "banner text":
        return _("The banner text colour: {error}")
    if which == "glyph":
        return _("The glyph colour: {error}")
    return _("The banner colour: {error}")


def _colour(value: Any, *, optional: bool = False) -> str:
    if optional and not value:
        return ""
    try:
        return to_hex(parse_colour(str(value)))
    except ColourError as error:
        raise DesignError(str(error)) from None


@dataclass(frozen=True, slots=True)
class BadgeMeta:
    """What the badge says, beside how it looks."""

    title: str = ""
    description: str = ""
    criteria: str = ""
    category: str = ""
    tier: str = ""
    #: The badge's own award message; empty means the community's default.
    award_message: str = ""


@dataclass(frozen=True, slots=True)
class DraftState:
    """One point of the undo history: the design and the metadata together."""

    design: Design
    meta: BadgeMeta


@dataclass(slots=True)
class _Step:
    label: str
    before: DraftState
    merge_key: str | None


class BadgeDocument:
    """The badge being designed, with undo and redo for every edit.

    Consecutive edits with the same ``merge_key`` (a slider being dragged,
    a title being typed) become one undo step until :meth:`end_gesture`.
    GUI thread only; listeners are called after every change.
    """

    def __init__(self, design: Design | None = None, meta: BadgeMeta | None = None, limit: int = 500) -> None:
        self._state = DraftState((design or Design()).validated(), meta or BadgeMeta())
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []
        self._limit = limit
        self._open_merge: str | None = None
        self._listeners: list[Callable[[BadgeDocument], None]] = []
        #: The state last saved; ``modified`` compares with it.
        self._saved = self._state

    # --- reading --------------------------------------------------------------

    @property
    def design(self) -> Design:
        return self._state.design

    @property
    def meta(self) -> BadgeMeta:
        return self._state.meta

    @property
    def state(self) -> DraftState:
        return self._state

    @property
    def modified(self) -> bool:
        return self._state != self._saved

    def mark_saved(self) -> None:
        self._saved = self._state
        self._notify()

    def on_change(self, listener: Callable[[BadgeDocument], None]) -> None:
        self._listeners.append(listener)

    # --- editing ----------------------------------------------------------------

    def set_design(self, label: str, design: Design, *, merge_key: str | None = None) -> None:
        """Replace the design (validated first: a bad value changes nothing).

        A change of any layer of a kept image (a server badge's own) makes the
        badge drawn from its layers from then on; undo brings the image back.
        """
        if design.kept_image and self._state.design.kept_image and design != self._state.design:
            design = design.layered
        self._apply(label, DraftState(design.validated(), self._state.meta), merge_key)

    def edit(self, label: str, change: Callable[[Design], Design], *, merge_key: str | None = None) -> None:
        self.set_design(label, change(self._state.design), merge_key=merge_key)

    def set_meta(self, label: str, meta: BadgeMeta, *, merge_key: str | None = None) -> None:
        self._apply(label, DraftState(self._state.design, meta), merge_key)

    def update_meta(self, label: str, *, merge_key: str | None = None, **changes: str) -> None:
        self.set_meta(label, replace(self._state.meta, **changes), merge_key=merge_key)

    def end_gesture(self) -> None:
        """The slider was released (or the field left): the next edit is a new undo step."""
        self._open_merge = None

    def _apply(self, label: str, new: DraftState, merge_key: str | None) -> None:
        if new == self._state:
            return
        merging = merge_key is not None and merge_key == self._open_merge and self._undo
        if not merging:
            self._undo.append(_Step(label, self._state, merge_key))
            del self._undo[: max(0, len(self._undo) - self._limit)]
        self._open_merge = merge_key
        self._redo.clear()
        self._state = new
        self._notify()

    # --- history ------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def undo(self) -> str | None:
        """Go back one step; returns what was undone (None when there is nothing)."""
        if not self._undo:
            return None
        step = self._undo.pop()
        self._redo.append(_Step(step.label, self._state, step.merge_key))
        self._state = step.before
        self._open_merge = None
        self._notify()
        return step.label

    def redo(self) -> str | None:
        if not self._redo:
            return None
        step = self._redo.pop()
        self._undo.append(_Step(step.label, self._state, step.merge_key))
        self._state = step.before
        self._open_merge = None
        self._notify()
        return step.label

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener(self)
