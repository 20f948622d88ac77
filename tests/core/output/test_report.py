"""The replacement report (desk_app.core.output.report) from plain records: what it lists,
and that a report written without a review never claims one. No model, no files."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from desk_app import __version__
from desk_app.core.anonymise import ReportRow
from desk_app.core.output.leakscan import Leak
from desk_app.core.output.report import build_report


@dataclass
class Outcome:
    """One file's outcome, shaped as ``ReportedFile`` asks."""

    source: Path
    output: Path | None
    error: str | None = None
    leaks: list[Leak] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


ROW = ReportRow("notes.txt", 0, 17, "Mrs Cheryl Laffey", "Mrs X", "PERSON", "TitledNameRecognizer", 0.9, "Mrs X")
PERSON = {"names": ["Cheryl Laffey"], "title": "Mrs", "letter": "X", "pseudonym": "Mrs X", "child": False,
          "role": None, "complainant": True}


def test_the_report_lists_files_replacements_people_and_warnings_as_json():
    leak = Leak(Path("out/Laffey.txt"), "text", "line 3", "Laffey", "Mrs Laffey said")
    files = [Outcome(Path("in/notes.txt"), Path("out/notes.txt"), notes=["renamed: the name held 'Laffey'"]),
             Outcome(Path("in/Laffey.txt"), None, "the copy still named someone", [leak])]
    report = build_report(files, [ROW], [PERSON], ["Jo Pike is written with more than one title (Mrs, Ms)"])
    assert json.loads(json.dumps(report)) == report   # JSON-ready as it stands
    assert report["tool"] == f"desk-app {__version__}"
    assert report["files"] == [
        {"source": str(Path("in/notes.txt")), "output": str(Path("out/notes.txt")), "error": None, "leaks": [],
         "notes": ["renamed: the name held 'Laffey'"]},
        {"source": str(Path("in/Laffey.txt")), "output": None, "error": "the copy still named someone",
         "leaks": [{"part": "text", "where": "line 3", "term": "Laffey", "context": "Mrs Laffey said"}],
         "notes": []}]
    assert report["replacements"] == [{"file": "notes.txt", "start": 0, "end": 17, "original": "Mrs Cheryl Laffey",
                                       "replacement": "Mrs X", "entity": "PERSON",
                                       "detector": "TitledNameRecognizer", "score": 0.9, "person": "Mrs X"}]
    assert report["people"] == [PERSON]
    assert report["warnings"] == ["Jo Pike is written with more than one title (Mrs, Ms)"]
    assert report["possible_names_not_replaced"] == []


def test_a_report_without_a_review_never_claims_one():
    report = build_report([], [ROW], [PERSON], [])
    assert not {"rejected", "unreviewed", "review", "kept_but_replaced"} & set(report)


def test_a_review_s_decisions_are_reported_when_given():
    review = {"accepted_individually": 1, "accepted_by_person": 0, "accepted_in_bulk": 3, "rejected": 1,
              "unreviewed": 2}
    rejected = [{"text": "Hope", "start": 40}]
    report = build_report([], [ROW], [PERSON], [], rejected=rejected, unreviewed=2, review=review,
                          kept_but_replaced=[])
    assert (report["rejected"], report["unreviewed"], report["review"], report["kept_but_replaced"]) == (
        rejected, 2, review, [])
    review["rejected"] = 99
    assert report["review"]["rejected"] == 1   # the report keeps its own copy
