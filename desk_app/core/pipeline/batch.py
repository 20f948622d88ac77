"""Reading and detecting many files, spread over CPU cores.

The processes are ``desk_app.core.workers``: a pool started with ``spawn`` on every OS, in
which each worker loads its own model once (the parent's is never pickled, and is not even
built when a factory is passed and the pool is used). Results come back in input order, so
output never depends on which worker finished first. Clustering, writing and scanning stay
in the parent (``pipeline.export``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from desk_app.core.detect import Detection, Detector
from desk_app.core.document import SourceDocument
from desk_app.core.errors import DeskError
from desk_app.core.ingest import load_document
from desk_app.core.workers import detect_in_pool

__all__ = ["Detected", "detect_files", "read_and_detect"]

#: One file's reading and detection: the document and its detections, or the one-line error.
Detected = tuple[SourceDocument | None, list[Detection] | None, str | None]

_DETECTOR: Detector | None = None  # read_and_detect's engine (the pool's workers have their own)


def read_and_detect(path: Path) -> Detected:
    """Read one file and find what is personal in it; a bad file is a message, not an exception."""
    try:
        doc = load_document(path)
        assert _DETECTOR is not None
        return doc, _DETECTOR.detect(doc), None
    except DeskError as exc:
        return None, None, exc.message
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        return None, None, f"unexpected error while reading ({type(exc).__name__}: {exc})"


def detect_files(detector: Detector | Callable[[], Detector], paths: Sequence[Path], jobs: int = 0
                 ) -> list[Detected]:
    """Read and analyse every file; results in input order, errors as messages.

    ``jobs`` processes (0: one per core) through ``workers.detect_in_pool``; ``detector`` (or
    a factory for one) is used only when the work runs in this process."""
    return detect_in_pool(paths, jobs, detector=detector)
