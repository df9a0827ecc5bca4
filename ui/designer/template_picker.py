"""Start a design from a template, or save the design as a template of one's own.

The templates are read and written by the core
(:mod:`desktop.designer.templates`) on a worker; applying one replaces the
design as one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QPushButton, QWidget

from desktop.designer.document import Design, DesignError
from desktop.designer.render import render_svg
from desktop.designer.templates import Template, save_template, templates
from ui.designer.controls import THUMB, section_form
from ui.designer.host import DesignerHost
from ui.i18n import shows_data
from ui.operations import while_alive
from ui.widgets.rendering import svg_to_images
from ui.widgets.text import plain_tooltip


def thumbnail(design: Design, ratio: float) -> QImage:
    """``design`` as a combo's :data:`THUMB` px icon, drawn at device pixel ``ratio``. Any thread."""
    svg = render_svg(design, embed_design=False)
    return svg_to_images(svg, (THUMB,), {THUMB: ratio})[THUMB]


class TemplatePicker(QGroupBox):
    """The "Template" box: a combo of templates with thumbnails, and "Save as…". GUI thread only."""

    def __init__(self, host: DesignerHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Template"))
        self.host = host
        self.templates: list[Template] = []
        form = section_form(self)
        self.template_combo = QComboBox()
        # The badge templates' names come from their files in desktop/resources/badge_templates.
        shows_data(self.template_combo, our_choices=1)
        self.template_combo.setObjectName("templateCombo")
        self.template_combo.setAccessibleName(self.tr("Start from template"))
        self.template_combo.addItem(self.tr("Start from template…"))
        self.template_combo.setIconSize(QSize(THUMB, THUMB))
        self.template_combo.activated.connect(self._template_chosen)
        self.save_template_button = QPushButton(self.tr("Save as…"))
        self.save_template_button.setToolTip(self.tr("Save this design as a template of yours"))
        self.save_template_button.setObjectName("saveTemplate")
        self.save_template_button.clicked.connect(self.save_as_template)
        template_row = QHBoxLayout()
        template_row.addWidget(self.template_combo, 1)
        template_row.addWidget(self.save_template_button)
        form.addRow(template_row)

    def load(self) -> None:
        """Read the templates (built-in and the user's) on a worker, with their thumbnails.

        The thumbnails are drawn at the combo's device pixel ratio (read here, on the GUI thread).
        """
        ratio = self.template_combo.devicePixelRatioF()

        def work(_cancel: object, _report: object) -> tuple[list[tuple[Template, QImage]], list[str]]:
            found, problems = templates()
            thumbs = [(t, thumbnail(t.design, ratio)) for t in found]
            return thumbs, problems

        self.host.tasks.start(
            "read badge templates",
            work,
            pool="readers",
            on_success=while_alive(self, self._templates_loaded),
            on_failure=while_alive(
                self, lambda e: self.host.show_failure(e, self.tr("reading the templates"))
            ),
        )

    def _templates_loaded(self, result: tuple[list[tuple[Template, QImage]], list[str]]) -> None:
        found, problems = result
        self.templates = [template for template, _thumb in found]
        while self.template_combo.count() > 1:
            self.template_combo.removeItem(1)
        for template, thumb in found:
            name = template.name if template.builtin else self.tr("{name} (yours)").format(name=template.name)
            self.template_combo.addItem(QIcon(QPixmap.fromImage(thumb)), name)
            index = self.template_combo.count() - 1
            if template.description:
                self.template_combo.setItemData(
                    index, plain_tooltip(template.description), Qt.ItemDataRole.ToolTipRole
                )
        if problems:
            self.host.show_status(" ".join(problems), error=True)

    def _template_chosen(self, index: int) -> None:
        self.template_combo.setCurrentIndex(0)
        if not 1 <= index <= len(self.templates):
            return
        self.apply_template(self.templates[index - 1])

    def apply_template(self, template: Template) -> None:
        """The template's design replaces the current one: one undo step."""
        document = self.host.document
        try:
            document.set_design(self.tr("template “{name}”").format(name=template.name), template.design)
        except DesignError as error:
            self.host.show_status(str(error), error=True)
            return
        document.end_gesture()
        self.host.show_status(
            self.tr("Started from the template “{name}”. Ctrl+Z goes back.").format(name=template.name)
        )

    def save_as_template(self) -> None:
        """Ask for a name, then save the design as a template of the user's, on the writer."""
        document = self.host.document
        name = self.host.prompt_text(
            self.tr("Save as template"), self.tr("Name of the new template:"), document.meta.title.strip()
        )
        if not name or not name.strip():
            return
        design = document.design
        description = document.meta.description.strip().splitlines()[0:1]

        def work(_cancel: object, _report: object) -> Template:
            return save_template(name, design, description[0] if description else "")

        def saved(template: Template) -> None:
            self.host.show_status(self.tr("Saved the template “{name}”.").format(name=template.name))
            self.load()

        self.host.tasks.start(
            "save badge template",
            work,
            pool="writer",
            on_success=while_alive(self, saved),
            on_failure=while_alive(self, lambda e: self.host.show_failure(e, self.tr("saving the template"))),
        )
