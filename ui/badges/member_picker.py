"""A member picker: type a username, a name or an email, pick one of the members the cache knows.

The suggestions come from the member search (:class:`~desktop.member_search.MemberSearch`)
on the session's readers, a moment after typing pauses; the latest text wins. A member is
picked when a suggestion is chosen, or when what is typed is a member's whole username or
email. GUI thread only.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QVBoxLayout, QWidget

from desktop.cache.database import Cache
from desktop.domain import Member, MemberStatus
from desktop.member_search import MemberQuery, MemberSearch
from ui.operations import LatestOnly
from ui.session.app_session import AppSession
from ui.widgets.text import plain_label

#: How many members the suggestions list at most.
SUGGESTIONS = 15
#: How long typing must pause before the search runs (ms).
PAUSE_MS = 200


@dataclass(frozen=True, slots=True)
class Suggestion:
    member: Member
    #: As the list shows it: "@username (Display Name)".
    text: str


def suggestion_text(member: Member) -> str:
    name = member.display_name.strip()
    if not name or name == member.username:
        return f"@{member.username}"
    return f"@{member.username} ({name})"


def find_members(cache: Cache, text: str) -> list[Suggestion]:
    """Active members matching ``text`` (a whole username or email first); on a worker."""
    wanted = text.strip().lstrip("@").strip()
    if not wanted:
        return []
    ids = MemberSearch(cache).first_window(MemberQuery(text=wanted, status=MemberStatus.ACTIVE), SUGGESTIONS)
    members = cache.members_by_ids(ids)
    found = [members[i] for i in ids if i in members]
    key = wanted.casefold()
    found.sort(key=lambda m: key not in (m.username.casefold(), m.email.casefold()))
    return [Suggestion(m, suggestion_text(m)) for m in found]


class MemberPicker(QWidget):
    """A line to type in, its suggestions, and who is picked (:attr:`member`). GUI thread only."""

    #: The picked member (:class:`~desktop.domain.Member`), or None when the text names nobody.
    picked = Signal(object)

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.member: Member | None = None
        self.latest = LatestOnly(self)
        self._by_text: dict[str, Member] = {}
        self.line = QLineEdit()
        self.line.setObjectName("memberPickerLine")
        self.line.setAccessibleName(self.tr("Member"))
        self.line.setPlaceholderText(self.tr("Username, name or email"))
        self.line.setClearButtonEnabled(True)
        self._suggestions = QStringListModel(self)
        completer = QCompleter(self._suggestions, self)
        # The search has filtered them already (names, usernames and emails alike).
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated[str].connect(self._chosen)  # type: ignore[index]
        self.line.setCompleter(completer)
        self.found_label = plain_label(name="memberPickerFound", wrap=True)
        #: A search started and its answer not in yet.
        self._pending = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PAUSE_MS)
        self._timer.timeout.connect(self._search)
        self.line.textChanged.connect(self._typed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        layout.addWidget(self.found_label)
        self.setFocusProxy(self.line)

    @property
    def searching(self) -> bool:
        """Whether a search is due or running (tests wait until it is not)."""
        return self._timer.isActive() or self._pending

    def _typed(self, text: str) -> None:
        member = self._by_text.get(text)
        if member is not None:
            self._set(member)
            return
        self._set(None)
        self._timer.start()

    def _chosen(self, text: str) -> None:
        member = self._by_text.get(text)
        if member is not None:
            self._timer.stop()
            self._set(member)

    def _search(self) -> None:
        text = self.line.text()
        cache = self.session.community.cache
        bind = self.latest.begin()
        self._pending = True

        def done(found: list[Suggestion]) -> None:
            self._pending = False
            self._found(text, found)

        def failed(_error: Exception) -> None:
            self._pending = False
            self.found_label.setText(self.tr("The members could not be read."))

        self.session.tasks.start(
            "find members",
            lambda _c, _p: find_members(cache, text),
            on_success=bind(done),
            on_failure=bind(failed),
        )

    def _found(self, text: str, found: list[Suggestion]) -> None:
        self._by_text = {s.text: s.member for s in found}
        self._suggestions.setStringList([s.text for s in found])
        wanted = text.strip().lstrip("@").strip().casefold()
        whole = [
            s.member for s in found if wanted in (s.member.username.casefold(), s.member.email.casefold())
        ]
        if whole:
            self._set(whole[0])
        elif not wanted:
            self.found_label.setText("")
        elif not found:
            self.found_label.setText(self.tr("No active member matches “{text}”.").format(text=text.strip()))
        else:
            self.found_label.setText(self.tr("%n member(s) match: pick one from the list.", "", len(found)))
            completer = self.line.completer()
            if completer is not None and self.line.hasFocus():
                completer.complete()

    def _set(self, member: Member | None) -> None:
        self.found_label.setText("" if member is None else suggestion_text(member))
        if member != self.member:
            self.member = member
            self.picked.emit(member)
