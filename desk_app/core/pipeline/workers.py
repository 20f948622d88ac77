"""Work on many files over several processes, on every operating system.

Windows and macOS have no ``fork`` (macOS's is unsafe with its system libraries), and a
forked copy of a process that runs threads (the window, OpenBLAS) can deadlock; Python 3.12
warns about it and 3.14 stops forking by default. So the pool here is started with
``spawn`` by default: each worker is a fresh interpreter that imports this module and builds
its own ``Detector`` once, in the pool's initialiser, before its first file. Nothing of the
model is pickled; what travels between processes is the work (a small picklable object) and
a path one way, and the work's result (the document, its detections and, when each file is
its own case, its anonymisation) the other way. The price is one model load per worker
(about 1.5 s, in parallel), which is why one process is used when there is only one file or
``jobs`` is 1, with the caller's detector.

Results come back in input order whatever worker finished first, and as soon as they are
ready (a generator), so the caller writes file 1 while the workers read file 40, and a file
that cannot be read becomes its one-line message, as in a single process: output never
depends on ``jobs``. A worker that cannot load the model reports that for each of its files
instead of taking the batch down.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Protocol

from desk_app.core.detect import Detector
from desk_app.core.document import SourceDocument
from desk_app.core.entities import Detection
from desk_app.core.errors import DeskError
from desk_app.core.ingest import load_document

Result = tuple[SourceDocument | None, list[Detection] | None, str | None]

#: The start method when the caller names none: the same on every OS.
DEFAULT_START_METHOD = "spawn"

_DETECTOR: Detector | None = None     # this worker's engine
_LOAD_ERROR: str | None = None        # why this worker has none


class FileWork[T](Protocol):
    """What is done to one file: a module-level class, so that a spawned worker can unpickle it."""

    def __call__(self, detector: Detector, path: Path) -> T: ...

    def failed(self, path: Path, message: str) -> T:
        """The result for a file that could not be worked on at all (no model in the worker)."""
        ...


def read_and_detect(detector: Detector, path: Path) -> Result:
    """One file: read it and find what is in it, or say in one line why not."""
    try:
        doc = load_document(path)
        return doc, detector.detect(doc), None
    except DeskError as exc:
        return None, None, exc.message
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        return None, None, f"unexpected error while reading ({type(exc).__name__}: {exc})"


class ReadAndDetect:
    """``read_and_detect`` as a ``FileWork``."""

    def __call__(self, detector: Detector, path: Path) -> Result:
        return read_and_detect(detector, path)

    def failed(self, path: Path, message: str) -> Result:
        return None, None, message


def _start_worker() -> None:
    """Pool initialiser: the worker's one model load. A failure is kept, not raised: a raising
    initialiser breaks the whole pool, and the files would get no message of their own."""
    global _DETECTOR, _LOAD_ERROR
    try:
        _DETECTOR = Detector()
    except Exception as exc:  # noqa: BLE001 - reported per file below
        message = exc.message if isinstance(exc, DeskError) else f"{type(exc).__name__}: {exc}"
        _LOAD_ERROR = f"the language model could not be loaded in a worker process ({message})"


def _work[T](work: FileWork[T], path: Path) -> T:
    if _DETECTOR is None:
        return work.failed(path, _LOAD_ERROR or "the worker process has no language model")
    return work(_DETECTOR, path)


#: With ``jobs`` 0 (every core), a batch smaller than this many bytes runs in one process:
#: starting a pool costs about a second more than loading one model here (measured in
#: RESULTS.md), which a few short files never earn back; a 200-page bundle or a few hundred
#: case notes earn it many times over.
AUTO_POOL_BYTES = 256 * 1024


def worker_count(jobs: int, files: int) -> int:
    """``jobs`` processes (0: one per CPU core), never more than there are files."""
    return max(1, min(jobs or os.cpu_count() or 1, files))


def _batch_bytes(paths: Sequence[Path]) -> int:
    total = 0
    for p in paths:
        try:
            total += p.stat().st_size
        except OSError:
            pass   # (the reader says what is wrong with it, in its own line)
    return total


def map_files[T](paths: Sequence[Path], jobs: int, work: FileWork[T], *, start_method: str | None = None,
              detector: Detector | Callable[[], Detector] | None = None) -> Iterator[T]:
    """``work(detector, path)`` for every path, yielded in input order as each is ready.

    ``jobs`` is the number of processes (0: one per core, or one for a batch smaller than
    ``AUTO_POOL_BYTES``). With one process (or one file) the
    work runs here, with ``detector`` if given (a factory is called then, and only then; else a
    new ``Detector``). Otherwise a pool of that many workers is started with ``start_method``
    (default ``spawn``, on every OS), each of which loads its own model once, and ``detector``
    is not used: so a caller that passes a factory loads no model of its own for nothing.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return
    count = worker_count(jobs, len(paths))
    if jobs == 0 and _batch_bytes(paths) < AUTO_POOL_BYTES:
        count = 1
    if count <= 1:
        if detector is None:
            engine = Detector()
        elif callable(detector) and not isinstance(detector, Detector):
            engine = detector()
        else:
            engine = detector
        for p in paths:
            yield work(engine, p)
        return
    context = multiprocessing.get_context(start_method or DEFAULT_START_METHOD)
    # Small chunks: files differ a lot in size, and a worker that drew the big ones should not
    # leave the others idle; but not one file per message when there are hundreds.
    chunk = max(1, min(8, len(paths) // (count * 4)))
    with ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_start_worker) as pool:
        yield from pool.map(functools.partial(_work, work), paths, chunksize=chunk)


def detect_in_pool(paths: Sequence[Path], jobs: int, *, start_method: str | None = None,
                   detector: Detector | Callable[[], Detector] | None = None) -> list[Result]:
    """Read and analyse every file (``map_files`` with ``ReadAndDetect``), as a list."""
    return list(map_files(paths, jobs, ReadAndDetect(), start_method=start_method, detector=detector))
