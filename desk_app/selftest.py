"""``desk-app --selftest``: does this installation work, here, offline?

The offline laptop bundle is copied to machines no developer can reach, so it carries its
own check: the investigator (or IT) runs ``desk-app --selftest`` and gets one line per step
and an exit status. The steps exercise every part of the bundle that a packaging mistake
could break: the model and its spaCy registrations, Presidio's recognisers and tldextract's
snapshot (model loaded), the resources folder (sample anonymised), Qt and its platform
plugin (main window shown), python-docx's templates and lxml (docx written) and the leak
scanner (docx leak-scanned), and the OCR engine with its models, ONNX Runtime and OpenCV
(scan read: a letter line drawn here, at run time, is read back). The same check runs from a
source install and from the frozen build, with sockets blocked, in CI.

Output, agreed with the benchmark script that parses it::

    ok   model loaded               0.412 s  en_core_web_md 3.8.0 (ner) from ...; network blocked
    ...
    selftest passed in 3.21 s; launch to window shown 1.10 s

Nothing is written outside a temporary folder: the copies go there, and so do settings and
autosaves (``DESK_APP_DATA_DIR`` points there for the run), so the user's profile is never
touched.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STEPS = ("model loaded", "sample anonymised", "main window shown", "docx written", "docx leak-scanned",
         "scan read")
WINDOW_TIMEOUT_S = 20.0
STEP_RE = re.compile(r"^(?P<status>ok  |FAIL) (?P<step>.{24}) (?P<seconds> *\d+\.\d{3}) s  (?P<detail>.+)$")
SUMMARY_RE = re.compile(r"^selftest (?P<result>passed|FAILED) in (?P<total>\d+\.\d\d) s; "
                        r"launch to window shown (?P<window>\d+\.\d\d) s$")


class StepFailed(Exception):
    """A step ran but its check did not hold; the message is the one-line reason."""


@dataclass
class Step:
    name: str
    passed: bool
    seconds: float
    detail: str

    def line(self) -> str:
        return f"{'ok' if self.passed else 'FAIL':4} {self.name:<24} {self.seconds:7.3f} s  {self.detail}"


@dataclass
class _State:
    """What one step hands to the next."""

    tmp: Path
    detector: Any = None
    result: Any = None
    docx_index: int | None = None
    written: Path | None = None
    export: Any = None   # the pipeline's ExportResult
    gui_import: tuple[float, BaseException | None] = (0.0, None)
    window_exposed_at: float | None = None
    steps: list[Step] = field(default_factory=list)


def seconds_since_process_start() -> float | None:
    """How long ago the kernel started this process (Linux ``/proc``), or None elsewhere.

    The frozen bundle spends real time before any Python runs (the bootloader, loading
    libpython and the archive), so the launch clock starts at process creation, not at
    the first line of Python.
    """
    try:
        stat = Path("/proc/self/stat").read_text()
        fields = stat[stat.rindex(")") + 2:].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        uptime = float(Path("/proc/uptime").read_text().split()[0])
    except (OSError, ValueError, IndexError, AttributeError):
        return None
    return max(0.0, uptime - started)


def _launch_clock(launched_at: float | None) -> float:
    """``time.perf_counter()`` at process start, as best it can be known."""
    now = time.perf_counter()
    since = seconds_since_process_start()
    fallback = launched_at if launched_at is not None else now
    if since is None or now - since > fallback:   # /proc disagrees with what we saw ourselves
        return fallback
    return now - since


def _one_line(exc: BaseException) -> str:
    """Our own errors are already sentences for the user; anything else is named by type."""
    from desk_app.core.errors import DeskError

    text = " ".join(str(exc).split()) or "(no message)"
    return text if isinstance(exc, StepFailed | DeskError) else f"{type(exc).__name__}: {text}"


# ---------------------------------------------------------------- the steps

def _model(state: _State) -> str:
    from desk_app import netguard
    from desk_app.core.detect import Detector
    from desk_app.core.detect.nlp import model_path

    state.detector = Detector()
    meta = state.detector.nlp.meta
    guard = "network blocked" if netguard.installed() else "network not blocked"
    return (f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')} ({', '.join(state.detector.nlp.pipe_names)})"
            f" from {model_path()}; {guard}")


def _sample(state: _State) -> str:
    from desk_app.core.anonymise import anonymise_case
    from desk_app.core.ingest import load_document
    from desk_app.core.output.leakscan import LeakTerms
    from desk_app.gui.sample import sample_paths
    from desk_app.resources import resource_path

    if state.detector is None:
        raise StepFailed("not run: the model did not load")
    folder = resource_path("sample_case")
    paths = sample_paths() if folder.is_dir() else []
    if not paths:
        raise StepFailed(f"the sample case is missing: no case notes in {folder}")
    documents = [load_document(p) for p in paths]
    state.result = result = anonymise_case(documents, state.detector.detect_many(documents))
    if not result.report:
        raise StepFailed(f"no replacements in {len(documents)} sample documents")
    clients = [p for p in result.mapping.people if p.complainant]
    if not clients:
        raise StepFailed("no complainant was found in the sample case")
    terms = LeakTerms(clients[0].names)
    for i, doc in enumerate(documents):
        hits = terms.find(result.anonymised_text(i))
        if hits:
            raise StepFailed(f"the complainant's name is still in the anonymised {doc.path.name} "
                             f"({len(hits)} place{'s' * (len(hits) != 1)})")
    state.docx_index = next((i for i, d in enumerate(documents) if d.kind == "docx"), None)
    return (f"{len(documents)} documents, {len(result.report)} replacements, {len(result.mapping.people)} people; "
            f"complainant -> {clients[0].rendered}, not in the output")


def _import_gui(state: _State) -> None:
    """Import Qt and the window before anything else, as the real app does, so that this
    cost is counted in the launch time and not hidden inside the model step."""
    started = time.perf_counter()
    error: BaseException | None = None
    try:
        import desk_app.gui.main_window  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - reported by the window step
        error = exc
    state.gui_import = (time.perf_counter() - started, error)


def _window(state: _State) -> str:
    seconds, error = state.gui_import
    if error is not None:
        raise StepFailed(f"the window could not be imported ({_one_line(error)})")
    from desk_app.gui.syslibs import window_problem

    if problem := window_problem():   # a missing system library: Qt would abort the whole selftest
        raise StepFailed(problem)
    from PySide6.QtWidgets import QApplication

    from desk_app.gui.engine import Engine
    from desk_app.gui.main_window import MainWindow
    from desk_app.gui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Decision Desk")
    app.setOrganizationName("Decision Desk")
    apply_theme(app, "system")
    window = MainWindow(engine=Engine(detector=state.detector))
    window.ask = False
    try:
        window.show()
        deadline = time.perf_counter() + WINDOW_TIMEOUT_S
        while True:
            app.processEvents()
            handle = window.windowHandle()
            if handle is not None and handle.isExposed():
                state.window_exposed_at = time.perf_counter()
                break
            if time.perf_counter() > deadline:
                raise StepFailed(f"the window was not exposed within {WINDOW_TIMEOUT_S:.0f} s "
                                 f"on the '{app.platformName()}' platform")
            time.sleep(0.005)
        size = window.size()
        return (f"'{window.windowTitle().replace('[*]', '')}' {size.width()}x{size.height()} on "
                f"'{app.platformName()}'; importing Qt and the window took {seconds:.2f} s")
    finally:
        window._dirty = False
        window.close()
        window.deleteLater()
        app.processEvents()


def _docx_written(state: _State) -> str:
    """Export the sample's .docx through the one export path (``core.pipeline``), as the
    window does: written, scrubbed and read back for every name the case knows. The scan
    runs inside this step; the next one reports what it found."""
    from desk_app.core.pipeline import ReviewedExport, WriteJob, export_reviewed

    if state.result is None:
        raise StepFailed("not run: the sample was not anonymised")
    if state.docx_index is None:
        raise StepFailed("the sample case has no .docx")
    i = state.docx_index
    doc = state.result.documents[i]
    whole = WriteJob.from_result(state.result)
    case = WriteJob([doc], [whole.replacements[i]], whole.mapping, whole.terms,
                       [r for r in whole.rows if r.file == str(doc.path)])
    state.export = export_reviewed(ReviewedExport(case, state.tmp / "anonymised", report=False))
    (outcome,) = state.export.outcomes
    if outcome.leaks:   # the copy was deleted; the leak-scan step says where the names were
        return f"{doc.path.name} written, then deleted by the leak scan"
    state.written = outcome.output
    assert state.written is not None
    size = state.written.stat().st_size
    return (f"{doc.path.name} -> {state.written.name} ({size / 1024:.0f} KB), "
            f"{len(case.replacements[0])} replacements")


def _docx_scanned(state: _State) -> str:
    if state.export is None:
        raise StepFailed("not run: no .docx was written")
    if not state.export.terms_searched:
        raise StepFailed("no terms to search for: the scan would prove nothing")
    if state.export.leaks:
        leak = state.export.leaks[0]
        raise StepFailed(f"original names remain in the copy: {leak} ({len(state.export.leaks)} place"
                         f"{'s' * (len(state.export.leaks) != 1)}); it was deleted")
    assert state.written is not None
    return f"{state.export.terms_searched} terms searched in every part of {state.written.name}: none found"


# The scan step's letter line: the name is what the OCR must read exactly, as it would have to for redaction.
SCAN_NAME = "Agnieszka Kowalczyk"
SCAN_LINE = f"Dear Ms {SCAN_NAME}, thank you for your letter of 3 March."
SCAN_FONT_PX = 28   # about 10 pt at 200 dpi, the size the OCR is tuned for (desk_app.core.ingest.ocr.PDF_DPI)


def scan_image() -> Any:
    """A one-line letter drawn now with Pillow's own font: no image file to ship, and no system font needed
    (``ImageFont.load_default(size)`` is scalable from Pillow 10.1), so it works on any laptop."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(SCAN_FONT_PX)
    width = round(ImageDraw.Draw(Image.new("L", (1, 1))).textlength(SCAN_LINE, font=font))
    image = Image.new("L", (width + 2 * SCAN_FONT_PX, 4 * SCAN_FONT_PX), 255)
    ImageDraw.Draw(image).text((SCAN_FONT_PX, SCAN_FONT_PX), SCAN_LINE, font=font, fill=0)
    return image


