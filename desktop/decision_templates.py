"""Reason templates for denying or returning a badge request.

A template gives a moderator a ready reason in one keystroke: a short *reason*
for the audit log and a *message* the member receives, with placeholders
(:data:`PLACEHOLDERS`) filled when the decision is made. The moderator may add
free text; :func:`compose_reason` puts the two together and ``{reason}`` in the
message stands for that final text.

Templates are kept in ``Settings.decision_templates``: an empty dict means the
user never customised them and gets the built-in :data:`DEFAULT_TEMPLATES`
(improved defaults in a newer BadgeDesk then reach them); otherwise
``{"version": 1, "templates": [...]}``, which may hold no templates at all.

Thread safety: immutable values and pure functions; any thread.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload

from desktop import placeholders
from desktop.domain import Decision
from desktop.i18n import _

log = logging.getLogger(__name__)

#: Version of the ``Settings.decision_templates`` layout.
SETTINGS_VERSION = 1
#: Placeholders a message may use; ``{reason}`` is the final reason (template and free text).
PLACEHOLDERS = ("member", "badge", "community", "reason", "moderator")
#: The decisions a template may be for, with their names in the UI.


class _DecisionNames(Mapping[Decision, str]):
    """Deny and Return, named in the user's language when read."""

    def __getitem__(self, decision: Decision) -> str:
        if decision is Decision.DENY:
            return _("Deny")
        if decision is Decision.RETURN:
            return _("Return")
        raise KeyError(decision)

    def __iter__(self) -> Iterator[Decision]:
        return iter((Decision.DENY, Decision.RETURN))

    def __len__(self) -> int:
        return 2


DECISION_NAMES: Mapping[Decision, str] = _DecisionNames()
TITLE_MAX = 80


class TemplateError(ValueError):
    """A template or a reason is not usable; ``str(error)`` is a sentence for the user."""


@dataclass(frozen=True, slots=True)
class DecisionTemplate:
    #: Stable identity (the built-in ones have readable ids, new ones :func:`new_template_id`).
    id: str
    decision: Decision
    #: What the moderator picks it by, e.g. "Criteria not met".
    title: str
    #: Short, for moderators: it goes to the audit log.
    reason: str
    #: What the member receives; may use :data:`PLACEHOLDERS`; may be empty.
    message: str


def _deny(id: str, title: str, reason: str, body: str) -> DecisionTemplate:
    return DecisionTemplate(f"deny-{id}", Decision.DENY, title, reason, _letter(body))


def _return(id: str, title: str, reason: str, body: str) -> DecisionTemplate:
    return DecisionTemplate(f"return-{id}", Decision.RETURN, title, reason, _letter(body))


def _letter(body: str) -> str:
    # Not str.format: the placeholders are filled later, when the member is known.
    return _("Hi {member},\n\n{body}\n\n— {moderator}, {community}").replace("{body}", body)


