"""Move detection on two generated 50-page drafts, scored against what the generator did.

The sample pair is too short to show whether alignment holds up on a long decision where many
paragraphs share sentences; these drafts are (see tests/benchmarks/compare_drafts.py). Speed is
measured by tests/benchmarks/bench_compare.py, not here.
"""

from __future__ import annotations

import pytest

from desk_app.core.compare import ChangeKind, RowKind, compare, draft_from_text
from tests.benchmarks.compare_drafts import make_pair, norm, score


def run(kind: str, seed: int = 1):
    v1, v2, truth = make_pair(kind, seed=seed)
    return compare(draft_from_text(v1, "v1.txt"), draft_from_text(v2, "v2.txt")), truth


def test_generator_is_deterministic_and_the_size_of_a_long_decision():
    first, again, other = make_pair("heavy", seed=3), make_pair("heavy", seed=3), make_pair("heavy", seed=4)
    assert first == again
    assert first[0] != other[0] and first[1] != other[1]
    v1, v2, truth = make_pair("typical")
    assert 22_000 <= len(v1.split()) <= 30_000
    assert 280 <= truth["paragraphs"] <= 400
    assert (truth["moved"], sum(m["edited"] for m in truth["moves"])) == (3, 1)
    body = [line for line in v1.splitlines() if line.startswith("  ")]
    assert len(body) == len(set(body)) == truth["paragraphs"]       # no paragraph twice, so every match is one


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_typical_finds_every_move_and_calls_no_edit_a_move(seed):
    comparison, truth = run("typical", seed)
    found = score(comparison, truth)
    assert found["moves_found"] == found["moves_truth"] == 3, found["moves_missed"]
    assert found["edited_reported_as_moved"] == []
    assert found["false_moves"] == []
    # the one paragraph edited on its way is flagged as edited, the two moved whole are not
    edited_move = next(m for m in truth["moves"] if m["edited"])
    for change in comparison.changes:
        if change.kind is ChangeKind.MOVED:
            row = comparison.rows[change.rows[0]]
            assert row.kind is RowKind.MOVED_FROM
            assert change.edited == (norm(comparison.left_text(row)) == norm(edited_move["v1"]))


def test_heavy_finds_at_least_18_of_20_moves():
    comparison, truth = run("heavy")
    found = score(comparison, truth)
    assert found["moves_truth"] == 20
    assert found["moves_found"] >= 18, found["moves_missed"]
    assert len(found["false_moves"]) <= 2, found["false_moves"]
    assert found["edited_reported_as_moved"] == []


def test_renumbering_alone_is_no_change():
    v1, v2, _ = make_pair("renumber")
    assert v1 != v2                                    # the numbers really differ: 1, 2, 1, 2 ... against 1 ... 300
    left, right = draft_from_text(v1, "v1.txt"), draft_from_text(v2, "v2.txt")
    assert [b.label for b in left.blocks] != [b.label for b in right.blocks]
    comparison = compare(left, right)
    assert comparison.counts.total == 0, comparison.summary()
    assert {row.kind for row in comparison.rows} == {RowKind.EQUAL}
