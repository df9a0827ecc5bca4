"""Find view text that translators would never see: a static read of ``ui/``.

A literal with words handed straight to a call that shows it (``setText("Apply")``,
``QLabel("Title:")``, ``tell(self, "Cannot export", …)``, ``message.emit(f"…")``)
is English for everyone; it must go through ``self.tr()`` or
``QCoreApplication.translate()``. And ``tr()`` itself needs a plain literal:
lupdate cannot read an f-string, a variable or a ``+``.

A line that shows a literal on purpose (a proper name, a key name) says so with a
``# i18n: not translated`` comment. Run ``python -m tests.ui.untranslated [FOLDER]``
for the list.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"
ALLOW = "# i18n: not translated"

#: Calls whose string arguments are shown to the user.
SHOWING = {
    "setText",
    "setWindowTitle",
    "setToolTip",
    "setStatusTip",
    "setWhatsThis",
    "setPlaceholderText",
    "setAccessibleName",
    "setAccessibleDescription",
    "setTitle",
    "addTab",
    "insertTab",
    "setTabText",
    "setTabToolTip",
    "addMenu",
    "addAction",
    "addItem",
    "addItems",
    "insertItem",
    "setItemText",
    "showMessage",
    "setHorizontalHeaderLabels",
    "setLabelText",
    "setOkButtonText",
    "setCancelButtonText",
    "setInformativeText",
    "setDetailedText",
    "setSuffix",
    "setPrefix",
    "setSpecialValueText",
    "setFormat",
    "addRow",
    "setHtml",
    "setPlainText",
    "addButton",
    "emit",
    "setNameFilter",
    "getSaveFileName",
    "getOpenFileName",
    "getText",
    "getItem",
    "getInt",
    "getMultiLineText",
    "QLabel",
    "QPushButton",
    "QCheckBox",
    "QRadioButton",
    "QGroupBox",
    "QAction",
    "QToolButton",
    "QMenu",
    "QCommandLinkButton",
    "tell",
    "ask",
    "ask_text",
    "show_status",
    "show_message",
    "set_status_style",
    "fail",
    "warn",
    "notice",
    "error",
    "message",
}
_WORDS = re.compile(r"[A-Za-z]{2,}")
_TRANSLATING = {"tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP"}


def _callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _wordy(node: ast.expr) -> bool:
    """A literal or f-string (or a concatenation of them) with words in its literal parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_WORDS.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_wordy(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _wordy(node.left) or _wordy(node.right)
    if isinstance(node, ast.IfExp):
        return _wordy(node.body) or _wordy(node.orelse)
    return False


def problems_in(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    where = path.relative_to(UI.parent).as_posix()
    found: list[str] = []
    for node in ast.walk(ast.parse(source, str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = _callee(node)
        if ALLOW in lines[node.lineno - 1]:
            continue
        if name in _TRANSLATING:
            # The message argument: tr(text, …), translate(context, text, …).
            index = 1 if name in {"translate", "QT_TRANSLATE_NOOP"} else 0
            if len(node.args) > index:
                text = node.args[index]
                if not (isinstance(text, ast.Constant) and isinstance(text.value, str)):
                    found.append(f"{where}:{node.lineno}: {name}() of something lupdate cannot read")
            continue
        if name not in SHOWING:
            continue
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        if any(_wordy(argument) for argument in arguments):
            found.append(f"{where}:{node.lineno}: untranslated text shown by {name}()")
    return found


def problems(folder: Path = UI) -> list[str]:
    found: list[str] = []
    for path in sorted(folder.rglob("*.py")):
        if "__pycache__" not in path.parts:
            found += problems_in(path)
    return found


if __name__ == "__main__":
    target = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else UI
    listed = problems(target)
    print("\n".join(listed))
    print(f"{len(listed)} problems", file=sys.stderr)
