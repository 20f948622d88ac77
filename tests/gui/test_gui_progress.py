"""Progress on a case of several files: one count over the whole case, the time left, and
the last phase named, so the bar never restarts per file nor sits silent at the end."""

from __future__ import annotations

import pytest

from desk_app.core.detect import analysis_units
from desk_app.gui.engine import time_left

pytestmark = pytest.mark.slow


def test_progress_counts_over_every_file_then_names_the_last_phase(window, sample_copy, qtbot, wait_review):
    text = (sample_copy / "case-notes.txt").read_text(encoding="utf-8")
    for n in range(3):   # four files of case notes, big enough to take a while
        (sample_copy / f"more-{n}.txt").write_text((text + "\n") * 3, encoding="utf-8")
    seen: list[tuple[int, int, str]] = []
    window.engine.worker.progress.connect(lambda _r, done, total, what: seen.append((done, total, what)))
    window.open_paths([sample_copy])
    review = wait_review(window)
    assert len(review.documents) == 6

    finding = [(d, t, w) for d, t, w in seen if w.startswith("Finding names")]
    # one tick per piece the model reads: a line, or a paragraph's wrapped lines together
    total = sum(len(analysis_units(doc)) for doc in review.documents)
    assert {t for _, t, _ in finding} == {total}                 # one count for the whole case
    dones = [d for d, _, _ in finding]
    assert dones == sorted(dones) and dones[-1] == total       # never restarting per file
    files = {w.split("(")[1].split(" files")[0] for _, _, w in finding}
    assert {"1 of 6", "6 of 6"} <= files                       # which file, of how many
    reading = [w for _, _, w in seen if w.startswith("Reading")]
    assert reading[0].endswith("(1 of 6 files)")
    # after the last paragraph the last phase says what it does, and shows busy (0 of 0)
    last = seen.index(finding[-1])
    assert seen[last + 1] == (0, 0, "Grouping people and choosing pseudonyms")
    assert window.progress_label.text() == "Grouping people and choosing pseudonyms"   # what the window said
    assert window.progress.format() == "%p%"
    assert review.people and window.review is review             # the review came back built


def test_time_left_is_estimated_from_the_rate_so_far():
    assert time_left(0, 100, 5.0) == ""            # nothing done: no guess
    assert time_left(50, 100, 0.5) == ""           # too soon to tell
    assert time_left(50, 100, 30.0) == "about 30 s left"
    assert time_left(10, 100, 20.0) == "about 3 min left"
    assert time_left(95, 100, 20.0) == "a few seconds left"
    assert time_left(100, 100, 20.0) == ""
