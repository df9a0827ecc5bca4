"""Placeholders in member-facing messages and the deny / return reason templates."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from typing import Any

import pytest

from desktop import placeholders
from desktop.decision_templates import (
    DEFAULT_TEMPLATES,
    PLACEHOLDERS,
    DecisionTemplate,
    TemplateError,
    compose_reason,
    for_decision,
    label,
    new_template_id,
    render_message,
    templates_from_settings,
    templates_to_settings,
    validate,
)
from desktop.domain import Decision
from desktop.placeholders import PlaceholderError, check, placeholders_in, render
from desktop.settings import Settings, load, save

ALLOWED = ("member", "badge", "community")


def template(**changes: Any) -> DecisionTemplate:
    base = DecisionTemplate(
        id="t1",
        decision=Decision.DENY,
        title="Too early",
        reason="Ask again next year.",
        message="Hi {member}, {reason} — {moderator}",
    )
    return dataclasses.replace(base, **changes)


def problem(text: str, allowed: tuple[str, ...] = ALLOWED) -> str:
    with pytest.raises(PlaceholderError) as caught:
        check(text, allowed)
    return str(caught.value)


# -- placeholders ------------------------------------------------------------------------------------


def test_placeholders_in_lists_names_once_in_order_of_first_appearance() -> None:
    text = "{badge} for {member}; {member} again, {community} and {badge}"
    assert placeholders_in(text) == ["badge", "member", "community"]


def test_doubled_braces_are_literal_not_placeholders() -> None:
    assert placeholders_in("a {{member}} b {{ c }}") == []
    assert placeholders_in("{{{member}}}") == ["member"]
    assert render("{{x}} {member} }}", {"member": "Jane"}) == "{x} Jane }"


def test_placeholders_in_returns_names_as_written_even_if_check_refuses_them() -> None:
    assert placeholders_in("{member.name} {0} {badge!r} {}") == ["member.name", "0", "badge", ""]


def test_placeholders_in_raises_on_unbalanced_braces() -> None:
    with pytest.raises(PlaceholderError, match=re.escape("Unmatched '{' at position 4")):
        placeholders_in("Hi {member")


def test_check_accepts_known_placeholders_and_text_without_any() -> None:
    check("Hi {member}, here is {badge} from {community}.", ALLOWED)
    check("", ALLOWED)
    check("No placeholders {{at all}}.", ())


def test_unknown_placeholder_is_named_with_the_sorted_choices() -> None:
    assert problem("Hi {membr}, {badge}") == (
        "Unknown placeholder {membr}. Use one of {badge}, {community}, {member}."
    )


def test_first_problem_wins() -> None:
    assert problem("{badge} {nope} {member!r}").startswith("Unknown placeholder {nope}.")


def test_placeholders_in_a_text_that_takes_none() -> None:
    message = problem("Hi {member}", ())
    assert message.startswith("Unknown placeholder {member}: this text takes no placeholders.")
    assert "{{" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanks for {badge", "Unmatched '{' at position 12."),
        ("Hi {member, see {badge} now", "Unmatched '{' at position 4."),
        ("{", "Unmatched '{' at position 1."),
        ("Hi {member} :-}", "Unmatched '}' at position 15."),
        ("a } b", "Unmatched '}' at position 3."),
        ("Hi {member},\nthanks for {badge", "Unmatched '{' at line 2, column 12."),
        ("Hi }}{{ {member}\n\n}", "Unmatched '}' at line 3, column 1."),
    ],
)
def test_unbalanced_braces_are_located(text: str, expected: str) -> None:
    message = problem(text)
    assert message.startswith(expected)
    assert "Write {{ or }} for a literal brace." in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{member!}", "Placeholder {member!} at position 1 is not valid"),
        ("x {member!rr}", "Placeholder {member!rr} at position 3 is not valid"),
        ("{a{b}c}", "Placeholder {a{b}c} at position 1 is not valid"),
    ],
)
def test_malformed_fields_are_located(text: str, expected: str) -> None:
    assert problem(text).startswith(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "{member.__class__}",
            "Placeholder {member.__class__} uses attribute access (.__class__), which is not supported; "
            "write just {member}.",
        ),
        (
            "{member[0]}",
            "Placeholder {member[0]} uses index access ([0]), which is not supported; write just {member}.",
        ),
        (
            "{member!r}",
            "Placeholder {member!r} has a conversion (!r), which is not supported; write just {member}.",
        ),
        (
            "{member:>10}",
            "Placeholder {member:>10} has a format spec (:>10), which is not supported; write just {member}.",
        ),
        (
            "{member:{badge}}",
            "Placeholder {member:{badge}} has a format spec (:{badge}), which is not supported; "
            "write just {member}.",
        ),
        (
            "{0}",
            "Numbered placeholder {0} is not supported; use a name. "
            "Use one of {badge}, {community}, {member}.",
        ),
        (
            "{}",
            "Empty placeholder {}: put a name inside the braces. Use one of {badge}, {community}, {member}.",
        ),
        ("{ member }", "Placeholder { member } has spaces inside the braces; write {member}."),
        (
            "{x.y}",
            "Placeholder {x.y} uses attribute access (.y), which is not supported; write a plain name. "
            "Use one of {badge}, {community}, {member}.",
        ),
    ],
)
def test_everything_but_a_plain_name_is_refused_and_explained(text: str, expected: str) -> None:
    assert problem(text) == expected


def test_render_inserts_values_literally() -> None:
    values = {"member": "{badge} {0} {member.__class__} }{", "badge": "Speaker", "community": "C"}
    assert render("Hi {member}: {badge}", values) == "Hi {badge} {0} {member.__class__} }{: Speaker"


def test_render_checks_against_the_given_values() -> None:
    with pytest.raises(PlaceholderError, match=r"Unknown placeholder \{badge\}. Use one of \{member\}."):
        render("{member} {badge}", {"member": "Jane"})
    with pytest.raises(PlaceholderError, match="format spec"):
        render("{member:>10}", {"member": "Jane"})


# -- templates ---------------------------------------------------------------------------------------


def test_defaults_are_enough_unique_and_all_validate() -> None:
    assert len(for_decision(DEFAULT_TEMPLATES, Decision.DENY)) >= 5
    assert len(for_decision(DEFAULT_TEMPLATES, Decision.RETURN)) >= 3
    assert for_decision(DEFAULT_TEMPLATES, Decision.APPROVE) == []
    assert len({t.id for t in DEFAULT_TEMPLATES}) == len(DEFAULT_TEMPLATES)
    assert len({t.title for t in DEFAULT_TEMPLATES}) == len(DEFAULT_TEMPLATES)
    for item in DEFAULT_TEMPLATES:
        validate(item)
        assert set(placeholders_in(item.message)) <= set(PLACEHOLDERS)
    titles = [t.title for t in DEFAULT_TEMPLATES]
    assert "Criteria not met" in titles and "Add an evidence link" in titles


@pytest.mark.parametrize("item", DEFAULT_TEMPLATES, ids=lambda t: t.id)
def test_every_default_message_renders(item: DecisionTemplate) -> None:
    reason = compose_reason(item, "See the programme.")
    text = render_message(
        item.message,
        member="Jane Doe",
        badge="Conference Speaker",
        community="Sandbox Community",
        reason=reason,
        moderator="Alice Moderator",
    )
    assert text.startswith("Hi Jane Doe,\n")
    assert "Conference Speaker" in text
    assert f"{item.reason}\nSee the programme." in text
    assert text.endswith("— Alice Moderator, Sandbox Community")
    assert "{" not in text and "}" not in text


def test_render_message_keeps_braces_in_the_reason() -> None:
    text = render_message(
        "{member}: {reason} ({badge}, {community}, {moderator})",
        member="J",
        badge="B",
        community="C",
        reason="use {{ and {member}",
        moderator="M",
    )
    assert text == "J: use {{ and {member} (B, C, M)"


def test_label_names_the_decision() -> None:
    assert label(DEFAULT_TEMPLATES[0]) == "Deny · Criteria not met"
    assert label(template(decision=Decision.RETURN, title="X")) == "Return · X"


def test_compose_reason_combinations() -> None:
    item = template(reason="  Ask again next year. ")
    assert compose_reason(item, "") == "Ask again next year."
    assert compose_reason(item, "  You joined in May.\n") == "Ask again next year.\nYou joined in May."
    assert compose_reason(None, "  Just no. ") == "Just no."
    for free in ("", "  \n "):
        with pytest.raises(TemplateError) as caught:
            compose_reason(None, free)
        assert str(caught.value) == "Give a reason: pick a template or type one."


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": "  "}, "A Deny template has no title: give it one."),
        ({"title": "", "decision": Decision.RETURN}, "A Return template has no title: give it one."),
        ({"title": "x" * 81}, f"The title of template “{'x' * 40}…” is too long: 81 characters, at most 80."),
        ({"reason": " \n"}, "Template “Too early” has no reason: write the short reason"),
        (
            {"decision": Decision.APPROVE},
            "Template “Too early” is for Approve; templates are for Deny or Return only.",
        ),
        (
            {"message": "Hi {membr}"},
            "Template “Too early”, message: Unknown placeholder {membr}. Use one of {badge}, {community}, "
            "{member}, {moderator}, {reason}.",
        ),
        ({"message": "Hi {member"}, "Template “Too early”, message: Unmatched '{' at position 4."),
        ({"id": ""}, "Template “Too early” has no id."),
    ],
)
def test_validation_names_the_field_and_the_template(changes: dict[str, object], expected: str) -> None:
    with pytest.raises(TemplateError) as caught:
        validate(template(**changes))
    assert str(caught.value).startswith(expected)


def test_valid_edge_cases() -> None:
    validate(template(message=""))
    validate(template(title="x" * 80))
    validate(template(decision=Decision.RETURN, message="{{literal}} {reason}"))


def test_new_ids_are_uuid_hex_and_unique() -> None:
    first, second = new_template_id(), new_template_id()
    assert first != second
    assert len(first) == 32 and int(first, 16) >= 0


# -- settings ----------------------------------------------------------------------------------------


def test_never_customised_gives_the_defaults() -> None:
    assert templates_from_settings({}) == list(DEFAULT_TEMPLATES)
    assert templates_from_settings(Settings().decision_templates) == list(DEFAULT_TEMPLATES)


def test_customised_to_nothing_stays_empty() -> None:
    data = templates_to_settings([])
    assert data == {"version": 1, "templates": []}
    assert templates_from_settings(data) == []


def test_unchanged_defaults_are_stored_as_never_customised() -> None:
    assert templates_to_settings(DEFAULT_TEMPLATES) == {}
    assert templates_to_settings(list(DEFAULT_TEMPLATES)) == {}


def test_settings_round_trip_through_the_settings_file() -> None:
    edited = [
        dataclasses.replace(DEFAULT_TEMPLATES[0], title="Criteria not met (2024)"),
        template(id=new_template_id(), decision=Decision.RETURN, message="Ünïcode {member} {{ok}}"),
    ]
    settings = Settings(decision_templates=templates_to_settings(edited))
    assert settings.decision_templates["version"] == 1
    assert settings.decision_templates["templates"][1]["decision"] == "return"
    save(settings)
    assert templates_from_settings(load().decision_templates) == edited


def test_to_settings_names_the_bad_template() -> None:
    with pytest.raises(
        TemplateError, match=re.escape("Template “Broken”, message: Unknown placeholder {nope}")
    ):
        templates_to_settings([DEFAULT_TEMPLATES[0], template(title="Broken", message="{nope}")])
    with pytest.raises(TemplateError, match=re.escape("Template “Second” has the same id as another one.")):
        templates_to_settings([template(title="First"), template(title="Second")])


def test_malformed_entries_are_skipped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    good = templates_to_settings([template(id="a"), template(id="b", decision=Decision.RETURN, title="B")])
    entries = good["templates"]
    data = {
        "version": 1,
        "templates": [
            entries[0],
            "not an object",
            None,
            {**entries[0], "id": "c", "decision": "approve"},
            {**entries[0], "id": "d", "decision": "maybe"},
            {**entries[0], "id": "e", "title": 42},
            {key: value for key, value in entries[0].items() if key != "reason"} | {"id": "f"},
            {**entries[0], "id": "g", "message": "Hi {membr}"},
            {**entries[0], "id": "h", "title": ""},
            entries[0],  # repeated id
            {key: value for key, value in entries[1].items() if key != "message"},
        ],
    }
    with caplog.at_level(logging.WARNING, logger="desktop.decision_templates"):
        loaded = templates_from_settings(json.loads(json.dumps(data)))
    assert [t.id for t in loaded] == ["a", "b"]
    assert loaded[1].message == ""  # a missing message is an empty one
    skipped = [r.getMessage() for r in caplog.records]
    assert len(skipped) == 9
    assert any("template 4 " in m and "Approve" in m for m in skipped)
    assert any("template 8 " in m and "{membr}" in m for m in skipped)
    assert any("template 10 " in m and "repeated" in m for m in skipped)


@pytest.mark.parametrize(
    "data",
    [
        {"version": 1},
        {"version": 1, "templates": {"a": 1}},
        {"version": "1", "templates": []},
        {"version": True, "templates": []},
        {"version": 0, "templates": []},
        {"something": "else"},
    ],
)
def test_unreadable_settings_give_the_defaults(
    data: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="desktop.decision_templates"):
        assert templates_from_settings(data) == list(DEFAULT_TEMPLATES)
    assert "cannot be read" in caplog.text


def test_a_newer_version_is_read_as_far_as_it_fits(caplog: pytest.LogCaptureFixture) -> None:
    entry = {"id": "x", "decision": "deny", "title": "T", "reason": "R", "message": "", "colour": "red"}
    with caplog.at_level(logging.WARNING, logger="desktop.decision_templates"):
        loaded = templates_from_settings({"version": 2, "templates": [entry]})
    assert loaded == [DecisionTemplate("x", Decision.DENY, "T", "R", "")]
    assert "newer BadgeDesk" in caplog.text


def test_placeholders_module_is_the_one_used() -> None:
    # The templates and their checks share one placeholder grammar.
    with pytest.raises(TemplateError) as caught:
        validate(template(message="{member!r}"))
    with pytest.raises(placeholders.PlaceholderError) as direct:
        placeholders.check("{member!r}", PLACEHOLDERS)
    assert str(direct.value) in str(caught.value)
