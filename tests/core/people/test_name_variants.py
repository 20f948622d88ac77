"""The other forms a known person takes, and how the case's forms are found: pure functions,
no language model."""

from __future__ import annotations

import pytest

from desk_app.core.names import FormIndex, fold_chars, is_place_context, lookalike_spans
from desk_app.core.people.variants import defined_acronyms, initials_of, usernames_of


@pytest.mark.parametrize("name, expected", [
    ("Kerry Brennan", {"KB"}),
    ("Bethan Rees-Morgan", {"BRM", "BR", "RM"}),
    ("Siobhan McGuinness", {"SM", "SMcG"}),
    ("C. MacLeod", {"CM", "CML"}),
    ("Summer-Rose Hadley", {"S-R", "SH"}),
])
def test_initials_a_name_is_written_as(name, expected):
    assert expected <= initials_of(name)


def test_logins_and_mailboxes():
    assert {"kbrennan", "k.brennan", "kerry.brennan", "brennank"} <= usernames_of("Kerry", "Brennan")
    assert "mwhitlockhenry" in usernames_of("Marcus", "Whitlock-Henry")
    assert "roneill" in usernames_of("Rachel", "O'Neill")
    assert usernames_of("D.", "Okoro") >= {"dokoro", "d.okoro"}
    assert usernames_of("Jo", "Li") == set(), "too short to be told from other words"


def test_an_acronym_the_text_defines_is_nobodys_initials():
    text = "She applied for Council Tax Reduction (CTR). Svetlana Morozova (SM) checked it. Team Around the Child (TAC)."
    assert defined_acronyms([text]) == {"CTR", "SM", "TAC"}
    assert defined_acronyms([text], ["Svetlana Morozova"]) == {"CTR", "TAC"}


def test_fold_chars_keeps_every_offset():
    for text in ("Bożena Wójcik", "Nguyễn Thị", "Strauß", "O’Brien", "Holst‑Christensen", "Łukasz\u00a0Dąbrowski"):
        folded = fold_chars(text)
        assert len(folded) == len(text)
    assert fold_chars("Bożena Wójcik") == "Bozena Wojcik"
    assert fold_chars("O’Brien Holst‑Christensen") == "O'Brien Holst-Christensen"


def test_form_index_finds_whole_words_accent_blind_longest_first():
    index = FormIndex(["Laffey", "Cheryl Laffey", "Wojcik", "O'Brien", "Smith"])
    text = "Mrs Cheryl Laffey’s son. Bożena Wójcik and Mr O’Brien met Smith-Jones, not Smith."
    found = [text[m.start:m.end] for m in index.finditer(text)]
    assert found == ["Cheryl Laffey", "Wójcik", "O’Brien", "Smith"]


def test_form_index_plural_and_case_blind_as_the_scan_searches():
    index = FormIndex(["Sunday", "Laffey"], ignore_case=True, plural=True)
    text = "works Sundays; the LAFFEYS and laffey; Sundayschool"
    assert [text[m.start:m.end] for m in index.finditer(text)] == ["Sundays", "LAFFEYS", "laffey"]


@pytest.mark.parametrize("text, word", [
    ("at King's Meadow Primary", "King"),
    ("in Hope, Derbyshire", "Hope"),
    ("the GRACE DIEU NURSING HOME", "GRACE"),
    ("Calderwick and Ribble NHS FT", "Calderwick"),
    ("Lublin Remand Centre", "Lublin"),
])
def test_places_and_bodies(text, word):
    start = text.index(word)
    assert is_place_context(text, start, start + len(word))


@pytest.mark.parametrize("text, word", [
    ("Tyler's EHCP was late", "Tyler"),
    ("Faith's Universal Credit stopped", "Faith"),
    ("Mrs Hope Amadi said", "Hope"),
])
def test_people_are_not_places(text, word):
    start = text.index(word)
    assert not is_place_context(text, start, start + len(word))


def test_look_alike_organisations_cases_and_feasts():
    text = ("Materials from Travis Perkins. See R (McDonald) v Royal Borough of Kensington and Chelsea [2011] UKSC 33 "
            "and Haile v Waltham Forest LBC. Closed over Easter Sunday.")
    assert [text[a:b].strip() for a, b in lookalike_spans(text)] == [
        "Travis Perkins", "R (McDonald) v Royal Borough of Kensington and Chelsea", "Haile v Waltham Forest LBC",
        "Easter Sunday"]
