"""No token over plain http to a host that is not loopback (issue 21, item 10).

Nothing here sends traffic anywhere: the refusals come before any connection,
which a recording transport and a tripwire on name resolution prove.
"""

from __future__ import annotations

import httpx
import pytest

from desktop import cli
from desktop.community import Community, Endpoint
from desktop.dialects.badgedesk_v1.connector import CommunityApiConnector
from desktop.net.errors import ApiError
from desktop.secrets import TokenStore

#: The ``no_network`` fixture: fails anything that resolves a name or connects.
pytest_plugins = ("tests.network_guard",)

ADVICE = "use https, or a loopback address for a local server"


class RecordingTransport(httpx.BaseTransport):
    """Records every request and answers like a server would; never touches a socket."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={"name": "Alice Moderator", "role": "moderator", "member_id": None})


REFUSED = [
    "http://community.example.org",
    "http://community.example.org:8080/",
    "HTTP://Community.Example.Org",
    "http://10.0.0.5:8080",
    "http://192.168.1.20",
    "http://127.0.0.1.nip.io",
    "http://localhost.example.org",
    # The host is evil.example; "127.0.0.1" is only a user name.
    "http://127.0.0.1@evil.example",
    "http://[2001:db8::1]:8080",
    "http://[::ffff:8.8.8.8]",
]

ALLOWED = [
    "http://127.0.0.1:8080",
    "http://127.0.0.1",
    "http://127.45.6.7:9000/",
    "http://localhost:8080",
    "http://LOCALHOST",
    "http://[::1]:8080",
    "http://[::ffff:127.0.0.1]:8080",
    "https://community.example.org",
    "https://10.0.0.5:8443",
]


@pytest.mark.parametrize("url", REFUSED)
def test_plain_http_to_another_host_is_refused_before_any_request(url: str, no_network: list[str]) -> None:
    transport = RecordingTransport()
    with pytest.raises(ApiError) as raised:
        connector = CommunityApiConnector(url, "secret-token", transport=transport)
        connector.whoami()
    message = str(raised.value)
    assert ADVICE in message
    assert "secret-token" not in message
    assert transport.requests == []
    assert no_network == []


@pytest.mark.parametrize("url", ALLOWED)
def test_https_and_loopback_are_allowed(url: str, no_network: list[str]) -> None:
    transport = RecordingTransport()
    with CommunityApiConnector(url, "secret-token", transport=transport) as connector:
        assert connector.whoami().name == "Alice Moderator"
    assert len(transport.requests) == 1
    assert no_network == []


@pytest.mark.parametrize(
    "url", ["community.example.org", "ftp://community.example.org", "https://", "http:///api", ""]
)
def test_something_that_is_not_a_server_address_is_refused_clearly(url: str, no_network: list[str]) -> None:
    transport = RecordingTransport()
    with pytest.raises(ApiError, match="https://") as raised:
        CommunityApiConnector(url, "secret-token", transport=transport).whoami()
    assert "\n" not in str(raised.value)
    assert transport.requests == []
    assert no_network == []


def test_the_insecure_http_escape_hatch_lets_the_request_through(no_network: list[str]) -> None:
    transport = RecordingTransport()
    with CommunityApiConnector(
        "http://community.example.org", "secret-token", transport=transport, allow_insecure_http=True
    ) as connector:
        connector.whoami()
    assert [str(r.url) for r in transport.requests] == ["http://community.example.org/api/v1/me"]
    assert no_network == []


def test_community_sync_and_send_refuse_plain_http_before_connecting(no_network: list[str]) -> None:
    community = Community("http://community.example.org", Endpoint("http://community.example.org", "tok"))
    try:
        community.outbox.queue_awards([1, 2], 3)
        with pytest.raises(ApiError, match=ADVICE):
            community.sync()
        with pytest.raises(ApiError, match=ADVICE):
            community.send_outbox()
        # Nothing was marked in flight: the refusal came before the outbox was touched.
        assert community.outbox.pending_count() == 2
    finally:
        community.close()
    assert no_network == []


def test_sync_command_refuses_plain_http_with_one_line_and_status_2(
    no_network: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    TokenStore().set("http://community.example.org", "secret-token")
    assert cli.main(["sync", "--server", "http://community.example.org"]) == 2
    err = capsys.readouterr().err
    assert ADVICE in err
    assert "--insecure-http" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert no_network == []


def test_sync_command_with_insecure_http_says_so_and_tries(
    no_network: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    TokenStore().set("http://community.example.org", "secret-token")
    code = cli.main(["sync", "--insecure-http", "--server", "http://community.example.org"])
    err = capsys.readouterr().err
    # It tried (the tripwire refused the connection: offline), after a visible warning.
    assert code == 1
    assert "insecure" in err.lower() and "unencrypted" in err
    assert no_network and "community.example.org" in no_network[0]
