"""Mass award: ``POST /admin/badges/award/{badge_id}``, a CSV of usernames and emails.

``Admin::BadgesController#mass_award``: admins only; a file and a known badge
are required (400 ``invalid_parameters`` otherwise); a disabled badge, or
``grant_existing_holders`` for a badge that cannot be held twice, is a 422;
more than 50,000 entries or a CSV that cannot be read a 400. The answer counts
matched users and lists unmatched entries; the grants follow from background
jobs, one per member, without a per-member result. ``replace_badge_owners``
revokes every holder first. The refusals' wording follows Discourse's locale
keys (``badges.mass_award.errors.*``) as closely as the sandbox knows them.
"""

from __future__ import annotations

import csv
from functools import partial

from fastapi import APIRouter
from starlette.responses import Response

from desktop.sandbox.discourse.auth import Admin, Context
from desktop.sandbox.discourse.errors import DiscourseError, InvalidParameters
from desktop.sandbox.discourse.params import ParamsDep, cast_integer
from desktop.sandbox.discourse.responses import json_answer

router = APIRouter()

MAX_CSV_LINES = 50_000


class _BadCsv(Exception):
    def __init__(self, line_number: int) -> None:
        super().__init__(line_number)
        self.line_number = line_number


def csv_entries(data: bytes) -> list[str]:
    """The first column of every non-blank line, stripped and lower-cased (Ruby's ``CSV.parse_line``)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _BadCsv(1) from None
    entries: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "\x00" in line:
            raise _BadCsv(number)
        try:
            fields = next(csv.reader([line], strict=True), [])
        except csv.Error:
            raise _BadCsv(number) from None
        if line.count('"') % 2:
            raise _BadCsv(number)
        first = fields[0].strip().lower() if fields else ""
        if first:
            entries.append(first)
            if len(entries) > MAX_CSV_LINES:
                raise DiscourseError(
                    400,
                    [
                        "Too many entries in the CSV file. Please provide a file with "
                        f"{MAX_CSV_LINES} entries or fewer."
                    ],
                )
    return entries


@router.post("/admin/badges/award/{raw_id}")
def mass_award(raw_id: str, params: ParamsDep, ctx: Context, user: Admin) -> Response:
    upload = params.files.get("file")
    badge_id = cast_integer(raw_id) if raw_id.strip().isdigit() else None
    badge = ctx.data.badge(badge_id) if badge_id is not None else None
    if upload is None or badge is None:
        raise InvalidParameters("")
    if not badge.enabled:
        raise DiscourseError(422, [f"Please enable the {badge.name} badge first."])
    replace_owners = params.get("replace_badge_owners") == "true"
    grant_existing = params.get("grant_existing_holders") == "true"
    if grant_existing and not badge.multiple_grant:
        raise DiscourseError(422, [f"Can't grant {badge.name} multiple times."])
    try:
        entries = csv_entries(upload.data)
    except _BadCsv as bad:
        raise DiscourseError(
            400,
            [
                f"There was an error reading line {bad.line_number} of the CSV file:"
                " it has one email or username per line."
            ],
        ) from None
    if replace_owners:
        ctx.data.revoke_all(badge.id, revoked_by=user.username)
    plan = ctx.data.plan_mass_award(badge.id, entries, grant_existing_holders=grant_existing)
    for member_id, count in plan.counts.items():
        ctx.jobs.enqueue(partial(ctx.data.mass_grant, badge.id, member_id, count))
    ctx.data.log_staff_action("mass_award_badge", user.id, subject=badge.name)
    return json_answer(
        {
            "unmatched_entries": plan.unmatched,
            "matched_users_count": plan.matched_users,
            "unmatched_entries_count": len(plan.unmatched),
        }
    )
