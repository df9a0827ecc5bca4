"""The program editor's source: the kind of source (only those the server offers) and each kind's parameters.

Stored as :mod:`desktop.programs.reading` and
:mod:`desktop.programs.sources.activity_specs` read them (``SourceSpec`` version 1):
leaderboard ``measure`` (those the server counts), ``top``, ``exclude_groups`` (group ids),
``exclude_usernames``, ``exclude_winners``; liked-posts ``top``, ``exclude_winners``; topic ``topic_id``,
``min_posts`` (and ``topic_title``, only shown); posters ``min_posts`` and, for a
one-off, ``starts`` and ``ends``; list ``path``, ``column``; tenure ``years``,
``seen_within_days``. A topic is found by title or number through the server
(:meth:`ActivityReader.find_topics`, on the network pool). GUI thread only.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import failures
from desktop.cancellation import CancelToken
from desktop.dialects.activity import BASIC_MEASURES, ActivityReader, TopicRef
from desktop.programs.model import SourceSpec
from desktop.programs.periods import local_zone
from desktop.rules import GroupRef
from ui.i18n import shows_data, translated
from ui.programs.model import MEASURES, kind_name, measure_name
from ui.session.app_session import AppSession
from ui.widgets.text import plain_label

_GROUP_ROLE = Qt.ItemDataRole.UserRole + 1


class SourceError(ValueError):
    """A parameter the user must give; ``str(error)`` is a sentence for the user."""


#: How a list's rows name members (the list source's ``match``): the default, or external ids.
BY_IDENTIFIER = "identifier"
BY_EXTERNAL_ID = "external_id"


class SourceFields(QWidget):
    """Lives on the GUI thread."""

    #: The kind changed (the editor shows what fits it).
    kind_changed = Signal(str)

    def __init__(
        self,
        session: AppSession,
        kinds: tuple[str, ...],
        parent: QWidget | None = None,
        *,
        external_ids: bool = False,
        measures: tuple[str, ...] | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        #: The server finds members by another system's id (Capabilities.external_ids).
        self._external_ids = external_ids
        #: What a leaderboard may rank by (Capabilities.leaderboard_measures; None: all but solutions).
        self._measures = measures
        self._finding = 0
        #: Groups to leave out that the list has not shown yet (read after the dialog opens).
        self._pending_groups: list[int] = []
        #: Asks for a file (title) or a folder (folder=True): a path or None (tests replace it).
        self.ask_path: Callable[[bool], Path | None] = self._ask_path
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("programSourceKind")
        for kind in kinds:
            self.kind_combo.addItem(kind_name(kind), kind)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self._build_leaderboard()
        self._build_liked_posts()
        self._build_topic()
        self._build_posters()
        self._build_list()
        self._build_tenure()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind_combo)
        layout.addWidget(self.stack)
        # A new program starts as the most asked-for: the period's top contributors, where the server
        # can tell them.
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData("leaderboard")))
        self.kind_combo.currentIndexChanged.connect(self._kind_chosen)
        self._kind_chosen()

    # --- pages ------------------------------------------------------------------------

    def _page(self, kind: str) -> QFormLayout:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        column.addLayout(form)
        column.addStretch(1)
        self.pages[kind] = page
        self.stack.addWidget(page)
        return form

    @staticmethod
    def _row(form: QFormLayout, text: str, field: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        form.addRow(label, field)

    def _spin(self, name: str, low: int, high: int, value: int, none: str = "") -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(name)
        spin.setRange(low, high)
        if none:
            spin.setSpecialValueText(none)
        spin.setValue(value)
        return spin

    def _build_leaderboard(self) -> None:
        form = self._page("leaderboard")
        self.measure_combo = QComboBox()
        self.measure_combo.setObjectName("programMeasure")
        for measure, text in MEASURES:
            if measure in (self._measures or BASIC_MEASURES):
                self.measure_combo.addItem(translated("ProgramTexts", text), measure.value)
        self.board_top = self._spin("programBoardTop", 1, 100, 1)
        self.groups_list = QListWidget()
        self.groups_list.setObjectName("programExcludeGroups")
        self.groups_list.setMaximumHeight(90)
        shows_data(self.groups_list)  # the community's group names
        self.usernames_edit = QLineEdit()
        self.usernames_edit.setObjectName("programExcludeUsernames")
        self.usernames_edit.setPlaceholderText(self.tr("Usernames, separated by commas"))
        self.board_winners = self._winners_spin("programBoardWinners")
        self._row(form, self.tr("Ran&k by:"), self.measure_combo)
        self._row(form, self.tr("&Top (ties are shown):"), self.board_top)
        self._row(form, self.tr("E&xclude groups:"), self.groups_list)
        self._row(form, self.tr("Exclude use&rnames:"), self.usernames_edit)
        self._row(form, self.tr("Periods whose &winners are left out:"), self.board_winners)

    def _winners_spin(self, name: str) -> QSpinBox:
        spin = self._spin(name, 0, 52, 0, none=self.tr("none"))
        spin.setToolTip(self.tr("Leave out the members this program awarded in that many last periods"))
        return spin

    def _build_liked_posts(self) -> None:
        form = self._page("liked-posts")
        self.posts_top = self._spin("programPostsTop", 1, 100, 5)
        self.posts_winners = self._winners_spin("programPostsWinners")
        self._row(form, self.tr("&Top posts to choose from:"), self.posts_top)
        self._row(form, self.tr("Periods whose &winners are left out:"), self.posts_winners)

    def _build_topic(self) -> None:
        form = self._page("topic")
        self.topic_query = QLineEdit()
        self.topic_query.setObjectName("programTopicQuery")
        self.topic_query.setAccessibleName(self.tr("Find a topic by its title or number"))
        self.topic_query.setPlaceholderText(self.tr("Words of its title, or its number"))
        self.topic_query.returnPressed.connect(self.find_topics)
        self.find_button = QPushButton(self.tr("&Find"))
        self.find_button.setObjectName("programFindTopic")
        self.find_button.clicked.connect(self.find_topics)
        find_row = QWidget()
        row = QHBoxLayout(find_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.topic_query, 1)
        row.addWidget(self.find_button)
        find_row.setFocusProxy(self.topic_query)
        self.topic_combo = QComboBox()
        self.topic_combo.setObjectName("programTopic")
        shows_data(self.topic_combo)  # the forum's topic titles
        self.topic_status = plain_label(name="programTopicStatus", wrap=True)
        self.topic_min = self._spin("programTopicMinPosts", 1, 1000, 1)
        self._row(form, self.tr("Find a &topic (title or number):"), find_row)
        self._row(form, self.tr("C&hosen topic:"), self.topic_combo)
        form.addRow(self.topic_status)
        self._row(form, self.tr("At &least this many posts:"), self.topic_min)

    def _build_posters(self) -> None:
        form = self._page("posters")
        self.posters_min = self._spin("programPostersMinPosts", 1, 1000, 1)
        now = QDateTime.currentDateTime()
        self.starts_edit = QDateTimeEdit(now.addDays(-1))
        self.starts_edit.setObjectName("programWindowStarts")
        self.ends_edit = QDateTimeEdit(now)
        self.ends_edit.setObjectName("programWindowEnds")
        for edit in (self.starts_edit, self.ends_edit):
            edit.setCalendarPopup(True)
        self.window_hint = plain_label(
            self.tr("A one-off program reads the posts between these two times."),
            name="programWindowHint",
            wrap=True,
        )
        self._row(form, self.tr("At &least this many posts:"), self.posters_min)
        self._row(form, self.tr("&From:"), self.starts_edit)
        self._row(form, self.tr("Un&til:"), self.ends_edit)
        form.addRow(self.window_hint)
        self._posters_form = form
        self.set_one_off(False)

    def _build_list(self) -> None:
        form = self._page("list")
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("programListPath")
        self.path_edit.setAccessibleName(self.tr("File or folder of the list"))
        self.path_edit.setPlaceholderText(self.tr("A CSV or JSON file, or a folder"))
        self.path_edit.setToolTip(self.tr("Read on every run; of a folder, its newest file"))
        self.browse_button = QPushButton(self.tr("Bro&wse file…"))
        self.browse_button.setObjectName("programBrowseFile")
        self.browse_button.clicked.connect(lambda: self._browse(folder=False))
        self.folder_button = QPushButton(self.tr("Choose fol&der…"))
        self.folder_button.setObjectName("programBrowseFolder")
        self.folder_button.clicked.connect(lambda: self._browse(folder=True))
        path_row = QWidget()
        row = QHBoxLayout(path_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        row.addWidget(self.folder_button)
        path_row.setFocusProxy(self.path_edit)
        self.column_edit = QLineEdit()
        self.column_edit.setObjectName("programListColumn")
        self.column_edit.setPlaceholderText(self.tr("Optional: found by its header (email, username…)"))
        self.match_combo = QComboBox()
        self.match_combo.setObjectName("programListMatch")
        self.match_combo.addItem(self.tr("email address or username"), BY_IDENTIFIER)
        if self._external_ids:
            self.match_combo.addItem(self.tr("external id (one request to the server each)"), BY_EXTERNAL_ID)
        self.match_combo.setToolTip(
            self.tr("External ids: the id the other system signs members in with (single sign-on)")
        )
        self._row(form, self.tr("&File or folder:"), path_row)
        self._row(form, self.tr("Co&lumn:"), self.column_edit)
        self._row(form, self.tr("Matc&h rows by:"), self.match_combo)

    def _build_tenure(self) -> None:
        form = self._page("tenure")
        self.years_spin = self._spin("programTenureYears", 1, 100, 10)
        self.seen_spin = self._spin("programTenureSeen", 0, 3650, 90, none=self.tr("any time"))
        self._row(form, self.tr("&Years a member:"), self.years_spin)
        self._row(form, self.tr("Seen &within this many days:"), self.seen_spin)

    # --- the kind -----------------------------------------------------------------------

    @property
    def kind(self) -> str:
        value = self.kind_combo.currentData()
        return str(value) if value is not None else ""

    def _kind_chosen(self) -> None:
        page = self.pages.get(self.kind)
        if page is not None:
            self.stack.setCurrentWidget(page)
        # The stack is as tall as the page shown, not as the tallest page.
        for each in self.pages.values():
            policy = QSizePolicy.Policy.Preferred if each is page else QSizePolicy.Policy.Ignored
            each.setSizePolicy(policy, policy)
        self.stack.adjustSize()
        self.kind_changed.emit(self.kind)

    def set_one_off(self, one_off: bool) -> None:
        """A window of its own only for a one-off (the other cadences read their period)."""
        for field in (self.starts_edit, self.ends_edit, self.window_hint):
            self._posters_form.setRowVisible(field, one_off)

    def set_groups(self, groups: list[GroupRef]) -> None:
        """The groups a leaderboard may leave out: the server's, by id."""
        chosen = self.excluded_groups()
        self.groups_list.clear()
        for group in groups:
            if group.id is None:
                continue
            item = QListWidgetItem(group.name)
            item.setData(_GROUP_ROLE, group.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if group.id in chosen else Qt.CheckState.Unchecked)
            self.groups_list.addItem(item)
        self._pending_groups = chosen

    def excluded_groups(self) -> list[int]:
        found = [
            int(item.data(_GROUP_ROLE))
            for item in (self.groups_list.item(i) for i in range(self.groups_list.count()))
            if item.checkState() == Qt.CheckState.Checked
        ]
        pending = self._pending_groups
        listed = {int(self.groups_list.item(i).data(_GROUP_ROLE)) for i in range(self.groups_list.count())}
        # Groups chosen before the list was read (or no longer listed) stay chosen.
        return sorted(set(found) | {g for g in pending if g not in listed})

    # --- reading and writing the spec -----------------------------------------------------

    def set_spec(self, spec: SourceSpec) -> None:
        """Show a stored source (a kind this server does not offer is kept, and said so)."""
        index = self.kind_combo.findData(spec.kind)
        if index < 0:
            self.kind_combo.addItem(
                self.tr("{kind} (this server cannot read it)").format(kind=kind_name(spec.kind)), spec.kind
            )
            index = self.kind_combo.count() - 1
        self.kind_combo.setCurrentIndex(index)
        p = spec.params
        if spec.kind == "leaderboard":
            measure = str(p.get("measure", ""))
            if measure and self.measure_combo.findData(measure) < 0:  # kept, as an unread kind is
                shown = self.tr("{measure} (this server does not count them)")
                self.measure_combo.addItem(shown.format(measure=measure_name(measure)), measure)
            self.measure_combo.setCurrentIndex(max(0, self.measure_combo.findData(measure)))
            self.board_top.setValue(_whole(p.get("top"), 1))
            self._pending_groups = [g for g in p.get("exclude_groups", []) if isinstance(g, int)]
            self.set_groups([])
            self.usernames_edit.setText(", ".join(str(n) for n in p.get("exclude_usernames", [])))
            self.board_winners.setValue(_whole(p.get("exclude_winners"), 0))
        elif spec.kind == "liked-posts":
            self.posts_top.setValue(_whole(p.get("top"), 5))
            self.posts_winners.setValue(_whole(p.get("exclude_winners"), 0))
        elif spec.kind == "topic":
            topic_id = _whole(p.get("topic_id"), 0)
            title = str(p.get("topic_title") or "")
            shown = title or self.tr("Topic #{number}").format(number=topic_id)
            self.topic_combo.clear()
            self.topic_combo.addItem(shown, (topic_id, title))
            self.topic_min.setValue(_whole(p.get("min_posts"), 1))
        elif spec.kind == "posters":
            self.posters_min.setValue(_whole(p.get("min_posts"), 1))
            for key, edit in (("starts", self.starts_edit), ("ends", self.ends_edit)):
                with contextlib.suppress(ValueError, TypeError):
                    edit.setDateTime(_qdatetime(datetime.fromisoformat(str(p[key]))))
        elif spec.kind == "list":
            self.path_edit.setText(str(p.get("path", "")))
            self.column_edit.setText(str(p.get("column") or ""))
            match = BY_EXTERNAL_ID if p.get("match") == BY_EXTERNAL_ID else BY_IDENTIFIER
            if self.match_combo.findData(match) < 0:
                self.match_combo.addItem(
                    self.tr("external id (this server cannot find members by one)"), BY_EXTERNAL_ID
                )
            self.match_combo.setCurrentIndex(self.match_combo.findData(match))
        elif spec.kind == "tenure":
            self.years_spin.setValue(_whole(p.get("years"), 10))
            within = p.get("seen_within_days")
            self.seen_spin.setValue(within if isinstance(within, int) else 0)

    def spec(self, *, one_off: bool) -> SourceSpec:
        """The source as chosen; :class:`SourceError` naming what is missing."""
        kind = self.kind
        params: dict[str, Any]
        if kind == "leaderboard":
            names = [n.strip().lstrip("@") for n in self.usernames_edit.text().split(",") if n.strip()]
            params = {
                "measure": str(self.measure_combo.currentData()),
                "top": self.board_top.value(),
                "exclude_groups": self.excluded_groups(),
                "exclude_usernames": names,
                "exclude_winners": self.board_winners.value(),
            }
        elif kind == "liked-posts":
            params = {"top": self.posts_top.value(), "exclude_winners": self.posts_winners.value()}
        elif kind == "topic":
            chosen = self.topic_combo.currentData()
            if not chosen or not chosen[0]:
                raise SourceError(self.tr("Find the topic and choose it."))
            params = {"topic_id": int(chosen[0]), "min_posts": self.topic_min.value()}
            if chosen[1]:
                params["topic_title"] = str(chosen[1])
        elif kind == "posters":
            params = {"min_posts": self.posters_min.value()}
            if one_off:
                starts = _python(self.starts_edit.dateTime())
                ends = _python(self.ends_edit.dateTime())
                if ends <= starts:
                    raise SourceError(self.tr("The window must end after it starts."))
                zone = local_zone()  # the window's own offset, summer or winter
                params["starts"] = starts.replace(tzinfo=zone).isoformat()
                params["ends"] = ends.replace(tzinfo=zone).isoformat()
        elif kind == "list":
            path = self.path_edit.text().strip()
            if not path:
                raise SourceError(self.tr("Choose the file or folder the other system writes."))
            params = {"path": path, "column": self.column_edit.text().strip()}
            if self.match_combo.currentData() == BY_EXTERNAL_ID:
                params["match"] = BY_EXTERNAL_ID
        elif kind == "tenure":
            seen = self.seen_spin.value()
            params = {"years": self.years_spin.value(), "seen_within_days": seen or None}
        else:
            raise SourceError(self.tr("Choose where the program's candidates come from."))
        return SourceSpec(kind, params)

    # --- finding a topic ----------------------------------------------------------------

    @property
    def finding(self) -> bool:
        return self._finding > 0

    def find_topics(self) -> None:
        """Ask the server for topics whose title has the words (or that number), on the network pool."""
        query = self.topic_query.text().strip()
        if not query:
            self.topic_status.setText(self.tr("Type words of the topic's title, or its number."))
            return
        connector = self.session.community.connector

        def work(_cancel: CancelToken, _progress: object) -> list[TopicRef] | None:
            with contextlib.closing(connector()) as session:
                if not isinstance(session, ActivityReader):
                    return None
                return session.find_topics(query)

        self.topic_status.setText(self.tr("Looking for “{query}”…").format(query=query))
        self.find_button.setEnabled(False)
        op = self.session.tasks.start(
            "find topics",
            work,
            pool="network",
            on_success=self._found,
            on_failure=self._not_found,
            on_finished=self._found_finished,
        )
        if op is not None:
            self._finding += 1

    def _found_finished(self) -> None:
        self._finding -= 1
        self.find_button.setEnabled(True)

    def _found(self, topics: list[TopicRef] | None) -> None:
        if topics is None:
            self.topic_status.setText(self.tr("This server cannot tell who posted in a topic."))
            return
        self.topic_combo.clear()
        for topic in topics:
            text = self.tr("{title} (#{number}, %Ln post(s))", "", topic.posts_count).format(
                title=topic.title, number=topic.topic_id
            )
            self.topic_combo.addItem(text, (topic.topic_id, topic.title))
        self.topic_status.setText(self.tr("%Ln topic(s) found.", "", len(topics)))
        if topics:
            self.topic_combo.setFocus()

    def _not_found(self, error: Exception) -> None:
        self.topic_status.setText(
            self.session.describe(error, failures.loading(self.tr("the topics"))).message
        )

    # --- a list's file ---------------------------------------------------------------------

    def _browse(self, *, folder: bool) -> None:
        path = self.ask_path(folder)
        if path is not None:
            self.path_edit.setText(str(path))

    def _ask_path(self, folder: bool) -> Path | None:
        start = self.path_edit.text().strip()
        if folder:
            name = QFileDialog.getExistingDirectory(
                self, self.tr("The folder the other system writes"), start
            )
        else:
            name, _chosen = QFileDialog.getOpenFileName(
                self,
                self.tr("The list the other system writes"),
                start,
                self.tr("Lists (*.csv *.json);;All files (*)"),
            )
        return Path(name) if name else None


def _whole(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _qdatetime(moment: datetime) -> QDateTime:
    """``moment`` on the user's clock (an aware time is shown in the local zone)."""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute, local.second))


def _python(moment: QDateTime) -> datetime:
    """A date-time edit's value as a naive datetime on the user's clock."""
    day, time = moment.date(), moment.time()
    return datetime(day.year(), day.month(), day.day(), time.hour(), time.minute(), time.second())
