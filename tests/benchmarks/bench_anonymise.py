"""Anonymisation speed against stock Presidio, on the same texts, in the same run.

    .venv/bin/python tests/benchmarks/bench_anonymise.py [CASES_DIR] [--generated]

CASES_DIR holds *.raw.txt (default: ../shared/eval/dev if present, else tests/data/roundtrip);
``--generated`` uses the seeded LGO-style corpus of ``case_bundle.corpus()`` instead, which is
what ``tests/benchmarks/run.py`` measures (CI has no shared dev set).
Prints words per second for:
  * stock Presidio: AnalyzerEngine on the same spaCy model (PERSON only) + AnonymizerEngine,
    one document at a time, as `roundtrip.py presidio` does; load time excluded;
  * Decision Desk, steady state: detection (all entity types) + clustering + pseudonyms for the
    same documents, load time excluded;
  * Decision Desk, whole command: `desk-app anonymise DIR` as a fresh process, wall time
    including interpreter start and model load (what `roundtrip.py batch` measures);
and the ratios. The two steady-state figures are the best of --repeat runs, interleaved (stock,
desk, desk, stock, ...) so that noise from other work on a shared machine hits both alike.
The command is also timed on --batch-copies copies of the cases (a publication batch), against
stock Presidio on the same copies, because a fresh process pays about two seconds of imports and
loading before its first word.

``throughput(texts, repeat)`` returns the steady-state comparison for ``run.py``;
``profile_desk(texts)`` returns a cProfile listing of Decision Desk's steady-state path.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def load_texts(cases: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(cases.glob("*.raw.txt"))]


def words_in(texts: list[str]) -> int:
    """Words as whitespace-separated tokens: the count both sides' rates are divided by."""
    return sum(len(t.split()) for t in texts)


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def stock_runner(texts: list[str]) -> tuple[float, Callable[..., None]]:
    """Stock Presidio as `roundtrip.py presidio` runs it: (load seconds, one pass over ``texts``).

    The pass takes an optional ``limit``: only the first ``limit`` texts (a warm-up)."""
    from desk_app.core.detect.nlp import keep_offline, model_path

    keep_offline()
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    t0 = time.perf_counter()
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": str(model_path())}]})
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine())
    anonymizer = AnonymizerEngine()
    load = time.perf_counter() - t0

    def run(limit: int | None = None) -> None:
        for text in texts[:limit]:
            results = analyzer.analyze(text=text, language="en", entities=["PERSON"])
            anonymizer.anonymize(text=text, analyzer_results=results)

    return load, run


def desk_runner(texts: list[str]) -> tuple[float, Callable[..., None]]:
    """Decision Desk's steady state: (Detector construction seconds, one pass over ``texts``).

    Each text is its own case, as ``desk-app anonymise`` makes it without ``--mapping``; the
    documents are split into paragraphs before timing, as the readers do."""
    from desk_app.core.anonymise import anonymise_case
    from desk_app.core.detect import Detector
    from desk_app.core.document import SourceDocument
    from desk_app.core.ingest.text import text_paragraphs

    t0 = time.perf_counter()
    detector = Detector()
    load = time.perf_counter() - t0
    docs = [SourceDocument(Path(f"{i}.txt"), "txt", t, text_paragraphs(t)) for i, t in enumerate(texts)]

    def run(limit: int | None = None) -> None:
        some = docs[:limit]
        for doc, dets in zip(some, detector.detect_many(some), strict=True):
            anonymise_case([doc], [dets])

    return load, run


def stock_presidio(texts: list[str], repeat: int) -> tuple[float, float]:
    load, run = stock_runner(texts)
    return load, best(run, repeat)


def desk_steady(texts: list[str], repeat: int) -> tuple[float, float]:
    load, run = desk_runner(texts)
    return load, best(run, repeat)


