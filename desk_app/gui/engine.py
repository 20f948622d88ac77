"""The one long-lived background worker that owns the NLP engine (Anki's pattern).

Loading the model takes a second or two and analysis longer on a big case, so both run
on a dedicated QThread; results come back to the GUI thread by queued signals. Requests
are served one at a time in arrival order. Cancelling sets a flag the worker checks after
every paragraph, and before every scanned page OCR reads (seconds each); the worker also
yields the GIL there, which is what keeps the window responsive while spaCy runs (a
QThread alone does not: Cython code holds the GIL).
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from desk_app.core.document import SourceDocument
from desk_app.core.entities import Detection
from desk_app.core.errors import DeskError
from desk_app.gui.tasks import WorkerThread

if TYPE_CHECKING:   # the pipeline (writers, scan) is imported when the first export runs, not at launch
    from desk_app.core.anonymise.review import CaseReview, ReviewState
    from desk_app.core.pipeline import ReviewedExport


class Cancelled(Exception):
    """Raised inside the worker when the user pressed Cancel."""


@dataclass
class Analysis:
    """What analysing a case's files produced; files that failed are listed with why."""

    request: int
    documents: list[SourceDocument] = field(default_factory=list)
    detections: list[list[Detection]] = field(default_factory=list)
    errors: list[tuple[Path, str]] = field(default_factory=list)
    seconds: float = 0.0
    review: CaseReview | None = None   # built on the worker: grouping people takes seconds on a big case
    review_error: str = ""             # why the saved review could not be applied (then it starts afresh)


def time_left(done: int, total: int, elapsed: float) -> str:
    """ "about 2 min left" from the rate so far; "" while too little is done to tell."""
    if done <= 0 or total <= done or elapsed < 1.0 or done < total * 0.02:
        return ""
    left = elapsed * (total - done) / done
    if left < 10:
        return "a few seconds left"
    if left < 90:
        return f"about {int(round(left, -1))} s left"
    return f"about {round(left / 60)} min left"


@dataclass
class ReadingProgress:
    """Steps of reading a case's files, for one honest bar: a file is one step until OCR
    says how many scanned pages it has, then each page is one (a page takes seconds, a text
    file a moment), so a bundle of scans does not sit at "1 of 2 files" for minutes."""

    files: int
    done: int = 0        # steps finished (files read, pages of earlier scans)
    extra: int = 0       # scanned pages found beyond the one step each file counts for
    pages: int = 0       # scanned pages of the file being read (0: none so far)
    began: float = 0.0   # when its first scanned page started

    @property
    def total(self) -> int:
        return self.files + self.extra

    def page(self, page: int, pages: int) -> None:
        if not self.pages:
            self.pages, self.began = pages, time.perf_counter()
            self.extra += max(pages - 1, 0)

    def file_done(self) -> None:
        self.done += max(self.pages, 1)
        self.pages = 0


@dataclass
class ExportJob:
    """An export request (``pipeline.ReviewedExport``, built on the GUI thread from the
    review so the worker never touches objects the GUI may change meanwhile)."""

    request: int
    export: ReviewedExport


