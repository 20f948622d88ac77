"""A decision statement as plain data, and its ``.decision.json`` form.

Investigators used to keep a decision only as a Word file, so nobody could tell which
stock paragraph had been altered, or renumber it reliably. Here the statement is data:
the header the LGO website shows, the Summary, ordered sections of headings and
paragraphs, and the sign-off. Every paragraph remembers the library entry and version it
came from and whether it has been edited, so a reviewer can see at a glance what is stock
wording and what is the investigator's own.

The JSON form is the file the user keeps. It is checked field by field on load, because a
hand-edited file is the likeliest source of errors, and every error names the field
(``sections[2].blocks[0].text``) so it can be fixed without reading code.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from desk_app.core.atomic import write_file
from desk_app.core.errors import InputError

FORMAT_NAME = "desk-app.decision"
FORMAT_VERSION = 1
#: The file-name ending the CLI and GUI use for decision files.
DECISION_SUFFIX = ".decision.json"

#: ``NN NNN NNN`` with an optional lower-case letter for joint cases ("22 009 742a").
REFERENCE_RE = re.compile(r"\d\d \d\d\d \d\d\d[a-z]?")
DATE_RE = re.compile(r"(\d\d) ([A-Z][a-z][a-z]) (\d{4})")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

#: Top-level categories used on the LGO website ("Other Categories" is spelt so there).
TOP_LEVEL_CATEGORIES = (
    "Adult care services",
    "Benefits and tax",
    "Children's care services",
    "Education",
    "Environment and regulation",
    "Health",
    "Housing",
    "Other Categories",
    "Planning",
    "Transport and highways",
)

SIGN_OFF_DEFAULT = "Investigator’s decision on behalf of the Ombudsman"
KEY_RE = re.compile(r"[a-z][a-z0-9_]*")


class DecisionError(InputError):
    """A decision file or header value that cannot be used; the message names the field."""


class Outcome(StrEnum):
    """The three values the website's "Decision :" line takes."""

    UPHELD = "Upheld"
    NOT_UPHELD = "Not upheld"
    CLOSED = "Closed after initial enquiries"

    @property
    def slug(self) -> str:
        """Short spelling for command lines and the library file."""
        return _OUTCOME_SLUGS[self]

    @classmethod
    def parse(cls, value: str, field_name: str = "header.outcome") -> Outcome:
        """Accept the website text or the slug, in any case, so users need not quote."""
        wanted = " ".join(str(value).replace("_", " ").replace("-", " ").split()).casefold()
        for outcome in cls:
            if wanted in (outcome.value.casefold(), outcome.slug.replace("-", " ")):
                return outcome
        choices = ", ".join(f"{o.slug} ({o.value})" for o in cls)
        raise DecisionError(f"{field_name}: {value!r} is not an outcome; use one of {choices}")


_OUTCOME_SLUGS = {Outcome.UPHELD: "upheld", Outcome.NOT_UPHELD: "not-upheld", Outcome.CLOSED: "closed"}


class Stage(StrEnum):
    """Draft decisions go to both parties for comment; the final one is published."""

    DRAFT = "draft"
    FINAL = "final"

    @classmethod
    def parse(cls, value: str, field_name: str = "header.stage") -> Stage:
        """Case-insensitive, so "Final" from a hand-edited file is accepted."""
        try:
            return cls(str(value).strip().casefold())
        except ValueError:
            raise DecisionError(f"{field_name}: {value!r} is not a stage; use draft or final") from None

    @property
    def label(self) -> str:
        """The footer and title word: "Draft decision" / "Final decision"."""
        return f"{self.value.capitalize()} decision"


class ListStyle(StrEnum):
    """Lettered sub-lists are cited as "part b)"; bullets are for unordered lists."""

    LETTERS = "letters"
    BULLETS = "bullets"


# --- header values -------------------------------------------------------------------------


