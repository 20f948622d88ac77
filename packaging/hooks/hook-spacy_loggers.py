"""spacy-loggers registers its loggers through entry points: keep its metadata."""

from PyInstaller.utils.hooks import collect_submodules, copy_metadata

datas = copy_metadata("spacy-loggers")
hiddenimports = collect_submodules("spacy_loggers")
