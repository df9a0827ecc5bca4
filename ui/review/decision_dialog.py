"""The dialog that denies or returns requests: a template, free text, and the member's message."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop import decision_templates as templates_mod
from desktop.decision_templates import DecisionTemplate, TemplateError
from desktop.domain import Decision
from desktop.placeholders import PlaceholderError
from desktop.review import RequestGroup
from ui.widgets.colours import set_status_style, text_style
from ui.widgets.keyboard import no_tab_trap
from ui.widgets.text import plain_tooltip


class DecisionDialog(QDialog):
    """Pick a reason (1–9 pick a template), add free text, edit the message; Ctrl+Enter decides.

    The message may use placeholders ({member}, {badge}, {reason}, …); each
    member gets it filled with their own name. GUI thread only.
    """

    def __init__(
        self,
        decision: Decision,
        groups: Sequence[RequestGroup],
        templates: Sequence[DecisionTemplate],
        *,
        community: str,
        moderator: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("decisionDialog")
        self.decision = decision
        self.groups = list(groups)
        self.community = community
        self.moderator = moderator
        self.templates = templates_mod.for_decision(templates, decision)
        self.setWindowTitle(self._title())
        intro = QLabel(self._intro())
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.template_list = QListWidget()
        self.template_list.setObjectName("templateList")
        no_tab_trap(self.template_list)
        for number, template in enumerate(self.templates, start=1):
            prefix = f"{number}  " if number <= 9 else "   "
            item = QListWidgetItem(prefix + template.title)
            item.setToolTip(plain_tooltip(template.reason))
            self.template_list.addItem(item)
        no_template = QListWidgetItem(self.tr("    (no template: type the reason below)"))
        self.template_list.addItem(no_template)
        self.free_text = QPlainTextEdit()
        self.free_text.setObjectName("freeText")
        self.free_text.setPlaceholderText(self.tr("More about the reason (optional with a template)"))
        self.free_text.setTabChangesFocus(True)
        self.free_text.setFixedHeight(70)
        self.message = QPlainTextEdit()
        self.message.setObjectName("decisionMessage")
        self.message.setTabChangesFocus(True)
        self.message.setPlaceholderText(
            self.tr("The message the member receives (nothing is sent when empty)")
        )
        self.preview = QLabel()
        self.preview.setObjectName("messagePreview")
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("color: palette(placeholder-text);")
        self.error = QLabel()
        self.error.setObjectName("decisionError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        set_status_style(self.error, text_style("error"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        decide = self.tr("Deny (Ctrl+Enter)") if decision is Decision.DENY else self.tr("Return (Ctrl+Enter)")
        self.ok = self.buttons.addButton(decide, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("decideButton")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        reason_label = QLabel(self.tr("Reason (1–9 picks a template):"))
        reason_label.setBuddy(self.template_list)
        # The placeholders are the message's own syntax, not fields filled here.
        message_label = QLabel(
            self.tr("Message to the member ({member}, {badge}, {reason}, {moderator}, {community}):")
        )
        message_label.setBuddy(self.message)
        # Screen readers get short names; the labels above carry the details.
        self.template_list.setAccessibleName(self.tr("Reason template"))
        self.free_text.setAccessibleName(self.tr("More about the reason"))
        self.message.setAccessibleName(self.tr("Message to the member"))
        layout.addWidget(intro)
        layout.addWidget(reason_label)
        layout.addWidget(self.template_list)
        layout.addWidget(self.free_text)
        layout.addWidget(message_label)
        layout.addWidget(self.message)
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for number in range(1, min(9, len(self.templates)) + 1):
            shortcut = QShortcut(QKeySequence(str(number)), self.template_list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda n=number: self.template_list.setCurrentRow(n - 1))
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        self.template_list.currentRowChanged.connect(self._template_chosen)
        self.free_text.textChanged.connect(self._update)
        self.message.textChanged.connect(self._update)
        self.template_list.setCurrentRow(0 if self.templates else len(self.templates))
        self.template_list.setFocus()
        self.resize(560, 560)

    def _title(self) -> str:
        count = len(self.groups)
        deny = self.decision is Decision.DENY
        if count == 1:
            title = self.tr("Deny — {badge}") if deny else self.tr("Return — {badge}")
            return title.format(badge=self.groups[0].badge_text)
        return (
            self.tr("Deny — %n request(s)", "", count)
            if deny
            else self.tr("Return — %n request(s)", "", count)
        )

    def _intro(self) -> str:
        count = len(self.groups)
        deny = self.decision is Decision.DENY
        if count == 1:
            intro = (
                self.tr("Deny the request of {member} for {badge}")
                if deny
                else self.tr("Return the request of {member} for {badge}")
            )
            return intro.format(member=self.groups[0].member_text, badge=self.groups[0].badge_text)
        if deny:
            return self.tr("Deny %n request(s) with the same reason and message.", "", count)
        return self.tr("Return %n request(s) with the same reason and message.", "", count)

    # --- what the moderator chose -------------------------------------------------

    def template(self) -> DecisionTemplate | None:
        row = self.template_list.currentRow()
        return self.templates[row] if 0 <= row < len(self.templates) else None

    def reason(self) -> str:
        return templates_mod.compose_reason(self.template(), self.free_text.toPlainText())

    def message_for(self, group: RequestGroup) -> str | None:
        """The message ``group``'s member receives; None when the message is empty."""
        text = self.message.toPlainText().strip()
        if not text:
            return None
        member = group.member.display_name if group.member else group.member_text
        return templates_mod.render_message(
            text,
            member=member,
            badge=group.badge_text,
            community=self.community,
            reason=self.reason(),
            moderator=self.moderator,
        )

    def choose(self, row: int) -> None:
        self.template_list.setCurrentRow(row)

    # --- internals --------------------------------------------------------------

    def _template_chosen(self, _row: int) -> None:
        template = self.template()
        if template is not None:
            self.message.setPlainText(template.message)
        self._update()

    def _problem(self) -> str | None:
        try:
            self.reason()
            self.message_for(self.groups[0])
        except (TemplateError, PlaceholderError) as error:
            return str(error)
        return None

    def _update(self) -> None:
        problem = self._problem()
        self.error.setText(problem or "")
        self.ok.setEnabled(problem is None)
        if problem is None:
            text = self.message_for(self.groups[0])
            self.preview.setText(
                self.tr("{member} will read:\n{message}").format(
                    member=self.groups[0].member_text, message=text
                )
                if text
                else self.tr("No message is sent.")
            )
        else:
            self.preview.setText("")

    def accept(self) -> None:
        if self._problem() is None:
            super().accept()
