"""Typed application settings, stored as JSON in the platform config directory.

Settings carry a schema version; unknown keys from a newer BadgeDesk are kept
on save, and a file that cannot be read is moved aside (never overwritten
silently) and defaults are used. Secrets never go here: see
:mod:`desktop.secrets`.

Several BadgeDesk processes (one per community) share the file: :func:`save` writes
under a lock file, reading the file again and keeping what others changed since this
process loaded it (a three-way merge: this process's changes win only for what it
changed, profiles by id, field by field).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop import paths
from desktop.file_lock import waiting_lock

log = logging.getLogger(__name__)

#: 2: community profiles (``profiles``, each with its own connection and per-profile
#: settings) replace ``connections``; see :func:`_migrate_v1`.
SCHEMA_VERSION = 2

#: The demo community's profile id (its cache folder "demo"; the Discourse demo's is "demo-discourse").
DEMO_PROFILE_ID = "demo"

#: Settings each community profile has its own of; the others are global (language, window,
#: splitters, templates, shortcuts, sync interval, the demo's size). The top-level fields hold
#: the open profile's values (:meth:`Settings.use_profile`).
PER_PROFILE = ("saved_searches", "saved_rules")


@dataclass(frozen=True, slots=True)
class ConnectionChoice:
    """How the user connects to one community's server: never the key (the keyring keeps it)."""

    #: The server's kind (:mod:`desktop.dialects.registry`).
    kind: str
    #: The user the key acts as, where the kind needs one (Discourse's Api-Username).
    username: str = ""
    #: Where the forum keeps badge requests ("" = none chosen: no review queue).
    request_category: str = ""


@dataclass
class Settings:
    """Thread safety: owned by the GUI thread; give workers copies of values."""

    schema_version: int = SCHEMA_VERSION
    #: Server URLs the user has connected to, most recent first.
    servers: list[str] = field(default_factory=list)
    #: Size and seed of the embedded demo community on first launch.
    demo_members: int = 20_000
    demo_seed: int = 1
    #: Sync with the server every N seconds while online (0: only by hand).
    sync_interval_s: int = 120
    #: The language the app is shown in ("de", "pseudo"); empty: the system's. Read at start.
    language: str = ""
    #: Saved member searches: name → query (see desktop.member_search.query_to_dict).
    saved_searches: dict[str, Any] = field(default_factory=dict)
    #: Saved member rules: name → rule (see desktop.rules.rule_to_dict; relative dates stay relative).
    saved_rules: dict[str, Any] = field(default_factory=dict)
    #: Base64 of QMainWindow.saveGeometry(); opaque here.
    window_geometry: str = ""
    #: Where the user left each splitter: its name → base64 of QSplitter.saveState(); opaque here.
    splitter_states: dict[str, str] = field(default_factory=dict)
    #: Deny / return reason templates (see desktop.decision_templates); empty: the built-in ones.
    decision_templates: dict[str, Any] = field(default_factory=dict)
    #: Keyboard shortcuts the user rebound: action id → portable key text ("Ctrl+Shift+A").
    shortcuts: dict[str, str] = field(default_factory=dict)
    #: Community profiles: profile id (:func:`desktop.paths.profile_id`) → its record: "name",
    #: "url", how it connects (:class:`ConnectionChoice`'s fields) and "settings" (its
    #: :data:`PER_PROFILE` values). See :mod:`desktop.profiles`.
    profiles: dict[str, Any] = field(default_factory=dict)
    #: The profile opened last (its id; "" = the demo).
    current_profile: str = ""
    #: Help ▸ Getting started opened by itself on the demo's first start (only that once).
    getting_started_shown: bool = False
    _unknown: dict[str, Any] = field(default_factory=dict, repr=False)
    #: The profile whose :data:`PER_PROFILE` values the top-level fields hold.
    _active: str = field(default=DEMO_PROFILE_ID, repr=False)
    #: What the file held as this process last read or wrote it (:func:`save` merges against it).
    _base: dict[str, Any] = field(default_factory=dict, repr=False)

    def remember_server(self, url: str) -> None:
        self.servers = [url, *[s for s in self.servers if s != url]][:10]

    def connection(self, profile: str) -> ConnectionChoice | None:
        """What the user chose for ``profile`` last time (None: nothing, or a damaged entry)."""
        entry = self.profiles.get(paths.profile_id(profile))
        if not isinstance(entry, dict):
            return None
        values = {name: entry.get(name, "") for name in ("kind", "username", "request_category")}
        if not all(isinstance(v, str) for v in values.values()) or not values["kind"]:
            # Edited by hand or written by something else: asking again beats guessing.
            return None
        return ConnectionChoice(**values)

    def remember_connection(self, profile: str, choice: ConnectionChoice) -> None:
        """Remember how ``profile`` (a server's URL, or the demo's profile) connects; a server
        connected this way becomes a profile if it was not one."""
        entry = self.profile_record(profile)
        entry.update(kind=choice.kind, username=choice.username, request_category=choice.request_category)

    def profile_record(self, profile: str) -> dict[str, Any]:
        """``profile``'s stored record (made, named after its host, when there is none)."""
        ident = paths.profile_id(profile)
        entry = self.profiles.get(ident)
        if not isinstance(entry, dict):
            entry = self.profiles[ident] = {}
        if "://" in profile and not isinstance(entry.get("url"), str):
            entry["url"] = profile.strip().rstrip("/")
        if not isinstance(entry.get("name"), str) or not entry["name"].strip():
            entry["name"] = self._free_name(_default_name(profile))
        return entry

    def _free_name(self, name: str) -> str:
        taken = {
            e.get("name", "").casefold()
            for e in self.profiles.values()
            if isinstance(e, dict) and isinstance(e.get("name"), str)
        }
        candidate, n = name, 2
        while candidate.casefold() in taken:
            candidate = f"{name} ({n})"
            n += 1
        return candidate

    def use_profile(self, profile: str) -> None:
        """Show ``profile``'s own :data:`PER_PROFILE` values from now on (the open ones kept for theirs)."""
        self._stash()
        self._show(paths.profile_id(profile))
        self.current_profile = "" if self._active == DEMO_PROFILE_ID else self._active

    def _show(self, ident: str) -> None:
        """The top-level :data:`PER_PROFILE` fields from now on hold profile ``ident``'s (as stored)."""
        self._active = ident
        entry = self.profiles.get(self._active)
        stored = entry.get("settings") if isinstance(entry, dict) else None
        for name in PER_PROFILE:
            value = stored.get(name) if isinstance(stored, dict) else None
            setattr(self, name, copy.deepcopy(value) if isinstance(value, dict) else {})

    @property
    def active_profile(self) -> str:
        """The id of the profile whose values the top-level :data:`PER_PROFILE` fields hold."""
        return self._active

    def _stash(self) -> None:
        entry = self.profiles.get(self._active)
        if not isinstance(entry, dict):
            entry = self.profiles[self._active] = {}
        entry["settings"] = {name: copy.deepcopy(getattr(self, name)) for name in PER_PROFILE}


