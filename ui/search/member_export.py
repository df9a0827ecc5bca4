"""The Members pane's export: ask what and where, then write the members to a CSV.

All results or only the selected members, the columns the user ticked; the
file is written on a worker through the pane's :class:`ExportTask` (its button
cancels a running export). Messages keep the ``MemberSearchView`` context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from desktop.cancellation import CancelToken
from desktop.export import export_members_csv
from ui.i18n import format_number
from ui.search.dialogs import ask_export
from ui.session.app_session import AppSession
from ui.widgets.export_task import ExportTask


class MemberExport:
    """Exports the members ``shown()`` or ``selected()``, for the dialog's ``parent``; GUI thread only.

    ``total()`` is how many results the pane counts (the export dialog offers them all).
    """

    def __init__(
        self,
        session: AppSession,
        parent: QWidget,
        export: ExportTask,
        *,
        shown: Callable[[], Sequence[int]],
        selected: Callable[[], list[int]],
        total: Callable[[], int],
    ) -> None:
        self.session = session
        self.parent = parent
        self.export = export
        self.shown = shown
        self.selected = selected
        self.total = total

    def ask_and_export(self) -> None:
        """Ask what and where, then export; while an export runs the button cancels it."""
        if self.export.running:
            self.export.cancel()
            return
        choice = ask_export(self.parent, total=self.total(), selected=len(self.selected()))
        if choice is not None:
            self.export_to(choice.path, choice.columns, selection_only=choice.selection_only)

    def export_to(self, path: Path, columns: list[str], *, selection_only: bool = False) -> None:
        """Write the members shown (or the selected ones) to ``path``, on a worker."""
        ids = self.selected() if selection_only else list(self.shown())
        cache = self.session.community.cache

        def work(cancel: CancelToken, report: Callable[[Any], None]) -> int:
            return export_members_csv(cache, ids, columns, path, progress=report, cancel=cancel)

        def progress(done_total: tuple[int, int]) -> str:
            done, total = done_total
            return QCoreApplication.translate("MemberSearchView", "{done} of {total}").format(
                done=format_number(done), total=format_number(total)
            )

        def done(count: int) -> str:
            return QCoreApplication.translate(
                "MemberSearchView", "Exported %Ln member(s) to {path}", "", count
            ).format(path=path)

        self.export.start(path, work, progress_text=progress, done_text=done)
