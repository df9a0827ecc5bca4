"""The Members pane's top row: the search box, the filter and saved-search menus, and the pane's buttons."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from desktop.domain import Badge
from desktop.settings import Settings
from ui.search.filters import FilterMenu
from ui.search.saved_searches_dialog import SavedSearchesDialog


class SearchBar(QWidget):
    """Builds the row and fills its menus; the pane connects the box and the buttons.

    "Add filter" hands the filter chosen to ``add_filter``; "Saved searches"
    lists ``settings.saved_searches`` each time it opens and calls
    ``open_saved`` or ``save_search`` with a name; its "Rename or delete…"
    opens :class:`SavedSearchesDialog`. GUI thread only.
    """

    def __init__(
        self,
        owner: QWidget,
        settings: Settings,
        *,
        add_filter: Callable[..., None],
        badges: Callable[[], Iterable[Badge]],
        groups: Callable[[], list[str]],
        open_saved: Callable[[str], None],
        save_search: Callable[[str], None],
        say: Callable[[str], None],
        select_group: Callable[[str], None] | None = None,
        rules_menu: QMenu | None = None,
    ) -> None:
        # Parentless until the pane lays it out, as its own widgets were: the tab order stays.
        super().__init__()
        #: The pane: the parent of the dialogs the menus open.
        self._owner = owner
        self._settings = settings
        self._open_saved = open_saved
        self._save_search = save_search
        #: Replaceable in tests: runs a dialog; returns whether it was accepted.
        self.run_dialog: Callable[[QDialog], bool] = lambda d: d.exec() == QDialog.DialogCode.Accepted

        self.search_box = QLineEdit()
        self.search_box.setObjectName("memberSearchBox")
        self.search_box.setAccessibleName(self.tr("Search members"))
        self.search_box.setPlaceholderText(self.tr("Search name, username or email…  (Ctrl+F)"))
        self.search_box.setClearButtonEnabled(True)

        self.filter_button = QToolButton()
        self.filter_button.setText(self.tr("Add filter"))
        self.filter_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.filter_menu = FilterMenu(
            owner, add_filter=add_filter, badges=badges, groups=groups, say=say, select_group=select_group
        )
        self.filter_button.setMenu(self.filter_menu)
        self.saved_button = QToolButton()
        self.saved_button.setText(self.tr("Saved searches"))
        self.saved_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.saved_button.setMenu(QMenu(self.saved_button))
        self.saved_button.menu().aboutToShow.connect(self._fill_saved_menu)
        self.rules_button = QToolButton()
        self.rules_button.setObjectName("rulesButton")
        self.rules_button.setText(self.tr("Rules"))
        self.rules_button.setToolTip(
            self.tr("Build a rule, or show the members a saved rule selects (Ctrl+Shift+F)")
        )
        self.rules_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.rules_button.setMenu(rules_menu or QMenu(self.rules_button))
        self.rules_button.setVisible(rules_menu is not None)
        self.paste_button = QPushButton(self.tr("Paste list…"))
        self.paste_button.setToolTip(self.tr("Select members from a pasted list of usernames or emails"))
        self.export_button = QPushButton(self.tr("Export…"))
        self.award_button = QPushButton(self.tr("Award badge…"))
        self.award_button.setObjectName("awardSelected")
        self.award_button.setToolTip(
            self.tr("Award a badge to the selected members (a batch, with a dry run first)")
        )
        self.revoke_button = QPushButton(self.tr("Revoke badge…"))
        self.revoke_button.setObjectName("revokeSelected")
        self.revoke_button.setToolTip(
            self.tr("Revoke a badge from the selected members (a batch, with a dry run first)")
        )
        for button in (self.award_button, self.revoke_button):
            button.setEnabled(False)

        top = QHBoxLayout(self)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search_box, 1)
        for widget in (
            self.filter_button,
            self.rules_button,
            self.saved_button,
            self.paste_button,
            self.export_button,
        ):
            top.addWidget(widget)
        top.addSpacing(12)
        top.addWidget(self.award_button)
        top.addWidget(self.revoke_button)

    def _fill_saved_menu(self) -> None:
        menu = self.saved_button.menu()
        menu.clear()
        save = QAction(self.tr("Save this search…"), menu)
        save.triggered.connect(self._save_dialog)
        menu.addAction(save)
        if self._settings.saved_searches:
            menu.addSeparator()
        for name in sorted(self._settings.saved_searches, key=str.casefold):
            # "&" would mark a keyboard accelerator in a menu.
            menu.addAction(name.replace("&", "&&"), partial(self._open_saved, name))
        if self._settings.saved_searches:
            menu.addSeparator()
            manage = QAction(self.tr("&Rename or delete…"), menu)
            manage.setObjectName("manageSavedSearches")
            manage.triggered.connect(self.manage_saved)
            menu.addAction(manage)

    def manage_saved(self) -> SavedSearchesDialog:
        """The saved searches, to open, rename or delete (run by ``run_dialog``)."""
        dialog = SavedSearchesDialog(self._settings, self._owner)
        dialog.open_requested.connect(self._open_saved)
        try:
            self.run_dialog(dialog)
        finally:
            dialog.deleteLater()
        return dialog

    def _save_dialog(self) -> None:
        name, ok = QInputDialog.getText(self._owner, self.tr("Save search"), self.tr("Name:"))
        if ok and name.strip():
            self._save_search(name.strip())
