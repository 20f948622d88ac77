"""Reading and detection over several processes, on every operating system.

Windows and macOS have no ``fork`` (macOS's is unsafe with its system libraries), and a
forked copy of a process that runs threads (the window, OpenBLAS) can deadlock; Python 3.12
warns about it and 3.14 stops forking by default. So the pool here is started with
``spawn`` by default: each worker is a fresh interpreter that imports this module and builds
its own ``Detector`` once, in the pool's initialiser, before its first file. Nothing of the
model is pickled; what travels between processes is a path one way and the
``SourceDocument`` with its detections the other way. The price is one model load per
worker (about 1.5 s, in parallel), which is why one process is used when there is only one
file or ``jobs`` is 1, with the caller's detector.

Results come back in input order whatever worker finished first, and a file that cannot be
read becomes its one-line message, as in a single process, so output never depends on
``jobs``. A worker that cannot load the model reports that for each of its files instead of
taking the batch down.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from desk_app.core.detect import Detection, Detector
from desk_app.core.document import SourceDocument
from desk_app.core.errors import DeskError
from desk_app.core.ingest import load_document

Result = tuple[SourceDocument | None, list[Detection] | None, str | None]

#: The start method when the caller names none: the same on every OS.
DEFAULT_START_METHOD = "spawn"

_DETECTOR: Detector | None = None     # this worker's engine
_LOAD_ERROR: str | None = None        # why this worker has none


def read_and_detect(detector: Detector, path: Path) -> Result:
    """One file: read it and find what is in it, or say in one line why not."""
    try:
        doc = load_document(path)
        return doc, detector.detect(doc), None
    except DeskError as exc:
        return None, None, exc.message
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        return None, None, f"unexpected error while reading ({type(exc).__name__}: {exc})"


def _start_worker() -> None:
    """Pool initialiser: the worker's one model load. A failure is kept, not raised: a raising
    initialiser breaks the whole pool, and the files would get no message of their own."""
    global _DETECTOR, _LOAD_ERROR
    try:
        _DETECTOR = Detector()
    except Exception as exc:  # noqa: BLE001 - reported per file below
        message = exc.message if isinstance(exc, DeskError) else f"{type(exc).__name__}: {exc}"
        _LOAD_ERROR = f"the language model could not be loaded in a worker process ({message})"


def _work(path: Path) -> Result:
    if _DETECTOR is None:
        return None, None, _LOAD_ERROR or "the worker process has no language model"
    return read_and_detect(_DETECTOR, path)


def worker_count(jobs: int, files: int) -> int:
    """``jobs`` processes (0: one per CPU core), never more than there are files."""
    return max(1, min(jobs or os.cpu_count() or 1, files))


def detect_in_pool(paths: Sequence[Path], jobs: int, *, start_method: str | None = None,
                   detector: Detector | Callable[[], Detector] | None = None) -> list[Result]:
    """Read and analyse every file; results in input order, errors as one-line messages.

    ``jobs`` is the number of processes (0: one per core). With one process (or one file) the
    work runs here, with ``detector`` if given (a factory is called then, and only then; else a
    new ``Detector``). Otherwise a pool of that many workers is started with ``start_method``
    (default ``spawn``, on every OS), each of which loads its own model once, and ``detector``
    is not used: so a caller that passes a factory loads no model of its own for nothing.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return []
    count = worker_count(jobs, len(paths))
    if count <= 1:
        if detector is None:
            engine = Detector()
        elif callable(detector):
            engine = detector()
        else:
            engine = detector
        return [read_and_detect(engine, p) for p in paths]
    context = multiprocessing.get_context(start_method or DEFAULT_START_METHOD)
    # Small chunks: files differ a lot in size, and a worker that drew the big ones should not
    # leave the others idle; but not one file per message when there are hundreds.
    chunk = max(1, len(paths) // (count * 4))
    with ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_start_worker) as pool:
        return list(pool.map(_work, paths, chunksize=chunk))
