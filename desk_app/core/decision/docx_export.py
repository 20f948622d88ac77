"""Word export: fill the house template with a decision.

Investigators numbered paragraphs by hand, so a paragraph added late meant renumbering
and fixing every "see paragraph N". Here no number is typed: every numbered paragraph
is bound (``w:numPr``) to the template's one multilevel list, so Word (and LibreOffice)
number them 1..N across the whole statement, restart a), b) in each paragraph, and keep
doing so as the investigator edits in Word.

Everything visual comes from ``resources/templates/decision-template.docx`` (built by
``make_template.py``); this module only adds paragraphs with the template's styles, sets
the footer's stage words, adds the DRAFT watermark to drafts, and sets the document
properties explicitly so no author name or tool default leaks into a published file.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from desk_app.core.atomic import write_file
from desk_app.core.decision.model import Decision, Heading, ListStyle, Paragraph, Stage
from desk_app.core.errors import DeskError
from desk_app.resources import resource_path

NUMBERING_NAME = "Decision paragraphs"
STAGE_WORDS = ("Final decision", "Draft decision")
REQUIRED_STYLES = ("Title", "Heading1", "Heading2", "Heading3", "DecisionHeader", "Summary",
                   "DecisionParagraph", "DecisionListLetter", "DecisionListBullet", "SignOff")
LEVEL_STYLES = {0: "DecisionParagraph", 1: "DecisionListLetter", 2: "DecisionListBullet"}
HEADING_STYLES = {1: "Heading1", 2: "Heading2", 3: "Heading3"}
WATERMARK_TEXT = "DRAFT"
VML = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
WORD10 = "urn:schemas-microsoft-com:office:word"
LIST_GAP = Pt(6)
PARAGRAPH_GAP = Pt(10)  # the Decision Paragraph style's own space after


class TemplateError(DeskError):
    """The house template is missing or was changed in a way the exporter cannot use."""


def default_template_path() -> Path:
    """The shipped house template."""
    return resource_path("templates", "decision-template.docx")


def _open_template(path: Path) -> DocxDocument:
    try:
        return docx.Document(str(path))
    except (FileNotFoundError, PackageNotFoundError):
        raise TemplateError("Word house template not found or not a .docx file", path) from None
    except Exception as error:  # python-docx raises assorted errors for damaged zips
        raise TemplateError(f"Word house template cannot be opened ({error})", path) from None


def numbering_id(document: DocxDocument, template: Path | None = None) -> int:
    """The ``numId`` of the template's "Decision paragraphs" multilevel list."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        raise TemplateError("house template has no numbering part; rebuild it with make_template.py",
                            template) from None
    abstract_ids = {
        a.get(qn("w:abstractNumId"))
        for a in numbering.findall(qn("w:abstractNum"))
        if (name := a.find(qn("w:name"))) is not None and name.get(qn("w:val")) == NUMBERING_NAME
    }
    for num in numbering.findall(qn("w:num")):
        if num.find(qn("w:abstractNumId")).get(qn("w:val")) in abstract_ids:
            return int(num.get(qn("w:numId")))
    raise TemplateError(f"house template has no {NUMBERING_NAME!r} list; rebuild it with make_template.py",
                        template)


def _check_styles(document: DocxDocument, template: Path | None) -> None:
    styles = document.styles.element
    for style_id in REQUIRED_STYLES:
        if styles.get_by_id(style_id) is None:
            raise TemplateError(f"house template has no style {style_id!r}; rebuild it with make_template.py",
                                template)


def _add(document: DocxDocument, style_id: str, text: str = "") -> DocxParagraph:
    paragraph = document.add_paragraph()
    paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = style_id
    if text:
        paragraph.add_run(text)
    return paragraph


def _number(paragraph: DocxParagraph, num_id: int, level: int) -> None:
    """Bind the paragraph to the list directly as well as through its style.

    Direct ``w:numPr`` survives a user re-styling the paragraph in Word and is what other
    consumers (and our tests) look for first.
    """
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def _add_paragraph(document: DocxDocument, paragraph: Paragraph, num_id: int) -> None:
    para = _add(document, LEVEL_STYLES[0], paragraph.text)
    if paragraph.citation and not paragraph.items:
        para.add_run(f" {paragraph.citation}" if paragraph.text else paragraph.citation)
    _number(para, num_id, 0)
    level = 1 if paragraph.list_style is ListStyle.LETTERS else 2
    item = None
    for text in paragraph.item_texts():
        item = _add(document, LEVEL_STYLES[level], text)
        _number(item, num_id, level)
    if item is not None:
        # keep the list with its lead-in ("I have:" never stranded at the foot of a page),
        # and the usual gap before the next paragraph
        para.paragraph_format.keep_with_next = True
        para.paragraph_format.space_after = LIST_GAP
        item.paragraph_format.space_after = PARAGRAPH_GAP


