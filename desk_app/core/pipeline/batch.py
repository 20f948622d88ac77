"""Reading, detecting and (when each file is its own case) anonymising many files, spread
over CPU cores.

The processes are ``desk_app.core.pipeline.workers``: a pool started with ``spawn`` on every OS, in
which each worker loads its own model once (the parent's is never pickled, and is not even
built when a factory is passed and the pool is used). Results come back in input order, so
output never depends on which worker finished first.

Without a shared mapping every file is a case of its own, so everything up to the
replacements runs in the worker (``AnonymiseEach``) and the parent only writes and scans,
file by file as the results come in: the whole batch, not only the language model, uses
every core. With a shared mapping the files form one case, which must be clustered
together, so the workers only read and detect (``detect_files``) and the parent anonymises.
Writing and scanning always stay in the parent (``pipeline.export``), which alone chooses
the copies' names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desk_app.core.anonymise import AnonymisedCase, anonymise_case
from desk_app.core.detect import Detector
from desk_app.core.document import SourceDocument
from desk_app.core.entities import Detection
from desk_app.core.people.mapping import CaseMapping
from desk_app.core.pipeline.workers import detect_in_pool, map_files, read_and_detect

__all__ = ["AnonymiseEach", "Detected", "Prepared", "anonymise_group", "detect_files", "prepare_each"]

#: One file's reading and detection: the document and its detections, or the one-line error.
Detected = tuple[SourceDocument | None, list[Detection] | None, str | None]


def detect_files(detector: Detector | Callable[[], Detector], paths: Sequence[Path], jobs: int = 0
                 ) -> list[Detected]:
    """Read and analyse every file; results in input order, errors as messages.

    ``jobs`` processes (0: one per core) through ``workers.detect_in_pool``; ``detector`` (or
    a factory for one) is used only when the work runs in this process."""
    return detect_in_pool(paths, jobs, detector=detector)


def anonymise_group(docs: Sequence[SourceDocument], detections: Sequence[Sequence[Detection]],
                    mapping: CaseMapping | None, complainant: str | None) -> tuple[AnonymisedCase, list[str]]:
    """One case's anonymisation and the warnings for its report.

    A ``complainant`` the case does not name is not fatal: the complainant is inferred
    instead, and a warning says so. Any other failure is raised to the caller."""
    try:
        return anonymise_case(docs, detections, mapping, complainant), []
    except ValueError as exc:
        if not complainant:
            raise
        warning = f"{docs[0].path}: {exc}; the complainant was inferred instead"
        return anonymise_case(docs, detections, mapping, None), [warning]


def failure_message(exc: Exception) -> str:
    return f"could not be anonymised ({type(exc).__name__}: {exc})"


@dataclass
class Prepared:
    """One file made ready to write: read, detected and anonymised as a case of its own; or
    the one-line reason it cannot be (``error``), with ``case`` None."""

    path: Path
    case: AnonymisedCase | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AnonymiseEach:
    """The ``FileWork`` that reads, detects and anonymises one file as its own case."""

    complainant: str | None = None

    def __call__(self, detector: Detector, path: Path) -> Prepared:
        doc, dets, error = read_and_detect(detector, path)
        if error or doc is None or dets is None:
            return Prepared(path, error=error or "could not be read")
        try:
            case, warnings = anonymise_group([doc], [dets], None, self.complainant)
        except Exception as exc:  # noqa: BLE001 - one bad case must not stop the batch
            return Prepared(path, error=failure_message(exc))
        return Prepared(path, case, warnings=warnings)

    def failed(self, path: Path, message: str) -> Prepared:
        return Prepared(path, error=message)


def prepare_each(detector: Detector | Callable[[], Detector], paths: Sequence[Path], jobs: int = 0,
                 complainant: str | None = None) -> Iterator[Prepared]:
    """Every file as its own anonymised case, in input order, each as soon as it is ready."""
    return map_files(paths, jobs, AnonymiseEach(complainant), detector=detector)
