"""nameparser keeps its word lists (titles, suffixes, conjunctions) in ``nameparser.config``
modules that are imported by name."""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("nameparser")
