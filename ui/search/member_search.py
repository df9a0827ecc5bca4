"""The Members pane: search as you type, filters, results, member detail, export.

Keystrokes restart a short timer; when it fires, the query runs on a worker
and only the newest query's result is shown (older ones still running are
dropped). The table holds member ids and loads visible rows lazily.

The top row and its menus are :mod:`ui.search.search_bar` and
:mod:`ui.search.filters`, the paste and export dialogs :mod:`ui.search.dialogs`,
the panel beside the table :mod:`ui.search.member_detail`, the rows' context menu
:mod:`ui.search.member_menu`. The queries run in
:mod:`ui.search.result_loading`; :mod:`ui.search.result_selection` reads the
selection and selects it again after a refresh; a pasted list is resolved by
:mod:`ui.search.pasted_list`, the export written by :mod:`ui.search.member_export`
and a grant's revoke queued by :mod:`ui.search.grant_revoke`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget

from desktop import failures
from desktop.domain import ActionKind, Award, Badge, ChangeSet
from desktop.member_search import (
    FirstResults,
    MemberQuery,
    MemberSearch,
    Resolution,
    SortKey,
    member_detail,
    query_from_dict,
    query_to_dict,
)
from desktop.settings import Settings
from ui.operations import LatestOnly
from ui.search.filter_chips import FilterChips
from ui.search.filters import Remove, count_text, has_filters, query_chips
from ui.search.grant_revoke import queue_grant_revoke
from ui.search.member_detail import MemberDetailPanel
from ui.search.member_export import MemberExport
from ui.search.member_menu import MemberMenu
from ui.search.model import SORTABLE, LoadedRows, MemberTableModel
from ui.search.pasted_list import PastedList, resolution_message
from ui.search.result_loading import WINDOW, ResultLoading
from ui.search.result_selection import Outcome, ResultSelection
from ui.search.rules.pane_rules import PaneRules
from ui.search.rules.rule_count import activity_unavailable
from ui.search.search_bar import SearchBar
from ui.session.app_session import AppSession
from ui.widgets.export_task import ExportTask
from ui.widgets.load_failure import NOT_LOADED, LoadFailure
from ui.widgets.small_screens import scrolling
from ui.widgets.table_pane import row_table
from ui.widgets.text import plain_label

DEBOUNCE_MS = 150


class MemberSearchView(QWidget):
    """Lives on the GUI thread."""

    #: A user-facing sentence for the status bar.
    message = Signal(str)
    #: (member ids, ActionKind): the user wants to award or revoke for the selection.
    batch_requested = Signal(object, object)

    def __init__(
        self, session: AppSession, settings: Settings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings or Settings()
        self.search = MemberSearch(session.community.cache)
        self.query = MemberQuery()
        #: Members of a pasted list; the results are restricted to them.
        self.pasted: list[int] | None = None
        self.badges: dict[int, Badge] = {}
        self.groups: list[str] = []
        self.loading = ResultLoading(self, session)
        self._details = LatestOnly(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.run_query)
        self.rules = PaneRules(
            self, session, self.settings, show_query=self.select_everyone, say=self.message.emit
        )

        self.bar = SearchBar(
            self,
            self.settings,
            add_filter=self.add_filter,
            badges=lambda: self.badges.values(),
            groups=lambda: self.groups,
            open_saved=self.open_saved,
            save_search=self.save_search,
            say=self.message.emit,
            select_group=self.select_group,
            rules_menu=self.rules.menu,
        )
        self.search_box = self.bar.search_box
        self.search_box.textChanged.connect(self._text_changed)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.focus_search)
        self.pasted_list = PastedList(
            session,
            self,
            self.loading.results,
            start=self.loading.start,
            resolved=self._pasted_resolved,
            say=self.message.emit,
        )
        self.bar.paste_button.clicked.connect(self.pasted_list.ask)
        self.export_button = self.bar.export_button
        self.export = ExportTask(self, session, self.export_button, self.tr("members"), self.message.emit)
        self.export.ended = lambda: self.export_button.setEnabled(self._final)
        self.exporter = MemberExport(
            session,
            self,
            self.export,
            shown=lambda: self.model.ids,
            selected=self.selected_ids,
            total=lambda: self._total,
        )
        self.export_button.clicked.connect(self.exporter.ask_and_export)
        self.award_button = self.bar.award_button
        self.revoke_button = self.bar.revoke_button
        self.award_button.clicked.connect(lambda: self._request_batch(ActionKind.AWARD))
        self.revoke_button.clicked.connect(lambda: self._request_batch(ActionKind.REVOKE))

        self.chips = FilterChips()
        self.chips.hide()
        self.count_label = plain_label(self.tr("Loading members…"), name="memberCount")
        self.failure = LoadFailure(self)
        self.failure.retry.connect(lambda: self.run_query(keep_selection=True))
        self.select_all_button = QPushButton(self.tr("Select all"))
        self.select_all_button.setFlat(True)
        self.select_all_button.clicked.connect(self.select_all_results)
        counts = QHBoxLayout()
        counts.addWidget(self.count_label)
        counts.addWidget(self.select_all_button)
        counts.addStretch(1)

        self.model = MemberTableModel(session.community, session.tasks, self)
        self.table = row_table("memberTable", self.model, self)
        self.table.setAccessibleName(self.tr("Members"))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sectionClicked.connect(self._header_clicked)
        for column, width in enumerate((200, 150, 250, 90, 90, 80)):
            # Never narrower than the header's title: a translation may be longer.
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))
        header.setStretchLastSection(True)
        self.selection = ResultSelection(self.table, self.model)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.detail = MemberDetailPanel()
        self.detail.revoke_requested.connect(self.revoke_grant)
        #: The rows' context menu; opens a member's profile on the server.
        self.row_menu = MemberMenu(self)
        splitter = QSplitter()
        splitter.setObjectName("memberSplitter")
        splitter.addWidget(self.table)
        # Scrolls where the pane is shorter than the detail (a small screen, the Getting started strip).
        splitter.addWidget(scrolling(self.detail, "memberDetailScroll"))
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 380])

        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.chips)
        layout.addWidget(self.failure)
        layout.addLayout(counts)
        layout.addWidget(splitter, 1)
        session.changed.connect(self.on_changed)
        #: Matches counted: all of them, or a lower bound while ``_more``.
        self._total = 0
        self._more = False
        #: False while only the first window of results is shown.
        self._final = True
        #: The last pasted list's outcome (found members, names not found).
        self.last_resolution: Resolution | None = None

    # --- state for tests and the status bar ------------------------------------

    @property
    def idle(self) -> bool:
        """No query waiting or running (tests wait on this)."""
        return not self._debounce.isActive() and not self.loading.busy

    # --- running queries -------------------------------------------------------

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _text_changed(self, text: str) -> None:
        self.query = replace(self.query, text=text)
        # The words typed so far are out of date: stop their queries now, not when the timer fires.
        self.loading.cancel()
        self._debounce.start()

    def set_query(self, query: MemberQuery, **run: bool) -> None:
        """Replace the whole query (text, filters, sort) and run it at once (``run``: as
        :meth:`run_query` takes them)."""
        self.query = query
        if self.search_box.text() != query.text:
            self.search_box.blockSignals(True)
            self.search_box.setText(query.text)
            self.search_box.blockSignals(False)
        self.run_query(**run)

    def run_query(
        self, *, keep_selection: bool = False, select_all: bool = False, then_award: bool = False
    ) -> None:
        """Show the first results at once, then the complete, ranked list (:mod:`ui.search.result_loading`).

        With ``keep_selection`` the selected members and the current one stay
        selected when they are still in the results; ``then_award``: once all
        are selected, "Award badge…" has the focus.
        """
        self._debounce.stop()
        self._update_chips()
        self._update_sort_indicator()
        query = self.query
        self._update_focus()
        pasted = None if self.pasted is None else set(self.pasted)
        keep, current_id = self.selection.to_keep() if keep_selection else (set[int](), None)

        def show_window(first: FirstResults, loaded: LoadedRows) -> None:
            final = len(first.ids) < WINDOW
            self._show_results(first.ids, loaded, total=first.counted, more=first.more, final=final)

        def show_all(outcome: Outcome, loaded: LoadedRows) -> None:
            self._show_results(outcome.ids, loaded, total=len(outcome.ids), more=False, final=True)
            if select_all:
                self.select_all_results()
                if then_award and outcome.ids:
                    self.award_button.setFocus()
            else:
                self._restore_selection(outcome)

        def failed(error: Exception) -> None:
            # What stays is what is shown: the count, "Select all" and export agree with the rows.
            self._total = self.model.rowCount()
            self._final = True
            self._more = False
            self._update_count()
            # NOT_LOADED is English, marked for translation in the LoadFailure context.
            text = QCoreApplication.translate("LoadFailure", NOT_LOADED)
            self.count_label.setText(text)
            self.failure.show_failure(
                self.session.describe(error, failures.loading(self.tr("the members"))).message
            )

        self.loading.load(
            self.search,
            query,
            pasted=pasted,
            keep=keep,
            current_id=current_id,
            show_window=show_window,
            show_all=show_all,
            failed=failed,
            read_rows=self.model.row_reader(),
        )

    def _show_results(
        self, ids: Sequence[int], loaded: LoadedRows, *, total: int, more: bool, final: bool
    ) -> None:
        """Show ``ids`` (the first ones ``loaded``): ``total`` matches (or more, with ``more``);
        ``final``: all of them."""
        self.failure.clear()
        # The model reset drops the selection without telling the detail
        # panel; a detail load in flight must not bring an old member back.
        self._details.begin()
        self.detail.show_detail(None)
        self.model.set_ids(ids, loaded)
        self._total = total
        self._more = more
        self._final = final
        self._update_count()

    def _restore_selection(self, outcome: Outcome) -> None:
        current = self.selection.restore(outcome)
        if current is not None:
            self._current_changed(current, QModelIndex())

    def _update_count(self) -> None:
        filtered = bool(self.query.text.strip()) or has_filters(self.query, pasted=self.pasted is not None)
        total, selected = self._total, self._selected_count()
        text = count_text(total, more=self._more, filtered=filtered, selected=selected)
        self.count_label.setText(text)
        # What "Select all" selects: the rows shown (the first ones while more are counted).
        rows = total if self._final else self.model.rowCount()
        self.select_all_button.setText(self.tr("Select all %Ln", "", rows))
        self.select_all_button.setVisible(rows > 0 and selected < rows)
        # Exporting "all results" needs all of them, not the first window.
        # (While an export runs, the button cancels it.)
        self.export_button.setEnabled(self._final or self.export.running)

    def on_changed(self, changes: ChangeSet) -> None:
        if changes.reset or changes.badges or changes.groups:
            self._load_choices()
        q = self.query
        awards_matter = bool(q.holds or q.lacks or q.rule) or q.sort is SortKey.BADGE_COUNT
        # The rows the table keeps between queries: what changed is read again.
        if changes.reset or changes.awards:
            self.model.refresh()
        elif changes.members:
            self.model.invalidate(changes.members)
        if changes.reset or (changes.groups and (q.group or q.rule)):
            self.run_query(keep_selection=True)
        elif changes.members or (changes.awards and awards_matter):
            # A changed member may no longer match, or sort elsewhere: ask
            # again, keeping the selection and the current member.
            self.run_query(keep_selection=True)
        elif changes.awards:
            # Only the rows' badge counts changed (read again above), and maybe the detail's grants.
            self._current_changed(self.table.currentIndex(), QModelIndex())
        elif changes.outbox:
            # A revoke queued or confirmed: the detail marks the grants it names.
            self._current_changed(self.table.currentIndex(), QModelIndex())

    def reload(self) -> None:
        self.model.refresh()
        self._load_choices()
        self.run_query()

    def _load_choices(self) -> None:
        cache = self.session.community.cache

        def work(_cancel: Any, _report: Any) -> tuple[list[Badge], list[str]]:
            return cache.badges(), cache.groups()

        # Needed only once a filter menu opens: the members listed go first.
        self.session.tasks.start("load filter choices", work, on_success=self._got_choices, background=True)

    def _got_choices(self, choices: tuple[list[Badge], list[str]]) -> None:
        badges, self.groups = choices
        self.badges = {b.id: b for b in badges}
        self._update_chips()
        self._update_focus()

    def _update_focus(self) -> None:
        """Filtered by a badge members may hold several times: the rows count its grants."""
        held = {b: self.badges[b] for b in self.query.holds if b in self.badges}
        self.model.set_focus({b: badge.title for b, badge in held.items() if badge.multiple_grant})

    # --- sorting ---------------------------------------------------------------

    def _header_clicked(self, section: int) -> None:
        key = SORTABLE.get(section)
        if key is None:
            self._update_sort_indicator()
            return
        descending = not self.query.descending if self.query.sort is key else key is not SortKey.NAME
        self.set_query(replace(self.query, sort=key, descending=descending))

    def _update_sort_indicator(self) -> None:
        header = self.table.horizontalHeader()
        section = next((s for s, k in SORTABLE.items() if k is self.query.sort), -1)
        order = Qt.SortOrder.DescendingOrder if self.query.descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(section, order)

    # --- filters ---------------------------------------------------------------

    def add_filter(self, **change: Any) -> None:
        """Add filters: ``holds``/``lacks`` take one badge id; others set the field."""
        query = self.query
        if "holds" in change:
            query = replace(query, holds=query.holds | {change.pop("holds")})
        if "lacks" in change:
            query = replace(query, lacks=query.lacks | {change.pop("lacks")})
        self.set_query(replace(query, **change))

    def _badge_title(self, badge_id: int) -> str:
        badge = self.badges.get(badge_id)
        return badge.title if badge else self.tr("badge #{id}").format(id=badge_id)

    def _remove_filter(self, remove: Remove) -> None:
        self.set_query(remove(self.query))

    def _update_chips(self) -> None:
        chips: list[tuple[str, Callable[[], None]]] = [
            (text, partial(self._remove_filter, remove))
            for text, remove in query_chips(self.query, self._badge_title, self.rules.chip_text)
        ]
        if self.pasted is not None:
            pasted = len(self.pasted)
            chips.append((self.tr("Pasted list (%Ln)", "", pasted), self.clear_pasted))
        self.chips.show_chips(chips)

    # --- saved searches ----------------------------------------------------------

    def save_search(self, name: str) -> None:
        self.settings.saved_searches[name] = query_to_dict(self.query)
        self.message.emit(self.tr("Saved the search “{name}”.").format(name=name))

    def open_saved(self, name: str) -> None:
        try:
            query = query_from_dict(self.settings.saved_searches[name])
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            # Not the error's words: they may quote what the search held.
            self.message.emit(
                self.tr(
                    "The saved search “{name}” cannot be used ({error}): delete it and save the search again."
                ).format(name=name, error=type(error).__name__)
            )
            return
        if query.rule is not None and activity_unavailable(query.rule, self.session.capabilities):
            self.message.emit(
                self.tr(
                    "The saved search “{name}” has a rule with conditions on posts or trust level, which"
                    " this community's server does not list: it cannot select anyone here."
                ).format(name=name)
            )
            return
        self.pasted = None
        self.set_query(query)

    # --- paste a list --------------------------------------------------------------

    def select_pasted(self, text: str) -> None:
        """Show and select the members a pasted list names; report the others."""
        self.pasted_list.select(text)

    def _pasted_resolved(self, resolution: Resolution) -> None:
        self.last_resolution = resolution
        self.message.emit(resolution_message(resolution))
        self.pasted = resolution.found
        self.query = MemberQuery(sort=SortKey.NAME)
        self.search_box.blockSignals(True)
        self.search_box.clear()
        self.search_box.blockSignals(False)
        self.run_query(select_all=True)

    def show_holders(self, badge_id: int) -> None:
        """Everyone who holds the badge ``badge_id`` (its holders, by name)."""
        self.pasted = None
        self.set_query(MemberQuery(holds=frozenset({badge_id}), sort=SortKey.NAME))

    def select_group(self, name: str) -> None:
        """Everyone in the group ``name``, all selected, "Award badge…" focused: a batch in a keystroke."""
        self.select_everyone(MemberQuery(group=name, sort=SortKey.NAME))

    def select_everyone(self, query: MemberQuery) -> None:
        """Everyone ``query`` finds (a group, a rule), all selected, "Award badge…" focused."""
        self.pasted = None
        self.set_query(query, select_all=True, then_award=True)

    def clear_pasted(self) -> None:
        self.pasted = None
        self.run_query()

    # --- selection and detail ---------------------------------------------------

    def _selected_count(self) -> int:
        return self.selection.count()

    def selected_ids(self) -> list[int]:
        return self.selection.ids()

    def select_all_results(self) -> None:
        self.table.selectAll()

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_count()
        chosen = self.table.selectionModel().hasSelection()
        self.award_button.setEnabled(chosen)
        self.revoke_button.setEnabled(chosen)

    def _request_batch(self, kind: ActionKind) -> None:
        ids = self.selected_ids()
        if ids:
            self.batch_requested.emit(ids, kind)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self._details.begin()
            self.detail.show_detail(None)
            return
        member_id = self.model.ids[current.row()]
        cache = self.session.community.cache
        self.session.tasks.start(
            "member detail",
            lambda _c, _p: member_detail(cache, member_id),
            on_success=self._details.next(self.detail.show_detail),
        )

    def revoke_grant(self, award: Award) -> None:
        """Queue the revoke of this one grant (a batch of one: the Outbox can undo it)."""
        queue_grant_revoke(self.session, self, award, self._badge_title(award.badge_id), self.message.emit)

    # --- export (ui.search.member_export) ------------------------------------------

    def export_to(self, path: Path, columns: list[str], *, selection_only: bool = False) -> None:
        """Write the members shown (or the selected ones) to ``path``, on a worker."""
        self.exporter.export_to(path, columns, selection_only=selection_only)
