"""The fake Discourse forum's badge administration: create and update badges, upload their images.

As ``Admin::BadgesController`` and ``UploadsController`` do it (FACTS.md, and
the controllers in discourse/discourse):

- ``/admin/badges*`` is for admins only (a moderator gets a 404);
- create and update set a field only when Ruby finds its value truthy
  (``if params[key]``): a JSON ``false`` is skipped, the string ``"false"`` is
  applied; on a **system** badge the protected fields (name, badge type,
  multiple grant, ...) are left alone without a word, and the answer is 200;
- names are unique (422 ``record_invalid`` "Name has already been taken");
- ``POST /uploads.json`` takes a multipart ``file`` with ``type`` (or
  ``upload_type``); a badge takes it by ``image_upload_id`` and shows it as
  ``image_url`` (a URL with the file's SHA-1, as Discourse's local store names it).

Every answer is shaped from the published schema and checked against it by the forum.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import httpx

from tests.fakes import discourse_spec as spec
from tests.fakes.discourse_records import (
    BADGE_TYPES,
    GROUPINGS,
    NOT_FOUND,
    ForumBadge,
    ForumUser,
    json_answer,
)

#: Fields Discourse ignores on a system badge (``Badge.protected_system_fields``).
PROTECTED_SYSTEM_FIELDS = frozenset(
    {"name", "badge_type_id", "multiple_grant", "target_posts", "show_posts", "query", "trigger", "listable"}
)
_TEXT = ("name", "description", "long_description", "icon")
_INTEGERS = ("badge_type_id", "badge_grouping_id", "image_upload_id")
_BOOLEANS = ("enabled", "multiple_grant")


@dataclass(frozen=True)
class Upload:
    id: int
    sha1: str
    filename: str
    data: bytes
    upload_type: str

    @property
    def url(self) -> str:
        return f"/uploads/default/original/1X/{self.sha1}.{self.filename.rsplit('.', 1)[-1]}"


def _params(request: httpx.Request) -> dict[str, Any]:
    """A request's parameters as Rails reads them: JSON keeps its types, a form gives strings."""
    kind = request.headers.get("Content-Type", "")
    if kind.startswith("application/json"):
        data: dict[str, Any] = json.loads(request.content or b"{}")
        return data
    return {k: v[-1] for k, v in parse_qs(request.content.decode()).items()}


def _truthy(value: Any) -> bool:
    """Ruby's truth: only nil and false are false ("" and 0 are true)."""
    return value is not None and value is not False


def _boolean(value: Any) -> bool:
    """ActiveRecord's cast of a boolean column."""
    return value not in (False, 0, "0", "f", "F", "false", "FALSE", "off", "OFF")


