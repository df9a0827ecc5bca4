"""Help ▸ User guide: README's sections for users, shipped in ``desktop/resources/``, read offline.

The guide is English (it is the README's text); the window around it is translated.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.resources import resource
from desktop.user_guide import GUIDE_NAME
from ui.i18n import shows_data
from ui.widgets.keyboard import no_tab_trap

#: Where a contents entry keeps its heading's block number.
BLOCK_ROLE = int(Qt.ItemDataRole.UserRole) + 1


def read_guide() -> str:
    """The guide's Markdown; FileNotFoundError names the path when the installation lacks it."""
    return resource(GUIDE_NAME).read_text(encoding="utf-8")


class UserGuideDialog(QDialog):
    """The guide beside its contents (its headings); not modal. GUI thread only."""

    def __init__(self, parent: QWidget | None = None, read: Callable[[], str] = read_guide) -> None:
        super().__init__(parent)
        self.setObjectName("userGuide")
        self.setWindowTitle(self.tr("BadgeDesk user guide"))
        self.resize(900, 640)
        contents_label = QLabel(self.tr("C&ontents:"))
        self.contents = QListWidget()
        no_tab_trap(self.contents)
        self.contents.setWordWrap(True)
        self.contents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.contents.setAccessibleName(self.tr("Contents of the user guide"))
        contents_label.setBuddy(self.contents)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(self.tr("User guide"))
        # The guide and its headings are the README's English, not texts of the window.
        shows_data(self.browser)
        shows_data(self.contents)
        # Links leave for the browser; links within the README (its other files) lead nowhere offline.
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._open_link)
        #: Opens a web link (tests replace it).
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(contents_label)
        side_layout.addWidget(self.contents)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(side)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([250, 650])
        splitter.setChildrenCollapsible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.contents.currentItemChanged.connect(self._go_to)
        try:
            text = read()
        except OSError as error:
            self.browser.setPlainText(
                self.tr("The user guide is missing from this installation: {error}").format(error=error)
            )
            return
        self.browser.document().setMarkdown(text, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
        self._list_headings()

    def _list_headings(self) -> None:
        """One entry per section and subsection (## and ###), indented by level."""
        block = self.browser.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            if level in (2, 3):
                # A heading is the README's text (English, like the guide itself).
                item = QListWidgetItem(("    " if level == 3 else "") + block.text())
                item.setData(BLOCK_ROLE, block.blockNumber())
                self.contents.addItem(item)
            block = block.next()

    def headings(self) -> list[str]:
        return [self.contents.item(row).text().strip() for row in range(self.contents.count())]

    def _go_to(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None = None) -> None:
        if item is None:
            return
        block = self.browser.document().findBlockByNumber(int(item.data(BLOCK_ROLE)))
        cursor = QTextCursor(block)
        self.browser.setTextCursor(cursor)
        # At the top of the view, not merely somewhere on it.
        bar = self.browser.verticalScrollBar()
        bar.setValue(bar.maximum())
        self.browser.ensureCursorVisible()

    def _open_link(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https"):
            self.open_url(url)
