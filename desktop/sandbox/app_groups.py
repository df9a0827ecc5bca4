"""The sandbox's group endpoints of API v1: groups with ids, a group's members, and membership changes.

- ``GET /groups`` (any token): every group by id, a page at a time, each with
  its name, title and member count;
- ``GET /groups/{id}`` and ``GET /groups/{id}/members`` (moderators: members
  are the moderators' to list), the members a keyset page at a time by id;
- ``POST /groups/{id}/add-members`` and ``/remove-members`` (moderators):
  ``{"idempotency_key", "member_ids"}``, at most the batch cap of ids (more is a
  413, as the award batches), all applied in one transaction. Adding a member
  already in the group, or removing one not in it, is no error: the answer
  lists them as ``unchanged``; ids of no member or a deleted one as
  ``missing``. A key seen before returns its first answer with
  ``replayed: true``.

A membership change gives the member a new changes-feed position, so a
client's incremental sync sees the member's ``groups`` change.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from desktop.dialects.badgedesk_v1.wire import GroupChangeOut, GroupMembersIn, GroupOut, GroupPage, MemberPage
from desktop.sandbox.app import (
    _BAD_CURSOR,
    _ERRORS,
    _NOT_FOUND,
    _TOO_LARGE,
    Caller,
    Context,
    Moderator,
    _check_cap,
)
from desktop.sandbox.store import StoreError

router = APIRouter(prefix="/api/v1", responses=_ERRORS)


@router.get("/groups", responses=_BAD_CURSOR)
def groups(
    context: Context,
    caller: Caller,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> GroupPage:
    items, next_cursor = context.store.groups_page(cursor=cursor, limit=limit)
    return GroupPage(items=items, next_cursor=next_cursor)


@router.get("/groups/{group_id}", responses=_NOT_FOUND)
def group(group_id: int, context: Context, moderator: Moderator) -> GroupOut:
    found = context.store.group(group_id)
    if found is None:
        raise StoreError(404, "not_found", f"No group with id {group_id}.")
    return found


@router.get("/groups/{group_id}/members", responses={**_NOT_FOUND, **_BAD_CURSOR})
def group_members(
    group_id: int,
    context: Context,
    moderator: Moderator,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> MemberPage:
    return context.store.group_members_page(group_id, cursor=cursor, limit=limit)


@router.post("/groups/{group_id}/add-members", responses={**_NOT_FOUND, **_TOO_LARGE})
def add_members(
    group_id: int, body: GroupMembersIn, context: Context, moderator: Moderator
) -> GroupChangeOut:
    """Add members to the group; those already in it are ``unchanged``."""
    _check_cap(len(body.member_ids), context.batch_cap)
    return context.store.change_group_members(
        group_id, body.member_ids, add=True, idempotency_key=body.idempotency_key
    )


@router.post("/groups/{group_id}/remove-members", responses={**_NOT_FOUND, **_TOO_LARGE})
def remove_members(
    group_id: int, body: GroupMembersIn, context: Context, moderator: Moderator
) -> GroupChangeOut:
    """Remove members from the group; those not in it are ``unchanged``."""
    _check_cap(len(body.member_ids), context.batch_cap)
    return context.store.change_group_members(
        group_id, body.member_ids, add=False, idempotency_key=body.idempotency_key
    )
