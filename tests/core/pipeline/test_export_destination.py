"""Where the window proposes to export and save (desk_app.core.pipeline.publish), on real folders:
a new folder beside the case, never a source folder or the installed program, the report
beside the publication folder, never in it (issue 14, items 4 and 6)."""

from __future__ import annotations

from pathlib import Path

import desk_app
from desk_app.core.pipeline.paths import is_inside
from desk_app.core.pipeline.publish import (
    choose_export_folder,
    private_report_path,
    proposed_case_path,
    proposed_export_folder,
)
from desk_app.resources import resource_path


def case(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "cases" / "Laffey complaint"
    folder.mkdir(parents=True)
    notes = folder / "notes.txt"
    notes.write_text("Mrs Cheryl Laffey complained.\n", encoding="utf-8")
    return [notes]


def test_the_proposal_is_a_new_folder_beside_the_case_named_after_the_reference(tmp_path):
    sources = case(tmp_path)
    docs = tmp_path / "Documents"
    first = proposed_export_folder("24 011 873", sources, docs)
    assert first == tmp_path / "cases" / "24 011 873 anonymised" and not first.exists()
    assert not is_inside(first, sources[0].parent)
    first.mkdir()
    assert proposed_export_folder("24 011 873", sources, docs) == tmp_path / "cases" / "24 011 873 anonymised (2)"
    # a report left by an earlier export also takes the name
    private_report_path(tmp_path / "cases" / "24 011 873 anonymised (2)").write_text("{}", encoding="utf-8")
    assert proposed_export_folder("24 011 873", sources, docs).name == "24 011 873 anonymised (3)"
    # no reference yet: no client's name from the folder either
    assert proposed_export_folder(None, sources, docs).name == "case anonymised"
    assert proposed_export_folder("a/b:c", sources, docs).name == "a-b-c anonymised"
    assert proposed_case_path("24 011 873", sources, docs) == tmp_path / "cases" / "24 011 873.deskcase"


def test_the_sample_case_inside_the_program_falls_back_to_documents(tmp_path):
    docs = tmp_path / "Documents"
    for inside in (resource_path("sample_case", "case-notes.txt"),     # the shipped sample case, wherever it is
                   Path(desk_app.__file__).parent / "gui" / "notes.txt"):
        assert proposed_export_folder("24 011 873", [inside], docs) == docs / "24 011 873 anonymised"
        assert proposed_case_path(None, [inside], docs) == docs / "case.deskcase"


def test_the_report_goes_beside_the_publication_folder(tmp_path):
    out = tmp_path / "24 011 873 anonymised"
    report = private_report_path(out)
    assert report == tmp_path / "24 011 873 anonymised - PRIVATE replacement report.json"
    assert not is_inside(report, out)


def test_a_chosen_folder_is_used_if_empty_gets_a_new_folder_if_not_and_a_source_folder_is_refused(tmp_path):
    sources = case(tmp_path)
    folder, why = choose_export_folder(sources[0].parent, "24 011 873", sources)
    assert folder is None and "holds the case's own files (notes.txt)" in why
    folder, why = choose_export_folder(sources[0].parent / "sub", "24 011 873", sources)
    assert folder is None                                  # inside a source folder is no better
    empty = tmp_path / "empty"
    empty.mkdir()
    assert choose_export_folder(empty, "24 011 873", sources)[0] == empty
    busy = tmp_path / "cases"                              # holds the case's folder: a new folder inside
    folder, why = choose_export_folder(busy, "24 011 873", sources)
    assert folder == busy / "24 011 873 anonymised" and "not empty" in why
    afile = tmp_path / "x.txt"
    afile.write_text("x", encoding="utf-8")
    assert choose_export_folder(afile, "24 011 873", sources)[0] is None
