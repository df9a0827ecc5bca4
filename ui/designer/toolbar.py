"""The designer's toolbar: save, undo and redo (named after the step they take), export, make family."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar, QToolButton, QWidget

from desktop.designer.document import BadgeDocument
from ui.designer.canvas import CANVAS_SIZE
from ui.designer.controls import icon_action, set_enabled
from ui.designer.export import EXPORT_SIZES
from ui.i18n import format_number


class DesignerToolbar(QToolBar):
    """The actions of one designer window; the window connects what they do. GUI thread only.

    The actions belong to ``window``: Save, Undo and Redo are its shortcuts
    wherever the focus is in it.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Designer"))
        self.setObjectName("designerToolbar")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIconSize(QSize(16, 16))
        self.undo_action = icon_action("fa6s.rotate-left", self.tr("Undo"), window)
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = icon_action("fa6s.rotate-right", self.tr("Redo"), window)
        self.redo_action.setObjectName("redoAction")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.save_action = icon_action("fa6s.floppy-disk", self.tr("Save"), window)
        self.save_action.setObjectName("saveAction")
        self.save_action.setShortcut(QKeySequence("Ctrl+S"))
        self.save_action.setToolTip(self.tr("Save the badge (Ctrl+S); it is sent with the outbox"))
        # Shown only where the server keeps no drafts: a saved draft stays here until this.
        self.publish_action = icon_action("fa6s.upload", self.tr("Publish"), window)
        self.publish_action.setObjectName("publishAction")
        self.publish_action.setToolTip(
            self.tr(
                "Save the badge and create it on the server, published (members see it); it is sent"
                " with the outbox"
            )
        )
        self.publish_action.setVisible(False)
        self.export_png_action = icon_action("fa6s.file-image", self.tr("Export PNG…"), window)
        self.export_png_action.setObjectName("exportPngAction")
        self.size_actions: dict[int, QAction] = {}
        sizes_menu = QMenu(window)
        sizes_menu.setObjectName("exportSizesMenu")
        sizes_menu.addSection(self.tr("Always {size} px, and also:").format(size=format_number(CANVAS_SIZE)))
        for size in EXPORT_SIZES:
            action = sizes_menu.addAction(self.tr("{size} × {size} px").format(size=format_number(size)))
            action.setCheckable(True)
            action.setChecked(size in (128, 64))
            self.size_actions[size] = action
        self.export_png_action.setMenu(sizes_menu)
        self.export_svg_action = icon_action("fa6s.file-code", self.tr("Export SVG…"), window)
        self.export_svg_action.setObjectName("exportSvgAction")
        self.family_action = icon_action("fa6s.layer-group", self.tr("Make family…"), window)
        self.family_action.setObjectName("familyAction")
        self.family_action.setToolTip(self.tr("Make bronze, silver and gold badges from this design"))
        # Not on the toolbar: Ctrl+W (and the platform's Close key) closes the window, which
        # asks about unsaved changes first; so does Esc, as in a dialog.
        self.close_action = QAction(self.tr("Close"), window)
        self.close_action.setObjectName("closeAction")
        close_keys = [QKeySequence("Ctrl+W"), QKeySequence("Esc")]
        # Each key once: a key bound twice is ambiguous and does nothing.
        close_keys += [
            k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Close) if k not in close_keys
        ]
        self.close_action.setShortcuts(close_keys)
        # Toolbar buttons take no focus: every action has a key of its own.
        self.publish_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.export_png_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_svg_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.family_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        for action in (
            self.undo_action,
            self.redo_action,
            self.save_action,
            self.publish_action,
            self.export_png_action,
            self.export_svg_action,
            self.family_action,
            self.close_action,
        ):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(action)
        self.addAction(self.save_action)
        self.addAction(self.publish_action)
        self.addSeparator()
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        self.addSeparator()
        self.addAction(self.export_png_action)
        png_button = self.widgetForAction(self.export_png_action)
        if isinstance(png_button, QToolButton):
            png_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.addAction(self.export_svg_action)
        self.addSeparator()
        self.addAction(self.family_action)

    def export_sizes(self) -> list[int]:
        """The extra PNG sizes ticked in the Export PNG menu (600 px is always written)."""
        return [size for size, action in self.size_actions.items() if action.isChecked()]

    def show_history(self, document: BadgeDocument) -> None:
        """Undo and Redo name the step they would take, and are off when there is none."""
        undo, redo = document.undo_label, document.redo_label
        for action, text, label in (
            (self.undo_action, self.tr("Undo {step}").format(step=undo) if undo else self.tr("Undo"), undo),
            (self.redo_action, self.tr("Redo {step}").format(step=redo) if redo else self.tr("Redo"), redo),
        ):
            if action.text() != text:
                action.setText(text)
                action.setToolTip(self.tr("{action} ({keys})").format(action=text, keys=self._keys(action)))
            set_enabled(action, label is not None)

    def _keys(self, action: QAction) -> str:
        """The action's keys as the platform writes them: "Ctrl+Shift+Z or Ctrl+Y"."""
        names = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
        keys = names[0] if names else ""
        for name in names[1:]:
            keys = self.tr("{keys} or {key}").format(keys=keys, key=name)
        return keys
