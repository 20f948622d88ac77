"""Build ``decision-template.docx``, the house Word template the decision exporter fills.

Why a generator rather than a hand-made .docx: every style, the numbering definition and
the footer are then reviewable as code, and the template can be rebuilt identically
(``tests/test_decision_export.py`` checks the committed file matches this script).

    .venv/bin/python resources/templates/make_template.py [OUTPUT.docx]

What the template holds:
  * A4 pages; Arial throughout; British English proofing language.
  * Heading 1-3 for sections and sub-headings, Title for "The Ombudsman's final decision",
    and house paragraph styles: Decision Header, Summary, Decision Paragraph, Decision List
    Letter, Decision List Bullet, Sign-off.
  * One multilevel list, "Decision paragraphs" (numbering.xml): level 1 "1." for the
    numbered paragraphs, level 2 "a)" restarting after every paragraph, level 3 bullets.
    The three paragraph styles are linked to its levels, so pressing Enter in Word carries
    on the numbering exactly as the exporter does.
  * Footer "Final decision" with a PAGE field on the right; the exporter rewrites the
    words for drafts ("Draft decision") and adds the DRAFT watermark to the header.
  * None of python-docx's defaults: no thumbnail, no "python-docx" author or comment, no
    customXml bibliography part, no Word 2010 stylesWithEffects, no preview-picture
    setting (which would make Word add a thumbnail on the next save).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Inches, Mm

HERE = Path(__file__).resolve().parent
try:  # run from a checkout without installing the package
    from desk_app.core.atomic import savefile_open
except ImportError:  # pragma: no cover - depends on how the script is started
    sys.path.insert(0, str(HERE.parents[1]))
    from desk_app.core.atomic import savefile_open

OUTPUT = HERE / "decision-template.docx"
FONT = "Arial"
LANGUAGE = "en-GB"
NUMBERING_NAME = "Decision paragraphs"
NUMBERING_NSID = "4C47534F"  # fixed so rebuilding gives identical XML
FOOTER_STAGE_TEXT = "Final decision"
FIXED_TIME = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
TEXT_WIDTH_TWIPS = 9026  # A4 width 11906 minus two 1-inch margins

# style id -> (display name, based on, pPr XML, rPr XML)
PARAGRAPH_STYLES: dict[str, tuple[str, str, str, str]] = {
    "DecisionHeader": ("Decision Header", "Normal",
                       '<w:spacing w:before="0" w:after="60"/>', ""),
    "Summary": ("Summary", "Normal",
                '<w:spacing w:before="120" w:after="240"/>', ""),
    "DecisionParagraph": ("Decision Paragraph", "Normal",
                          '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
                          '<w:spacing w:after="200"/>', ""),
    "DecisionListLetter": ("Decision List Letter", "Normal",
                           '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="{num_id}"/></w:numPr>'
                           '<w:spacing w:after="120"/>', ""),
    "DecisionListBullet": ("Decision List Bullet", "Normal",
                           '<w:numPr><w:ilvl w:val="2"/><w:numId w:val="{num_id}"/></w:numPr>'
                           '<w:spacing w:after="120"/>', ""),
    "SignOff": ("Sign-off", "Normal",
                '<w:keepLines/><w:spacing w:before="480" w:after="0"/>', "<w:b/><w:bCs/>"),
}

# built-in style id -> (pPr XML, rPr XML); replaces Word's blue Cambria look
BUILTIN_STYLES: dict[str, tuple[str, str]] = {
    "Title": ('<w:keepNext/><w:spacing w:before="240" w:after="240"/>',
              '<w:b/><w:bCs/><w:sz w:val="32"/><w:szCs w:val="32"/>'),
    "Heading1": ('<w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/>',
                 '<w:b/><w:bCs/><w:sz w:val="28"/><w:szCs w:val="28"/>'),
    "Heading2": ('<w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="1"/>',
                 '<w:b/><w:bCs/><w:sz w:val="24"/><w:szCs w:val="24"/>'),
    "Heading3": ('<w:keepNext/><w:keepLines/><w:spacing w:before="200" w:after="120"/><w:outlineLvl w:val="2"/>',
                 '<w:b/><w:bCs/><w:i/><w:iCs/><w:sz w:val="24"/><w:szCs w:val="24"/>'),
    "Header": ('<w:tabs><w:tab w:val="clear" w:pos="4320"/><w:tab w:val="clear" w:pos="8640"/>'
               f'<w:tab w:val="center" w:pos="{TEXT_WIDTH_TWIPS // 2}"/>'
               f'<w:tab w:val="right" w:pos="{TEXT_WIDTH_TWIPS}"/></w:tabs><w:spacing w:after="0"/>',
               '<w:sz w:val="20"/><w:szCs w:val="20"/>'),
    "Footer": ('<w:tabs><w:tab w:val="clear" w:pos="4320"/><w:tab w:val="clear" w:pos="8640"/>'
               f'<w:tab w:val="center" w:pos="{TEXT_WIDTH_TWIPS // 2}"/>'
               f'<w:tab w:val="right" w:pos="{TEXT_WIDTH_TWIPS}"/></w:tabs><w:spacing w:after="0"/>',
               '<w:sz w:val="20"/><w:szCs w:val="20"/>'),
}


def _fonts() -> str:
    return f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'


def _replace_child(parent, tag: str, xml: str) -> None:
    """Swap a pPr/rPr for a new one, keeping schema order (pPr before rPr)."""
    old = parent.find(qn(tag))
    new = parse_xml(f"<{tag} {nsdecls('w')}>{xml}</{tag}>")
    if old is not None:
        parent.replace(old, new)
    elif tag == "w:pPr" and parent.find(qn("w:rPr")) is not None:
        parent.find(qn("w:rPr")).addprevious(new)
    else:
        parent.append(new)


def _strip_rsids(element) -> None:
    for rsid in element.iter(qn("w:rsid")):
        rsid.getparent().remove(rsid)


def build_styles(document: docx.document.Document, num_id: int) -> None:
    """Arial defaults, the built-in styles restyled, and the house paragraph styles."""
    styles_el = document.styles.element
    _strip_rsids(styles_el)
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    _replace_child(rpr_default, "w:rPr",
                   _fonts() + f'<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="{LANGUAGE}" '
                   f'w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"/>')
    ppr_default = defaults.find(qn("w:pPrDefault"))
    _replace_child(ppr_default, "w:pPr", '<w:spacing w:after="200" w:line="264" w:lineRule="auto"/>')

    for style_id, (ppr, rpr) in BUILTIN_STYLES.items():
        style = styles_el.get_by_id(style_id)
        _replace_child(style, "w:pPr", ppr)
        _replace_child(style, "w:rPr", rpr)
        linked = style.find(qn("w:link"))
        if linked is not None:
            char_style = styles_el.get_by_id(linked.get(qn("w:val")))
            if char_style is not None:
                _replace_child(char_style, "w:rPr", rpr)

    for style_id, (name, based_on, ppr, rpr) in PARAGRAPH_STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = style_id  # "Sign-off" would otherwise get the id "Sign-off"
        style.base_style = document.styles[based_on]
        style.quick_style = True
        style.next_paragraph_style = style
        _replace_child(style.element, "w:pPr", ppr.format(num_id=num_id))
        if rpr:
            _replace_child(style.element, "w:rPr", rpr)


def build_numbering(document: docx.document.Document) -> int:
    """Add the one multilevel list every numbered paragraph uses; return its numId."""
    numbering = document.part.numbering_part.element
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id = max(abstract_ids, default=-1) + 1
    num_id = max(num_ids, default=0) + 1

    levels = [
        ("decimal", "%1.", "DecisionParagraph", 720, 720, ""),
        ("lowerLetter", "%2)", "DecisionListLetter", 1440, 720, ""),
        ("bullet", "•", "DecisionListBullet", 1080, 360, f'<w:rPr>{_fonts()}</w:rPr>'),
    ]
    for ilvl in range(3, 9):  # Word expects nine levels in a multilevel list
        levels.append(("decimal", f"%{ilvl + 1}.", "", 720 * (ilvl + 1), 720, ""))
    lvl_xml = []
    for ilvl, (fmt, text, pstyle, left, hanging, rpr) in enumerate(levels):
        pstyle_xml = f'<w:pStyle w:val="{pstyle}"/>' if pstyle else ""
        lvl_xml.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle_xml}'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>{rpr}</w:lvl>'
        )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:nsid w:val="{NUMBERING_NSID}"/><w:multiLevelType w:val="multilevel"/>'
        f'<w:name w:val="{NUMBERING_NAME}"/>{"".join(lvl_xml)}</w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)  # schema: all abstractNum before any num
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return num_id


def build_page(document: docx.document.Document) -> None:
    """A4 with one-inch margins, footer with the stage and a PAGE field, empty header."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    section.header_distance = section.footer_distance = Mm(12.5)
    sect_pr = section._sectPr
    for attr in ("w:rsidR", "w:rsidRPr", "w:rsidSect"):
        sect_pr.attrib.pop(qn(attr), None)

    header = section.header
    header.is_linked_to_previous = False
    header.paragraphs[0].style = document.styles["Header"]

    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    paragraph.add_run(FOOTER_STAGE_TEXT)
    paragraph.add_run().add_tab()
    paragraph.add_run().add_tab()
    p = paragraph._p
    for xml in ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
                '<w:r><w:t>1</w:t></w:r>',
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>'):
        p.append(parse_xml(xml.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)))


