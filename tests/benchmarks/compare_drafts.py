"""Two long drafts of one LGO-style decision, with a record of every edit between them.

The compare benchmark and the accuracy tests need drafts that look like the ones caseworkers
compare (a 50-page decision, paragraphs numbered per section in the draft and continuously in
the final, "Back to top" lines repeated between sections, bullet lists after "It said:") and a
truth to score the engine against. Paragraphs are recombined from sentences of the real seed
decisions, with the people's letters, dates and amounts varied, so that the drafts share the
vocabulary of real decisions (which is what makes paragraphs look alike to a differ) while no
two paragraphs are the same (so every paragraph, and every move, has one right answer).

    make_pair("typical")  # ~8% edited in place, 2% deleted, 2% inserted, 3 moves (one edited)
    make_pair("heavy")    # ~40% changed: edits of every size, inserts, deletes, 20 moves
    make_pair("renumber") # the same draft with list numbers restarted per section vs continuous

Everything is drawn from one ``random.Random(seed)``, so a seed always gives the same texts.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

# The first seed decision ships in the repository as the sample draft, so every machine
# (CI included) generates the same drafts from the same sentences.
SEED_FILES = (Path(__file__).resolve().parents[2] / "resources" / "sample_compare" / "draft-v1.txt",)
WORDS_PER_PAGE = 500
PARAGRAPHS_PER_PAGE = 6.4          # ~320 body paragraphs (numbered paragraphs and bullets) in 50 pages

# Sentences copied from the seed decisions (both), so the vocabulary is richer than one seed.
FALLBACK_SENTENCES = (
    "Mr X complained about the Council’s actions in relation to child protection matters.",
    "He said the Council treated him unfairly and was biased towards his ex-partner.",
    "He also said the Council did not provide him with proper support in taking care of his child.",
    "We must also consider whether any fault has had an adverse impact on the person making the complaint.",
    "If there has been fault which has caused an injustice, we may suggest a remedy.",
    "I considered the information the Council provided.",
    "I considered their comments before making a final decision.",
    "Anyone who has concerns about a child’s welfare should make a referral to children’s social care and should do "
    "so immediately if there is a concern that the child is suffering significant harm or is likely to do so.",
    "The information gathering at this stage enables councils to assess the nature and level of any harm the child "
    "may be facing.",
    "Child Y lives with Mr X and child Z lives with Miss X.",
    "During an antenatal care appointment, Miss X reported to her midwife she had continued to suffer with domestic "
    "abuse from Mr X.",
    "The conference was attended by the Council’s Social Work Team and other various agencies such as the "
    "Children’s Community Nursing Team and a domestic service team for women.",
    "Mr X refused to be referred to the domestic abuse service for perpetrators.",
    "He said the Council had been biased against him as it had provided support to his ex-partner in relation to "
    "domestic abuse.",
    "The Council said as his children grow and develop, they will need a flexible parenting style to support their "
    "development throughout different stages of their lives.",
    "The Social Work Team had advised Mr X to report the incident to the police.",
    "Following this, the Council referred Mr X to a domestic support service for victims and signposted him to "
    "other helpful agencies.",
    "It said its Social Work Team would continue to liaise with its Housing Team.",
    "In response, the Council did not provide evidence to support its decision to refer Mr X to the domestic abuse "
    "service for perpetrators.",
    "The hospital bed was delivered to Mr X’s home in May 2022.",
    "The Council knew Mr X was a potential victim of domestic abuse.",
    "It should have considered this when deciding whether to make a referral.",
    "I cannot say whether the Council would have reached a different decision if it had properly considered "
    "evidence about Mr X.",
    "The Council has apologised to Mr X which is an appropriate remedy for this injustice.",
    "I am satisfied the Council’s actions remedy any further injustice from the fault.",
    "I did not find fault with the Council.",
    "Mrs X says this has caused significant distress and led the professionals involved to make the wrong decision.",
    "If there was no fault in how the organisation made its decision, we cannot question the outcome.",
    "In March 2023, the school reported to the Council that Mr and Mrs X’s son, B, had marks on his face.",
    "A section 47 investigation was undertaken and Mr and Mrs X attended a voluntary interview with the police at "
    "the end of March.",
    "On 6 April, the Council sent Mr and Mrs X notification of an initial child protection conference for 18 April.",
    "The social worker spoke with Mrs X on the telephone on 21 April.",
    "The notes show the social worker apologised for the delay in getting the report to them.",
    "The minutes show that both Mr and Mrs X had the opportunity to speak and give their point of view.",
    "The plan includes details of the action that will be taken to support the family.",
    "It agreed the term “several” was not clear and could give the wrong message.",
    "It said that it aims to share the report 48 hours before the meeting but this was not possible due to the "
    "social worker being ill the previous week.",
    "It said it would use Mrs X’s complaint for training purposes in order to prevent stress to other families in "
    "the future.",
    "I also note the Council accepts it should have sent information leaflets to Mrs X about this.",
    "The outcome of the ICPC is not necessarily always a child protection plan, it could be a CIN plan.",
    "I cannot say that the acknowledged faults in this case resulted in a decision that otherwise would not have "
    "been reached.",
)
FALLBACK_BULLETS = (
    "no further action;",
    "a decision to carry out a more detailed assessment of the child’s needs; or",
    "a decision to convene a strategy meeting.",
    "considered the complaint and the documents provided by the complainant;",
    "discussed the issues with the complainant;",
    "the Council to refer Mr X to a domestic abuse service for perpetrators.",
    "Miss X to continue engaging with a domestic abuse service for women.",
    "on what basis it decided to refer Mr X to a domestic abuse service for perpetrators.",
)
INTROS = ("It said:", "The Council responded to {P}. It said:", "As part of my investigation, I asked the Council:",
          "Some of these actions included for:", "{P} complained to the Council. {S} said the Council had:",
          "Since {P}’s complaint to us:", "The assessment may result in:")
# Sentences of our own that carry the dates and amounts real decisions are full of.
TEMPLATES = (
    "The Council has agreed to pay {P} £{amt} to acknowledge the distress caused by the delay.",
    "Within {weeks} weeks of my final decision, the Council will pay {P} £{amt} for the time and trouble in "
    "bringing the complaint.",
    "The Council offered {P} £{amt} at stage two of its complaints procedure, which {s} declined.",
    "On {date}, the Council wrote to {P} to say it would review the case by {date2}.",
    "{P} says the Council owes {o} £{amt} in unpaid direct payments for the period from {month} to {month2}.",
    "The case notes for {date} record a visit by the social worker, who spoke to {P} and {C} at home.",
    "{P} paid £{amt} for private care between {month} and {month2} while the Council arranged a new package.",
    "The Council’s records show it received {P}’s complaint on {date} and replied on {date2}.",
)
HEADINGS = ("The complaint", "The Ombudsman’s role and powers", "How I considered this complaint", "What I found",
            "Law and guidance", "Duty to investigate", "Acting on a referral", "Background", "What happened",
            "Key facts", "The Council’s response to my enquiries", "Analysis", "Findings", "Agreed action",
            "Complaint handling", "Final decision")
TOPICS = ("child protection", "housing", "the care package", "direct payments", "the assessment", "respite care",
          "school transport", "the education plan", "council tax", "the complaint", "the hospital discharge",
          "the safeguarding enquiry", "the financial assessment", "the home adaptations")
PLACES = ("Bromley", "Camden", "Croydon", "Ealing", "Harrow", "Lambeth", "Merton", "Sutton")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
LETTERS = "BCDFGHJKLMNPRSTVW"
_DATE = re.compile(r"\b(?:(\d{1,2}) )?(" + "|".join(MONTHS) + r")(?: (\d{4}))?\b")


@dataclass
class Item:
    """One line of a draft: kind "header", "heading", "other" (Back to top), "para" or "bullet"."""

    kind: str
    text: str


def _split_sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?”)])\s+(?=[A-Z“‘(])", text)


def seed_sentences(files: tuple[Path, ...] = SEED_FILES) -> tuple[list[str], list[str]]:
    """Sentences and bullet items of a real decision, plus those copied from the second seed.

    Only numbered paragraphs, bullets and the summary are read, so the web page's cookie banner
    at the end of a seed never becomes part of a draft.
    """
    sentences, bullets = [], []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if m := re.match(r"^\s+•\s+(.*)$", line):
                bullets.append(m.group(1).strip())
            elif m := re.match(r"^\s+\d+\.\s+(.*)$", line) or re.match(r"^Summary:\s*(.*)$", line):
                for s in _split_sentences(m.group(1).strip()):
                    if len(s.split()) >= 6 and s[0].isupper() and not s.endswith(":"):
                        sentences.append(s)
                    elif s[:1].islower() and len(s.split()) >= 4:
                        bullets.append(s)
    sentences += [x for x in FALLBACK_SENTENCES if x not in sentences]
    bullets += [x for x in FALLBACK_BULLETS if x not in bullets]
    return sentences, bullets


class _Writer:
    """Makes fresh paragraphs: seed sentences with a new cast, dates and amounts each time."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.sentences, self.bullets = seed_sentences()
        self.seen: set[str] = set()

    def _cast(self) -> dict[str, str]:
        r = self.rng
        who, kid1, kid2 = r.sample(LETTERS, 3)
        title = r.choice(("Mr", "Mrs", "Ms", "Miss"))
        he = title == "Mr"
        return {"X": who, "Y": kid1, "Z": kid2, "B": kid1, "P": f"{title} {who}", "C": kid1,
                "s": "he" if he else "she", "S": "He" if he else "She", "o": "him" if he else "her"}

    def _date(self, m: re.Match) -> str:
        r = self.rng
        out = r.choice(MONTHS)
        if m.group(1):
            out = f"{r.randint(1, 28)} {out}"
        if m.group(3):
            out = f"{out} {r.randint(2018, 2024)}"
        return out

    def _recast(self, text: str, cast: dict[str, str]) -> str:
        text = re.sub(r"\b([XYZB])\b", lambda m: cast[m.group(1)], text)
        return _DATE.sub(self._date, text)

    def _template(self, cast: dict[str, str]) -> str:
        r = self.rng
        return r.choice(TEMPLATES).format(
            amt=r.choice((100, 150, 200, 250, 300, 350, 500, 750, 1000, 1250, 2400)) + r.choice((0, 0, 0, 50)),
            weeks=r.choice(("four", "six", "eight", "twelve")), date=f"{r.randint(1, 28)} {r.choice(MONTHS)}",
            date2=f"{r.randint(1, 28)} {r.choice(MONTHS)} {r.randint(2019, 2024)}", month=r.choice(MONTHS),
            month2=r.choice(MONTHS), **cast)

    def _unique(self, make) -> str:
        while True:
            text = make()
            if text not in self.seen:
                self.seen.add(text)
                return text

    def paragraph(self, intro: bool = False) -> str:
        def make() -> str:
            r, cast = self.rng, self._cast()
            parts = [self._recast(s, cast) for s in r.sample(self.sentences, r.choice((3, 4, 5, 5, 6, 6)))]
            if r.random() < 0.3:
                parts.insert(r.randrange(len(parts) + 1), self._template(cast))
            if intro:
                parts = parts[:2] + [r.choice(INTROS).format(**cast)]
            return " ".join(parts)
        return self._unique(make)

    def bullet(self) -> str:
        def make() -> str:
            if self.rng.random() < 0.4:
                return self._recast(self.rng.choice(self.bullets), self._cast())
            return self._lower(self._recast(self.rng.choice(self.sentences), self._cast()))
        return self._unique(make)

    @staticmethod
    def _lower(sentence: str) -> str:
        return sentence[0].lower() + sentence[1:] if sentence[:2] not in ("I ", "I’") else sentence

    def heading(self) -> str:
        r = self.rng
        return r.choice(HEADINGS) if r.random() < 0.4 else f"{r.choice(HEADINGS)}: {r.choice(TOPICS)}"

    def words(self, k: int) -> list[str]:
        """``k`` consecutive words of some seed sentence: what an editor types in."""
        words = self._recast(self.rng.choice(self.sentences), self._cast()).rstrip(".").split()
        start = self.rng.randrange(max(1, len(words) - k + 1))
        return words[start:start + k] or ["also"]


