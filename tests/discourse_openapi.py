"""Discourse's published OpenAPI descriptions, with the one list of corrections every check applies.

Two descriptions (``tests/data/discourse/``, MIT):

- ``openapi.json``, the official one generated from Discourse's request specs:
  strict schemas (``additionalProperties: false``, long ``required`` lists);
- the 2021 hand-written one, the only official description of grant
  (``POST /user_badges.json``) and revoke (``DELETE /user_badges/{id}``). Only
  those two operations are taken from it (the document as a whole does not
  validate: some path parameters have no schema).

Both were recorded from one example each, so in places they forbid what
Discourse's code does (FACTS.md: the code wins). ``CORRECTIONS`` lists every
such place once, with its reason and the code that shows it; the sandbox's
answer checks (``tests/core/sandbox_discourse/spec.py``), the fake forum's
(``tests/fakes/discourse_spec.py``) and schemathesis all read the descriptions
through here, so no check carries a private variant. The README's list of
covered operations names these corrections.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data" / "discourse"
OPENAPI_JSON = DATA / "openapi.json"
OPENAPI_2021 = DATA / "openapi-2021-handwritten.yml"
OFFICIAL = "openapi.json"
HANDWRITTEN_2021 = "2021"

#: The operations taken from the 2021 description: our path → the path it wrote (the revoke
#: without ``.json``; every Discourse route takes an optional ``.json``).
FROM_2021 = {"/user_badges.json": "/user_badges.json", "/user_badges/{id}.json": "/user_badges/{id}"}

_CODE = "https://github.com/discourse/discourse/blob/main/"

Document = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Correction:
    """One place where a published description forbids what Discourse's code does."""

    #: ``OFFICIAL`` (openapi.json) or ``HANDWRITTEN_2021``.
    description: str
    operation: str
    change: str
    reason: str
    source: str
    apply: Callable[[Document], None]


