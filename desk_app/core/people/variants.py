"""The other forms a known person takes in case material, found case-wide.

A person named once in full is also written, in notes and system exports, as initials
("KB" for Kerry Brennan, "BRM" for Bethan Rees-Morgan, "SMcG" for Siobhan McGuinness), as a
username or an e-mail address's local part ("kbrennan", "mwhitlockhenry", "rachel.oneill"),
and in lower case ("spoke to tyler"). A log also signs entries with the initials of staff
who are never named in full ("per JT", "(KB)", "Present: KB, JT"). None of these look like
names to a model; all of them are the person. This module derives them from the people the
case already knows and finds them, so that they are replaced like any other mention.

Deliberate limits, each the same decision the leak scan makes (``leakscan.LeakTerms``):
an initials form that is also a common acronym (``names.ACRONYMS``: "SW", "OT", "GP") is
never taken for a person, and a one-word name that is an ordinary English word
(``names.ORDINARY_WORD_NAMES``: "rose", "dawn", "will") is taken in lower case only where a
cue says it is a name (a greeting, a kinship word, "its rose", "dawn the support worker").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import regex

from desk_app.core.names import (
    ACRONYMS,
    FUNCTION_WORDS,
    NOT_NAME_WORDS,
    ORDINARY_WORD_NAMES,
    ROLES,
    TITLE_JUST_BEFORE,
    fold,
    initials_of,
    lookalike_spans,
    strip_accents,
)
from desk_app.core.regexcache import rx

_PARTS = regex.compile(r"(?:Mc|Mac|O['’]|D['’])?\p{Lu}[\p{Ll}\p{M}]*|\p{Ll}+")


def usernames_of(first: str, surname: str) -> set[str]:
    """Login names and mailbox local parts: kbrennan, k.brennan, kerry.brennan, brennank, ..."""
    f = rx(r"[^\p{L}]").sub("", strip_accents(first)).lower()
    s = rx(r"[^\p{L}]").sub("", strip_accents(surname)).lower()
    if len(s) < 3 or not f:
        return set()
    if len(f) == 1:   # 'D. Okoro' logs in as 'dokoro'
        return {f + s, f"{f}.{s}", s + f}
    return {f[0] + s, f"{f[0]}.{s}", f"{f}.{s}", f"{f}_{s}", f + s, s + f[0], f"{s}.{f}", f"{s}{f}",
            f"{f}{s[0]}", f"{f}.{s[0]}"}


def is_ordinary(word: str) -> bool:
    key = fold(word)
    return key in ORDINARY_WORD_NAMES or key in FUNCTION_WORDS or key in NOT_NAME_WORDS


_ROLE_ALT = "|".join(regex.escape(r) for r in sorted(ROLES, key=len, reverse=True))
# Cues that make a lower-case ordinary word a name: 'hi dawn', 'its rose', 'my son tyler',
# 'dawn the support worker', 'me (rose)'.
_LOWER_BEFORE = regex.compile(
    r"(?i:(?:^|[\s(])(?:hi|hello|hiya|hey|dear|morning|evening|afternoon|thanks|thank\s+you|cheers|love|its|it['’]s|"
    r"this\s+is|i\s+am|i['’]m|me|son|daughter|sister|brother|husband|wife|partner|mum|dad|nan|grandson|"
    r"granddaughter|spoke\s+to|speak\s+to|told|asked|rang|text(?:ed)?|messaged|emailed)[\s,]+|:[ \t]+)$")
_LOWER_AFTER = regex.compile(rf"(?i:^[\s,(]+(?:the|our|my|your)\s+(?:{_ROLE_ALT})\b|^\s*\)|^\s*:)"
                             # 'precious asked', 'hope said': a known person's name before what people do
                             r"|^[ \t]+(?:said|says|asked|told|rang|phoned|called|texted|emailed|wants|wanted|"
                             r"agreed|refused|wasn['’]t|isn['’]t|doesn['’]t|didn['’]t|has\s+been|had\s+been)\b")


_DEFINED = regex.compile(r"((?:\p{Lu}[\p{L}'’-]*[ \t]+(?:(?:of|and|for|the|in|on|&)[ \t]+)?){1,7})\((\p{Lu}{2,6})\)")


def defined_acronyms(texts: Sequence[str], names: Iterable[str] = ()) -> set[str]:
    """Capitals a text defines as an acronym: 'Council Tax Reduction (CTR)', 'Team Around
    the Child (TAC)'. They are never anyone's initials in that case. A person's name with
    their initials after it ('Svetlana Morozova (SM)') has the same shape: ``names`` are the
    case's known names, and a definition ending in one of them is initials, not an acronym."""
    known = {fold(n) for n in names}
    out: set[str] = set()
    for text in texts:
        for m in _DEFINED.finditer(text):
            phrase = m.group(1).split()
            letters = "".join(w[0] for w in phrase if w[0].isupper())
            token = m.group(2)
            it = iter(letters)
            if not (token[0] in letters and all(c in it for c in token)):   # letters in order
                continue
            tail = {fold(" ".join(phrase[-k:])) for k in range(1, min(4, len(phrase)) + 1)}
            if not (tail & known):
                out.add(token)
    return out


