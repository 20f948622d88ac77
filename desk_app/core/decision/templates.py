"""Section orders for the two kinds of decision statement.

The orders are the ones measured in ``lgo-conventions.md`` §2 (recommended template
order and the assessment-stage variant). Headings whose wording varies between
investigators or between draft and final ("Analysis"/"Conclusions", "Agreed
action"/"Action", "Final decision"/"Decision") are offered as choices, first choice
being the default, rather than written into the exporter.
"""

from __future__ import annotations

from dataclasses import dataclass

from desk_app.core.decision.model import Decision, DecisionError, Header, Outcome, Section


@dataclass(frozen=True)
class SectionSpec:
    """One top-level section a template can hold.

    ``optional`` sections are left out of a new decision unless asked for; ``outcomes``
    limits a non-optional section to some outcomes (an action section only makes sense
    when fault was found).
    """

    key: str
    headings: tuple[str, ...]
    optional: bool = False
    outcomes: frozenset[Outcome] | None = None

    @property
    def default_heading(self) -> str:
        """First choice, used when the user has not picked one."""
        return self.headings[0]

    def included_by_default(self, header: Header) -> bool:
        """Whether a new decision with this header starts with the section."""
        if self.optional:
            return False
        return self.outcomes is None or header.outcome in self.outcomes


@dataclass(frozen=True)
class Template:
    """A named, ordered list of sections."""

    name: str
    description: str
    sections: tuple[SectionSpec, ...]

    def spec(self, key: str) -> SectionSpec:
        """The spec for ``key``; a DecisionError lists the keys this template knows."""
        for spec in self.sections:
            if spec.key == key:
                return spec
        raise DecisionError(f"section {key!r} is not part of the {self.name} template; it has "
                            + ", ".join(s.key for s in self.sections))

    def keys(self) -> list[str]:
        """Section keys in template order."""
        return [s.key for s in self.sections]

    def choose_heading(self, key: str, wanted: str) -> str:
        """Match a heading choice case-insensitively, so "conclusions" picks "Conclusions"."""
        spec = self.spec(key)
        folded = wanted.strip().replace("'", "’").casefold()
        for heading in spec.headings:
            if heading.replace("'", "’").casefold() == folded:
                return heading
        raise DecisionError(f"heading {wanted!r} is not a choice for section {key!r}; use one of "
                            + "; ".join(spec.headings))


_COMPLAINT = SectionSpec("complaint", ("The complaint",))
_ROLE = SectionSpec("role", ("The Ombudsman’s role and powers", "The Ombudsmen’s role and powers"))
_CONSIDERED = SectionSpec("considered", ("How I considered this complaint",))
_DECISION = SectionSpec("decision", ("Final decision", "Decision"))

INVESTIGATION = Template(
    name="investigation",
    description="Investigation statement (Upheld or Not upheld)",
    sections=(
        _COMPLAINT,
        SectionSpec("investigated", ("What I have and have not investigated", "What I have investigated"),
                    optional=True),
        _ROLE,
        _CONSIDERED,
        SectionSpec("found", ("What I found",)),
        SectionSpec("analysis", ("Analysis", "Conclusions", "Findings")),
        SectionSpec("action", ("Agreed action", "Action", "Recommended action"),
                    outcomes=frozenset({Outcome.UPHELD})),
        _DECISION,
        SectionSpec("not_investigated", ("Parts of the complaint that I did not investigate",),
                    optional=True),
    ),
)

ASSESSMENT = Template(
    name="assessment",
    description="Assessment-stage statement (Closed after initial enquiries)",
    sections=(
        _COMPLAINT,
        _ROLE,
        _CONSIDERED,
        SectionSpec("assessment", ("My assessment",)),
        SectionSpec("analysis", ("Analysis",), optional=True),
        _DECISION,
    ),
)

TEMPLATES = {t.name: t for t in (INVESTIGATION, ASSESSMENT)}


def template_for(outcome: Outcome) -> Template:
    """Closed cases were decided at assessment; the other outcomes follow investigation."""
    return ASSESSMENT if outcome is Outcome.CLOSED else INVESTIGATION


def template_named(name: str) -> Template:
    """Look a template up by the name stored in the decision file."""
    try:
        return TEMPLATES[name]
    except KeyError:
        raise DecisionError(f"template: {name!r} must be one of {', '.join(TEMPLATES)}") from None


def skeleton_sections(header: Header, template: Template, include: tuple[str, ...] = (),
                      headings: dict[str, str] | None = None) -> list[Section]:
    """Empty sections in template order for a new decision.

    ``include`` adds optional sections; ``headings`` maps keys to a chosen heading.
    """
    headings = headings or {}
    for key in [*include, *headings]:
        template.spec(key)  # raises for keys the template does not have
    sections = []
    for spec in template.sections:
        if spec.key in include or spec.included_by_default(header):
            heading = template.choose_heading(spec.key, headings[spec.key]) if spec.key in headings \
                else spec.default_heading
            sections.append(Section(key=spec.key, heading=heading))
    return sections


def insert_section(decision: Decision, key: str, heading: str | None = None) -> Section:
    """Add a template section at its place in the order (or return it if present).

    The new section goes straight after the last section that precedes it in the
    template, so sections the user made up (keys not in the template) keep their place.
    """
    template = template_named(decision.template)
    spec = template.spec(key)
    if decision.has_section(key):
        return decision.section(key)
    chosen = template.choose_heading(key, heading) if heading else spec.default_heading
    section = Section(key=key, heading=chosen)
    order = template.keys()
    rank = order.index(key)
    position = 0
    for i, existing in enumerate(decision.sections):
        if existing.key in order and order.index(existing.key) < rank:
            position = i + 1
    decision.sections.insert(position, section)
    return section