class EngineWorker(QObject):
    """Lives on the engine thread; every slot runs there."""

    loading = Signal()
    ready = Signal(str)                 # a description of the loaded pipeline
    load_failed = Signal(str)
    progress = Signal(int, int, int, str)   # request, done, total, what
    analysed = Signal(object)           # Analysis
    exported = Signal(int, object)      # request, pipeline.ExportResult
    failed = Signal(int, str)           # request, one-line message
    cancelled = Signal(int)

    def __init__(self, detector: Any = None) -> None:
        super().__init__()
        self.detector = detector
        self.cancel_flag = threading.Event()

    @Slot()
    def load(self) -> None:
        if self.detector is not None:
            self.ready.emit(self._describe())
            return
        self.loading.emit()
        try:
            from desk_app.core.detect import Detector

            self.detector = Detector()
        except DeskError as exc:
            self.load_failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - the GUI must say why, not die
            self.load_failed.emit(f"the language model could not be loaded ({type(exc).__name__}: {exc})")
            return
        self.ready.emit(self._describe())

    def _describe(self) -> str:
        meta = getattr(getattr(self.detector, "nlp", None), "meta", {}) or {}
        return f"{meta.get('lang', 'en')}_{meta.get('name', 'core_web_md')} {meta.get('version', '')}".strip()

    def _tick(self, request: int, what: str) -> Callable[[int, int], None]:
        def tick(done: int, total: int) -> None:
            if self.cancel_flag.is_set():
                raise Cancelled
            self.progress.emit(request, done, total, what)
            time.sleep(0)   # let the GUI thread run between paragraphs
        return tick

    @Slot(int, list, object)
    def analyse(self, request: int, paths: Sequence[Path], state: ReviewState | None = None) -> None:
        """Read, detect and group people, reporting progress across the whole case: one
        count of paragraphs over every file with the time left, then the last phase by name
        (a big case spends seconds grouping its people after the last paragraph)."""
        from desk_app.core.detect import analysis_units
        from desk_app.core.ingest import load_document

        self.cancel_flag.clear()
        started = time.perf_counter()
        result = Analysis(request)
        try:
            if self.detector is None:
                self.load()
                if self.detector is None:
                    self.failed.emit(request, "the language model is not available")
                    return
            reading = ReadingProgress(len(paths))
            for n, path in enumerate(paths):
                if self.cancel_flag.is_set():
                    raise Cancelled
                files = f"({n + 1} of {len(paths)} files)"
                self.progress.emit(request, reading.done, reading.total, f"Reading {Path(path).name} {files}")
                try:
                    result.documents.append(load_document(path, self._page_tick(request, reading, Path(path).name,
                                                                                 files if len(paths) > 1 else "")))
                except Cancelled:
                    raise
                except DeskError as exc:
                    result.errors.append((Path(path), exc.message))
                except Exception as exc:  # noqa: BLE001 - one bad file must not stop the case
                    result.errors.append((Path(path), f"could not be read ({type(exc).__name__}: {exc})"))
                reading.file_done()
                time.sleep(0)
            sizes = [len(analysis_units(doc)) for doc in result.documents]   # what detect_many ticks over
            total, before, began = sum(sizes), 0, time.perf_counter()
            for n, doc in enumerate(result.documents):
                tick = self._case_tick(request, before, total, began,
                                       f"{doc.path.name} ({n + 1} of {len(result.documents)} files)")
                result.detections.extend(self.detector.detect_many([doc], batch_size=8, tick=tick))
                before += sizes[n]
            self.progress.emit(request, 0, 0, "Grouping people and choosing pseudonyms")
            self._cancel_point()
            from desk_app.core.anonymise.review import CaseReview

            try:
                result.review = CaseReview(result.documents, result.detections, state)
            except DeskError as exc:
                result.review_error = str(exc)
                result.review = CaseReview(result.documents, result.detections)
        except Cancelled:
            self.cancelled.emit(request)
            return
        except Exception as exc:  # noqa: BLE001
            traceback.print_exc()
            self.failed.emit(request, f"analysis failed ({type(exc).__name__}: {exc})")
            return
        result.seconds = time.perf_counter() - started
        self.analysed.emit(result)

    def _page_tick(self, request: int, reading: ReadingProgress, name: str, files: str) -> Callable[[int, int], None]:
        """``load_document``'s ``on_page`` for one file: before each scanned page (seconds of OCR
        each, on this thread), stop if Cancel was pressed, else say which page of how many."""
        def on_page(page: int, pages: int) -> None:
            self._cancel_point()
            reading.page(page, pages)
            left = time_left(page - 1, pages, time.perf_counter() - reading.began)
            what = f"Reading scanned page {page} of {pages} of {name}" + (f" {files}" if files else "")
            self.progress.emit(request, reading.done + page - 1, reading.total, what + (f", {left}" if left else ""))
            time.sleep(0)   # let the GUI thread run between pages
        return on_page

    def _cancel_point(self) -> None:
        if self.cancel_flag.is_set():
            raise Cancelled

    def _case_tick(self, request: int, before: int, total: int, began: float, where: str
                   ) -> Callable[[int, int], None]:
        """A tick for one file's paragraphs that reports the whole case's: paragraphs done
        over every file, and the time left at the rate so far."""
        def tick(done: int, _total: int) -> None:
            self._cancel_point()
            overall = before + done
            left = time_left(overall, total, time.perf_counter() - began)
            self.progress.emit(request, overall, total, f"Finding names: {where}" + (f", {left}" if left else ""))
            time.sleep(0)   # let the GUI thread run between paragraphs
        return tick

    @Slot(object)
    def export(self, job: ExportJob) -> None:
        """Run the one export path; a cancel (raised by the tick) leaves nothing written."""
        from desk_app.core.pipeline import export_reviewed

        self.cancel_flag.clear()
        try:
            result = export_reviewed(job.export, self._tick(job.request, "Exporting"))
        except Cancelled:
            self.cancelled.emit(job.request)
            return
        except DeskError as exc:
            self.failed.emit(job.request, str(exc))
            return
        except Exception as exc:  # noqa: BLE001
            traceback.print_exc()
            self.failed.emit(job.request, f"export failed ({type(exc).__name__}: {exc})")
            return
        self.exported.emit(job.request, result)


class Engine(QObject):
    """The GUI thread's handle on the worker: start it, send it requests, stop it."""

    _load = Signal()
    _analyse = Signal(int, list, object)
    _export = Signal(object)

    def __init__(self, detector: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = EngineWorker(detector)
        self.tasks = WorkerThread(self.worker, "desk-engine")
        self.thread = self.tasks.thread
        self._load.connect(self.worker.load)
        self._analyse.connect(self.worker.analyse)
        self._export.connect(self.worker.export)
        self._next = 0
        self.is_ready = False
        self.worker.ready.connect(self._on_ready)
        self.tasks.start()

    @Slot(str)
    def _on_ready(self, _info: str) -> None:
        self.is_ready = True

    def start(self) -> None:
        self._load.emit()

    def _request(self) -> int:
        self._next += 1
        return self._next

    def analyse(self, paths: Sequence[Path], state: ReviewState | None = None) -> int:
        """Analyse ``paths``; the review comes back built, with ``state`` applied if given."""
        request = self._request()
        self._analyse.emit(request, [Path(p) for p in paths], state)
        return request

    def export(self, export: ReviewedExport) -> int:
        request = self._request()
        self._export.emit(ExportJob(request, export))
        return request

    def cancel(self) -> None:
        self.worker.cancel_flag.set()

    def stop(self) -> None:
        self.cancel()
        self.tasks.stop()
