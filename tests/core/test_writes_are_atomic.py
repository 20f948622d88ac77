"""Every file Decision Desk writes goes through ``desk_app.core.atomic`` (issue 6, part 6).

An AST scan of ``desk_app/``: outside ``atomic.py`` no module may write a file directly.
What counts as a direct write:

- ``open()`` / ``io.open`` / ``codecs.open`` / ``<path>.open()`` / ``os.fdopen`` with a mode
  that writes (w, a, x or +), or a mode that is not a literal (it cannot be proved read-only);
- ``os.open`` with O_WRONLY, O_RDWR, O_CREAT, O_APPEND or O_TRUNC;
- ``Path.write_text`` / ``Path.write_bytes`` / ``Path.touch``;
- ``zipfile.ZipFile(target, "w"|"a"|"x")`` unless ``target`` is an in-memory buffer;
- ``.save(target)`` in a module that imports python-docx (a ``Document``) or Qt image
  classes, unless ``target`` is an in-memory buffer (``io.BytesIO``, ``QBuffer``);
- ``shutil.copy*`` / ``shutil.move``; ``os.rename`` / ``os.renames`` / ``os.replace`` /
  ``os.link`` / ``os.symlink`` / ``os.truncate``; ``Path.rename(x)`` / ``Path.replace(x)``
  (one argument: ``str.replace`` takes two) / ``symlink_to`` / ``hardlink_to``;
- ``tempfile.mkstemp`` / ``NamedTemporaryFile``; ``logging.FileHandler``; ``QFile`` /
  ``QSaveFile`` / ``QTextDocumentWriter`` / ``QPdfWriter`` / ``QImageWriter``.

QSettings is allowed: Qt writes its own settings file.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import pytest

from tests.helpers.paths import REPO

REPO = REPO
PACKAGE = REPO / "desk_app"
ALLOWED = {"desk_app/core/atomic.py"}

_MODE = re.compile(r"[rwaxbtU+]{1,4}")
_WRITE_MODE_CHARS = set("wax+")
_WRITE_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"}
_OS_WRITERS = {"rename", "renames", "replace", "link", "symlink", "truncate"}
_SHUTIL_WRITERS = {"copy", "copy2", "copyfile", "copytree", "copymode", "copystat", "move"}
_TEMPFILE_WRITERS = {"mkstemp", "NamedTemporaryFile"}
_QT_WRITERS = {"QFile", "QSaveFile", "QTextDocumentWriter", "QPdfWriter", "QImageWriter"}
_SAVING_LIBRARIES = ("docx", "openpyxl", "PIL")
_QT_IMAGES = {"QImage", "QPixmap", "QPicture"}
_IN_MEMORY = {"BytesIO", "StringIO", "QBuffer"}


@dataclass(frozen=True)
class Write:
    """One direct write: where it is (file, line, enclosing function) and what it is."""

    file: str
    line: int
    function: str
    what: str

    @property
    def key(self) -> tuple[str, str, str]:
        """Stable across edits elsewhere in the file (no line number)."""
        return (self.file, self.function, self.what)

    def __str__(self) -> str:
        return f"{self.file}:{self.line} in {self.function}(): {self.what}"


def _name(node: ast.AST) -> str:
    """Dotted name of a call's target: ``os.replace``, ``open``, ``x.save`` -> ``.save``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _name(node.value)
        return f"{inner}.{node.attr}" if isinstance(node.value, ast.Name | ast.Attribute) and inner else \
            f".{node.attr}"
    return ""


def _mode(call: ast.Call, position: int) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == "mode":
            return kw.value
    return call.args[position] if len(call.args) > position else None


def _writes(mode: ast.expr | None, default_writes: bool = False) -> str | None:
    """Why this mode writes, or None if it provably does not."""
    if mode is None:
        return "default mode" if default_writes else None
    if isinstance(mode, ast.Constant) and isinstance(mode.value, str):
        if not _MODE.fullmatch(mode.value):
            return None   # not a mode at all: ZipFile.open("word/document.xml")
        return f"mode {mode.value!r}" if _WRITE_MODE_CHARS & set(mode.value) else None
    return "a mode that is not a literal"


