"""httpx requests and responses as openapi-core reads them, for checking answers against an
OpenAPI description (the Discourse dialect's fake forum and the sandbox's Discourse face)."""

from __future__ import annotations

from urllib.parse import parse_qs

import httpx
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict


class OpenApiRequest:
    """An httpx request; ``path`` as the description writes it (default: the request's own),
    ``host_url`` the server the description is checked for (default: the request's own)."""

    def __init__(
        self, request: httpx.Request, *, path: str | None = None, host_url: str | None = None
    ) -> None:
        self._request = request
        self._path = request.url.path if path is None else path
        self._host_url = host_url or f"{request.url.scheme}://{request.url.netloc.decode('ascii')}"
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qs(request.url.query.decode("ascii"))),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict(),
        )

    @property
    def host_url(self) -> str:
        return self._host_url

    @property
    def path(self) -> str:
        return self._path

    @property
    def method(self) -> str:
        return self._request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self._request.content or None

    @property
    def content_type(self) -> str:
        return str(self._request.headers.get("Content-Type", "")).lower()


class OpenApiResponse:
    """An httpx response."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response

    @property
    def data(self) -> bytes:
        return self._response.content

    @property
    def status_code(self) -> int:
        return self._response.status_code

    @property
    def content_type(self) -> str:
        return str(self._response.headers.get("Content-Type", "")).lower()

    @property
    def headers(self) -> Headers:
        return Headers(dict(self._response.headers))