def clean_settings(document: docx.document.Document) -> None:
    """Drop settings that leak the python-docx origin or make Word save a thumbnail."""
    settings = document.settings.element
    for tag in ("w:savePreviewPicture", "w:rsids"):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    for el in settings.findall("{http://schemas.microsoft.com/office/word/2010/wordml}docId"):
        settings.remove(el)
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), LANGUAGE)
        lang.attrib.pop(qn("w:eastAsia"), None)
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Application>Decision Desk</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    b"<Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    b"<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)

_DROP_PACKAGE_RELS = ("/metadata/thumbnail",)
_DROP_DOCUMENT_RELS = ("/customXml", "/stylesWithEffects")


def clean_package(document: docx.document.Document) -> None:
    """Remove the thumbnail and leftover parts; blank every core property."""
    package = document.part.package
    for rels, endings in ((package.rels, _DROP_PACKAGE_RELS), (document.part.rels, _DROP_DOCUMENT_RELS)):
        for r_id, rel in list(rels.items()):
            if rel.reltype.endswith(endings):
                del rels[r_id]
                rels._target_parts_by_rId.pop(r_id, None)
    for part in package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = APP_XML
    props = document.core_properties
    for name in ("title", "subject", "author", "keywords", "comments", "last_modified_by",
                 "category", "content_status", "identifier", "version"):
        setattr(props, name, "")
    props.language = LANGUAGE
    props.revision = 1
    props.created = props.modified = FIXED_TIME


def build_template() -> bytes:
    """The template as .docx bytes."""
    document = docx.Document()
    num_id = build_numbering(document)
    build_styles(document, num_id)
    build_page(document)
    clean_settings(document)
    clean_package(document)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main(argv: list[str]) -> int:
    """Write the template (atomically) to the given path or next to this script."""
    target = Path(argv[0]) if argv else OUTPUT
    data = build_template()
    with savefile_open(target, "wb") as f:
        f.write(data)
    print(f"wrote {target} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
