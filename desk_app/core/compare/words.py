"""Word-level differences inside one pair of paragraphs.

Tokens are a word (or one punctuation mark) together with the whitespace after it, so the
tokens of a text cover it exactly: the text between two ops is then the same on both sides,
which is what lets the Word redline be accepted or rejected back into either draft. The
whitespace takes part in the comparison unless the options say to ignore it.

Only the differing middle of a pair is handed to ``difflib`` (common leading and trailing
tokens are cut first), with ``autojunk`` off: autojunk throws away frequent words such as
"the" once a paragraph has 200 tokens and then matches nonsense (cpython #96363). A middle
longer than ``CompareOptions.word_limit`` tokens is marked whole instead, so one enormous
paragraph costs milliseconds, not seconds.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from desk_app.core.compare.model import CompareOptions, Op

TOKEN = re.compile(r"\s+|(?:\w+(?:['’]\w+)*|[^\w\s])\s*")
WORD = re.compile(r"\w+(?:['’]\w+)*")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
                         "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"'})


def normalise(text: str, options: CompareOptions) -> str:
    """The form of ``text`` two sides are compared in, under the user's options."""
    if options.ignore_quotes:
        text = text.translate(_QUOTES)
    if options.ignore_whitespace:
        text = " ".join(text.split())
    if options.ignore_case:
        text = text.casefold()
    return text


def tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of every token; together they cover ``text`` from 0 to len(text)."""
    return [m.span() for m in TOKEN.finditer(text)]


def _keys(text: str, spans: list[tuple[int, int]], options: CompareOptions) -> list[str]:
    if options.ignore_whitespace:
        return [normalise(text[a:b].rstrip(), options) for a, b in spans]
    if options.ignore_case or options.ignore_quotes:
        return [normalise(text[a:b], options) for a, b in spans]
    return [text[a:b] for a, b in spans]


def count_words(text: str) -> int:
    return sum(1 for _ in WORD.finditer(text))


def _inside_word(s: str, i: int) -> bool:
    return 0 < i < len(s) and s[i - 1].isalnum() and s[i].isalnum()


def _tighten(left: str, right: str, op: Op) -> Op | None:
    """Cut characters both sides of a replace share at its ends, at word boundaries only.

    "sat" -> "sat down" becomes an insertion of " down" rather than a replaced word; a change
    inside a word ("cat" -> "car") stays a whole-word replacement, as a reader expects.
    """
    a, b = left[op.a0:op.a1], right[op.b0:op.b1]
    p = 0
    limit = min(len(a), len(b))
    while p < limit and a[p] == b[p]:
        p += 1
    while p and (_inside_word(a, p) or _inside_word(b, p)):
        p -= 1
    s = 0
    limit -= p
    while s < limit and a[len(a) - 1 - s] == b[len(b) - 1 - s]:
        s += 1
    while s and (_inside_word(a, len(a) - s) or _inside_word(b, len(b) - s)):
        s -= 1
    a0, a1, b0, b1 = op.a0 + p, op.a1 - s, op.b0 + p, op.b1 - s
    if a0 == a1 and b0 == b1:
        return None
    tag = "replace" if a1 > a0 and b1 > b0 else ("delete" if a1 > a0 else "insert")
    return Op(tag, a0, a1, b0, b1)


def word_ops(left: str, right: str, options: CompareOptions) -> tuple[tuple[Op, ...], bool]:
    """The differences between two paragraph texts, and whether they were too long to diff
    word by word (then the differing middle is one op)."""
    ta, tb = tokens(left), tokens(right)
    ka, kb = _keys(left, ta, options), _keys(right, tb, options)
    lo = 0
    top = min(len(ka), len(kb))
    while lo < top and ka[lo] == kb[lo]:
        lo += 1
    hi_a, hi_b = len(ka), len(kb)
    while hi_a > lo and hi_b > lo and ka[hi_a - 1] == kb[hi_b - 1]:
        hi_a -= 1
        hi_b -= 1
    if hi_a == lo and hi_b == lo:
        return (), False

    def pos_a(i: int) -> int:
        return ta[i][0] if i < len(ta) else len(left)

    def pos_b(j: int) -> int:
        return tb[j][0] if j < len(tb) else len(right)

    coarse = max(hi_a - lo, hi_b - lo) > options.word_limit
    if coarse:
        raw = [("replace", lo, hi_a, lo, hi_b)]
    else:
        sm = SequenceMatcher(None, ka[lo:hi_a], kb[lo:hi_b], autojunk=False)
        raw = [(tag, lo + i1, lo + i2, lo + j1, lo + j2) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal"]
    ops: list[Op] = []
    for tag, i1, i2, j1, j2 in raw:
        op = Op(tag, pos_a(i1), pos_a(i2), pos_b(j1), pos_b(j2))
        if tag == "replace":
            op = _tighten(left, right, op)
        if op is None or (options.ignore_whitespace and not (left[op.a0:op.a1] + right[op.b0:op.b1]).strip()):
            continue
        ops.append(op)
    return tuple(ops), coarse
