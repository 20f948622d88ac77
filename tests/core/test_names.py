"""What a name looks like (desk_app.core.names) and how a detected name is taken apart
(title, couple, surname first, particles): plain strings in, no spaCy model."""

from __future__ import annotations

import pytest

from desk_app.core.detect import clean
from desk_app.core.entities import Detection
from desk_app.core.names import (
    TITLE_JUST_BEFORE,
    TITLE_PREFIX,
    fold,
    initials_of,
    is_name_word,
    is_place_context,
    role_case,
    strip_accents,
)
from desk_app.core.people import parse_mention, split_name


@pytest.mark.parametrize(("text", "title", "title2", "rest"), [
    ("Mrs Laffey", "Mrs", None, "Laffey"),
    ("Mr Laffey", "Mr", None, "Laffey"),
    ("Ms Hale", "Ms", None, "Hale"),
    ("Miss Hale", "Miss", None, "Hale"),
    ("Mx Lee", "Mx", None, "Lee"),
    ("Dr. Nair", "Dr", None, "Nair"),
    ("Mr. Webb", "Mr", None, "Webb"),
    ("MRS LAFFEY", "MRS", None, "LAFFEY"),
    ("Mr\u00a0Hale", "Mr", None, "Hale"),
    ("Mr and Mrs Laffey", "Mr", "Mrs", "Laffey"),
    ("Mr & Mrs Laffey", "Mr", "Mrs", "Laffey"),
    ("Mr. and Mrs. Laffey", "Mr", "Mrs", "Laffey"),
    ("MR AND MRS LAFFEY", "MR", "MRS", "LAFFEY"),
    ("Sir Alistair", "Sir", None, "Alistair"),
    ("Cllr Zielinski", "Cllr", None, "Zielinski"),
    ("Master Tom", "Master", None, "Tom"),
])
def test_title_prefix_takes_the_title_and_a_couple_s_two(text, title, title2, rest):
    m = TITLE_PREFIX.match(text)
    assert m is not None
    assert (m.group("title"), m.group("title2"), text[m.end():]) == (title, title2, rest)


@pytest.mark.parametrize("text", ["Missy Elliott", "Mrsmith", "Mrs", "Drew Barry", "Msango Phiri", "Mr.Webb"])
def test_a_word_that_only_starts_like_a_title_is_not_one(text):
    assert TITLE_PREFIX.match(text) is None


def test_a_title_just_before_a_position_is_found_only_as_a_whole_word():
    assert TITLE_JUST_BEFORE.search("spoke to Mrs. ").group().strip() == "Mrs."
    assert TITLE_JUST_BEFORE.search("spoke to Mr ") is not None
    assert TITLE_JUST_BEFORE.search("the Humdr ") is None


@pytest.mark.parametrize(("surface", "title", "words", "couple"), [
    ("Mrs Cheryl Laffey", "Mrs", ("Cheryl", "Laffey"), False),
    ("MRS LAFFEY", "Mrs", ("LAFFEY",), False),                 # a title in capitals is written 'Mrs'
    ("Mr. and Mrs. Laffey", "Mr and Mrs", ("Laffey",), True),
    ("Mr & Mrs Laffey", "Mr and Mrs", ("Laffey",), True),
    ("PC Dale", "PC", ("Dale",), False),                       # a police rank keeps its capitals
    ("OYELARAN Bisi", None, ("Bisi", "OYELARAN"), False),      # a surname first, in capitals, goes last
    ("Cheryl", None, ("Cheryl",), False),
])
def test_a_detected_name_splits_into_title_and_name_words(surface, title, words, couple):
    m = parse_mention(0, surface, Detection(0, len(surface), surface, "PERSON", 0.9, "x"))
    assert (m.title, m.words, m.couple) == (title, words, couple)


def test_a_title_alone_is_no_mention():
    assert parse_mention(0, "Mrs ", Detection(0, 4, "Mrs ", "PERSON", 0.9, "x")) is None


@pytest.mark.parametrize(("words", "expected"), [
    (["Cheryl", "Laffey"], ("Cheryl", "Laffey")),
    (["Jan", "van", "der", "Berg"], ("Jan", "van der Berg")),
    (["Ahmed", "bin", "Rashid"], ("Ahmed", "bin Rashid")),
    (["Cheryl"], (None, None)),
])
def test_split_name_keeps_a_particle_with_the_surname(words, expected):
    assert split_name(words) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("Kerry Brennan", {"KB"}),
    ("Bethan Rees-Morgan", {"BR", "BRM", "RM"}),
    ("Siobhan McGuinness", {"SM", "SMG", "SMcG"}),
    ("C. MacLeod", {"CM", "CML"}),
    ("Summer-Rose Hadley", {"S-R", "SH", "SRH"}),
    ("Jo Lacey-Brooks", {"JL", "JLB", "LB"}),
    ("Jan van der Berg", {"JB"}),        # particles are not initials
    ("Cheryl", set()),                   # one word has no initials
    ("", set()),
])
def test_initials_of_gives_every_way_a_name_is_abbreviated(name, expected):
    assert initials_of(name) == expected


def test_a_role_is_written_in_lower_case_except_its_acronyms():
    assert role_case("Team Manager") == "team manager"
    assert role_case("Senior Social Worker") == "senior social worker"
    assert role_case("GP") == "GP"
    assert role_case("Lead SENCO") == "lead SENCO"


def test_fold_and_strip_accents_match_names_however_they_are_typed():
    assert fold("Brândușa") == fold("BRANDUSA") == "brandusa"
    assert strip_accents("Łukasz") == "Lukasz"
    assert strip_accents("Ștefania") == "Stefania"
    assert fold("Ó Briain") == "o briain"


@pytest.mark.parametrize(("word", "plain", "after_title"), [
    ("Laffey", True, True),
    ("O'Brien", True, True),
    ("Smith-Jones", True, True),
    ("However", False, False),
    ("Council", False, False),
    ("Sunday", False, True),    # 'Mrs Sunday Chaudhry': after a title, more words are names
    ("Y’s", False, False),      # a pseudonym's possessive is not a name
])
def test_is_name_word(word, plain, after_title):
    assert (is_name_word(word), is_name_word(word, titled=True)) == (plain, after_title)


@pytest.mark.parametrize(("text", "word", "place"), [
    ("She lives near Preston City Council.", "Preston", True),
    ("She moved to Bishop's Stortford.", "Stortford", True),
    ("They met in Hope, Derbyshire.", "Hope", True),
    ("She wrote to St Mary's.", "Mary", True),
    ("Mrs Preston wrote to the Council.", "Preston", False),
])
def test_a_surname_that_names_a_place_or_a_body_is_not_a_person_there(text, word, place):
    s = text.index(word)
    assert is_place_context(text, s, s + len(word)) is place


@pytest.mark.parametrize(("text", "phrase", "kept"), [
    ("Dr Emeka Jideofor MBBS MRCGP wrote.", "Dr Emeka Jideofor MBBS MRCGP", "Dr Emeka Jideofor"),
    ("Signed: Ann Cole RGN, RMN.", "Ann Cole RGN, RMN", "Ann Cole"),
    ("Mrs Laffey’s son", "Mrs Laffey’s", "Mrs Laffey"),
])
def test_post_nominals_and_possessives_are_not_part_of_the_name(text, phrase, kept):
    s = text.index(phrase)
    [d] = clean(text, [Detection(s, s + len(phrase), phrase, "PERSON", 0.9, "TitledNameRecognizer")])
    assert d.text == kept
