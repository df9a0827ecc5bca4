"""Granular and read-only API keys: which Discourse action each route is, and which scope allows it.

A Discourse API key is *global* (no scopes: every route its user may use),
*read-only* (the one scope ``global:read``: every GET) or *granular* (chosen
``resource:action`` scopes). ``ApiKey#request_allowed?`` lets a request
through when the key has no scopes or one of them permits it, and always lets
``GET /session/scopes`` through; ``ApiKeyScope#permits?`` matches the
request's controller action, its method, and the parameter values the scope
was restricted to (``allowed_parameters``, e.g. one username).

``SCOPE_MAPPINGS`` is ``ApiKeyScope.default_mappings`` of the newest
Discourse (app/models/api_key_scope.rb), as data; ``ROUTES`` names each route
of this sandbox as Rails names it (``controller#action`` and the path with
Rails' own parameter names), so the scope check, ``/session/scopes``' URLs and
the README's list of covered operations all read one table.
https://github.com/discourse/discourse/blob/main/app/models/api_key_scope.rb
https://github.com/discourse/discourse/blob/main/lib/route_matcher.rb
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class RailsRoute:
    """One route as Discourse's router has it: ``admin/badges#update`` at ``/admin/badges/:id``."""

    action: str
    path: str

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(re.findall(r":(\w+)", self.path))


#: Every route of the sandbox's Discourse face, by method and the path FastAPI declares, as Rails
#: routes it (config/routes.rb). A route missing here is still served, but no granular scope
#: covers it (``test_scopes`` lists the app's routes against this table).
ROUTES: dict[tuple[str, str], RailsRoute] = {
    ("GET", "/session/current"): RailsRoute("session#current", "/session/current"),
    ("GET", "/session/scopes"): RailsRoute("session#scopes", "/session/scopes"),
    ("GET", "/site/basic-info"): RailsRoute("site#basic_info", "/site/basic-info"),
    ("GET", "/admin/users/list/{flag}"): RailsRoute("admin/users#index", "/admin/users/list/:query"),
    ("GET", "/u/{username}"): RailsRoute("users#show", "/u/:username"),
    ("GET", "/users/{username}"): RailsRoute("users#show", "/users/:username"),
    ("GET", "/u/by-external/{external_id}"): RailsRoute("users#show", "/u/by-external/:external_id"),
    ("GET", "/admin/users/{raw_id}"): RailsRoute("admin/users#show", "/admin/users/:id"),
    ("PUT", "/admin/users/{raw_id}/suspend"): RailsRoute(
        "admin/users#suspend", "/admin/users/:user_id/suspend"
    ),
    ("PUT", "/admin/users/{raw_id}/unsuspend"): RailsRoute(
        "admin/users#unsuspend", "/admin/users/:user_id/unsuspend"
    ),
    ("DELETE", "/admin/users/{raw_id}"): RailsRoute("admin/users#destroy", "/admin/users/:id"),
    ("GET", "/admin/badges"): RailsRoute("admin/badges#index", "/admin/badges"),
    ("GET", "/admin/badges/types"): RailsRoute("admin/badges#badge_types", "/admin/badges/types"),
    ("POST", "/admin/badges"): RailsRoute("admin/badges#create", "/admin/badges"),
    ("PUT", "/admin/badges/{raw_id}"): RailsRoute("admin/badges#update", "/admin/badges/:id"),
    ("DELETE", "/admin/badges/{raw_id}"): RailsRoute("admin/badges#destroy", "/admin/badges/:id"),
    ("POST", "/admin/badges/award/{raw_id}"): RailsRoute(
        "admin/badges#mass_award", "/admin/badges/award/:badge_id"
    ),
    ("POST", "/user_badges"): RailsRoute("user_badges#create", "/user_badges"),
    ("DELETE", "/user_badges/{raw_id}"): RailsRoute("user_badges#destroy", "/user_badges/:id"),
    ("GET", "/user_badges"): RailsRoute("user_badges#index", "/user_badges"),
    ("GET", "/user-badges/{username}"): RailsRoute("user_badges#username", "/user-badges/:username"),
    ("GET", "/groups"): RailsRoute("groups#index", "/groups"),
    ("GET", "/groups/search"): RailsRoute("groups#search", "/groups/search"),
    ("GET", "/groups/{name}/members"): RailsRoute("groups#members", "/groups/:id/members"),
    ("PUT", "/groups/{raw_id}/members"): RailsRoute("groups#add_members", "/groups/:id/members"),
    ("DELETE", "/groups/{raw_id}/members"): RailsRoute("groups#remove_member", "/groups/:id/members"),
    ("POST", "/posts"): RailsRoute("posts#create", "/posts"),
    ("PUT", "/t/{raw_id}/status"): RailsRoute("topics#status", "/t/:topic_id/status"),
    ("GET", "/categories"): RailsRoute("categories#index", "/categories"),
    ("GET", "/c/{slug}/{raw_id}"): RailsRoute("list#category_default", "/c/*category_slug_path_with_id"),
    ("GET", "/c/{raw_id}"): RailsRoute("list#category_default", "/c/*category_slug_path_with_id"),
    ("GET", "/directory_items"): RailsRoute("directory_items#index", "/directory_items"),
    ("GET", "/search"): RailsRoute("search#show", "/search"),
    ("GET", "/posts"): RailsRoute("posts#latest", "/posts"),
    ("GET", "/t/{raw_id}"): RailsRoute("topics#show", "/t/:id"),
    ("GET", "/t/{slug}/{raw_id}"): RailsRoute("topics#show", "/t/:slug/:topic_id"),
    ("POST", "/uploads"): RailsRoute("uploads#create", "/uploads"),
    ("GET", "/uploads/default/original/1X/{name}"): RailsRoute(
        "uploads#show", "/uploads/:site/original/:tree:sha"
    ),
}


