"""A member's profile on the server, opened in the browser ("Open on the server").

Where the profile is comes from the server's dialect through
:meth:`desktop.dialects.capabilities.Capabilities.member_profile`; the browser is
reached through :func:`open_in_browser`, which each view keeps as a replaceable
attribute (``open_url``) so tests capture the address instead of starting one.
GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices

from desktop.dialects.capabilities import Capabilities
from desktop.domain import Member, MemberStatus

#: The shortcut of "Open on the server" (Members and Review queue panes).
OPEN_PROFILE_KEY = "Ctrl+Shift+O"


def open_in_browser(url: str) -> bool:
    """Hand ``url`` to the desktop's browser; False when none took it."""
    return QDesktopServices.openUrl(QUrl(url))


def profile_url(capabilities: Capabilities | None, member: Member | None) -> str | None:
    """Where ``member``'s profile is on the server (None: nowhere known)."""
    if capabilities is None or member is None:
        return None
    return capabilities.member_profile(member)


def why_no_profile(capabilities: Capabilities | None, member: Member | None) -> str:
    """Why "Open on the server" is off for ``member`` ("" when it is on)."""
    if profile_url(capabilities, member) is not None:
        return ""
    if member is None:
        return QCoreApplication.translate("MemberProfile", "Select a member first.")
    if capabilities is None:
        return QCoreApplication.translate("MemberProfile", "Known once BadgeDesk has synced with the server.")
    if not capabilities.profile_url:
        return QCoreApplication.translate("MemberProfile", "This server shows no member profiles.")
    if member.status is MemberStatus.DELETED:
        return QCoreApplication.translate("MemberProfile", "A deleted member has no profile on the server.")
    return ""


def open_profile_text(url: str, opened: bool) -> str:
    """What the status bar says once the browser was asked to open ``url``."""
    if opened:
        return QCoreApplication.translate("MemberProfile", "Opened {url} in the browser.").format(url=url)
    return QCoreApplication.translate("MemberProfile", "No browser could open {url}.").format(url=url)
