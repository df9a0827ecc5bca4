"""A first start that took its profile's lock but listens only a moment later (a double-click on the
launcher): ``python -m tests.ui.late_listener PROFILE SECONDS``. It prints "locked" once it holds the
lock, listens after SECONDS, answers one "show" and exits."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from desktop import paths
from desktop.cache.locks import held
from ui.single_instance import LOCK_NAME, SHOW, SHOWN, server_name


def main(profile: str, delay: float) -> int:
    app = QCoreApplication([])
    with held(paths.profile_dir(profile) / LOCK_NAME):
        print("locked", flush=True)
        time.sleep(delay)
        server = QLocalServer()
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(server_name(profile)):
            return 1
        sockets: list[QLocalSocket] = []

        def read(socket: QLocalSocket) -> None:
            if bytes(socket.readAll().data()).startswith(SHOW):
                socket.write(SHOWN)
                socket.flush()
                QTimer.singleShot(500, app.quit)

        def answer() -> None:
            while (socket := server.nextPendingConnection()) is not None:
                sockets.append(socket)
                socket.readyRead.connect(lambda s=socket: read(s))
                if socket.bytesAvailable():
                    read(socket)

        server.newConnection.connect(answer)
        QTimer.singleShot(20_000, app.quit)
        app.exec()
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))