def _set_footer(document: DocxDocument, stage: Stage, template: Path | None) -> None:
    for section in document.sections:
        for paragraph in section.footer.paragraphs:
            for run in paragraph.runs:
                if run.text in STAGE_WORDS:
                    run.text = stage.label
                    return
    raise TemplateError("house template footer has no \"Final decision\" text to set", template)


def _watermark_xml(text: str) -> str:
    """A Word VML text watermark, the form Word itself writes and LibreOffice imports."""
    return (
        f'<w:r {nsdecls("w")} xmlns:v="{VML}" xmlns:o="{OFFICE}" xmlns:w10="{WORD10}">'
        '<w:rPr><w:noProof/></w:rPr><w:pict>'
        '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
        'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
        '<v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>'
        '<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
        '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>'
        '<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>'
        '<v:f eqn="sum @6 0 @5"/></v:formulas>'
        '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
        'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>'
        '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
        '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
        '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:150pt;rotation:315;'
        'z-index:-251655168;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
        'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
        'fillcolor="silver" stroked="f"><v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt" string="{text}"/>'
        '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
    )


def _add_watermark(document: DocxDocument) -> None:
    header = document.sections[0].header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    paragraph._p.append(parse_xml(_watermark_xml(WATERMARK_TEXT)))


def set_core_properties(document: DocxDocument, when: dt.datetime, *, title: str = "", subject: str = "",
                        author: str = "", category: str = "", content_status: str = "") -> None:
    """Every core property set on purpose, so no python-docx default ("python-docx", 2013) and
    nothing personal the caller did not choose ends up in a written file."""
    props = document.core_properties
    props.title = title
    props.subject = subject
    props.author = author
    props.last_modified_by = author
    props.comments = ""
    props.keywords = ""
    props.category = category
    props.content_status = content_status
    props.identifier = ""
    props.language = "en-GB"
    props.version = ""
    props.revision = 1
    props.created = when
    props.modified = when
    printed = props._element.find(qn("cp:lastPrinted"))
    if printed is not None:
        props._element.remove(printed)


def _set_properties(document: DocxDocument, decision: Decision, when: dt.datetime) -> None:
    """A decision carries its heading, title, category and stage, and no author."""
    header = decision.header
    set_core_properties(document, when, title=header.heading_line, subject=header.title,
                        category=header.category_path, content_status=header.stage.label)


def build_document(decision: Decision, template: Path | str | None = None,
                   when: dt.datetime | None = None) -> DocxDocument:
    """A python-docx Document of the decision, from the house template.

    ``when`` fixes the created/modified times (tests and reproducible builds); it defaults
    to now, in UTC to the second.
    """
    decision.validate()
    template_path = Path(template) if template is not None else default_template_path()
    document = _open_template(template_path)
    _check_styles(document, template_path)
    num_id = numbering_id(document, template_path)

    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)

    h = decision.header
    _add(document, "DecisionHeader").add_run(h.heading_line).bold = True
    _add(document, "DecisionHeader", f"Category : {h.category_path}")
    _add(document, "DecisionHeader", f"Decision : {h.outcome.value}")
    _add(document, "DecisionHeader", f"Decision date : {h.decision_date}")
    _add(document, "Title", h.title)
    summary = _add(document, "Summary")
    summary.add_run("Summary:").bold = True
    if decision.summary:
        summary.add_run(f" {decision.summary}")

    for section in decision.sections:
        _add(document, HEADING_STYLES[1], section.heading)
        for block in section.blocks:
            if isinstance(block, Heading):
                _add(document, HEADING_STYLES[block.level], block.text)
            else:
                _add_paragraph(document, block, num_id)
    _add(document, "SignOff", decision.sign_off)

    _set_footer(document, h.stage, template_path)
    if h.stage is Stage.DRAFT:
        _add_watermark(document)
    stamp = when or dt.datetime.now(dt.UTC)
    _set_properties(document, decision, stamp.replace(microsecond=0))
    return document


def render_docx(decision: Decision, template: Path | str | None = None,
                when: dt.datetime | None = None) -> bytes:
    """The .docx file's bytes."""
    out = io.BytesIO()
    build_document(decision, template, when).save(out)
    return out.getvalue()


def export_docx(decision: Decision, path: Path | str, template: Path | str | None = None,
                when: dt.datetime | None = None) -> None:
    """Write the Word file atomically, so a crash never leaves half a document behind."""
    data = render_docx(decision, template, when)
    write_file(path, data)
