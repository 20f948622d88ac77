"""The two seed decisions, given realistic names again (tests/data/roundtrip, from the shared
round-trip benchmark), must come back as the published text, up to the choice of letters."""

from __future__ import annotations

import difflib
import re

import pytest

from tests.helpers.paths import TESTS

pytestmark = pytest.mark.slow
DATA = TESTS / "data" / "roundtrip"
SEEDS = sorted(p.name.removesuffix(".raw.txt") for p in DATA.glob("*.raw.txt"))


def tokens(text):
    return re.findall(r"\w+|[^\w\s]", text)


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_decision_round_trips_to_the_published_text(seed, anonymise_texts):
    raw = (DATA / f"{seed}.raw.txt").read_text(encoding="utf-8")
    gold = (DATA / f"{seed}.gold.txt").read_text(encoding="utf-8")
    _, (out,) = anonymise_texts(raw)
    g, o = tokens(gold), tokens(out)
    letters: dict[str, str] = {}
    problems = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, g, o, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1 and all(
                re.fullmatch(r"[A-Z]", a) and re.fullmatch(r"[A-Z]", b) for a, b in zip(g[i1:i2], o[j1:j2], strict=True)):
            for a, b in zip(g[i1:i2], o[j1:j2], strict=True):
                letters.setdefault(a, b)
                if letters[a] != b:
                    problems.append(f"published {a} became both {letters[a]} and {b}")
            continue
        problems.append(f"{op}: {' '.join(g[i1:i2])!r} -> {' '.join(o[j1:j2])!r}")
    assert problems == []
    # one letter per published letter and distinct between people
    assert len(set(letters.values())) == len(letters)
    assert not set(letters.values()) & {"A", "I"}
