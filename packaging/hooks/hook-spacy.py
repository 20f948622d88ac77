"""spaCy: its data files and every submodule except its own test suite.

spaCy registers pipeline factories and architectures as its modules are imported, and
imports many of them by name, so all submodules are collected (as the stock contrib hook
does); ``spacy.tests`` is left out because it needs pytest and is never imported at run
time. This hook takes precedence over the contrib one.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

datas = collect_data_files("spacy", excludes=["tests/**"])
hiddenimports = collect_submodules("spacy", filter=lambda name: not name.startswith("spacy.tests"))
