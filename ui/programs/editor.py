"""The program editor (New… / Edit…): name, source, optional conditions, badge, alumni badge,
award message and cadence.

The sources offered are those the server has
(:func:`desktop.programs.reading.offered_kinds` of the session's capabilities);
the conditions are a rule saved in the rule builder (optional); the badges are the
published ones the cache knows. Save writes through :class:`ProgramStore` on the
writer's thread; what it refuses (:class:`ProgramError`) is shown next to the field
it concerns and everything typed stays. Cancel keeps nothing. GUI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop import failures, placeholders
from desktop.cancellation import CancelToken
from desktop.dialects.capabilities import Capabilities
from desktop.domain import Badge, BadgeState
from desktop.placeholders import AWARD_PLACEHOLDERS
from desktop.programs.model import Program, ProgramError, ProgramSpec
from desktop.programs.periods import Cadence
from desktop.programs.reading import offered_kinds
from desktop.programs.store import ProgramStore
from desktop.rule_choices import rule_groups
from desktop.rules import GroupRef, Rule, load_rule, saved_rule_names
from desktop.settings import Settings
from ui.i18n import shows_data, translated
from ui.programs.model import CADENCES
from ui.programs.source_fields import SourceError, SourceFields
from ui.session.app_session import AppSession
from ui.widgets.badge_picker import make_searchable, start_empty
from ui.widgets.colours import set_status_style, text_style
from ui.widgets.small_screens import scrolling, size_for_screen
from ui.widgets.text import plain_label

#: The conditions combo's data for "the program's own conditions" (a rule not saved by name).
_OWN_RULE = "\0own"
#: Which field a refusal concerns ("" : the form as a whole).
NAME, SOURCE, BADGE, ALUMNI, MESSAGE = "name", "source", "badge", "alumni", "message"


class ProgramFieldError(Exception):
    """The store refused the program: its sentence and the field it concerns."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class _Choices:
    badges: list[Badge]
    groups: list[GroupRef]


