"""One open designer's badge: opening it, saving it, and settling a conflict over it.

A :class:`DesignerSession` is the Qt-side owner of one designer window's badge
(a QObject, no widgets). It loads the draft and opens the window, then carries
out the window's requests — save, save a family, keep my version, take the
server's — through the app's background operations, calling the core's
:class:`~desktop.designer.drafts.BadgeDrafts`, and reports back to the window.
Whatever a save commits is in SQLite before the window says "queued"
(:meth:`~ui.session.AppSession.change_outbox` sees to it).

It belongs to the :class:`~ui.session.AppSession`, not to the window or to the
badges pane: a save started by "Save" on close lands, and is reported, after
the window is gone, whether or not the pane is shown. It deletes itself once
its window is closed and none of its work is still running.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal

from desktop import failures
from desktop.designer.drafts import BadgeDrafts, Draft, DraftError, SaveResult
from desktop.dialects import registry
from desktop.dialects.capabilities import Capabilities
from desktop.domain import Badge
from desktop.outbox import Outbox
from ui.designer.window import BadgeDesigner
from ui.i18n import translated
from ui.operations import Pool, Work, while_alive
from ui.session.app_session import AppSession

#: What an open designer is filed under: ("badge", id on the server) or ("draft", local draft id).
DesignerKey = tuple[str, int]


#: Shown in the designer where the server keeps no versions of badges.
NO_EDIT_CONFLICTS = str(
    QT_TRANSLATE_NOOP(
        "DesignerSession",
        "This server keeps no versions of badges: BadgeDesk looks for an edit made elsewhere just before "
        "saving, but one made in the moment between that look and the save would be overwritten.",
    )
)
#: Shown for a badge not on a server that keeps no drafts ({server}: its kind's title).
DRAFT_KEPT_HERE = str(
    QT_TRANSLATE_NOOP(
        "DesignerSession",
        "Kept on this computer until published: {server} has no drafts. Saving sends nothing;"
        " Publish creates the badge on the server, where members see it.",
    )
)
#: Shown where the server's badges carry no award message, and it is sent as a private message.
MESSAGE_SENT_APART = str(
    QT_TRANSLATE_NOOP(
        "DesignerSession",
        "The award message is kept on this computer: {server}'s badges have none."
        " It goes to each member awarded as a private message.",
    )
)
#: Shown where the server's badges carry no award message, and this connection cannot send it.
MESSAGE_NOT_SENT = str(
    QT_TRANSLATE_NOOP(
        "DesignerSession",
        "The award message is kept on this computer: {server}'s badges have none."
        " This connection cannot send private messages, so members do not get it yet.",
    )
)


def server_title(capabilities: Capabilities) -> str:
    """What the user calls the server's kind ("Discourse"), for notes that explain a capability."""
    known = registry.DIALECTS.get(capabilities.kind)
    return known.title if known is not None else QCoreApplication.translate("DesignerSession", "This server")


def server_notes(capabilities: Capabilities | None, draft: Draft) -> list[str]:
    """What the server cannot do for this badge, in words for the designer's notes."""
    if capabilities is None or not capabilities.badge_editing:
        return []
    server = server_title(capabilities)
    notes = []
    if capabilities.local_drafts and draft.badge_id is None and not _publishing(draft):
        notes.append(translated("DesignerSession", DRAFT_KEPT_HERE).format(server=server))
    if not capabilities.edit_conflicts:
        notes.append(translated("DesignerSession", NO_EDIT_CONFLICTS))
    if capabilities.local_award_messages:
        message = MESSAGE_SENT_APART if capabilities.messages_apart else MESSAGE_NOT_SENT
        notes.append(translated("DesignerSession", message).format(server=server))
    return notes


def _publishing(draft: Draft) -> bool:
    """Whether the draft's creation is queued (published, not yet confirmed by the server)."""
    return draft.save_state is not None and draft.save_state.unsent


def badge_key(badge: Badge) -> DesignerKey:
    """The key of a listed badge (a negative id is a draft not yet on the server)."""
    return ("draft", -badge.id) if badge.id < 0 else ("badge", badge.id)


def draft_key(draft: Draft) -> DesignerKey:
    """The key of a saved draft: its badge once the server has one, else the draft itself."""
    return ("badge", draft.badge_id) if draft.badge_id is not None else ("draft", draft.id or 0)


