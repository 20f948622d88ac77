"""The bad-input corpus (issue 6, part 4): every file a user can hand over that cannot be read
gets one line naming it and the problem, the batch goes on, nothing partial is written, and
memory stays bounded.

The corpus is built by ``tests/bad_inputs.py`` into ``tests/data/bad/`` (ignored by git).
Limits under test (``desk_app/core/ingest/__init__.py``): text 20 MB; .docx 200 MB on disk
and 200 MB unpacked; PDF 100 MB on disk and 20,000,000 characters of text.

Memory bound of a CLI batch (measured on this 2-vCPU machine: one good file alone peaks at
about 240 MB RSS with the spaCy model loaded, and the whole corpus, 200 MB text file and
300 MB zip bomb included, peaks at the same): the batch's peak resident memory, in any one
process of the run, is at most the one-good-file baseline + 100 MB, and under 1.5 GB.
Reading the zip bomb or the 200 MB text file into memory would add at least 200 MB.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from desk_app.core.errors import InputError, OutputError
from desk_app.core.ingest import load_document
from desk_app.core.ingest import pdf as pdf_reader
from desk_app.core.ingest.text import MAX_TEXT_BYTES
from desk_app.core.output.writers import write_document
from tests.helpers.bad_inputs import (
    CORPUS,
    DEFAULT_FOLDER,
    GOOD_NAMES,
    GOOD_NOTES,
    NON_ASCII_NAME,
    BadInput,
    build_corpus,
    scanned_pdf_bytes,
)
from tests.helpers.ingest_factories import make_pdf

BAD = [item for item in CORPUS if not item.works]
WORKS = [item for item in CORPUS if item.works]
MEMORY_MARGIN_KB = 100 * 1024          # over the one-good-file baseline
# The corpus holds one scanned page, which loads the OCR engine (ONNX Runtime and its models)
# and decodes an A4 page: measured 380 MB over the baseline. That is the feature's cost, not a
# bad file's; the bad files still get only MEMORY_MARGIN_KB above it.
OCR_ENGINE_KB = 450 * 1024
MEMORY_CEILING_KB = 1536 * 1024        # 1.5 GB, whatever the baseline


@pytest.fixture(scope="session")
def bad_corpus() -> dict[str, Path]:
    return build_corpus(DEFAULT_FOLDER)


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "good-notes.txt"
    path.write_text("\n".join(GOOD_NOTES) + "\n", encoding="utf-8")
    return path


def _ids(item: BadInput) -> str:
    return item.name


def refusal(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load_document(path)
    return caught.value


# -- load_document on each corpus file --------------------------------------------------------

@pytest.mark.parametrize("item", BAD, ids=_ids)
def test_each_bad_file_is_one_line_naming_it_and_the_problem(bad_corpus: dict[str, Path], item: BadInput) -> None:
    path = bad_corpus[item.name]
    error = refusal(path)
    assert error.message == item.problem
    assert error.path == path
    assert str(error) == f"{path}: {item.problem}" and "\n" not in str(error)


@pytest.mark.parametrize("item", WORKS, ids=_ids)
def test_files_that_look_odd_but_are_fine_are_read(bad_corpus: dict[str, Path], item: BadInput) -> None:
    doc = load_document(bad_corpus[item.name])
    assert "Mrs Halina Wróbel" in doc.text
    # (a scan's note goes on to count the words read with low confidence, which depends on the engine)
    assert [n[:len(item.note)] for n in doc.notes] == ([item.note] if item.note else [])


def test_the_corpus_really_is_what_it_claims(bad_corpus: dict[str, Path]) -> None:
    """Guard the generator: a corpus that drifted into easy files would make the tests above vacuous."""
    assert bad_corpus["zero-byte.txt"].stat().st_size == 0
    assert bad_corpus["big-200MB.txt"].stat().st_size == 200 * 1024 * 1024
    bomb = bad_corpus["zip-bomb.docx"]
    assert bomb.stat().st_size < 2 * 1024 * 1024          # small on disk ...
    with zipfile.ZipFile(bomb) as zf:                      # ... 300 MB unpacked
        assert zf.getinfo("word/document.xml").file_size >= 300 * 1024 * 1024
        assert "[Content_Types].xml" in zf.namelist()
    with zipfile.ZipFile(bad_corpus["zip-bomb-lying-header.docx"]) as zf:
        assert zf.getinfo("word/document.xml").file_size == 64 * 1024     # the lie
        assert zf.getinfo("word/document.xml").compress_size > 200 * 1024  # the deflated 300 MB
    ole = bad_corpus["password-protected.docx"].read_bytes()
    assert ole.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert "EncryptionInfo".encode("utf-16-le") in ole and "EncryptedPackage".encode("utf-16-le") in ole
    assert bad_corpus["renamed-pdf.docx"].read_bytes().startswith(b"%PDF")
    legacy = bad_corpus["invalid-utf8.txt"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        legacy.decode("utf-8")
    assert b"/Subtype /Image" in bad_corpus["scanned-no-text.pdf"].read_bytes()
    assert not NON_ASCII_NAME.isascii()


# -- the limits, at their edges -----------------------------------------------------------------

def _sparse(path: Path, head: bytes, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk space: the limits must refuse it unread."""
    with path.open("wb") as f:
        f.write(head)
        f.truncate(size)
    return path


