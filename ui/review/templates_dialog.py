"""Editing the deny / return reason templates.

The list on the left shows every template labelled by its decision
("Deny · Criteria not met"); the editor on the right changes the selected one
and previews the message a member would receive, with sample values. The
dialog edits a copy: nothing changes until OK, and OK stays disabled while any
template is invalid. The caller stores :meth:`DecisionTemplatesDialog.templates`
(see :func:`desktop.decision_templates.templates_to_settings`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import placeholders
from desktop.decision_templates import (
    DECISION_NAMES,
    DEFAULT_TEMPLATES,
    PLACEHOLDERS,
    DecisionTemplate,
    TemplateError,
    label,
    new_template_id,
    render_message,
    validate,
)
from desktop.domain import Decision
from ui.widgets.colours import set_status_style, text_style
from ui.widgets.keyboard import no_tab_trap
from ui.widgets.text import plain_label, plain_tooltip


def sample_values() -> dict[str, str]:
    """The values the preview fills in (the reason is the template's own), in the user's language."""
    return {
        "member": QCoreApplication.translate("DecisionTemplatesDialog", "Jane Doe"),
        "badge": QCoreApplication.translate("DecisionTemplatesDialog", "Conference Speaker"),
        "community": QCoreApplication.translate("DecisionTemplatesDialog", "Sandbox Community"),
        "moderator": QCoreApplication.translate("DecisionTemplatesDialog", "Alice Moderator"),
    }


def new_message() -> str:
    """A new template's message; its placeholders are the message's own syntax, filled when sent."""
    return QCoreApplication.translate(
        "DecisionTemplatesDialog", "Hi {member},\n\n{reason}\n\n— {moderator}, {community}"
    )


def _error_of(template: DecisionTemplate) -> str | None:
    try:
        validate(template)
    except TemplateError as error:
        return str(error)
    return None


def _plain_label(text: str = "", name: str = "") -> QLabel:
    return plain_label(text, name=name, wrap=True)


class DecisionTemplatesDialog(QDialog):
    """Lives on the GUI thread."""

    def __init__(self, templates: Sequence[DecisionTemplate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionTemplatesDialog")
        self.setWindowTitle(self.tr("Reason templates"))
        self.resize(940, 620)
        self._items: list[DecisionTemplate] = list(templates)
        self._errors: list[str | None] = []
        self._loading = False

        self.list = QListWidget()
        self.list.setObjectName("templateList")
        no_tab_trap(self.list)
        self.list.setAccessibleName(self.tr("Templates"))
        self.list.currentRowChanged.connect(self._show_current)
        self.add_button = QPushButton(self.tr("&Add"))
        self.add_button.setObjectName("templateAdd")
        self.add_button.setToolTip(self.tr("Add a template (Ctrl+N)"))
        self.add_button.clicked.connect(self.add_template)
        self.duplicate_button = QPushButton(self.tr("D&uplicate"))
        self.duplicate_button.setObjectName("templateDuplicate")
        self.duplicate_button.clicked.connect(self.duplicate_template)
        self.remove_button = QPushButton(self.tr("Re&move"))
        self.remove_button.setObjectName("templateRemove")
        self.remove_button.setToolTip(self.tr("Remove the selected template (Del in the list)"))
        self.remove_button.clicked.connect(self.remove_template)
        self.restore_button = QPushButton(self.tr("Restore &defaults"))
        self.restore_button.setObjectName("templateRestoreDefaults")
        self.restore_button.setToolTip(
            self.tr("Replace every template with the built-in ones (Cancel undoes it)")
        )
        self.restore_button.clicked.connect(self.restore_defaults)

        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("templateTitle")
        self.title_edit.setPlaceholderText(self.tr("What moderators pick it by, e.g. “Criteria not met”"))
        self.decision_combo = QComboBox()
        self.decision_combo.setObjectName("templateDecision")
        self.decision_combo.setAccessibleName(self.tr("Template for decision"))
        for decision in DECISION_NAMES:
            self.decision_combo.addItem(self._decision_name(decision), decision.value)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("templateReason")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(self.tr("Short; moderators see it in the audit log."))
        self.reason_edit.setMaximumHeight(70)
        self.message_edit = QPlainTextEdit()
        self.message_edit.setObjectName("templateMessage")
        self.message_edit.setTabChangesFocus(True)
        self.message_edit.setPlaceholderText(self.tr("What the member receives (optional)."))
        # Braces here are the messages' syntax, shown as they are: only {names} is filled (no format()).
        hint = self.tr(
            "Placeholders: {names}. {reason} is the final reason: the template's,"
            " then what the moderator adds. Write {{ and }} for literal braces."
        )
        names = " ".join(f"{{{name}}}" for name in PLACEHOLDERS)
        self.placeholders_label = _plain_label(hint.replace("{names}", names), "templatePlaceholders")
        self.insert_button = QToolButton()
        self.insert_button.setObjectName("templateInsertPlaceholder")
        self.insert_button.setText(self.tr("Insert"))
        self.insert_button.setToolTip(self.tr("Insert a placeholder into the message at the cursor"))
        self.insert_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        insert_menu = QMenu(self.insert_button)
        for name in PLACEHOLDERS:
            insert_menu.addAction(f"{{{name}}}", partial(self.insert_placeholder, name))
        self.insert_button.setMenu(insert_menu)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("templatePreview")
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName(self.tr("Preview of the message"))
        self.error_label = _plain_label(name="templateError")
        set_status_style(self.error_label, text_style("error"))
        self.error_label.setVisible(False)

        self.title_edit.textChanged.connect(self._edited)
        self.decision_combo.currentIndexChanged.connect(self._edited)
        self.reason_edit.textChanged.connect(self._edited)
        self.message_edit.textChanged.connect(self._edited)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("templateButtons")
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok_button is not None
        self.ok_button = ok_button
        self.ok_button.setObjectName("templateOk")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.duplicate_button)
        row.addWidget(self.remove_button)
        left_layout.addLayout(row)
        left_layout.addWidget(self.restore_button)

        self.editor = QWidget()
        self.editor.setObjectName("templateEditor")
        form = QFormLayout(self.editor)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self._buddy(self.tr("&Title"), self.title_edit), self.title_edit)
        form.addRow(self._buddy(self.tr("D&ecision"), self.decision_combo), self.decision_combo)
        form.addRow(self._buddy(self.tr("&Reason"), self.reason_edit), self.reason_edit)
        form.addRow(self._buddy(self.tr("Me&ssage"), self.message_edit), self.message_edit)
        hint_row = QHBoxLayout()
        hint_row.addWidget(self.placeholders_label, 1)
        hint_row.addWidget(self.insert_button, 0, Qt.AlignmentFlag.AlignTop)
        form.addRow("", hint_row)
        form.addRow(self._buddy(self.tr("&Preview"), self.preview), self.preview)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("templatesSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 640])

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        QShortcut(QKeySequence("Ctrl+N"), self, self.add_template)
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list, self.remove_template)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)

        self._rebuild(select=0)
        self.list.setFocus()

    # -- public -------------------------------------------------------------------------------------

    def templates(self) -> list[DecisionTemplate]:
        """The edited templates, in the list's order."""
        return list(self._items)

    def is_valid(self) -> bool:
        return not any(self._errors)

    def accept(self) -> None:
        # Enter in a field may reach here even while OK is disabled.
        if self.is_valid():
            super().accept()

    def add_template(self) -> None:
        current = self._current()
        decision = current.decision if current and current.decision in DECISION_NAMES else Decision.DENY
        self._insert(
            DecisionTemplate(new_template_id(), decision, self.tr("New template"), "", new_message())
        )
        self.title_edit.setFocus()
        self.title_edit.selectAll()

    def duplicate_template(self) -> None:
        current = self._current()
        if current is None:
            return
        title = self.tr("{title} (copy)").format(title=current.title.strip())
        self._insert(dataclasses.replace(current, id=new_template_id(), title=title))
        self.title_edit.setFocus()
        self.title_edit.selectAll()

    def remove_template(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        del self._items[row]
        self._rebuild(select=min(row, len(self._items) - 1))
        self.list.setFocus()

    def restore_defaults(self) -> None:
        self._items = list(DEFAULT_TEMPLATES)
        self._rebuild(select=0)

    def insert_placeholder(self, name: str) -> None:
        self.message_edit.insertPlainText(f"{{{name}}}")
        self.message_edit.setFocus()

    # -- internals ----------------------------------------------------------------------------------

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        buddy = QLabel(text)
        buddy.setBuddy(widget)
        return buddy

    def _decision_name(self, decision: Decision) -> str:
        """A template's decision as the combo names it; the stored value stays the identifier."""
        names = {Decision.DENY: self.tr("Deny"), Decision.RETURN: self.tr("Return")}
        return names.get(decision, DECISION_NAMES.get(decision, decision.value.title()))

    def _label(self, template: DecisionTemplate) -> str:
        """How the list shows a template: "Deny · Criteria not met"."""
        title = template.title if template.title.strip() else self.tr("(no title)")
        if template.decision is Decision.DENY:
            return self.tr("Deny · {title}").format(title=title)
        if template.decision is Decision.RETURN:
            return self.tr("Return · {title}").format(title=title)
        return label(dataclasses.replace(template, title=title))

    def _current(self) -> DecisionTemplate | None:
        row = self.list.currentRow()
        return self._items[row] if 0 <= row < len(self._items) else None

    def _insert(self, template: DecisionTemplate) -> None:
        row = self.list.currentRow() + 1 if self._items else 0
        self._items.insert(row, template)
        self._rebuild(select=row)

    def _rebuild(self, *, select: int) -> None:
        self._errors = [_error_of(t) for t in self._items]
        self._loading = True
        try:
            self.list.clear()
            for index in range(len(self._items)):
                item = QListWidgetItem()
                self.list.addItem(item)
                self._decorate(index, item)
        finally:
            self._loading = False
        if self._items:
            self.list.setCurrentRow(max(0, min(select, len(self._items) - 1)))
        self._show_current()

    def _decorate(self, index: int, item: QListWidgetItem) -> None:
        template, error = self._items[index], self._errors[index]
        item.setText(self._label(template))
        if error:
            item.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            item.setToolTip(plain_tooltip(error))
        else:
            item.setIcon(QIcon())
            item.setToolTip("")

    def _show_current(self) -> None:
        if self._loading:
            return
        current = self._current()
        self._loading = True
        try:
            self.editor.setEnabled(current is not None)
            self.title_edit.setText(current.title if current else "")
            self.decision_combo.setCurrentIndex(
                self.decision_combo.findData(current.decision.value) if current else -1
            )
            self.reason_edit.setPlainText(current.reason if current else "")
            self.message_edit.setPlainText(current.message if current else "")
        finally:
            self._loading = False
        self.duplicate_button.setEnabled(current is not None)
        self.remove_button.setEnabled(current is not None)
        self._refresh()

    def _edited(self) -> None:
        row = self.list.currentRow()
        if self._loading or not 0 <= row < len(self._items):
            return
        value = self.decision_combo.currentData()
        updated = dataclasses.replace(
            self._items[row],
            title=self.title_edit.text(),
            decision=Decision(value) if isinstance(value, str) else self._items[row].decision,
            reason=self.reason_edit.toPlainText(),
            message=self.message_edit.toPlainText(),
        )
        self._items[row] = updated
        self._errors[row] = _error_of(updated)
        item = self.list.item(row)
        if item is not None:
            self._decorate(row, item)
        self._refresh()

    def _refresh(self) -> None:
        """The error line, the OK button and the preview, after any change."""
        row = self.list.currentRow()
        current_error = self._errors[row] if 0 <= row < len(self._errors) else None
        error = current_error or next((e for e in self._errors if e), None)
        self.error_label.setText(error or "")
        self.error_label.setVisible(error is not None)
        self.ok_button.setEnabled(error is None)
        self._update_preview()

    def _update_preview(self) -> None:
        current = self._current()
        text = ""
        if current is None:
            hint = ""
        elif not current.message.strip():
            hint = self.tr("No message: the member receives none with this template.")
        else:
            try:
                text = render_message(current.message, reason=current.reason.strip(), **sample_values())
                hint = ""
            except placeholders.PlaceholderError:
                hint = self.tr("The preview appears when the message's placeholders are right.")
        self.preview.setPlaceholderText(hint)
        if self.preview.toPlainText() != text:
            self.preview.setPlainText(text)
