"""The slot recognisers that search only the lines holding their required piece (a bracket,
a job title) find exactly what a search of the whole text finds: those patterns cannot cross
a line break, and the shortcut must never cost a name.

The texts are the generated case bundle of the benchmarks (tests/benchmarks/case_bundle.py)
and a few hand-written lines with brackets and job titles in awkward places."""

from __future__ import annotations

import importlib.util
import sys

from desk_app.core.detect.recognizers import structure
from tests.helpers.paths import TESTS

BENCH = TESTS / "benchmarks"

HAND_WRITTEN = [
    "Mrs Jones (Sioned) rang.\nOT (Jasmine) visited (again) and\n(Priya S) left; me (Rose)\n",
    "Autumn Rowe, SEN Case Officer\nLacey-Mae Gristwood, Registered Manager, and Tolu Adeyemi (SW)\n",
    "(\n(Tolu\nTolu (\nDean Marsh – Surveyor\tGary Holt (Repairs Officer)",
    "no brackets and no titles here at all",
    "",
]


def _texts() -> list[str]:
    spec = importlib.util.spec_from_file_location("bench_case_bundle_lines", BENCH / "case_bundle.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_case_bundle_lines"] = module
    spec.loader.exec_module(module)
    return HAND_WRITTEN + module.corpus(40, 400, seed=3)


def test_line_by_line_search_equals_whole_text_search():
    checked = 0
    for text in _texts():
        for pattern, found in ((structure._BRACKETED, structure._positions(text, "(")),
                               (structure._NAME_THEN_JOB, (m.start() for m in structure._JOB_HEAD.finditer(text)))):
            whole = [m.span() for m in pattern.finditer(text)]
            lines = [m.span() for a, b in structure._lines_where(text, found) for m in pattern.finditer(text, a, b)]
            assert lines == whole, text
            checked += len(whole)
    assert checked > 100   # the corpus does hold brackets and job titles


def test_lines_where_gives_each_line_once_in_order():
    text = "a(b(\nno\n((\n(\n"
    assert list(structure._lines_where(text, structure._positions(text, "("))) == [(0, 4), (8, 10), (11, 12)]
