"""Clustering mentions into people, on detections given by hand (no model needed)."""

from __future__ import annotations

from desk_app.core.entities import Detection
from desk_app.core.people import PeopleIndex


def person(text, phrase, start=0, detector="TitledNameRecognizer"):
    s = text.index(phrase, start)
    return Detection(s, s + len(phrase), phrase, "PERSON", 0.9, detector)


def test_forms_link_to_one_person_and_titles_split_a_couple():
    text = ("Mrs Cheryl Laffey complains. Mrs Laffey’s son is ill. Cheryl wrote. LAFFEY, Cheryl. "
            "Mr Shaun Laffey agreed. Mr and Mrs Laffey attended.")
    case = PeopleIndex([text])
    case.add_detections(0, [person(text, p) for p in
                            ("Mrs Cheryl Laffey", "Mrs Laffey", "Cheryl", "LAFFEY, Cheryl", "Mr Shaun Laffey",
                             "Mr and Mrs Laffey")])
    people = case.cluster()
    cheryl = next(p for p in people if p.first == "Cheryl")
    shaun = next(p for p in people if p.first == "Shaun")
    assert {m.text for m in cheryl.mentions} >= {"Mrs Cheryl Laffey", "Mrs Laffey", "Cheryl"}
    assert cheryl.title == "Mrs" and shaun.title == "Mr"
    assert cheryl.id != shaun.id
    couple = next(m for m in case.mentions if m.couple)
    assert couple.title == "Mr and Mrs"


def test_a_known_full_name_swallows_a_shorter_detection_inside_it():
    text = "Mr Iwan Yilmaz complains. Later, comments Iwan Yilmaz made were considered."
    second = text.index("Iwan Yilmaz made")
    case = PeopleIndex([text])
    case.add_detections(0, [person(text, "Mr Iwan Yilmaz"),
                            person(text, "Iwan", second, detector="SpacyRecognizer")])
    case.cluster()
    taken = [[(m.start, m.end) for m in case.mentions]]
    case.propagate(taken)
    spans = sorted(m.text for m in case.mentions)
    assert spans == ["Iwan Yilmaz", "Mr Iwan Yilmaz"]


def test_words_used_in_lower_case_elsewhere_are_not_names_unless_titled():
    text = "The Protection Conference met. The conference and its protection plan. Mr Conference said."
    case = PeopleIndex([text])
    case.add_detections(0, [person(text, "Protection Conference", detector="SpacyRecognizer"),
                            person(text, "Mr Conference")])
    case.cluster()
    assert [m.text for m in case.mentions] == ["Mr Conference"]


def test_a_word_a_name_slot_found_in_lower_case_is_still_a_name():
    """'Contact: femi' (a slot, lower case) and 'Son Femi (14)': the lower-case use is the name
    itself, so it does not make 'Femi' an ordinary word."""
    text = "Son Femi (14) has asthma. Contact: femi. Spoke to femi at the door. The key was lost. Key Stage 2."
    case = PeopleIndex([text])
    case.add_detections(0, [person(text, "Femi", detector="SpacyRecognizer"),
                            person(text, "femi", text.index("femi"), detector="StructureRecognizer"),
                            person(text, "Key", detector="SpacyRecognizer")])
    case.cluster()
    assert sorted(m.text for m in case.mentions) == ["Femi", "femi"]


def test_children_and_adults_from_kinship_words():
    text = ("Ms Amina Farah complains about her son, Yusuf (aged 6), and her adult daughter, Halima. "
            "Her husband, Omar Farah, works away.")
    case = PeopleIndex([text])
    case.add_detections(0, [person(text, "Ms Amina Farah"), person(text, "Yusuf", detector="Kinship"),
                            person(text, "Halima", detector="Kinship"), person(text, "Omar Farah", detector="x")])
    people = {p.display: p for p in case.cluster()}
    assert people["Yusuf"].child is True and people["Yusuf"].gender == "m"
    assert people["Halima"].child is False and people["Halima"].title == "Ms"
    assert people["Omar Farah"].child is False and people["Omar Farah"].title == "Mr"
    assert case.find_complainant().display == "Amina Farah"


def test_initials_link_to_the_person_they_abbreviate():
    text = "Mr Shaun Laffey complains. Mr S.L. wrote again. S.L. signed it. Mrs Cheryl Laffey agreed."
    case = PeopleIndex([text])
    case.add_detections(0, [person(text, "Mr Shaun Laffey"), person(text, "Mr S.L."),
                            person(text, "S.L.", text.index("S.L. signed"), detector="x"),
                            person(text, "Mrs Cheryl Laffey")])
    shaun = next(p for p in case.cluster() if p.first == "Shaun")
    assert {m.text for m in shaun.mentions} == {"Mr Shaun Laffey", "Mr S.L.", "S.L."}


def test_pronouns_give_a_known_adult_a_title():
    text = "Mrs Ada Lowe complains. Her partner, Sam Okoro, says he was not told. Sam Okoro is angry."
    case = PeopleIndex([text])
    case.add_detections(0, [person(text, "Mrs Ada Lowe"), person(text, "Sam Okoro", detector="x"),
                            person(text, "Sam Okoro", text.index("Sam Okoro is"), detector="x")])
    sam = next(p for p in case.cluster() if p.first == "Sam")
    assert sam.child is False and sam.title == "Mr"


def test_a_known_first_name_takes_the_surname_the_model_missed_but_not_a_place():
    text = ("Mrs Amy Howard complains about her son, Kajus. Advice about Kajus Tawkeel’s education was poor. "
            "Mrs Cheryl Green objected to the Green Belt plan.")
    case = PeopleIndex([text])
    case.add_detections(0, [person(text, "Mrs Amy Howard"), person(text, "Kajus", detector="Kinship"),
                            person(text, "Mrs Cheryl Green")])
    case.cluster()
    found = case.propagate([[(m.start, m.end) for m in case.mentions]])
    assert [m.text for m in found] == ["Kajus Tawkeel"]
