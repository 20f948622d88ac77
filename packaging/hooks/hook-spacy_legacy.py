"""spacy-legacy registers its architectures through entry points (``spacy_architectures``,
``spacy_loggers``, ``thinc_layers``), which catalogue reads from the distribution's
metadata; nothing imports its modules directly, so both the modules and the metadata
must be collected."""

from PyInstaller.utils.hooks import collect_submodules, copy_metadata

datas = copy_metadata("spacy-legacy")
hiddenimports = collect_submodules("spacy_legacy")
