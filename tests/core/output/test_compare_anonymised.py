"""Original against anonymised copy: every replacement listed, everything else flagged."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from desk_app.core.compare import draft_from_text
from desk_app.core.output.copy_check import check_anonymised
from desk_app.core.people.mapping import CaseMapping
from tests.helpers.paths import REPO

REPO = REPO

ORIGINAL = """Complaint from Mrs Cheryl Laffey about her son Jack.
Mrs Laffey said the social worker, Jane Smith, did not visit Jack until 4 May.
Cheryl Laffey’s phone number is 07700 900123.
The Laffey family moved to the area in 2020.
The Council apologised to Mrs Laffey on 12 June."""

ANONYMISED = """Complaint from Mrs X about her son B.
Mrs X said the social worker did not visit B until 4 May.
Mrs X’s phone number is [phone number].
The X family moved to the area in 2020.
The Council apologised to Mrs X on 12 June."""

MAPPING = CaseMapping.from_dict({"people": [
    {"names": ["Cheryl Laffey", "Cheryl", "Laffey"], "title": "Mrs", "letter": "X", "complainant": True},
    {"names": ["Jack"], "letter": "B", "child": True},
    {"names": ["Jane Smith", "Smith"], "title": "Ms", "role": "social worker"},
]})


def check(anonymised: str, mapping: CaseMapping | None = MAPPING):
    return check_anonymised(draft_from_text(ORIGINAL, "notes.txt"), draft_from_text(anonymised, "notes.anon.txt"),
                            mapping)


@pytest.mark.parametrize("mapping", [MAPPING, None], ids=["with mapping", "without mapping"])
def test_a_correct_copy_lists_every_replacement_and_nothing_else(mapping):
    result = check(ANONYMISED, mapping)
    assert result.ok, [(f.original, f.anonymised, f.note) for f in result.unexpected + result.residuals]
    pairs = [(f.original.strip(" ,"), f.anonymised.strip(" ,")) for f in result.replacements]
    assert ("Cheryl Laffey", "X") in pairs            # 'Mrs Cheryl Laffey' -> 'Mrs X': the title is unchanged text
    assert ("Jack", "B") in pairs
    assert ("07700 900123", "[phone number]") in pairs
    assert ("Laffey", "X") in pairs                   # 'the Laffey family' -> 'the X family'
    assert any("Jane Smith" in f.original and not f.anonymised.strip(" ,") for f in result.replacements)
    assert len(result.replacements) == 9
    for f in result.replacements:   # offsets point at the original and the copy
        row = result.comparison.rows[f.row]
        a, b = result.comparison.pair_texts(row)
        assert a[f.a0:f.a1] == f.original and b[f.b0:f.b1] == f.anonymised
    if mapping:
        assert {f.person for f in result.replacements if f.original.strip() == "Jack"} == {"B"}


def test_a_word_changed_by_mistake_is_flagged():
    result = check(ANONYMISED.replace("until 4 May", "until 14 May"))
    assert not result.ok
    [flagged] = result.unexpected
    assert (flagged.original.strip(), flagged.anonymised.strip()) == ("4", "14")


def test_the_wrong_pseudonym_is_flagged_with_a_mapping():
    result = check(ANONYMISED.replace("her son B", "her son C"))
    [flagged] = result.unexpected
    assert flagged.original == "Jack" and flagged.anonymised == "C"
    assert "not the pseudonym" in flagged.note


def test_a_name_left_in_the_copy_is_a_residual():
    leaky = ANONYMISED.replace("The X family", "The Laffey family")
    result = check(leaky)
    assert [f.anonymised for f in result.residuals] == ["Laffey"]
    assert result.residuals[0].right_block == 3
    without = check(leaky, None)   # without a mapping: replaced elsewhere, so suspicious here
    assert [f.anonymised for f in without.residuals] == ["Laffey"]


def test_a_lost_paragraph_is_flagged():
    result = check("\n".join(ANONYMISED.split("\n")[:-1]))
    assert [f.note for f in result.unexpected] == ["a paragraph the copy lost"]


@pytest.mark.slow
def test_the_command_checks_a_real_anonymised_case(tmp_path, detector):
    """End to end as a publication officer would: anonymise, then check the copies."""
    out, mapping = tmp_path / "out", tmp_path / "case.map.json"
    cli = [sys.executable, "-m", "desk_app.cli.main"]
    sample = REPO / "resources" / "sample_case"
    subprocess.run([*cli, "anonymise", str(sample), "--out-dir", str(out), "--mapping", str(mapping)],
                   check=True, capture_output=True, text=True, timeout=300)
    total = 0
    for original, copy in (("case-notes.txt", "case-notes.txt"), ("council-response.docx", "council-response.docx"),
                           ("complaint-letter.pdf", "complaint-letter.txt")):
        report = tmp_path / f"{copy}.json"
        run = subprocess.run([*cli, "compare", str(sample / original), str(out / copy), "--anonymised",
                              "--mapping", str(mapping), "-o", str(report)], capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0, run.stdout + run.stderr
        data = json.loads(report.read_text(encoding="utf-8"))["anonymisation_check"]
        assert data["ok"] and not data["unexpected"] and not data["residuals"]
        total += len(data["replacements"])
    assert total >= 50   # the sample has 57 replacements; all must be listed

    tampered = tmp_path / "tampered.txt"
    text = (out / "case-notes.txt").read_text(encoding="utf-8")
    tampered.write_text(text.replace("Mrs X", "Mrs Ramsden", 1).replace("visited", "phoned", 1), encoding="utf-8")
    run = subprocess.run([*cli, "compare", str(sample / "case-notes.txt"), str(tampered), "--anonymised",
                          "--mapping", str(mapping)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "residual" in run.stdout and "Ramsden" in run.stdout
    assert "'visited' -> 'phoned'" in run.stdout