def _default_name(profile: str) -> str:
    """A profile's name until the user gives it one: the host (and a port), or the demo's."""
    if "://" not in profile:
        return "Demo" if profile == DEMO_PROFILE_ID else profile
    rest = profile.split("://", 1)[1]
    return rest.split("/", 1)[0].rsplit("@", 1)[-1] or profile


def _migrate_v1(raw: dict[str, Any]) -> None:
    """Version 1 → 2: ``connections`` (keyed by URL) and ``servers`` become profiles; the saved
    searches and rules, shared by every community until now, are copied into each profile
    (nothing lost, each can then change its own)."""
    connections = raw.pop("connections", None)
    shared = {name: raw[name] for name in PER_PROFILE if isinstance(raw.get(name), dict)}
    known: list[tuple[str, dict[str, Any]]] = []
    if isinstance(connections, dict):
        known += [(str(k), v if isinstance(v, dict) else {}) for k, v in connections.items()]
    servers = raw.get("servers")
    if isinstance(servers, list):
        known += [(s, {}) for s in servers if isinstance(s, str)]
    staging = Settings()
    for profile in [DEMO_PROFILE_ID, *(name for name, _entry in known)]:
        staging.profile_record(profile)
    for name, entry in known:
        record = staging.profile_record(name)
        for key in ("kind", "username", "request_category"):
            if key in entry and key not in record:
                record[key] = entry[key]
    for record in staging.profiles.values():
        record["settings"] = copy.deepcopy(shared)
    raw["profiles"] = staging.profiles
    raw["schema_version"] = SCHEMA_VERSION


def settings_path() -> Path:
    return paths.config_dir() / "settings.json"


