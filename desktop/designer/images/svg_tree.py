"""The sanitised SVG as a tree of elements, and its XML text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from desktop.designer.images.svg_allowlists import SVG_NS, XLINK_NS


@dataclass(eq=False)
class Element:
    """A sanitised element: SVG tag, attributes by qualified output name, and mixed content."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)


def walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element.children:
        if isinstance(child, Element):
            yield from walk(child)


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(text: str) -> str:
    return (
        _escape_text(text)
        .replace('"', "&quot;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
        .replace("\t", "&#9;")
    )


def serialise(root: Element) -> str:
    """XML text of ``root`` with the SVG default namespace, and xlink only if used."""
    namespaces = f' xmlns="{SVG_NS}"'
    if any("xlink:href" in e.attrs for e in walk(root)):
        namespaces += f' xmlns:xlink="{XLINK_NS}"'
    out: list[str] = []

    def write(element: Element, extra: str) -> None:
        attrs = "".join(f' {name}="{_escape_attribute(value)}"' for name, value in element.attrs.items())
        if not element.children:
            out.append(f"<{element.tag}{extra}{attrs}/>")
            return
        out.append(f"<{element.tag}{extra}{attrs}>")
        for child in element.children:
            if isinstance(child, str):
                out.append(_escape_text(child))
            else:
                write(child, "")
        out.append(f"</{element.tag}>")

    write(root, namespaces)
    return "".join(out)
