"""The designer's text is translatable: under a pseudo-translation every text it shows is translated.

The template is extracted from ``ui/designer`` by Qt's own ``pyside6-lupdate``,
as ``./dev i18n`` does, so a text shown unbracketed was either never wrapped or
wrapped where lupdate cannot read it (an f-string inside ``tr()``, a context
that is not the class's name): a real translation would miss it too. The
checklist's findings are the core's words (gettext), not checked here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.designer.checks import TIERS
from desktop.designer.document import BadgeMeta, Design
from desktop.dialects.base import Delivery
from desktop.dialects.capabilities import Capabilities
from desktop.i18n import PSEUDO_OPEN, PseudoTranslations, use_translation
from desktop.i18n import pseudo as pseudo_text
from tests.ui.test_designer import make_designer, new_draft, tasks  # noqa: F401  (a designer window, offscreen)
from ui.designer import BadgeDesigner
from ui.designer.controls import ColourButton
from ui.designer.family_dialog import FamilyDialog, tier_drafts
from ui.designer.metadata import tier_value
from ui.designer.session import server_notes
from ui.i18n import DATA_PROPERTY
from ui.i18n_catalog import UI_ROOT, PseudoTranslator, extract, messages, ui_sources

_WORDS = re.compile(r"[^\W\d_]{2,}")


@pytest.fixture(scope="module")
def designer_messages(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], bool]:
    template = tmp_path_factory.mktemp("i18n") / "designer.ts"
    extract(template, ui_sources(UI_ROOT / "designer"))
    return messages(template)


@pytest.fixture()
def pseudo(qapp: QApplication, designer_messages: dict[tuple[str, str], bool]) -> Iterator[None]:
    """The designer's messages and the core's pseudo-translated, for this test only."""
    translator = PseudoTranslator(designer_messages)
    QCoreApplication.installTranslator(translator)
    previous = use_translation(PseudoTranslations())
    yield
    use_translation(previous)
    QCoreApplication.removeTranslator(translator)


def shown_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every text of ``root`` a user reads or hears, but the user's data and the core's."""
    texts = [("window title", root.windowTitle())]
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.property(DATA_PROPERTY) or widget.objectName().startswith(("finding", "familyFinding")):
            continue
        where = f"{type(widget).__name__} {widget.objectName()!r}"
        texts += [(f"{where} name", widget.accessibleName()), (f"{where} tooltip", widget.toolTip())]
        if isinstance(widget, QLabel):
            texts.append((where, widget.text()))
        elif isinstance(widget, QAbstractButton) and not isinstance(widget, ColourButton):
            texts.append((where, widget.text()))  # a colour button shows its hex code
        elif isinstance(widget, QGroupBox):
            texts.append((where, widget.title()))
        elif isinstance(widget, QLineEdit | QPlainTextEdit):
            texts.append((f"{where} placeholder", widget.placeholderText()))
        elif isinstance(widget, QSpinBox):
            texts.append((where, widget.specialValueText()))
        elif isinstance(widget, QComboBox) and widget.objectName() in ("shapeCombo", "fillKind", "metaTier"):
            texts += [(f"{where} item", widget.itemText(index)) for index in range(widget.count())]
    for action in root.actions():
        texts += [(f"action {action.objectName()!r}", action.text()), ("", action.toolTip())]
        menu = action.menu()
        if isinstance(menu, QMenu):
            texts += [(f"menu {menu.objectName()!r}", item.text()) for item in menu.actions()]
    return [(where, text) for where, text in texts if _WORDS.search(text)]


def untranslated(root: QWidget) -> list[tuple[str, str]]:
    return [(where, text) for where, text in shown_texts(root) if not text.startswith(PSEUDO_OPEN)]


