"""Reading an SVG's XML with expat, refusing entity declarations and documents too big or too deep."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final
from xml.parsers import expat

from desktop.designer.images.limits import MAX_SVG_DEPTH, MAX_SVG_ELEMENTS, ImageError
from desktop.designer.images.svg_allowlists import SVG_NS, Notes
from desktop.i18n import _

#: Prefixes shown in notes for elements and attributes declared without one.
_KNOWN_PREFIXES: Final = {
    "http://www.w3.org/1999/xhtml": "html",
    "http://www.inkscape.org/namespaces/inkscape": "inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd": "sodipodi",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/1998/Math/MathML": "math",
}

#: Checked on the raw bytes before parsing: no entity can be declared, so none can be expanded.
#: A plain DOCTYPE (the SVG 1.1 public one, Graphviz's) is harmless: the external DTD is never
#: read; one with an internal subset ("[ ... ]") is where entity tricks live.
_DECLARATION: Final = re.compile(rb"<!\s*(?:ENTITY|DOCTYPE[^>\[]*\[)", re.IGNORECASE)
_DECLARATION_TEXT: Final = re.compile(r"<!\s*(?:ENTITY|DOCTYPE[^>\[]*\[)", re.IGNORECASE)


@dataclass(eq=False)
class RawElement:
    """An element as parsed: (namespace, local name, prefix), attributes the same way plus the value."""

    ns: str
    local: str
    prefix: str
    attrs: list[tuple[str, str, str, str]]
    children: list[RawElement | str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return label_of(self.ns, self.local, self.prefix)


def label_of(ns: str, local: str, prefix: str) -> str:
    if ns in ("", SVG_NS):
        return local
    prefix = prefix or _KNOWN_PREFIXES.get(ns, "")
    return f"{prefix}:{local}" if prefix else _("{name} (from {namespace})").format(name=local, namespace=ns)


def _split_name(name: str) -> tuple[str, str, str]:
    # Expat gives "uri local prefix", "uri local" (default namespace) or "local".
    parts = name.split(" ")
    if len(parts) == 1:
        return "", parts[0], ""
    return parts[0], parts[1], parts[2] if len(parts) > 2 else ""


def _declaration_error(subject: str) -> ImageError:
    return ImageError(
        _(
            "{subject} declares entities (a DOCTYPE with [ … ] or an ENTITY), which imported SVGs may not. "
            "Remove the <!DOCTYPE …> part, or export the picture again as plain SVG."
        ).format(subject=subject)
    )


def _has_declaration(data: bytes) -> bool:
    if _DECLARATION.search(data):
        return True
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return bool(_DECLARATION_TEXT.search(data.decode("utf-16", "replace")))
    return False


def parse_svg(data: bytes, subject: str, notes: Notes) -> RawElement:
    if _has_declaration(data):
        raise _declaration_error(subject)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.namespace_prefixes = True
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[RawElement] = []
    roots: list[RawElement] = []
    count = 0

    def refuse(*_args: object) -> int:
        # Second line of defence, for encodings the byte scan cannot read (such as UTF-16 without a BOM).
        raise _declaration_error(subject)

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal count
        count += 1
        if count > MAX_SVG_ELEMENTS:
            too_many = _("{subject} has more than {most:,} elements; that is too complex.")
            raise ImageError(too_many.format(subject=subject, most=MAX_SVG_ELEMENTS))
        if len(stack) >= MAX_SVG_DEPTH:
            too_deep = _("{subject} nests elements more than {most} deep; that is too complex.")
            raise ImageError(too_deep.format(subject=subject, most=MAX_SVG_DEPTH))
        attrs = [(*_split_name(key), value) for key, value in attributes.items()]
        element = RawElement(*_split_name(name), attrs)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(_name: str) -> None:
        stack.pop()

    def text(content: str) -> None:
        if stack:
            stack[-1].children.append(content)

    def instruction(target: str, _data: str) -> None:
        # <?xml-stylesheet?> would load CSS from anywhere.
        notes.add(_("<?{target}?> processing instruction").format(target=target))

    def doctype(_name: str, _system: str | None, _public: str | None, internal_subset: int) -> None:
        if internal_subset:
            refuse()

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.NotationDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.ProcessingInstructionHandler = instruction
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        # Expat's own reason stays in English: it comes with the library.
        reason = expat.errors.messages.get(error.code) or _("invalid XML")
        not_xml = _(
            "{subject} is not a PNG, JPEG or SVG image: it is not well-formed XML"
            " ({reason} at line {line}, column {column})."
        )
        raise ImageError(
            not_xml.format(subject=subject, reason=reason, line=error.lineno, column=error.offset + 1)
        ) from None
    return roots[0]


def looks_like_xml(data: bytes) -> bool:
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) : 1024].decode(encoding, "ignore").lstrip().startswith("<")
    return data[:1024].decode("latin-1").lstrip().startswith("<")
