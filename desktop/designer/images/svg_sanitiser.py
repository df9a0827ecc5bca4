"""An SVG rebuilt from the allowlists: what cannot be made safe is refused, the rest kept and noted.

Elements: shapes, text, gradients, clip paths, masks, patterns, markers,
``<use>``/``<symbol>``, ``<title>``/``<desc>``. ``<a>`` becomes a ``<g>`` (its
link goes, its content stays). Everything else goes with its subtree:
``<script>``, ``<foreignObject>``, ``<image>``, filters, animation, a nested
``<svg>`` (Qt skips them) and every element outside the SVG namespace.
Attributes and style properties: presentation and geometry only; no ``on*``
handlers. ``href`` survives only as ``#id`` on ``<use>``, gradients and
patterns, written as ``xlink:href`` because Qt ignores a plain ``href`` on
gradients. The root gets a ``viewBox`` and loses ``width``/``height``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final

from desktop.designer.images.limits import MAX_SVG_SIDE, ImageError
from desktop.designer.images.svg_allowlists import (
    ATTRIBUTES,
    ELEMENTS,
    HREF_ELEMENTS,
    ID_PATTERN,
    SVG_NS,
    UNSAFE_VALUE,
    XLINK_NS,
    XML_NS,
    Notes,
    short,
    value_problem,
)
from desktop.designer.images.svg_parser import RawElement, label_of, parse_svg
from desktop.designer.images.svg_references import check_ids, check_references
from desktop.designer.images.svg_styles import StyleSheets, format_declarations
from desktop.designer.images.svg_tree import Element
from desktop.i18n import _

# Regexes in this package meet attribute values of up to 5 MB: none may backtrack over a long run of digits
# or spaces (hence "\d+(?:\.\d*)?", not "\d+\.?\d*", and values stripped rather than padded with \s*).
_NUMBER: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_LENGTH_PX: Final = re.compile(rf"({_NUMBER.pattern})(?:\s*px)?")
_LIST_SEPARATOR: Final = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class SanitisedSvg:
    """A sanitised SVG: its tree, its coordinate system and the notes of what was removed."""

    root: Element
    view_box: tuple[float, float, float, float]
    notes: tuple[str, ...]


def sanitize(data: bytes, subject: str) -> SanitisedSvg:
    """The safe part of the SVG in ``data``; ``subject`` names the file in refusals."""
    notes = Notes()
    raw = parse_svg(data, subject, notes)
    if raw.ns not in ("", SVG_NS) or raw.local != "svg":
        not_svg = _("{subject} is XML but not an SVG image (its root element is <{element}>).")
        raise ImageError(not_svg.format(subject=subject, element=raw.label))
    box = _root_view_box(raw, subject)
    sanitiser = _Sanitiser(notes, subject)
    root = sanitiser.element(raw, is_root=True)
    assert root is not None  # the root is an <svg>, which is always kept
    sanitiser.styles.apply(root)
    check_ids(root, notes)
    check_references(root, notes, subject)
    root.attrs = {"viewBox": " ".join(_format_number(v) for v in box), **root.attrs}
    return SanitisedSvg(root, box, notes.result())


def _format_number(value: float) -> str:
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


def _root_view_box(raw: RawElement, subject: str) -> tuple[float, float, float, float]:
    attrs = {local: value for ns, local, _prefix, value in raw.attrs if not ns}
    sizes: dict[str, float] = {}
    for name in ("width", "height"):
        match = _LENGTH_PX.fullmatch(attrs.get(name, "").strip())
        if match:
            sizes[name] = float(match[1])
    box: tuple[float, float, float, float] | None = None
    if "viewBox" in attrs:
        parts = _LIST_SEPARATOR.split(attrs["viewBox"].strip())
        if len(parts) != 4 or not all(_NUMBER.fullmatch(part) for part in parts):
            raise _unreadable_view_box(subject, attrs["viewBox"])
        x, y, width, height = (float(part) for part in parts)
        box = (x, y, width, height)
    elif len(sizes) == 2:
        box = (0.0, 0.0, sizes["width"], sizes["height"])
    else:
        no_size = _("{subject} has no size: an SVG needs a viewBox, or a width and height in pixels.")
        raise ImageError(no_size.format(subject=subject))
    # A plain width/height is checked even beside a viewBox: it is the size the author asked for.
    for width, height in ((box[2], box[3]), (sizes.get("width", 1.0), sizes.get("height", 1.0))):
        if width <= 0 or height <= 0:
            raise ImageError(_("{subject} has a width or height of zero or less.").format(subject=subject))
        if not (width <= MAX_SVG_SIDE and height <= MAX_SVG_SIDE):  # also catches "1e400", read as infinity
            too_big = _(
                "{subject} is {width} × {height} units; SVG images may be at most {most:,} units on a side."
            )
            raise ImageError(
                too_big.format(
                    subject=subject,
                    width=_format_number(width),
                    height=_format_number(height),
                    most=MAX_SVG_SIDE,
                )
            )
    if not (math.isfinite(box[0]) and math.isfinite(box[1])):
        raise _unreadable_view_box(subject, attrs["viewBox"])
    return box


def _unreadable_view_box(subject: str, view_box: str) -> ImageError:
    unreadable = _('{subject} has an unreadable viewBox ("{view_box}").')
    return ImageError(unreadable.format(subject=subject, view_box=short(view_box)))


class _Sanitiser:
    """Rebuilds the parsed tree from the allowlists, noting what it leaves out."""

    def __init__(self, notes: Notes, subject: str) -> None:
        self.notes = notes
        self.subject = subject
        self.styles = StyleSheets(notes, subject)

    def element(self, raw: RawElement, is_root: bool = False) -> Element | None:
        label = raw.label
        tag = raw.local if raw.ns in ("", SVG_NS) else None
        if tag == "style":
            self.styles.texts.append("".join(c for c in raw.children if isinstance(c, str)))
            return None
        attrs = raw.attrs
        if tag == "a":
            # A link cannot be followed inside a badge; what it wraps is still part of the picture.
            tag = "g"
            for ns, local, _prefix, value in raw.attrs:
                if local == "href" and ns in ("", XLINK_NS):
                    if value.strip().startswith("#"):
                        self.notes.add(_("link {target} on <a>").format(target=short(value)))
                    else:
                        self.notes.add(_("external reference {target} on <a>").format(target=short(value)))
            attrs = [a for a in raw.attrs if not (a[1] == "href" and a[0] in ("", XLINK_NS))]
        elif tag is None or tag not in ELEMENTS or (tag == "svg" and not is_root):
            if tag == "svg":
                self.notes.add(_("<{element}> element (Qt does not draw nested ones)").format(element=label))
            else:
                self.notes.add(_("<{element}> element").format(element=label))
            for ns, local, _prefix, value in raw.attrs:
                if local == "href" and ns in ("", XLINK_NS) and not value.strip().startswith("#"):
                    self.notes.add(_external(value, label))
            return None
        element = Element(tag)
        # SVG 2: a plain href wins over xlink:href.
        plain_href = any(not ns and local == "href" for ns, local, _prefix, _value in attrs)
        for ns, local, prefix, value in attrs:
            if local == "href" and ns in ("", XLINK_NS):
                self.href(element, label, value, keep=not ns or not plain_href)
            else:
                self.attribute(element, label, ns, local, prefix, value, is_root)
        for child in raw.children:
            if isinstance(child, str):
                element.children.append(child)
            else:
                kept = self.element(child)
                if kept is not None:
                    element.children.append(kept)
        return element

    def attribute(
        self, element: Element, label: str, ns: str, local: str, prefix: str, value: str, is_root: bool
    ) -> None:
        if is_root and not ns and local in ("width", "height", "x", "y", "viewBox"):
            pass  # the canvas: measured by _root_view_box, replaced by a viewBox alone
        elif ns == XML_NS and local in ("space", "lang"):
            if value_problem(value) is None:
                element.attrs[f"xml:{local}"] = value
        elif not ns and local == "style":
            style = format_declarations(self.styles.declarations(value, f"<{label}>", "style"))
            if style:
                element.attrs["style"] = style
        elif not ns and local in ATTRIBUTES:
            problem = value_problem(value)
            if problem is None:
                element.attrs[local] = value
            elif problem == UNSAFE_VALUE:
                self.notes.add(
                    _("unsafe {attribute} value on <{element}>").format(attribute=local, element=label)
                )
            else:
                self.notes.add(_("{problem} on <{element}>").format(problem=problem, element=label))
        else:
            attribute = label_of(ns, local, prefix) if ns else local
            self.notes.add(
                _("{attribute} attribute on <{element}>").format(attribute=attribute, element=label)
            )

    def href(self, element: Element, label: str, value: str, *, keep: bool) -> None:
        value = value.strip()
        if not value.startswith("#"):
            self.notes.add(_external(value, label))
        elif not ID_PATTERN.fullmatch(value[1:]):
            self.notes.add(_("reference {target} on <{element}>").format(target=short(value), element=label))
        elif element.tag not in HREF_ELEMENTS:
            self.notes.add(_("href attribute on <{element}>").format(element=label))
        elif keep:
            element.attrs["xlink:href"] = value


def _external(target: str, element: str) -> str:
    return _("external reference {target} on <{element}>").format(target=short(target), element=element)
