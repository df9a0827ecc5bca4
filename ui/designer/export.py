"""Export the badge being designed: transparent PNGs (600 px and the sizes chosen) or a square SVG."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from desktop.designer.document import Design
from desktop.designer.render import render_svg
from ui.designer.canvas import CANVAS_SIZE
from ui.designer.host import DesignerHost
from ui.widgets import rendering

#: The PNG sizes the Export PNG menu offers besides 600 px.
EXPORT_SIZES = (256, 128, 64, 32)


def write_pngs(design: Design, directory: Path, stem: str, sizes: Sequence[int]) -> list[Path]:
    """Write ``<stem>-600.png`` and ``<stem>-<size>.png`` for each size; transparent backgrounds.

    Raises :class:`OSError` with a message for the user.
    """
    svg = render_svg(design, embed_design=False)
    written = []
    for size in dict.fromkeys((CANVAS_SIZE, *sizes)):
        path = directory / f"{stem}-{size}.png"
        rendering.export_png(svg, size, path)
        written.append(path)
    return written


def write_svg(design: Design, path: Path) -> None:
    """The badge as SVG (square, 600 px, its layers inside so BadgeDesk can reopen them)."""
    rendering.export_svg(render_svg(design, size=CANVAS_SIZE), path)


def export_png(host: DesignerHost, stem: str, sizes: Sequence[int]) -> None:
    """Ask where, then write the PNGs; the status line says what was written or why not."""
    path = host.choose_save_path(
        QCoreApplication.translate("DesignerExport", "Export PNG"),
        QCoreApplication.translate("DesignerExport", "PNG images (*.png)"),
        f"{stem}.png",
    )
    if path is None:
        return
    stem = path.stem.removesuffix(f"-{CANVAS_SIZE}")
    try:
        written = write_pngs(host.document.design, path.parent, stem, sizes)
    except OSError as error:
        host.show_status(str(error), error=True)
        return
    text = QCoreApplication.translate("DesignerExport", "Exported {files} to {folder}.")
    host.show_status(text.format(files=", ".join(p.name for p in written), folder=path.parent))


def export_svg(host: DesignerHost, stem: str) -> None:
    """Ask where, then write the SVG; the status line says what was written or why not."""
    path = host.choose_save_path(
        QCoreApplication.translate("DesignerExport", "Export SVG"),
        QCoreApplication.translate("DesignerExport", "SVG images (*.svg)"),
        f"{stem}.svg",
    )
    if path is None:
        return
    if not path.suffix:
        path = path.with_suffix(".svg")
    try:
        write_svg(host.document.design, path)
    except OSError as error:
        host.show_status(str(error), error=True)
        return
    text = QCoreApplication.translate("DesignerExport", "Exported {files} to {folder}.")
    host.show_status(text.format(files=path.name, folder=path.parent))
