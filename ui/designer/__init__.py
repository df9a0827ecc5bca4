"""The badge designer: one window per badge, split by section.

``window`` (:class:`BadgeDesigner`) assembles the sections around the core's
:class:`~desktop.designer.document.BadgeDocument`: ``layers`` (with
``template_picker``, ``emblem`` and ``glyph_picker``), ``canvas`` and
``previews``, ``checks``, ``metadata``, and the ``toolbar`` with ``export``
and the ``family_dialog``. ``host`` is what a section may ask of the window;
``controls``, ``history`` and ``dialogs`` are shared by the sections.
``session`` (:class:`~ui.designer.session.DesignerSession`) opens a window and
does its saving through the app's background operations.
"""

from ui.designer.window import BadgeDesigner

__all__ = ["BadgeDesigner"]
