"""The one export path: read → detect → anonymise → write → scrub → scan → report.

Issue 12 found the export orchestrated in four places (the command line's batch, the
window, its engine worker and the selftest) with three versions of "never overwrite a
source", so every fix had to be made four times. Now every caller comes here, and every
guard lives here once:

- ``export_case``: the command line. Plans every write and checks it (``paths``) before a
  single file is read, then reads and detects (``batch``), anonymises, writes, scans, and
  writes the mapping and the report. One bad or leaky file is reported and the rest go on.
- ``export_reviewed``: the window and the selftest, whose documents are already detected
  and whose replacements come from a review. The same checks, writes and scan; all or
  nothing: if any copy still holds a name, or a write fails or is cancelled, every file
  this export wrote is deleted.

The scrub happens inside the writer (``writers.write_document``). Every copy is named by
``names.anonymised_stem`` (no client's name in a file name), never over an input, a file
of the same run or a special file; then read back by ``leakscan.check_written``, which
deletes it on a hit. No other module calls the writers or the scan
(tests/test_export_pipeline.py checks the source tree).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desk_app.core.anonymise import AnonymisedCase, ReportRow
from desk_app.core.atomic import write_file
from desk_app.core.detect import Detector
from desk_app.core.document import Replacement, SourceDocument
from desk_app.core.entities import Detection
from desk_app.core.errors import DeskError, OutputError
from desk_app.core.ingest import special_kind
from desk_app.core.ingest.scan import IMAGE_SUFFIXES
from desk_app.core.output.leakscan import Leak, LeakError, LeakTerms, check_written
from desk_app.core.output.report import build_report
from desk_app.core.output.writers import output_path, redacted_path, write_document, write_redacted
from desk_app.core.people.mapping import CaseMapping
from desk_app.core.pipeline.batch import Detected, anonymise_group, detect_files, failure_message, prepare_each
from desk_app.core.pipeline.names import anonymised_stem
from desk_app.core.pipeline.paths import PathIndex, PlannedWrite, check_output_folder, check_writes, path_key
from desk_app.core.pipeline.publish import REPORT_NAME, private_report_path

__all__ = ["REPORT_NAME", "WriteJob", "ExportResult", "FileOutcome", "ReviewedExport", "check_reviewed",
           "export_case", "export_reviewed"]

#: ``tick(done, total)``: progress, and the place a caller's cancel is raised.
Tick = Callable[[int, int], None]


@dataclass
class FileOutcome:
    """What became of one input file. ``leaks`` lists the places an original name was found
    in its copy (which was then deleted); ``notes`` are the reader's notes about the source,
    what the scrub removed from the copy and how the copy's file name was chosen."""

    source: Path
    output: Path | None = None
    error: str | None = None
    leaks: list[Leak] = field(default_factory=list)
    redacted: Path | None = None   # the redacted pages of a scanned source, beside ``output``
    notes: list[str] = field(default_factory=list)


@dataclass
class ExportResult:
    """Everything one export did: each file's outcome, the report rows of the copies written,
    the cases (``cases[0].mapping`` is the mapping to keep, with ``--mapping``), and every
    file left on disk (``written``: copies, decision, mapping, report)."""

    out_dir: Path
    outcomes: list[FileOutcome] = field(default_factory=list)
    report: list[ReportRow] = field(default_factory=list)
    cases: list[AnonymisedCase] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    leaks: list[Leak] = field(default_factory=list)
    report_path: Path | None = None
    terms_searched: int = 0
    possible: list[dict[str, Any]] = field(default_factory=list)   # possible names not replaced, with places

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.error]

    @property
    def refused(self) -> bool:
        """All or nothing and a copy held a name: nothing was left on disk."""
        return bool(self.leaks) and not self.written


@dataclass
class WriteJob:
    """One anonymised case, ready to write: each document with its replacements, the
    mapping that names the copies, the terms the scan looks for, and the report rows.
    ``kept`` holds, per document, original texts a reviewer chose to keep (not leaks)."""

    documents: list[SourceDocument]
    replacements: list[list[Replacement]]
    mapping: CaseMapping
    terms: LeakTerms
    rows: list[ReportRow]
    kept: list[list[str]] | None = None
    possible: list[dict[str, Any]] = field(default_factory=list)   # possible names not replaced

    @classmethod
    def from_result(cls, case: AnonymisedCase) -> WriteJob:
        return cls(list(case.documents), [list(r) for r in case.replacements], case.mapping,
                   LeakTerms.from_result(case), list(case.report),
                   [case.kept(i) for i in range(len(case.documents))],
                   [p.as_dict(str(case.documents[p.doc].path)) for p in case.possible])


