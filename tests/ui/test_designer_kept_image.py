"""The designer keeps a server badge's own image until a layer changes (issue 17).

Before, a badge made elsewhere opened wrapped in the default circle and ring, and saving it
unchanged queued that new image over the server's.
"""

from __future__ import annotations

import base64
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.designer.document import Shape
from desktop.designer.drafts import design_from_svg
from desktop.domain import Action, ActionKind, ActionState
from tests.core.test_design_document import png
from tests.core.test_drafts import cache_badge, server_badge
from tests.ui.test_designer_session import app
from ui.designer import BadgeDesigner
from ui.designer.session import DesignerSession
from ui.session.app_session import AppSession

__all__ = ["app"]  # the fixture


def badge_saves(app: AppSession) -> list[Action]:
    return [a for a in app.community.outbox.actions() if a.kind is ActionKind.BADGE_SAVE]


def open_server_badge(qtbot: QtBot, app: AppSession) -> tuple[DesignerSession, BadgeDesigner, list[str]]:
    cache_badge(app.community.cache, server_badge())
    [badge] = app.community.cache.badges()
    session = DesignerSession(app, community="Pythonistas")
    opened: list[BadgeDesigner] = []
    messages: list[str] = []
    session.opened.connect(opened.append)
    session.message.connect(messages.append)
    session.open_badge(badge)
    qtbot.waitUntil(lambda: bool(opened))
    designer = opened[0]
    qtbot.addWidget(designer)
    designer.ask = lambda _title, _text: "discard"
    qtbot.waitUntil(lambda: designer.render_count >= 1 and app.tasks.active == 0)
    return session, designer, messages


def saved(qtbot: QtBot, app: AppSession, designer: BadgeDesigner, messages: list[str]) -> str:
    before = len(messages)
    assert designer.save()
    qtbot.waitUntil(lambda: len(messages) > before and app.tasks.active == 0)
    return messages[-1]


def test_open_and_save_sends_nothing_then_a_title_keeps_the_image_and_a_shape_sends_the_design(
    qtbot: QtBot, app: AppSession, artifacts: Path
) -> None:
    _session, designer, messages = open_server_badge(qtbot, app)
    assert designer.document.design.kept_image
    assert "kept as it is" in designer.notes_banner.text()
    designer.resize(1200, 760)
    designer.show()
    qtbot.waitExposed(designer)
    designer.grab().save(str(artifacts / "designer_kept_server_image.png"))

    # Opened and saved without a change: nothing queued.
    assert (
        saved(qtbot, app, designer, messages) == "“Old Timer”: nothing to send, the server has this version."
    )
    assert badge_saves(app) == []

    # The title only: the fields go, the server keeps its image.
    qtbot.keyClick(designer.title_edit, "a", Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(designer.title_edit, "Old Timer II")
    designer.end_text_gesture()
    assert designer.document.design.kept_image
    assert saved(qtbot, app, designer, messages) == "“Old Timer II” saved; it is sent with the outbox."
    [action] = badge_saves(app)
    assert action.payload["fields"]["title"] == "Old Timer II" and action.payload["image"] is None

    # A new shape: the layers are the design now, and their drawing is sent.
    designer.shape_combo.setCurrentIndex(designer.shape_combo.findData(Shape.SHIELD))
    design = designer.document.design
    assert not design.kept_image and design.shape is Shape.SHIELD
    image = design.emblem.image
    assert image is not None and image.data == png()
    saved(qtbot, app, designer, messages)
    [action] = badge_saves(app)  # the unsent save was replaced
    assert action.state is ActionState.PENDING
    assert design_from_svg(base64.b64decode(action.payload["image"])) == design
    designer.grab().save(str(artifacts / "designer_kept_image_reshaped.png"))