def answer_schema(spec: Document, path: str, method: str, status: str = "200") -> dict[str, Any]:
    """The JSON schema of one answer in ``spec``."""
    schema = spec["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    assert isinstance(schema, dict)
    return schema


def _users_list_page_may_be_empty(spec: Document) -> None:
    answer_schema(spec, "/admin/users/list/{flag}.json", "get").pop("minItems", None)


def _users_list_parameters_open(spec: Document) -> None:
    for parameter in spec["paths"]["/admin/users/list/{flag}.json"]["get"]["parameters"]:
        if parameter["name"] in ("flag", "asc"):
            parameter["schema"].pop("enum", None)


def _profile_fields(spec: Document, path: str = "/u/{username}.json") -> None:
    user = answer_schema(spec, path, "get")["properties"]["user"]["properties"]
    user["featured_topic"]["type"] = ["object", "null"]
    user["suspended_till"] = {"type": ["string", "null"]}
    user["suspend_reason"] = {"type": ["string", "null"]}


def _external_profile_fields(spec: Document) -> None:
    _profile_fields(spec, "/u/by-external/{external_id}.json")


def _suspended_user_fields(spec: Document) -> None:
    user = answer_schema(spec, "/admin/users/{id}.json", "get")["properties"]
    for name in ("suspended_at", "suspended_till", "suspend_reason"):
        user[name] = {"type": ["string", "null"]}
    basic = user["approved_by"]
    user["suspended_by"] = {**basic, "type": ["object", "null"]}


def _member_badge_fields(spec: Document) -> None:
    rows = answer_schema(spec, "/user-badges/{username}.json", "get")["properties"]["user_badges"]
    rows["items"]["properties"].update(
        {
            "count": {"type": "integer"},
            "post_number": {"type": "integer"},
            "topic_id": {"type": "integer"},
            "topic_title": {"type": "string"},
        }
    )


def _group_member_nulls(spec: Document) -> None:
    answer = answer_schema(spec, "/groups/{name}/members.json", "get")["properties"]
    for key in ("members", "owners"):
        for name in ("last_posted_at", "last_seen_at", "timezone"):
            answer[key]["items"]["properties"][name]["type"] = ["string", "null"]


def _system_badge_fields(spec: Document) -> None:
    for path, method in (("/admin/badges.json", "post"), ("/admin/badges/{id}.json", "put")):
        badge = answer_schema(spec, path, method)["properties"]["badge"]["properties"]
        badge["trigger"] = {"type": ["string", "integer", "null"]}
        badge["i18n_name"] = {"type": ["string", "null"]}


def _revoke_id_schema(spec: Document) -> None:
    for parameter in spec["paths"]["/user_badges/{id}.json"]["delete"].get("parameters", []):
        parameter.setdefault("schema", {"type": "integer"})


def _grant_answer_root(spec: Document) -> None:
    answer = answer_schema(spec, "/user_badges.json", "post")
    answer["properties"].pop("user_badges", None)
    answer["properties"]["user_badge"] = {
        "type": "object",
        "required": ["id", "granted_at", "badge_id", "granted_by_id"],
        "properties": {
            "id": {"type": "integer"},
            "granted_at": {"type": "string"},
            "badge_id": {"type": "integer"},
            "granted_by_id": {"type": "integer"},
        },
    }
    answer["required"] = ["user_badge"]


def _revoke_answer(spec: Document) -> None:
    answer_schema(spec, "/user_badges/{id}.json", "delete")["required"] = ["success"]


def _more_topics_url(spec: Document) -> None:
    topic_list = answer_schema(spec, "/c/{slug}/{id}.json", "get")["properties"]["topic_list"]
    topic_list["properties"]["more_topics_url"] = {"type": "string"}


def _small_action_code(spec: Document) -> None:
    topic = answer_schema(spec, "/t/{id}.json", "get")["properties"]
    topic["post_stream"]["properties"]["posts"]["items"]["properties"]["action_code"] = {"type": "string"}


def _search_topics(spec: Document) -> None:
    answer = answer_schema(spec, "/search.json", "get")
    answer["properties"]["topics"] = {"type": "array", "items": {}}
    grouped = answer["properties"]["grouped_search_result"]["properties"]
    grouped["more_full_page_results"] = {"type": ["boolean", "null"]}


def _solved_column(spec: Document) -> None:
    items = answer_schema(spec, "/directory_items.json", "get")["properties"]["directory_items"]["items"]
    items["properties"]["solutions"] = {"type": "integer"}


#: Every correction of the published descriptions, official first, then the 2021 one's.
CORRECTIONS: tuple[Correction, ...] = (
    Correction(
        OFFICIAL,
        "adminListUsersFlag",
        "no `minItems: 1` on the answer",
        "the list ends with an empty page: the query pages past the end with OFFSET",
        _CODE + "lib/admin_user_index_query.rb",
        _users_list_page_may_be_empty,
    ),
    Correction(
        OFFICIAL,
        "adminListUsersFlag",
        "no enum on `flag` and `asc`",
        "the flag enum is stale (every word is accepted; only some filter), "
        "and any non-empty `asc`, `asc=false` included, sorts ascending",
        _CODE + "lib/admin_user_index_query.rb",
        _users_list_parameters_open,
    ),
    Correction(
        OFFICIAL,
        "getUser",
        "`featured_topic` may be null; `suspended_till`, `suspend_reason` added",
        "a user without a featured topic has null; a suspended user's profile adds the suspension",
        _CODE + "app/serializers/user_serializer.rb",
        _profile_fields,
    ),
    Correction(
        OFFICIAL,
        "getUserExternalId",
        "`featured_topic` may be null; `suspended_till`, `suspend_reason` added",
        "the same `users#show` and serializer as `getUser` (found by the single sign-on record)",
        _CODE + "app/controllers/users_controller.rb",
        _external_profile_fields,
    ),
    Correction(
        OFFICIAL,
        "adminGetUser",
        "`suspended_at`, `suspended_till`, `suspend_reason` added; `suspended_by` is a user or null",
        "a suspended user adds the suspension (`include_suspended_at?`), and `suspended_by` is the"
        " suspending user as a BasicUser (`has_one :suspended_by`), not a string",
        _CODE + "app/serializers/admin_detailed_user_serializer.rb",
        _suspended_user_fields,
    ),
    Correction(
        OFFICIAL,
        "listUserBadges",
        "`count`, `post_number`, `topic_id`, `topic_title` added to a grant",
        "`grouped=true` adds the count; a grant whose reason links a post adds the post",
        _CODE + "app/serializers/user_badge_serializer.rb",
        _member_badge_fields,
    ),
    Correction(
        OFFICIAL,
        "listGroupMembers",
        "`last_posted_at`, `last_seen_at`, `timezone` may be null",
        "a member who never posted, never came back, or set no zone",
        _CODE + "app/serializers/group_user_serializer.rb",
        _group_member_nulls,
    ),
    Correction(
        OFFICIAL,
        "createBadge, updateBadge",
        "`trigger` may be an integer; `i18n_name` added",
        "a system badge's trigger is a `Badge::Trigger` number, and it has a translated name",
        _CODE + "app/serializers/badge_serializer.rb",
        _system_badge_fields,
    ),
    Correction(
        OFFICIAL,
        "listCategoryTopics",
        "`topic_list.more_topics_url` added",
        "it is there while more topics remain (`include_more_topics_url?`)",
        _CODE + "app/serializers/topic_list_serializer.rb",
        _more_topics_url,
    ),
    Correction(
        OFFICIAL,
        "getTopic",
        "`action_code` added to a post",
        "a small action post (closing a topic) says what it did (`include_action_code?`)",
        _CODE + "app/serializers/post_serializer.rb",
        _small_action_code,
    ),
    Correction(
        OFFICIAL,
        "search",
        "`topics` added; `grouped_search_result.more_full_page_results` is `true` or null",
        "the posts' topics are side-loaded beside them (`has_one :topic` of the search post), and"
        " `more_full_page_results` is set to `true` when more remain",
        _CODE + "app/serializers/grouped_search_result_serializer.rb",
        _search_topics,
    ),
    Correction(
        OFFICIAL,
        "listUsersPublic",
        "`solutions` added to a directory item (not required)",
        "the Solved plugin adds its directory column where an admin enabled it"
        " (`add_directory_column`); the description was recorded on a forum without it",
        _CODE + "plugins/discourse-solved/plugin.rb",
        _solved_column,
    ),
    Correction(
        HANDWRITTEN_2021,
        "revoke",
        "the path parameter `id` gets a schema (integer)",
        "OpenAPI 3.0 requires one; it is the grant row's id",
        _CODE + "app/controllers/user_badges_controller.rb",
        _revoke_id_schema,
    ),
    Correction(
        HANDWRITTEN_2021,
        "grant",
        "the answer's root is the object `user_badge`, not an array `user_badges`",
        'the controller renders the new (or existing) grant with `root: "user_badge"`',
        _CODE + "app/controllers/user_badges_controller.rb",
        _grant_answer_root,
    ),
    Correction(
        HANDWRITTEN_2021,
        "revoke",
        "`success` required",
        'the controller always renders `success_json` (`{"success": "OK"}`)',
        _CODE + "app/controllers/user_badges_controller.rb",
        _revoke_answer,
    ),
)


def _apply(spec: Document, description: str) -> Document:
    for correction in CORRECTIONS:
        if correction.description == description:
            correction.apply(spec)
    return spec


def _string_keys(value: Any) -> Any:
    """YAML reads ``200:`` as an integer key; OpenAPI's keys are strings."""
    if isinstance(value, dict):
        return {str(k): _string_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_string_keys(v) for v in value]
    return value


@functools.cache
def _official() -> str:
    spec = json.loads(OPENAPI_JSON.read_text(encoding="utf-8"))
    return json.dumps(_apply(spec, OFFICIAL))


@functools.cache
def _grant_and_revoke() -> str:
    whole = _string_keys(yaml.safe_load(OPENAPI_2021.read_text(encoding="utf-8")))
    paths = {ours: copy.deepcopy(whole["paths"][theirs]) for ours, theirs in FROM_2021.items()}
    spec = {
        "openapi": whole["openapi"],
        "info": whole["info"],
        "servers": [{"url": "https://{host}", "variables": {"host": {"default": "discourse.example.com"}}}],
        "paths": paths,
    }
    return json.dumps(_apply(spec, HANDWRITTEN_2021))


def official() -> Document:
    """``openapi.json`` with the corrections (a fresh copy each call)."""
    document: Document = json.loads(_official())
    return document


def grant_and_revoke() -> Document:
    """Grant and revoke from the 2021 description, as a document of their own, corrected."""
    document: Document = json.loads(_grant_and_revoke())
    return document


def corrections_table() -> str:
    """The corrections as a Markdown list (for the README)."""
    return "\n".join(
        f"- {c.description}, `{c.operation}`: {c.change}. Why: {c.reason} ([code]({c.source}))."
        for c in CORRECTIONS
    )
