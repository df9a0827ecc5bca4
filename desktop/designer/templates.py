"""Badge templates: designs to start from, shipped with BadgeDesk or saved by the user.

A template file is JSON: ``{"name": ..., "description": ..., "design": {...}}``.
Built-in templates are package data (``desktop/resources/badge_templates``); the user's own in
``<data dir>/badge_templates``, one file each, written atomically.

Thread safety: functions read and write files; call them off the GUI thread
for the user's directory (small files: the GUI thread is fine for built-ins).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from desktop import paths
from desktop.designer.document import Design, DesignError
from desktop.i18n import _
from desktop.resources import resource


class TemplateError(ValueError):
    """A template that cannot be read or saved; the message says why."""


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    description: str
    design: Design
    builtin: bool = False
    path: Path | None = None

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "description": self.description, "design": self.design.to_json()}


def builtin_dir() -> Traversable:
    """The built-in templates' folder (package data: read it, never write)."""
    return resource("badge_templates")


def user_dir() -> Path:
    return paths.data_dir() / "badge_templates"


def load_template(path: Path | Traversable, *, builtin: bool = False) -> Template:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TemplateError(
            _("The template {file} cannot be read: {problem}").format(file=path.name, problem=error)
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"].strip():
        raise TemplateError(_("The template {file} has no name.").format(file=path.name))
    try:
        design = Design.from_json(data.get("design"))
    except DesignError as error:
        raise TemplateError(
            _("The template {file}: {problem}").format(file=path.name, problem=error)
        ) from None
    # A built-in one has no file of its own to keep (package data may live in an archive).
    own = path if isinstance(path, Path) and not builtin else None
    return Template(data["name"], str(data.get("description", "")), design, builtin, own)


def templates(directory: Path | None = None) -> tuple[list[Template], list[str]]:
    """The built-in templates, then the user's, by name; and a note for each file that failed."""
    found: list[Template] = []
    problems: list[str] = []
    sources: list[tuple[Path | Traversable, bool]] = [(builtin_dir(), True), (directory or user_dir(), False)]
    for folder, builtin in sources:
        if not folder.is_dir():
            continue
        batch = []
        files = (item for item in folder.iterdir() if item.name.endswith(".json") and item.is_file())
        for path in sorted(files, key=lambda item: item.name):
            try:
                batch.append(load_template(path, builtin=builtin))
            except TemplateError as error:
                problems.append(str(error))
        found.extend(sorted(batch, key=lambda t: t.name.casefold()))
    return found, problems


def _file_name(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
    return (slug or "template")[:60] + ".json"


def save_template(
    name: str, design: Design, description: str = "", *, directory: Path | None = None, replace: bool = False
) -> Template:
    """Save ``design`` as a template of the user's; an existing name is replaced only when asked."""
    name = " ".join(name.split())
    if not name:
        raise TemplateError(_("A template needs a name."))
    if len(name) > 80:
        raise TemplateError(_("A template's name has at most 80 characters."))
    folder = directory or user_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / _file_name(name)
    if path.exists() and not replace:
        raise TemplateError(_("A template named {name!r} exists already.").format(name=name))
    template = Template(name, description, design.validated(), False, path)
    # Written beside and renamed: a crash leaves the old file or the new one, never half of one.
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".template-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(template.to_json(), file, indent=2, sort_keys=True)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return template


def delete_template(template: Template) -> None:
    if template.builtin or template.path is None:
        raise TemplateError(_("Built-in templates cannot be deleted."))
    template.path.unlink(missing_ok=True)
