"""*One holder at a time…*: mark a badge as a title that moves, with the badge its former holder keeps.

The Badges pane opens it for the selected badge (Ctrl+Shift+T). The alumni
badge is optional: a published badge other than this one, picked from a list
that filters as you type. OK hands the choice (:attr:`choice`) to the pane,
which saves it through :class:`~desktop.programs.titles.OneHolderBadges` on the
writer. The badges are read on the session's readers.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.cache.database import Cache
from desktop.domain import Badge, BadgeState
from desktop.programs.titles import OneHolder, OneHolderBadges
from ui.i18n import shows_data
from ui.session.app_session import AppSession
from ui.widgets.badge_picker import make_searchable
from ui.widgets.text import plain_label

#: The alumni combo's "none" entry (its data).
NO_ALUMNI = 0


def load_choices(cache: Cache, badge_id: int) -> tuple[OneHolder | None, list[tuple[int, str]]]:
    """The badge's marking and the badges it may name as alumni badge (id, title); on a worker."""
    marking = OneHolderBadges(cache).marking(badge_id)
    badges = [
        (b.id, b.title)
        for b in cache.badges()
        if b.id != badge_id
        and (b.state is BadgeState.PUBLISHED or (marking and marking.alumni_badge_id == b.id))
    ]
    badges.sort(key=lambda b: b[1].casefold())
    return marking, badges


class TitleMarkDialog(QDialog):
    """Lives on the GUI thread. :attr:`choice` after OK: (one holder at a time?, alumni badge id or None)."""

    def __init__(self, session: AppSession, badge: Badge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.badge = badge
        self.loaded = False
        self.setObjectName("titleMarkDialog")
        self.setWindowTitle(self.tr("One holder at a time: {badge}").format(badge=badge.title))
        self.explain_label = plain_label(
            self.tr(
                "Only one member holds “{badge}” at a time. Hand over… moves it to the next member; "
                "the previous holder gets the alumni badge, and then their grant is revoked."
            ).format(badge=badge.title),
            wrap=True,
        )
        self.one_holder_check = QCheckBox(self.tr("&One holder at a time"))
        self.one_holder_check.setObjectName("titleMarkOneHolder")
        self.one_holder_check.setChecked(True)
        self.alumni_combo = QComboBox()
        self.alumni_combo.setObjectName("titleMarkAlumni")
        self.alumni_combo.setAccessibleName(self.tr("Alumni badge"))
        shows_data(self.alumni_combo, our_choices=1)  # the community's badge titles
        make_searchable(self.alumni_combo)
        self.alumni_combo.addItem(self.tr("No alumni badge"), NO_ALUMNI)
        self.alumni_combo.setEnabled(False)
        alumni_label = QLabel(self.tr("&Alumni badge (the previous holder keeps it):"))
        alumni_label.setBuddy(self.alumni_combo)
        self.one_holder_check.toggled.connect(self._update)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(False)
        form = QFormLayout()
        form.addRow(self.one_holder_check)
        form.addRow(alumni_label)
        form.addRow(self.alumni_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explain_label)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(520, 240)
        cache = session.community.cache
        badge_id = badge.id
        session.tasks.start(
            "read badges for the alumni badge",
            lambda _c, _p: load_choices(cache, badge_id),
            on_success=self._loaded,
        )

    def _loaded(self, result: tuple[OneHolder | None, list[tuple[int, str]]]) -> None:
        marking, badges = result
        for badge_id, title in badges:
            self.alumni_combo.addItem(title, badge_id)
        wanted = NO_ALUMNI if marking is None or marking.alumni_badge_id is None else marking.alumni_badge_id
        self.alumni_combo.setCurrentIndex(max(0, self.alumni_combo.findData(wanted)))
        self.loaded = True
        self._update()

    def _update(self) -> None:
        self.alumni_combo.setEnabled(self.loaded and self.one_holder_check.isChecked())
        self.ok_button.setEnabled(self.loaded)

    def select_alumni(self, badge_id: int | None) -> None:
        self.alumni_combo.setCurrentIndex(self.alumni_combo.findData(badge_id or NO_ALUMNI))

    @property
    def choice(self) -> tuple[bool, int | None]:
        alumni = self.alumni_combo.currentData()
        return self.one_holder_check.isChecked(), (int(alumni) or None) if alumni is not None else None


__all__ = ["TitleMarkDialog", "load_choices"]
