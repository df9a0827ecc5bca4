"""The user guide that ships with BadgeDesk (Help ▸ User guide), made from README's sections for users.

README.md stays the one text to edit; ``python -m desktop.user_guide`` (also run by ``./dev i18n``)
copies its introduction and the sections named in :data:`SECTIONS`, each with its subsections,
into ``desktop/resources/user-guide.md``, which the app reads offline (package data, found by
``desktop.resources.resource`` in a checkout, an installed wheel and the packaged app). A test
fails when the copy is out of date.
"""

from __future__ import annotations

import re
from pathlib import Path

from desktop.resources import SOURCE_DIR

#: The README's ``##`` sections a user reads, in the guide's order (each with its ``###`` parts).
SECTIONS = (
    "Help and the demo community",
    "Connecting to another server",
    "Rules: members chosen by conditions",
    "Batches, the outbox and the audit log",
    "The review queue",
    "The badges pane and the designer",
    "Recognition programs",
    "Reports",
    "Keyboard",
)
GUIDE_NAME = "user-guide.md"
README = Path(__file__).resolve().parents[1] / "README.md"
TITLE = "# BadgeDesk user guide"
NOTE = (
    "<!-- Generated from README.md by `python -m desktop.user_guide` (or `./dev i18n`): "
    "edit README.md, not this file. -->"
)

_SECTION = re.compile(r"^## (.+?)\s*$", re.MULTILINE)
_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)\s*$\n?", re.MULTILINE)


def sections(readme: str) -> dict[str, str]:
    """Each ``##`` section of ``readme`` by its title: the heading line and everything up to the next."""
    found: dict[str, str] = {}
    starts = list(_SECTION.finditer(readme))
    for match, after in zip(starts, [*starts[1:], None], strict=True):
        end = after.start() if after is not None else len(readme)
        found[match.group(1)] = readme[match.start() : end].strip()
    return found


def introduction(readme: str) -> str:
    """What comes before the first section, without the title and the screenshot."""
    first = _SECTION.search(readme)
    head = readme[: first.start()] if first else readme
    lines = [line for line in head.splitlines() if not line.startswith("# ")]
    return _IMAGE.sub("", "\n".join(lines)).strip()


def make_guide(readme: str) -> str:
    """The guide's Markdown; KeyError names a section of :data:`SECTIONS` the README lacks."""
    parts = sections(readme)
    missing = [title for title in SECTIONS if title not in parts]
    if missing:
        raise KeyError(f"README.md has no section {', '.join(map(repr, missing))} (desktop/user_guide.py)")
    # The screenshots live in the repository's docs/, which neither the wheel nor the bundle has.
    body = [TITLE, NOTE, introduction(readme), *(_IMAGE.sub("", parts[title]) for title in SECTIONS)]
    return "\n\n".join(body) + "\n"


def guide_path() -> Path:
    """Where the guide is written in a checkout (the app reads it with ``resource(GUIDE_NAME)``)."""
    return SOURCE_DIR / GUIDE_NAME


def main() -> None:
    path = guide_path()
    path.write_text(make_guide(README.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