def validate_reference(value: str, field_name: str = "header.reference") -> str:
    """Return the reference if it is in the LGO's ``NN NNN NNN[a]`` form."""
    if not isinstance(value, str) or not REFERENCE_RE.fullmatch(value):
        raise DecisionError(
            f"{field_name}: {value!r} is not a reference like 23 005 338 "
            "(2, 3 and 3 digits with single spaces, optionally one lower-case letter)"
        )
    return value


def parse_decision_date(value: str, field_name: str = "header.decision_date") -> dt.date:
    """Parse ``DD Mon YYYY`` without the locale, which would change ``%b`` month names."""
    match = DATE_RE.fullmatch(value) if isinstance(value, str) else None
    if match is None or match.group(2) not in MONTHS:
        raise DecisionError(f"{field_name}: {value!r} is not a date like 09 Dec 2025 (DD Mon YYYY)")
    try:
        return dt.date(int(match.group(3)), MONTHS.index(match.group(2)) + 1, int(match.group(1)))
    except ValueError:
        raise DecisionError(f"{field_name}: {value!r} is not a real date") from None


def format_decision_date(day: dt.date) -> str:
    """The website's zero-padded ``DD Mon YYYY`` form, independent of the locale."""
    return f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}"


def split_category(value: str, field_name: str = "category") -> tuple[str, str]:
    """Split ``"Top > Sub"`` into its two parts, normalising the top level's spelling."""
    parts = [p.strip() for p in str(value).split(">")]
    if len(parts) != 2 or not all(parts):
        raise DecisionError(f"{field_name}: {value!r} is not a category like \"Children's care services > "
                            "Child protection\" (top level > sub-category)")
    return normalise_top_category(parts[0], field_name), parts[1]


def normalise_top_category(value: str, field_name: str = "header.category") -> str:
    """Match the top level case-insensitively, since it drives the paragraph selection."""
    wanted = " ".join(str(value).replace("’", "'").split()).casefold()
    for top in TOP_LEVEL_CATEGORIES:
        if top.casefold() == wanted:
            return top
    raise DecisionError(f"{field_name}: {value!r} is not an LGO top-level category; use one of "
                        + "; ".join(TOP_LEVEL_CATEGORIES))


# --- the document ---------------------------------------------------------------------------


@dataclass
class Header:
    """The block the LGO website prints above the title, plus the draft/final stage."""

    organisation: str
    reference: str
    category: str
    sub_category: str
    outcome: Outcome
    decision_date: str
    stage: Stage = Stage.DRAFT

    def validate(self) -> None:
        """Raise a DecisionError naming the first bad field."""
        if not isinstance(self.organisation, str) or not self.organisation.strip():
            raise DecisionError("header.organisation: the body complained about must be named")
        validate_reference(self.reference)
        self.category = normalise_top_category(self.category)
        if not isinstance(self.sub_category, str) or not self.sub_category.strip():
            raise DecisionError("header.sub_category: must not be empty")
        parse_decision_date(self.decision_date)

    @property
    def category_path(self) -> str:
        """``Top > Sub`` as printed after "Category :"."""
        return f"{self.category} > {self.sub_category}"

    @property
    def heading_line(self) -> str:
        """The website's first line, also the document title: ``Body (NN NNN NNN)``."""
        return f"{self.organisation} ({self.reference})"

    @property
    def title(self) -> str:
        """The Word document's heading per the Decision Statements Manual §7.1."""
        return f"The Ombudsman’s {self.stage.value} decision"


@dataclass(frozen=True)
class Source:
    """Which library entry, at which version, a paragraph was copied from."""

    id: str
    version: int


