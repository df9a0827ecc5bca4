"""What a section of the designer may ask of its window.

The sections (layers, templates, metadata) edit one document, which the
window owns and may replace (after "Take the server's"); they reach it, and
the window's status line and dialogs, through this small protocol, always at
the moment they need it, so a dialog a test replaced on the window is the one
asked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from desktop.designer.document import BadgeDocument, Design
from ui.operations import TaskManager

#: (title, label, default) -> the text, or None when cancelled.
PromptText = Callable[[str, str, str], "str | None"]
#: (initial hex, title) -> the chosen hex, or None when cancelled.
PickColour = Callable[[str, str], "str | None"]
#: (title, filter) -> the file to open, or None.
ChooseFile = Callable[[str, str], "Path | None"]
#: (title, filter, suggested name) -> where to save, or None.
ChooseSavePath = Callable[[str, str, str], "Path | None"]
#: (title, text) -> "save", "discard" or "cancel".
Ask = Callable[[str, str], str]


class DesignerHost(Protocol):
    """The designer window as its sections see it. GUI thread only."""

    tasks: TaskManager
    #: The document being edited; replaced when another draft is shown.
    document: BadgeDocument
    #: True while the window puts the controls in line with the document:
    #: the controls' change signals then must not edit it again.
    syncing: bool
    pick_colour: PickColour
    choose_file: ChooseFile
    choose_save_path: ChooseSavePath
    prompt_text: PromptText

    def edit(self, label: str, change: Callable[[Design], Design], *, merge_key: str | None = None) -> None:
        """Change the design as one undo step (merged with the last one of the same ``merge_key``)."""

    def edit_meta(self, field: str, value: str) -> None:
        """Set one metadata field; typing in one field is one undo step."""

    def end_text_gesture(self) -> None:
        """A field was left: the next edit is a new undo step."""

    def sync_controls(self) -> None:
        """Put every control back in line with the document."""

    def show_status(self, text: str, *, error: bool = False) -> None:
        """One sentence in the window's status line."""

    def show_failure(self, error: Exception, doing: str) -> None:
        """Why reading or writing a file failed, in the status line."""
