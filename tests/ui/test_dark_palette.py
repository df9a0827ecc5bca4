"""Under a dark palette every status colour (errors, warnings, successes, banners) reads at 4.5:1 (WCAG AA).

The colours are read from the widgets as Qt polished them (a stylesheet's
``color`` and ``background`` end up in the widget's palette) and from the
item models' brushes, never from the constants the code uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QTableView, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from desktop.designer.checks import Finding
from desktop.dialects.capabilities import Capabilities
from tests.core.test_cache import badge
from tests.ports import SelfPorts
from tests.ui.test_designer import make_designer, tasks  # noqa: F401  (a designer window, offscreen)
from tests.ui.test_plain_text import window  # noqa: F401  (the main window on a small cache)
from ui.designer.checks import finding_label
from ui.designer.controls import error_label
from ui.designer.metadata import ConflictBanner, notes_banner
from ui.designer.toolbar import DesignerToolbar
from ui.designer.window import BadgeDesigner
from ui.groupcheck.group_check_dialog import GroupCheckDialog
from ui.outbox.batch_dialog import BatchDialog
from ui.review.keys import REVIEW_SHORTCUTS
from ui.review.model import ReviewGroupModel
from ui.review.request_card import RequestCard
from ui.shell.main_window import MainWindow
from ui.shortcuts.keymap import ShortcutMap
from ui.shortcuts.settings_dialog import ShortcutSettingsDialog
from ui.widgets.colours import follow_colour_scheme
from ui.widgets.load_failure import LoadFailure

AA = 4.5


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    )


def contrast(one: QColor, other: QColor) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_matches_wcag_examples() -> None:
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, value in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.Base, "#2b2b2b"),
        (QPalette.ColorRole.AlternateBase, "#323232"),
        (QPalette.ColorRole.Button, "#303134"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
        (QPalette.ColorRole.PlaceholderText, "#9aa0a6"),
    ):
        palette.setColor(role, QColor(value))
    return palette


def light_palette() -> QPalette:
    return QPalette(QColor("#efefef"))  # Qt derives the other roles from a light window colour


@pytest.fixture(autouse=True, params=["dark", "light"])
def page(qapp: QApplication, request: pytest.FixtureRequest) -> Iterator[str]:
    """Each test under a dark palette, and under a light one (the status colours must read on both)."""
    previous = qapp.palette()
    qapp.setPalette(dark_palette() if request.param == "dark" else light_palette())
    yield str(request.param)
    qapp.setPalette(previous)


def background_of(label: QWidget) -> QColor:
    """The colour behind a label: the nearest widget (itself or up) whose stylesheet paints one."""
    widget: QWidget | None = label
    while widget is not None:
        if "background" in widget.styleSheet():
            return widget.palette().color(widget.backgroundRole())
        widget = widget.parentWidget()
    return label.palette().color(QPalette.ColorRole.Window)


def coloured_labels(root: QWidget) -> list[QLabel]:
    """Every label whose stylesheet sets its text colour (the status lines and banners)."""
    labels = [root] if isinstance(root, QLabel) else []
    labels += root.findChildren(QLabel)
    return [label for label in labels if "color:" in label.styleSheet()]


def screenshot(widget: QWidget, artifacts: Path, name: str) -> None:
    """``artifacts/<name>_<page>_x<ratio>.png``: run with ``QT_SCALE_FACTOR=2`` for the HiDPI shots."""
    widget.grab().save(str(artifacts / f"{name}_x{widget.devicePixelRatioF():g}.png"))


def assert_readable(root: QWidget, at_least: int = 1) -> None:
    root.ensurePolished()
    labels = coloured_labels(root)
    assert len(labels) >= at_least, [label.objectName() for label in labels]
    poor = []
    for label in labels:
        label.ensurePolished()
        foreground = label.palette().color(label.foregroundRole())
        background = background_of(label)
        ratio = contrast(foreground, background)
        if ratio < AA:
            poor.append(f"{label.objectName()}: {foreground.name()} on {background.name()} = {ratio:.1f}:1")
    assert not poor, poor


def test_main_window_status_lines_read_on_a_dark_palette(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    artifacts: Path,
    page: str,
) -> None:
    for failure in window.findChildren(LoadFailure):
        failure.show_failure("The cache could not be read.")
    insecure = window.findChild(QLabel, "insecureHttp")
    assert insecure is not None
    insecure.show()
    assert_readable(window, at_least=3)
    screenshot(window, artifacts, f"main_window_{page}")
    tabs = window.findChild(QTabWidget)
    assert tabs is not None
    for index in range(tabs.count()):
        if "Review" in tabs.tabText(index):
            tabs.setCurrentIndex(index)
            pane = tabs.widget(index)
            assert pane is not None
            assert_readable(pane, at_least=2)
            screenshot(window, artifacts, f"review_queue_{page}")


def test_review_rows_needing_attention_read_on_a_dark_palette(qtbot: QtBot, window: MainWindow) -> None:  # noqa: F811
    views = [view for view in window.findChildren(QTableView) if isinstance(view.model(), ReviewGroupModel)]
    assert views
    view = views[0]
    model = view.model()
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10_000)
    brushes = [
        model.data(model.index(row, column), Qt.ItemDataRole.ForegroundRole)
        for row in range(model.rowCount())
        for column in range(model.columnCount())
    ]
    coloured = [brush.color() for brush in brushes if brush is not None]
    assert coloured, "a suspended member's pending request is flagged"
    base = view.palette().color(QPalette.ColorRole.Base)
    assert all(contrast(colour, base) >= AA for colour in coloured), [c.name() for c in coloured]


def test_review_card_reads_on_a_dark_palette(qtbot: QtBot) -> None:
    card = RequestCard()
    qtbot.addWidget(card)
    card.problem.setText("The badge is disabled.")
    card.show()
    assert_readable(card, at_least=2)


def test_batch_dialog_error_reads_on_a_dark_palette(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    artifacts: Path,
    page: str,
) -> None:
    dialog = BatchDialog(window.session, parent=window)
    qtbot.addWidget(dialog)
    dialog.error_label.setText("The file could not be read.")
    dialog.show()
    assert_readable(dialog)
    screenshot(dialog, artifacts, f"batch_dialog_{page}")


def test_group_check_dialog_notes_read_on_a_dark_palette(
    qtbot: QtBot,
    window: MainWindow,  # noqa: F811
    artifacts: Path,
    page: str,
) -> None:
    dialog = GroupCheckDialog(window.session, badge(1), Capabilities.of(SelfPorts()), parent=window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog._ready, timeout=10_000)
    dialog.error_label.setText("The group could not be read.")
    dialog.show()
    assert dialog.group_side_label.isVisible()
    assert not any(b.isEnabled() for b in (dialog.award_button, dialog.revoke_button, dialog.queue_button))
    assert_readable(dialog, at_least=2)
    screenshot(dialog, artifacts, f"group_check_{page}")


def test_designer_status_and_banners_read_on_a_dark_palette(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    parts: list[QWidget] = [
        error_label("designerError"),
        finding_label(Finding(True, "Emblem contrast 7:1"), "ok"),
        finding_label(Finding(False, "Banner text is cut off"), "warn"),
        notes_banner(),
        ConflictBanner(),
    ]
    for part in parts:
        part.setParent(host)
        part.show()
    host.show()
    assert_readable(host, at_least=5)


def test_the_designer_window_reads_on_a_dark_palette(
    qtbot: QtBot,
    make_designer: Callable[..., BadgeDesigner],  # noqa: F811
    artifacts: Path,
    page: str,
) -> None:
    designer = make_designer()
    designer.notes_banner.setText("The imported image could not be read; the glyph is shown instead.")
    designer.notes_banner.show()
    assert_readable(designer, at_least=3)
    # The checkerboard behind the badge's transparent corners is dark too, not a light slab.
    corner = designer.canvas.grab().toImage().pixelColor(20, 20)
    assert (corner.lightnessF() < 0.3) == (page == "dark"), corner.name()
    screenshot(designer, artifacts, f"designer_{page}")


def icon_contrast(icon: QIcon) -> float:
    """The icon's strongest contrast against the palette's button colour, read from its pixels."""
    assert not icon.isNull()
    image = icon.pixmap(32, 32).toImage()
    opaque = [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    ]
    assert opaque
    button = QApplication.palette().color(QPalette.ColorRole.Button)
    return max(contrast(colour, button) for colour in opaque)


def test_designer_toolbar_icons_are_coloured_from_the_palette(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    toolbar = DesignerToolbar(owner)
    qtbot.addWidget(toolbar)
    for action in (toolbar.undo_action, toolbar.save_action, toolbar.family_action):
        assert icon_contrast(action.icon()) >= AA, action.text()


def test_status_colours_follow_a_switch_to_dark_while_running(qtbot: QtBot, qapp: QApplication) -> None:
    qapp.setPalette(light_palette())
    follower = follow_colour_scheme(qapp)
    try:
        host = QWidget()
        qtbot.addWidget(host)
        failure = LoadFailure(host)
        failure.show_failure("The cache could not be read.")
        for part in (notes_banner(), ConflictBanner()):
            part.setParent(host)
            part.show()
        toolbar = DesignerToolbar(host)
        toolbar.setParent(host)
        host.show()
        assert_readable(host, at_least=3)
        assert icon_contrast(toolbar.undo_action.icon()) >= AA
        qapp.setPalette(dark_palette())
        qtbot.waitUntil(
            lambda: failure.text.palette().color(failure.text.foregroundRole()).lightnessF() > 0.5
        )
        assert_readable(host, at_least=3)
        assert icon_contrast(toolbar.undo_action.icon()) >= AA
    finally:
        qapp.removeEventFilter(follower)
        follower.deleteLater()


def test_the_shortcut_conflict_warning_reads_on_a_dark_palette(qtbot: QtBot) -> None:
    shortcuts = ShortcutMap(REVIEW_SHORTCUTS)
    dialog = ShortcutSettingsDialog(shortcuts)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.warning.setText("“D” is already Deny.")
    assert_readable(dialog.warning)
