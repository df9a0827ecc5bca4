"""Uploads: ``POST /uploads`` (multipart ``file`` with ``type=badge_image``) and the files' own URLs.

``UploadsController#create`` answers with ``UploadSerializer``'s fields; the
badge then takes the upload by ``image_upload_id`` and shows it as
``image_url``. ``type`` (or ``upload_type``) is required; pydiscourse sends
``type``. The published description's ``upload_type`` enum predates badge
images.
"""

from __future__ import annotations

import re

from fastapi import APIRouter
from starlette.responses import Response

from desktop.sandbox.discourse.auth import Context, LoggedIn
from desktop.sandbox.discourse.data.uploads import UploadRefused, UploadRow
from desktop.sandbox.discourse.errors import InvalidParameters, NotFound, RecordInvalid
from desktop.sandbox.discourse.params import ParamsDep, ruby_string
from desktop.sandbox.discourse.responses import json_answer

router = APIRouter()

_BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _base62(sha1: str) -> str:
    """``Upload.base62_sha1``: the short URL's name."""
    number = int(sha1, 16)
    digits = ""
    while number:
        number, rest = divmod(number, 62)
        digits = _BASE62[rest] + digits
    return digits or "0"


def _human_size(size: int) -> str:
    if size < 1024:
        return f"{size} Bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def upload_answer(upload: UploadRow) -> dict[str, object]:
    short = _base62(upload.sha1)
    return {
        "id": upload.id,
        "url": upload.url,
        "original_filename": upload.original_filename,
        "filesize": upload.filesize,
        "width": upload.width,
        "height": upload.height,
        "thumbnail_width": upload.width,
        "thumbnail_height": upload.height,
        "extension": upload.extension,
        "short_url": f"upload://{short}.{upload.extension}",
        "short_path": f"/uploads/short-url/{short}.{upload.extension}",
        "retain_hours": None,
        "human_filesize": _human_size(upload.filesize),
        "dominant_color": None,
        "thumbnail": None,
    }


@router.post("/uploads")
def create_upload(params: ParamsDep, ctx: Context, user: LoggedIn) -> Response:
    kind = params.get("upload_type") if params.present("upload_type") else params.get("type")
    if not params.present("upload_type") and not params.present("type"):
        raise InvalidParameters("type")
    file = params.files.get("file")
    if file is None:
        raise RecordInvalid(["Sorry, there was an error uploading that file: the request has no file."])
    try:
        upload = ctx.data.create_upload(
            file.data, filename=file.filename or "upload", user_id=user.id, upload_type=ruby_string(kind)
        )
    except UploadRefused as refused:
        raise RecordInvalid([str(refused)]) from None
    return json_answer(upload_answer(upload))


@router.get("/uploads/default/original/1X/{name}")
def upload_file(name: str, ctx: Context) -> Response:
    match = re.fullmatch(r"([0-9a-f]{40})\.([a-z0-9]+)", name)
    if match is None:
        raise NotFound()
    found = ctx.data.upload_file(match.group(1), match.group(2))
    if found is None:
        raise NotFound()
    data, content_type = found
    return Response(data, media_type=content_type)
