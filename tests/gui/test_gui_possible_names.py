"""A word of a known name the tool left in place is in the window's review queue, and the
export's report lists it (issue 13: uncertain is not silent)."""

from __future__ import annotations

import json

import pytest

from desk_app.core.pipeline.publish import private_report_path

pytestmark = pytest.mark.slow


def test_a_possible_name_waits_for_review_and_is_reported(window, tmp_path, qtbot, wait_review):
    from desk_app.core.anonymise.review import POSSIBLE_NAME, REJECTED

    notes = tmp_path / "notes.txt"
    notes.write_text("Mr Sunday Adebayo-Cole appeals. He works Sundays.\nSunday said the crew never came.\n",
                     encoding="utf-8")
    window.open_paths([notes])
    review = wait_review(window)
    possible = [o for o in review.occurrences if o.entity == POSSIBLE_NAME]
    assert [o.text for o in possible] == ["Sundays"]
    assert possible[0] in review.unreviewed()
    panel = window.review_panel
    assert "possible name of Sunday Adebayo-Cole" in panel.view.describe(possible[0])
    assert not window.export_action.isEnabled(), "export waits until the possible name is decided"

    window.accept_all_action.trigger()   # the reviewer agrees it stays
    out = tmp_path / "out"
    window.export_to(out)
    qtbot.waitUntil(lambda: bool(window.last_export), timeout=60_000)
    copy = next(p for p in out.iterdir() if p.suffix == ".txt")
    assert "works Sundays" in copy.read_text(encoding="utf-8")
    report = json.loads(private_report_path(out).read_text(encoding="utf-8"))
    assert [p["text"] for p in report["possible_names_not_replaced"]] == ["Sundays"]

    review.decide(possible, REJECTED)   # the reviewer: it is the name after all
    assert "Sundays" not in review.preview(0)
