"""Help ▸ About: the version of BadgeDesk, Qt, PySide and Python, the bundled libraries'
licences, and "Copy debug info" for a bug report (versions and platform only: no token,
no server, and ``~`` for the home folder)."""

from __future__ import annotations

import html

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import about
from ui.widgets.keyboard import no_tab_trap


def qt_versions() -> list[tuple[str, str]]:
    """Qt's and PySide's versions, and how Qt runs here (platform plugin, style)."""
    app = QApplication.instance()
    style = app.style().name() if isinstance(app, QApplication) else "none"
    return [
        ("Qt", qVersion()),
        ("PySide", PySide6.__version__),
        ("Qt platform", QGuiApplication.platformName() or "none"),
        ("Qt style", style),
    ]


def debug_info() -> str:
    return about.debug_info(qt_versions())


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About BadgeDesk"))
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        versions = "<br>".join(
            f"{name} {value}" for name, value in [("Python", about.python_version()), *qt_versions()[:2]]
        )
        tagline = self.tr("A fast, offline-first desktop client for moderating community badges.")
        self.summary = QLabel(  # i18n: not translated
            f"<b>BadgeDesk {about.version()}</b><br>{html.escape(tagline)}<br><br>{versions}"
        )
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        libraries_label = QLabel(self.tr("&Bundled libraries and their licences:"))
        layout.addWidget(libraries_label)
        libraries = about.bundled_libraries()
        self.libraries = QTableWidget(len(libraries), 3)
        no_tab_trap(self.libraries)  # Tab moves on to the buttons; arrows walk the rows
        self.libraries.setAccessibleName(self.tr("Bundled libraries and their licences"))
        libraries_label.setBuddy(self.libraries)
        self.libraries.setHorizontalHeaderLabels([self.tr("Library"), self.tr("Version"), self.tr("Licence")])
        self.libraries.verticalHeader().setVisible(False)
        self.libraries.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, library in enumerate(libraries):
            for column, text in enumerate((library.name, library.version, library.licence)):
                self.libraries.setItem(row, column, QTableWidgetItem(text))
        header = self.libraries.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.libraries)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("&Copy debug info"))
        self.copy_button.setToolTip(
            self.tr("Copy versions and platform for a bug report (no token, no server, no member data)")
        )
        self.copy_button.clicked.connect(self.copy_debug_info)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy_debug_info(self) -> None:
        QGuiApplication.clipboard().setText(debug_info())
        self.copy_button.setText(self.tr("Copied"))
