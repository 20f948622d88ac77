"""The window's export goes through the one export path: the same path guard (refused at once,
nothing written) and the same anonymised file names as the command line (issue 12)."""

from __future__ import annotations

import json

import pytest

from desk_app.core.pipeline.publish import private_report_path

pytestmark = pytest.mark.slow


def test_export_into_the_sources_folder_is_refused_and_names_are_anonymised(window, tmp_path, qtbot,
                                                                             wait_review):
    case = tmp_path / "case"
    case.mkdir()
    notes = case / "Laffey notes.txt"
    notes.write_text("Mrs Cheryl Laffey complained about the council.\n", encoding="utf-8")
    before = notes.read_bytes()
    window.open_paths([notes])
    wait_review(window)
    window.accept_all_action.trigger()

    assert window.export_to(case) is None              # refused before the worker starts
    message = window.errors_shown[-1]
    assert message.startswith(f"{notes}: the anonymised copy of Laffey notes.txt would overwrite the source {notes}")
    assert message.endswith("choose another folder")
    assert window.request is None and sorted(p.name for p in case.iterdir()) == ["Laffey notes.txt"]
    assert notes.read_bytes() == before

    out = tmp_path / "out"
    window.export_to(out)
    qtbot.waitUntil(lambda: bool(window.last_export), timeout=60_000)
    assert sorted(p.name for p in out.iterdir()) == ["Mrs X notes.txt"]   # only what may be published
    assert (out / "Mrs X notes.txt").read_text(encoding="utf-8") == "Mrs X complained about the council.\n"
    report = json.loads(private_report_path(out).read_text(encoding="utf-8"))
    (entry,) = report["files"]
    assert (entry["source"], entry["output"]) == (str(notes), str(out / "Mrs X notes.txt"))
    assert entry["notes"] == ["the file name was anonymised: the copy is named Mrs X notes"]
    assert notes.read_bytes() == before
