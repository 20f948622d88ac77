"""Shared fixtures. The real spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# ONNX Runtime (the OCR engine) queues usage telemetry in ~/.cache/Microsoft unless told not to;
# the program says so at startup (netguard.disable_telemetry), the tests that import it directly here.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def detector():
    from desk_app.core.detect import Detector

    return Detector()


@pytest.fixture(scope="session")
def anonymise_texts(detector):
    """Anonymise in-memory texts as one case; returns (AnonymisedCase, [output texts])."""
    from desk_app.core.anonymise import anonymise_case
    from desk_app.core.document import Paragraph, SourceDocument

    def run(*texts: str, mapping=None, complainant=None):
        docs = []
        for i, text in enumerate(texts):
            paras, pos = [], 0
            for line in text.split("\n"):
                if line.strip():
                    paras.append(Paragraph(line, pos, "text"))
                pos += len(line) + 1
            docs.append(SourceDocument(Path(f"doc{i}.txt"), "txt", text, paras))
        result = anonymise_case(docs, detector.detect_many(docs), mapping, complainant)
        return result, [result.anonymised_text(i) for i in range(len(docs))]

    return run