# Where staff initials stand in a log (see _unknown_initials).
_INITIALS_SLOTS = regex.compile(
    r"(?:\((?P<a>\p{Lu}{2,3})\)"
    r"|(?<![\p{L}])(?:per|with|by|to|from|cc|and|SW|FSW|OT|HV|worker|Present:|Attendees:)[ \t]+"
    r"(?P<b>\p{Lu}{2,3})(?![\p{L}])"
    r"|(?<=[.;][ \t]{1,3})(?P<c>\p{Lu}{2,3})[ \t]*$"
    r"|(?P<d>\p{Lu}{2,3})(?=,[ \t]*\p{Lu}{2,3}\b)"
    r"|^(?P<e>\p{Lu}{2,3})[ \t]+\d{1,2}/\d{1,2}"   # 'AH 04/03/2025' signing a note
    r"|\[(?P<f>\p{Lu}{2,3})[ \t]+(?:to\b|:)"   # '[AH to check: ...]'
    r"|\((?:v?\d[\d.]*|draft|\d{1,2}/\d{1,2}/\d{2,4})[^()\n]{0,20},[ \t]*(?P<g>\p{Lu}{2,3})\))",   # '(v0.3, AO)'
    regex.M)


_DOTTED_INITIALS = regex.compile(r"(?<![\p{L}\p{N}.])(?P<i>\p{Lu}\.[ ]?\p{Lu}\.(?:[ ]?\p{Lu}\.)?)(?![\p{L}\p{N}])")

# Initials that are also an abbreviation ('DV', 'OT', 'PA') stand for the person only where
# they act: 'DV to chase', 'DV visited', 'per DV', 'agreed with DV'.
_ACTOR_AFTER = regex.compile(r"[ \t]+(?:to[ \t]+(?!be\b)\p{Ll}{3,}|visited|called|rang|phoned|spoke|said|agreed|"
                             r"confirmed|emailed|wrote|noted)\b")
_ACTOR_BEFORE = regex.compile(r"(?i:\b(?:per|by|with|from|cc|and|SW|FSW)[ \t]+)$")


# A chat or transcript message: '[05/03/2024, 21:14] Ruby: jo can u come get me'.
_CHAT_MESSAGE = regex.compile(r"(?m)^[ \t]*\[[^\]\n]{3,40}\][ \t]*[^:\n]{1,40}:[ \t]*")
_CHAT_CUE_BEFORE = regex.compile(r"(?i:\b(?:there|now|ok|okay|yes|no|please|pls|plz|thanks|thx|sorry|love|"
                                 r"babe|hun|mate|bye|night|morning)[ \t,]+)$")


def _chat_vocative(text: str, s: int, e: int) -> bool:
    """In a chat message a known person's name in lower case is called by name where a
    message starts or ends, or after the small words that come before a name there ('stay
    there ruby', 'ok jo', 'thanks al')."""
    line_start = text.rfind("\n", 0, s) + 1
    head = _CHAT_MESSAGE.match(text, line_start)
    if head is None or head.end() > s:
        return False
    line_end = text.find("\n", e)
    rest = text[e:len(text) if line_end == -1 else line_end]
    return head.end() == s or not rest.strip(" .,!?x") or bool(_CHAT_CUE_BEFORE.search(text, line_start, s))


def _unknown_initials(texts: Sequence[str], known: set[str]) -> set[str]:
    """Staff initials never written out: a 2-3 capital token that signs log entries or
    stands where a person stands ('(JT)', 'per JT', 'with JT', 'Present: KB, JT', 'SW KB',
    a line ending '... today. MW') at least twice in the case."""
    counts: dict[str, int] = {}
    for text in texts:
        for m in _INITIALS_SLOTS.finditer(text):
            tok = next((g for g in m.groups() if g), None)
            if tok and tok not in ACRONYMS:
                # a draft's version line signs with the author's initials: once is enough
                counts[tok] = counts.get(tok, 0) + (2 if m.group("g") else 1)
    return {t for t, n in counts.items() if n >= 2 or t in known}