def build_draft(writer: _Writer, pages: int) -> list[Item]:
    """A draft decision of about ``pages`` pages: header, then sections of numbered paragraphs and bullets."""
    r = writer.rng
    items = [Item("header", f"London Borough of {r.choice(PLACES)} ({r.randint(18, 24)} {r.randint(0, 999):03d} "
                            f"{r.randint(0, 999):03d})"),
             Item("header", "Category : Children's care services > Child protection"),
             Item("header", "Decision : Upheld"),
             Item("header", "Decision date : " + _day(date(r.randint(2019, 2024), r.randint(1, 12), r.randint(1, 28)))),
             Item("header", "The Ombudsman's draft decision:"),
             Item("header", "Summary: " + writer.paragraph())]
    target_words, target_paras = WORDS_PER_PAGE * pages, round(PARAGRAPHS_PER_PAGE * pages)
    body = 0
    while body < 1.15 * target_paras and _words(items) < target_words:
        if len(items) > 6 and r.random() < 0.5:
            items.append(Item("other", "Back to top"))
        items.append(Item("heading", writer.heading()))
        for _ in range(r.randint(6, 14)):
            with_list = r.random() < 0.12
            items.append(Item("para", writer.paragraph(intro=with_list)))
            body += 1
            for _ in range(r.randint(2, 4) if with_list else 0):
                items.append(Item("bullet", writer.bullet()))
                body += 1
    items += [Item("other", "Back to top"), Item("other", "Investigator's decision on behalf of the Ombudsman")]
    return items


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _words(items: list[Item]) -> int:
    return sum(len(i.text.split()) for i in items)


