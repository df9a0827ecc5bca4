"""The batch builder's "Members" box: who the batch is for, from the selection, a file or pasted text.

A file (opened or dropped on the dialog) is read on a worker; pasted text is
read once typing pauses. Either way the encoding, delimiter, header and column
are detected and shown with a preview, and the user can pick another column or
say whether the first row is a header. File names, CSV headers and errors come
from outside, so they are shown as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import failures
from desktop.batches import ListSource
from desktop.importers.files import ListFileError
from desktop.importers.lists import ListFormat
from desktop.importers.sniffing import sniff_file, sniff_text
from ui.i18n import shows_data
from ui.operations import LatestOnly
from ui.outbox.model import source_title
from ui.session.app_session import AppSession
from ui.widgets.keyboard import no_tab_trap
from ui.widgets.text import plain_label


class MemberListBox(QGroupBox):
    """The list a batch is for, as a :class:`ListSource` (``None`` until there is one).

    Emits :attr:`changed` whenever the list or how it is read changed (a dry
    run made before no longer applies), and :attr:`error` with a sentence
    for the dialog's error line ("" clears it). GUI thread only.
    """

    changed = Signal()
    error = Signal(str)

    def __init__(self, session: AppSession, member_ids: Sequence[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Members"))
        self.session = session
        # Reading a list: each newer request wins.
        self.latest = LatestOnly(self)
        self._selection = tuple(member_ids)
        self._source: ListSource | None = ListSource.selection(member_ids) if member_ids else None
        self._format: ListFormat | None = None

        self.source_label = plain_label(name="batchSource", wrap=True)
        self.open_button = QPushButton(self.tr("&Open file…"))
        self.open_button.setObjectName("batchOpen")
        self.open_button.clicked.connect(self.open_file)
        self.selection_button = QPushButton(self.tr("Use the &selection"))
        self.selection_button.setObjectName("batchUseSelection")
        self.selection_button.setVisible(bool(member_ids))
        self.selection_button.clicked.connect(self._use_selection)
        self.paste_edit = QPlainTextEdit()
        self.paste_edit.setObjectName("batchPaste")
        self.paste_edit.setAccessibleName(self.tr("Pasted member list"))
        self.paste_edit.setTabChangesFocus(True)
        self.paste_edit.setPlaceholderText(
            self.tr("…or paste emails or usernames here, one per line or separated by commas")
        )
        self.paste_edit.setMaximumHeight(90)
        self._paste_timer = QTimer(self)
        self._paste_timer.setSingleShot(True)
        self._paste_timer.setInterval(300)
        self._paste_timer.timeout.connect(self._read_paste)
        self.paste_edit.textChanged.connect(self._paste_timer.start)
        self.column_combo = QComboBox()
        self.column_combo.setObjectName("batchColumn")
        self.column_combo.currentIndexChanged.connect(self._column_changed)
        self.header_check = QCheckBox(self.tr("First row is a header"))
        self.header_check.setObjectName("batchHeader")
        self.header_check.setToolTip(self.tr("Read the list again with or without a header row"))
        self.header_check.toggled.connect(self._header_toggled)
        self.format_label = plain_label(name="batchFormat", wrap=True)
        self.preview = QTableWidget(0, 0)
        self.preview.setObjectName("batchPreview")
        no_tab_trap(self.preview)
        self.preview.setAccessibleName(self.tr("Preview of the member list"))
        # The list's own header and cells, as read from the file.
        shows_data(self.preview)
        self.preview.setMaximumHeight(150)
        self.preview.verticalHeader().hide()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        source_layout = QVBoxLayout(self)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.open_button)
        buttons_row.addWidget(self.selection_button)
        buttons_row.addWidget(QLabel(self.tr("or drop a CSV file on this window")))
        buttons_row.addStretch(1)
        source_layout.addLayout(buttons_row)
        source_layout.addWidget(self.paste_edit)
        source_layout.addWidget(self.source_label)
        #: How a file or a pasted list is read: shown only for one (not for the selection).
        self.list_options = QWidget()
        column_row = QHBoxLayout(self.list_options)
        column_row.setContentsMargins(0, 0, 0, 0)
        column_label = QLabel(self.tr("Column with emails or usernames:"))
        column_label.setBuddy(self.column_combo)
        column_row.addWidget(column_label)
        column_row.addWidget(self.column_combo, 1)
        column_row.addWidget(self.header_check)
        source_layout.addWidget(self.list_options)
        source_layout.addWidget(self.format_label)
        source_layout.addWidget(self.preview)

    @property
    def source(self) -> ListSource | None:
        return self._source

    def set_inputs_enabled(self, enabled: bool) -> None:
        for widget in (
            self.open_button,
            self.selection_button,
            self.paste_edit,
            self.column_combo,
            self.header_check,
        ):
            widget.setEnabled(enabled)

    def ask_file(self) -> Path | None:
        """Where to read the list from (tests replace this)."""
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Open a member list"), "", self.tr("Lists (*.csv *.tsv *.txt);;All files (*)")
        )
        return Path(path) if path else None

    def open_file(self) -> None:
        path = self.ask_file()
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path, *, has_header: bool | None = None) -> None:
        """Sniff the file's encoding, delimiter, header and column (in the background)."""
        self.error.emit("")
        self.source_label.setText(self.tr("Reading {file}…").format(file=path.name))
        bind = self.latest.begin()
        self.session.tasks.start(
            "read list",
            lambda _c, _p: sniff_file(path, has_header=has_header),
            on_success=bind(lambda fmt: self._got_format(ListSource.file(path, fmt), fmt)),
            on_failure=bind(lambda error: self.list_failed(path.name, error)),
        )

    def list_failed(self, name: str, error: Exception) -> None:
        """The list ``name`` could not be read (or its dry run failed): say why; no list now."""
        shown = source_title(name)
        if isinstance(error, ListFileError):
            self.error.emit(self.tr("{list} cannot be used: {why}").format(list=shown, why=error))
        else:
            task = failures.file_task(self.tr("reading {list}").format(list=shown))
            self.error.emit(self.session.describe(error, task).message)
        self.source_label.setText(self.tr("No list."))
        self.changed.emit()

    def _header_toggled(self, checked: bool) -> None:
        source, fmt = self._source, self._format
        if source is None or fmt is None or fmt.has_header == checked:
            return
        if source.path is not None:
            self.load_file(source.path, has_header=checked)
        elif source.text is not None:
            self._read_paste(has_header=checked)

    def _read_paste(self, has_header: bool | None = None) -> None:
        self.latest.begin()  # a file still being read no longer counts
        text = self.paste_edit.toPlainText()
        if not text.strip():
            if self._source is not None and self._source.text is not None:
                self._source = ListSource.selection(self._selection) if self._selection else None
                self._format = None
                self.show_source()
            return
        try:
            fmt = sniff_text(text, has_header=has_header)
        except ListFileError as error:
            self.list_failed(self.tr("The pasted text"), error)
            return
        self._got_format(ListSource.pasted(text, fmt), fmt)

    def _use_selection(self) -> None:
        self.latest.begin()
        self._source = ListSource.selection(self._selection)
        self._format = None
        self.show_source()

    def _got_format(self, source: ListSource, fmt: ListFormat) -> None:
        self._source = source
        self._format = fmt
        self.show_source()

    def show_source(self) -> None:
        """Show where the list comes from, how it is read and its first rows."""
        source, fmt = self._source, self._format
        self.column_combo.blockSignals(True)
        self.column_combo.clear()
        self.preview.clear()
        self.preview.setRowCount(0)
        self.preview.setColumnCount(0)
        if source is None:
            self.source_label.setText(
                self.tr("Choose members: open or drop a file, paste a list, or use the selection.")
            )
            self.format_label.setText("")
        elif fmt is None:
            count = len(source.member_ids)
            if count == 1:
                chosen = self.tr("The member selected in the member list.")
            else:
                chosen = self.tr("The %Ln members selected in the member list.", "", count)
            self.source_label.setText(chosen)
            self.format_label.setText("")
        else:
            self.source_label.setText(self.tr("From {list}.").format(list=source_title(source.name)))
            self.format_label.setText(fmt.description)
            for i, title in enumerate(fmt.columns):
                self.column_combo.addItem(title or self.tr("Column {number}").format(number=i + 1), i)
            self.column_combo.setCurrentIndex(fmt.column)
            self.preview.setColumnCount(len(fmt.columns))
            self.preview.setHorizontalHeaderLabels(list(fmt.columns))
            self.preview.setRowCount(len(fmt.preview))
            for r, cells in enumerate(fmt.preview):
                for c, cell in enumerate(cells):
                    self.preview.setItem(r, c, QTableWidgetItem(cell))
            if fmt.columns:
                self.preview.selectColumn(fmt.column)
        self.column_combo.setEnabled(fmt is not None and len(fmt.columns) > 1)
        self.column_combo.blockSignals(False)
        self.header_check.blockSignals(True)
        self.header_check.setChecked(fmt is not None and fmt.has_header)
        self.header_check.setEnabled(fmt is not None and not fmt.split_items)
        self.header_check.blockSignals(False)
        # Nothing to choose about a selection, or before a list is given.
        self.list_options.setVisible(fmt is not None)
        self.preview.setVisible(fmt is not None)
        self.changed.emit()

    def _column_changed(self, index: int) -> None:
        if self._format is None or self._source is None or index < 0:
            return
        self._format = self._format.with_column(index)
        source = self._source
        if source.path is not None:
            self._source = ListSource.file(source.path, self._format)
        elif source.text is not None:
            self._source = ListSource.pasted(source.text, self._format)
        self.format_label.setText(self._format.description)
        self.preview.selectColumn(index)
        self.changed.emit()
