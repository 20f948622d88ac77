"""Presidio's analyzer: its YAML configuration and every predefined recogniser.

``presidio_analyzer/conf/*.yaml`` is read by path at run time (the default recogniser and
NLP configurations), and the predefined recognisers are imported by name from the
registry, so neither is found by following imports.
"""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, copy_metadata

datas = collect_data_files("presidio_analyzer") + copy_metadata("presidio_analyzer")
hiddenimports = collect_submodules("presidio_analyzer.predefined_recognizers") + collect_submodules(
    "presidio_analyzer.nlp_engine")