def find_variants(texts: Sequence[str], people: Iterable, taken: Sequence[Sequence[tuple[int, int]]]
                  ) -> list[tuple[int, int, int, str, object | None]]:
    """(doc, start, end, kind, person or None) for every variant form found in the case.

    ``people`` are ``cluster.Person``s; ``taken[doc]`` lists spans already replaced. Unknown
    initials come back with person None: the caller makes someone of them.
    """
    by_form: dict[str, object] = {}       # case-sensitive forms: initials
    acting: dict[str, object] = {}        # initials that are also abbreviations: only as the actor
    by_lower: dict[str, object] = {}      # case-insensitive forms: usernames, lower-case names
    cued_lower: dict[str, object] = {}    # ordinary words: only with a cue
    people = list(people)
    for p in people:
        fulls = [f for f in p.forms if len(f.split()) >= 2]
        if p.first and p.surname:
            fulls.append(f"{p.first} {p.surname}")
        for f in p.forms:
            if rx(r"\p{Lu}\.[ ]?\p{Lu}(?:\.[ ]?\p{Lu})?\.?").fullmatch(f):   # 'S.B.' also signs as 'SB'
                by_form.setdefault(f.replace(".", "").replace(" ", ""), p)
        for f in fulls:
            for ini in initials_of(f):
                if ini not in ACRONYMS:
                    by_form.setdefault(ini, p)
                else:   # 'DV' is Dmitri Vashchenko only where it does what a person does
                    acting.setdefault(ini, p)
        if p.first and p.surname and "." not in p.first:
            for u in usernames_of(p.first, p.surname):
                by_lower.setdefault(u, p)
        for f in p.forms:
            for w in f.split():
                w = w.strip(".,’'")
                if len(w) < 2 or not w[0].isupper() or rx(r"\p{Lu}+").fullmatch(w) and len(w) <= 3:
                    continue
                if is_ordinary(w) or len(w) == 2:   # ('jo', 'al', 'ed' are too short to take without a cue)
                    cued_lower.setdefault(fold(w), p)
                else:
                    by_lower.setdefault(fold(w), p)
            if len(f.split()) >= 2 and all(len(w) >= 2 for w in f.split()):
                by_lower.setdefault(fold(f), p)
    defined = defined_acronyms(texts, [f for p in people for f in p.forms])
    for token in defined:
        by_form.pop(token, None)
    unknown = _unknown_initials(texts, set(by_form)) - defined
    found: list[tuple[int, int, int, str, object | None]] = []
    case_sensitive = set(by_form) | unknown
    single = {k: v for k, v in by_lower.items() if " " not in k}
    multi: dict[str, list[tuple[list[str], object]]] = {}
    for k, v in by_lower.items():
        if " " in k:
            first, *rest = k.split()
            multi.setdefault(first, []).append((rest, v))
    for doc, text in enumerate(texts):
        covered = bytearray(len(text) + 1)   # 1 where a replacement or a look-alike already is
        for a, b in [*taken[doc], *lookalike_spans(text)]:
            covered[a:b] = b"\x01" * (b - a)
        spans = _Covered(covered)

        def free(s: int, e: int, covered: bytearray = covered) -> bool:
            return not any(covered[s:e])

        # words, one precompiled pattern for every case: a per-case alternation of every form
        # costs more to compile than the whole search
        words = list(_WORD.finditer(text))
        for m in _DOTTED_INITIALS.finditer(text):
            # 'Z.K. complained', 'Mr Z. K.': a known person's initials with full stops (as courts
            # and ombudsmen write them), the title before them with them
            key = m.group("i").replace(".", "").replace(" ", "")
            if key in by_form and key not in ACRONYMS:
                s, e = m.span("i")
                title = TITLE_JUST_BEFORE.search(text, max(0, s - 12), s)
                s = title.start() if title else s
                if free(s, e):
                    found.append((doc, s, e, "initials", by_form[key]))
                    spans.append((s, e))
        for m in words:
            if m.group() in case_sensitive:
                s, e = m.span()
                if free(s, e) and not _in_capitals(text, s, e):
                    found.append((doc, s, e, "initials", by_form.get(m.group())))
                    spans.append((s, e))
            elif m.group() in acting and m.group() not in defined:
                s, e = m.span()
                if free(s, e) and (_ACTOR_AFTER.match(text, e) or _ACTOR_BEFORE.search(text, max(0, s - 12), s)):
                    found.append((doc, s, e, "initials", acting[m.group()]))
                    spans.append((s, e))
        for i, m in enumerate(words):
            s, e = m.span()
            word = m.group()
            key = fold(word)
            for rest, p in multi.get(key, ()):
                tail = words[i + 1:i + 1 + len(rest)]
                pairs = zip([m, *tail], tail, strict=False)
                if len(tail) == len(rest) and [fold(t.group()) for t in tail] == rest and all(
                        rx(r"[ \t\u00a0]+").fullmatch(text[a.end():b.start()]) for a, b in pairs):
                    e2 = tail[-1].end()
                    if free(s, e2) and text[s:e2].islower():
                        found.append((doc, s, e2, "lower", p))
                        spans.append((s, e2))
            if not free(s, e):
                continue
            if key in single:
                p = single[key]
                if word[:1].isupper() and not word.isupper():
                    continue   # capitalised forms are the propagation's to judge (places, bodies)
            elif key in cued_lower:
                # an ordinary word: capitalised it was the propagation's to judge; lower case needs a cue
                if not word.islower() or not (_LOWER_BEFORE.search(text[max(0, s - 30):s])
                                              or _LOWER_AFTER.match(text[e:e + 40])
                                              or _chat_vocative(text, s, e)):
                    continue
                p = cued_lower[key]
            else:
                continue
            own_words = {fold(w) for f in p.forms for w in f.split()}
            found.append((doc, s, e, "lower" if key in own_words else "username", p))
            spans.append((s, e))
        for m in _LOGIN.finditer(text):   # 'rachel.oneill', 'first_last': a mailbox or login
            s, e = m.span()
            key = fold(m.group())
            if key in single and free(s, e):
                found.append((doc, s, e, "username", single[key]))
                spans.append((s, e))
    return found


