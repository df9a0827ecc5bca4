"""schemathesis against a running Discourse sandbox (loopback HTTP), for every operation the sandbox serves
and a published description describes (``tests/discourse_coverage.py`` reads them from the app's routes):
no 5xx, and every documented answer conforms to its schema (corrected as ``tests/discourse_openapi.py``
lists).

Values drawn from the schemas alone almost never name a member, badge or grant that exists, so the 200
answers would go unchecked: each generated case has a chance to take, for the parameters that name things,
a value the sandbox really has (``Known``); the rest stays as schemathesis made it.

Bounded so the suite stays fast: ``EXAMPLES`` generated cases per operation, derandomized (the same cases
each run), the sandbox's rate limit lifted.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.generation import GenerationMode
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance
from schemathesis.specs.openapi.schemas import OpenApiSchema

from desktop.sandbox.process import SandboxProcess
from tests.discourse_coverage import covered, only_covered
from tests.discourse_openapi import grant_and_revoke, official

#: Malformed cases per operation (schemathesis' negative mode), each with one of the keys or none.
MALFORMED = 15
#: Generated cases per operation: ~17 operations x 25 cases run in about ? s (measured: see the README).
EXAMPLES = 100


def _schemas() -> list[OpenApiSchema]:
    return [
        schemathesis.openapi.from_dict(only_covered(document))
        for document in (official(), grant_and_revoke())
    ]


SCHEMAS = _schemas()


def _operations() -> list[APIOperation[Any, Any, Any, Any]]:
    found: list[APIOperation[Any, Any, Any, Any]] = []
    for schema in SCHEMAS:
        for result in schema.get_all_operations():
            if isinstance(result, Err):
                # A description schemathesis cannot read is a failure of this test, not a skip.
                raise result.err()
            found.append(result.ok())
    return found


OPERATIONS = _operations()


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxProcess]:
    process = SandboxProcess(
        data_dir=tmp_path_factory.mktemp("discourse-schemathesis"),
        members=120,
        seed=5,
        dialect="discourse",
        rate=1_000_000,
    )
    with process:
        yield process


Known = dict[tuple[str, str], list[Any]]


@pytest.fixture(scope="module")
def known(sandbox: SandboxProcess) -> Known:
    """Real values for the parameters that name things, by (operation path, parameter name)."""
    headers = {"Api-Key": sandbox.tokens["admin"], "Api-Username": sandbox.usernames["admin"]}
    with httpx.Client(base_url=sandbox.url, headers=headers, timeout=30) as http:
        users = http.get("/admin/users/list/active.json").json()
        badges = http.get("/admin/badges.json").json()["badges"]
        groups = http.get("/groups.json").json()["groups"]
        grants: list[int] = []
        for badge in badges[:20]:
            answer = http.get("/user_badges.json", params={"badge_id": badge["id"]}).json()
            grants.extend(row["id"] for row in answer.get("user_badge_info", {}).get("user_badges", []))
    usernames = [u["username"] for u in users]
    user_ids = [u["id"] for u in users if u["id"] > 0 and u["username"] != sandbox.usernames["moderator"]]
    badge_ids = [b["id"] for b in badges]
    topics = list(range(11, 41))  # the demo's request topics (request id + 10)
    return {
        ("/u/{username}.json", "username"): usernames,
        ("/user-badges/{username}.json", "username"): usernames,
        ("/groups/{name}/members.json", "name"): [g["name"] for g in groups],
        ("/admin/badges/{id}.json", "id"): badge_ids,
        ("/admin/badges.json", "badge_type_id"): [1, 2, 3],
        ("/admin/badges/{id}.json", "badge_type_id"): [1, 2, 3],
        ("/user_badges/{id}.json", "id"): grants,
        ("/user_badges.json", "username"): usernames,
        ("/user_badges.json", "badge_id"): badge_ids,
        ("/user_badges.json", "reason"): ["/t/badge-request/12", f"{sandbox.url}/t/12"],
        ("/admin/users/{id}.json", "id"): user_ids,
        ("/admin/users/{id}/suspend.json", "id"): user_ids,
        ("/admin/users/{id}/suspend.json", "suspend_until"): ["2099-01-01T00:00:00Z"],
        ("/admin/users/{id}/suspend.json", "reason"): ["spam"],
        ("/admin/users/list/{flag}.json", "flag"): ["active", "staff", "suspended", "new", "admins"],
        ("/t/{id}/status.json", "id"): topics,
        ("/t/{id}/status.json", "status"): ["closed", "visible", "archived", "pinned"],
        ("/t/{id}/status.json", "enabled"): ["true", "false"],
        ("/posts.json", "topic_id"): topics,
        ("/posts.json", "raw"): ["A reply long enough for Discourse's minimum post length."],
        ("/posts.json", "title"): ["A topic title long enough to be accepted"],
        ("/posts.json", "target_recipients"): usernames[:3],
    }


def _realistic(case: Any, known: Known, data: st.DataObject) -> None:
    """Give each parameter that names something a chance to name something that exists."""
    path = case.operation.path

    def swap(values: dict[str, Any]) -> None:
        for name in list(values):
            choices = known.get((path, name))
            if choices and data.draw(st.integers(0, 3)) > 0:
                values[name] = data.draw(st.sampled_from(choices))

    swap(case.path_parameters)
    fields = {name: choices for (where, name), choices in known.items() if where == path and choices}
    if not fields or case.media_type != "application/json":
        return
    if not isinstance(case.body, dict) and data.draw(st.booleans()):
        # A body of the wrong type is refused before anything is looked up; make some whole ones.
        case.body = {}
    if isinstance(case.body, dict):
        for name, choices in fields.items():
            if data.draw(st.integers(0, 3)) > 0:
                case.body[name] = data.draw(st.sampled_from(choices))


def test_every_covered_operation_is_fuzzed() -> None:
    labels = {f"{op.method.upper()} {op.path}" for op in OPERATIONS}
    assert labels == {op.label for op in covered()}
    assert "POST /user_badges.json" in labels


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_no_server_error_and_documented_answers_conform(
    sandbox: SandboxProcess, known: Known, operation: Any
) -> None:
    auth = {"Api-Key": sandbox.tokens["admin"], "Api-Username": sandbox.usernames["admin"]}
    session = requests.Session()

    @hypothesis.given(case=operation.as_strategy(), data=st.data())
    @hypothesis.settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any, data: st.DataObject) -> None:
        _realistic(case, known, data)
        case.headers = {**(case.headers or {}), **auth}
        response = case.call(base_url=sandbox.url, session=session, timeout=10)
        case.validate_response(
            response, checks=[not_a_server_error, content_type_conformance, response_schema_conformance]
        )

    try:
        run()
    finally:
        session.close()


def _callers(sandbox: SandboxProcess) -> list[dict[str, str]]:
    """Every demo key with its username, no key at all, and a key the forum does not know."""
    keyed = [
        {"Api-Key": sandbox.tokens[name], "Api-Username": sandbox.usernames[name]} for name in sandbox.tokens
    ]
    return [*keyed, {}, {"Api-Key": "0" * 64, "Api-Username": "system"}]


def _can_be_malformed(operation: APIOperation[Any, Any, Any, Any]) -> bool:
    """Whether the operation has anything to get wrong besides the credentials (any string is a
    good username, so ``/u/{username}`` has not)."""
    definition = operation.definition.raw

    def constrained(parameter: dict[str, Any]) -> bool:
        schema = parameter.get("schema", {})
        return parameter.get("in") != "path" or schema.get("type") != "string" or len(schema) > 1

    parameters = [p for p in definition.get("parameters", []) if p.get("in") != "header"]
    return any(constrained(p) for p in parameters) or bool(definition.get("requestBody"))


@pytest.mark.parametrize(
    "operation",
    [op for op in OPERATIONS if _can_be_malformed(op)],
    ids=lambda op: f"{op.method.upper()} {op.path}",
)
def test_malformed_requests_with_any_key_get_no_server_error(sandbox: SandboxProcess, operation: Any) -> None:
    callers = _callers(sandbox)
    session = requests.Session()

    @hypothesis.given(case=operation.as_strategy(GenerationMode.NEGATIVE), data=st.data())
    @hypothesis.settings(
        max_examples=MALFORMED,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any, data: st.DataObject) -> None:
        headers = {
            k: v for k, v in (case.headers or {}).items() if k.lower() not in ("api-key", "api-username")
        }
        case.headers = {**headers, **data.draw(st.sampled_from(callers))}
        response = case.call(base_url=sandbox.url, session=session, timeout=10)
        case.validate_response(response, checks=[not_a_server_error])

    try:
        run()
    finally:
        session.close()