def _default_templates() -> tuple[DecisionTemplate, ...]:
    """The built-in templates, in the user's language."""
    return (
        _deny(
            "criteria-not-met",
            _("Criteria not met"),
            _("The request does not meet the badge criteria."),
            _(
                "Thanks for asking for the {badge} badge. We read your request carefully, but it does "
                "not meet the criteria for this badge:\n\n{reason}\n\nThe criteria are listed on the "
                "badge's page. You are welcome to ask again once you meet them."
            ),
        ),
        _deny(
            "evidence-insufficient",
            _("Evidence does not show it"),
            _("The evidence does not show that the criteria are met."),
            _(
                "Thanks for asking for the {badge} badge. We looked at the evidence you sent, but it "
                "does not show that you meet the criteria:\n\n{reason}\n\nIf you have other evidence, "
                "such as a programme listing, a certificate or a link to your work, please send a new "
                "request with it."
            ),
        ),
        _deny(
            "duplicate",
            _("Already requested"),
            _("Duplicate of an earlier request for this badge."),
            _(
                "Thanks for asking for the {badge} badge. You have already asked for it in an earlier "
                "request, so we closed this one as a duplicate:\n\n{reason}\n\nYou don't need to do "
                "anything: we will answer your earlier request."
            ),
        ),
        _deny(
            "already-held",
            _("Already holds the badge"),
            _("The badge was already awarded earlier."),
            _(
                "Thanks for asking for the {badge} badge. Good news: you already hold it, so there is "
                "nothing more to award.\n\n{reason}"
            ),
        ),
        _deny(
            "not-eligible-yet",
            _("Not eligible yet"),
            _("Not eligible yet: a time or membership requirement is not met."),
            _(
                "Thanks for asking for the {badge} badge. You are not eligible for it just yet:\n\n"
                "{reason}\n\nPlease ask again once you are; we'll be glad to award it then."
            ),
        ),
        _deny(
            "invitation-only",
            _("Badge is by invitation"),
            _("Awarded by invitation only, not on request."),
            _(
                "Thanks for your interest in the {badge} badge. It is awarded by invitation only, so we "
                "can't grant it on request:\n\n{reason}\n\nThis is not a judgement of your work: the "
                "{community} team nominates its recipients."
            ),
        ),
        _return(
            "add-evidence-link",
            _("Add an evidence link"),
            _("Needs a link to evidence."),
            _(
                "Thanks for asking for the {badge} badge. Before we can decide, we need a link that "
                "shows you meet the criteria, for example a talk recording, a programme page or a "
                "certificate:\n\n{reason}\n\nPlease add the link to your request and send it again."
            ),
        ),
        _return(
            "link-does-not-open",
            _("Evidence link does not open"),
            _("The evidence link does not open (broken, private or behind a login)."),
            _(
                "Thanks for asking for the {badge} badge. We tried to open the evidence link in your "
                "request, but it does not open for us:\n\n{reason}\n\nPlease check the link, make sure "
                "it can be viewed without signing in, and send the request again."
            ),
        ),
        _return(
            "tell-us-more",
            _("Tell us more"),
            _("Needs more detail on how the criteria are met."),
            _(
                "Thanks for asking for the {badge} badge. We need a little more detail before we can "
                "decide:\n\n{reason}\n\n"
                "Please tell us what you did, when and where, and send the request again."
            ),
        ),
    )


class _DefaultTemplates(Sequence[DecisionTemplate]):
    """The built-in templates, translated when read (the language is chosen after import)."""

    @overload
    def __getitem__(self, index: int) -> DecisionTemplate: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[DecisionTemplate, ...]: ...
    def __getitem__(self, index: int | slice) -> DecisionTemplate | tuple[DecisionTemplate, ...]:
        return _default_templates()[index]

    def __len__(self) -> int:
        return len(_default_templates())


DEFAULT_TEMPLATES: Sequence[DecisionTemplate] = _DefaultTemplates()


def new_template_id() -> str:
    return uuid.uuid4().hex


def label(template: DecisionTemplate) -> str:
    """How lists show a template: ``Deny · Criteria not met``."""
    return _("{decision} · {title}").format(decision=_decision_name(template.decision), title=template.title)


def validate(template: DecisionTemplate) -> None:
    """Raise :class:`TemplateError` naming the field (and the template) that is wrong."""
    title = template.title.strip()
    if title:
        named = _("Template “{title}”").format(title=title)
    else:
        named = _("A {decision} template").format(decision=_decision_name(template.decision))
    if not template.id:
        raise TemplateError(_("{template} has no id.").format(template=named))
    if not title:
        raise TemplateError(_("{template} has no title: give it one.").format(template=named))
    if len(title) > TITLE_MAX:
        raise TemplateError(
            _("The title of template “{start}…” is too long: {length} characters, at most {most}.").format(
                start=title[:40], length=len(title), most=TITLE_MAX
            )
        )
    if template.decision not in DECISION_NAMES:
        raise TemplateError(
            _("{template} is for {decision}; templates are for Deny or Return only.").format(
                template=named, decision=_decision_name(template.decision)
            )
        )
    if not template.reason.strip():
        raise TemplateError(
            _("{template} has no reason: write the short reason moderators see in the audit log.").format(
                template=named
            )
        )
    try:
        placeholders.check(template.message, PLACEHOLDERS)
    except placeholders.PlaceholderError as error:
        raise TemplateError(
            _("{template}, message: {problem}").format(template=named, problem=error)
        ) from None


