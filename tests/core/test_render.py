"""Rendering a design to SVG: structure, layers, banner fit, images, and no outside references (no Qt)."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from typing import Any

import pytest

from desktop.designer import glyphs
from desktop.designer.document import Banner, Design, Emblem, EmblemKind, Fill, FillKind, Frame, Shape
from desktop.designer.drafts import design_from_svg
from desktop.designer.images import ImportedImage, load_image
from desktop.designer.render import Rendered, banner_box, changed_span, render, render_svg
from tests.core.test_design_document import png, png_image, svg_image

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

HOSTILE_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
    b"<script>alert(1)</script>"
    b'<defs><linearGradient id="sky"><stop offset="0" stop-color="#3366cc"/></linearGradient></defs>'
    b'<rect id="face" width="10" height="10" fill="url(#sky)" onclick="alert(2)"/>'
    b'<use xlink:href="#face"/>'
    b'<image href="http://evil.example/track.png" width="5" height="5"/>'
    b'<a xlink:href="https://evil.example/"><circle cx="5" cy="5" r="2" fill="#ffffff"/></a></svg>'
)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def paths(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{SVG}path"))


def with_banner(text: str, **changes: Any) -> Design:
    return Design(banner=replace(Banner(text=text), **changes))


def image_design(picture: ImportedImage) -> Design:
    return Design(emblem=Emblem(kind=EmblemKind.IMAGE, image=picture))


def without_namespace_declarations(svg: str) -> str:
    return re.sub(r'\sxmlns(?::\w+)?="[^"]*"', "", svg)


def test_the_root_is_an_svg_with_the_canvas_view_box_and_the_asked_size() -> None:
    root = parse(render(Design(), size=256).svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 600 600"
    assert root.get("width") == root.get("height") == "256"

    bare = parse(render_svg(Design()))
    assert bare.get("viewBox") == "0 0 600 600"
    assert bare.get("width") is None and bare.get("height") is None


def test_every_shape_renders_its_own_outline() -> None:
    outlines = {}
    for shape in Shape:
        root = parse(render_svg(Design(shape=shape)))
        outlines[shape] = paths(root)[0].get("d")  # the face comes first
    assert len(set(outlines.values())) == len(Shape)
    assert all(outlines.values())


@pytest.mark.parametrize("rings", [0, 1, 2, 3])
def test_each_ring_is_one_stroked_path(rings: int) -> None:
    design = Design(frame=Frame(rings=rings, colour="#00ff00", width=10.0))
    root = parse(render_svg(design))
    ring_paths = [p for p in paths(root) if p.get("stroke") == "#00ff00" and p.get("fill") == "none"]
    assert len(ring_paths) == rings
    assert all(p.get("stroke-width") == "10" for p in ring_paths)
    assert len({p.get("d") for p in ring_paths}) == rings  # nested, not drawn on top of each other


@pytest.mark.parametrize(
    "fill",
    [
        Fill(FillKind.SOLID, "#123456"),
        Fill(FillKind.LINEAR, "#123456", "#abcdef", 0),
        Fill(FillKind.RADIAL, "#123456", "#abcdef"),
    ],
)
def test_the_face_is_painted_with_the_fill(fill: Fill) -> None:
    root = parse(render_svg(Design(fill=fill)))
    face = paths(root)[0].get("fill")
    if fill.kind is FillKind.SOLID:
        assert face == "#123456"
        return
    assert face == "url(#bd-fill)"
    tag = "linearGradient" if fill.kind is FillKind.LINEAR else "radialGradient"
    gradient = root.find(f".//{SVG}{tag}[@id='bd-fill']")
    assert gradient is not None
    assert [s.get("stop-color") for s in gradient.iter(f"{SVG}stop")] == ["#123456", "#abcdef"]


@pytest.mark.parametrize("text", ["", "   "])
def test_no_banner_without_text(text: str) -> None:
    rendered = render(with_banner(text, background="#123456", colour="#654321"))
    assert rendered.banner is None
    fills = {element.get("fill") for element in parse(rendered.svg).iter()}
    assert "#123456" not in fills and "#654321" not in fills


@pytest.mark.parametrize(
    "text",
    [
        "Hi",
        "Champion",
        "Conference speaker 2026",
        "A much longer banner text that has to go on two lines",
        "Supercalifragilisticexpialidocious" * 2,  # 60 letters, no space to wrap at
        "W" * 60,
    ],
)
@pytest.mark.parametrize("background", ["#8a1c1c", ""])
def test_the_banner_text_always_stays_inside_its_box(text: str, background: str) -> None:
    text = text[:60]
    rendered = render(with_banner(text, background=background, colour="#f0f0f0"))
    layout = rendered.banner
    assert layout is not None
    box = banner_box()
    assert box.contains(layout.bounds), (layout.bounds, box)
    text_paths = [p for p in paths(parse(rendered.svg)) if p.get("fill") == "#f0f0f0"]
    assert [p.get("d") for p in text_paths] == [layout.path]
    band = [p for p in paths(parse(rendered.svg)) if p.get("fill") == background]
    assert len(band) == (1 if background else 0)


def test_a_short_banner_reads_well_and_a_very_long_one_warns() -> None:
    short = render(with_banner("Hi")).banner
    assert short is not None
    assert (short.lines, short.truncated, short.warning) == (("Hi",), False, None)

    long = render(with_banner("Supercalifragilisticexpialidocious" * 2)).banner
    assert long is not None
    assert long.truncated
    assert long.warning and "Shorten it" in long.warning
    assert long.size < short.size


def test_the_glyph_is_a_path_filled_with_the_emblem_colour() -> None:
    design = Design(emblem=Emblem(glyph="fa6s.trophy", colour="#abcdef"))
    glyph_paths = [p for p in paths(parse(render_svg(design))) if p.get("transform")]
    assert len(glyph_paths) == 1
    assert glyph_paths[0].get("fill") == "#abcdef"
    assert glyph_paths[0].get("d") == glyphs.glyph_outline("fa6s.trophy").path

    star = [p for p in paths(parse(render_svg(Design()))) if p.get("transform")]
    assert star[0].get("d") != glyph_paths[0].get("d")


def test_no_emblem_draws_no_glyph_or_image() -> None:
    root = parse(render_svg(Design(emblem=Emblem(kind=EmblemKind.NONE))))
    assert [p for p in paths(root) if p.get("transform")] == []
    assert root.find(f".//{SVG}image") is None


def test_a_larger_emblem_draws_larger() -> None:
    def scale(design: Design) -> float:
        [glyph] = [p for p in paths(parse(render_svg(design))) if p.get("transform")]
        match = re.search(r"scale\(([\d.]+)\)", glyph.get("transform") or "")
        assert match
        return float(match[1])

    assert scale(Design(emblem=Emblem(scale=0.9))) > scale(Design(emblem=Emblem(scale=0.4)))


@pytest.mark.parametrize(
    "design",
    [
        Design(),
        with_banner("Ten-year club", background=""),
        Design(shape=Shape.RIBBON, frame=Frame(rings=3), fill=Fill(FillKind.RADIAL, "#ffd95a", "#c48a00")),
        image_design(png_image()),
        image_design(svg_image()),
    ],
    ids=["default", "banner", "ribbon", "png", "svg"],
)
def test_the_design_travels_inside_the_svg(design: Design) -> None:
    svg = render_svg(design)
    assert design_from_svg(svg.encode()) == design
    assert design_from_svg(render_svg(design, embed_design=False).encode()) is None


def test_an_svg_emblem_is_embedded_clean_with_prefixed_ids() -> None:
    picture = load_image(HOSTILE_SVG, "hostile.svg")
    svg = render_svg(image_design(picture), embed_design=False)
    lowered = without_namespace_declarations(svg).lower()
    assert "script" not in lowered
    assert "http" not in lowered
    assert "onclick" not in lowered
    root = parse(svg)
    assert root.find(f".//{SVG}image") is None
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    assert {"bd-fill", "bd-sheen"} <= ids
    assert ids - {"bd-fill", "bd-sheen"} == {"bd-img-sky", "bd-img-face"}
    uses = list(root.iter(f"{SVG}use"))
    assert [u.get(XLINK_HREF) for u in uses] == ["#bd-img-face"]
    [face] = [e for e in root.iter(f"{SVG}rect") if e.get("id") == "bd-img-face"]
    assert face.get("fill") == "url(#bd-img-sky)"


def test_a_png_emblem_is_a_data_uri_image() -> None:
    root = parse(render_svg(image_design(png_image())))
    [image] = list(root.iter(f"{SVG}image"))
    href = image.get(XLINK_HREF)
    assert href == image.get("href")
    assert href is not None and href.startswith("data:image/png;base64,")
    assert base64.b64decode(href.split(",", 1)[1]) == png()
    assert float(image.get("width") or 0) == pytest.approx(float(image.get("height") or 0))


def test_a_wide_picture_keeps_its_aspect_ratio() -> None:
    root = parse(render_svg(image_design(load_image(png(4, 2)))))
    [image] = list(root.iter(f"{SVG}image"))
    assert float(image.get("width") or 0) == pytest.approx(2 * float(image.get("height") or 0), abs=0.02)


@pytest.mark.parametrize(
    "design",
    [
        Design(),
        with_banner("Champion"),
        image_design(png_image()),
        image_design(load_image(HOSTILE_SVG)),
    ],
    ids=["glyph", "banner", "png", "svg"],
)
def test_nothing_outside_the_svg_is_referenced(design: Design) -> None:
    svg = render_svg(design)
    assert "http" not in without_namespace_declarations(svg)
    for element in parse(svg).iter():
        for name, value in element.attrib.items():
            if name.endswith("href"):
                assert value.startswith(("#", "data:image/")), (name, value)
            assert "url(" not in value or value.startswith("url(#"), (name, value)


def test_rendering_is_deterministic() -> None:
    design = Design(
        shape=Shape.SHIELD,
        fill=Fill(FillKind.LINEAR, "#223344", "#8899aa", 33),
        frame=Frame(rings=2, colour="#eeeeee", width=11.0),
        banner=Banner("Mentor of the year", "#ffffff", "#5a1a1a"),
        emblem=Emblem(glyph="fa6s.trophy", colour="#f5f5f5", scale=0.55),
    )
    first = render_svg(design, size=128)
    assert render_svg(design, size=128) == first
    assert render_svg(Design.loads(design.dumps()), size=128) == first
    picture = image_design(svg_image())
    assert render_svg(picture) == render_svg(picture)


def test_the_layers_stack_up_to_the_svg_and_each_holds_its_own_parts() -> None:
    design = Design(
        frame=Frame(rings=2, width=12),
        banner=Banner(text="Helper"),
        emblem=Emblem(glyph="fa6s.star", colour="#ffd700"),
    )
    rendered = render(design, embed_design=False)
    face, frame, edge, emblem, banner = rendered.layers
    assert rendered.layer_svg(0, 5) == rendered.svg
    rings = paths(parse(rendered.layer_svg(1, 2)))
    assert [ring.get("stroke-width") for ring in rings] == ["12", "12"]
    assert all(ring.get("d", "?") in frame for ring in rings)
    assert 'fill="url(#bd-fill)"' in face and "stroke" not in face
    assert 'stroke-width="3"' in edge
    assert 'fill="#ffd700"' in emblem and "#ffd700" not in banner
    # Each layer alone is a whole SVG with the definitions it refers to.
    alone = parse(rendered.layer_svg(0, 1))
    assert alone.get("viewBox") == "0 0 600 600"
    assert {g.get("id") for g in alone.iter(f"{SVG}linearGradient")} >= {"bd-fill", "bd-sheen"}
    # A wider ring changes the frame and the emblem (less room inside), nothing else.
    wider = render(replace(design, frame=Frame(rings=2, width=20)), embed_design=False)
    changed = [n for n, (a, b) in enumerate(zip(rendered.layers, wider.layers, strict=True)) if a != b]
    assert changed == [1, 3]


def test_a_kept_image_is_one_layer() -> None:
    design = Design(emblem=Emblem(kind=EmblemKind.IMAGE, image=png_image()), kept_image=True)
    rendered = render(design, embed_design=False)
    assert len(rendered.layers) == 1
    assert rendered.layer_svg(0, 1) == rendered.svg


def test_the_changed_span_covers_each_changed_layer_and_each_user_of_a_changed_gradient() -> None:
    design = Design(
        fill=Fill(FillKind.LINEAR, "#2e8b57", "#174d30", 60),
        frame=Frame(rings=2, width=12),
        banner=Banner(text="Helper"),
    )
    before = render(design, embed_design=False)

    def span(**changes: Any) -> tuple[int, int]:
        return changed_span(before, render(replace(design, **changes), embed_design=False))

    # Face, frame, edge, emblem, banner.
    assert span(frame=Frame(rings=2, width=20)) == (1, 4)
    assert span(emblem=replace(design.emblem, scale=0.4)) == (3, 4)
    assert span(banner=replace(design.banner, text="Host")) == (4, 5)
    # Only the gradient's definition differs: the face, which fills with it, is drawn again.
    assert span(fill=replace(design.fill, angle=120)) == (0, 1)
    assert span(fill=replace(design.fill, colour="#000000")) == (0, 1)
    assert span(frame=replace(design.frame, colour="#000000")) == (1, 3)  # the edge is a darker ring
    assert span() == (0, 5)
    kept = render(Design(emblem=Emblem(kind=EmblemKind.IMAGE, image=png_image()), kept_image=True))
    assert changed_span(before, kept) == (0, 1)
    assert changed_span(kept, before) == (0, 5)


def test_a_definition_inheriting_a_changed_one_marks_its_users_changed() -> None:
    fill = '<linearGradient id="fill" xlink:href="#stops"/>'
    before = Rendered(
        svg="",
        banner=None,
        defs=('<linearGradient id="stops"><stop offset="0" stop-color="#000"/></linearGradient>', fill),
        layers=('<path fill="url(#fill)"/>', "<circle/>", "<rect fill=\"url('#stops')\"/>"),
    )
    after = replace(
        before,
        defs=('<linearGradient id="stops"><stop offset="0" stop-color="#fff"/></linearGradient>', fill),
    )
    # The face fills with "fill", which takes its stops from the changed "stops"; the last layer names
    # "stops" in quotes.
    assert changed_span(before, after) == (0, 3)
    assert changed_span(before, replace(after, layers=(*before.layers[:2], "<rect/>"))) == (0, 3)
    only_face = replace(after, layers=(before.layers[0], "<circle/>", "<rect/>"))
    assert changed_span(replace(before, layers=only_face.layers), only_face) == (0, 1)
