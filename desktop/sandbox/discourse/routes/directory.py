"""The user directory: ``GET /directory_items`` (operationId ``listUsersPublic``), as
``DirectoryItemsController#index`` answers it, for leaderboards.

- any logged-in user; ``period`` is required (a missing one is a 400), and one
  Discourse has no period type for is a 403 ``invalid_access``;
- ``order``: a directory column, or ``username``; anything else sorts nothing
  (the rows come by user id) and raises nothing; any non-empty ``asc`` sorts
  ascending; ties in the order by user id;
- ``page`` 0-based up to 10 (beyond: 400), ``limit`` 1–50 (default 50; else 400);
- ``group`` (a group's name: only its members; unknown: 400), ``exclude_groups``
  (names, ``|``-separated), ``exclude_usernames`` (``,``-separated), ``username``
  (that user's row alone);
- on page 0 without ``group``, the caller's own row is put first when it is not
  among the page's first ten (unless the caller is in an excluded group): a
  client must drop it;
- ``meta.last_updated_at`` is the last refresh the period's rows date from;
- ``solutions`` (the Solved plugin's column) is a column, shown and sorted by, only where
  the face runs with it on (``create_discourse_app(solved=True)``); elsewhere it is an
  unknown column like any other.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.responses import Response

from desktop.sandbox.discourse.auth import Context, LoggedIn
from desktop.sandbox.discourse.badge_models import avatar_template, iso
from desktop.sandbox.discourse.data.directory import (
    COLUMNS,
    PERIODS,
    SOLVED_COLUMN,
    DirectoryRow,
    period_span,
)
from desktop.sandbox.discourse.errors import InvalidAccess, InvalidParameters, ParameterMissing
from desktop.sandbox.discourse.params import ParamsDep, ruby_string, to_i
from desktop.sandbox.discourse.responses import json_answer

router = APIRouter()

PAGE_SIZE = 50
#: The last page a ranking gives: at most 11 pages of 50 rows.
LAST_PAGE = 10
#: The caller's own row is added unless it is among this many first rows of page 0.
TOP_POSITIONS = 10


def _item(row: DirectoryRow, columns: tuple[str, ...]) -> dict[str, Any]:
    """``DirectoryItemSerializer``: the item's id is its user's; the active columns; the user."""
    item: dict[str, Any] = {"id": row.user_id}
    item.update({column: getattr(row, column) for column in columns})
    item["user"] = {
        "id": row.user_id,
        "username": row.username,
        "name": row.name or None,
        "avatar_template": avatar_template(row.username),
        "title": None,
    }
    return item


@router.get("/directory_items")
def directory_items(params: ParamsDep, ctx: Context, user: LoggedIn) -> Response:
    if not params.present("period"):
        raise ParameterMissing("period")
    period = ruby_string(params.get("period"))
    if period not in PERIODS:
        raise InvalidAccess()
    start, refreshed = period_span(period, ctx.now())
    rows = ctx.data.directory(start, refreshed)
    group = params.text("group") if params.present("group") else None
    if group is not None:
        found = ctx.data.group(group, staff_viewer=user.staff)
        if found is None:
            raise InvalidParameters("group")
        members = set(ctx.data.group_member_ids(found.name, found.automatic))
        rows = [r for r in rows if r.user_id in members]
    caller_excluded = False
    if params.present("exclude_groups"):
        names = set(ruby_string(params.get("exclude_groups")).split("|"))
        excluded = {
            member
            for g in ctx.data.groups(staff_viewer=True)
            if g.name in names
            for member in ctx.data.group_member_ids(g.name, g.automatic)
        }
        caller_excluded = user.id in excluded
        rows = [r for r in rows if r.user_id not in excluded]
    if params.has("exclude_usernames"):
        usernames = set(ruby_string(params.get("exclude_usernames")).split(","))
        rows = [r for r in rows if r.username not in usernames]
    columns = (*COLUMNS, SOLVED_COLUMN) if ctx.solved else COLUMNS
    order = ruby_string(params.get("order")) if params.has("order") else COLUMNS[0]
    descending = not params.present("asc")
    if order in columns or order == "username":
        # Stable even reversed: equal values stay in user id order.
        rows = sorted(rows, key=lambda r: r.value(order), reverse=descending)
    page = to_i(params.get("page")) if params.has("page") else 0
    if page < 0 or page > LAST_PAGE:
        raise InvalidParameters("page")
    limit = PAGE_SIZE
    if params.has("limit"):
        limit = to_i(params.get("limit"))
        if limit <= 0 or limit > PAGE_SIZE:
            raise InvalidParameters("limit")
    if params.has("username"):
        wanted = ruby_string(params.get("username")).lower()
        rows = [r for r in rows if r.username.lower() == wanted]
    total = len(rows)
    shown = rows[limit * page : limit * (page + 1)]
    if shown and page == 0 and group is None and not caller_excluded:
        position = next((i for i, r in enumerate(shown) if r.user_id == user.id), None)
        if position is None or position >= TOP_POSITIONS:
            own = next((r for r in ctx.data.directory(start, refreshed) if r.user_id == user.id), None)
            if own is not None:
                shown = [own, *shown]
    more = {k: ruby_string(params.get(k)) for k in ("period", "order", "asc", "group") if params.has(k)}
    more["page"] = str(page + 1)
    return _answer(shown, columns, total, refreshed, more)


def _answer(
    shown: list[DirectoryRow], columns: tuple[str, ...], total: int, refreshed: int, more: dict[str, str]
) -> Response:
    return json_answer(
        {
            "directory_items": [_item(r, columns) for r in shown],
            "meta": {
                "last_updated_at": iso(refreshed),
                "total_rows_directory_items": total,
                "load_more_directory_items": f"/directory_items.json?{urlencode(sorted(more.items()))}",
            },
        }
    )
