"""Qt's own command-line options (``-style fusion``, ``-platform offscreen``, …).

``badgedesk``'s parser would refuse them as unknown; what it does not know is
sorted here, and Qt's options go to ``QApplication``. Only options Qt documents are
taken: a typo (``-stlye``) still gets our one-line error rather than being
silently ignored by Qt. Pure Python, so the parser can use it without loading Qt.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.i18n import _

#: QGuiApplication's and QApplication's options that take a value.
WITH_VALUE = frozenset(
    {
        "platform",
        "platformpluginpath",
        "platformtheme",
        "plugin",
        "qwindowgeometry",
        "qwindowicon",
        "qwindowtitle",
        "session",
        "display",
        "geometry",
        "style",
        "stylesheet",
    }
)
#: Options that are flags (``-qmljsdebugger`` takes its value after "=" only).
FLAGS = frozenset({"reverse", "widgetcount", "nograb", "dograb", "qmljsdebugger"})


class MissingQtValue(ValueError):
    """A Qt option that needs a value came last."""


def _qt_name(arg: str) -> str | None:
    """The Qt option ``arg`` names (Qt takes one dash or two, and ``-opt=value``), or None."""
    if not arg.startswith("-") or arg == "-" or arg.startswith("---"):
        return None
    name = arg.lstrip("-").partition("=")[0]
    return name if name in WITH_VALUE or name in FLAGS else None


def split_qt_options(extras: Sequence[str]) -> tuple[list[str], list[str]]:
    """What our parser did not know, as (unknown, Qt's options with their values).

    :class:`MissingQtValue` for ``-style`` with nothing after it.
    """
    unknown: list[str] = []
    qt: list[str] = []
    index = 0
    while index < len(extras):
        arg = extras[index]
        name = _qt_name(arg)
        if name is None:
            unknown.append(arg)
        else:
            qt.append(arg)
            if name in WITH_VALUE and "=" not in arg:
                if index + 1 >= len(extras):
                    raise MissingQtValue(
                        _("{option} needs a value (an option of Qt's, e.g. -style fusion)").format(option=arg)
                    )
                qt.append(extras[index + 1])
                index += 1
        index += 1
    return unknown, qt
