"""Detection: Presidio over the offline spaCy pipeline plus the project's recognisers
(``recognizers/``), cleaned and resolved (``detector``)."""

from desk_app.core.detect.detector import (
    IDENTIFIER_TYPES,
    PERSON,
    PRIORITY,
    Detection,
    Detector,
    clean,
    resolve,
)

__all__ = ["IDENTIFIER_TYPES", "PERSON", "PRIORITY", "Detection", "Detector", "clean", "resolve"]