@dataclass
class ReviewedExport:
    """What the window asks for, built on its own thread from the review so the worker never
    touches objects the window may change meanwhile. ``decision_json`` is the draft decision
    (``Decision.to_dict`` as JSON), written as ``decision-<reference>.docx`` and scanned too;
    ``report`` False writes no report (the selftest). The report lists every real name, so it
    is written beside ``out_dir``, never in it (``report_path``): ``out_dir`` holds only what
    may be published. ``review_counts`` says how each detection was decided (one by one, by
    person, Accept All) and ``kept_but_replaced`` what the review kept in one file but
    replaced in another; both go into the report."""

    case: WriteJob
    out_dir: Path
    people: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rejected: list[dict[str, Any]] | None = None
    unreviewed: int | None = None
    decision_json: str | None = None
    report: bool = True
    review_counts: dict[str, int] | None = None
    kept_but_replaced: list[dict[str, Any]] | None = None

    def report_path(self) -> Path | None:
        return private_report_path(self.out_dir) if self.report else None

    def decision_path(self) -> Path | None:
        if self.decision_json is None:
            return None
        reference = json.loads(self.decision_json).get("header", {}).get("reference", "") or "draft"
        return self.out_dir / f"decision-{str(reference).replace(' ', '')}.docx"


def _kind_by_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    return "docx" if suffix == ".docx" else "pdf" if suffix == ".pdf" else \
        "image" if suffix in IMAGE_SUFFIXES else "txt"


def _candidate(path: Path, out_dir: Path) -> PlannedWrite:
    """Where a source's copy goes before its name is anonymised: what the up-front check sees.

    (A scan's redacted pages go beside it, ``<stem>.redacted.png|pdf``: a name no source can
    have unless the user made it, and ``_Writer`` checks it against every source before writing.)"""
    stub = SourceDocument(path, _kind_by_suffix(path), "", [])
    return PlannedWrite(output_path(stub, out_dir), f"the anonymised copy of {path.name}", renamable=True)


