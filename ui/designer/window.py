"""The badge designer window: one badge's look and metadata, edited live.

Left, the layers (:mod:`~ui.designer.layers`); centre, the canvas and the
previews at real size (:mod:`~ui.designer.previews`); right, the checks
(:mod:`~ui.designer.checks`) and the metadata (:mod:`~ui.designer.metadata`).
Every section forwards to the core's
:class:`~desktop.designer.document.BadgeDocument`, which the window owns and
which keeps the undo history; every change of the document redraws once
(bursts are coalesced) and puts the controls back in line with it, so undo and
redo show in the controls too.

The window saves nothing itself: :attr:`BadgeDesigner.save_requested` hands a
:class:`~desktop.designer.drafts.Draft` to its
:class:`~ui.designer.session.DesignerSession`, which saves it on the writer and
reports back through :meth:`~BadgeDesigner.saving`, :meth:`~BadgeDesigner.saved`,
:meth:`~BadgeDesigner.save_failed` and :meth:`~BadgeDesigner.sent`.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from desktop import failures
from desktop.designer.checks import Finding, design_findings, meta_problems
from desktop.designer.document import BadgeDocument, Design, DesignError, DraftState
from desktop.designer.drafts import Draft, slugify
from desktop.designer.glyphs import GlyphError
from desktop.designer.templates import Template
from desktop.domain import ActionState
from ui.designer import dialogs, export
from ui.designer.checks import ChecksPanel
from ui.designer.controls import column_scroll, plain
from ui.designer.family_dialog import FamilyDialog
from ui.designer.history import HistoryKeys
from ui.designer.host import Ask, ChooseFile, ChooseSavePath, PickColour, PromptText
from ui.designer.layers import LayersPanel
from ui.designer.metadata import ConflictBanner, MetadataPanel, field_step, notes_banner
from ui.designer.previews import PreviewsPanel
from ui.designer.toolbar import DesignerToolbar
from ui.operations import TaskManager
from ui.widgets.colours import set_status_style, text_style
from ui.widgets.keyboard import EscapeToWindow
from ui.widgets.small_screens import size_for_screen


class BadgeDesigner(QWidget):
    """The designer window for one badge. GUI thread only.

    Signals carry :class:`Draft` values built from the draft it was opened with
    and the document's current design and metadata.
    """

    #: A :class:`Draft` to save; only emitted when the metadata has no problems.
    save_requested = Signal(object)
    #: A :class:`Draft` to save and publish (a server without drafts); as :attr:`save_requested`.
    publish_requested = Signal(object)
    #: A list of three new :class:`Draft` (bronze, silver, gold).
    family_requested = Signal(object)
    #: The current :class:`Draft`: keep this edit over the server's newer version.
    keep_mine_requested = Signal(object)
    #: The current :class:`Draft`: drop this edit, take the server's version.
    take_theirs_requested = Signal(object)

    def __init__(
        self,
        draft: Draft,
        *,
        tasks: TaskManager,
        default_message: str,
        community: str,
        categories: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setObjectName("badgeDesigner")
        self.draft = draft
        self.tasks = tasks
        self.default_message = default_message
        self.community = community
        self.document = BadgeDocument(draft.design, draft.meta)
        #: How many times the badge was drawn, and how long the last drawing took (ms).
        self.render_count = 0
        self.last_render_ms = 0.0
        # The standard dialogs; tests replace them. Sections ask them through the window.
        self.pick_colour: PickColour = functools.partial(dialogs.pick_colour, self)
        self.choose_file: ChooseFile = functools.partial(dialogs.choose_file, self)
        self.choose_save_path: ChooseSavePath = functools.partial(dialogs.choose_save_path, self)
        self.prompt_text: PromptText = functools.partial(dialogs.prompt_text, self)
        self.ask: Ask = functools.partial(dialogs.ask_save, self)
        self.syncing = False
        #: The state handed over with the last save request.
        self._saving_state: DraftState | None = None
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(0)
        self._render_timer.timeout.connect(self.render_now)

        self.toolbar = DesignerToolbar(self)
        self.conflict_banner = ConflictBanner()
        self.conflict_banner.keep_mine.connect(lambda: self.keep_mine_requested.emit(self.current_draft()))
        self.conflict_banner.take_theirs.connect(
            lambda: self.take_theirs_requested.emit(self.current_draft())
        )
        self.notes_banner = notes_banner()
        #: Set by the session from the server's capabilities.
        self.server_notes: list[str] = []
        self.layers = LayersPanel(self, band=draft.design.banner.background)
        self.previews = PreviewsPanel()
        self.checks = ChecksPanel()
        self.metadata = MetadataPanel(
            self, default_message=default_message, community=community, categories=categories
        )
        self._expose_controls()
        self._connect_actions()
        self._lay_out()
        history = HistoryKeys(self, (self.undo_action, self.redo_action), self.end_text_gesture)
        # The glyph search is not part of the badge: its Ctrl+Z stays its own.
        history.watch(self, unless=self.glyph_picker.search_box)
        # Esc closes the designer even from a text field (which would otherwise keep it).
        EscapeToWindow.install(self)

        self.document.on_change(self._document_changed)
        self._show_draft_state()
        self._document_changed(self.document)
        self.layers.template_picker.load()
        size_for_screen(self, 1380, 880)

    # --- building -------------------------------------------------------------------------

    def _expose_controls(self) -> None:
        """The sections' controls as attributes of the window, where tests and the benchmark drive them."""
        self.checks_box = self.checks
        self.template_combo = self.layers.template_picker.template_combo
        self.save_template_button = self.layers.template_picker.save_template_button
        self.shape_combo = self.layers.shape_combo
        self.fill_kind = self.layers.fill_kind
        self.fill_colour = self.layers.fill_colour
        self.fill_colour2 = self.layers.fill_colour2
        self.fill_angle = self.layers.fill_angle
        self.rings_spin = self.layers.rings_spin
        self.frame_width = self.layers.frame_width
        self.banner_text = self.layers.banner_text
        self.emblem_buttons = self.layers.emblem.emblem_buttons
        self.glyph_picker = self.layers.emblem.glyph_picker
        self.glyph_colour = self.layers.emblem.glyph_colour
        self.emblem_scale = self.layers.emblem.emblem_scale
        self.import_button = self.layers.emblem.import_button
        self.import_error = self.layers.emblem.import_error
        self.import_notes = self.layers.emblem.import_notes
        self.canvas = self.previews.canvas
        self.size_previews = self.previews.size_previews
        self.title_edit = self.metadata.title_edit
        self.description_edit = self.metadata.description_edit
        self.criteria_edit = self.metadata.criteria_edit
        self.category_combo = self.metadata.category_combo
        self.tier_combo = self.metadata.tier_combo
        self.use_default = self.metadata.use_default
        self.message_edit = self.metadata.message_edit
        self.award_preview = self.metadata.award_preview
        self.conflict_text = self.conflict_banner.conflict_text
        self.undo_action = self.toolbar.undo_action
        self.redo_action = self.toolbar.redo_action
        self.save_action = self.toolbar.save_action
        self.publish_action = self.toolbar.publish_action
        self.export_png_action = self.toolbar.export_png_action
        self.size_actions = self.toolbar.size_actions
        self.family_action = self.toolbar.family_action

    def _connect_actions(self) -> None:
        self.undo_action.triggered.connect(self.undo)
        self.redo_action.triggered.connect(self.redo)
        self.save_action.triggered.connect(self.save)
        self.publish_action.triggered.connect(self.publish)
        self.export_png_action.triggered.connect(self.export_png)
        self.toolbar.export_svg_action.triggered.connect(self.export_svg)
        self.family_action.triggered.connect(self.open_family_dialog)
        self.toolbar.close_action.triggered.connect(self.close)

    def _lay_out(self) -> None:
        side = QWidget()
        side.setObjectName("designerSide")
        column = QVBoxLayout(side)
        column.setContentsMargins(6, 0, 0, 0)
        column.setSpacing(8)
        column.addWidget(self.checks)
        column.addWidget(self.metadata)
        column.addStretch(1)
        self.side_scroll = column_scroll(side, "sideScroll", 340)
        self.side_scroll.setAccessibleName(self.tr("Badge properties"))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("designerSplitter")
        splitter.setChildrenCollapsible(False)
        layers_scroll = column_scroll(self.layers, "layersScroll", 310)
        layers_scroll.setAccessibleName(self.tr("Layers"))
        splitter.addWidget(layers_scroll)
        splitter.addWidget(self.previews)
        splitter.addWidget(self.side_scroll)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([330, 640, 390])
        self.status = plain(name="designerStatus")
        self.status.setMinimumHeight(22)
        body = QVBoxLayout()
        body.setContentsMargins(8, 4, 8, 6)
        body.setSpacing(6)
        body.addWidget(self.conflict_banner)
        body.addWidget(self.notes_banner)
        body.addWidget(splitter, 1)
        body.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addLayout(body, 1)

    @property
    def templates(self) -> list[Template]:
        return self.layers.template_picker.templates

    @property
    def finding_labels(self) -> list[QLabel]:
        return self.checks.finding_labels

    # --- the document -----------------------------------------------------------------------

    def current_draft(self) -> Draft:
        """The draft this window was opened with, carrying the current design and metadata."""
        return replace(self.draft, design=self.document.design, meta=self.document.meta)

    def edit(self, label: str, change: Callable[[Design], Design], *, merge_key: str | None = None) -> None:
        if self.syncing:
            return
        try:
            self.document.edit(label, change, merge_key=merge_key)
        except DesignError as error:
            self.show_status(str(error), error=True)
            self.sync_controls()

    def edit_meta(self, field: str, value: str) -> None:
        if self.syncing:
            return
        self.document.update_meta(field_step(field), merge_key=f"meta.{field}", **{field: value})

    def end_text_gesture(self) -> None:
        """A field was left: the next edit is a new undo step, and an emptied message means the default."""
        self.document.end_gesture()
        if self.metadata.typing_message:
            self.metadata.typing_message = False
            self.sync_controls()

    def undo(self) -> None:
        self.metadata.typing_message = False
        label = self.document.undo()
        self.show_status(
            self.tr("Undone: {step}.").format(step=label) if label else self.tr("Nothing to undo.")
        )

    def redo(self) -> None:
        self.metadata.typing_message = False
        label = self.document.redo()
        self.show_status(
            self.tr("Redone: {step}.").format(step=label) if label else self.tr("Nothing to redo.")
        )

    def _document_changed(self, _document: BadgeDocument) -> None:
        # Each keystroke comes here: every setter the sections use runs only when its value changes.
        self.sync_controls()
        self.metadata.update_feedback()
        self._update_chrome()
        # Zero interval: a burst of changes in one event-loop turn is drawn once, after it.
        if not self._render_timer.isActive():
            self._render_timer.start()

    def _update_chrome(self) -> None:
        title = self.document.meta.title.strip() or self.tr("Untitled badge")
        window_title = self.tr("Badge designer — {title}[*]").format(title=title)
        if self.windowTitle() != window_title:
            self.setWindowTitle(window_title)
        if self.isWindowModified() != self.document.modified:
            self.setWindowModified(self.document.modified)
        self.toolbar.show_history(self.document)

    def sync_controls(self) -> None:
        """Every control shows what the document holds (after undo, redo, a template, ...)."""
        self.syncing = True
        try:
            self.layers.show_design(self.document.design)
            self.metadata.show_meta(self.document.meta)
        finally:
            self.syncing = False

    # --- drawing ------------------------------------------------------------------------------

    def render_now(self) -> None:
        """Draw the badge at every size and recheck it; the zero-interval timer calls this."""
        self._render_timer.stop()
        started = time.perf_counter()
        design = self.document.design
        try:
            rendered = self.previews.draw(design)
        except (GlyphError, ValueError) as error:
            why = self.tr("The badge cannot be drawn: {why}").format(why=error)
            self.checks.show_findings([Finding(False, why)])
            return
        self.checks.show_findings(design_findings(design, rendered))
        self.render_count += 1
        self.last_render_ms = (time.perf_counter() - started) * 1000

    def event(self, event: QEvent) -> bool:
        # Moved to a screen of another scale: the badge and the pickers' thumbnails are drawn
        # again, sharp at the new ratio.
        if event.type() == QEvent.Type.DevicePixelRatioChange:
            self.layers.redraw_thumbnails()
            if not self._render_timer.isActive():
                self._render_timer.start()
        return super().event(event)

    @property
    def render_pending(self) -> bool:
        return self._render_timer.isActive()

    def findings(self) -> list[Finding]:
        """The checklist as last drawn."""
        return self.checks.findings()

    # --- export and family ----------------------------------------------------------------------

    def suggested_stem(self) -> str:
        return self.draft.slug or slugify(self.document.meta.title) or "badge"

    def export_png(self) -> None:
        export.export_png(self, self.suggested_stem(), self.toolbar.export_sizes())

    def export_png_files(self, directory: Path, stem: str, sizes: Sequence[int]) -> list[Path]:
        """Write ``<stem>-600.png`` and ``<stem>-<size>.png`` for each size; raises :class:`OSError`."""
        return export.write_pngs(self.document.design, directory, stem, sizes)

    def export_svg(self) -> None:
        export.export_svg(self, self.suggested_stem())

    def export_svg_file(self, path: Path) -> None:
        """The badge as SVG (square, 600 px, its layers inside so BadgeDesk can reopen them)."""
        export.write_svg(self.document.design, path)

    def open_family_dialog(self) -> FamilyDialog:
        """Open the family dialog (not blocking); its button emits :attr:`family_requested`."""
        dialog = FamilyDialog(self.document.design, self.document.meta, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.family_created.connect(self.family_requested.emit)
        dialog.open()
        return dialog

    # --- saving (the designer's session does it and reports back) --------------------------------

    def save(self) -> bool:
        """Hand the badge over to be saved; False (and the problems shown) when it cannot be."""
        if not self._ready_to_hand_over():
            return False
        self.save_requested.emit(self.current_draft())
        return True

    def publish(self) -> bool:
        """Hand the badge over to be saved and published; False (problems shown) when it cannot be."""
        if not self._ready_to_hand_over():
            return False
        self.publish_requested.emit(self.current_draft())
        return True

    def _ready_to_hand_over(self) -> bool:
        self.end_text_gesture()
        self.metadata.show_field_errors = True
        self.metadata.update_feedback()
        problems = meta_problems(self.document.meta)
        if problems:
            widget = self.metadata.field_widgets.get(problems[0].field)
            if widget is not None:
                self.side_scroll.ensureWidgetVisible(widget)
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
            more = len(problems) - 1
            text = (
                self.tr("Not saved: {problem} (%n more marked beside the fields)", "", more)
                if more
                else self.tr("Not saved: {problem}")
            )
            self.show_status(text.format(problem=problems[0]), error=True)
            return False
        self._saving_state = self.document.state
        return True

    def saving(self) -> None:
        self.save_action.setEnabled(False)
        self.publish_action.setEnabled(False)
        self.show_status(self.tr("Saving…"))

    def set_publishable(self, publishable: bool) -> None:
        """Offer Publish: the badge is a draft kept here, on a server without drafts."""
        self.publish_action.setVisible(publishable)

    def saved(self, draft: Draft, queued: bool, *, kept_here: bool = False) -> None:
        """``draft`` was saved (it now has an id and a slug); ``queued``: something is to send.

        ``kept_here``: nothing was queued because the server keeps no drafts
        (the badge reaches it when published).
        """
        self.draft = draft
        # Only what was handed over is saved; edits made meanwhile are not.
        if self._saving_state is not None and self.document.state == self._saving_state:
            self.document.mark_saved()
        self._saving_state = None
        self.save_action.setEnabled(True)
        self.publish_action.setEnabled(True)
        if kept_here:
            self.show_status(self.tr("Saved on this computer: publish it to create it on the server"))
        else:
            self.show_status(
                self.tr("Queued — it is sent with the outbox")
                if queued
                else self.tr("Nothing to send: the server has this version")
            )
        self._show_draft_state()

    def save_failed(self, message: str) -> None:
        self._saving_state = None
        self.save_action.setEnabled(True)
        self.publish_action.setEnabled(True)
        self.show_status(self.tr("Not saved: {problem}").format(problem=message), error=True)

    def sent(self) -> None:
        self.show_status(self.tr("Saved on the server"))

    def set_draft(self, draft: Draft) -> None:
        """Show ``draft`` (after Keep my version or Take the server's).

        The same design and metadata keep the undo history; different ones start afresh, unmodified.
        """
        self.draft = draft
        self._saving_state = None
        if draft.design != self.document.design or draft.meta != self.document.meta:
            self.metadata.typing_message = False
            self.document = BadgeDocument(draft.design, draft.meta)
            self.document.on_change(self._document_changed)
            self._document_changed(self.document)
        self._show_draft_state()

    def _show_draft_state(self) -> None:
        conflict = self.draft.save_state is ActionState.CONFLICT
        self.conflict_text.setText(
            self.draft.save_problem
            or self.tr("Someone changed this badge on the server since you started editing.")
        )
        self.conflict_banner.setVisible(conflict)
        notes = [*self.draft.notes, *self.server_notes]
        self.notes_banner.setText("\n".join(notes))
        self.notes_banner.setVisible(bool(notes))

    def set_server_notes(self, notes: Sequence[str]) -> None:
        """What the server cannot do for this badge (see edit conflicts…), shown with the draft's notes."""
        self.server_notes = list(notes)
        self._show_draft_state()

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        set_status_style(self.status, text_style("error") if error else None)

    def show_failure(self, error: Exception, doing: str) -> None:
        self.show_status(failures.describe(error, failures.file_task(doing)).message, error=True)

    # --- closing ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        # A save in flight covers the current state: nothing would be lost.
        if not self.document.modified or self._saving_state == self.document.state:
            self._render_timer.stop()
            event.accept()
            return
        title = self.document.meta.title.strip()
        question = (
            self.tr("Save the changes to “{title}” before closing?").format(title=title)
            if title
            else self.tr("Save the changes to this badge before closing?")
        )
        answer = self.ask(self.tr("Unsaved changes"), question)
        if answer == "discard" or (answer == "save" and self.save()):
            self._render_timer.stop()
            event.accept()
        else:
            event.ignore()