@dataclass(frozen=True, slots=True)
class ScopeMapping:
    """What one ``resource:action`` scope permits: controller actions or methods, restrictable parameters."""

    actions: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    params: tuple[str, ...] = ()
    path_params: tuple[str, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)

    @property
    def restrictable(self) -> list[str]:
        """``ApiKeyScope.restrictable_parameters``: what ``allowed_parameters`` may name."""
        return list(dict.fromkeys([*self.params, *self.path_params]))


def _m(
    *actions: str,
    methods: tuple[str, ...] = (),
    params: tuple[str, ...] = (),
    path_params: tuple[str, ...] = (),
    aliases: Mapping[str, str] | None = None,
) -> ScopeMapping:
    return ScopeMapping(actions, methods, params, path_params, dict(aliases or {}))


_LIST_ACTIONS = (
    "list#category_feed",
    "list#category_default",
    "list#latest_feed",
    *(f"list#{prefix}{kind}" for kind in ("latest", "unread", "new", "top") for prefix in ("category_", "")),
)

#: ``ApiKeyScope.default_mappings`` (newest Discourse, without plugins): resource → action → mapping.
SCOPE_MAPPINGS: dict[str, dict[str, ScopeMapping]] = {
    "global": {"read": _m(methods=("GET",))},
    "topics": {
        "write": _m("posts#create", params=("topic_id",)),
        "update": _m("topics#update", "topics#status", params=("category_id",), path_params=("topic_id",)),
        "delete": _m("topics#destroy", path_params=("topic_id",), aliases={"topic_id": "id"}),
        "recover": _m("topics#recover", path_params=("topic_id",)),
        "read": _m(
            "topics#show",
            "topics#feed",
            "topics#posts",
            "topics#show_by_external_id",
            path_params=("topic_id", "external_id"),
            aliases={"topic_id": "id"},
        ),
        "read_lists": _m(
            *_LIST_ACTIONS, params=("category_id",), aliases={"category_id": "category_slug_path_with_id"}
        ),
        "status": _m("topics#status", params=("category_id", "status", "enabled"), path_params=("topic_id",)),
        "change_owner": _m("topics#change_post_owners", path_params=("topic_id",)),
    },
    "posts": {
        "edit": _m("posts#update", path_params=("id",)),
        "delete": _m("posts#destroy", path_params=("id",)),
        "recover": _m("posts#recover", path_params=("post_id",)),
        "list": _m("posts#latest"),
    },
    "revisions": {
        "read": _m("posts#latest_revision", "posts#revisions", path_params=("post_id",)),
        "modify": _m("posts#hide_revision", "posts#show_revision", "posts#revert", path_params=("post_id",)),
        "permanently_delete": _m("posts#permanently_delete_revisions", path_params=("post_id",)),
    },
    "tags": {"list": _m("tags#index")},
    "tag_groups": {
        "list": _m("tag_groups#index"),
        "show": _m("tag_groups#show", path_params=("id",)),
        "create": _m("tag_groups#create"),
        "update": _m("tag_groups#update", path_params=("id",)),
    },
    "categories": {
        "list": _m("categories#index"),
        "show": _m("categories#show", path_params=("id",)),
    },
    "uploads": {
        "create": _m(
            "uploads#create",
            "uploads#generate_presigned_put",
            "uploads#complete_external_upload",
            "uploads#create_multipart",
            "uploads#batch_presign_multipart_parts",
            "uploads#abort_multipart",
            "uploads#complete_multipart",
        )
    },
    "users": {
        "bookmarks": _m("users#bookmarks", path_params=("username",)),
        "sync_sso": _m("admin/users#sync_sso", params=("sso", "sig")),
        "show": _m("users#show", path_params=("username", "external_id", "external_provider")),
        "check_emails": _m("users#check_emails", path_params=("username",)),
        "create": _m("users#create"),
        "update": _m(
            "users#update",
            "users#badge_title",
            "users#pick_avatar",
            "users#select_avatar",
            "users#feature_topic",
            "users#clear_featured_topic",
            path_params=("username",),
        ),
        "log_out": _m("admin/users#log_out", path_params=("user_id",)),
        "anonymize": _m("admin/users#anonymize", path_params=("user_id",)),
        "suspend": _m("admin/users#suspend", path_params=("user_id",)),
        "delete": _m("admin/users#destroy", path_params=("id",)),
        "list": _m("admin/users#index"),
    },
    "user_status": {"read": _m("user_status#get"), "update": _m("user_status#set", "user_status#clear")},
    "email": {"receive_emails": _m("admin/email#handle_mail", "admin/email#smtp_should_reject")},
    "invites": {"create": _m("invites#create")},
    "badges": {
        "list": _m("badges#index", "admin/badges#index"),
        "create": _m("admin/badges#create"),
        "show": _m("badges#show", path_params=("id",)),
        "update": _m("admin/badges#update", path_params=("id",)),
        "delete": _m("admin/badges#destroy", path_params=("id",)),
        "list_user_badges": _m("user_badges#username", path_params=("username",)),
        "assign_badge_to_user": _m("user_badges#create", params=("username",)),
        "revoke_badge_from_user": _m("user_badges#destroy", path_params=("id",)),
    },
    "groups": {
        "manage_groups": _m(
            "groups#members", "groups#add_members", "groups#remove_member", path_params=("id", "name")
        ),
        "administer_groups": _m(
            "admin/groups#create",
            "admin/groups#destroy",
            "groups#show",
            "groups#update",
            "groups#index",
            path_params=("id", "name"),
        ),
    },
    "search": {
        "show": _m("search#show", params=("q", "page")),
        "query": _m("search#query", params=("term",)),
    },
}