@dataclass
class Paragraph:
    """One numbered paragraph; ``citation`` is kept apart so it can be checked and restyled.

    When the paragraph has a list, the citation follows the last item, as in the published
    24A(6) paragraphs; otherwise it closes the paragraph's text.
    """

    text: str
    citation: str = ""
    items: list[str] = field(default_factory=list)
    list_style: ListStyle | None = None
    source: Source | None = None
    edited: bool = False

    def edit(self, text: str | None = None, *, citation: str | None = None,
             items: list[str] | None = None, list_style: ListStyle | None = None) -> None:
        """Change the wording and flag stock paragraphs as edited, so reviewers see it."""
        before = (self.text, self.citation, list(self.items), self.list_style)
        if text is not None:
            self.text = text
        if citation is not None:
            self.citation = citation
        if items is not None:
            self.items = list(items)
            if not self.items:
                self.list_style = None
            elif self.list_style is None and list_style is None:
                self.list_style = ListStyle.LETTERS
        if list_style is not None and self.items:
            self.list_style = list_style
        if self.source is not None and (self.text, self.citation, self.items, self.list_style) != before:
            self.edited = True

    @property
    def full_text(self) -> str:
        """The text as one line, citation included when there is no list to carry it."""
        if self.citation and not self.items:
            return f"{self.text} {self.citation}".strip()
        return self.text

    def item_texts(self) -> list[str]:
        """List items with the citation appended to the last one."""
        texts = list(self.items)
        if texts and self.citation:
            texts[-1] = f"{texts[-1]} {self.citation}"
        return texts


@dataclass
class Heading:
    """A sub-heading inside a section (level 2), or inside a sub-heading (level 3)."""

    text: str
    level: int = 2


Block = Paragraph | Heading


@dataclass
class Section:
    """A top-level section; ``key`` ties it to the template and the library."""

    key: str
    heading: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        """The numbered paragraphs only, in order."""
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def add(self, block: Block, index: int | None = None) -> None:
        """Insert at ``index`` (end when None), as the user's "add paragraph" does."""
        if index is None:
            self.blocks.append(block)
        else:
            self.blocks.insert(index, block)

    def remove(self, index: int) -> Block:
        """Take a block out and give it back, so a GUI can offer undo."""
        return self.blocks.pop(index)

    def move(self, old: int, new: int) -> None:
        """Reorder one block; numbering is derived, so nothing else changes."""
        block = self.blocks.pop(old)
        self.blocks.insert(new, block)