def test_text_over_the_limit_by_one_byte_is_refused_unread(tmp_path: Path) -> None:
    path = _sparse(tmp_path / "notes.txt", b"Mrs Wrobel ", MAX_TEXT_BYTES + 1)
    assert refusal(path).message == "the file is over 20 MB; text files over 20 MB are not read"


@pytest.mark.slow
def test_text_at_the_limit_is_read(tmp_path: Path) -> None:
    line = b"Mrs Halina Wrobel telephoned.\n"
    path = tmp_path / "notes.txt"
    path.write_bytes((line * (MAX_TEXT_BYTES // len(line) + 1))[:MAX_TEXT_BYTES])
    assert len(load_document(path).text) == MAX_TEXT_BYTES


def test_docx_larger_than_the_limit_on_disk_is_refused_unread(tmp_path: Path) -> None:
    path = _sparse(tmp_path / "huge.docx", b"PK\x03\x04", 250 * 1024 * 1024)
    assert refusal(path).message == "the file is 250 MB; .docx files over 200 MB are not read"


def test_pdf_larger_than_the_limit_is_refused_before_pypdf_reads_it(tmp_path: Path) -> None:
    path = _sparse(tmp_path / "bundle.pdf", b"%PDF-1.4\n", 150 * 1024 * 1024)
    assert refusal(path).message == "the file is 150 MB; PDF files over 100 MB are not read"


def test_pdf_text_layer_over_the_character_limit_is_refused(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(make_pdf([["Mrs Halina Wrobel complained " * 3]] * 3))
    assert "Mrs Halina Wrobel" in load_document(path).text
    monkeypatch.setattr(pdf_reader, "MAX_PDF_CHARS", 150)
    assert refusal(path).message == "the PDF's text layer is over 150 characters; longer documents are not read"


def test_the_scan_image_alone_is_not_what_gets_a_pdf_refused(tmp_path: Path) -> None:
    path = tmp_path / "mixed.pdf"
    path.write_bytes(scanned_pdf_bytes(text="Mrs Halina Wrobel complained."))
    assert "Mrs Halina Wrobel complained." in load_document(path).text


# -- output problems, in process -----------------------------------------------------------------

def unwritable_folder(tmp_path: Path) -> tuple[Path, str]:
    """A folder the CLI cannot write into, and how it was made.

    chmod 0o500 stops everyone but root; tests run as root in CI containers, where the
    folder is instead placed under a regular file, so it cannot be created at all.
    """
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    probe = locked / ".probe"
    try:
        probe.write_bytes(b"")
    except PermissionError:
        return locked, "chmod"
    probe.unlink()
    locked.chmod(0o700)
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("not a folder", encoding="utf-8")
    return blocker / "out", "under-a-file"


def test_an_unwritable_output_folder_is_one_output_error(tmp_path: Path, good_file: Path) -> None:
    folder, how = unwritable_folder(tmp_path)
    doc = load_document(good_file)
    try:
        with pytest.raises(OutputError) as caught:
            write_document(doc, [], folder)
    finally:
        if how == "chmod":
            folder.chmod(0o700)
    message = {"chmod": "cannot write here (permission denied)",
               "under-a-file": "cannot create the output folder (Not a directory)"}[how]
    assert caught.value.message == message
    assert caught.value.path in (folder, folder / good_file.name)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_an_output_name_taken_by_a_folder_fails_and_leaves_no_temp_file(tmp_path: Path, good_file: Path) -> None:
    """Works as root too: the temp file is written, the rename onto a folder fails, the temp goes."""
    out = tmp_path / "out"
    (out / good_file.name).mkdir(parents=True)
    with pytest.raises(OutputError) as caught:
        write_document(load_document(good_file), [], out)
    assert caught.value.message == "is a folder, not a file"
    assert os.listdir(out) == [good_file.name] and os.listdir(out / good_file.name) == []


@pytest.mark.parametrize("name", ["notes.txt", NON_ASCII_NAME])
def test_an_output_equal_to_its_input_is_refused_and_the_source_kept(tmp_path: Path, bad_corpus, name: str,
                                                                     good_file: Path) -> None:
    source = tmp_path / name
    shutil.copyfile(bad_corpus[name] if name in bad_corpus else good_file, source)
    before = source.read_bytes()
    with pytest.raises(OutputError) as caught:
        write_document(load_document(source), [], tmp_path)
    assert caught.value.message == "the output file would overwrite the source"
    assert source.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == sorted({name, good_file.name})


# -- the real command line ------------------------------------------------------------------------

_MEASURE = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as f:
    f.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


def desk_app_command() -> list[str]:
    script = Path(sys.executable).with_name("desk-app")
    return [str(script)] if script.exists() else [sys.executable, "-m", "desk_app"]


def run_measured(tmp_path: Path, *args: object) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run ``desk-app`` and return it with its peak RSS in KB.

    The peak comes from a small parent process's RUSAGE_CHILDREN, so it is the largest
    resident size of desk-app or any worker it forked, and of nothing else this session ran.
    """
    rss_file = tmp_path / f"rss-{len(list(tmp_path.glob('rss-*')))}"
    proc = subprocess.run([sys.executable, "-c", _MEASURE, str(rss_file), *desk_app_command(), *map(str, args)],
                          capture_output=True, text=True, timeout=600)
    return proc, int(rss_file.read_text())


def error_lines(stderr: str) -> list[str]:
    """The per-file lines: everything but the summary and warnings."""
    return [line for line in stderr.splitlines()
            if not line.startswith(("anonymised ", "desk-app: warning:"))]


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xml"))


@pytest.mark.slow
def test_cli_batch_reports_each_bad_file_and_anonymises_the_rest_in_bounded_memory(
        tmp_path: Path, bad_corpus: dict[str, Path], good_file: Path) -> None:
    baseline_out = tmp_path / "baseline"
    baseline, baseline_kb = run_measured(tmp_path, "anonymise", good_file, "--out-dir", baseline_out)
    assert baseline.returncode == 0, baseline.stderr

    out, report = tmp_path / "out", tmp_path / "R.json"
    inputs = [bad_corpus[item.name] for item in CORPUS] + [good_file]
    proc, peak_kb = run_measured(tmp_path, "anonymise", *inputs, "--out-dir", out, "--report", report)

    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = error_lines(proc.stderr)
    for item in BAD:
        path = bad_corpus[item.name]
        naming = [line for line in lines if str(path) in line]
        assert naming == [f"desk-app: {path}: {item.problem}"], (item.name, proc.stderr)
    assert len(lines) == len(BAD), proc.stderr
    assert f"anonymised {len(WORKS) + 1} of {len(inputs)} file(s)" in proc.stderr

    # the good file and the odd-but-fine ones are anonymised; nothing else, no temp file, is in OUT
    assert sorted(os.listdir(out)) == sorted([NON_ASCII_NAME, "invalid-utf8.txt", good_file.name,
                                              "scanned-no-text.txt", "scanned-no-text.redacted.pdf"])
    texts = [(out / good_file.name).read_text(encoding="utf-8"),
             (out / "invalid-utf8.txt").read_bytes().decode("cp1252"),
             docx_text(out / NON_ASCII_NAME),
             (out / "scanned-no-text.txt").read_text(encoding="utf-8")]
    for text in texts:
        assert "Mrs X" in text
        for name in GOOD_NAMES:
            assert name not in text, (name, text[:200])

    data = json.loads(report.read_text(encoding="utf-8"))
    errors = {Path(f["source"]).name: f["error"] for f in data["files"]}
    assert errors == {**{item.name: item.problem for item in BAD},
                      **{item.name: None for item in WORKS}, good_file.name: None}

    assert peak_kb <= baseline_kb + OCR_ENGINE_KB + MEMORY_MARGIN_KB, (peak_kb, baseline_kb)
    assert peak_kb <= MEMORY_CEILING_KB, peak_kb


@pytest.mark.slow
def test_cli_unwritable_output_folder(tmp_path: Path, bad_corpus: dict[str, Path], good_file: Path) -> None:
    folder, how = unwritable_folder(tmp_path)
    inputs = [good_file, bad_corpus[NON_ASCII_NAME]]
    try:
        proc, _ = run_measured(tmp_path, "anonymise", *inputs, "--out-dir", folder)
    finally:
        if how == "chmod":
            folder.chmod(0o700)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    lines = error_lines(proc.stderr)
    if how == "chmod":      # the folder exists: each file says it cannot be written
        assert lines == [f"desk-app: {p}: cannot write here (permission denied)" for p in inputs]
        assert list(folder.iterdir()) == []
    else:                   # the folder cannot be made: one line for the whole run, nothing read
        assert lines == [f"desk-app: {folder}: cannot create the output folder (Not a directory)"]
        assert not folder.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.slow
def test_cli_output_folder_equal_to_the_input_folder_keeps_the_sources(
        tmp_path: Path, bad_corpus: dict[str, Path], good_file: Path) -> None:
    case = tmp_path / "case"
    case.mkdir()
    sources = [case / good_file.name, case / NON_ASCII_NAME]
    shutil.copyfile(good_file, sources[0])
    shutil.copyfile(bad_corpus[NON_ASCII_NAME], sources[1])
    before = {p: p.read_bytes() for p in sources}

    for args in ([*sources], [case]):          # the files by name, then the folder itself
        proc, _ = run_measured(tmp_path, "anonymise", *args, "--out-dir", case)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        (line,) = error_lines(proc.stderr)     # one line for the whole run, naming the copy and the source
        source = next(p for p in sources if line.startswith(f"desk-app: {p}: "))
        assert line.endswith(f"would overwrite the source {source}; nothing was written"), line
        assert {p: p.read_bytes() for p in sources} == before
        assert sorted(os.listdir(case)) == sorted(p.name for p in sources)     # no temp file either


@pytest.mark.slow
def test_cli_output_folder_equal_to_the_input_folder_never_replaces_a_file_there(tmp_path: Path) -> None:
    case = tmp_path / "case"
    case.mkdir()
    (case / "notes.pdf").write_bytes(scanned_pdf_bytes(text="Mrs Halina Wrobel complained."))
    original = case / "notes.txt"          # the user's own typed notes, not part of this run
    original.write_text("the investigator's own notes about Mrs Halina Wrobel\n", encoding="utf-8")
    before = original.read_bytes()
    proc, _ = run_measured(tmp_path, "anonymise", case / "notes.pdf", "--out-dir", case)
    assert original.read_bytes() == before
    assert proc.returncode == 1 and str(case) in proc.stderr
