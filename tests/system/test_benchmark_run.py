"""The benchmark script's plumbing: ``tests/benchmarks/run.py --quick`` writes a page with every
section and a number in each, and its parts (the generated corpus and case bundle, the parsing of
``desk-app --selftest``) do what the full run relies on. Nothing here is timed: speed is measured
by the script itself, as ratios in one run, never by a test."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import pytest

from tests.helpers.paths import REPO, TESTS

BENCH = TESTS / "benchmarks"
REPO = REPO
SECTIONS = ("## 1. Anonymisation throughput", "## 2. Model load", "## 3. Launch to main window shown",
            "## 4. A ", "## 5. Peak memory", "## 6. Draft comparison", "## 7. `--jobs 2`")
NUMBER = r"\*{0,2}[\d,]+(?:\.\d+)?\*{0,2}"


def _module(name: str):
    """A benchmark module by file (tests/benchmarks is not a package, and ``run`` is too generic a name)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    key = f"bench_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[key] = module   # dataclasses look their module up while the class is made
        spec.loader.exec_module(module)
    return sys.modules[key]


def test_corpus_is_seeded_and_sized():
    case_bundle = _module("case_bundle")
    texts = case_bundle.corpus(6, 400)
    assert texts == case_bundle.corpus(6, 400)
    assert texts != case_bundle.corpus(6, 400, seed=8)
    assert len(texts) == 6
    for text in texts:
        words = len(text.split())
        assert 400 <= words < 560, words
        # LGO-style case notes: a titled complainant, a date of birth, contact details, an age
        assert re.search(r"Complainant: (Mrs|Ms|Mr) [A-Z]\w+ [A-Z]", text)
        assert re.search(r"date of birth \d{1,2} [A-Z][a-z]+ \d{4}", text)
        assert re.search(r"07700 900\d{3}", text)
        assert re.search(r"\(aged \d+\)", text)
    # each document has its own people
    complainants = {re.search(r"Complainant: ([^(]+)", t).group(1) for t in texts}
    assert len(complainants) == len(texts)


def test_nhs_numbers_have_valid_check_digits():
    case_bundle = _module("case_bundle")
    import random

    rng = random.Random(1)
    for _ in range(50):
        digits = [int(c) for c in case_bundle._nhs_number(rng).replace(" ", "")]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits[:9])) % 11
        assert digits[9] == (0 if check == 11 else check)


def test_bundle_is_one_case_of_txt_and_docx(tmp_path):
    case_bundle = _module("case_bundle")
    from desk_app.core.ingest import load_document

    info = case_bundle.write_bundle(tmp_path / "b", pages=8, files=4)
    files = sorted((tmp_path / "b").iterdir())
    assert [p.suffix for p in files] == [".txt", ".docx", ".txt", ".docx"]
    assert info["files"] == 4
    assert 4000 <= info["words"] < 4800, info
    docs = [load_document(p) for p in files]
    read = sum(len(d.text.split()) for d in docs)
    assert abs(read - info["words"]) <= 0.02 * info["words"]   # the counted words are the ones read
    surname = re.search(r"Complainant: \w+ \w+ (\S+)", docs[0].text).group(1)
    assert all(surname in d.text for d in docs)   # one family throughout
    again = case_bundle.write_bundle(tmp_path / "c", pages=8, files=4)
    assert again == info
    assert (tmp_path / "b" / files[0].name).read_bytes() == (tmp_path / "c" / files[0].name).read_bytes()


