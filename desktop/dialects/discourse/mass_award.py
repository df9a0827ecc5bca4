"""The MassAwarder port over Discourse: one CSV upload, then the holders read back.

``POST /admin/badges/award/{badge_id}`` (admins only; no granular scope
covers it) takes a CSV of usernames or emails, one a line, at most 50,000,
and answers at once with how many users it matched. The grants are made
later by one background job per member, as the system user, with no
per-member result; members who hold the badge already are skipped. So the
upload is sent once (a lost answer is never sent again: the holders tell
what happened) and the outcome is read from the badge's holders
(``GET /user_badges.json?badge_id=``, newest first, 50 a request), stopping
at the first grant older than the upload or already seen.

Thread safety: one thread at a time (it belongs to one session).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from desktop.dialects.base import MassAwardReceipt
from desktop.dialects.discourse import mapping, wire
from desktop.dialects.discourse.api import DiscourseApi, adapter
from desktop.dialects.discourse.directory import MAX_HOLDERS
from desktop.domain import Award
from desktop.i18n import _
from desktop.net.errors import ApiError, MalformedResponse

#: Discourse refuses a CSV of more entries (``too_many_csv_entries``).
MAX_CSV_ENTRIES = 50_000
_HOLDERS = "/user_badges.json"


def csv_of(usernames: Sequence[str]) -> bytes:
    """One username a line, quoted where the CSV needs it (Discourse reads the first column)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for name in usernames:
        writer.writerow([name])
    return out.getvalue().encode("utf-8")


class DiscourseMassAwarder:
    def __init__(self, api: DiscourseApi) -> None:
        self._api = api

    @property
    def lines_cap(self) -> int:
        return MAX_CSV_ENTRIES

    @property
    def holders_per_read(self) -> int:
        return MAX_HOLDERS

    def mass_award(self, badge_id: int, usernames: Sequence[str]) -> MassAwardReceipt:
        if not usernames or len(usernames) > MAX_CSV_ENTRIES:
            raise ValueError(f"A mass award takes 1 to {MAX_CSV_ENTRIES:,} members, not {len(usernames):,}")
        path = f"/admin/badges/award/{badge_id}.json"
        response = self._api.http.send(
            "POST",
            path,
            files={"file": ("members.csv", csv_of(usernames), "text/csv")},
            resend_after_loss=False,
        )
        if response.status_code != 200:
            raise self._api.error("POST", path, response)
        answer = self._api.parse(adapter(wire.MassAwardAnswer), "POST", path, response)
        return MassAwardReceipt(matched=answer.matched_users_count, unmatched=tuple(answer.unmatched_entries))

    def granted_since(
        self, badge_id: int, since: datetime, known: frozenset[int] = frozenset()
    ) -> list[Award]:
        found: dict[int, Award] = {}
        offset = 0
        while True:
            params = {"badge_id": badge_id, "offset": offset, "limit": MAX_HOLDERS}
            answer = self._api.read_unless_missing(adapter(wire.Holders), _HOLDERS, params)
            if answer is None:
                raise ApiError(
                    _(
                        "Discourse answered 404 for the holders of badge {badge}: it was disabled or"
                        " deleted after the mass award, or badges are turned off on this forum"
                    ).format(badge=badge_id),
                    status=404,
                )
            rows = answer.user_badge_info.user_badges
            people = mapping.people(answer.users)
            for row in rows:
                if row.badge_id != badge_id or row.user_id is None:
                    raise MalformedResponse(
                        _(
                            "Malformed response from GET {path}: a holder of badge {badge} that is not one"
                            " (another badge, or no member); tell the forum's administrator"
                        ).format(path=_HOLDERS, badge=badge_id)
                    )
                if row.granted_at < since or row.id in known:
                    return list(found.values())
                if row.user_id >= 1:
                    found[row.id] = mapping.award(row, row.user_id, people)
            if len(rows) < MAX_HOLDERS:
                return list(found.values())
            # New grants land at the head while this reads: a row may come twice, none is missed.
            offset += len(rows)