def _scan(state: _State) -> str:
    """OCR a drawn letter line: proves the models, ONNX Runtime, OpenCV and the layout code are all in this
    installation and work offline (the models are loaded by path; nothing is downloaded)."""
    from desk_app.core.ingest.ocr import read_image

    image = scan_image()
    t0 = time.perf_counter()
    text = " ".join(read_image(image).text.split())
    seconds = time.perf_counter() - t0
    if SCAN_NAME not in text:
        raise StepFailed(f"the name '{SCAN_NAME}' was not read from the drawn letter line; read {text!r}")
    return f"read {text!r} from a {image.width}x{image.height} drawn line in {seconds:.2f} s; name found"


_RUNNERS: dict[str, Callable[[_State], str]] = {
    "model loaded": _model,
    "sample anonymised": _sample,
    "main window shown": _window,
    "docx written": _docx_written,
    "docx leak-scanned": _docx_scanned,
    "scan read": _scan,
}


# ---------------------------------------------------------------- running

def _set_display_env(tmp: Path) -> dict[str, str | None]:
    """Settings and autosaves into ``tmp``; the offscreen platform if there is no display.
    Returns the previous values so an in-process run can put them back."""
    from desk_app.core.storage.autosave import DATA_DIR_ENV

    wanted = {DATA_DIR_ENV: str(tmp / "user-data")}
    no_display = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                           or os.environ.get("WAYLAND_DISPLAY"))
    if no_display and not os.environ.get("QT_QPA_PLATFORM"):
        wanted["QT_QPA_PLATFORM"] = "offscreen"
    previous = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    return previous