def test_selftest_output_is_parsed():
    run = _module("run")
    out = "\n".join([
        f"{'ok':4} {'model loaded':<24} {1.234:7.3f} s  en_core_web_md 3.8.0 (ner)",
        f"{'ok':4} {'sample anonymised':<24} {0.3:7.3f} s  3 documents",
        f"{'FAIL':4} {'main window shown':<24} {12.5:7.3f} s  no display",
        f"{'ok':4} {'docx written':<24} {0.017:7.3f} s  ",
        f"{'ok':4} {'docx leak-scanned':<24} {0.2:7.3f} s  none found",
        f"selftest {'FAILED'} in {15.25:.2f} s; launch to window shown {13.1:.2f} s",
    ])
    res = run.parse_selftest(out + "\n")
    assert res["passed"] is False and res["total"] == 15.25 and res["launch"] == 13.1
    assert [s["step"] for s in res["steps"]] == ["model loaded", "sample anonymised", "main window shown",
                                                 "docx written", "docx leak-scanned"]
    assert [s["ok"] for s in res["steps"]] == [True, True, False, True, True]
    assert res["steps"][2] == {"ok": False, "step": "main window shown", "seconds": 12.5, "detail": "no display"}
    with pytest.raises(run.Unavailable):
        run.parse_selftest("Traceback (most recent call last):\n")


def _section(page: str, heading: str) -> str:
    start = page.index(heading)
    nxt = page.find("\n## ", start + 1)
    return page[start:nxt if nxt != -1 else len(page)]


@pytest.mark.slow
def test_quick_run_writes_every_section_with_numbers(tmp_path):
    default = BENCH / "RESULTS.md"
    before = default.stat().st_mtime_ns if default.exists() else None
    out = tmp_path / "RESULTS.md"
    done = subprocess.run([sys.executable, str(BENCH / "run.py"), "--quick", "--out", str(out)],
                          capture_output=True, text=True, cwd=REPO, timeout=590)
    assert done.returncode == 0, done.stderr[-3000:]
    page = out.read_text(encoding="utf-8")
    assert "Not measured" not in page
    assert (default.stat().st_mtime_ns if default.exists() else None) == before   # --out was honoured
    assert list(tmp_path.glob(".RESULTS.md.*.tmp")) == []   # written atomically, nothing left behind

    for key in ("Date:", "Command:", "Machine:", "Python:", "Packages:"):
        assert f"**{key}**" in page
    assert "run.py --quick --out" in page
    assert re.search(r"\*\*Packages:\*\* .*spacy \d.*presidio-analyzer \d.*PySide6-Essentials \d", page)
    positions = [page.index(h) for h in SECTIONS]
    assert positions == sorted(positions)

    s1 = _section(page, SECTIONS[0])
    assert re.search(rf"\| stock Presidio \| {NUMBER} \| {NUMBER} \|", s1)
    assert re.search(rf"\| Decision Desk \| {NUMBER} \| {NUMBER} \|", s1)
    assert re.search(r"\*\*Ratio \(best over best\): \d+(\.\d+)?×\*\*", s1)
    s2 = _section(page, SECTIONS[1])
    assert re.search(rf"\*\*model load\*\*[^|]* \| {NUMBER} \|", s2)
    assert re.search(rf"`Detector\(\)` in a fresh process.* \| {NUMBER} \|", s2)
    s3 = _section(page, SECTIONS[2])
    assert re.search(rf"waits until it is exposed \| {NUMBER} \|", s3)
    s4 = _section(page, SECTIONS[3])
    assert re.search(rf"\| \d+ \| {NUMBER} \| {NUMBER} \| {NUMBER} \| {NUMBER} \| \d+\.\d+× \| anonymised (\d+) of \1 ",
                     s4)
    s5 = _section(page, SECTIONS[4])
    assert re.search(rf"\| {NUMBER} \| {NUMBER} \| [\d,]+ words", s5)
    s6 = _section(page, SECTIONS[5])
    assert re.search(r"\| typical \| [\d,]+ \| [\d.]+ / [\d.]+ \|", s6)
    assert re.search(r"\| heavy \| [\d,]+ \| [\d.]+ / [\d.]+ \|", s6)
    s7 = _section(page, SECTIONS[6])
    assert re.search(rf"\| 1 \| {NUMBER} \| {NUMBER} \| 1\.0× \| anonymised (\d+) of \1 ", s7)
    assert re.search(rf"\| 2 \| {NUMBER} \| {NUMBER} \| \*\*\d+\.\d+×\*\* \| anonymised (\d+) of \1 ", s7)
    assert "the same result: yes" in s7 and re.search(r"One spawned worker.*best \d+\.\d+ s", s7)
