"""The layout, enforced: import-linter's contracts (``[tool.importlinter]`` in pyproject.toml)
run inside the test run, and the two rules a linter contract cannot say.

The contracts say: the core never imports Qt, the window or the command line; the program is
layered cli → selftest → gui → core; the core's stages import only the stages below them, in
pipeline order; the shared nouns at the top of the core import no stage; the window's three
views do not import each other; no package has an import cycle between its modules.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.paths import REPO

LINT = Path(sys.executable).with_name("lint-imports")
PACKAGE = REPO / "desk_app"


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    if not LINT.exists():
        pytest.fail(f"{LINT} is missing: install the test extras (pip install -e '.[test]')")
    return subprocess.run([str(LINT), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_every_import_contract_is_kept():
    proc = _lint(REPO)
    summary = re.search(r"Contracts: (\d+) kept, (\d+) broken", proc.stdout)
    assert summary, proc.stdout + proc.stderr
    kept, broken = map(int, summary.groups())
    assert (kept, broken, proc.returncode) == (kept, 0, 0), proc.stdout
    assert kept >= 6


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("core/names.py", "from PySide6 import QtCore", "The core never imports Qt"),
    ("core/detect/detector.py", "import desk_app.core.output.writers", "The core's stages in pipeline order"),
    ("gui/review/panel.py", "import desk_app.gui.compare.window", "The window's three views"),
    ("gui/theme.py", "import desk_app.gui.main_window", "No import cycles"),
])
def test_the_contracts_catch_a_wrong_way_import(tmp_path, module, line, contract):
    """The same contracts on a copy of the package with one wrong-way import added."""
    copy = tmp_path / "desk_app"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    proc = _lint(tmp_path)
    assert proc.returncode != 0, proc.stdout
    broken = proc.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken, proc.stdout


def test_at_most_eight_modules_sit_directly_in_the_core():
    """Files at the top of ``core/`` are the nouns every stage shares; each stage is a folder."""
    top = sorted(p.name for p in (PACKAGE / "core").glob("*.py") if p.name != "__init__.py")
    assert len(top) <= 8, top


def _private_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("desk_app.core"):
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
            found += [node.module] if any(part.startswith("_") for part in node.module.split(".")) else []
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("desk_app.core")
                      and any(part.startswith("_") for part in a.name.split("."))]
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__") \
                and isinstance(node.value, ast.Name) and node.value.id in _core_modules_imported(path):
            found.append(f"{node.value.id}.{node.attr}")
    return found


def _core_modules_imported(path: Path) -> set[str]:
    """Names bound to core modules in ``path`` (``from desk_app.core import x``, ``import ... as x``)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("desk_app.core"):
            names |= {a.asname or a.name for a in node.names if (PACKAGE / "core").joinpath(
                *node.module.split(".")[2:], a.name + ".py").exists()}
        elif isinstance(node, ast.Import):
            names |= {a.asname for a in node.names if a.asname and a.name.startswith("desk_app.core")}
    return names


def test_the_window_uses_the_core_only_through_its_public_names():
    offences = {str(p.relative_to(PACKAGE)): found for p in sorted((PACKAGE / "gui").rglob("*.py"))
                if (found := _private_imports(p))}
    assert offences == {}


def test_the_public_names_check_finds_a_private_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from desk_app.core.people.cluster import _split\nfrom desk_app.core.storage import autosave\n"
                     "autosave._private_thing()\n", encoding="utf-8")
    assert _private_imports(probe) == ["desk_app.core.people.cluster._split", "autosave._private_thing"]