def _make_folder(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder ({exc.strerror or exc})", out_dir) from None


class _Writer:
    """Writes the copies of one export, choosing each name clear of every other file."""

    def __init__(self, result: ExportResult, sources: Sequence[Path], reserved: Sequence[Path],
                 all_or_nothing: bool) -> None:
        self.result = result
        self.all_or_nothing = all_or_nothing
        self.sources = PathIndex()
        for p in sources:
            self.sources.add(p)
        self.taken = PathIndex()
        for p in reserved:
            self.taken.add(p)
        self.number = 0

    def _free(self, path: Path) -> bool:
        return self.sources.find(path) is None and self.taken.find(path) is None \
            and special_kind(path) is None and not path.is_dir()

    def target(self, doc: SourceDocument, case: WriteJob) -> tuple[str, list[str]]:
        """The copy's stem, and notes for the report when it is not the source's own."""
        notes: list[str] = []
        stem = anonymised_stem(doc.path.stem, case.mapping, case.terms)
        if stem is None:
            stem = f"document-{self.number}"
            notes.append(f"the file name held a name or identifier of the case, so the copy is named {stem}")
        elif stem != doc.path.stem:
            notes.append(f"the file name was anonymised: the copy is named {stem}")
        wanted, n = stem, 1
        while not all(self._free(p) for p in self._copies(doc, stem)):
            n += 1
            stem = f"{wanted} ({n})"
        if n > 1:
            notes.append(f"{output_path(doc, self.result.out_dir, wanted).name} was taken by another file of "
                         f"this export, so the copy is named {output_path(doc, self.result.out_dir, stem).name}")
        for path in self._copies(doc, stem):
            self.taken.add(path)
        return stem, notes

    def _copies(self, doc: SourceDocument, stem: str) -> list[Path]:
        """The files one source becomes: its copy, and the redacted pages of a scan."""
        redacted = redacted_path(doc, self.result.out_dir, stem)
        return [output_path(doc, self.result.out_dir, stem)] + ([redacted] if redacted is not None else [])

    def write(self, doc: SourceDocument, replacements: list[Replacement], case: WriteJob,
              kept: Sequence[str]) -> FileOutcome:
        """Write, scrub (in the writer) and scan one copy; on a leak the copy is already gone."""
        self.number += 1
        stem, name_notes = self.target(doc, case)
        notes = list(doc.notes) + name_notes
        outcome = FileOutcome(doc.path, notes=notes)
        written: list[Path] = []
        try:
            out = write_document(doc, replacements, self.result.out_dir, notes=notes, stem=stem)
            written.append(out)
            self.result.terms_searched = max(self.result.terms_searched, len(case.terms))
            check_written(out, case.terms, kept)
            # a scan's pixels, redacted, then read again by OCR as a person would read them
            if (redacted := write_redacted(doc, replacements, self.result.out_dir, stem)) is not None:
                written.append(redacted)
                check_written(redacted, case.terms, kept)
                outcome.redacted = redacted
        except LeakError as exc:
            _remove(written)   # a source's copies go together: one failing takes the others
            outcome.error, outcome.leaks = exc.message, list(exc.leaks)
            self.result.leaks.extend(exc.leaks)
            return outcome
        except Exception as exc:
            _remove(written)   # a source's copies go together: one failing takes the others
            if self.all_or_nothing:
                raise
            outcome.error = exc.message if isinstance(exc, DeskError) else \
                f"could not be written ({type(exc).__name__}: {exc})"
            return outcome
        except BaseException:   # interrupted: nothing of this source is left half-done
            _remove(written)   # a source's copies go together: one failing takes the others
            raise
        self.result.written.extend(written)
        outcome.output = out
        return outcome


def _remove(paths: Sequence[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


# ---------------------------------------------------------------- the command line

def _plan_case(paths: Sequence[Path], out_dir: Path, mapping_path: Path | None, report_path: Path | None
               ) -> list[PlannedWrite]:
    writes = [_candidate(p, out_dir) for p in paths]
    if mapping_path is not None:
        writes.append(PlannedWrite(mapping_path, "the mapping"))
    if report_path is not None:
        writes.append(PlannedWrite(report_path, "the report", unpublishable=True))
    return writes


def export_case(paths: Sequence[Path], out_dir: Path, detector: Detector | Callable[[], Detector], *,
                mapping_path: Path | None = None, report_path: Path | None = None, complainant: str | None = None,
                jobs: int = 0) -> ExportResult:
    """Anonymise ``paths`` into ``out_dir``: the command line's ``anonymise``.

    Refuses the whole run with one ``OutputError`` (nothing read, nothing written) if any
    planned write would land on an input, on another write of the run or on a special
    file, or if the report would sit in ``out_dir``. ``detector`` may be a factory, so
    that a refused run does not even load the model. Named pipes, sockets and devices
    among the inputs are refused one line each without being opened; the rest go on.

    Without ``mapping_path`` each file is its own case; with it, all files form one case
    that shares the mapping (read if the file exists, saved afterwards).
    """
    out_dir = Path(out_dir)
    paths = [Path(p) for p in paths]
    check_output_folder(out_dir)
    check_writes(_plan_case(paths, out_dir, mapping_path, report_path), paths, publish_dir=out_dir)
    for what, path in (("the mapping", mapping_path), ("the report", report_path)):
        # known now, not after the whole batch has run: the folder it goes in must be there
        if path is not None and not path.parent.is_dir() and path_key(path.parent) != path_key(out_dir):
            raise OutputError(f"the folder for {what} does not exist ({path.parent}); nothing was written", path)
    mapping = None
    if mapping_path is not None and mapping_path.exists():
        mapping = CaseMapping.load(mapping_path)
    elif mapping_path is not None:
        mapping = CaseMapping()
    _make_folder(out_dir)

    result = ExportResult(out_dir, report_path=report_path)
    readable: list[Path] = []
    for p in paths:
        kind = special_kind(p)
        if kind is not None:
            result.outcomes.append(FileOutcome(p, error=f"this is {kind}, not a file; it was not opened"))
        else:
            readable.append(p)
    reserved = [p for p in (mapping_path, report_path) if p is not None]
    writer = _Writer(result, paths, reserved, all_or_nothing=False)
    if mapping is None:
        # each file its own case: read, detected and anonymised in the workers, and written
        # here as soon as it comes back, while the workers go on with the next files
        for prepared in prepare_each(detector, readable, jobs, complainant):
            if prepared.case is None:
                result.outcomes.append(FileOutcome(prepared.path, error=prepared.error))
            else:
                result.warnings.extend(prepared.warnings)
                _write_case(prepared.case, writer)
    else:
        _anonymise_and_write(detect_files(detector, readable, jobs) if readable else [], readable, mapping,
                             complainant, writer)

    order = {p: i for i, p in enumerate(paths)}
    result.outcomes.sort(key=lambda o: order.get(o.source, 0))
    if mapping_path is not None and result.cases:
        result.cases[0].mapping.save(mapping_path)
        result.written.append(mapping_path)
    if report_path is not None:
        people = [p for case in result.cases for p in case.mapping.to_dict()["people"]]
        report = build_report(result.outcomes, result.report, people, result.warnings, possible=result.possible)
        write_file(report_path, json.dumps(report, indent=1, ensure_ascii=False))
        result.written.append(report_path)
    return result


def _anonymise_and_write(detected: list[Detected], paths: Sequence[Path], mapping: CaseMapping,
                         complainant: str | None, writer: _Writer) -> None:
    """All readable files as one case that shares ``mapping``: clustered together here."""
    result = writer.result
    good: list[tuple[SourceDocument, list[Detection]]] = []
    for path, (doc, dets, error) in zip(paths, detected, strict=True):
        if error or doc is None or dets is None:
            result.outcomes.append(FileOutcome(path, error=error))
        else:
            good.append((doc, dets))
    if not good:
        return
    try:
        case, warnings = anonymise_group([g[0] for g in good], [g[1] for g in good], mapping, complainant)
    except Exception as exc:  # noqa: BLE001 - one bad case must not stop the batch
        result.outcomes.extend(FileOutcome(doc.path, error=failure_message(exc)) for doc, _ in good)
        return
    result.warnings.extend(warnings)
    _write_case(case, writer)


def _write_case(case: AnonymisedCase, writer: _Writer) -> None:
    """Write, scan and report every copy of one anonymised case."""
    result = writer.result
    docs = case.documents
    result.cases.append(case)
    result.warnings.extend(f"{docs[0].path.name}: {w}" for w in case.warnings)
    todo = WriteJob.from_result(case)
    for i, doc in enumerate(docs):
        # a possible name left on purpose (listed in the report) is not a leak; any other name is
        outcome = writer.write(doc, todo.replacements[i], todo, todo.kept[i] if todo.kept else ())
        result.outcomes.append(outcome)
        if outcome.output is not None:
            result.report.extend(r for r in case.report if r.file == str(doc.path))
            result.possible.extend(p for p in todo.possible if p["file"] == str(doc.path))


# ---------------------------------------------------------------- the window and the selftest

def _plan_reviewed(request: ReviewedExport) -> list[PlannedWrite]:
    writes = [_candidate(d.path, request.out_dir) for d in request.case.documents]
    decision = request.decision_path()
    if decision is not None:
        writes.append(PlannedWrite(decision, "the decision"))
    report = request.report_path()
    if report is not None:
        writes.append(PlannedWrite(report, "the replacement report", unpublishable=True))
    return writes


def check_reviewed(request: ReviewedExport) -> None:
    """The up-front check of ``export_reviewed``, for the window to run before it starts the
    worker: one ``OutputError`` line if the export would write over a source, twice to one
    file, onto a special file or folder, or put the report among the copies to publish.
    Nothing is written."""
    check_output_folder(request.out_dir)
    check_writes(_plan_reviewed(request), [d.path for d in request.case.documents], publish_dir=request.out_dir)


def export_reviewed(request: ReviewedExport, tick: Tick | None = None) -> ExportResult:
    """Write a reviewed case's copies (and decision) into ``request.out_dir``, and its report
    beside that folder (``request.report_path()``).

    All or nothing: if any copy (or the decision) still holds a name the case knows, every
    file written is deleted and the result carries the leaks (``refused``); if a write
    fails or ``tick`` raises (a cancel), every file written is deleted and the exception
    goes on to the caller.
    """
    from desk_app.core.decision import export_docx
    from desk_app.core.decision.model import decision_from_json

    check_reviewed(request)
    case = request.case
    out_dir = request.out_dir
    decision_path = request.decision_path()
    report_path = request.report_path()
    result = ExportResult(out_dir, report_path=report_path, warnings=list(request.warnings))
    reserved = [p for p in (decision_path, report_path) if p is not None]
    writer = _Writer(result, [d.path for d in case.documents], reserved, all_or_nothing=True)
    total = len(case.documents) + (decision_path is not None) + request.report
    step = tick or (lambda _done, _total: None)
    try:
        _make_folder(out_dir)
        for i, doc in enumerate(case.documents):
            step(i, total)
            kept = case.kept[i] if case.kept is not None else ()
            result.outcomes.append(writer.write(doc, case.replacements[i], case, kept))
        if request.decision_json is not None and decision_path is not None:
            step(len(case.documents), total)
            export_docx(decision_from_json(request.decision_json), decision_path)
            result.written.append(decision_path)
            try:
                check_written(decision_path, case.terms)
            except LeakError as exc:
                result.written.remove(decision_path)
                result.leaks.extend(exc.leaks)
        if result.leaks:
            _remove(result.written)
            result.written.clear()
            return result
        written = {str(d.path) for d, o in zip(case.documents, result.outcomes, strict=True) if o.output}
        result.report = [r for r in case.rows if r.file in written]
        if report_path is not None:
            step(total - 1, total)
            result.possible = [p for p in case.possible if p["file"] in written]
            report = build_report(result.outcomes, result.report, request.people, request.warnings,
                                  rejected=request.rejected, unreviewed=request.unreviewed,
                                  possible=result.possible, review=request.review_counts,
                                  kept_but_replaced=request.kept_but_replaced)
            write_file(report_path, json.dumps(report, indent=1, ensure_ascii=False))
            result.written.append(report_path)
        step(total, total)
    except BaseException:
        _remove(result.written)   # cancelled or failed half-way: no half export is left behind
        result.written.clear()
        raise
    return result