class ProgramEditorDialog(QDialog):
    """Lives on the GUI thread."""

    #: (program, created): saved in the work file.
    saved = Signal(object, bool)

    def __init__(
        self,
        session: AppSession,
        settings: Settings,
        program: Program | None = None,
        *,
        capabilities: Capabilities | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("programEditor")
        self.session = session
        self.settings = settings
        self.program = program
        self._saving = 0
        self._loading = 0
        self.setWindowTitle(
            self.tr("New program") if program is None else self.tr("Edit “{name}”").format(name=program.name)
        )
        known = capabilities if capabilities is not None else session.capabilities

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("programName")
        self.name_edit.setPlaceholderText(self.tr("e.g. Top contributor of the week"))
        self.source = SourceFields(
            session,
            offered_kinds(known),
            self,
            external_ids=bool(known is not None and known.external_ids),
            measures=known.leaderboard_measures() if known is not None else None,
        )
        self.source.kind_combo.setAccessibleName(self.tr("Source of candidates"))
        self.conditions_combo = QComboBox()
        self.conditions_combo.setObjectName("programConditions")
        self.conditions_combo.setToolTip(
            self.tr("Only candidates matching a rule saved in the rule builder (Members pane, Rules)")
        )
        self.badge_combo = QComboBox()
        self.badge_combo.setObjectName("programBadge")
        self.badge_combo.setAccessibleName(self.tr("Badge"))
        shows_data(self.badge_combo)  # the community's badge titles
        make_searchable(self.badge_combo)
        start_empty(self.badge_combo, self.tr("Choose the badge it awards"))
        self.alumni_combo = QComboBox()
        self.alumni_combo.setObjectName("programAlumniBadge")
        self.alumni_combo.setToolTip(
            self.tr("What a former holder keeps when the badge moves on to the next winner (optional)")
        )
        self.message_edit = QPlainTextEdit()
        self.message_edit.setObjectName("programMessage")
        self.message_edit.setTabChangesFocus(True)
        self.message_edit.setMaximumHeight(70)
        self.message_edit.setAccessibleName(self.tr("Award message"))
        names = ", ".join("{" + name + "}" for name in AWARD_PLACEHOLDERS)
        # The placeholders are the message's own syntax, shown as they are (no format()).
        hint = self.tr("Empty: the badge's own award message. It may name {names}.").replace("{names}", names)
        self.message_edit.setPlaceholderText(hint)
        self.cadence_combo = QComboBox()
        self.cadence_combo.setObjectName("programCadence")
        for cadence, text in CADENCES:
            self.cadence_combo.addItem(translated("ProgramTexts", text), cadence.value)

        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        self.form = form
        self._field(form, self.tr("&Name:"), self.name_edit, NAME)
        self._field(form, self.tr("So&urce:"), self.source, SOURCE, buddy=self.source.kind_combo)
        self._field(form, self.tr("C&onditions:"), self.conditions_combo, "")
        self._field(form, self.tr("&Badge:"), self.badge_combo, BADGE)
        self._field(form, self.tr("&Alumni badge:"), self.alumni_combo, ALUMNI)
        self._field(form, self.tr("&Message:"), self.message_edit, MESSAGE)
        self._field(form, self.tr("Cadenc&e:"), self.cadence_combo, "")
        body = QWidget()
        column = QVBoxLayout(body)
        column.addLayout(form)
        column.addStretch(1)  # the room left over goes below the form, not between its rows

        self.error_label = plain_label(name="programError", wrap=True)
        set_status_style(self.error_label, text_style("error"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("programSave")
        self.save_button.setToolTip(self.tr("Save the program (Ctrl+S)"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(body, "programEditorForm"), 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        size_for_screen(self, 680, 560)

        self.cadence_combo.currentIndexChanged.connect(self._cadence_changed)
        self._fill_conditions()
        if program is not None:
            self._show_program(program)
            # Its stored conditions cannot be read: saving keeps the conditions chosen here.
            self.error_label.setText(program.problem)
        self._cadence_changed()
        self._load_choices()

    def _field(
        self, form: QFormLayout, text: str, field: QWidget, error: str, buddy: QWidget | None = None
    ) -> None:
        label = QLabel(text)
        label.setBuddy(buddy or field)
        form.addRow(label, field)
        if error:
            shown = plain_label(name=f"programError_{error}", wrap=True)
            set_status_style(shown, text_style("error"))
            form.addRow("", shown)
            form.setRowVisible(shown, False)
            self.errors[error] = shown

    # --- filling --------------------------------------------------------------------------

    def _fill_conditions(self) -> None:
        combo = self.conditions_combo
        combo.addItem(self.tr("None: every candidate of the source"), None)
        ours = 1
        rule = None if self.program is None else self.program.spec.rule
        if rule is not None:
            combo.addItem(self.tr("As saved with the program"), _OWN_RULE)
            ours = 2
        for name in saved_rule_names(self.settings):
            combo.addItem(name, name)
        shows_data(combo, our_choices=ours)  # the names of the user's saved rules
        combo.setCurrentIndex(1 if rule is not None else 0)

    def _show_program(self, program: Program) -> None:
        spec = program.spec
        self.name_edit.setText(spec.name)
        self.source.set_spec(spec.source)
        self.message_edit.setPlainText(spec.message)
        self.cadence_combo.setCurrentIndex(self.cadence_combo.findData(spec.cadence.value))

    def _load_choices(self) -> None:
        cache = self.session.community.cache

        def work(_cancel: CancelToken, _progress: object) -> _Choices:
            return _Choices(cache.badges(), rule_groups(cache))

        op = self.session.tasks.start(
            "program editor choices",
            work,
            on_success=self._got_choices,
            on_failure=self._choices_failed,
            on_finished=self._loaded,
        )
        if op is not None:
            self._loading += 1

    def _loaded(self) -> None:
        self._loading -= 1

    def _got_choices(self, choices: _Choices) -> None:
        spec = None if self.program is None else self.program.spec
        wanted = {spec.badge_id, spec.alumni_badge_id} if spec is not None else set()
        badges = sorted(
            (b for b in choices.badges if b.state is BadgeState.PUBLISHED or b.id in wanted),
            key=lambda b: b.title.casefold(),
        )
        self.badge_combo.clear()
        self.alumni_combo.clear()
        self.alumni_combo.addItem(self.tr("None"), None)
        for badge in badges:
            self.badge_combo.addItem(badge.title, badge.id)
            self.alumni_combo.addItem(badge.title, badge.id)
        shows_data(self.alumni_combo, our_choices=1)
        if spec is not None:
            self.badge_combo.setCurrentIndex(self.badge_combo.findData(spec.badge_id))
            if spec.alumni_badge_id is not None:
                self.alumni_combo.setCurrentIndex(self.alumni_combo.findData(spec.alumni_badge_id))
        else:
            self.badge_combo.setCurrentIndex(-1)
        self.source.set_groups(choices.groups)

    def _choices_failed(self, error: Exception) -> None:
        again = self.tr("close this window and open it again")
        task = failures.Task(self.tr("Loading the badges"), after_space=again, again=again)
        self.error_label.setText(self.session.describe(error, task).message)

    def _cadence_changed(self) -> None:
        self.source.set_one_off(self.cadence is Cadence.ONE_OFF)

    # --- state --------------------------------------------------------------------------

    @property
    def idle(self) -> bool:
        return self._saving == 0 and self._loading == 0 and not self.source.finding

    @property
    def cadence(self) -> Cadence:
        return Cadence(str(self.cadence_combo.currentData()))

    def select_badge(self, badge_id: int, *, alumni: bool = False) -> None:
        combo = self.alumni_combo if alumni else self.badge_combo
        combo.setCurrentIndex(combo.findData(badge_id))

    def error_of(self, field: str) -> str:
        """The refusal shown next to ``field`` ("" : none; "form": the one below the form)."""
        if field == "form":
            return self.error_label.text()
        label = self.errors[field]
        return "" if label.isHidden() else label.text()

    def _clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            self.form.setRowVisible(label, False)
        self.error_label.clear()

    def _show_error(self, field: str, message: str) -> None:
        label = self.errors.get(field)
        if label is None:
            self.error_label.setText(message)
            return
        label.setText(message)
        self.form.setRowVisible(label, True)
        focus = {NAME: self.name_edit, SOURCE: self.source.kind_combo, BADGE: self.badge_combo}
        focus.update({ALUMNI: self.alumni_combo, MESSAGE: self.message_edit})
        focus[field].setFocus()

    # --- saving ---------------------------------------------------------------------------

    def _rule(self) -> Rule | None:
        chosen = self.conditions_combo.currentData()
        if chosen is None:
            return None
        if chosen == _OWN_RULE:
            return None if self.program is None else self.program.spec.rule
        return load_rule(self.settings, str(chosen))

    def spec(self) -> ProgramSpec:
        """The program as the form shows it; :class:`ProgramFieldError` for what is missing."""
        try:
            source = self.source.spec(one_off=self.cadence is Cadence.ONE_OFF)
        except SourceError as error:
            raise ProgramFieldError(SOURCE, str(error)) from None
        badge = self.badge_combo.currentData()
        if badge is None:
            raise ProgramFieldError(BADGE, self.tr("Choose the badge the program awards."))
        message = self.message_edit.toPlainText()
        try:
            placeholders.check(message, AWARD_PLACEHOLDERS)
        except placeholders.PlaceholderError as error:
            raise ProgramFieldError(MESSAGE, str(error)) from None
        try:
            rule = self._rule()
        except (KeyError, ValueError):
            raise ProgramFieldError(
                "", self.tr("That saved rule cannot be read any more: choose another.")
            ) from None
        alumni = self.alumni_combo.currentData()
        return ProgramSpec(
            name=self.name_edit.text(),
            source=source,
            badge_id=int(badge),
            cadence=self.cadence,
            message=message,
            rule=rule,
            alumni_badge_id=None if alumni is None else int(alumni),
        )

    def save(self) -> None:
        """Save on the writer's thread; the dialog closes once the work file has it."""
        if self._saving:
            return
        self._clear_errors()
        try:
            spec = self.spec()
        except ProgramFieldError as error:
            self._show_error(error.field, str(error))
            return
        store = ProgramStore(self.session.community.cache)
        program_id = None if self.program is None else self.program.id

        def work(_cancel: CancelToken, _progress: object) -> Program:
            try:
                if program_id is None:
                    return store.create(spec)
                return store.update(program_id, spec)
            except ProgramError as error:
                raise ProgramFieldError(_field_of(store, spec, program_id), str(error)) from error

        self.save_button.setEnabled(False)
        op = self.session.tasks.start(
            "save program",
            work,
            pool="writer",
            on_success=self._saved,
            on_failure=self._refused,
            on_finished=self._save_finished,
        )
        if op is not None:
            self._saving += 1

    def _save_finished(self) -> None:
        self._saving -= 1
        self.save_button.setEnabled(True)

    def _saved(self, program: Program) -> None:
        created = self.program is None
        self.program = program
        self.saved.emit(program, created)
        self.accept()

    def _refused(self, error: Exception) -> None:
        if isinstance(error, ProgramFieldError):
            self._show_error(error.field, str(error))
            return
        task = failures.changing(self.tr("saving the program"))
        self.error_label.setText(self.session.describe(error, task).message)


def _field_of(store: ProgramStore, spec: ProgramSpec, program_id: int | None) -> str:
    """Which field the store's refusal of ``spec`` concerns (on the writer's thread: it reads the cache)."""
    name = " ".join(spec.name.split())
    if not name:
        return NAME
    other = store.named(name)
    if other is not None and other.id != program_id:
        return NAME
    if spec.alumni_badge_id is not None and spec.alumni_badge_id == spec.badge_id:
        return ALUMNI
    known = {badge.id for badge in store.cache.badges()}
    if spec.badge_id not in known:
        return BADGE
    if spec.alumni_badge_id is not None and spec.alumni_badge_id not in known:
        return ALUMNI
    return ""
