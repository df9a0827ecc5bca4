"""Badge templates: the built-ins, and the user's own saved, listed, replaced and deleted (no Qt)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from desktop import paths
from desktop.designer.checks import contrast_checks
from desktop.designer.document import Banner, Design, DesignError, Frame, Shape
from desktop.designer.render import render
from desktop.designer.templates import (
    Template,
    TemplateError,
    builtin_dir,
    delete_template,
    load_template,
    save_template,
    templates,
    user_dir,
)


@pytest.fixture()
def user_templates(tmp_path: Path) -> Path:
    return tmp_path / "my_templates"


def builtins() -> list[Template]:
    found, problems = templates(Path("/nonexistent/badge_templates"))
    assert problems == []
    return found


def test_the_built_ins_load_without_problems_and_have_unique_names() -> None:
    found = builtins()
    assert len(found) >= 8
    assert all(t.builtin for t in found)
    names = [t.name for t in found]
    assert len(set(names)) == len(names)
    assert names == sorted(names, key=str.casefold)
    assert len(found) == len([item for item in builtin_dir().iterdir() if item.name.endswith(".json")])


def test_every_built_in_is_readable_and_its_banner_fits() -> None:
    for template in builtins():
        checks = contrast_checks(template.design)
        assert checks, template.name
        assert all(c.passed for c in checks), (template.name, [(c.label, c.ratio) for c in checks])
        rendered = render(template.design, size=128)
        if template.design.banner.text.strip():
            assert rendered.banner is not None
            assert rendered.banner.warning is None, (template.name, rendered.banner.warning)


def test_a_saved_template_is_listed_after_the_built_ins(user_templates: Path) -> None:
    design = Design(shape=Shape.STAR, frame=Frame(rings=2), banner=Banner(text="Aardvark"))

    saved = save_template("  Aardvark   award ", design, "Mine", directory=user_templates)

    assert saved.name == "Aardvark award"  # spaces tidied
    assert saved.path is not None and saved.path.parent == user_templates
    found, problems = templates(user_templates)
    assert problems == []
    assert found[: len(builtins())] == builtins()  # "Aardvark" sorts first, yet comes after them
    mine = found[-1]
    assert (mine.name, mine.description, mine.design, mine.builtin) == (
        "Aardvark award",
        "Mine",
        design,
        False,
    )
    assert load_template(saved.path) == mine


def test_the_user_dir_is_in_the_data_dir() -> None:
    assert user_dir() == paths.data_dir() / "badge_templates"
    save_template("Default place", Design())
    assert [t.name for t in templates()[0] if not t.builtin] == ["Default place"]


def test_saving_a_name_again_needs_replace(user_templates: Path) -> None:
    save_template("Gold", Design(shape=Shape.CIRCLE), directory=user_templates)

    with pytest.raises(TemplateError, match="'Gold' exists already"):
        save_template("Gold", Design(shape=Shape.STAR), directory=user_templates)
    with pytest.raises(TemplateError, match="exists already"):
        save_template("gold!", Design(shape=Shape.STAR), directory=user_templates)  # the same file
    mine = [t for t in templates(user_templates)[0] if not t.builtin]
    assert [t.design.shape for t in mine] == [Shape.CIRCLE]

    save_template("Gold", Design(shape=Shape.STAR), directory=user_templates, replace=True)

    mine = [t for t in templates(user_templates)[0] if not t.builtin]
    assert [(t.name, t.design.shape) for t in mine] == [("Gold", Shape.STAR)]
    assert sorted(p.name for p in user_templates.iterdir()) == ["gold.json"]  # no temporary files left


@pytest.mark.parametrize(
    ("name", "message"), [("", "needs a name"), ("   ", "needs a name"), ("x" * 81, "80")]
)
def test_a_template_needs_a_sensible_name(user_templates: Path, name: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        save_template(name, Design(), directory=user_templates)
    assert not user_templates.exists() or list(user_templates.iterdir()) == []


def test_an_invalid_design_is_not_saved(user_templates: Path) -> None:
    with pytest.raises(DesignError, match="frame rings"):  # not a TemplateError
        save_template("Broken", replace(Design(), frame=Frame(rings=9)), directory=user_templates)
    assert not (user_templates / "broken.json").exists()


def test_a_corrupt_file_is_reported_and_the_others_still_load(user_templates: Path) -> None:
    save_template("Good one", Design(), directory=user_templates)
    (user_templates / "corrupt.json").write_text("{not json", encoding="utf-8")
    (user_templates / "nameless.json").write_text(json.dumps({"design": {}}), encoding="utf-8")
    (user_templates / "bad-design.json").write_text(
        json.dumps({"name": "Bad", "design": {"frame": {"rings": 12}}}), encoding="utf-8"
    )

    found, problems = templates(user_templates)

    assert [t.name for t in found if not t.builtin] == ["Good one"]
    assert len([t for t in found if t.builtin]) == len(builtins())
    assert len(problems) == 3
    assert any("corrupt.json cannot be read" in p for p in problems)
    assert any("nameless.json has no name" in p for p in problems)
    assert any("bad-design.json" in p and "frame rings" in p for p in problems)


def test_built_ins_cannot_be_deleted() -> None:
    template = builtins()[0]
    with pytest.raises(TemplateError, match="cannot be deleted"):
        delete_template(template)
    # Package data has no file of the user's to delete; it is still listed.
    assert template.path is None
    assert template in builtins()


def test_a_user_template_can_be_deleted(user_templates: Path) -> None:
    keep = save_template("Keep", Design(), directory=user_templates)
    gone = save_template("Gone", Design(), directory=user_templates)

    delete_template(gone)

    assert [t.name for t in templates(user_templates)[0] if not t.builtin] == ["Keep"]
    assert keep.path is not None and keep.path.exists()
    delete_template(gone)  # already gone: nothing to do
