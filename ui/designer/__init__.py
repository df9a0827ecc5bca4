"""The badge designer: one window per badge, split by section.

:class:`BadgeDesigner` (``window``) assembles the sections — the layers, the
canvas and the previews, the checks, the metadata — around the core's
:class:`~desktop.designer.document.BadgeDocument`.
"""

from ui.designer.window import BadgeDesigner

__all__ = ["BadgeDesigner"]
