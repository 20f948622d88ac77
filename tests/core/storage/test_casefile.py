"""The .deskcase file: round trip, source fingerprints and their states, one-line errors, atomic saves."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk_app import __version__
from desk_app.core.decision import Header, Outcome, new_decision
from desk_app.core.decision.model import decision_to_dict
from desk_app.core.errors import InputError, OutputError
from desk_app.core.storage.casefile import FORMAT_NAME, FORMAT_VERSION, CaseFile, SourceRef, check_sources

NOTES = "Mrs Laffey rang on 3 March 2024 about her care plan.\nThe Council said it would reassess.\n"


@pytest.fixture(scope="module")
def decision():
    return new_decision(Header(organisation="Kent County Council", reference="23 005 338",
                               category="Adult care services", sub_category="Assessment and care plan",
                               outcome=Outcome.UPHELD, decision_date="08 Mar 2024"))


@pytest.fixture
def source(tmp_path) -> Path:
    path = tmp_path / "sources" / "case notes.txt"
    path.parent.mkdir()
    path.write_text(NOTES, encoding="utf-8")
    return path


@pytest.fixture
def case(source, decision) -> CaseFile:
    return CaseFile(sources=[SourceRef.of(source)], review={"findings": [{"text": "Laffey", "kept": False}]},
                    decision=decision)


def saved_dict(case: CaseFile) -> dict:
    return json.loads(json.dumps(case.to_dict()))


# --- fingerprints and round trip -------------------------------------------------------------


def test_source_ref_matches_hashlib_on_the_bytes(source):
    ref = SourceRef.of(source)
    data = source.read_bytes()
    assert ref.sha256 == hashlib.sha256(data).hexdigest()
    assert ref.size == len(data)
    assert ref.path.is_absolute() and ref.path == source


def test_source_ref_hashes_large_files_in_chunks(tmp_path):
    big = tmp_path / "big.pdf"
    data = os.urandom(3 * (1 << 20) + 123)
    big.write_bytes(data)
    assert SourceRef.of(big).sha256 == hashlib.sha256(data).hexdigest()


def test_source_ref_relative_path_becomes_absolute(source, monkeypatch):
    monkeypatch.chdir(source.parent)
    assert SourceRef.of(source.name).path == source


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "gone.docx", "does not exist"),
    (lambda d: d, "folder"),
])
def test_source_ref_errors_name_the_file(tmp_path, make, message):
    with pytest.raises(InputError) as info:
        SourceRef.of(make(tmp_path))
    assert message in str(info.value) and str(tmp_path) in str(info.value)


def test_round_trip_with_a_real_decision(tmp_path, case, decision):
    target = tmp_path / "23 005 338.deskcase"
    case.save(target)
    assert case.path == target

    raw = json.loads(target.read_text(encoding="utf-8"))
    assert raw["format"] == FORMAT_NAME and raw["version"] == FORMAT_VERSION
    assert raw["app_version"] == __version__ and "T" in raw["saved_at"]
    assert raw["sources"] == [case.sources[0].to_dict()]
    assert Path(raw["sources"][0]["path"]).is_absolute()
    assert target.read_text(encoding="utf-8").startswith("{\n  ")   # pretty, for diffs and eyes

    loaded = CaseFile.load(target)
    assert loaded.path == target
    assert loaded.sources == case.sources
    assert loaded.review == case.review
    assert loaded.decision == decision
    assert decision_to_dict(loaded.decision) == decision_to_dict(decision)


def test_empty_case_round_trips(tmp_path):
    target = tmp_path / "new.deskcase"
    CaseFile().save(target)
    loaded = CaseFile.load(target)
    assert (loaded.sources, loaded.review, loaded.decision) == ([], {}, None)


def test_source_text_never_goes_into_the_case_file(tmp_path, case):
    target = tmp_path / "c.deskcase"
    case.save(target)
    assert "rang on 3 March" not in target.read_text(encoding="utf-8")


def test_missing_review_and_decision_default(case):
    data = saved_dict(case)
    del data["review"], data["decision"]
    loaded = CaseFile.from_dict(data)
    assert loaded.review == {} and loaded.decision is None and loaded.path is None


def test_relative_source_paths_resolve_against_the_case_folder(tmp_path, case, source):
    data = saved_dict(case)
    data["sources"][0]["path"] = "sources/case notes.txt"
    loaded = CaseFile.from_dict(data, tmp_path / "c.deskcase")
    assert loaded.sources[0].path == source
    assert [s.state for s in check_sources(loaded)] == ["ok"]


# --- source states ---------------------------------------------------------------------------


def test_unchanged_source_is_ok(tmp_path, case, source):
    case.save(tmp_path / "c.deskcase")
    [status] = check_sources(CaseFile.load(tmp_path / "c.deskcase"))
    assert (status.state, status.path, status.current) == ("ok", source, case.sources[0])


def test_edited_source_is_changed(tmp_path, case, source):
    case.save(tmp_path / "c.deskcase")
    source.write_text(NOTES + "Added later.\n", encoding="utf-8")
    [status] = check_sources(CaseFile.load(tmp_path / "c.deskcase"))
    assert status.state == "changed" and status.path == source
    assert status.current == SourceRef.of(source) and status.source == case.sources[0]


def test_same_size_edit_is_changed(tmp_path, case, source):
    source.write_text(NOTES.replace("Laffey", "Laffy!"), encoding="utf-8")
    assert check_sources(case)[0].state == "changed"


def test_deleted_source_is_missing(tmp_path, case, source):
    case.save(tmp_path / "c.deskcase")
    source.unlink()
    [status] = check_sources(CaseFile.load(tmp_path / "c.deskcase"))
    assert (status.state, status.path, status.current) == ("missing", source, None)


def test_case_and_source_moved_together_is_moved(tmp_path, case, source):
    case.save(tmp_path / "sources" / "c.deskcase")
    laptop = tmp_path / "other laptop"
    shutil.move(tmp_path / "sources", laptop)
    [status] = check_sources(CaseFile.load(laptop / "c.deskcase"))
    assert status.state == "moved"
    assert status.path == laptop / "case notes.txt"
    assert status.current.sha256 == case.sources[0].sha256


def test_windows_path_recorded_then_moved(tmp_path, case, source):
    data = saved_dict(case)
    data["sources"][0]["path"] = r"C:\Users\inv\Cases\case notes.txt"
    moved = CaseFile.from_dict(data, source.parent / "c.deskcase")
    [status] = check_sources(moved)
    assert status.state == "moved" and status.path == source


def test_a_different_file_with_the_same_name_is_not_moved(tmp_path, case, source):
    case.save(tmp_path / "c.deskcase")
    laptop = tmp_path / "laptop"
    laptop.mkdir()
    shutil.copy(tmp_path / "c.deskcase", laptop)
    (laptop / "case notes.txt").write_text(NOTES.upper(), encoding="utf-8")
    source.unlink()
    assert check_sources(CaseFile.load(laptop / "c.deskcase"))[0].state == "missing"


def test_save_load_and_check_leave_the_source_untouched(tmp_path, case, source):
    before = (source.read_bytes(), source.stat().st_mtime_ns, source.stat().st_size)
    case.save(tmp_path / "c.deskcase")
    loaded = CaseFile.load(tmp_path / "c.deskcase")
    check_sources(loaded)
    loaded.save(tmp_path / "c.deskcase")
    assert (source.read_bytes(), source.stat().st_mtime_ns, source.stat().st_size) == before
    assert sorted(p.name for p in source.parent.iterdir()) == ["case notes.txt"]


# --- bad case files --------------------------------------------------------------------------


def _bad_hash(d):
    d["sources"][0]["sha256"] = "abc123"


def _bad_decision(d):
    d["decision"]["header"]["reference"] = "23/005338"


def _missing_decision_field(d):
    del d["decision"]["summary"]


def _future(d):
    d["version"] = FORMAT_VERSION + 1


def _wrong_format(d):
    d["format"] = "desk-app.decision"


@pytest.mark.parametrize("change, field, words", [
    (_bad_hash, "sources[0].sha256", "64 hex characters"),
    (lambda d: d["sources"][0].update(size=-1), "sources[0].size", "whole number"),
    (lambda d: d["sources"][0].update(size=True), "sources[0].size", "whole number"),
    (lambda d: d["sources"][0].update(path=""), "sources[0].path", "file path"),
    (lambda d: d["sources"][0].pop("sha256"), "missing field sources[0].sha256", ""),
    (lambda d: d["sources"][0].update(hash="x"), "sources[0].hash", "misspelt"),
    (lambda d: d["sources"].append(copy.deepcopy(d["sources"][0])), "sources[1].path", "sources[0]"),
    (lambda d: d["sources"].append("notes.txt"), "sources[1]", "object"),
    (lambda d: d.update(sources={}), "sources", "list"),
    (lambda d: d.pop("sources"), "missing field sources", ""),
    (lambda d: d.update(review=[]), "review", "JSON object"),
    (_bad_decision, "decision.header.reference", "23 005 338"),
    (_missing_decision_field, "missing field decision.summary", ""),
    (lambda d: d.update(decision=[]), "decision", "object or null"),
    (lambda d: d["decision"].update(format_version=9), "decision.format_version", "not supported"),
    (_future, "version", "newer Decision Desk"),
    (lambda d: d.update(version="1"), "version", "whole number"),
    (_wrong_format, "format", "not a Decision Desk case file"),
    (lambda d: d.pop("format"), "format", "not a Decision Desk case file"),
    (lambda d: d.update(saved_at="yesterday"), "saved_at", "date and time"),
    (lambda d: d.update(app_version=1), "app_version", "text"),
    (lambda d: d.update(decison=None), "decison", "misspelt"),
])
def test_bad_case_files_give_one_line_naming_file_and_field(tmp_path, case, change, field, words):
    data = saved_dict(case)
    change(data)
    target = tmp_path / "bad.deskcase"
    target.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as info:
        CaseFile.load(target)
    message = str(info.value)
    assert message.startswith(f"{target}: ")
    assert field in message and words in message
    assert "\n" not in message


@pytest.mark.parametrize("content, words", [
    (b"{not json", "not valid JSON"),
    (b"", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"[1, 2]", "not a JSON object"),
    (b"[" * 100_000 + b"]" * 100_000, "not a Decision Desk case file"),
    (b'{"format": "decision-desk-case", "version": 1' + b"1" * 5000 + b"}", "not a Decision Desk case file"),
])
def test_unreadable_case_files_give_one_line(tmp_path, content, words):
    target = tmp_path / "bad.deskcase"
    target.write_bytes(content)
    with pytest.raises(InputError) as info:
        CaseFile.load(target)
    assert str(info.value).startswith(f"{target}: ") and words in str(info.value)


def test_missing_case_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        CaseFile.load(tmp_path / "nowhere.deskcase")
    with pytest.raises(InputError, match="folder"):
        CaseFile.load(tmp_path)


def test_utf8_bom_is_accepted(tmp_path, case):
    target = tmp_path / "bom.deskcase"
    target.write_bytes(b"\xef\xbb\xbf" + json.dumps(saved_dict(case)).encode())
    assert CaseFile.load(target).sources == case.sources


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                           lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(), kids, max_size=3),
                           max_leaves=10)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(["format", "version", "sources", "review", "decision", "saved_at", "app_version",
                            "sources.0", "sources.0.path", "sources.0.sha256", "sources.0.size",
                            "decision.header", "decision.sections", "decision.header.outcome"]),
       value=json_values)
def test_any_damage_is_an_input_error_or_loads(case, key, value):
    data = saved_dict(case)
    *parents, last = key.split(".")
    holder = data
    for part in parents:
        holder = holder[int(part)] if isinstance(holder, list) else holder[part]
    holder[int(last) if isinstance(holder, list) else last] = value
    try:
        CaseFile.from_dict(data, Path("x.deskcase"))
    except InputError as error:
        assert str(error).startswith("x.deskcase: ") and "\n" not in str(error)


# --- atomic saves ----------------------------------------------------------------------------


def test_failing_write_keeps_the_previous_file_and_leaves_no_temp_file(tmp_path, case, monkeypatch):
    target = tmp_path / "c.deskcase"
    case.save(target)
    before = target.read_bytes()
    case.review = {"changed": True}

    def broken_fsync(fd):   # the bytes are in the temp file; the disk then fails
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OutputError, match="No space left"):
        case.save(target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.deskcase", "sources"]


def test_failing_serialisation_keeps_the_previous_file(tmp_path, case, monkeypatch):
    target = tmp_path / "c.deskcase"
    case.save(target)
    before = target.read_bytes()

    def broken_dumps(*args, **kwargs):
        raise ValueError("boom half-way")

    monkeypatch.setattr("desk_app.core.storage.casefile.json.dumps", broken_dumps)
    with pytest.raises(OutputError, match="boom half-way"):
        case.save(target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.deskcase", "sources"]


def test_review_that_is_not_json_is_not_saved(tmp_path, case):
    target = tmp_path / "c.deskcase"
    case.save(target)
    before = target.read_bytes()
    case.review = {"when": object()}
    with pytest.raises(OutputError, match="not plain JSON"):
        case.save(target)
    assert target.read_bytes() == before


def test_a_case_that_would_not_load_back_is_not_saved(tmp_path, case, decision):
    target = tmp_path / "c.deskcase"
    case.save(target)
    before = target.read_bytes()
    broken = copy.deepcopy(decision)
    broken.header.reference = "not a reference"
    case.decision = broken
    with pytest.raises(OutputError, match=r"decision\.header\.reference"):
        case.save(target)
    assert target.read_bytes() == before


def test_save_into_a_missing_folder_is_an_output_error(tmp_path, case):
    with pytest.raises(OutputError, match="does not exist"):
        case.save(tmp_path / "no such folder" / "c.deskcase")