class DesignerSession(QObject):
    """Opens one designer window and does its saving. GUI thread only."""

    #: The window was made (a :class:`BadgeDesigner`); it is shown right after.
    opened = Signal(object)
    #: The window's badge was saved and is now filed under this :data:`DesignerKey`.
    filed = Signal(object)
    #: The window was closed (its work may still be running).
    closed = Signal()
    #: The server's version replaced the window's edit: the badges list may show it otherwise.
    replaced = Signal()
    #: A user-facing sentence about opening or saving, for the status bar.
    message = Signal(str)

    def __init__(self, app: AppSession, *, community: str, categories: Sequence[str] = ()) -> None:
        super().__init__(app)
        self.app = app
        self.community = community
        self.categories = list(categories)
        #: The open window; None before it opens and after it closed.
        self.designer: BadgeDesigner | None = None
        self._running = 0
        #: Saves started: a check of what was sent, begun before the last of them, is out of date.
        self._saves = 0

    @property
    def drafts(self) -> BadgeDrafts:
        return self.app.community.drafts

    # --- opening --------------------------------------------------------------------------------

    def open_new(self) -> BadgeDesigner:
        """Open the window on a new, empty badge (at once: nothing to read)."""
        return self._open(self.drafts.new())

    def open_copy(self, badge: Badge) -> None:
        """Read ``badge``, then open the window on a new badge like it."""
        self._load(badge, lambda draft: self._open(self.drafts.duplicate(draft)))

    def open_badge(self, badge: Badge) -> None:
        """Read ``badge`` (as edited here, or as the server has it), then open the window on it."""
        self._load(badge, self._open)

    def _load(self, badge: Badge, then: Callable[[Draft], object]) -> None:
        drafts = self.drafts

        def load(_cancel: object, _report: object) -> Draft:
            return drafts.open_draft(-badge.id) if badge.id < 0 else drafts.open_badge(badge.id)

        def opened(draft: Draft) -> None:
            then(draft)

        self._start(
            "open badge",
            load,
            on_success=opened,
            on_failure=lambda error: self.message.emit(
                self.app.describe(error, failures.loading(self.tr("the badge"))).message
            ),
        )

    def _open(self, draft: Draft) -> BadgeDesigner:
        designer = BadgeDesigner(
            draft,
            tasks=self.app.tasks,
            default_message=self.drafts.default_message(),
            community=self.community,
            categories=self.categories,
            parent=None,
        )
        self._show_server(designer, draft)
        designer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        designer.save_requested.connect(self.save)
        designer.publish_requested.connect(self.publish)
        designer.family_requested.connect(self.save_family)
        designer.keep_mine_requested.connect(self.keep_mine)
        designer.take_theirs_requested.connect(self.take_theirs)
        designer.destroyed.connect(self._closed)
        self.designer = designer
        self.opened.emit(designer)
        designer.show()
        return designer

    def _show_server(self, designer: BadgeDesigner, draft: Draft) -> None:
        """The notes on what the server cannot do for this badge, and Publish where it has no drafts."""
        capabilities = self.app.capabilities
        designer.set_server_notes(server_notes(capabilities, draft))
        designer.set_publishable(
            capabilities is not None
            and capabilities.badge_editing
            and capabilities.local_drafts
            and draft.badge_id is None
            and not _publishing(draft)
        )

    # --- saving ---------------------------------------------------------------------------------

    def save(self, draft: Draft) -> None:
        """Save ``draft`` (the window's) to the cache and queue it for the server."""
        self._save(draft, publish=False)

    def publish(self, draft: Draft) -> None:
        """Save ``draft`` and queue its creation, published (a server without drafts)."""
        self._save(draft, publish=True)

    def _save(self, draft: Draft, *, publish: bool) -> None:
        designer = self.designer
        if designer is None:
            return
        self._saves += 1
        designer.saving()
        drafts = self.drafts

        def done(result: SaveResult) -> None:
            saved = result.draft
            kept_here = result.action is None and saved.badge_id is None
            # The window may have been closed ("Save" on close): the save stands.
            if shiboken6.isValid(designer):
                self.filed.emit(draft_key(saved))
                designer.saved(saved, result.action is not None, kept_here=kept_here)
                self._show_server(designer, saved)
            if publish:
                text = self.tr("“{title}” is published; it is created on the server with the outbox.")
            elif kept_here:
                text = self.tr(
                    "“{title}” is saved on this computer; it reaches the server when you publish it."
                )
            elif result.action is not None:
                text = self.tr("“{title}” saved; it is sent with the outbox.")
            else:
                text = self.tr("“{title}”: nothing to send, the server has this version.")
            self.message.emit(text.format(title=saved.meta.title))

        self._change_outbox(
            "publish badge" if publish else "save badge",
            lambda _outbox: drafts.publish(draft) if publish else drafts.save(draft),
            on_done=done,
            on_failure=while_alive(designer, lambda error: designer.save_failed(self._save_error(error))),
        )

    def save_family(self, family: Sequence[Draft]) -> None:
        """Save the tiers of a family as new badges, in one write."""
        drafts = self.drafts

        def save_all(_outbox: Outbox) -> list[SaveResult]:
            return [drafts.save(draft) for draft in family]

        def done(results: list[SaveResult]) -> None:
            if all(r.action is None and r.draft.badge_id is None for r in results):
                # A server without drafts: they wait here to be published.
                self.message.emit(
                    self.tr(
                        "%n badge(s) of the family (is|are) saved on this computer; each reaches"
                        " the server when you publish it.",
                        "",
                        len(results),
                    )
                )
            else:
                self.message.emit(
                    self.tr(
                        "%n badge(s) of the family saved; they are sent with the outbox.", "", len(results)
                    )
                )

        self._change_outbox(
            "save badge family",
            save_all,
            on_done=done,
            on_failure=lambda error: self.message.emit(
                self.tr("The family was not saved: {why}").format(why=self._save_error(error))
            ),
        )

    def _save_error(self, error: Exception) -> str:
        """Why a save failed, to follow "Not saved:"."""
        if isinstance(error, DraftError):
            return " ".join(str(p) for p in error.problems)
        text = self.app.describe(error, failures.changing(self.tr("saving the badge"))).message
        return text[:1].lower() + text[1:]

    # --- a conflict with the server's version -----------------------------------------------------

    def keep_mine(self, draft: Draft) -> None:
        """Keep this edit over the server's newer version: the next save replaces theirs."""
        designer = self.designer
        if designer is None:
            return
        drafts = self.drafts
        self._start(
            "keep my badge edit",
            lambda _c, _p: drafts.rebase(draft),
            pool="writer",
            on_success=while_alive(designer, designer.set_draft),
            on_failure=while_alive(designer, lambda error: designer.save_failed(self._save_error(error))),
        )

    def take_theirs(self, draft: Draft) -> None:
        """Drop this edit (and its unsent saves) and show the server's version."""
        designer = self.designer
        if designer is None:
            return
        drafts = self.drafts

        def work(_c: object, _p: object) -> Draft:
            drafts.discard(draft)
            return drafts.open_badge(draft.badge_id) if draft.badge_id is not None else drafts.new()

        def took(fresh: Draft) -> None:
            designer.set_draft(fresh)
            self.replaced.emit()

        self._start(
            "take the server's badge",
            work,
            pool="writer",
            on_success=while_alive(designer, took),
            on_failure=while_alive(designer, lambda error: designer.save_failed(self._save_error(error))),
        )

    # --- after a send -----------------------------------------------------------------------------

    def check_sent(self) -> None:
        """Tell the window whether its saved badge reached the server (after a send).

        Only while its last save waits to be sent: any send ends with this check, and a
        window whose save sent nothing ("Nothing to send") must keep saying so. A save
        started meanwhile makes the answer out of date: it is dropped.
        """
        designer = self.designer
        if designer is None or designer.draft.id is None or designer.draft.save_state is None:
            return
        drafts = self.drafts
        draft_id = designer.draft.id
        saves = self._saves

        def report(draft: Draft) -> None:
            if saves == self._saves:
                self._report(designer, draft)

        self._start(
            "check badge save",
            lambda _c, _p: drafts.open_draft(draft_id),
            on_success=while_alive(designer, report),
        )

    def _report(self, designer: BadgeDesigner, draft: Draft) -> None:
        if draft.save_state is None and draft.badge_id is not None:
            self._show_server(designer, draft)
            designer.sent()
        elif draft.save_problem:
            designer.save_failed(self.tr("Not saved on the server: {why}").format(why=draft.save_problem))
            if not designer.document.modified:
                designer.set_draft(draft)

    # --- lifetime: until the window is closed and the last of its work is done ------------------

    def _start(
        self,
        name: str,
        work: Work,
        *,
        pool: Pool = "readers",
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
    ) -> None:
        operation = self.app.tasks.start(
            name, work, pool=pool, on_success=on_success, on_failure=on_failure, on_finished=self._done
        )
        if operation is not None:
            self._running += 1
        else:  # shutting down: nothing runs
            self._delete_when_idle()

    def _change_outbox(
        self,
        name: str,
        change: Callable[[Outbox], Any],
        *,
        on_done: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
    ) -> None:
        # Exactly one of the two handlers runs, unless the app is shutting down
        # (then the session goes with the app session).
        self._running += 1

        def done(result: Any) -> None:
            try:
                on_done(result)
            finally:
                self._done()

        def failed(error: Exception) -> None:
            try:
                on_failure(error)
            finally:
                self._done()

        self.app.change_outbox(name, change, on_done=done, on_failure=failed)

    def _done(self) -> None:
        self._running -= 1
        self._delete_when_idle()

    def _closed(self) -> None:
        self.designer = None
        self.closed.emit()
        self._delete_when_idle()

    def _delete_when_idle(self) -> None:
        if self.designer is None and self._running == 0:
            self.deleteLater()