class UnknownScope(ValueError):
    """A ``resource:action`` Discourse does not know."""


@dataclass(frozen=True, slots=True)
class KeyScope:
    """One scope of a granular key, and the values its parameters are restricted to. Immutable; any thread.

    ``UnknownScope`` when Discourse has no such scope or it cannot be restricted that way.
    """

    resource: str
    action: str
    allowed_parameters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        mapping = SCOPE_MAPPINGS.get(self.resource, {}).get(self.action)
        if mapping is None:
            raise UnknownScope(f"Discourse has no API key scope {self.resource}:{self.action}")
        unknown = set(self.allowed_parameters) - set(mapping.restrictable)
        if unknown:
            raise UnknownScope(f"{self.resource}:{self.action} cannot be restricted by {sorted(unknown)}")

    @property
    def mapping(self) -> ScopeMapping:
        return SCOPE_MAPPINGS[self.resource][self.action]

    def permits(self, method: str, route: RailsRoute | None, params: RequestParams) -> bool:
        """``ApiKeyScope#permits?``: the action (or method) matches, and each restricted parameter too."""
        mapping = self.mapping
        if mapping.methods and method.upper() not in mapping.methods:
            return False
        if mapping.actions and (route is None or route.action not in mapping.actions):
            return False
        return all(self._value_allowed(name, mapping, params) for name in mapping.restrictable)

    def _value_allowed(self, name: str, mapping: ScopeMapping, params: RequestParams) -> bool:
        allowed = self.allowed_parameters.get(name)
        if not allowed:
            return True
        source = params.path if name in mapping.path_params else params.query_and_body
        value = source.get(name)
        alias = mapping.aliases.get(name)
        alias_value = source.get(alias) if alias else None
        if value not in (None, "") and alias_value not in (None, ""):
            # RouteMatcher refuses a request that names the parameter twice.
            return False
        chosen = value if value not in (None, "") else alias_value
        if name == "category_id" and alias == "category_slug_path_with_id" and value in (None, ""):
            chosen = _category_id_from_slug_path(alias_value)
        return chosen is not None and str(chosen) in allowed

    def answer(self, urls: list[str]) -> dict[str, Any]:
        """``ApiKeyScopeSerializer``: ``action`` spaced for people, ``key`` as stored."""
        return {
            "resource": self.resource,
            "action": self.action.replace("_", " "),
            "parameters": self.mapping.restrictable,
            "urls": urls,
            "allowed_parameters": {k: list(v) for k, v in self.allowed_parameters.items()},
            "key": self.action,
        }


