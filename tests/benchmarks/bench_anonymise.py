"""Anonymisation speed against stock Presidio, on the same texts, in the same run.

    .venv/bin/python tests/benchmarks/bench_anonymise.py [CASES_DIR]

CASES_DIR holds *.raw.txt (default: ../shared/eval/dev if present, else tests/data/roundtrip).
Prints words per second for:
  * stock Presidio: AnalyzerEngine on the same spaCy model (PERSON only) + AnonymizerEngine,
    one document at a time, as `roundtrip.py presidio` does; load time excluded;
  * Decision Desk, steady state: detection (all entity types) + clustering + pseudonyms for the
    same documents, load time excluded;
  * Decision Desk, whole command: `desk-app anonymise DIR` as a fresh process, wall time
    including interpreter start and model load (what `roundtrip.py batch` measures);
and the ratios. Timings are the best of --repeat runs. The command is also timed on
--batch-copies copies of the cases (a publication batch), against stock Presidio on the same
copies, because a fresh process pays about two seconds of imports and loading before its
first word.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def load_texts(cases: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(cases.glob("*.raw.txt"))]


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def stock_presidio(texts: list[str], repeat: int) -> tuple[float, float]:
    from desk_app.core.nlp import keep_offline, model_path

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

    def run():
        for text in texts:
            results = analyzer.analyze(text=text, language="en", entities=["PERSON"])
            anonymizer.anonymize(text=text, analyzer_results=results)

    return load, best(run, repeat)


def desk_steady(texts: list[str], repeat: int) -> tuple[float, float]:
    from desk_app.core.anonymise import anonymise_case
    from desk_app.core.detect import Detector
    from desk_app.core.document import SourceDocument
    from desk_app.core.ingest.text import text_paragraphs

    t0 = time.perf_counter()
    detector = Detector()
    load = time.perf_counter() - t0
    docs = [SourceDocument(Path(f"{i}.txt"), "txt", t, text_paragraphs(t)) for i, t in enumerate(texts)]

    def run():
        for doc, dets in zip(docs, detector.detect_many(docs), strict=True):
            anonymise_case([doc], [dets])

    return load, best(run, repeat)


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


def main() -> None:
    default = REPO.parent / "shared" / "eval" / "dev"
    if not default.is_dir():
        default = REPO / "tests" / "data" / "roundtrip"
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="?", type=Path, default=default)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--batch-copies", type=int, default=8,
                    help="also time the command on this many copies of the cases (a publication batch)")
    args = ap.parse_args()
    texts = load_texts(args.cases)
    words = sum(len(t.split()) for t in texts)
    p_load, p_run = stock_presidio(texts, args.repeat)
    d_load, d_run = desk_steady(texts, args.repeat)
    d_cmd = desk_command(args.cases, args.repeat)
    big = args.batch_copies
    _, p_big = stock_presidio(texts * big, 1)
    d_big = desk_command(args.cases, 1, big)
    res = {
        "documents": len(texts), "words": words, "cpu_count": os.cpu_count(),
        "presidio_load_s": round(p_load, 2), "presidio_run_s": round(p_run, 3),
        "presidio_words_per_s": round(words / p_run),
        "desk_load_s": round(d_load, 2), "desk_run_s": round(d_run, 3),
        "desk_words_per_s": round(words / d_run),
        "steady_state_ratio": round(p_run / d_run, 2),
        "desk_command_wall_s": round(d_cmd, 2),
        "desk_command_words_per_s": round(words / d_cmd),
        "command_vs_presidio_run_ratio": round(p_run / d_cmd, 2),
        f"batch_x{big}_words": words * big,
        f"batch_x{big}_presidio_words_per_s": round(words * big / p_big),
        f"batch_x{big}_command_words_per_s": round(words * big / d_big),
        f"batch_x{big}_command_vs_presidio_run_ratio": round(p_big / d_big, 2),
    }
    print(json.dumps(res, indent=1))
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
