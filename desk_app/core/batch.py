"""Anonymising many files: load the model once, spread reading and detection over CPU
cores, then cluster and write each case.

Workers are forked after the model is loaded, so each shares the parent's copy of it
(copy-on-write) instead of loading its own: the model is loaded once per run, whatever
``jobs`` is. Clustering and writing are cheap and stay in the parent, in input order, so
output never depends on which worker finished first.

Every written copy is read back and searched for the case's original names and
identifiers (``leakscan.check_written``); a copy that still holds one is deleted and its
file reported as failed, with the places, while the rest of the batch goes on.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desk_app.core.anonymise import CaseResult, ReportRow, anonymise_case
from desk_app.core.detect import Detection, Detector
from desk_app.core.document import SourceDocument
from desk_app.core.errors import DeskError
from desk_app.core.ingest import load_document
from desk_app.core.leakscan import Leak, LeakError, LeakTerms, check_written
from desk_app.core.mapping import CaseMapping
from desk_app.core.writers import output_path, write_document

_DETECTOR: Detector | None = None  # the forked workers' inherited engine


@dataclass
class FileOutcome:
    """What became of one input file. ``leaks`` lists the places an original name was found
    in its copy (which was then deleted); ``notes`` are the reader's notes about the source
    and what the scrub removed from the copy, for the report."""

    source: Path
    output: Path | None = None
    error: str | None = None
    leaks: list[Leak] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class BatchResult:
    outcomes: list[FileOutcome] = field(default_factory=list)
    report: list[ReportRow] = field(default_factory=list)
    cases: list[CaseResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.error]


def _read_and_detect(path: Path) -> tuple[SourceDocument | None, list[Detection] | None, str | None]:
    try:
        doc = load_document(path)
        assert _DETECTOR is not None
        return doc, _DETECTOR.detect(doc), None
    except DeskError as exc:
        return None, None, exc.message
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        return None, None, f"unexpected error while reading ({type(exc).__name__}: {exc})"


def detect_files(detector: Detector, paths: Sequence[Path], jobs: int = 0
                 ) -> list[tuple[SourceDocument | None, list[Detection] | None, str | None]]:
    """Read and analyse every file; results in input order, errors as messages."""
    global _DETECTOR
    _DETECTOR = detector
    jobs = jobs or os.cpu_count() or 1
    jobs = min(jobs, len(paths))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [_read_and_detect(p) for p in paths]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs) as pool:
        return pool.map(_read_and_detect, paths, chunksize=max(1, len(paths) // (jobs * 4)))


def anonymise_files(paths: Sequence[Path], out_dir: Path, detector: Detector, *,
                    mapping: CaseMapping | None = None, complainant: str | None = None, jobs: int = 0,
                    progress: Callable[[str], None] | None = None) -> BatchResult:
    """Anonymise ``paths`` into ``out_dir``.

    Without a mapping each file is its own case; with one, all files form one case that
    shares it, and ``BatchResult.cases[0].mapping`` is the updated mapping to save.
    """
    result = BatchResult()
    detected = detect_files(detector, paths, jobs)
    good: list[tuple[Path, SourceDocument, list[Detection]]] = []
    for path, (doc, dets, error) in zip(paths, detected, strict=True):
        if error:
            result.outcomes.append(FileOutcome(path, error=error))
        else:
            assert doc is not None and dets is not None
            good.append((path, doc, dets))
    groups = [good] if mapping is not None else [[g] for g in good]
    written: dict[Path, Path] = {}   # output -> the source that wrote it: never overwrite
    for group in groups:
        if not group:
            continue
        docs = [g[1] for g in group]
        try:
            try:
                case = anonymise_case(docs, [g[2] for g in group], mapping, complainant)
            except ValueError as exc:
                if not complainant:
                    raise
                result.warnings.append(f"{docs[0].path}: {exc}; the complainant was inferred instead")
                case = anonymise_case(docs, [g[2] for g in group], mapping, None)
        except Exception as exc:  # noqa: BLE001 - one bad case must not stop the batch
            message = f"could not be anonymised ({type(exc).__name__}: {exc})"
            result.outcomes.extend(FileOutcome(path, error=message) for path, _, _ in group)
            continue
        result.cases.append(case)
        result.warnings.extend(f"{docs[0].path.name}: {w}" for w in case.warnings)
        terms = LeakTerms.from_result(case)
        for i, (path, doc, _) in enumerate(group):
            target = output_path(doc, out_dir)
            if target in written:
                result.outcomes.append(FileOutcome(path, error=(
                    f"would be written to {target.name}, which {written[target]} already wrote; "
                    "rename one of them or anonymise them separately")))
                continue
            written[target] = path
            notes = list(doc.notes)
            try:
                out = write_document(doc, case.replacements[i], out_dir, notes=notes)
                check_written(out, terms)
            except LeakError as exc:
                result.outcomes.append(FileOutcome(path, error=exc.message, leaks=exc.leaks, notes=notes))
                continue
            except DeskError as exc:
                result.outcomes.append(FileOutcome(path, error=exc.message, notes=notes))
                continue
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
                result.outcomes.append(FileOutcome(path, error=f"could not be written ({type(exc).__name__}: {exc})",
                                                   notes=notes))
                continue
            result.outcomes.append(FileOutcome(path, output=out, notes=notes))
            result.report.extend(r for r in case.report if r.file == str(doc.path))
            if progress:
                progress(str(out))
    order = {p: i for i, p in enumerate(paths)}
    result.outcomes.sort(key=lambda o: order.get(o.source, 0))
    return result
