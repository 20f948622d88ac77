"""Detection: Presidio over the offline spaCy pipeline (``nlp``) plus the project's
recognisers (``recognizers/``), cleaned and resolved (``detector``). The kinds it finds and
the ``Detection`` it returns are in ``desk_app.core.entities``, below every stage."""

from desk_app.core.detect.detector import Detector, clean, resolve
from desk_app.core.detect.reflow import analysis_units

__all__ = ["Detector", "analysis_units", "clean", "resolve"]
