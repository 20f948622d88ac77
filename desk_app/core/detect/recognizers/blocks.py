"""Personal data that only shows across paragraphs, found once per document.

Presidio sees one paragraph at a time (a Word paragraph or table cell, a text or PDF line),
so it cannot know that '19 Mar 1936' in one table cell is the value of the 'DOB' cell
before it, that 'Marlowe House' is the first line of an address block ending in a
postcode three lines down, or that the third column of a CSV export is headed 'DOB'.
``document_identifiers`` looks at the paragraphs together and returns those detections;
``Detector.detect_many`` adds them to the per-paragraph ones before overlaps are resolved.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from desk_app.core.detect.recognizers.identifiers import (
    BIRTH_CUE,
    BIRTH_FILLER,
    DATE,
    HOUSE_NOUN,
    STREET_SUFFIX,
    is_reference_number,
)
from desk_app.core.document import SourceDocument
from desk_app.core.entities import Detection
from desk_app.core.names import CAPS_TITLE_RE, TITLE_RE
from desk_app.core.regexcache import rx

# A street name on its own ('Little Hay Lane') is part of this address, but the same street
# named elsewhere in the case ('fly-tipping on Little Hay Lane') is a fact of the complaint:
# detections with this detector name are replaced where found and not propagated case-wide.
LOCAL_ONLY = "AddressBlockStreet"

# (lower case too: an email's 'leek st13 6bj')
_POSTCODE = regex.compile(r"(?i:\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b)")
# Words that make an address an organisation's (a letterhead, the ICO's address in a
# complaints paragraph), which is not personal data and is left as it is.
_ORG = regex.compile(
    r"(?i:\b(?:Council|Services?|Team|Department|Dept|Directorate|Surgery|Practice|Trust|Offices?|Ltd|Limited|"
    r"LLP|PLC|School|Academy|College|University|Hospital|Infirmary|Centre|Center|Ombudsman|Commissioner['’]?s?|"
    r"Authority|Association|Group|Partnership|Clinic|Solicitors|Police|Constabulary|NHS|Board|Agency|"
    r"Society|Foundation|Charity|Parliament|Civic|Guildhall|Town[ ]Hall|County[ ]Hall|Headquarters|HQ|"
    r"Homes|Housing|Church|Library|Tribunal|Ministry|Government|Advice|Citizens|Care|Nursing|Medical|"
    r"Health|Ward|Wing|Depot|Business|Industrial|Estate[ ]Office|Reception|Crown|Magistrates|Coroner|"
    r"City[ ]Hall|Commission|Inspectorate|Bureau|Institute|Museum|Hotel|Mosque|Synagogue)\b)")
_NAME_LINE = regex.compile(rf"^(?:{TITLE_RE}\.?\s|{CAPS_TITLE_RE}\.?\s"
                           r"|(?i:private|confidential|addressee|to:|re:|dear|attn|f\.?a\.?o\.?"
                           r"|for the attention|c/o)\b)")
# A word of a house or street name: capitalised, or a joining word ('Lane End of the Moor')
_AWORD = r"(?:\p{Lu}[\p{L}'’.&-]*|of|the|upon|on|in|by|le|la|de|du|y|yr|and|&)"
_HOUSE = regex.compile(
    rf"^(?:(?i:flat|apartment|apt|maisonette)\s+\d{{1,4}}[A-Za-z]?(?:,?\s+\S.*)?"
    rf"|(?:\d{{1,3}}[A-Za-z]?,?\s+)?(?:{_AWORD}\s+){{0,4}}(?i:{HOUSE_NOUN})"
    r"|The\s+\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,3}"
    r"|THE\s+[\p{Lu}'’-]+(?:\s+[\p{Lu}'’-]+){0,3})$")
_STREET = regex.compile(rf"^(?:(?:\d{{1,3}}[A-Za-z]?,?\s+)?(?:{_AWORD}\s+){{1,4}}(?i:{STREET_SUFFIX})"
                        rf"|\d{{1,3}}[a-z]?,?\s+(?:[\p{{Ll}}'’-]+\s+){{1,3}}(?i:{STREET_SUFFIX}))\.?$")
_WORD = r"(?:\p{Lu}[\p{L}'’.-]*|of|on|the|upon|in|by|le|la|de|y|and|&)"
_PLACE = regex.compile(rf"^\p{{Lu}}[\p{{L}}'’.-]*(?:[ \t]+{_WORD}){{0,3}}$")
# A house or street at the end of a longer segment: '… constituent Ms B of 58 Linacre Tower',
# 'Address: 2 Orchard Cottages'.
_TAIL = regex.compile(
    rf"(?:(?:(?i:flat|apartment|apt|maisonette)\s+\d{{1,4}}[A-Za-z]?,?\s+|(?<![\w£$.,/:-])\d{{1,3}}[A-Za-z]?,?\s+)"
    rf"(?:\p{{Lu}}[\p{{L}}'’-]*\s+){{0,3}}(?:\p{{Lu}}[\p{{L}}'’-]*\s+)?(?:{HOUSE_NOUN}|{STREET_SUFFIX})"
    # '… lives at Hawthorn Cottage': a named house after 'at', 'of' or 'to'
    rf"|(?<=\b(?:at|of|to)\s+)(?:The\s+)?(?:\p{{Lu}}[\p{{L}}'’-]*\s+){{0,3}}(?-i:{HOUSE_NOUN}))$")
# Job titles and roles: 'The Complaints Manager' under a name is not a house.
_ROLE_WORD = regex.compile(
    r"(?i:\b(?:manager|officer|director|head|chair|clerk|secretary|worker|adviser|advisor|assessor|"
    r"investigator|lead|coordinator|co-ordinator|team|panel|committee|member|councillor|caseworker)\b)")
_ADDRESS_LABEL = regex.compile(
    r"(?i:\b(?:(?:home|postal|current|previous|correspondence|permanent|full)\s+)?address(?:\s+\(?home\)?)?"
    r"|lives\s+at|living\s+at|resides\s+at|residing\s+at|resident\s+at|moved\s+to)\s*[:\-–]?\s*$")
_DOB_END = regex.compile(rf"{BIRTH_CUE}{BIRTH_FILLER}$")
_DATE_START = regex.compile(rf"^[\s(\[]*(?P<date>{DATE})")
_DATE_IN = regex.compile(DATE)
_DOB_HEADER = regex.compile(r"(?i:^(?:dob|d\.o\.b\.?|date\s+of\s+birth|birth\s*date|born|birthday)$)")
_ID_HEADER = regex.compile(
    r"(?i:^(?:(?:client|customer|person|service\s+user|resident|tenant|patient|pupil|claimant|member|"
    r"mosaic|las|lcs|hospital|council\s+tax|hb|housing\s+benefit|claim|account|tenancy)\s*"
    r"(?:id|no\.?|number|ref\.?|reference|account(?:\s+(?:no\.?|number))?)|mosaic|las|lcs|upn|uln|mrn|account)$)")
_NHS_HEADER = regex.compile(r"(?i:^nhs\s*(?:no\.?|number)?$)")
_NINO_HEADER = regex.compile(r"(?i:^(?:ni|nino|national\s+insurance)\s*(?:no\.?|number)?$)")


@dataclass(frozen=True)
class _Line:
    """One line of a paragraph, with whether a blank line or a change of part comes before it."""

    start: int
    text: str
    part: str
    gap_before: bool


def document_identifiers(doc: SourceDocument) -> list[Detection]:
    """Addresses, dates of birth and reference numbers whose evidence spans paragraphs."""
    lines = _lines(doc)
    return [*_address_blocks(lines), *_addressee_blocks(lines), *_labelled_addresses(lines),
            *_dob_values(lines), *_table_columns(lines), *_word_table_columns(doc), *_broken_numbers(doc.text, lines)]


# A number the wrap broke over two lines: 'NHS No: 628 194⏎8211', 'My number 07700 900⏎118'.
_NUMBER_TAIL = rx(r"(?<![\d/.:-])(?:\+[ \t]?)?\d[\d \t]{2,}\d[ \t]*$")
_NUMBER_HEAD = rx(r"^[ \t]*\d(?:[\d \t]*\d)?(?![\d/:-]|\.\d)")
_UK_PHONE = rx(r"0[1-37-9]\d{9}|44[1-37-9]\d{9}")


def _nhs_valid(digits: str) -> bool:
    """The NHS number's mod-11 check digit (as Presidio's NhsRecognizer checks it)."""
    return len(digits) == 10 and sum(int(c) * m for c, m in zip(digits, range(10, 0, -1), strict=True)) % 11 == 0


def _broken_numbers(text: str, lines: list[_Line]) -> list[Detection]:
    """An NHS number (its check digit must hold) or a UK phone number split by a line break."""
    out = []
    for line, nxt in zip(lines, lines[1:], strict=False):
        if nxt.gap_before or text[line.start + len(line.text):nxt.start].count("\n") != 1:
            continue
        tail, head = _NUMBER_TAIL.search(line.text), _NUMBER_HEAD.search(nxt.text)
        if tail is None or head is None:
            continue
        digits = regex.sub(r"\D", "", tail.group() + head.group())
        if _nhs_valid(digits):
            entity = "UK_NHS"
        elif _UK_PHONE.fullmatch(digits):
            entity = "PHONE_NUMBER"
        else:
            continue
        start = line.start + tail.start()
        end = nxt.start + head.end()
        out.append(Detection(start, end, text[start:end], entity, 0.8, "BrokenNumber"))
    return out


def _lines(doc: SourceDocument) -> list[_Line]:
    out: list[_Line] = []
    prev_end, prev_part = None, None
    for p in doc.paragraphs:
        offset = p.start
        for raw in p.text.split("\n"):
            if raw.strip():
                gap = prev_end is None or p.part != prev_part or doc.text.count("\n", prev_end, offset) > 1
                out.append(_Line(offset, raw, p.part, gap))
                prev_end, prev_part = offset + len(raw), p.part
            offset += len(raw) + 1
    return out


def _detection(line: _Line, start: int, end: int, entity: str, detector: str) -> Detection | None:
    """A detection for ``line.text[start:end]``, trimmed of spaces and separators."""
    text = line.text
    while start < end and text[start] in " \t,;:(-–":
        start += 1
    while end > start and text[end - 1] in " \t,;:.)-–":
        end -= 1
    if end - start < 3:
        return None
    return Detection(line.start + start, line.start + end, text[start:end], entity, 0.7, detector)


def _segments(text: str, end: int) -> list[tuple[int, int]]:
    """The comma-separated segments of ``text[:end]``, as (start, end), last first."""
    spans, start = [], 0
    for m in rx(r",|\s{3,}|\t|\|").finditer(text[:end]):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, end))
    return [(s, e) for s, e in reversed(spans) if text[s:e].strip()]


def _kind(segment: str) -> str:
    """'org', 'name', 'house', 'street', 'place' or 'other' for one segment of an address.

    A street word at the end wins over an organisation word ('School Lane', 'Church Road');
    an organisation word wins over a house word ('County Hall', 'Kingsway Surgery')."""
    s = segment.strip().rstrip(".")
    if not s or len(s) > 45 or len(s.split()) > 6:
        return "other"
    if _NAME_LINE.search(s):
        return "name"
    if _ROLE_WORD.search(s):
        return "other"
    if _DATE_IN.search(s):
        return "other"   # a date line ('17 April 2024') is not a house number and street
    if _STREET.match(s) and not rx(r"[.!?]\s").search(s):
        return "street" if rx(r"\p{Lu}").search(s) or rx(r"\d").match(s) else "other"
    if _ORG.search(s) and not rx(r"\d").search(s):
        return "org"
    if _HOUSE.match(s):
        return "house"
    if rx(r"\d{1,3}[A-Za-z]?,?\s+\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,3}$").match(s):
        return "street"   # '4 Ferncliffe', '12 Ball Haye Green': a number and a name
    if _PLACE.match(s) or (s.isupper() and rx(r"[\p{Lu}'’ .-]+").fullmatch(s)):
        return "place"
    return "other"


def _address_blocks(lines: list[_Line]) -> list[Detection]:
    """House and street lines of an address that ends in a postcode, on one line or several:
    'Mrs X⏎Marlowe House⏎23 Tanner Street⏎Calderwick WN4 7RT', 'Flat 9 Alder Court, Saxon Way,
    West Tarnford WT3 8NN'. The addressee's name line above ends the block and stays; the town
    stays; a block naming an organisation (a letterhead) is left alone."""
    out: list[Detection] = []
    for i, line in enumerate(lines):
        m = _POSTCODE.search(line.text)
        if not m:
            continue
        # text after the postcode ('WN3 9EF (DOB …), who says …'): an inline address, so
        # the lines above are not part of it
        inline = not rx(r"[\s,.;)\]]*").fullmatch(line.text[m.end():])
        found: list[tuple[_Line, int, int, str]] = []
        org = False
        stopped = False
        for idx in range(i, max(-1, i - 7), -1):
            cur = lines[idx]
            if idx < i and (lines[idx + 1].gap_before or len(cur.text.strip()) > 60):
                break
            for s, e in _segments(cur.text, m.start() if idx == i else len(cur.text)):
                seg = cur.text[s:e]
                kind = _kind(seg)
                if kind in ("house", "street"):
                    found.append((cur, s, e, kind))
                    continue
                if kind == "place":
                    continue
                stopped = True
                if kind == "org":
                    org = True
                elif kind == "other":
                    tail = _TAIL.search(seg)
                    if tail and _ORG.search(tail.group()) and not _STREET.match(tail.group()):
                        org = True   # '… held at County Hall, Matlock DE4 3AG'
                    elif tail:
                        found.append((cur, s + tail.start(), e, "tail"))
                        org = bool(_ORG.search(seg[:tail.start()]))   # 'Write to the Complaints Team at 1 …'
                    else:
                        org = bool(_ORG.search(seg)) and not rx(r"\d").search(seg)
                break
            if stopped or (idx == i and inline):
                break
        if org:
            continue
        for cur, s, e, kind in found:
            street_only = kind == "street" and not rx(r"\s*\d").match(cur.text[s:e])
            d = _detection(cur, s, e, "ADDRESS", LOCAL_ONLY if street_only else "AddressBlock")
            if d:
                out.append(d)
    return out


def _addressee_blocks(lines: list[_Line]) -> list[Detection]:
    """An address under a titled name with no postcode to end it: 'Mrs X⏎Marlowe House⏎23
    Tanner Street⏎Calderwick'. The lines below the name must all be address lines, at least
    one a numbered street or a flat (a house name alone is not enough: 'Mr X⏎The Old Vicarage
    Surgery' is where he works), and the block must end there (a blank line or 'Dear')."""
    out: list[Detection] = []
    for i, line in enumerate(lines):
        if not (_NAME_LINE.match(line.text.strip()) and regex.match(rf"^(?:{TITLE_RE}|{CAPS_TITLE_RE})\b",
                                                                     line.text.strip())):
            continue
        if len(line.text.split()) > 6:
            continue
        found: list[tuple[_Line, str]] = []
        numbered = False
        for nxt in lines[i + 1:i + 7]:
            if nxt.gap_before:
                break
            kind = _kind(nxt.text)
            if kind in ("house", "street"):
                found.append((nxt, kind))
                numbered = numbered or bool(rx(r"\s*(?:\d|(?i:flat|apartment|apt|maisonette)\b)").match(nxt.text))
            elif kind == "place":
                continue
            else:
                found = [] if kind == "org" else found
                break
        if not numbered:
            continue
        for cur, kind in found:
            street_only = kind == "street" and not rx(r"\s*\d").match(cur.text)
            d = _detection(cur, 0, len(cur.text), "ADDRESS", LOCAL_ONLY if street_only else "AddressBlock")
            if d:
                out.append(d)
    return out


def _labelled_addresses(lines: list[_Line]) -> list[Detection]:
    """House and street segments after an address label, with or without a postcode, on the
    label's line or (a table's label cell, a form's 'Address:' line) on the lines below:
    'Address: 2 Orchard Cottages, Back Lane, Hope', 'Address⏎Flat 5, Rivington House, …'."""
    out: list[Detection] = []
    for i, line in enumerate(lines):
        for m in rx(r"(?i:\b(?:(?:home|postal|current|previous|correspondence|permanent|full)\s+)?"
                                r"address|lives\s+at|living\s+at|resides\s+at|residing\s+at)\s*[:\-–]\s*|"
                                r"(?i:\baddress|\b(?:lives|living|resides|residing|moved|moving)\s+(?:at|to))\s+"
                                r"(?=\d{1,3}[A-Za-z]?,?\s|(?i:flat|apartment|apt|maisonette)\s+\d)").finditer(line.text):
            out.extend(_address_run(line, m.end(), len(line.text)))
        if _ADDRESS_LABEL.search(line.text) and i + 1 < len(lines) and len(line.text.strip()) <= 40:
            for nxt in lines[i + 1:i + 5]:
                found = _address_run(nxt, 0, len(nxt.text))
                if not found:
                    break
                out.extend(found)
    return out


def _address_run(line: _Line, start: int, end: int) -> list[Detection]:
    """The house and street segments of ``line.text[start:end]`` from its start, stopping at
    the first segment that is not part of an address; none if it names an organisation."""
    text = line.text
    pc = _POSTCODE.search(text, start, end)
    stop = pc.start() if pc else end
    spans, pos = [], start
    for m in rx(r",|\s{3,}|\t|\||\(|\)").finditer(text[:stop]):
        if m.start() < start:
            continue
        spans.append((pos, m.start()))
        pos = m.end()
        if m.group() in ("(", ")") or m.group().startswith((" ", "\t")) and len(m.group()) >= 3:
            break
    else:
        spans.append((pos, stop))
    found = []
    for s, e in spans:
        if not text[s:e].strip():
            continue
        kind = _kind(text[s:e])
        if kind == "org":
            return []
        if kind in ("house", "street"):
            found.append((s, e, kind))
        elif kind != "place":
            break
    out = []
    for s, e, kind in found:
        street_only = kind == "street" and not rx(r"\s*\d").match(text[s:e])
        d = _detection(line, s, e, "ADDRESS", LOCAL_ONLY if street_only else "AddressBlock")
        if d:
            out.append(d)
    return out


def _dob_values(lines: list[_Line]) -> list[Detection]:
    """A date at the start of the line after one ending in a birth cue: a table's 'Date of
    birth' cell and the value cell beside it, or 'DOB⏎19 Mar 1936' broken by a PDF line."""
    out: list[Detection] = []
    for prev, line in zip(lines, lines[1:], strict=False):
        if _DOB_END.search(prev.text.rstrip()):
            m = _DATE_START.match(line.text)
            if m:
                d = _detection(line, *m.span("date"), "DATE_OF_BIRTH", "DobLabel")
                if d:
                    out.append(d)
    return out


def _cells(text: str, delimiter: str) -> list[tuple[int, int]]:
    """Offsets of each cell's value in one delimited row (quotes honoured for CSV)."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while i <= n:
        if delimiter == "," and text[i:i + 1] == '"':
            j = i + 1
            while j < n and not (text[j] == '"' and text[j + 1:j + 2] != '"'):
                j += 2 if text[j] == '"' else 1
            spans.append((i + 1, j))
            k = text.find(delimiter, j)
            i = n + 1 if k < 0 else k + 1
            continue
        k = text.find(delimiter, i)
        k = n if k < 0 else k
        s, e = i, k
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        spans.append((s, e))
        i = k + 1
    return spans


def _column(header: str) -> str | None:
    """The kind of personal data a column with this header holds, if any."""
    for pattern, entity in ((_DOB_HEADER, "DATE_OF_BIRTH"), (_ID_HEADER, "PERSONAL_REF"),
                            (_NHS_HEADER, "UK_NHS"), (_NINO_HEADER, "UK_NINO")):
        if pattern.match(header.strip().strip('"').rstrip(":").strip()):
            return entity
    return None


def _value_span(entity: str, value: str) -> tuple[int, int] | None:
    """Where in a cell under a column of this kind the personal data is, if it holds any: a
    DOB cell may add the age after the date ('12/12/1987 (36)')."""
    if entity == "DATE_OF_BIRTH":
        m = _DATE_START.match(value)
        return m.span("date") if m else None
    stripped = value.strip()
    ok = is_reference_number(stripped) if entity == "PERSONAL_REF" else sum(c.isdigit() for c in value) >= 6
    return (0, len(value)) if ok and stripped else None


def _word_table_columns(doc: SourceDocument) -> list[Detection]:
    """Values under a DOB or ID header in a Word table whose first row is its headers.

    The reader gives a table's cells one after another, row by row, without the row
    breaks, so the row width is inferred: the header row is the table's first cells, up to
    and past the DOB header, none with a digit; the width is the smallest that puts a value
    of the right kind below the header in the next row, and each further row is checked.
    """
    out: list[Detection] = []
    paras = doc.paragraphs
    i = 0
    while i < len(paras):
        if paras[i].part != "table":
            i += 1
            continue
        k = i
        while k < len(paras) and paras[k].part == "table":
            k += 1
        cells = paras[i:k]
        for h, cell in enumerate(cells[:12]):
            entity = _column(cell.text)
            if entity is None or any(c.isdigit() for c in cell.text):
                continue
            for n in range(h + 1, 13):
                if h + n >= len(cells) or any(any(c.isdigit() for c in x.text) for x in cells[:n]):
                    break
                if _value_span(entity, cells[h + n].text) is None:
                    continue
                for row in range(h + n, len(cells), n):
                    value = cells[row]
                    span = _value_span(entity, value.text)
                    if span is not None:
                        d = _detection(_Line(value.start, value.text, value.part, False), *span, entity, "TableColumn")
                        if d:
                            out.append(d)
                break
        i = k
    return out


def _table_columns(lines: list[_Line]) -> list[Detection]:
    """Values under a DOB, client-ID, NHS or NI column header in a CSV, tab- or
    pipe-separated export: 'Client ID,Client name,DOB,…' then 'HO-558210,"B",12/12/1987,…'."""
    out: list[Detection] = []
    i = 0
    while i < len(lines):
        header = lines[i]
        delimiter = next((d for d in ("\t", "|", ",") if header.text.count(d) >= 2), None)
        if delimiter is None:
            i += 1
            continue
        columns = {j: entity for j, (s, e) in enumerate(_cells(header.text, delimiter))
                   if (entity := _column(header.text[s:e])) is not None}
        if not columns or any(c.isdigit() for c in header.text):
            i += 1
            continue
        k = i + 1
        while k < len(lines) and lines[k].text.count(delimiter) >= 1 and not lines[k].gap_before:
            row = lines[k]
            cells = _cells(row.text, delimiter)
            for j, entity in columns.items():
                if j >= len(cells):
                    continue
                s, e = cells[j]
                span = _value_span(entity, row.text[s:e])
                if span is not None:
                    d = _detection(row, s + span[0], s + span[1], entity, "TableColumn")
                    if d:
                        out.append(d)
            k += 1
        i = k
    return out
