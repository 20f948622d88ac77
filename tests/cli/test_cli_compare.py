"""`desk-app compare A B -o OUT.html|OUT.docx|OUT.json`, run the way a user runs it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile

import pytest

from tests.helpers.paths import REPO

REPO = REPO
V1 = REPO / "resources" / "sample_compare" / "draft-v1.txt"
V2 = REPO / "resources" / "sample_compare" / "draft-v2.txt"
SUMMARY = re.compile(r"^draft-v1\.txt -> draft-v2\.txt: (\d+) paragraphs? changed, (\d+) inserted, (\d+) deleted, "
                     r"(\d+) moved; (\d+) words? inserted, (\d+) deleted \(\d+ ms\)")


def desk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desk_app.cli.main", *args], capture_output=True, text=True, timeout=120)


def test_the_summary_line():
    run = desk("compare", str(V1), str(V2))
    assert run.returncode == 0, run.stderr
    [line] = run.stdout.splitlines()
    m = SUMMARY.match(line)
    assert m, line
    changed, inserted, deleted, moved, words_in, words_out = map(int, m.groups())
    assert (changed, inserted, deleted, moved) == (6, 1, 1, 2)
    assert words_in > 0 and words_out > 0


@pytest.mark.parametrize("suffix", [".html", ".docx", ".json"])
def test_each_output_is_written(tmp_path, suffix):
    out = tmp_path / f"compare{suffix}"
    run = desk("compare", str(V1), str(V2), "-o", str(out))
    assert run.returncode == 0, run.stderr
    assert f"written to {out}" in run.stdout
    data = out.read_bytes()
    if suffix == ".html":
        assert b"draft-v1.txt" in data and b"draft-v2.txt" in data
    elif suffix == ".docx":
        with zipfile.ZipFile(out) as z:
            body = z.read("word/document.xml")
        assert b"<w:ins " in body and b"<w:del " in body
    else:
        assert json.loads(data)["counts"]["moved"] == 2
    assert [p.name for p in tmp_path.iterdir()] == [out.name]   # no temporary file left behind


def test_ignore_case(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("The Council apologised to Mrs X.\n", encoding="utf-8")
    b.write_text("The council apologised to Mrs X.\n", encoding="utf-8")
    assert " 1 paragraph changed" in desk("compare", str(a), str(b)).stdout
    assert " 0 paragraphs changed" in desk("compare", str(a), str(b), "--ignore-case").stdout


@pytest.mark.parametrize(("args", "expected"), [
    (["missing.txt", str(V2)], "missing.txt: the file does not exist"),
    ([str(V1), str(V2), "-o", "out.pdf"], "out.pdf: the output must end in .html, .docx or .json"),
])
def test_bad_arguments_are_one_line(tmp_path, args, expected):
    run = desk("compare", *[a if "/" in a or a.startswith("-") else str(tmp_path / a) for a in args])
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and "Traceback" not in run.stderr


def test_refuses_to_overwrite_an_input(tmp_path):
    b = tmp_path / "b.txt"
    b.write_text("text\n", encoding="utf-8")
    run = desk("compare", str(b), str(b), "-o", str(b.with_suffix(".txt")))
    assert run.returncode == 1 and "must end in" in run.stderr
    c = tmp_path / "c.html"
    c.write_text("Mrs X said so.\n", encoding="utf-8")
    run = desk("compare", str(b), str(c), "-o", str(c))
    assert run.returncode == 1 and "would overwrite" in run.stderr
    assert c.read_text(encoding="utf-8") == "Mrs X said so.\n"