def _category_id_from_slug_path(value: Any) -> str | None:
    parts = str(value or "").split("/")
    return parts[-1] if parts and parts[-1].isdigit() else None


#: ``global:read``: what a read-only key holds.
READ_ONLY = (KeyScope("global", "read"),)


@dataclass(frozen=True, slots=True)
class RequestParams:
    """A request's parameters as ``RouteMatcher`` reads them: Rails' path parameters, and the rest."""

    path: Mapping[str, Any]
    query_and_body: Mapping[str, Any]


def rails_path_params(route: RailsRoute, declared: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The request's path parameters under Rails' names (the sandbox's routes name them their own way)."""
    ours = re.findall(r"\{(\w+)\}", declared)
    return {theirs: values.get(mine) for mine, theirs in zip(ours, route.path_params, strict=False)}


def scope_urls(scope: KeyScope) -> list[str]:
    """``find_urls``: the routes a scope's actions answer on, ``"* (get)"`` for a method-wide scope."""
    mapping = scope.mapping
    urls = [
        f"{route.path} ({method})"
        for (method, _declared), route in ROUTES.items()
        if route.action in mapping.actions
    ]
    urls.extend(f"* ({method.lower()})" for method in mapping.methods)
    return list(dict.fromkeys(urls))


def parse_scope(text: str, allowed: Mapping[str, tuple[str, ...]] | None = None) -> KeyScope:
    """``"badges:assign_badge_to_user"`` as a ``KeyScope`` (``UnknownScope`` when Discourse has none)."""
    resource, _, action = text.partition(":")
    return KeyScope(resource, action, dict(allowed or {}))