def compose_reason(template: DecisionTemplate | None, free_text: str) -> str:
    """The final reason: the template's reason, then the moderator's free text on a new line."""
    parts = [template.reason.strip()] if template is not None else []
    parts.append(free_text.strip())
    reason = "\n".join(part for part in parts if part)
    if not reason:
        raise TemplateError(_("Give a reason: pick a template or type one."))
    return reason


def render_message(
    template_message: str, *, member: str, badge: str, community: str, reason: str, moderator: str
) -> str:
    """The message the member receives; values are inserted literally.

    Raises :class:`desktop.placeholders.PlaceholderError` if the message uses
    unknown or malformed placeholders (:func:`validate` catches that earlier).
    """
    values = {
        "member": member,
        "badge": badge,
        "community": community,
        "reason": reason,
        "moderator": moderator,
    }
    return placeholders.render(template_message, values)


def for_decision(templates: Iterable[DecisionTemplate], decision: Decision) -> list[DecisionTemplate]:
    return [t for t in templates if t.decision is decision]


def templates_from_settings(data: Mapping[str, Any]) -> list[DecisionTemplate]:
    """The templates stored in ``Settings.decision_templates``; never raises.

    An empty mapping (never customised) gives the defaults; a stored empty list
    (every template deleted) stays empty. Entries that are malformed or do not
    validate are skipped with a warning, as are repeated ids. Data that cannot
    be read at all gives the defaults, with a warning.
    """
    if not data:
        return list(DEFAULT_TEMPLATES)
    version = data.get("version")
    entries = data.get("templates")
    if (
        not isinstance(version, int)
        or isinstance(version, bool)
        or version < 1
        or not isinstance(entries, list)
    ):
        log.warning("Decision templates in the settings cannot be read; using the built-in ones")
        return list(DEFAULT_TEMPLATES)
    if version > SETTINGS_VERSION:
        log.warning(
            "Decision templates were saved by a newer BadgeDesk (version %s); reading what fits", version
        )
    templates: list[DecisionTemplate] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        try:
            template = _from_dict(entry)
            validate(template)
        except TemplateError as error:
            log.warning("Decision template %d in the settings skipped: %s", position, error)
            continue
        if template.id in seen:
            log.warning(
                "Decision template %d in the settings skipped: its id %r is repeated", position, template.id
            )
            continue
        seen.add(template.id)
        templates.append(template)
    return templates


def templates_to_settings(items: Sequence[DecisionTemplate]) -> dict[str, Any]:
    """What to store in ``Settings.decision_templates``; raises :class:`TemplateError` naming a bad one.

    Exactly the built-in templates are stored as ``{}``, so that the user keeps
    following the defaults of later versions.
    """
    seen: set[str] = set()
    for template in items:
        validate(template)
        if template.id in seen:
            raise TemplateError(
                _("Template “{title}” has the same id as another one.").format(title=template.title.strip())
            )
        seen.add(template.id)
    if tuple(items) == tuple(DEFAULT_TEMPLATES):
        return {}
    return {"version": SETTINGS_VERSION, "templates": [_to_dict(t) for t in items]}


def _to_dict(template: DecisionTemplate) -> dict[str, str]:
    return {
        "id": template.id,
        "decision": template.decision.value,
        "title": template.title,
        "reason": template.reason,
        "message": template.message,
    }


def _from_dict(entry: object) -> DecisionTemplate:
    if not isinstance(entry, Mapping):
        raise TemplateError(f"not an object but {type(entry).__name__}")
    fields: dict[str, str] = {}
    for key in ("id", "decision", "title", "reason", "message"):
        value = entry.get(key, "" if key == "message" else None)
        if not isinstance(value, str):
            raise TemplateError(f"{key!r} is missing or not text")
        fields[key] = value
    try:
        decision = Decision(fields.pop("decision"))
    except ValueError:
        raise TemplateError(f"unknown decision {entry.get('decision')!r}") from None
    return DecisionTemplate(decision=decision, **fields)


def _decision_name(decision: object) -> str:
    if isinstance(decision, Decision):
        return DECISION_NAMES.get(decision, decision.value.title())
    return repr(decision)
