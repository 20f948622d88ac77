"""Presidio's anonymizer: its operators are looked up by class name, not imported directly."""

from PyInstaller.utils.hooks import collect_submodules, copy_metadata

datas = copy_metadata("presidio_anonymizer")
hiddenimports = collect_submodules("presidio_anonymizer")