def find_misread(texts: Sequence[str], people: Iterable, taken: Sequence[Sequence[tuple[int, int]]],
                 scanned: Sequence[Sequence[tuple[int, int]]]) -> list[tuple[int, int, int, str, object]]:
    """(doc, start, end, "misread", person) for every known name word that OCR misread on a
    scanned page: one or two letters wrong or a space put in ("Me Allister" for "McAllister",
    "Kowalezyk"), where the rest of the case reads it right.

    Only in ``scanned`` spans (per document: the pages read by OCR), only for name words of
    five letters or more that are not ordinary words, with one error allowed up to seven
    letters and two beyond, and only for a capitalised word that is not already taken and is
    not the exact word of any known person: a misread name left in a text copy would read as
    nobody's, and the redacted page would keep it unboxed.
    """
    if not any(scanned):
        return []
    words: dict[str, object] = {}
    exact: set[str] = set()
    for p in people:
        for f in p.forms:
            for w in f.split():
                w = w.strip(".,’'()")
                exact.add(fold(w))
                if len(w) >= 5 and w[:1].isupper() and not w.isupper() and not is_ordinary(w):
                    words.setdefault(w, p)
    found: list[tuple[int, int, int, str, object]] = []
    for doc, text in enumerate(texts):
        if doc >= len(scanned) or not scanned[doc]:
            continue
        covered = bytearray(len(text) + 1)
        for a, b in taken[doc]:
            covered[a:b] = b"\x01" * (b - a)
        for word, person in words.items():
            errors = 1 if len(word) <= 7 else 2
            pattern = rx(rf"(?<![\p{{L}}\p{{M}}])(?:{regex.escape(word)}){{e<={errors}}}(?![\p{{L}}\p{{M}}])",
                         regex.ENHANCEMATCH)
            for a, b in scanned[doc]:
                for m in pattern.finditer(text, a, b):
                    s, e = m.span()
                    got = m.group()
                    if (not got[:1].isupper() or "\n" in got or got.count(" ") > 1 or fold(got) in exact
                            or any(covered[s:e]) or abs(len(got) - len(word)) > errors
                            or is_ordinary(got.replace(" ", ""))):
                        continue
                    found.append((doc, s, e, "misread", person))
                    covered[s:e] = b"\x01" * (e - s)
    return found


_WORD = regex.compile(r"[\p{L}\p{N}\p{M}]+(?:['’‐-][\p{L}\p{N}\p{M}]+)*")
_LOGIN = regex.compile(r"(?<![\p{L}\p{N}.])[\p{L}\p{N}]+(?:[._][\p{L}\p{N}]+)+(?![\p{L}\p{N}]|\.[\p{L}\p{N}])")


class _Covered:
    """The covered positions of one document; ``append`` marks a new span taken."""

    def __init__(self, covered: bytearray) -> None:
        self.covered = covered

    def append(self, span: tuple[int, int]) -> None:
        a, b = span
        self.covered[a:b] = b"\x01" * (b - a)


def _in_capitals(text: str, s: int, e: int) -> bool:
    """'DO NOT DISTURB': a word of a line typed in capitals is not initials."""
    before = rx(r"(\p{L}+)[^\p{L}\n]{1,3}$").search(text[max(0, s - 20):s])
    after = rx(r"[^\p{L}\n]{1,3}(\p{L}+)").match(text[e:e + 20])
    near = [m.group(1) for m in (before, after) if m]
    return bool(near) and all(w.isupper() and len(w) >= 3 for w in near)