def load(path: Path | None = None, *, move_aside: bool = True) -> Settings:
    """The settings (defaults where there are none). ``move_aside`` False: a file that cannot be read
    is left where it is (a reader that only looks, such as a command opening a cache)."""
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("settings file is not a JSON object")
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as error:
        if not move_aside:
            return Settings()
        aside = path.with_name(path.name + ".unreadable")
        log.warning("Settings at %s could not be read (%s); moved to %s, using defaults", path, error, aside)
        with contextlib.suppress(OSError):
            path.replace(aside)
        return Settings()
    version = raw.get("schema_version", 1)
    if isinstance(version, int) and version < 2:
        _migrate_v1(raw)
    known = {f.name: f for f in dataclasses.fields(Settings) if not f.name.startswith("_")}
    values: dict[str, Any] = {}
    unknown: dict[str, Any] = {}
    defaults = Settings()
    for key, value in raw.items():
        if key in known:
            expected = type(getattr(defaults, key))
            if isinstance(value, expected) and not (expected is int and isinstance(value, bool)):
                values[key] = value
            else:
                log.warning("Setting %r has the wrong type; using the default", key)
        else:
            unknown[key] = value
    settings = Settings(**values)
    settings._unknown = unknown
    # A file from a newer BadgeDesk keeps its (newer) version when saved back.
    settings.schema_version = max(SCHEMA_VERSION, settings.schema_version)
    # The top-level per-profile fields hold the profile opened last (its record's, where it has them:
    # another process may have written the top-level ones for its own profile).
    active = paths.profile_id(settings.current_profile or DEMO_PROFILE_ID)
    record = settings.profiles.get(active)
    if isinstance(record, dict) and isinstance(record.get("settings"), dict):
        settings._show(active)
    else:
        settings._active = active
    settings._base = _data(settings)
    return settings


def _data(settings: Settings) -> dict[str, Any]:
    """What the file is to hold of ``settings`` (a copy; the open profile's values stashed in its record)."""
    settings._stash()
    data = {k: v for k, v in dataclasses.asdict(settings).items() if not k.startswith("_")}
    return {**copy.deepcopy(settings._unknown), **data}


_ABSENT: Any = object()


def _merged(base: Any, mine: Any, theirs: Any) -> Any:
    """Three-way merge: what this process changed since ``base`` (``mine``) over what the file now
    holds (``theirs``); objects key by key (a profile added, renamed or removed by another process
    stays so), any other value whole. ``_ABSENT``: no such key."""
    if mine == base:
        return theirs
    if theirs == base or not (isinstance(mine, dict) and isinstance(theirs, dict)):
        return mine
    base = base if isinstance(base, dict) else {}
    merged: dict[str, Any] = {}
    for key in [*theirs, *(k for k in mine if k not in theirs)]:
        value = _merged(base.get(key, _ABSENT), mine.get(key, _ABSENT), theirs.get(key, _ABSENT))
        if value is not _ABSENT:
            merged[key] = value
    return merged


def _drop_removed(base: dict[str, Any], theirs: dict[str, Any], data: dict[str, Any]) -> None:
    """A profile this process loaded that is no longer on disk was removed by another process: the
    removal wins over what this one changed in it (a visit alone stashes its settings)."""
    loaded, listed, merged = base.get("profiles"), theirs.get("profiles"), data.get("profiles")
    if not (isinstance(loaded, dict) and isinstance(listed, dict) and isinstance(merged, dict)):
        return
    for ident in [key for key in loaded if key not in listed and key in merged]:
        log.info("Profile %s was removed by another window: its changes here are dropped", ident)
        del merged[ident]


def _on_disk(path: Path) -> dict[str, Any] | None:
    """The file as another process left it (None: none, or nothing a merge can start from)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("schema_version"), int):
        return None
    return raw if raw["schema_version"] >= 2 else None


def save(settings: Settings, path: Path | None = None) -> None:
    """Write ``settings``, keeping what other processes saved meanwhile (see the module's docstring).

    The profiles others added, renamed or removed show in ``settings.profiles`` afterwards.
    """
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    mine = _data(settings)
    with waiting_lock(path.with_name(path.name + ".lock")):
        theirs = _on_disk(path)
        data = mine if theirs is None else _merged(settings._base, mine, theirs)
        if theirs is not None:
            _drop_removed(settings._base, theirs, data)
        # The top-level per-profile fields (read by nothing newer than schema 1) are the open profile's.
        listed = data.get("profiles")
        current = data.get("current_profile")
        ident = paths.profile_id(current if isinstance(current, str) and current else DEMO_PROFILE_ID)
        record = listed.get(ident) if isinstance(listed, dict) else None
        stored = record.get("settings") if isinstance(record, dict) else None
        if isinstance(stored, dict):
            data.update({name: stored[name] for name in PER_PROFILE if isinstance(stored.get(name), dict)})
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(json.dumps(data, indent=2, ensure_ascii=False))
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    if isinstance(data.get("profiles"), dict):
        settings.profiles = copy.deepcopy(data["profiles"])
    settings._base = {**mine, "profiles": copy.deepcopy(settings.profiles)}
