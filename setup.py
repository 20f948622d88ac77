"""Ships ``resources/`` inside the wheel, so ``pip install .`` gives a working ``desk-app``.

Everything else about the package is in pyproject.toml. The resources (paragraph library,
Word template, sample case, sample drafts) live at the top of the repository so that people
can find and edit them; ``desk_app.resources`` looks there first, then in
``desk_app/resources/`` inside the installed package. A wheel has no repository around it, so
its build copies them to the second place. An editable install (``pip install -e .``) reads
the repository's folder directly and gets no copy. The screenshots and the scripts that made
the files are not needed at run time and stay out, as in the laptop bundle.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
#: What the program reads at run time, relative to resources/.
RUNTIME_RESOURCES = ("paragraph_library.yaml", "templates", "sample_case", "sample_compare")
LEFT_OUT = shutil.ignore_patterns("make_*.py", "*.sh", "__pycache__")


class BuildWithResources(build_py):
    """build_py, then resources/ copied into the built package (not for editable installs)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "desk_app" / "resources"
        for name in RUNTIME_RESOURCES:
            source = ROOT / "resources" / name
            if source.is_dir():
                shutil.copytree(source, target / name, ignore=LEFT_OUT, dirs_exist_ok=True)
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": BuildWithResources})