class BadgeAdminAnswers:
    """Mixed into the fake forum (which holds ``badges`` and calls :meth:`_badge_admin`)."""

    badges: dict[int, ForumBadge]
    #: The forum's own (the fields every badge answer shares).
    _badge_fields: Callable[[ForumBadge], dict[str, Any]]

    def _init_badge_admin(self) -> None:
        self.uploads: dict[int, Upload] = {}
        self._next_badge = 100  # custom badge ids start at 100
        self._next_upload = 40

    def _badge_admin(self, request: httpx.Request, path: str, actor: ForumUser) -> httpx.Response | None:
        """The answer to a badge-administration request, or None when the path is not one."""
        method = request.method
        if method == "POST" and path == "/uploads":
            return self._upload(request, actor)
        if not path.startswith("/admin/badges"):
            return None
        if not actor.admin:
            return json_answer(404, NOT_FOUND)
        if method == "POST" and path == "/admin/badges":
            return self._save_badge(None, _params(request))
        if method == "PUT" and (m := re.fullmatch(r"/admin/badges/(\d+)", path)):
            badge = self.badges.get(int(m[1]))
            if badge is None:
                return json_answer(404, NOT_FOUND)
            return self._save_badge(badge, _params(request))
        return None

    def _save_badge(self, badge: ForumBadge | None, params: dict[str, Any]) -> httpx.Response:
        given = {k: params[k] for k in (*_TEXT, *_INTEGERS, *_BOOLEANS) if _truthy(params.get(k))}
        if badge is not None and badge.system:
            given = {k: v for k, v in given.items() if k not in PROTECTED_SYSTEM_FIELDS}
        name = str(given.get("name", badge.name if badge else ""))
        errors = []
        if not name.strip():
            errors.append("Name can't be blank")
        elif any(b.name == name and b is not badge for b in self.badges.values()):
            errors.append("Name has already been taken")
        type_id = int(given.get("badge_type_id", badge.badge_type_id if badge else 0))
        if type_id not in BADGE_TYPES:
            errors.append("Badge type can't be blank")
        if len(str(given.get("description", ""))) > 500:
            errors.append("Description is too long (maximum is 500 characters)")
        grouping = int(given.get("badge_grouping_id", badge.badge_grouping_id if badge else 5))
        if grouping not in GROUPINGS:
            errors.append("Badge grouping must exist")
        upload_id = int(given["image_upload_id"]) if "image_upload_id" in given else None
        if upload_id is not None and upload_id not in self.uploads:
            errors.append("Image upload must exist")
        if errors:
            return json_answer(422, {"errors": errors, "error_type": "record_invalid"})
        if badge is None:
            self._next_badge += 1
            badge = self.badges[self._next_badge] = ForumBadge(self._next_badge, name)
        badge.name = name
        badge.badge_type_id = type_id
        badge.badge_grouping_id = grouping
        for key in ("description", "long_description", "icon"):
            if key in given:
                setattr(badge, key, str(given[key]))
        for key in _BOOLEANS:
            if key in given:
                setattr(badge, key, _boolean(given[key]))
        if upload_id is not None:
            badge.image_upload_id = upload_id
            badge.image_url = self.uploads[upload_id].url
        return json_answer(200, self._badge_answer(badge))

    def _badge_answer(self, badge: ForumBadge) -> dict[str, Any]:
        schema = spec.response_schema("/admin/badges.json", "post")
        body: dict[str, Any] = spec.example(schema)
        body["badge_types"] = [
            spec.shaped(spec.item_schema(schema, "badge_types"), id=i, name=n, sort_order=10 - i)
            for i, n in BADGE_TYPES.items()
        ]
        body["badge"] = spec.shaped(
            schema["properties"]["badge"],
            **self._badge_fields(badge),
            long_description=badge.long_description,
            query=None,
            trigger=None,
            image_upload_id=badge.image_upload_id,
        )
        return body

    def _upload(self, request: httpx.Request, actor: ForumUser) -> httpx.Response:
        parts = _multipart(request)
        kind = parts.get("upload_type") or parts.get("type")
        file = parts.get("file")
        if not kind:
            return json_answer(
                400,
                {
                    "errors": ["param is missing or the value is empty: type"],
                    "error_type": "invalid_parameters",
                },
            )
        if not isinstance(file, tuple):
            return json_answer(422, {"errors": ["The request has no file."], "error_type": "record_invalid"})
        filename, data = file
        sha1 = hashlib.sha1(data).hexdigest()
        # Discourse keeps one upload per file: the same bytes again give the same upload.
        upload = next((u for u in self.uploads.values() if u.sha1 == sha1), None)
        if upload is None:
            self._next_upload += 1
            upload = Upload(self._next_upload, sha1, filename, data, str(kind))
            self.uploads[upload.id] = upload
        extension = filename.rsplit(".", 1)[-1]
        body = spec.shaped(
            spec.response_schema("/uploads.json", "post"),
            id=upload.id,
            url=upload.url,
            original_filename=filename,
            filesize=len(data),
            extension=extension,
            short_url=f"upload://{sha1[:27]}.{extension}",
            short_path=f"/uploads/short-url/{sha1[:27]}.{extension}",
            retain_hours=None,
            human_filesize=f"{len(data)} Bytes",
        )
        return json_answer(200, body)


def _multipart(request: httpx.Request) -> dict[str, str | tuple[str, bytes]]:
    """A multipart body's fields: text values, and files as (filename, bytes)."""
    kind = request.headers.get("Content-Type", "")
    boundary = re.search(r"boundary=([^;]+)", kind)
    if not kind.startswith("multipart/form-data") or boundary is None:
        return {}
    found: dict[str, str | tuple[str, bytes]] = {}
    for part in request.content.split(b"--" + boundary[1].encode())[1:-1]:
        head, _, body = part.removeprefix(b"\r\n").removesuffix(b"\r\n").partition(b"\r\n\r\n")
        name = re.search(rb'name="([^"]*)"', head)
        if name is None:
            continue
        filename = re.search(rb'filename="([^"]*)"', head)
        if filename is not None:
            found[name[1].decode()] = (filename[1].decode(), body)
        else:
            found[name[1].decode()] = body.decode()
    return found
