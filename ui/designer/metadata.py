"""The designer's metadata: title, description, criteria, category, tier and award message,
and the banners that tell the draft's state (a conflict with the server, notes from opening it).

The fields edit the document's metadata through the window; problems show
beside their fields once a save was tried (the award message's at once), and
the award message is previewed for a sample member.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.designer.checks import AWARD_PLACEHOLDERS, SAMPLE_VALUES, award_preview, meta_problems
from desktop.designer.document import BadgeMeta
from desktop.placeholders import PlaceholderError
from ui.designer.controls import (
    error_label,
    muted,
    plain,
    set_checked,
    set_enabled,
    set_error,
    set_label,
    set_plain,
    set_text,
)
from ui.designer.host import DesignerHost
from ui.i18n import shows_data, translated
from ui.widgets.colours import set_status_style, text_style

TIER_CHOICES = ("", "bronze", "silver", "gold")
#: The tiers as the tier combo shows them; the metadata keeps the value ("bronze"), a typed tier as typed.
TIER_NAMES = {
    "bronze": QT_TRANSLATE_NOOP("MetadataPanel", "bronze"),
    "silver": QT_TRANSLATE_NOOP("MetadataPanel", "silver"),
    "gold": QT_TRANSLATE_NOOP("MetadataPanel", "gold"),
}
#: Each field of the metadata as its undo step names it ("Undo award message").
FIELD_STEPS = {
    "title": QT_TRANSLATE_NOOP("MetadataPanel", "title"),
    "description": QT_TRANSLATE_NOOP("MetadataPanel", "description"),
    "criteria": QT_TRANSLATE_NOOP("MetadataPanel", "criteria"),
    "category": QT_TRANSLATE_NOOP("MetadataPanel", "category"),
    "tier": QT_TRANSLATE_NOOP("MetadataPanel", "tier"),
    "award_message": QT_TRANSLATE_NOOP("MetadataPanel", "award message"),
}


def field_step(field: str) -> str:
    """The undo step of an edit of metadata ``field`` ("award_message" -> "award message")."""
    source = FIELD_STEPS.get(field)
    return translated("MetadataPanel", source) if source else field.replace("_", " ")


def tier_text(tier: str) -> str:
    """A tier as the tier combo shows it."""
    return translated("MetadataPanel", TIER_NAMES[tier]) if tier in TIER_NAMES else tier


def tier_value(text: str) -> str:
    """The tier the combo's ``text`` stands for: a known tier's value, or the text as typed."""
    for tier in TIER_NAMES:
        if text == tier_text(tier):
            return tier
    return text


def _text_box(name: str, placeholder: str, height: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


class MetadataPanel(QWidget):
    """The "Badge" form and the "Award message" box. GUI thread only."""

    def __init__(
        self,
        host: DesignerHost,
        *,
        default_message: str,
        community: str,
        categories: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.default_message = default_message
        self.community = community
        #: The award message being typed: its empty text must not flip to "use the default" mid-edit.
        self.typing_message = False
        #: Field errors show once a save was tried; the award message's always.
        self.show_field_errors = False
        badge_box = self._build_badge_box(categories)
        message_box = self._build_message_box()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(badge_box)
        layout.addWidget(message_box)
        self.field_widgets: dict[str, QWidget] = {
            "title": self.title_edit,
            "description": self.description_edit,
            "criteria": self.criteria_edit,
            "category": self.category_combo,
            "tier": self.tier_combo,
            "award_message": self.message_edit,
        }

    def _build_badge_box(self, categories: Sequence[str]) -> QGroupBox:
        host = self.host
        box = QGroupBox(self.tr("Badge"))
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setVerticalSpacing(4)
        self.field_errors: dict[str, QLabel] = {}

        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("metaTitle")
        self.title_edit.setPlaceholderText(self.tr("What members see first"))
        self.title_edit.textEdited.connect(lambda text: host.edit_meta("title", text))
        self.title_edit.editingFinished.connect(lambda: host.end_text_gesture())
        self.description_edit = _text_box("metaDescription", self.tr("What the badge stands for"), 64)
        self.description_edit.textChanged.connect(
            lambda: host.edit_meta("description", self.description_edit.toPlainText())
        )
        self.criteria_edit = _text_box("metaCriteria", self.tr("What a member does to earn it"), 64)
        self.criteria_edit.textChanged.connect(
            lambda: host.edit_meta("criteria", self.criteria_edit.toPlainText())
        )
        self.category_combo = QComboBox()
        shows_data(self.category_combo)  # the server's badge names and categories
        self.category_combo.setObjectName("metaCategory")
        self.category_combo.setEditable(True)
        self.category_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        stripped = [c.strip() for c in categories]
        self.category_combo.addItems(["", *[c for c in dict.fromkeys(stripped) if c]])
        self.category_combo.currentTextChanged.connect(lambda text: host.edit_meta("category", text))
        self.tier_combo = QComboBox()
        self.tier_combo.setObjectName("metaTier")
        self.tier_combo.setEditable(True)
        self.tier_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.tier_combo.addItems([tier_text(tier) for tier in TIER_CHOICES])
        self.tier_combo.currentTextChanged.connect(lambda text: host.edit_meta("tier", tier_value(text)))
        for combo in (self.category_combo, self.tier_combo):
            line = combo.lineEdit()
            if line is not None:
                line.editingFinished.connect(lambda: host.end_text_gesture())
        category_tier = QHBoxLayout()
        category_tier.addWidget(self.category_combo, 2)
        category_tier.addSpacing(8)
        category_tier.addWidget(QLabel(self.tr("Tier")))
        category_tier.addWidget(self.tier_combo, 1)

        fields: list[tuple[str, str, QWidget | QHBoxLayout]] = [
            ("title", self.tr("Title"), self.title_edit),
            ("description", self.tr("Description"), self.description_edit),
            ("criteria", self.tr("Criteria"), self.criteria_edit),
            ("category", self.tr("Category"), category_tier),
        ]
        for field, label, widget in fields:
            form.addRow(label, widget)
            error = error_label(f"error_{field}")
            self.field_errors[field] = error
            form.addRow(error)
        return box

    def _build_message_box(self) -> QGroupBox:
        self.use_default = QCheckBox(self.tr("Use the community's default message"))
        self.use_default.setObjectName("useDefaultMessage")
        self.use_default.clicked.connect(self._use_default_clicked)
        self.message_edit = _text_box("metaAwardMessage", self.tr("The message a member receives"), 76)
        self.message_edit.textChanged.connect(self._message_edited)
        names = "  ".join(f"{{{name}}}" for name in AWARD_PLACEHOLDERS)
        self.placeholders_label = muted(
            plain(self.tr("Placeholders: {names}").format(names=names), name="awardPlaceholders")
        )
        self.placeholders_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The badge's own message, filled in: the user's words, not ours.
        self.award_preview = plain(name="awardPreview")
        shows_data(self.award_preview)
        self.award_preview.setStyleSheet(
            "background: palette(alternate-base); border: 1px solid palette(mid);"
            " border-radius: 4px; padding: 6px;"
        )
        message_box = QGroupBox(self.tr("Award message"))
        message_layout = QVBoxLayout(message_box)
        message_layout.setSpacing(4)
        message_layout.addWidget(self.use_default)
        message_layout.addWidget(self.message_edit)
        self.field_errors["award_message"] = error_label("error_award_message")
        message_layout.addWidget(self.field_errors["award_message"])
        message_layout.addWidget(self.placeholders_label)
        preview_label = muted(
            plain(self.tr("{member} would read:").format(member=SAMPLE_VALUES["member"]), wrap=False)
        )
        # Tells a screen reader what the preview is.
        preview_label.setBuddy(self.award_preview)
        message_layout.addWidget(preview_label)
        message_layout.addWidget(self.award_preview)
        return message_box

    # --- in line with the document ------------------------------------------------------------

    def show_meta(self, meta: BadgeMeta) -> None:
        """The fields show ``meta``; called while the window syncs its controls."""
        set_text(self.title_edit, meta.title)
        set_plain(self.description_edit, meta.description)
        set_plain(self.criteria_edit, meta.criteria)
        for combo, text in ((self.category_combo, meta.category), (self.tier_combo, tier_text(meta.tier))):
            if combo.currentText() != text:
                combo.setCurrentText(text)
        if not self.typing_message:
            use_default = not meta.award_message
            set_checked(self.use_default, use_default)
            if self.message_edit.isReadOnly() != use_default:
                self.message_edit.setReadOnly(use_default)
                self.message_edit.setStyleSheet("color: palette(placeholder-text);" if use_default else "")
            set_plain(self.message_edit, self.default_message if use_default else meta.award_message)

    def update_feedback(self) -> None:
        """Problems beside their fields (once a save was tried; the message's at once), and the preview."""
        meta = self.host.document.meta
        problems: dict[str, str] = {}
        for problem in meta_problems(meta):
            problems.setdefault(problem.field, str(problem))
        try:
            preview = award_preview(meta, self.default_message, self.community)
        except PlaceholderError as error:
            problems.setdefault("award_message", str(error))
            preview = ""
        for field, label in self.field_errors.items():
            shown = self.show_field_errors or field == "award_message"
            set_error(label, problems.get(field, "") if shown else "")
        set_label(self.award_preview, preview or self.tr("(no preview until the placeholders are fixed)"))
        set_enabled(self.award_preview, bool(preview))

    # --- the award message ----------------------------------------------------------------------

    def _use_default_clicked(self, checked: bool) -> None:
        self.typing_message = False
        document = self.host.document
        # Unticked, the community's message is the starting point of the badge's own.
        document.update_meta(
            field_step("award_message"), award_message="" if checked else self.default_message
        )
        document.end_gesture()
        if not checked:
            self.message_edit.setFocus()
            self.message_edit.selectAll()

    def _message_edited(self) -> None:
        if self.host.syncing or self.use_default.isChecked():
            return
        self.typing_message = True
        self.host.edit_meta("award_message", self.message_edit.toPlainText())


class ConflictBanner(QFrame):
    """Someone changed the badge on the server since the edit began: keep mine, or take theirs."""

    keep_mine = Signal()
    take_theirs = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictBanner")
        set_status_style(
            self,
            lambda colours: (
                f"#conflictBanner {{ background: {colours.error_banner};"
                f" border: 1px solid {colours.error_banner_border}; border-radius: 4px; }}"
            ),
        )
        self.conflict_text = plain(name="conflictText")
        set_status_style(self.conflict_text, text_style("error"))
        keep = QPushButton(self.tr("Keep my version"))
        keep.setObjectName("keepMine")
        keep.setToolTip(self.tr("Save this version over the one on the server"))
        keep.clicked.connect(lambda: self.keep_mine.emit())
        theirs = QPushButton(self.tr("Take the server's"))
        theirs.setObjectName("takeTheirs")
        theirs.setToolTip(self.tr("Drop this edit and open the server's version"))
        theirs.clicked.connect(lambda: self.take_theirs.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.conflict_text, 1)
        layout.addWidget(keep)
        layout.addWidget(theirs)
        self.hide()


def notes_banner() -> QLabel:
    """Notes from opening the badge (an image that could not be read, ...), in amber."""
    banner = plain(name="designerNotes")
    set_status_style(
        banner,
        lambda colours: (
            f"color: {colours.warning}; background: {colours.warning_banner};"
            f" border: 1px solid {colours.warning_banner_border}; border-radius: 4px; padding: 6px 8px;"
        ),
    )
    return banner
