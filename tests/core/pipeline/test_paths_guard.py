"""Issue 12, item 2: no file the program writes lands on an input, on another output of the
run or on a special file; the report never sits among the copies; special inputs are
refused without being opened. Real processes on real files; sources compared byte for byte."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desk_app.core.errors import OutputError
from desk_app.core.pipeline.paths import PathIndex, PlannedWrite, check_writes, is_inside, path_key

NOTES = "Mrs Adaeze Okonjo complained about the council. Mrs Okonjo wrote again in May.\n"
OTHER = "Mr Tom Vance complains about parking.\n"

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def desk(*args: object, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "desk_app", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def lines(proc: subprocess.CompletedProcess[str]) -> list[str]:
    """stderr's lines but the summary: the errors a user reads."""
    return [line for line in proc.stderr.splitlines() if not line.startswith("anonymised ")]


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "notes.txt").write_text(NOTES, encoding="utf-8")
    (folder / "other.txt").write_text(OTHER, encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def everything(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


def refused(tmp_path: Path, case: Path, *args: object) -> str:
    """Run ``anonymise case`` with ``args``; assert the refusal contract and return its one line."""
    before, tree = snapshot(case), everything(tmp_path)
    proc = desk("anonymise", case, *args)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    (line,) = lines(proc)
    assert line.endswith("; nothing was written"), line
    assert snapshot(case) == before                   # sources byte-identical
    assert everything(tmp_path) == tree               # nothing written anywhere: no copy, no folder, no temp
    return line


# -- --report, --mapping and --out-dir aimed at inputs and outputs -------------------------------

@pytest.mark.slow
def test_report_aimed_at_a_source_is_refused_naming_both(tmp_path, case):
    target = case / "notes.txt"
    line = refused(tmp_path, case, "-o", tmp_path / "out", "--report", target)
    assert line == f"desk-app: {target}: the report would overwrite the source {target}; nothing was written"


@pytest.mark.slow
def test_report_aimed_at_an_output_is_refused(tmp_path, case):
    """The issue's second half: the report replaced the anonymised copy with every real name."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("Mrs X complained.\n", encoding="utf-8")   # yesterday's published copy
    line = refused(tmp_path, case, "-o", out, "--report", out / "notes.txt")
    assert line.startswith(f"desk-app: {out / 'notes.txt'}: ")
    assert "the anonymised copy of notes.txt" in line and "the report" in line
    assert (out / "notes.txt").read_text(encoding="utf-8") == "Mrs X complained.\n"


@pytest.mark.slow
def test_report_inside_the_out_dir_is_refused(tmp_path, case):
    out = tmp_path / "out"
    line = refused(tmp_path, case, "-o", out, "--report", out / "sub" / "report.json")
    assert "lists the real names and must not go into the folder of anonymised copies" in line
    assert str(out) in line and str(out / "sub" / "report.json") in line


@pytest.mark.slow
def test_mapping_aimed_at_a_source_or_an_output_is_refused(tmp_path, case):
    source = case / "other.txt"
    line = refused(tmp_path, case, "-o", tmp_path / "out", "--mapping", source)
    assert line == f"desk-app: {source}: the mapping would overwrite the source {source}; nothing was written"
    out = tmp_path / "out"
    line = refused(tmp_path, case, "-o", out, "--mapping", out / "other.txt")
    assert "the anonymised copy of other.txt" in line and "the mapping" in line


@pytest.mark.slow
def test_a_report_in_a_missing_folder_is_refused_before_the_batch_runs(tmp_path, case):
    report = tmp_path / "nowhere" / "report.json"
    line = refused(tmp_path, case, "-o", tmp_path / "out", "--report", report)
    assert line == (f"desk-app: {report}: the folder for the report does not exist ({report.parent}); "
                    "nothing was written")


@pytest.mark.slow
def test_report_and_mapping_on_one_file_are_refused(tmp_path, case):
    same = tmp_path / "case.json"
    line = refused(tmp_path, case, "-o", tmp_path / "out", "--mapping", same, "--report", same)
    assert line.startswith(f"desk-app: {same}: the ") and "the report" in line and "the mapping" in line


@pytest.mark.slow
def test_out_dir_aimed_at_the_sources_folder_or_a_source_is_refused(tmp_path, case):
    line = refused(tmp_path, case, "-o", case)
    assert "would overwrite the source" in line and str(case) in line
    source = case / "notes.txt"
    line = refused(tmp_path, case, "-o", source)
    assert line == f"desk-app: {source}: the output folder is a file, not a folder; nothing was written"


@pytest.mark.slow
def test_a_report_spelt_in_other_case_or_through_a_symlink_is_the_source(tmp_path, case):
    """Case-insensitive laptops (Windows, macOS): NOTES.TXT is notes.txt; a link to it is it too."""
    upper = case / "NOTES.TXT"
    line = refused(tmp_path, case, "-o", tmp_path / "out", "--report", upper)
    assert line.endswith(f"would overwrite the source {case / 'notes.txt'}; nothing was written")
    link = tmp_path / "link.json"
    link.symlink_to(case / "other.txt")
    line = refused(tmp_path, case, "-o", tmp_path / "out", "--report", link)
    assert line.endswith(f"would overwrite the source {case / 'other.txt'}; nothing was written")


@needs_fifo
@pytest.mark.slow
@pytest.mark.timeout(60)
def test_a_report_aimed_at_a_named_pipe_is_refused_without_opening_it(tmp_path, case):
    pipe = tmp_path / "report.pipe"
    os.mkfifo(pipe)
    line = refused(tmp_path, case, "-o", tmp_path / "out", "--report", pipe)
    assert line == (f"desk-app: {pipe}: the report would be written here, but this is a named pipe; "
                    "nothing was written")
    line = refused(tmp_path, case, "-o", tmp_path / "out", "--mapping", pipe)   # not even read
    assert line == (f"desk-app: {pipe}: the mapping would be written here, but this is a named pipe; "
                    "nothing was written")
    line = refused(tmp_path, case, "-o", pipe)
    assert line == f"desk-app: {pipe}: the output folder is a named pipe; nothing was written"


@pytest.mark.slow
def test_a_wrong_path_costs_nothing_the_model_is_not_loaded(tmp_path, case):
    """Every check runs before detection: the detector factory is never called."""
    from desk_app.core.pipeline import export_case

    called = []
    before = snapshot(case)
    with pytest.raises(OutputError) as caught:
        export_case(sorted(case.iterdir()), tmp_path / "out", lambda: called.append(1),
                    report_path=case / "other.txt")
    assert called == [] and not (tmp_path / "out").exists() and snapshot(case) == before
    assert caught.value.path == case / "other.txt"


# -- named pipes among the inputs --------------------------------------------------------------

@needs_fifo
@pytest.mark.slow
@pytest.mark.timeout(120)
def test_a_named_pipe_among_the_inputs_is_one_line_and_the_rest_are_written(tmp_path, case):
    """The batch used to hang on open(); now the pipe is refused unopened, also inside a folder."""
    os.mkfifo(case / "pipe.txt")           # found while walking the folder
    named = tmp_path / "named.md"
    os.mkfifo(named)                       # named on the command line
    out, report = tmp_path / "out", tmp_path / "report.json"
    started = time.monotonic()
    proc = desk("anonymise", case, named, "-o", out, "--report", report, timeout=100)
    seconds = time.monotonic() - started
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert sorted(lines(proc)) == sorted([
        f"desk-app: {case / 'pipe.txt'}: this is a named pipe, not a file; it was not opened",
        f"desk-app: {named}: this is a named pipe, not a file; it was not opened"])
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "other.txt"]
    assert "Okonjo" not in (out / "notes.txt").read_text(encoding="utf-8")
    files = json.loads(report.read_text(encoding="utf-8"))["files"]
    assert [f["output"] is None for f in files] == [False, False, True, True]
    assert seconds < 60, seconds


@needs_fifo
def test_load_document_refuses_a_pipe_without_blocking(tmp_path):
    from desk_app.core.errors import InputError
    from desk_app.core.ingest import iter_case_files, load_document

    pipe = tmp_path / "in" / "notes.txt"
    pipe.parent.mkdir()
    os.mkfifo(pipe)
    (tmp_path / "in" / "ignored.xyz").write_text("not case material", encoding="utf-8")
    assert iter_case_files([tmp_path / "in"]) == [pipe]
    with pytest.raises(InputError) as caught:
        load_document(pipe)
    assert str(caught.value) == f"{pipe}: this is a named pipe, not a file; it was not opened"


def test_a_socket_in_a_case_folder_is_refused_unopened(tmp_path):
    import socket

    from desk_app.core.errors import InputError
    from desk_app.core.ingest import iter_case_files, load_document

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notes.txt").write_text(OTHER, encoding="utf-8")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(folder / "agent.sock"))
        assert iter_case_files([folder]) == [folder / "agent.sock", folder / "notes.txt"]
        with pytest.raises(InputError, match="this is a socket, not a file; it was not opened"):
            load_document(folder / "agent.sock")
    finally:
        server.close()


# -- the helper itself ---------------------------------------------------------------------------

def test_path_index_knows_hard_links_symlinks_and_case(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("x", encoding="utf-8")
    hard = tmp_path / "hard.txt"
    os.link(a, hard)
    soft = tmp_path / "soft.txt"
    soft.symlink_to(a)
    index = PathIndex()
    index.add(a)
    assert index.find(hard) == a and index.find(soft) == a and index.find(tmp_path / "A.TXT") == a
    assert index.find(tmp_path / "sub" / ".." / "a.txt") == a
    assert index.find(tmp_path / "b.txt") is None
    assert path_key(tmp_path / "A.txt") == path_key(a)
    assert is_inside(tmp_path / "x" / "y.json", tmp_path) and not is_inside(tmp_path.parent / "z", tmp_path)
    assert not is_inside(Path(f"{tmp_path}-other") / "r.json", tmp_path)


def test_two_renamable_copies_may_share_a_name_but_a_fixed_write_may_not(tmp_path):
    src = tmp_path / "src.txt"
    src.write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    copies = [PlannedWrite(out / "n.txt", "copy 1", renamable=True), PlannedWrite(out / "n.txt", "copy 2",
                                                                                    renamable=True)]
    check_writes(copies, [src])                           # the export renames the second
    with pytest.raises(OutputError, match="copy 1 and the decision would both be written here"):
        check_writes([*copies, PlannedWrite(out / "N.txt", "the decision")], [src])
    with pytest.raises(OutputError, match="would be written here, but this is a folder"):
        check_writes([PlannedWrite(tmp_path, "the report")], [src])


@pytest.mark.slow
def test_compare_and_draft_outputs_go_through_the_same_guard(tmp_path):
    import docx

    a, b = tmp_path / "a.txt", tmp_path / "b.docx"
    a.write_text("One paragraph.\n", encoding="utf-8")
    letter = docx.Document()
    letter.add_paragraph("Another paragraph.")
    letter.save(b)
    before = (a.read_bytes(), b.read_bytes())
    for target in (b, tmp_path / "B.DOCX"):
        proc = desk("compare", a, b, "-o", target)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert proc.stderr.splitlines() == [f"desk-app: {target}: the comparison would overwrite the source {b}; "
                                            "nothing was written"]
    assert (a.read_bytes(), b.read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.docx"]

    decision = tmp_path / "d.decision.json"
    proc = desk("new-decision", "--org", "London Borough of Bromley", "--ref", "23 005 338", "--category",
                "Education > Admissions", "--outcome", "upheld", "-o", decision)
    assert proc.returncode == 0, proc.stderr
    saved = decision.read_bytes()
    link = tmp_path / "draft.docx"
    link.symlink_to(decision)               # the .docx name hides the decision file itself
    proc = desk("draft", decision, "-o", link)
    assert proc.returncode == 1 and decision.read_bytes() == saved and link.is_symlink()
    assert proc.stderr.splitlines() == [f"desk-app: {link}: the draft would overwrite the source {decision}; "
                                        "nothing was written"]
