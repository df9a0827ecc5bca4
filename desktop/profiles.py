"""Community profiles: the communities a moderator looks after, one cache and one key each.

A profile is a name (what the user sees), the server's kind and URL, the user the
key acts as (where the kind needs one), and what is keyed by its id
(:func:`desktop.paths.profile_id`): its keyring entry, its cache folder and its own
settings (:data:`desktop.settings.PER_PROFILE`, its request category). The demo
community is a profile too: always there, never removed.

The records live in :class:`desktop.settings.Settings` (``profiles``); this module
reads and changes them. Thread safety: the functions that take ``Settings`` run on
the thread that owns it (the GUI thread in the app); :func:`delete_data` blocks on
the disk and the keyring, so it runs on a worker.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop import paths
from desktop.i18n import _
from desktop.secrets import NoKeyring, TokenStore
from desktop.settings import DEMO_PROFILE_ID, ConnectionChoice, Settings


class ProfileError(ValueError):
    """A profile cannot be added, renamed or found as asked; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class Profile:
    """One community as the user set it up."""

    #: Keys the cache folder, the keyring entry and the stored record.
    id: str
    name: str
    #: The server's address; "" for the demo (its server is started by the app).
    url: str
    #: The server's kind (:mod:`desktop.dialects.registry`); "" where not known yet (asked at connect).
    kind: str = ""
    username: str = ""
    request_category: str = ""

    @property
    def is_demo(self) -> bool:
        return self.id == DEMO_PROFILE_ID

    @property
    def key(self) -> str:
        """What the app and the core name it by (``Community.profile``): the URL, or the demo's id."""
        return self.url or self.id


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key, "")
    return value if isinstance(value, str) else ""


def _from_record(ident: str, entry: dict[str, Any]) -> Profile:
    return Profile(
        id=ident,
        name=_text(entry, "name").strip() or ident,
        url=_text(entry, "url"),
        kind=_text(entry, "kind"),
        username=_text(entry, "username"),
        request_category=_text(entry, "request_category"),
    )


def demo(settings: Settings) -> Profile:
    """The demo community's profile (its name as the user renamed it, or "Demo")."""
    entry = settings.profiles.get(DEMO_PROFILE_ID)
    name = _text(entry, "name").strip() if isinstance(entry, dict) else ""
    return Profile(DEMO_PROFILE_ID, name or _("Demo"), "")


def all_profiles(settings: Settings) -> list[Profile]:
    """The demo first, then every server profile by name."""
    servers = [
        _from_record(ident, entry)
        for ident, entry in settings.profiles.items()
        if isinstance(entry, dict) and ident != DEMO_PROFILE_ID and _text(entry, "url")
    ]
    return [demo(settings), *sorted(servers, key=lambda p: (p.name.casefold(), p.id))]


def listed_keys(settings: Settings) -> list[str]:
    """What every listed profile is named by (:attr:`Profile.key`): its URL, or the demo's id."""
    return [p.key for p in all_profiles(settings)]


def last_used(settings: Settings) -> Profile:
    """The community opened last (``Settings.current_profile``): where ``badgedesk`` alone starts.

    The demo on the first start, and where the one opened last is no longer listed (removed by
    another BadgeDesk, or the settings edited by hand).
    """
    ident = settings.current_profile
    found = next((p for p in all_profiles(settings) if p.id == ident), None) if ident else None
    return found or demo(settings)


def find(settings: Settings, wanted: str) -> Profile | None:
    """The profile called ``wanted`` (any case), or whose id or URL it is."""
    profiles = all_profiles(settings)
    for profile in profiles:
        if profile.name.casefold() == wanted.strip().casefold():
            return profile
    ident = paths.profile_id(wanted)
    return next((p for p in profiles if p.id == ident), None)


def _check_name(settings: Settings, name: str, keeping: str | None = None) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ProfileError(_("A community needs a name."))
    for profile in all_profiles(settings):
        if profile.id != keeping and profile.name.casefold() == cleaned.casefold():
            raise ProfileError(_("There is already a community called {name}.").format(name=repr(cleaned)))
    return cleaned


