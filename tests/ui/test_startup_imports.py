"""The first window of a start loads only what it shows: the rest waits for its first use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from desktop import paths
from desktop.secrets import SERVICE

ROOT = Path(__file__).resolve().parents[2]
#: A loopback port nothing listens on: the start's sync fails at once and the app works offline.
SERVER = "http://127.0.0.1:9"
#: Packages the first window does not need (the sandbox's server, migrations, the designer's icons,
#: the list importers' email and encoding checks).
NOT_AT_START = ("fastapi", "uvicorn", "alembic", "qtawesome", "email_validator", "charset_normalizer")
#: Modules imported when first used: the dialogs opened from the window, another dialect's
#: session (a v1 profile's own is imported by its sync's worker, which may already be at it).
MODULES_NOT_AT_START = (
    "ui.groupcheck.group_check_dialog",
    "desktop.group_check",
    "ui.shell.about_dialog",
    "desktop.dialects.discourse.session",
    "desktop.dialects.discourse.wire",
)

WATCH = textwrap.dedent(
    """
    import sys
    import ui.app

    make_application = ui.app.make_application

    def watched(options=()):
        app = make_application(options)
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QMainWindow

        def look():
            if any(isinstance(w, QMainWindow) and w.isVisible() for w in QApplication.topLevelWidgets()):
                print("LOADED", sorted(sys.modules), flush=True)
                app.quit()
            else:
                QTimer.singleShot(5, look)

        QTimer.singleShot(0, look)
        return app

    ui.app.make_application = watched
    sys.exit(ui.app.main(sys.argv[1:]))
    """
)


def test_the_first_window_loads_no_server_migrations_icon_fonts_or_unopened_dialogs(tmp_path: Path) -> None:
    keys = tmp_path / "keyring.json"
    keys.write_text(json.dumps({f"{SERVICE}/{paths.profile_id(SERVER)}": "token"}))
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "tests.ui.file_keyring.FileKeyring",
        "BADGEDESK_TEST_KEYRING": str(keys),
        "QT_QPA_PLATFORM": "offscreen",
    }
    starts = [
        subprocess.run(
            [sys.executable, "-c", WATCH, "--server", SERVER, "--server-kind", "badgedesk-v1"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        # The first start makes the cache's files (alembic builds them); the second opens them.
        for _start in range(2)
    ]
    line = next((line for line in starts[1].stdout.splitlines() if line.startswith("LOADED ")), None)
    assert line is not None, starts[1].stderr
    modules = set(json.loads(line.removeprefix("LOADED ").replace("'", '"')))
    packages = {name.split(".")[0] for name in modules}
    # The window really was built: the app's own packages are there.
    assert {"ui", "desktop", "PySide6", "sqlalchemy"} <= packages
    assert {"ui.shell.main_window", "desktop.dialects.registry"} <= modules
    assert [name for name in NOT_AT_START if name in packages] == []
    assert [name for name in MODULES_NOT_AT_START if name in modules] == []
