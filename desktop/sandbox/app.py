"""The sandbox's HTTP API: BadgeDesk Community API v1 over a ``SandboxStore``.

Endpoints are plain ``def`` functions, so FastAPI runs them in its threadpool;
the store gives each thread its own connection and serialises writes.
Every error body is an ``ErrorOut`` (``{"error", "message"}``), whatever raised it.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from xml.etree import ElementTree

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from desktop.dialects.badgedesk_v1.wire import (
    API_VERSION,
    DEFAULT_BATCH_CAP,
    AwardPage,
    BadgeCreateIn,
    BadgeOut,
    BadgePage,
    BadgeStateIn,
    BadgeUpdateIn,
    BatchAwardIn,
    BatchResultOut,
    BatchRevokeIn,
    Capabilities,
    ChangesPage,
    CommunityInfo,
    DecisionConflictOut,
    DecisionIn,
    DecisionOut,
    ErrorOut,
    ImageIn,
    MemberOut,
    MemberPage,
    RequestCreateIn,
    RequestOut,
    RequestPage,
    TokenOut,
    WhoAmI,
)
from desktop.domain import MemberStatus
from desktop.sandbox.middleware import SandboxMiddleware
from desktop.sandbox.profile_page import router as profile_pages
from desktop.sandbox.store import DecisionConflict, Principal, RequestFilter, SandboxStore, StoreError
from desktop.sandbox.topic_page import router as topic_pages

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "Missing or unknown bearer token"},
    403: {"model": ErrorOut, "description": "The token's role may not do this"},
    422: {"model": ErrorOut, "description": "Invalid request"},
    429: {"model": ErrorOut, "description": "Rate limited; see Retry-After"},
    503: {"model": ErrorOut, "description": "Temporarily unavailable; retry"},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "No such entity"}}
_CONFLICT: dict[int | str, dict[str, Any]] = {409: {"model": ErrorOut, "description": "Conflict"}}
_TOO_LARGE: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorOut, "description": "More items than the batch cap"}
}
_MEMBER_DELETED: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorOut, "description": "The member was deleted and stays deleted"}
}
_BAD_CURSOR: dict[int | str, dict[str, Any]] = {400: {"model": ErrorOut, "description": "Bad cursor"}}


@dataclass(frozen=True, slots=True)
class _Context:
    store: SandboxStore
    community_name: str
    batch_cap: int


def _context(request: Request) -> _Context:
    context = request.app.state.sandbox
    assert isinstance(context, _Context)
    return context


_bearer = HTTPBearer(auto_error=False, description="A community token: `Authorization: Bearer <token>`")


def _caller(
    context: Annotated[_Context, Depends(_context)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise StoreError(401, "unauthorized", "Send Authorization: Bearer <token>.")
    principal = context.store.principal(credentials.credentials)
    if principal is None:
        raise StoreError(401, "unauthorized", "Unknown token.")
    return principal


def _moderator(caller: Annotated[Principal, Depends(_caller)]) -> Principal:
    if caller.role != "moderator":
        raise StoreError(403, "forbidden", "Only moderators may do this.")
    return caller


Context = Annotated[_Context, Depends(_context)]
Caller = Annotated[Principal, Depends(_caller)]
Moderator = Annotated[Principal, Depends(_moderator)]
IfMatch = Annotated[str | None, Header(description="The version the change is based on")]


def _version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    # Accept ETag spellings too ("3", W/"3"): clients reach for them by habit.
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isascii() or not value.isdigit():
        raise StoreError(400, "bad_request", f"If-Match must be a version number, not {if_match!r}.")
    return int(value)


def _image(image: ImageIn | None) -> tuple[bytes, str] | None:
    if image is None:
        return None
    try:
        data = base64.b64decode(image.data_base64, validate=True)
    except (binascii.Error, ValueError):
        raise StoreError(422, "invalid_image", "The image is not valid base64.") from None
    if image.media_type == "image/png":
        if not data.startswith(PNG_SIGNATURE):
            raise StoreError(422, "invalid_image", "The image is not a PNG file.")
        return data, image.media_type
    # A DOCTYPE is the door to entity tricks; real badge SVGs never need one.
    if b"<!doctype" in data[:4096].lower() or b"<!entity" in data.lower():
        raise StoreError(422, "invalid_image", "SVG images may not declare a DOCTYPE or entities.")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise StoreError(422, "invalid_image", f"The SVG is not well-formed XML: {exc}.") from None
    if root.tag.rsplit("}", 1)[-1] != "svg":
        raise StoreError(422, "invalid_image", "The SVG's root element is not <svg>.")
    return data, image.media_type


def _check_cap(count: int, cap: int) -> None:
    if count > cap:
        raise StoreError(413, "batch_too_large", f"At most {cap} items per batch; this one has {count}.")


router = APIRouter(prefix="/api/v1", responses=_ERRORS)


@router.get("/community")
def community(context: Context, caller: Caller) -> CommunityInfo:
    counts, seq = context.store.counts()
    return CommunityInfo(
        name=context.community_name,
        api_version=API_VERSION,
        capabilities=Capabilities(
            requests=True,
            changes_feed=True,
            batch_awards=True,
            batch_cap=context.batch_cap,
            revoke_messages=True,
            groups=True,
            activity=True,
        ),
        counts=counts,
        changes_cursor=str(seq),
        server_time=datetime.now(UTC).replace(microsecond=0),
    )


@router.get("/me")
def me(caller: Caller) -> WhoAmI:
    return WhoAmI(name=caller.name, role=caller.role, member_id=caller.member_id)


@router.post("/me/tokens", status_code=201)
def create_token(context: Context, caller: Caller) -> TokenOut:
    """Issue another token for the caller (to replace one before revoking it)."""
    token = secrets.token_urlsafe(32)
    context.store.add_token(token, name=caller.name, role=caller.role, member_id=caller.member_id)
    return TokenOut(token=token, name=caller.name, role=caller.role)


@router.delete("/me/token", status_code=204)
def revoke_token(
    context: Context,
    caller: Caller,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Response:
    """Revoke the token this request carries: any later request with it gets 401."""
    assert credentials is not None  # Caller already refused a request without one.
    context.store.revoke_token(credentials.credentials)
    return Response(status_code=204)


@router.get("/members", responses=_BAD_CURSOR)
def members(
    context: Context,
    moderator: Moderator,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> MemberPage:
    return context.store.members_page(cursor=cursor, limit=limit, q=q.strip() if q else None)


@router.get("/members/{member_id}", responses=_NOT_FOUND)
def member(member_id: int, context: Context, moderator: Moderator) -> MemberOut:
    found = context.store.member(member_id)
    if found is None:
        raise StoreError(404, "not_found", f"No member with id {member_id}.")
    return found


@router.post("/members/{member_id}/suspend", responses={**_NOT_FOUND, **_MEMBER_DELETED})
def suspend_member(member_id: int, context: Context, moderator: Moderator) -> MemberOut:
    """Suspend a member: they keep their badges, but awards to them are refused unless forced."""
    return context.store.set_member_status(member_id, MemberStatus.SUSPENDED)


@router.post("/members/{member_id}/unsuspend", responses={**_NOT_FOUND, **_MEMBER_DELETED})
def unsuspend_member(member_id: int, context: Context, moderator: Moderator) -> MemberOut:
    """Lift a suspension: the member is active again."""
    return context.store.set_member_status(member_id, MemberStatus.ACTIVE)


@router.delete("/members/{member_id}", responses={**_NOT_FOUND, **_MEMBER_DELETED})
def delete_member(member_id: int, context: Context, moderator: Moderator) -> MemberOut:
    """Delete a member for good. The record stays with the status `deleted` (reported by the
    changes feed); awards to a deleted member are refused and revokes change nothing."""
    return context.store.set_member_status(member_id, MemberStatus.DELETED)


@router.get("/badges", responses=_BAD_CURSOR)
def badges(
    context: Context,
    caller: Caller,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> BadgePage:
    return context.store.badges_page(cursor=cursor, limit=limit)


@router.get("/badges/{badge_id}", responses=_NOT_FOUND)
def badge(badge_id: int, context: Context, caller: Caller) -> BadgeOut:
    found = context.store.badge(badge_id)
    if found is None:
        raise StoreError(404, "not_found", f"No badge with id {badge_id}.")
    return found


@router.post("/badges", status_code=201, responses=_CONFLICT)
def create_badge(body: BadgeCreateIn, context: Context, moderator: Moderator) -> BadgeOut:
    return context.store.create_badge(body, _image(body.image))


@router.patch("/badges/{badge_id}", responses={**_NOT_FOUND, **_CONFLICT})
def update_badge(
    badge_id: int, body: BadgeUpdateIn, context: Context, moderator: Moderator, if_match: IfMatch = None
) -> BadgeOut:
    return context.store.update_badge(badge_id, body, _image(body.image), if_match=_version(if_match))


@router.post("/badges/{badge_id}/state", responses={**_NOT_FOUND, **_CONFLICT})
def set_badge_state(
    badge_id: int, body: BadgeStateIn, context: Context, moderator: Moderator, if_match: IfMatch = None
) -> BadgeOut:
    return context.store.set_badge_state(
        badge_id, body.state, if_match=_version(if_match), idempotency_key=body.idempotency_key
    )


@router.get("/awards", response_model=AwardPage, responses=_BAD_CURSOR)
def awards(
    context: Context,
    caller: Caller,
    badge_id: int | None = None,
    member_id: int | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> Response:
    # Written by the store as the model would write it (a first sync lists every award).
    body = context.store.awards_page_json(badge_id=badge_id, member_id=member_id, cursor=cursor, limit=limit)
    return Response(body, media_type="application/json")


@router.post("/awards/batch", responses=_TOO_LARGE)
def award_batch(body: BatchAwardIn, context: Context, moderator: Moderator) -> BatchResultOut:
    """Award badges, one outcome per item, all in one transaction.

    An item with `force` is applied anyway to a suspended member or a disabled
    badge; a badge already held is never awarded again, with or without force
    (the outcome is `already_held` with the existing award). Each key's first
    result is returned again for a repeated key.
    """
    _check_cap(len(body.items), context.batch_cap)
    return BatchResultOut(results=context.store.award_batch(body.items, granted_by=moderator.name))


@router.post("/awards/revoke-batch", responses=_TOO_LARGE)
def revoke_batch(body: BatchRevokeIn, context: Context, moderator: Moderator) -> BatchResultOut:
    _check_cap(len(body.items), context.batch_cap)
    return BatchResultOut(results=context.store.revoke_batch(body.items, revoked_by=moderator.name))


@router.get("/requests", responses=_BAD_CURSOR)
def requests(
    context: Context,
    caller: Caller,
    state: RequestFilter = "pending",
    badge_id: int | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 100,
) -> RequestPage:
    # Members see their own requests only; moderators see everyone's.
    member_id = caller.member_id if caller.role == "member" else None
    return context.store.requests_page(
        state=state, badge_id=badge_id, member_id=member_id, cursor=cursor, limit=limit
    )


@router.post("/requests", status_code=201, responses={**_NOT_FOUND, **_CONFLICT})
def create_request(body: RequestCreateIn, context: Context, caller: Caller) -> RequestOut:
    if caller.role != "member" or caller.member_id is None:
        raise StoreError(403, "forbidden", "Only members request badges, for themselves.")
    return context.store.create_request(caller.member_id, body)


@router.post(
    "/requests/{request_id}/decision",
    responses={
        **_NOT_FOUND,
        409: {"model": DecisionConflictOut, "description": "Decided meanwhile, or the version is stale"},
        428: {"model": ErrorOut, "description": "If-Match is required"},
    },
)
def decide(
    request_id: int, body: DecisionIn, context: Context, moderator: Moderator, if_match: IfMatch = None
) -> DecisionOut:
    version = _version(if_match)
    if version is None:
        raise StoreError(
            428, "precondition_required", "Send If-Match: <version> with the request version you decided on."
        )
    return context.store.decide(request_id, body, expected_version=version, moderator=moderator.name)


@router.get("/changes", responses=_BAD_CURSOR)
def changes(
    context: Context,
    moderator: Moderator,
    since: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> ChangesPage:
    return context.store.changes(since=since, limit=limit)


def _error_response(
    status: int, error: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        ErrorOut(error=error, message=message).model_dump(mode="json"), status_code=status, headers=headers
    )


async def _on_store_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StoreError)
    if isinstance(exc, DecisionConflict):
        body = DecisionConflictOut(error="conflict", message=exc.message, current=exc.current)
        return JSONResponse(body.model_dump(mode="json"), status_code=409)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return _error_response(exc.status, exc.error, exc.message, headers)


async def _on_validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()))
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    return _error_response(422, "invalid", "; ".join(problems) or "Invalid request.")


_HTTP_ERRORS = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}


async def _on_http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return _error_response(
        exc.status_code,
        _HTTP_ERRORS.get(exc.status_code, f"http_{exc.status_code}"),
        str(exc.detail),
        dict(exc.headers) if exc.headers else None,
    )


async def _on_unexpected_error(_request: Request, exc: Exception) -> JSONResponse:
    return _error_response(500, "internal", f"Unexpected server error: {type(exc).__name__}.")


def create_app(
    store: SandboxStore,
    *,
    community_name: str = "Sandbox Community",
    rate: float | None = None,
    fail_rate: float = 0.0,
    latency_ms: int = 0,
    batch_cap: int = DEFAULT_BATCH_CAP,
    fault_seed: int | None = None,
) -> FastAPI:
    """The sandbox's ASGI application over ``store``.

    ``rate`` limits requests per second per token (``None``: unlimited);
    ``fail_rate`` is the probability of an injected fault; ``fault_seed`` makes
    the faults repeatable.
    """
    if not 0.0 <= fail_rate <= 1.0:
        raise ValueError("fail_rate must be between 0 and 1")
    app = FastAPI(
        title="BadgeDesk Community API",
        version=API_VERSION,
        description="The BadgeDesk Community API v1, as served by the bundled sandbox.",
    )
    app.state.sandbox = _Context(store=store, community_name=community_name, batch_cap=batch_cap)
    # Here, not at the top: the group endpoints build on this module's dependencies.
    from desktop.sandbox.app_activity import router as activity_router
    from desktop.sandbox.app_groups import router as groups_router

    app.include_router(router)
    app.include_router(groups_router)
    app.include_router(activity_router)
    # The members' profile pages a browser opens (outside the API: no token, no JSON).
    app.include_router(profile_pages)
    app.include_router(topic_pages)
    app.add_exception_handler(StoreError, _on_store_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected_error)
    app.add_middleware(
        SandboxMiddleware,
        prefix="/api/v1",
        latency_ms=latency_ms,
        rate=rate,
        fail_rate=fail_rate,
        fault_seed=fault_seed,
    )
    return app