def add(settings: Settings, name: str, url: str, choice: ConnectionChoice) -> Profile:
    """A new server profile (``url`` checked by :func:`desktop.net.server_address.check_server_url`).

    One per server address (its :func:`desktop.paths.profile_id`): another one for the same address,
    even acting as another user (Discourse's Api-Username), is refused with a :class:`ProfileError`
    saying how to change the user of the one there is.
    """
    cleaned = _check_name(settings, name)
    url = url.strip().rstrip("/")
    ident = paths.profile_id(url)
    existing = next((p for p in all_profiles(settings) if p.id == ident), None)
    if existing is not None and choice.username and choice.username != existing.username:
        # One community per address, whoever the key acts as: the id (cache folder, keyring entry)
        # is the address's, and two caches of one forum would share its request limit anyway.
        raise ProfileError(
            _(
                "{url} is already the community {name}, acting as {user}. BadgeDesk keeps one community "
                "per server address, with one cache and one API key: to act as {other} there, open {name} "
                "and change its user in File ▸ Connect to a server…."
            ).format(
                url=url,
                name=repr(existing.name),
                user=repr(existing.username) if existing.username else _("no user"),
                other=repr(choice.username),
            )
        )
    if existing is not None:
        raise ProfileError(
            _("{url} is already the community {name}.").format(url=url, name=repr(existing.name))
        )
    settings.profiles[ident] = {"name": cleaned, "url": url}
    settings.remember_connection(url, choice)
    return _from_record(ident, settings.profiles[ident])


def rename(settings: Settings, ident: str, name: str) -> Profile:
    cleaned = _check_name(settings, name, keeping=ident)
    entry = settings.profiles.get(ident)
    if not isinstance(entry, dict):
        entry = settings.profiles[ident] = {}
    entry["name"] = cleaned
    return demo(settings) if ident == DEMO_PROFILE_ID else _from_record(ident, entry)


def forget(settings: Settings, profile: Profile) -> None:
    """Drop ``profile``'s record and its settings (its data: :func:`delete_data`, first). The demo stays."""
    if profile.is_demo:
        raise ProfileError(_("The demo community cannot be removed."))
    settings.profiles.pop(profile.id, None)
    settings.servers = [s for s in settings.servers if paths.profile_id(s) != profile.id]
    if settings.current_profile == profile.id:
        settings.current_profile = ""


def _remove_folder(folder: Path) -> None:
    """Delete ``folder``: its lock files last, so that a cache being opened meanwhile waits on them
    (and then finds its profile gone) instead of making new ones beside the files being deleted."""
    for entry in sorted(folder.iterdir(), key=lambda e: e.name.endswith(paths.LOCK_SUFFIX)):
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    folder.rmdir()


def delete_data(profile: Profile, tokens: TokenStore) -> None:
    """Delete ``profile``'s cache folder, then its keyring entry (blocking: on a worker; the cache closed).

    Raises :class:`ProfileError` saying what was not deleted, where and why: the caller then keeps
    the profile listed (:func:`forget` only once this succeeded), so that removing it again can
    finish the job. The folder goes first: a key left without its cache is asked for again, a
    cache left without its key is not.
    """
    if profile.is_demo:
        raise ProfileError(_("The demo community cannot be removed."))
    folder = paths.profile_dir(profile.url)
    try:
        if folder.exists():
            _remove_folder(folder)
    except OSError as error:
        where = os.fsdecode(error.filename) if error.filename else str(folder)
        raise ProfileError(
            _("Its cache folder {folder} could not be deleted: {reason} ({path}).").format(
                folder=folder, reason=error.strerror or type(error).__name__, path=where
            )
        ) from error
    try:
        tokens.delete(profile.url)
    except NoKeyring as error:
        raise ProfileError(
            _("Its API key could not be deleted from the system keyring: {why}").format(why=error)
        ) from error