class _Scanner(ast.NodeVisitor):
    def __init__(self, file: str, tree: ast.Module) -> None:
        self.file = file
        self.found: list[Write] = []
        self.scope: list[str] = []
        self.memory_names: list[set[str]] = [set()]
        imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.module}
        qt_names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    for alias in node.names}
        self.saving_module = bool(imported & set(_SAVING_LIBRARIES)) or bool(qt_names & _QT_IMAGES)

    # -- scopes: which local names hold in-memory buffers -----------------------------------
    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.append(node.name)
        buffers = {t.id for n in ast.walk(node) if isinstance(n, ast.Assign) and self._in_memory(n.value)
                   for t in n.targets if isinstance(t, ast.Name)}
        buffers |= {a.arg for a in node.args.args + node.args.kwonlyargs
                    if a.annotation is not None and any(m in ast.unparse(a.annotation) for m in _IN_MEMORY)}
        self.memory_names.append(buffers)
        self.generic_visit(node)
        self.memory_names.pop()
        self.scope.pop()

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    def _in_memory(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Call):
            return _name(node.func).split(".")[-1] in _IN_MEMORY
        return isinstance(node, ast.Name) and node.id in self.memory_names[-1]

    def _add(self, node: ast.AST, what: str) -> None:
        function = ".".join(self.scope) or "<module>"
        self.found.append(Write(self.file, node.lineno, function, what))

    # -- the calls -----------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        last = name.split(".")[-1]
        if name in ("open", "io.open", "codecs.open", "os.fdopen"):
            why = _writes(_mode(node, 1))
            if why:
                self._add(node, f"{name}() with {why}")
        elif name == "os.open":
            flags = {n.attr if isinstance(n, ast.Attribute) else getattr(n, "id", "")
                     for arg in node.args[1:2] for n in ast.walk(arg)}
            if flags & _WRITE_FLAGS:
                self._add(node, f"os.open() with {', '.join(sorted(flags & _WRITE_FLAGS))}")
        elif name in ("zipfile.ZipFile", "ZipFile"):
            why = _writes(_mode(node, 1))
            if why and not (node.args and self._in_memory(node.args[0])):
                self._add(node, f"zipfile.ZipFile() on a file with {why}")
        elif name.startswith("shutil.") and last in _SHUTIL_WRITERS:
            self._add(node, f"{name}()")
        elif name.startswith("os.") and name.count(".") == 1 and last in _OS_WRITERS:
            self._add(node, f"{name}()")
        elif name in _TEMPFILE_WRITERS or name.removeprefix("tempfile.") in _TEMPFILE_WRITERS:
            self._add(node, f"{name}()")
        elif name in ("logging.FileHandler", "FileHandler"):
            self._add(node, "logging.FileHandler()")
        elif last in _QT_WRITERS and name in (last, f"QtCore.{last}", f"QtGui.{last}"):
            self._add(node, f"{last}()")
        elif isinstance(node.func, ast.Attribute):
            self._method(node, _name(node.func.value), last)
        self.generic_visit(node)

    def _method(self, node: ast.Call, receiver: str, last: str) -> None:
        positional = len(node.args)
        if last == "open":
            # Path.open(mode) takes the mode first, ZipFile.open(name, mode) second; a mode held
            # in a variable cannot be told from ZipFile.open(info), so only literals count here
            for index in (0, 1):
                mode = _mode(node, index)
                if isinstance(mode, ast.Constant) and _writes(mode):
                    self._add(node, f".open() with {_writes(mode)}")
                    return
        elif last in ("write_text", "write_bytes", "touch", "symlink_to", "hardlink_to"):
            self._add(node, f".{last}()")
        elif last in ("rename", "replace") and positional == 1 and not node.keywords \
                and receiver not in ("dataclasses", "copy"):
            self._add(node, f".{last}() of a path")
        elif last == "save" and positional >= 1 and self.saving_module and not self._in_memory(node.args[0]):
            self._add(node, ".save() to a file")


def scan_source(source: str, file: str = "<test>") -> list[Write]:
    tree = ast.parse(source)
    scanner = _Scanner(file, tree)
    scanner.visit(tree)
    return scanner.found


def scan_package() -> list[Write]:
    found: list[Write] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        if rel not in ALLOWED:
            found += scan_source(path.read_text(encoding="utf-8"), rel)
    return found


def test_every_write_goes_through_atomic() -> None:
    found = scan_package()
    assert not found, "files written outside desk_app.core.atomic:\n" + "\n".join(map(str, found))


# -- the scanner itself: it must catch each kind and leave ordinary code alone ------------------

@pytest.mark.parametrize("source", [
    "open(p, 'w')",
    "open(p, mode='a', encoding='utf-8')",
    "open(p, 'r+b')",
    "open(p, m)",
    "io.open(p, 'wb')",
    "Path(p).open('w')",
    "p.open(mode='x')",
    "zf.open('word/document.xml', 'w')",
    "os.fdopen(fd, 'w')",
    "os.open(p, os.O_WRONLY | os.O_CREAT)",
    "p.write_text('x')",
    "p.write_bytes(b'x')",
    "p.touch()",
    "zipfile.ZipFile(path, 'w')",
    "ZipFile(path, mode='a')",
    "shutil.copyfile(a, b)",
    "shutil.move(a, b)",
    "os.replace(a, b)",
    "os.rename(a, b)",
    "Path(a).rename(b)",
    "tmp.replace(target)",
    "tempfile.mkstemp()",
    "logging.FileHandler('x.log')",
    "QSaveFile('x')",
    "import docx\ndocx.Document().save('out.docx')",
    "import docx\ndef f(path):\n    d = docx.Document()\n    d.save(path)",
    "from PySide6.QtGui import QImage\ndef f(img, path):\n    img.save(path)",
], ids=lambda s: s.replace("\n", "; ")[:50])
def test_the_scanner_catches(source: str) -> None:
    assert len(scan_source(source)) == 1, scan_source(source)


@pytest.mark.parametrize("source", [
    "open(p)",
    "open(p, 'rb')",
    "p.open('rb')",
    "p.open(encoding='utf-8')",
    "zf.open(info)",
    "zf.open('word/document.xml')",
    "zipfile.ZipFile(path)",
    "os.open(p, os.O_RDONLY)",
    "'a-b'.replace('-', ' ')",
    "dataclasses.replace(header, title='x')",
    "when.replace(microsecond=0)",
    "review.rename(index, 'Mrs X')",
    "painter.save()",
    "mapping.save(path)",
    "import io, zipfile\ndef f():\n    buf = io.BytesIO()\n    with zipfile.ZipFile(buf, 'w') as z:\n        pass",
    "import docx, io\ndef f():\n    out = io.BytesIO()\n    docx.Document().save(out)",
    "from PySide6.QtCore import QSettings\nQSettings('x.ini', QSettings.Format.IniFormat).setValue('a', 1)",
    "from desk_app.core.atomic import savefile_open\nwith savefile_open(p, 'w') as f:\n    f.write('x')",
], ids=lambda s: s.replace("\n", "; ")[:50])
def test_the_scanner_leaves_alone(source: str) -> None:
    assert scan_source(source) == []
