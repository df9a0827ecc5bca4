"""The rule builder: conditions combined with AND / OR / NOT, counted as you edit, saved by name.

The rule is a tree: each row a group (all of / any of the rows below it, or
the opposite) or a condition. Insert adds a condition, Ctrl+G a group, Delete
removes the current row; the editor below the tree changes the current row.
Every change counts the matching members again (:mod:`ui.search.rules.rule_count`).
Posts and trust level are offered only where the session's server lists them
(``Capabilities.member_activity``).

The saved rules (:mod:`desktop.rules` on ``Settings.saved_rules``) are listed
beside it: choosing one opens it here; New, Rename, Duplicate and Delete keep
the list. "Show members" hands the rule (and its name) to the Members pane.
GUI thread only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.dialects.capabilities import Capabilities
from desktop.domain import Badge, ChangeSet
from desktop.rule_choices import rule_groups
from desktop.rules import (
    AllOf,
    AnyOf,
    GroupRef,
    Not,
    Rule,
    RuleNameError,
    Unit,
    delete_rule,
    duplicate_rule,
    load_rule,
    rename_rule,
    rule_to_dict,
    save_rule,
    saved_rule_names,
    within_last,
)
from desktop.settings import Settings
from ui.i18n import shows_data
from ui.search.rules.condition_editor import PartEditor
from ui.search.rules.rule_count import RuleCounter, activity_unavailable
from ui.search.rules.rule_parts import (
    ConditionPart,
    GroupPart,
    Kind,
    condition_of,
    condition_text,
    group_rule,
    group_text,
)
from ui.session.app_session import AppSession
from ui.widgets.small_screens import remember_splitters
from ui.widgets.text import ask_text, confirm, plain_label

_PART = Qt.ItemDataRole.UserRole + 1


class RuleBuilderDialog(QDialog):
    """Builds, counts and keeps rules. GUI thread only."""

    #: (rule, name or ""): show the members the rule selects.
    apply_requested = Signal(object, str)

    def __init__(self, session: AppSession, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ruleBuilder")
        self.session = session
        self.settings = settings
        self.setWindowTitle(self.tr("Rules"))
        self.resize(980, 560)
        #: The saved rule being edited (None: a new one).
        self.current_name: str | None = None

        # The saved rules.
        self.saved = QListWidget()
        self.saved.setObjectName("savedRules")
        shows_data(self.saved)  # the names the user gave
        saved_label = QLabel(self.tr("Sav&ed rules:"))
        saved_label.setBuddy(self.saved)
        self.new_button = QPushButton(self.tr("&New"))
        self.rename_button = QPushButton(self.tr("Rena&me…"))
        self.duplicate_button = QPushButton(self.tr("Du&plicate"))
        self.delete_button = QPushButton(self.tr("De&lete"))
        self.new_button.clicked.connect(self._new_clicked)
        self.rename_button.clicked.connect(self._ask_rename)
        self.duplicate_button.clicked.connect(self._duplicate_current)
        self.delete_button.clicked.connect(self._delete_current)
        self.saved.currentItemChanged.connect(self._saved_chosen)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(saved_label)
        left_layout.addWidget(self.saved, 1)
        saved_buttons = QHBoxLayout()
        for button in (self.new_button, self.rename_button, self.duplicate_button, self.delete_button):
            saved_buttons.addWidget(button)
        left_layout.addLayout(saved_buttons)

        # The rule.
        self.tree = QTreeWidget()
        self.tree.setObjectName("ruleTree")
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(1)
        tree_label = QLabel(self.tr("&Rule:"))
        tree_label.setBuddy(self.tree)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.add_condition_button = QPushButton(self.tr("Add condit&ion"))
        self.add_condition_button.setToolTip(self.tr("Add a condition to the current group (Insert)"))
        self.add_group_button = QPushButton(self.tr("Add gro&up"))
        self.add_group_button.setToolTip(self.tr("Add a group of conditions: AND, OR, NOT (Ctrl+G)"))
        self.remove_button = QPushButton(self.tr("Remo&ve"))
        self.remove_button.setToolTip(self.tr("Remove the current condition or group (Delete)"))
        self.add_condition_button.clicked.connect(lambda: self.add_condition())
        self.add_group_button.clicked.connect(lambda: self.add_group())
        self.remove_button.clicked.connect(self.remove_current)
        QShortcut(QKeySequence(Qt.Key.Key_Insert), self, lambda: self.add_condition(focus=True))
        QShortcut(QKeySequence("Ctrl+G"), self, lambda: self.add_group(focus=True))
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.tree, self.remove_current)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        tree_buttons = QHBoxLayout()
        for button in (self.add_condition_button, self.add_group_button, self.remove_button):
            tree_buttons.addWidget(button)
        tree_buttons.addStretch(1)
        self.editor = PartEditor()
        self.editor.changed.connect(self._part_edited)
        self.editor.set_member_activity(session.capabilities)
        self.count_label = plain_label(name="ruleCount", wrap=True)
        self.counter = RuleCounter(session, self.count_label, self.rule, self)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(tree_label)
        right_layout.addWidget(self.tree, 1)
        right_layout.addLayout(tree_buttons)
        right_layout.addWidget(self.editor)
        right_layout.addWidget(self.count_label)

        splitter = QSplitter()
        splitter.setObjectName("ruleBuilderSplitter")
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 760])

        self.message_label = plain_label(name="ruleMessage", wrap=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.addButton(self.tr("&Save…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setToolTip(self.tr("Save this rule under its name, or name it (Ctrl+S)"))
        self.show_button = self.buttons.addButton(
            self.tr("S&how members"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.show_button.setToolTip(self.tr("Show the members this rule selects (Ctrl+Return)"))
        self.save_button.clicked.connect(self._save_clicked)
        self.show_button.clicked.connect(self.show_members)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self._save_clicked)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.show_members)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        remember_splitters(self, settings)

        self._fill_saved()
        self.new_rule()
        self._load_choices()
        session.changed.connect(self._on_changed)
        session.capabilities_changed.connect(self._capabilities_changed)

    # --- state for tests --------------------------------------------------------------

    @property
    def idle(self) -> bool:
        """No count waiting or running (tests wait on this)."""
        return self.counter.idle

    @property
    def count(self) -> int | None:
        """The count shown (None: counting, or not counted)."""
        return self.counter.count

    def _capabilities_changed(self, capabilities: Capabilities) -> None:
        self.editor.set_member_activity(capabilities)
        self._schedule_count()

    # --- choices ---------------------------------------------------------------

    def _load_choices(self) -> None:
        cache = self.session.community.cache

        def work(_cancel: Any, _report: Any) -> tuple[list[Badge], list[GroupRef]]:
            return cache.badges(), rule_groups(cache)

        self.session.tasks.start("rule choices", work, on_success=self._got_choices)

    def _on_changed(self, changes: ChangeSet) -> None:
        """A sync or a queued batch changed the cache: new choices, and the count again."""
        if changes.reset or changes.badges or changes.groups:
            self._load_choices()
        if changes.reset or changes.members or changes.awards or changes.groups:
            self._schedule_count()

    def _got_choices(self, choices: tuple[list[Badge], list[GroupRef]]) -> None:
        badges, groups = choices
        self.editor.set_choices(badges, groups)

    # --- the tree ----------------------------------------------------------------

    def _group_item(self, part: GroupPart, parent: QTreeWidgetItem | None) -> QTreeWidgetItem:
        item = QTreeWidgetItem([group_text(part)])
        item.setData(0, _PART, part)
        if parent is None:
            self.tree.addTopLevelItem(item)
        else:
            parent.addChild(item)
        item.setExpanded(True)
        return item

    def _condition_item(self, part: ConditionPart, parent: QTreeWidgetItem) -> QTreeWidgetItem:
        item = QTreeWidgetItem([condition_text(part)])
        item.setData(0, _PART, part)
        parent.addChild(item)
        return item

    @property
    def root(self) -> QTreeWidgetItem:
        item = self.tree.topLevelItem(0)
        assert item is not None  # set_rule always makes the top group
        return item

    def set_rule(self, rule: Rule) -> None:
        """Show ``rule`` in the tree (a lone condition inside an "all of" group)."""
        self.tree.clear()
        if isinstance(rule, AllOf | AnyOf) or (isinstance(rule, Not) and condition_of(rule) is None):
            self._add_rule(rule, None)
        else:
            self._add_rule(rule, self._group_item(GroupPart(), None))
        self.tree.setCurrentItem(self.root)
        self._schedule_count()

    def _add_rule(self, rule: Rule, parent: QTreeWidgetItem | None) -> None:
        condition = condition_of(rule)
        if condition is not None and parent is not None:
            self._condition_item(condition, parent)
            return
        negated = isinstance(rule, Not)
        inner = rule.rule if isinstance(rule, Not) else rule
        if isinstance(inner, AllOf | AnyOf):
            item = self._group_item(GroupPart(any_of=isinstance(inner, AnyOf), negated=negated), parent)
            for child in inner.rules:
                self._add_rule(child, item)
        else:  # NOT of a NOT: a "not all of" group around the inner rule
            item = self._group_item(GroupPart(negated=True), parent)
            self._add_rule(inner, item)

    def rule(self) -> Rule:
        """The rule the tree shows now."""
        return self._rule_of(self.root)

    def _rule_of(self, item: QTreeWidgetItem) -> Rule:
        part = item.data(0, _PART)
        if isinstance(part, GroupPart):
            children = [item.child(i) for i in range(item.childCount())]
            return group_rule(part, [self._rule_of(child) for child in children if child is not None])
        assert isinstance(part, ConditionPart)
        return part.rule()

    def _target_group(self) -> QTreeWidgetItem:
        """The group a new row goes into: the current group, or the current condition's."""
        current = self.tree.currentItem() or self.root
        if isinstance(current.data(0, _PART), GroupPart):
            return current
        return current.parent() or self.root

    def add_condition(self, part: ConditionPart | None = None, *, focus: bool = False) -> QTreeWidgetItem:
        """Add a condition ("seen in the last 90 days" to start with) to the current group."""
        part = part or ConditionPart(Kind.LAST_SEEN, span=within_last(90, Unit.DAYS))
        group = self._target_group()
        item = self._condition_item(part, group)
        group.setExpanded(True)
        self.tree.setCurrentItem(item)
        self._schedule_count()
        if focus:
            self.editor.kind.setFocus()
        return item

    def add_group(self, part: GroupPart | None = None, *, focus: bool = False) -> QTreeWidgetItem:
        item = self._group_item(part or GroupPart(any_of=True), self._target_group())
        self.tree.setCurrentItem(item)
        self._schedule_count()
        if focus:
            self.editor.combine.setFocus()
        return item

    def remove_current(self) -> None:
        """Remove the current row (the top group stays: it is the rule)."""
        item = self.tree.currentItem()
        if item is None or item is self.root:
            return
        parent = item.parent() or self.root
        index = parent.indexOfChild(item)
        parent.takeChild(index)
        following = parent.child(min(index, parent.childCount() - 1)) if parent.childCount() else None
        self.tree.setCurrentItem(following or parent)
        self.tree.setFocus()
        self._schedule_count()

    def _current_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if current is None:
            return
        part = current.data(0, _PART)
        if isinstance(part, GroupPart):
            self.editor.edit_group(part)
        elif isinstance(part, ConditionPart):
            self.editor.edit_condition(part)
        self.remove_button.setEnabled(current is not self.root)

    def _part_edited(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        part = item.data(0, _PART)
        # The part is edited in place; the row's data must be set again for Qt to keep it.
        item.setData(0, _PART, part)
        item.setText(0, group_text(part) if isinstance(part, GroupPart) else condition_text(part))
        self._schedule_count()

    # --- counting ----------------------------------------------------------------

    def _schedule_count(self) -> None:
        self.counter.schedule()

    def count_now(self) -> None:
        self.counter.count_now()

    # --- saved rules ----------------------------------------------------------------

    def _fill_saved(self, select: str | None = None) -> None:
        self.saved.blockSignals(True)
        self.saved.clear()
        for name in saved_rule_names(self.settings):
            item = QListWidgetItem(name)
            self.saved.addItem(item)
            if name == select:
                self.saved.setCurrentItem(item)
        self.saved.blockSignals(False)
        chosen = self.saved.currentItem() is not None
        for button in (self.rename_button, self.duplicate_button, self.delete_button):
            button.setEnabled(chosen)

    def _saved_chosen(self, current: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        if current is not None and current.text() != self.current_name:
            if not self._may_leave():
                # Stay on the rule being edited, and on its row in the list.
                self.saved.blockSignals(True)
                if previous is not None:
                    self.saved.setCurrentItem(previous)
                else:
                    self.saved.setCurrentRow(-1)
                self.saved.blockSignals(False)
                return
            self.open_saved(current.text())
        for button in (self.rename_button, self.duplicate_button, self.delete_button):
            button.setEnabled(current is not None)

    def open_saved(self, name: str) -> None:
        """Edit the saved rule ``name``."""
        try:
            rule = load_rule(self.settings, name)
        except (KeyError, ValueError):
            self._say(
                self.tr("The saved rule “{name}” cannot be read: delete it and build it again.").format(
                    name=name
                )
            )
            return
        self.current_name = name
        self.set_rule(rule)
        self._say("")

    @property
    def unsaved(self) -> bool:
        """The rule shown has changes that are not saved (a new rule: any condition at all)."""
        if self.current_name is None:
            return self.rule() != AllOf(())
        return self.settings.saved_rules.get(self.current_name) != rule_to_dict(self.rule())

    def _may_leave(self) -> bool:
        """Whether the rule shown may be replaced: nothing unsaved, or the user says so."""
        if not self.unsaved:
            return True
        if self.current_name is None:
            question = self.tr("Discard the rule being built? It has not been saved.")
        else:
            question = self.tr("Discard the changes to the rule “{name}”?").format(name=self.current_name)
        return confirm(self, self.tr("Rules"), question)

    def _new_clicked(self) -> None:
        if self._may_leave():
            self.new_rule()

    def new_rule(self) -> None:
        """Start again: an empty "all of" group, ready for its first condition."""
        self.current_name = None
        self.saved.setCurrentRow(-1)
        self.set_rule(AllOf(()))

    def _say(self, text: str) -> None:
        self.message_label.setText(text)

    def save_as(self, name: str) -> bool:
        """Save the rule shown under ``name`` (an existing name is refused); True if saved."""
        try:
            saved = save_rule(self.settings, name, self.rule())
        except RuleNameError as error:
            self._say(str(error))
            return False
        self.current_name = saved
        self._fill_saved(saved)
        self._say(self.tr("Saved the rule “{name}”.").format(name=saved))
        return True

    def save(self) -> None:
        """Save over the saved rule being edited."""
        if self.current_name is not None:
            save_rule(self.settings, self.current_name, self.rule(), replace=True)
            self._say(self.tr("Saved the rule “{name}”.").format(name=self.current_name))

    def _save_clicked(self) -> None:
        if self.current_name is not None:
            self.save()
            return
        name = ask_text(self, self.tr("Save rule"), self.tr("Name:"))
        if name is not None:
            self.save_as(name)

    def rename(self, old: str, new: str) -> bool:
        try:
            renamed = rename_rule(self.settings, old, new)
        except RuleNameError as error:
            self._say(str(error))
            return False
        if self.current_name == old:
            self.current_name = renamed
        self._fill_saved(renamed)
        return True

    def _ask_rename(self) -> None:
        item = self.saved.currentItem()
        if item is None:
            return
        name = ask_text(self, self.tr("Rename rule"), self.tr("New name:"), text=item.text())
        if name is not None:
            self.rename(item.text(), name)

    def duplicate(self, name: str) -> str:
        copy = duplicate_rule(self.settings, name)
        self._fill_saved(copy)
        self.open_saved(copy)
        return copy

    def _duplicate_current(self) -> None:
        item = self.saved.currentItem()
        # The copy is of the rule as saved, and opens in place of the one shown.
        if item is not None and self._may_leave():
            self.duplicate(item.text())

    def delete(self, name: str) -> None:
        delete_rule(self.settings, name)
        if self.current_name == name:
            self.current_name = None
        self._fill_saved()
        self._say(self.tr("Deleted the rule “{name}”.").format(name=name))

    def _delete_current(self) -> None:
        item = self.saved.currentItem()
        if item is not None:
            self.delete(item.text())

    # --- using it -----------------------------------------------------------------

    def show_members(self) -> None:
        """Hand the rule to the Members pane and close."""
        if activity_unavailable(self.rule(), self.session.capabilities):
            self.count_now()  # says why it would select no one here; stays open to edit it
            return
        self.apply_requested.emit(self.rule(), self.current_name or "")
        self.accept()

    def done(self, result: int) -> None:
        self.counter.stop()
        super().done(result)
