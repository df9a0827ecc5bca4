"""Typed application settings, stored as JSON in the platform config directory.

Settings carry a schema version; unknown keys from a newer BadgeDesk are kept
on save, and a file that cannot be read is moved aside (never overwritten
silently) and defaults are used. Secrets never go here: see
:mod:`desktop.secrets`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop import paths

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1


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
    #: How each profile connects (see :class:`ConnectionChoice`): profile → its fields.
    connections: dict[str, Any] = field(default_factory=dict)
    #: Help ▸ Getting started opened by itself on the demo's first start (only that once).
    getting_started_shown: bool = False
    _unknown: dict[str, Any] = field(default_factory=dict, repr=False)

    def remember_server(self, url: str) -> None:
        self.servers = [url, *[s for s in self.servers if s != url]][:10]

    def connection(self, profile: str) -> ConnectionChoice | None:
        """What the user chose for ``profile`` last time (None: nothing, or a damaged entry)."""
        entry = self.connections.get(profile)
        if not isinstance(entry, dict):
            return None
        values = {name: entry.get(name, "") for name in ("kind", "username", "request_category")}
        if not all(isinstance(v, str) for v in values.values()) or not values["kind"]:
            # Edited by hand or written by something else: asking again beats guessing.
            return None
        return ConnectionChoice(**values)

    def remember_connection(self, profile: str, choice: ConnectionChoice) -> None:
        self.connections[profile] = {
            "kind": choice.kind,
            "username": choice.username,
            "request_category": choice.request_category,
        }


def settings_path() -> Path:
    return paths.config_dir() / "settings.json"


def load(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("settings file is not a JSON object")
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as error:
        aside = path.with_name(path.name + ".unreadable")
        log.warning("Settings at %s could not be read (%s); moved to %s, using defaults", path, error, aside)
        with contextlib.suppress(OSError):
            path.replace(aside)
        return Settings()
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
    return settings


def save(settings: Settings, path: Path | None = None) -> None:
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in dataclasses.asdict(settings).items() if not k.startswith("_")}
    data = {**settings._unknown, **data}
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