def _restore_env(previous: dict[str, str | None]) -> None:
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def run_selftest(launched_at: float | None = None, out: Any = None) -> int:
    """Run every step, print one line each and a summary; 0 only if all passed.

    ``launched_at`` is a ``time.perf_counter()`` reading taken as early as possible (the
    CLI's import), used when the process start time cannot be read from the OS.

    "Launch to window shown" is what an investigator waits for: process start to the
    selftest's start, plus importing Qt and the window and showing it. The model load and
    the sample's analysis are not counted, because the app shows its window first and loads
    the model on a background thread. The summary's total runs from process start to the
    end of the last step.
    """
    out = out or sys.stdout
    launch = _launch_clock(launched_at)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="desk-app-selftest-") as tmp:
        previous = _set_display_env(Path(tmp))
        state = _State(Path(tmp))
        try:
            _import_gui(state)
            for name in STEPS:
                t0 = time.perf_counter()
                try:
                    detail, passed = _RUNNERS[name](state), True
                except Exception as exc:  # noqa: BLE001 - every failure is one line, and the next steps run
                    detail, passed = _one_line(exc), False
                seconds = time.perf_counter() - t0
                if name == "main window shown":
                    seconds += state.gui_import[0]   # the import was done first, but it is this step's cost
                step = Step(name, passed, seconds, detail)
                state.steps.append(step)
                print(step.line(), file=out, flush=True)
        finally:
            _restore_env(previous)
    total = time.perf_counter() - launch
    window_step = next(s for s in state.steps if s.name == "main window shown")
    to_window = (started - launch) + window_step.seconds
    all_ok = all(s.passed for s in state.steps)
    print(f"selftest {'passed' if all_ok else 'FAILED'} in {total:.2f} s; launch to window shown {to_window:.2f} s",
          file=out, flush=True)
    return 0 if all_ok else 1


# ---------------------------------------------------------------- reading the output back

@dataclass
class Report:
    """A selftest's printed output, parsed (the tests and the benchmark script read it)."""

    steps: list[Step]
    passed: bool
    total: float
    to_window: float

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)


def parse_output(text: str) -> Report:
    """The step lines and the summary line of ``desk-app --selftest``'s stdout.

    Strict on purpose: every step in order, each line in the agreed format, so a change to
    the format breaks the tests rather than the scripts that read it. Raises ValueError
    naming the first line that does not fit.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) != len(STEPS) + 1:
        raise ValueError(f"expected {len(STEPS) + 1} lines, got {len(lines)}: {text!r}")
    steps = []
    for line, expected in zip(lines, STEPS, strict=False):
        m = STEP_RE.match(line)
        if not m or m["step"].rstrip() != expected:
            raise ValueError(f"expected the '{expected}' step line, got {line!r}")
        steps.append(Step(expected, m["status"] == "ok  ", float(m["seconds"]), m["detail"]))
    m = SUMMARY_RE.match(lines[-1])
    if not m:
        raise ValueError(f"expected the summary line, got {lines[-1]!r}")
    return Report(steps, m["result"] == "passed", float(m["total"]), float(m["window"]))
