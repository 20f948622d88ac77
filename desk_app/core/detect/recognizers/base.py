"""The base of the project's regex recognisers."""

from __future__ import annotations

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from desk_app.core.entities import PERSON


class RegexRecognizer(LocalRecognizer):
    """Base for recognisers driven by precompiled case-sensitive patterns (Presidio's
    PatternRecognizer applies its registry-wide IGNORECASE flag, which would let 'mrs smith'
    or 'the child protection' through)."""

    patterns: tuple[regex.Pattern[str], ...] = ()
    score = 0.85
    groups = ("name",)
    entity = PERSON

    def __init__(self) -> None:
        super().__init__(supported_entities=[self.entity], name=type(self).__name__, supported_language="en")

    def load(self) -> None:  # patterns are compiled at import time
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for pattern in self.patterns:
            for m in pattern.finditer(text):
                for span in self.spans(m, text):
                    if span is not None:
                        results.append(RecognizerResult(self.entity, span[0], span[1], self.score,
                                                        recognition_metadata={
                                                            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return results

    def spans(self, m: regex.Match[str], text: str) -> list[tuple[int, int] | None]:
        raise NotImplementedError
