"""A pane whose load failed says so, in one sentence, with a Retry button.

Without it a pane whose read fails stays on "Loading…" for ever. The
sentence comes from :func:`desktop.failures.describe` through the session, so
it names no SQL or member data and says what to do.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from ui.widgets.colours import set_status_style, text_style
from ui.widgets.text import plain_label

#: What a pane's count line says while its rows could not be read: English, marked for
#: translation; show :func:`not_loaded` (translated), not this.
NOT_LOADED = str(QT_TRANSLATE_NOOP("LoadFailure", "Not loaded."))


def not_loaded() -> str:
    """What a pane's count line says while its rows could not be read, in the user's language."""
    return QCoreApplication.translate("LoadFailure", "Not loaded.")


class LoadFailure(QWidget):
    """Hidden until :meth:`show_failure`; Retry hides it and emits :attr:`retry`. GUI thread only."""

    retry = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loadFailure")
        self.text = plain_label(name="loadFailureText", wrap=True, selectable=True)
        set_status_style(self.text, text_style("error"))
        self.button = QPushButton(self.tr("Retry"))
        self.button.setObjectName("retryLoad")
        self.button.clicked.connect(self._retry)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.hide()

    @property
    def shown(self) -> bool:
        return not self.isHidden()

    def show_failure(self, message: str) -> None:
        self.text.setText(message)
        self.show()

    def clear(self) -> None:
        self.hide()

    def _retry(self) -> None:
        self.hide()
        self.retry.emit()
