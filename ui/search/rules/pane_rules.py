"""Rules in the Members pane: the "Rules" menu (the builder, the saved rules) and showing a rule's members.

A rule shown in the pane becomes the query's rule, its members all selected
with "Award badge…" focused, as "Everyone in a group…" does: the usual
selection → batch dialog → dry run path. The filter bar shows a chip with the
rule's name that takes it off. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from desktop.member_search import MemberQuery, SortKey
from desktop.rules import Rule, load_rule, rule_to_dict, saved_rule_names
from desktop.settings import Settings
from ui.search.rules.rule_builder import RuleBuilderDialog
from ui.search.rules.rule_count import activity_unavailable
from ui.session.app_session import AppSession

#: Opens the rule builder from anywhere in the Members pane.
BUILDER_KEY = "Ctrl+Shift+F"


class PaneRules(QObject):
    """Owns the pane's "Rules" menu and the builder dialog; ``show_rule`` runs a rule in the pane."""

    def __init__(
        self,
        pane: QWidget,
        session: AppSession,
        settings: Settings,
        *,
        show_query: Callable[[MemberQuery], None],
        say: Callable[[str], None],
    ) -> None:
        super().__init__(pane)
        self._pane = pane
        self._session = session
        self._settings = settings
        self._show_query = show_query
        self._say = say
        #: The name of the rule shown last ("" for one not saved).
        self.shown_name = ""
        self.dialog: RuleBuilderDialog | None = None
        self.menu = QMenu(pane)
        self.menu.aboutToShow.connect(self._fill_menu)
        # One action, in the menu and on the pane: its key works anywhere in the pane.
        self.builder_action = QAction(self.tr("Rule builder…"), pane)
        self.builder_action.setShortcut(QKeySequence(BUILDER_KEY))
        self.builder_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.builder_action.triggered.connect(self.open_builder)
        pane.addAction(self.builder_action)
        self._fill_menu()

    def _fill_menu(self) -> None:
        self.menu.clear()
        self.menu.addAction(self.builder_action)
        names = saved_rule_names(self._settings)
        if names:
            self.menu.addSeparator()
        for name in names:
            # "&" would mark a keyboard accelerator in a menu.
            self.menu.addAction(name.replace("&", "&&"), partial(self.run_saved, name))

    def open_builder(self) -> RuleBuilderDialog:
        """The builder (one at a time), not modal: the pane stays usable beside it."""
        if self.dialog is None:
            self.dialog = RuleBuilderDialog(self._session, self._settings, self._pane)
            self.dialog.apply_requested.connect(self.show_rule)
            self.dialog.finished.connect(self._closed)
            # The rule first: the saved list would open its first rule when focused.
            self.dialog.tree.setFocus()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def _closed(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    def run_saved(self, name: str) -> None:
        """Show the members the saved rule ``name`` selects now."""
        try:
            rule = load_rule(self._settings, name)
        except (KeyError, ValueError):
            self._say(
                self.tr("The saved rule “{name}” cannot be read: delete it and build it again.").format(
                    name=name
                )
            )
            return
        self.show_rule(rule, name)

    def show_rule(self, rule: Rule, name: str) -> None:
        if activity_unavailable(rule, self._session.capabilities):
            # Said, not run: on this server the rule would select no one, which reads as a result.
            if name:
                text = self.tr(
                    "The rule “{name}” has conditions on posts or trust level, which this community's"
                    " server does not list: it cannot select anyone here. Edit it in the rule builder."
                ).format(name=name)
            else:
                text = self.tr(
                    "This rule has conditions on posts or trust level, which this community's server"
                    " does not list: it cannot select anyone here."
                )
            self._say(text)
            return
        self.shown_name = name
        self._show_query(MemberQuery(rule=rule, sort=SortKey.NAME))

    def chip_text(self, rule: Rule) -> str:
        """The chip of the query's rule: its saved name when it is a saved rule as saved."""
        wanted = rule_to_dict(rule)
        saved = self._settings.saved_rules
        translate = QCoreApplication.translate
        if self.shown_name and saved.get(self.shown_name) == wanted:
            return translate("QueryChips", "Rule: {name}").format(name=self.shown_name)
        same = next((name for name, stored in saved.items() if stored == wanted), None)
        if same is not None:
            return translate("QueryChips", "Rule: {name}").format(name=same)
        if self.shown_name:
            # Edited in the builder after it was opened, and not saved again.
            return translate("QueryChips", "Rule: {name} (changed)").format(name=self.shown_name)
        return translate("QueryChips", "Rule (not saved)")
