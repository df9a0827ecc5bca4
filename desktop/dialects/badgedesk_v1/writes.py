"""The v1 server's writes: awards and revokes in batches (each item with its idempotency key),
a grant's or revoke's settling read, request decisions (If-Match), badge saves and states.

Thread safety: one thread at a time (it belongs to the connector), except
:meth:`WriteMethods.award_batch` and :meth:`WriteMethods.revoke_batch`, which
the outbox's sender calls from several threads at once (they share nothing but
the HTTP session).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from desktop.dialects.badgedesk_v1 import wire
from desktop.dialects.badgedesk_v1.mapping import award_from_wire, badge_from_wire, request_from_wire
from desktop.dialects.base import AwardItem, DecisionResult, ItemResult, Page, RevokeItem
from desktop.domain import Award, AwardOutcome, Badge, BadgeState, Decision
from desktop.i18n import _, ngettext
from desktop.net.errors import ApiError, BadgeConflict, DecisionConflict, MalformedResponse

M = TypeVar("M", bound=BaseModel)


class WriteMethods:
    """The connector's writing methods (a base of the connector, which keeps them out of its own
    module): :class:`~desktop.dialects.base.AwardWriter`'s batches and settling read,
    :class:`~desktop.dialects.base.RequestDesk`'s decisions, :class:`~desktop.dialects.base.BadgeEditor`'s
    saves."""

    @property
    def batch_cap(self) -> int:
        raise NotImplementedError

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        raise NotImplementedError

    def _call(
        self,
        model: type[M],
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int | None] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        ok: tuple[int, ...] = (200,),
    ) -> M:
        raise NotImplementedError

    @staticmethod
    def _parse(model: type[M], method: str, path: str, response: httpx.Response) -> M:
        raise NotImplementedError

    def _error(self, method: str, path: str, response: httpx.Response) -> ApiError:
        raise NotImplementedError

    def awards(
        self, cursor: str | None, limit: int, *, badge_id: int | None = None, member_id: int | None = None
    ) -> Page[Award]:
        raise NotImplementedError

    def award_batch(self, items: Sequence[AwardItem]) -> list[ItemResult]:
        # The item dataclasses mirror the wire items field for field. ``force``
        # is sent only when set: a server that predates it refuses unknown
        # fields, so ordinary awards keep working there and a forced one is
        # refused rather than applied without the override.
        # (Built by hand: dataclasses.asdict deep-copies and costs more than the request.)
        body: list[dict[str, Any]] = []
        for i in items:
            item: dict[str, Any] = {
                "idempotency_key": i.idempotency_key,
                "member_id": i.member_id,
                "badge_id": i.badge_id,
                "reason": i.reason,
                "notify": i.notify,
                "message": i.message,
            }
            if i.force:
                item["force"] = True
            body.append(item)
        return self._batch("/awards/batch", {"items": body}, len(items))

    def revoke_batch(self, items: Sequence[RevokeItem]) -> list[ItemResult]:
        # ``notify`` is sent only when set, as ``force`` with awards: a server that
        # predates it refuses unknown fields.
        body: list[dict[str, Any]] = []
        for i in items:
            item: dict[str, Any] = {
                "idempotency_key": i.idempotency_key,
                "member_id": i.member_id,
                "badge_id": i.badge_id,
                "reason": i.reason,
            }
            if i.notify:
                item["notify"] = True
            body.append(item)
        return self._batch("/awards/revoke-batch", {"items": body}, len(items))

    def _batch(self, path: str, body: dict[str, Any], sent: int) -> list[ItemResult]:
        cap = self.batch_cap
        if sent > cap:
            raise ApiError(
                ngettext(
                    "A batch holds at most {cap} item for this server; got {sent}",
                    "A batch holds at most {cap} items for this server; got {sent}",
                    cap,
                ).format(cap=cap, sent=sent)
            )
        result = self._call(wire.BatchResultOut, "POST", path, body=body)
        keys = {item["idempotency_key"] for item in body["items"]}
        if len(result.results) != sent or {r.idempotency_key for r in result.results} != keys:
            raise MalformedResponse(
                _("Malformed response from POST {path}: results do not match the items sent").format(
                    path=path
                )
            )
        return [
            ItemResult(
                idempotency_key=r.idempotency_key,
                outcome=r.outcome,
                award=None if r.award is None else award_from_wire(r.award),
                replayed=r.replayed,
                condition=r.condition,
            )
            for r in result.results
        ]

    def confirm(self, item: AwardItem | RevokeItem) -> ItemResult | None:
        page = self.awards(None, 1, badge_id=item.badge_id, member_id=item.member_id)
        held = page.items[0] if page.items else None
        key = item.idempotency_key
        if isinstance(item, AwardItem):
            return None if held is None else ItemResult(key, AwardOutcome.AWARDED, held, replayed=True)
        return ItemResult(key, AwardOutcome.REVOKED, None, replayed=True) if held is None else None

    def decide(
        self,
        request_id: int,
        *,
        version: int,
        decision: Decision,
        reason: str,
        message: str | None,
        idempotency_key: str,
        duplicates: Sequence[tuple[int, int]] = (),
    ) -> DecisionResult:
        path = f"/requests/{request_id}/decision"
        response = self._send(
            "POST",
            path,
            body={
                "decision": decision.value,
                "reason": reason,
                "message": message,
                "idempotency_key": idempotency_key,
                **({"duplicates": [{"id": i, "version": v} for i, v in duplicates]} if duplicates else {}),
            },
            headers={"If-Match": str(version)},
        )
        if response.status_code == 409:
            conflict = self._parse(wire.DecisionConflictOut, "POST", path, response)
            raise DecisionConflict(conflict.message, request_from_wire(conflict.current))
        if response.status_code != 200:
            raise self._error("POST", path, response)
        decided = self._parse(wire.DecisionOut, "POST", path, response)
        return DecisionResult(
            request=request_from_wire(decided),
            duplicates=tuple(request_from_wire(d) for d in decided.duplicates),
            award_id=decided.award_id,
        )

    def save_badge(
        self,
        badge_id: int | None,
        fields: Mapping[str, str],
        image: tuple[bytes, str] | None,
        *,
        version: int | None,
        idempotency_key: str,
    ) -> Badge:
        body: dict[str, Any] = {**fields, "idempotency_key": idempotency_key}
        if image is not None:
            body["image"] = {
                "media_type": image[1],
                "data_base64": base64.b64encode(image[0]).decode("ascii"),
            }
        if badge_id is None:
            method, path, headers = "POST", "/badges", {}
        else:
            method, path = "PATCH", f"/badges/{badge_id}"
            headers = {} if version is None else {"If-Match": str(version)}
        return self._badge_change(method, path, body, headers, badge_id)

    def set_badge_state(
        self, badge_id: int, state: BadgeState, *, version: int | None, idempotency_key: str
    ) -> Badge:
        headers = {} if version is None else {"If-Match": str(version)}
        body = {"state": state.value, "idempotency_key": idempotency_key}
        return self._badge_change("POST", f"/badges/{badge_id}/state", body, headers, badge_id)

    def current(self, badge_id: int) -> Badge | None:
        path = f"/badges/{badge_id}"
        response = self._send("GET", path)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise self._error("GET", path, response)
        return badge_from_wire(self._parse(wire.BadgeOut, "GET", path, response))

    def _badge_change(
        self, method: str, path: str, body: dict[str, Any], headers: dict[str, str], badge_id: int | None
    ) -> Badge:
        response = self._send(method, path, body=body, headers=headers)
        if response.status_code == 409:
            message = self._error(method, path, response)
            current = None
            if badge_id is not None:
                # What the badge is now, for the user to compare with their edit.
                current = badge_from_wire(self._call(wire.BadgeOut, "GET", f"/badges/{badge_id}"))
            raise BadgeConflict(str(message), current)
        if response.status_code not in (200, 201):
            raise self._error(method, path, response)
        return badge_from_wire(self._parse(wire.BadgeOut, method, path, response))