def render(items: list[Item], continuous: bool) -> str:
    """The draft as text: numbers restart after each heading (a draft) or run on (the final)."""
    lines, n = [], 0
    for item in items:
        if item.kind == "para":
            n += 1
            lines.append(f"  {n}. {item.text}")
        elif item.kind == "bullet":
            lines.append(f"    • {item.text}")
        else:
            if item.kind == "heading" and not continuous:
                n = 0
            if lines and lines[-1]:
                lines.append("")
            lines += [item.text, ""]
    return "\n".join(lines).strip("\n") + "\n"


def edit_words(text: str, n: int, writer: _Writer) -> str:
    """``text`` with about ``n`` words replaced, inserted or deleted in one to three places."""
    r, words = writer.rng, text.split(" ")
    spots = 1 if n <= 2 else r.randint(1, min(3, n))
    for k in range(spots):
        size = max(1, n // spots + (k < n % spots))
        size = min(size, max(1, len(words) // 2))
        at = r.randrange(len(words))
        op = r.choice(("replace", "replace", "insert", "delete")) if len(words) > size + 4 else "insert"
        new = writer.words(size)
        if op == "replace":
            old = words[at:at + size]
            if [w.strip(".,;") for w in new] == [w.strip(".,;") for w in old]:
                new = ["substantially", *new]
            words[at:at + size] = new
        elif op == "insert":
            words[at:at] = new
        else:
            del words[at:at + size]
    out = " ".join(words)
    return out if out != text else text + " " + " ".join(writer.words(3))


PLANS = {
    # share of body paragraphs edited in place / deleted / inserted, moves (how many also edited), edit sizes
    "typical": dict(edit=0.08, delete=0.02, insert=0.02, moves=3, moved_edited=1, sizes=(1, 1, 2, 3, 4)),
    "heavy": dict(edit=0.27, delete=0.05, insert=0.05, moves=20, moved_edited=6,
                  sizes=(1, 1, 1, 2, 3, 4, 6, 8, 12, 20)),
}


def make_pair(kind: str, seed: int = 1, pages: int = 50) -> tuple[str, str, dict]:
    """Two drafts and what was done to the first to make the second.

    ``truth`` holds the counts and the texts (without their list numbers, as the engine compares
    them) of every paragraph edited in place, deleted, inserted and moved, so a test can check
    the engine found each one and nothing else.
    """
    if kind not in (*PLANS, "renumber"):
        raise ValueError(f"unknown kind {kind!r}: typical, heavy or renumber")
    writer = _Writer(random.Random(f"{kind}-{seed}-{pages}"))
    r = writer.rng
    v1 = build_draft(writer, pages)
    truth: dict = {"kind": kind, "seed": seed, "pages": pages, "words_v1": _words(v1),
                   "paragraphs": sum(i.kind in ("para", "bullet") for i in v1), "edits": [], "inserted_texts": [],
                   "deleted_texts": [], "moves": [], "header_edits": []}
    if kind == "renumber":
        v2 = [Item(i.kind, i.text) for i in v1]
    else:
        v2 = _edit(v1, PLANS[kind], writer, truth)
        dated = next(i for i in v2 if i.text.startswith("Decision date"))
        old = dated.text
        final = datetime.strptime(old.split(" : ")[1], "%d %b %Y").date() + timedelta(days=r.randint(14, 60))
        dated.text = "Decision date : " + _day(final)
        status = next(i for i in v2 if i.text.startswith("The Ombudsman's draft"))
        truth["header_edits"] = [{"v1": old, "v2": dated.text},
                                 {"v1": status.text, "v2": status.text.replace("draft", "final")}]
        status.text = status.text.replace("draft", "final")
    truth.update(words_v2=_words(v2), edited=len(truth["edits"]), inserted=len(truth["inserted_texts"]),
                 deleted=len(truth["deleted_texts"]), moved=len(truth["moves"]))
    return render(v1, continuous=False), render(v2, continuous=True), truth


def _edit(v1: list[Item], plan: dict, writer: _Writer, truth: dict) -> list[Item]:
    """Apply the plan to a copy of ``v1``; moved paragraphs land far from where they were and from each other."""
    r = writer.rng
    items = [Item(i.kind, i.text) for i in v1]
    body = [k for k, i in enumerate(items) if i.kind in ("para", "bullet")]
    n = len(body)
    # movable: a numbered paragraph with no bullets of its own, so the move is one block
    movable = [k for k in body if items[k].kind == "para" and items[k + 1].kind != "bullet"]
    moved: list[int] = []
    for k in r.sample(movable, len(movable)):
        if len(moved) == plan["moves"]:
            break
        if all(abs(k - m) > 3 for m in moved):
            moved.append(k)
    rest = [k for k in body if all(abs(k - m) > 1 for m in moved)]
    picked = r.sample(rest, round(n * (plan["edit"] + plan["delete"])))
    edited, deleted = picked[:round(n * plan["edit"])], set(picked[round(n * plan["edit"]):])
    for k in edited:
        old = items[k].text
        items[k].text = edit_words(old, r.choice(plan["sizes"]), writer)
        truth["edits"].append({"v1": old, "v2": items[k].text})
    for k in sorted(deleted):
        truth["deleted_texts"].append(items[k].text)
    moving = {k: items[k] for k in moved}
    for rank, k in enumerate(moved):
        text = items[k].text
        if rank < plan["moved_edited"]:
            items[k].text = edit_words(text, r.choice((1, 2, 3)), writer)
        truth["moves"].append({"v1": text, "v2": items[k].text, "edited": rank < plan["moved_edited"]})
    kept = [(k, i) for k, i in enumerate(items) if k not in deleted and k not in moving]
    # inserted paragraphs go after a numbered paragraph that has no bullets, not next to a move
    for _ in range(round(n * plan["insert"])):
        spots = [j for j, (k, i) in enumerate(kept) if i.kind == "para" and j + 1 < len(kept)
                 and kept[j + 1][1].kind not in ("bullet",) and k not in moving]
        j = r.choice(spots)
        item = Item("para", writer.paragraph())
        kept.insert(j + 1, (-1, item))
        truth["inserted_texts"].append(item.text)
    landed: list[int] = []
    for k, item in moving.items():
        spots = [j for j, (old, i) in enumerate(kept) if i.kind == "para" and old >= 0 and abs(old - k) > 20
                 and kept[j + 1][1].kind != "bullet" and all(abs(old - m) > 3 for m in landed)]
        j = r.choice(spots)
        landed.append(kept[j][0])
        kept.insert(j + 1, (-2, item))
    return [i for _, i in kept]


def norm(text: str) -> str:
    """Whitespace-insensitive key, so truth texts match block texts however the reader trims them."""
    return " ".join(text.split())


def score(comparison, truth: dict) -> dict:
    """What the engine found of the truth, and what it reported that was not done.

    A truth move counts as found when a MOVED_FROM row whose partner is a MOVED_TO row pairs
    exactly the paragraph's text in v1 with its text in v2; an edit when a CHANGED row pairs
    its two texts; an insertion or deletion when an INSERTED or DELETED row holds its text.
    """
    from desk_app.core.compare.model import RowKind

    rows, left, right = comparison.rows, comparison.left_text, comparison.right_text
    moved = {(norm(left(r)), norm(right(rows[r.partner]))) for r in rows
             if r.kind is RowKind.MOVED_FROM and r.partner is not None and rows[r.partner].kind is RowKind.MOVED_TO}
    changed = {(norm(left(r)), norm(right(r))) for r in rows if r.kind is RowKind.CHANGED}
    inserted = {norm(right(r)) for r in rows if r.kind is RowKind.INSERTED}
    deleted = {norm(left(r)) for r in rows if r.kind is RowKind.DELETED}
    true_moves = {(norm(m["v1"]), norm(m["v2"])) for m in truth["moves"]}
    edits = {(norm(e["v1"]), norm(e["v2"])) for e in truth["edits"] + truth["header_edits"]}
    return {
        "moves_truth": len(true_moves),
        "moves_found": len(true_moves & moved),
        "moves_reported": len(moved),
        "moves_missed": sorted(true_moves - moved),
        "false_moves": sorted(moved - true_moves),
        "edited_reported_as_moved": sorted({a for a, _ in edits} & {a for a, _ in moved}),
        "edits_truth": len(edits),
        "edits_found": len(edits & changed),
        "inserted_found": len({norm(t) for t in truth["inserted_texts"]} & inserted),
        "deleted_found": len({norm(t) for t in truth["deleted_texts"]} & deleted),
    }