def interleaved(runs: dict[str, Callable[[], None]], repeat: int) -> dict[str, list[float]]:
    """Seconds of each of ``repeat`` passes of every run, taking turns and swapping who goes first."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    names = list(runs)
    for r in range(repeat):
        for name in names if r % 2 == 0 else reversed(names):
            t0 = time.perf_counter()
            runs[name]()
            times[name].append(time.perf_counter() - t0)
    return times


def throughput(texts: list[str], repeat: int = 5) -> dict:
    """Stock Presidio and Decision Desk on the same texts, in this process, best of ``repeat``
    interleaved passes each; one untimed pass over the first text warms both up."""
    words = words_in(texts)
    p_load, p_run = stock_runner(texts)
    d_load, d_run = desk_runner(texts)
    p_run(1)
    d_run(1)
    times = interleaved({"presidio": p_run, "desk": d_run}, max(1, repeat))
    p_best, d_best = min(times["presidio"]), min(times["desk"])
    return {
        "documents": len(texts), "words": words, "repeat": max(1, repeat),
        "presidio_load_s": round(p_load, 2), "desk_load_s": round(d_load, 2),
        "presidio_times_s": [round(t, 3) for t in times["presidio"]],
        "desk_times_s": [round(t, 3) for t in times["desk"]],
        "presidio_run_s": round(p_best, 3), "desk_run_s": round(d_best, 3),
        "presidio_median_s": round(statistics.median(times["presidio"]), 3),
        "desk_median_s": round(statistics.median(times["desk"]), 3),
        "presidio_words_per_s": round(words / p_best), "desk_words_per_s": round(words / d_best),
        "steady_state_ratio": round(p_best / d_best, 2),
        "median_ratio": round(statistics.median(times["presidio"]) / statistics.median(times["desk"]), 2),
    }


def profile_desk(texts: list[str], top: int = 30) -> str:
    """Where Decision Desk's steady-state time goes: cProfile of one pass, by cumulative and own time."""
    _, run = desk_runner(texts)
    run()   # warm
    prof = cProfile.Profile()
    prof.enable()
    run()
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def desk_command(cases: Path, repeat: int, copies: int = 1) -> float:
    exe = shutil.which("desk-app", path=str(Path(sys.executable).parent)) or "desk-app"
    with tempfile.TemporaryDirectory() as tmp:
        indir = Path(tmp, "in")
        indir.mkdir()
        for k in range(copies):
            for p in sorted(cases.glob("*.raw.txt")):
                shutil.copy(p, indir / p.name.replace(".raw.txt", f"-{k}.txt"))

        def run():
            out = Path(tmp, "out")
            shutil.rmtree(out, ignore_errors=True)
            subprocess.run([exe, "anonymise", str(indir), "--out-dir", str(out)], check=True,
                           capture_output=True)

        return best(run, repeat)


def generated_cases(folder: Path) -> Path:
    """The seeded corpus written as *.raw.txt into ``folder``, for the command timings."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    from case_bundle import corpus

    from desk_app.core.atomic import write_file

    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(corpus()):
        write_file(folder / f"case-{i:02d}.raw.txt", text)
    return folder


def main() -> None:
    default = REPO.parent / "shared" / "eval" / "dev"
    if not default.is_dir():
        default = REPO / "tests" / "data" / "roundtrip"
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="?", type=Path, default=default)
    ap.add_argument("--generated", action="store_true", help="use the seeded generated corpus instead of CASES_DIR")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--batch-copies", type=int, default=8,
                    help="also time the command on this many copies of the cases (a publication batch)")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of Decision Desk's steady state and stop")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = generated_cases(Path(tmp, "generated")) if args.generated else args.cases
        texts = load_texts(cases)
        if args.profile:
            print(profile_desk(texts))
            return
        steady = throughput(texts, args.repeat)
        words = steady["words"]
        d_cmd = desk_command(cases, args.repeat)
        big = args.batch_copies
        _, p_big = stock_presidio(texts * big, 1)
        d_big = desk_command(cases, 1, big)
    res = {
        "documents": len(texts), "words": words, "cpu_count": os.cpu_count(),
        **{k: steady[k] for k in ("presidio_load_s", "presidio_run_s", "presidio_words_per_s", "desk_load_s",
                                  "desk_run_s", "desk_words_per_s", "steady_state_ratio")},
        "desk_command_wall_s": round(d_cmd, 2),
        "desk_command_words_per_s": round(words / d_cmd),
        "command_vs_presidio_run_ratio": round(steady["presidio_run_s"] / d_cmd, 2),
        f"batch_x{big}_words": words * big,
        f"batch_x{big}_presidio_words_per_s": round(words * big / p_big),
        f"batch_x{big}_command_words_per_s": round(words * big / d_big),
        f"batch_x{big}_command_vs_presidio_run_ratio": round(p_big / d_big, 2),
    }
    print(json.dumps(res, indent=1))
    if args.json:
        from desk_app.core.atomic import write_file

        write_file(args.json, json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
