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
            # The message argument: tr(text, …), translate(context, text, …). A variable is
            # fine (a QT_TRANSLATE_NOOP table's entry looked up where shown); text built in
            # the call is not: lupdate extracts the f-string's pattern, never what runs.
            index = 1 if name in {"translate", "QT_TRANSLATE_NOOP"} else 0
            if len(node.args) > index and isinstance(node.args[index], (ast.JoinedStr, ast.BinOp, ast.Call)):
                found.append(
                    f"{where}:{node.lineno}: {name}() of text built in the call: lupdate cannot read it"
                )
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


class _Wrapped(ast.NodeVisitor):
    """Every (context, text) a tr()/translate() call with literals asks for, as lupdate should list it."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.classes: list[str] = []
        self.found: dict[tuple[str, str], str] = {}

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        self.generic_visit(node)
        self.classes.pop()

    def visit_Call(self, node: ast.Call) -> None:
        name, args = _callee(node), node.args
        literal = [
            arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None
            for arg in args
        ]
        pair: tuple[str | None, str | None] = (None, None)
        if name in {"tr", "QT_TR_NOOP"} and literal and self.classes:
            pair = (self.classes[-1], literal[0])
        elif name in {"translate", "QT_TRANSLATE_NOOP"} and len(literal) >= 2:
            pair = (literal[0], literal[1])
        context, text = pair
        if context is not None and text is not None:
            self.found.setdefault((context, text), f"{self.where}:{node.lineno}")
        self.generic_visit(node)


def wrapped(folder: Path = UI) -> dict[tuple[str, str], str]:
    """(context, text) → where, for every translation call with literal arguments under ``folder``."""
    found: dict[tuple[str, str], str] = {}
    for path in sorted(folder.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        visitor = _Wrapped(path.relative_to(UI.parent).as_posix())
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        for key, where in visitor.found.items():
            found.setdefault(key, where)
    return found
