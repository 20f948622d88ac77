"""`desk-app anonymise` run the way a user runs it: a real process on real files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers.paths import REPO

pytestmark = pytest.mark.slow
REPO = REPO
SAMPLE = REPO / "resources" / "sample_case"
REAL_NAMES = ("Priya", "Ramsden", "Oliver", "Daniel", "Karen", "Holloway", "Anil", "Mehta")


def desk(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "desk_app", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def all_docx_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith((".xml", ".rels")))


def test_sample_case_with_a_bad_file_a_mapping_and_a_report(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(SAMPLE, case, ignore=shutil.ignore_patterns("*.py"))
    (case / "broken.docx").write_bytes(b"PK\x03\x04 this is not really a zip")
    before = {p.name: p.read_bytes() for p in case.iterdir()}
    out, mapping, report = tmp_path / "out", tmp_path / "case.mapping.json", tmp_path / "report.json"

    proc = desk("anonymise", case, "--out-dir", out, "--mapping", mapping, "--report", report)

    assert proc.returncode == 1                      # one file failed
    errors = [line for line in proc.stderr.splitlines() if "broken.docx" in line]
    assert len(errors) == 1 and "Traceback" not in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["case-notes.txt", "complaint-letter.txt",
                                                      "council-response.docx"]
    texts = [(out / "case-notes.txt").read_text(encoding="utf-8"),
             (out / "complaint-letter.txt").read_text(encoding="utf-8"),
             all_docx_xml(out / "council-response.docx")]
    for name in REAL_NAMES:
        assert not any(name in t for t in texts), name
    # one case: the complainant is Mrs X in every file
    assert all("Mrs X" in t for t in texts)
    # sources untouched
    assert {p.name: p.read_bytes() for p in case.iterdir()} == before

    data = json.loads(report.read_text(encoding="utf-8"))
    rows = data["replacements"]
    assert {"file", "start", "end", "original", "replacement", "entity", "detector", "score"} <= set(rows[0])
    notes = (case / "case-notes.txt").read_text(encoding="utf-8")
    note_rows = [r for r in rows if Path(r["file"]).name == "case-notes.txt"]
    assert note_rows and all(Path(r["file"]).is_absolute() or Path(r["file"]).exists() for r in note_rows)
    for row in note_rows:
        assert notes[row["start"]:row["end"]] == row["original"]
    assert any(f["error"] for f in data["files"] if f["source"].endswith("broken.docx"))

    people = json.loads(mapping.read_text(encoding="utf-8"))["people"]
    complainant = next(p for p in people if p["complainant"])
    assert complainant["pseudonym"] == "Mrs X" and "Priya Ramsden" in complainant["names"]


def test_each_file_is_its_own_case_without_a_mapping(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Mr Tom Vance complains. Mrs Gail Crouch helped him.", encoding="utf-8")
    b.write_text("Mrs Gail Crouch complains. Mr Tom Vance helped her.", encoding="utf-8")
    proc = desk("anonymise", a, b, "-o", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8").startswith("Mr X complains")
    assert (tmp_path / "out" / "b.txt").read_text(encoding="utf-8").startswith("Mrs X complains")


def test_jobs_do_not_change_the_output(tmp_path):
    src = REPO / "tests" / "data" / "roundtrip"
    outs = []
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        proc = desk("anonymise", src, "-o", out, "--jobs", jobs)
        assert proc.returncode == 0, proc.stderr
        outs.append({p.name: p.read_text(encoding="utf-8") for p in out.iterdir()})
    assert outs[0] == outs[1] and len(outs[0]) == 4


def test_complainant_option_and_missing_input(tmp_path):
    f = tmp_path / "n.txt"
    f.write_text("Mr Alan Rook wrote first. Ms Dina Vale complains about the decision.", encoding="utf-8")
    proc = desk("anonymise", f, tmp_path / "nope.txt", "-o", tmp_path / "out", "--complainant", "Alan Rook")
    assert proc.returncode == 1
    assert "nope.txt: no such file or folder" in proc.stderr
    assert (tmp_path / "out" / "n.txt").read_text(encoding="utf-8").startswith("Mr X wrote first")


def test_two_inputs_with_the_same_name_never_overwrite_each_other(tmp_path):
    """The second copy gets a free name, and the report says which source became which."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "note.txt").write_text(f"Mrs Ann {folder.upper()}ovic complains.", encoding="utf-8")
    report = tmp_path / "report.json"
    proc = desk("anonymise", tmp_path / "a", tmp_path / "b", "-o", tmp_path / "out", "--report", report)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["note (2).txt", "note.txt"]
    files = json.loads(report.read_text(encoding="utf-8"))["files"]
    assert [(Path(f["source"]).parent.name, Path(f["output"]).name) for f in files] == [
        ("a", "note.txt"), ("b", "note (2).txt")]
    assert "note.txt was taken by another file of this export" in files[1]["notes"][0]
    for f in files:
        assert Path(f["output"]).read_text(encoding="utf-8") == "Mrs X complains."


def test_the_readme_command_runs_twice_with_its_mapping(tmp_path):
    """The second run reads the mapping the first saved ('Ramsden' is a name of two people)."""
    out = tmp_path / "out"
    args = ["anonymise", SAMPLE, "--out-dir", out, "--mapping", out / "case.mapping.json"]
    first = desk(*args)
    assert first.returncode == 0, first.stderr
    text = (out / "case-notes.txt").read_text(encoding="utf-8")
    second = desk(*args)
    assert second.returncode == 0, second.stderr
    assert (out / "case-notes.txt").read_text(encoding="utf-8") == text
