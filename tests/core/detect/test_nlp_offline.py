"""The language pipeline is the pinned model, loaded by path, and nothing touches the network."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from desk_app.core.detect import nlp
from tests.helpers.paths import TESTS

pytestmark = pytest.mark.slow
DATA = TESTS / "data" / "roundtrip"


class NetworkBlocked(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection or resolve a host fails the test."""
    def refuse(*args, **kwargs):
        raise NetworkBlocked(f"network access attempted: {args[:2]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_model_is_pinned_and_loaded_by_absolute_path():
    path = nlp.model_path()
    assert path.is_absolute() and (path / "meta.json").is_file()
    loaded = nlp.load_spacy()
    assert loaded.meta["version"] == nlp.MODEL_VERSION == "3.8.0"
    assert loaded.meta["name"] == "core_web_md"
    # only NER runs; the tagger, parser and lemmatiser are not even loaded
    assert loaded.pipe_names == ["ner"]


def test_fast_vocabulary_load_finds_the_same_entities_as_a_full_load():
    texts = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.raw.txt"))]
    paras = [line for t in texts for line in t.split("\n") if line.strip()]

    def ents(model):
        return [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in model.pipe(paras)]

    fast, full = nlp.load_spacy(), nlp.load_spacy_full()
    assert len(fast.vocab.strings) < len(full.vocab.strings) / 10
    assert ents(fast) == ents(full)


def test_analysis_with_sockets_blocked(no_network, detector):
    from desk_app.core.document import Paragraph, SourceDocument

    text = ("Mrs Cheryl Laffey wrote from cheryl.laffey@example.co.uk about "
            "https://www.lgo.org.uk/decisions and said Mr Shaun Laffey agreed.")
    doc = SourceDocument(Path("x.txt"), "txt", text, [Paragraph(text, 0, "text")])
    found = {(d.entity, d.text) for d in detector.detect(doc)}
    assert ("PERSON", "Mrs Cheryl Laffey") in found
    assert ("PERSON", "Mr Shaun Laffey") in found
    assert ("EMAIL_ADDRESS", "cheryl.laffey@example.co.uk") in found
    # a fresh extractor, as a new process would build, must not fetch either
    import tldextract

    nlp.keep_offline()
    assert tldextract.extract("someone@example.org.uk").suffix == "org.uk"


def test_presidio_never_downloads_a_model(monkeypatch, detector):
    import spacy.cli

    monkeypatch.setattr(spacy.cli, "download", lambda *a, **k: pytest.fail("download attempted"))
    from desk_app.core.detect import Detector

    Detector()  # building a second engine loads from the path again, never by name
