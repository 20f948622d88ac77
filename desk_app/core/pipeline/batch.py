"""Reading and detecting many files: load the model once, spread the work over CPU cores.

Workers are forked after the model is loaded, so each shares the parent's copy of it
(copy-on-write) instead of loading its own: the model is loaded once per run, whatever
``jobs`` is. Results come back in input order, so output never depends on which worker
finished first. Clustering, writing and scanning stay in the parent (``pipeline.export``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from pathlib import Path

from desk_app.core.detect import Detection, Detector
from desk_app.core.document import SourceDocument
from desk_app.core.errors import DeskError
from desk_app.core.ingest import load_document

__all__ = ["Detected", "detect_files", "read_and_detect"]

#: One file's reading and detection: the document and its detections, or the one-line error.
Detected = tuple[SourceDocument | None, list[Detection] | None, str | None]

_DETECTOR: Detector | None = None  # the forked workers' inherited engine


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


def detect_files(detector: Detector, paths: Sequence[Path], jobs: int = 0) -> list[Detected]:
    """Read and analyse every file; results in input order, errors as messages."""
    global _DETECTOR
    _DETECTOR = detector
    jobs = jobs or os.cpu_count() or 1
    jobs = min(jobs, len(paths))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [read_and_detect(p) for p in paths]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs) as pool:
        return pool.map(read_and_detect, paths, chunksize=max(1, len(paths) // (jobs * 4)))