def test_every_text_of_the_designer_window_is_translated(
    pseudo: None,
    make_designer: Callable[..., BadgeDesigner],  # noqa: F811
    qtbot: QtBot,
    artifacts: Path,
) -> None:
    designer = make_designer()
    assert len(shown_texts(designer)) > 80
    assert untranslated(designer) == []
    # Undo and Redo name their step in the user's language too.
    designer.shape_combo.setCurrentIndex(designer.shape_combo.count() - 1)
    assert designer.undo_action.text() == pseudo_text("Undo {step}").format(step=pseudo_text("shape"))
    assert untranslated(designer) == []
    designer.undo()
    assert designer.status.text().startswith(PSEUDO_OPEN)
    qtbot.wait(10)  # the toolbar makes room for Undo's and Redo's new names
    # Text 30 % longer: the side columns (which never scroll sideways) widen to hold it, not cut it off.
    for column in designer.findChildren(QScrollArea):
        if column.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
            continue  # the size strip, which scrolls sideways on a small screen
        panel = column.widget()
        assert panel is not None
        assert column.viewport().width() >= panel.minimumSizeHint().width(), column.objectName()
    designer.grab().save(str(artifacts / "designer_pseudo.png"))


def test_every_text_of_the_family_dialog_is_translated(pseudo: None, qtbot: QtBot, artifacts: Path) -> None:
    dialog = FamilyDialog(Design(), BadgeMeta(title="Mentor"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert len(shown_texts(dialog)) > 10
    assert untranslated(dialog) == []
    dialog.grab().save(str(artifacts / "family_dialog_pseudo.png"))


def test_translated_names_are_shown_but_the_values_stay_as_stored(pseudo: None) -> None:
    # A tier typed or picked in the user's language is kept as its value.
    bronze = QCoreApplication.translate("MetadataPanel", "bronze")
    assert bronze != "bronze" and tier_value(bronze) == "bronze"
    assert tier_value("Platinum") == "Platinum"
    # The family's new badges: tiers kept as values, titles in the user's language.
    drafts = tier_drafts({tier: Design() for tier in TIERS}, BadgeMeta(title="Mentor"))
    assert [d.meta.tier for d in drafts] == list(TIERS)
    assert all(d.meta.title.startswith(PSEUDO_OPEN) and "Mentor" in d.meta.title for d in drafts)


def test_in_english_the_texts_read_as_before(make_designer: Callable[..., BadgeDesigner]) -> None:  # noqa: F811
    designer = make_designer(new_draft(meta=BadgeMeta(title="Mentor")))
    assert designer.windowTitle() == "Badge designer — Mentor[*]"
    assert [designer.shape_combo.itemText(i) for i in range(designer.shape_combo.count())] == [
        "Circle",
        "Shield",
        "Hexagon",
        "Star",
        "Ribbon",
        "Rounded square",
    ]
    assert [designer.tier_combo.itemText(i) for i in range(designer.tier_combo.count())] == [
        "",
        "bronze",
        "silver",
        "gold",
    ]
    assert [b.text() for b in designer.emblem_buttons.values()] == ["None", "Glyph", "Image"]
    designer.rings_spin.setValue(designer.rings_spin.value() + 1)
    assert designer.undo_action.text() == "Undo ring count"
    assert designer.undo_action.toolTip() == "Undo ring count (Ctrl+Z)"
    designer.undo()
    assert designer.status.text() == "Undone: ring count."
    assert designer.redo_action.toolTip() == "Redo ring count (Ctrl+Shift+Z or Ctrl+Y)"
    drafts = tier_drafts({tier: Design() for tier in TIERS}, BadgeMeta(title="Mentor"))
    assert [d.meta.title for d in drafts] == ["Mentor — Bronze", "Mentor — Silver", "Mentor — Gold"]


def test_the_notes_on_what_the_server_cannot_do_are_translated(pseudo: None) -> None:
    capabilities = Capabilities(
        kind="not-a-known-kind",
        changes_feed=False,
        requests=False,
        badge_editing=True,
        edit_conflicts=False,
        messages=False,
        award_messages=False,
        delivery=Delivery.IDEMPOTENT,
        batch_cap=1,
        local_drafts=True,
        local_award_messages=True,
    )
    notes = server_notes(capabilities, new_draft())
    assert len(notes) == 3
    assert all(note.startswith(PSEUDO_OPEN) for note in notes)
    # The server's kind, unknown here, is named in the user's language inside the note.
    assert pseudo_text("This server") in notes[0]