@dataclass
class Decision:
    """A whole decision statement.

    ``template`` ("investigation" or "assessment") records which section order the
    statement follows, so sections added later land in the right place.
    """

    header: Header
    summary: str
    sections: list[Section]
    sign_off: str = SIGN_OFF_DEFAULT
    template: str = "investigation"

    def section(self, key: str) -> Section:
        """The section with ``key``; a DecisionError names the missing key."""
        for section in self.sections:
            if section.key == key:
                return section
        raise DecisionError(f"sections: there is no section {key!r}; the decision has "
                            + ", ".join(s.key for s in self.sections))

    def has_section(self, key: str) -> bool:
        """Whether a section with ``key`` exists (optional sections may be absent)."""
        return any(s.key == key for s in self.sections)

    def paragraphs(self) -> Iterator[Paragraph]:
        """Every numbered paragraph in document order."""
        for section in self.sections:
            yield from section.paragraphs

    def validate(self) -> None:
        """Check what JSON loading checks, for decisions built in code."""
        decision_from_dict(decision_to_dict(self))

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form; see :func:`decision_to_dict`."""
        return decision_to_dict(self)


# --- JSON -----------------------------------------------------------------------------------


def decision_to_dict(decision: Decision) -> dict[str, Any]:
    """Plain data in a stable key order, so saved files diff cleanly under version control."""
    h = decision.header
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "template": decision.template,
        "header": {
            "organisation": h.organisation,
            "reference": h.reference,
            "category": h.category,
            "sub_category": h.sub_category,
            "outcome": Outcome(h.outcome).value,
            "decision_date": h.decision_date,
            "stage": Stage(h.stage).value,
        },
        "summary": decision.summary,
        "sections": [
            {"key": s.key, "heading": s.heading, "blocks": [_block_to_dict(b) for b in s.blocks]}
            for s in decision.sections
        ],
        "sign_off": decision.sign_off,
    }


def _block_to_dict(block: Block) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"type": "heading", "text": block.text, "level": block.level}
    data: dict[str, Any] = {"type": "paragraph", "text": block.text}
    if block.citation:
        data["citation"] = block.citation
    if block.items:
        data["list"] = {"style": ListStyle(block.list_style or ListStyle.LETTERS).value,
                        "items": list(block.items)}
    if block.source is not None:
        data["source"] = {"id": block.source.id, "version": block.source.version}
        data["edited"] = block.edited
    return data


class _Reader:
    """Walks untrusted JSON, keeping the dotted field path for error messages."""

    def __init__(self, path: Path | str | None) -> None:
        self.path = path

    def fail(self, field_name: str, problem: str) -> DecisionError:
        return DecisionError(f"{field_name}: {problem}", self.path)

    def obj(self, value: Any, field_name: str, required: set[str], optional: set[str] | frozenset[str] = frozenset()
            ) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(field_name or "file", "must be a JSON object")
        prefix = f"{field_name}." if field_name else ""
        for key in sorted(required):
            if key not in value:
                raise DecisionError(f"missing field {prefix}{key}", self.path)
        unknown = sorted(set(value) - required - set(optional))
        if unknown:
            raise self.fail(f"{prefix}{unknown[0]}", "unknown field (misspelt?)")
        return value

    def text(self, value: Any, field_name: str, *, allow_empty: bool = True) -> str:
        if not isinstance(value, str):
            raise self.fail(field_name, f"must be text, not {_json_type(value)}")
        if not allow_empty and not value.strip():
            raise self.fail(field_name, "must not be empty")
        return value

    def integer(self, value: Any, field_name: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(field_name, f"must be a whole number from {low} to {high}")
        return value

    def wrap(self, error: DecisionError) -> DecisionError:
        """Re-attach the file path to errors raised by the header validators."""
        return DecisionError(error.message, self.path)


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def decision_from_dict(data: Any, path: Path | str | None = None) -> Decision:
    """Build and validate a Decision; the first problem raises a DecisionError naming it."""
    r = _Reader(path)
    top = r.obj(data, "", {"format", "format_version", "header", "summary", "sections"},
                {"template", "sign_off"})
    if top["format"] != FORMAT_NAME:
        raise r.fail("format", f"must be {FORMAT_NAME!r}; this is not a Decision Desk decision file")
    version = top["format_version"]
    if version != FORMAT_VERSION:
        raise r.fail("format_version", f"{version!r} is not supported; this version of Decision Desk "
                     f"reads version {FORMAT_VERSION}")
    template = r.text(top.get("template", "investigation"), "template")
    if template not in ("investigation", "assessment"):
        raise r.fail("template", f"{template!r} must be investigation or assessment")

    hd = r.obj(top["header"], "header",
               {"organisation", "reference", "category", "sub_category", "outcome", "decision_date", "stage"})
    try:
        header = Header(
            organisation=r.text(hd["organisation"], "header.organisation", allow_empty=False),
            reference=r.text(hd["reference"], "header.reference"),
            category=r.text(hd["category"], "header.category"),
            sub_category=r.text(hd["sub_category"], "header.sub_category", allow_empty=False),
            outcome=Outcome.parse(r.text(hd["outcome"], "header.outcome")),
            decision_date=r.text(hd["decision_date"], "header.decision_date"),
            stage=Stage.parse(r.text(hd["stage"], "header.stage")),
        )
        header.validate()
    except DecisionError as error:
        if error.path is not None:
            raise
        raise r.wrap(error) from None

    summary = r.text(top["summary"], "summary")
    sign_off = r.text(top.get("sign_off", SIGN_OFF_DEFAULT), "sign_off")
    if not isinstance(top["sections"], list):
        raise r.fail("sections", f"must be a list, not {_json_type(top['sections'])}")
    sections: list[Section] = []
    seen: set[str] = set()
    for i, raw in enumerate(top["sections"]):
        where = f"sections[{i}]"
        sd = r.obj(raw, where, {"key", "heading", "blocks"})
        key = r.text(sd["key"], f"{where}.key")
        if not KEY_RE.fullmatch(key):
            raise r.fail(f"{where}.key", f"{key!r} must be lower-case letters, digits and _")
        if key in seen:
            raise r.fail(f"{where}.key", f"{key!r} is used by two sections")
        seen.add(key)
        heading = r.text(sd["heading"], f"{where}.heading", allow_empty=False)
        if not isinstance(sd["blocks"], list):
            raise r.fail(f"{where}.blocks", f"must be a list, not {_json_type(sd['blocks'])}")
        blocks = [_block_from_dict(r, b, f"{where}.blocks[{j}]") for j, b in enumerate(sd["blocks"])]
        sections.append(Section(key=key, heading=heading, blocks=blocks))
    return Decision(header=header, summary=summary, sections=sections, sign_off=sign_off,
                    template=template)


def _block_from_dict(r: _Reader, raw: Any, where: str) -> Block:
    if not isinstance(raw, dict):
        raise r.fail(where, "must be a JSON object")
    kind = raw.get("type")
    if kind == "heading":
        hd = r.obj(raw, where, {"type", "text"}, {"level"})
        return Heading(text=r.text(hd["text"], f"{where}.text", allow_empty=False),
                       level=r.integer(hd.get("level", 2), f"{where}.level", 2, 3))
    if kind != "paragraph":
        if kind is None:
            raise DecisionError(f"missing field {where}.type", r.path)
        raise r.fail(f"{where}.type", f"{kind!r} must be paragraph or heading")
    pd = r.obj(raw, where, {"type", "text"}, {"citation", "list", "source", "edited"})
    para = Paragraph(text=r.text(pd["text"], f"{where}.text"),
                     citation=r.text(pd.get("citation", ""), f"{where}.citation"))
    if "list" in pd:
        ld = r.obj(pd["list"], f"{where}.list", {"style", "items"})
        style = r.text(ld["style"], f"{where}.list.style")
        try:
            para.list_style = ListStyle(style)
        except ValueError:
            raise r.fail(f"{where}.list.style", f"{style!r} must be letters or bullets") from None
        if not isinstance(ld["items"], list) or not ld["items"]:
            raise r.fail(f"{where}.list.items", "must be a non-empty list of text")
        para.items = [r.text(t, f"{where}.list.items[{k}]") for k, t in enumerate(ld["items"])]
    if "source" in pd:
        sd = r.obj(pd["source"], f"{where}.source", {"id", "version"})
        para.source = Source(id=r.text(sd["id"], f"{where}.source.id", allow_empty=False),
                             version=r.integer(sd["version"], f"{where}.source.version", 1, 10**6))
        if "edited" not in pd:
            raise DecisionError(f"missing field {where}.edited", r.path)
        if not isinstance(pd["edited"], bool):
            raise r.fail(f"{where}.edited", "must be true or false")
        para.edited = pd["edited"]
    elif "edited" in pd:
        raise r.fail(f"{where}.edited", "only library paragraphs (with a source) can be marked edited")
    return para


def decision_to_json(decision: Decision) -> str:
    """UTF-8 JSON with real curly quotes, not escapes, so the file stays hand-editable."""
    return json.dumps(decision_to_dict(decision), ensure_ascii=False, indent=2) + "\n"


def decision_from_json(text: str, path: Path | str | None = None) -> Decision:
    """Parse JSON text; syntax errors become one-line DecisionErrors with line and column."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DecisionError(f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
                            path) from None
    return decision_from_dict(data, path)


def load_decision(path: Path | str) -> Decision:
    """Read a ``.decision.json`` file, turning every failure into a one-line DecisionError."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise DecisionError("no such file", path) from None
    except IsADirectoryError:
        raise DecisionError("is a folder, not a decision file", path) from None
    except OSError as error:
        raise DecisionError(f"cannot be read ({error.strerror})", path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DecisionError("is not UTF-8 text; is this really a .decision.json file?", path) from None
    return decision_from_json(text, path)


def save_decision(decision: Decision, path: Path | str) -> None:
    """Validate first, so a broken decision never replaces a good file on disk."""
    decision.validate()
    write_file(path, decision_to_json(decision))
