"""Compare two drafts: align paragraphs, pair the edited ones, find moves, then diff words.

The order matters and follows what was measured on two 50-page drafts
(shared/research/drafting_anchors.md §3.6-3.7):

1. paragraphs with the same normalised text are anchored in place: the heaviest set of them
   that keeps both drafts' order (``_anchors``);
2. inside each stretch that differs, deleted and inserted paragraphs are paired *in place*
   by word overlap, keeping their order, before any move is looked for; otherwise edited
   paragraphs get mistaken for moves;
3. only the paragraphs still unpaired are candidates for moves (plus those whose exact text
   sits elsewhere on the other side, held out of step 2): the same text first, then
   nearly the same (word overlap of at least 0.8, three words or more), so a paragraph that
   was moved and edited shows as a move with its edits inside;
4. words are compared only inside paired paragraphs (``words.word_ops``); a word diff of the
   whole document is thousands of times slower.
"""

from __future__ import annotations

import time
from collections import defaultdict

from desk_app.core.compare.model import (
    Change,
    ChangeKind,
    CompareOptions,
    Comparison,
    Draft,
    Op,
    Row,
    RowKind,
)
from desk_app.core.compare.words import WORD, count_words, normalise, word_ops

PAIR_IN_PLACE = 0.4     # word overlap for two paragraphs at the same place to count as one edited paragraph
PAIR_ONE_FOR_ONE = 0.2  # ... when one paragraph stands opposite one ('Decision date : 2 May' -> '9 Jun')
MOVE_SIMILARITY = 0.8   # word overlap for a deleted and an inserted paragraph elsewhere to count as a move
MOVE_MIN_WORDS = 3      # shorter paragraphs ("Back to top") are not reported as moved
_DP_LIMIT = 40_000      # pairing cells per differing stretch before falling back to a greedy pass


def _word_set(text: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in WORD.findall(text))


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 1.0 if a == b else 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def _anchors(keys_a: list[str], keys_b: list[str], weights: list[int]) -> list[tuple[int, int]]:
    """The heaviest set of identical paragraphs that keeps both drafts' order.

    A weighted longest increasing subsequence over the (i, j) pairs with equal text, with a
    Fenwick tree for the running maximum: O(pairs · log n). Unlike ``difflib``, which grabs
    the longest run first and can anchor on one moved paragraph at the cost of two that
    stayed, this keeps the most text in place, so what is left over really moved. Weights
    are word counts, so a repeated "Back to top" cannot outweigh a real paragraph.
    """
    where: dict[str, list[int]] = defaultdict(list)
    for j, key in enumerate(keys_b):
        where[key].append(j)
    n = len(keys_b)
    tree = [-1] * (n + 1)               # Fenwick tree of node ids, prefix maximum by value
    nodes: list[tuple[int, int, int, int]] = []   # (i, j, value, previous node id)

    def best_before(j: int) -> int:
        found, k = -1, j
        while k > 0:
            if tree[k] >= 0 and (found < 0 or nodes[tree[k]][2] > nodes[found][2]):
                found = tree[k]
            k -= k & -k
        return found

    def record(j: int, node: int) -> None:
        k = j + 1
        while k <= n:
            if tree[k] < 0 or nodes[tree[k]][2] < nodes[node][2]:
                tree[k] = node
            k += k & -k

    for i, key in enumerate(keys_a):
        targets = where.get(key)
        if not targets:
            continue
        new = []
        for j in targets:   # all of one paragraph's candidates before recording any, so i is used once
            previous = best_before(j)
            value = weights[i] + (nodes[previous][2] if previous >= 0 else 0)
            new.append((i, j, value, previous))
        for node in new:
            nodes.append(node)
            record(node[1], len(nodes) - 1)
    end = best_before(n)
    chain: list[tuple[int, int]] = []
    while end >= 0:
        i, j, _, end = nodes[end]
        chain.append((i, j))
    return chain[::-1]


class _Aligner:
    def __init__(self, left: Draft, right: Draft, options: CompareOptions, in_place: float) -> None:
        self.left, self.right, self.options, self.in_place = left, right, options, in_place
        self.keys_a = [normalise(b.text, options) for b in left.blocks]
        self.keys_b = [normalise(b.text, options) for b in right.blocks]
        self._sets: dict[tuple[int, int], frozenset[str]] = {}
        self.held_a: set[int] = set()
        self.held_b: set[int] = set()

    def words(self, side: int, index: int) -> frozenset[str]:
        cached = self._sets.get((side, index))
        if cached is None:
            key = (self.keys_a if side == 0 else self.keys_b)[index]
            cached = self._sets[(side, index)] = _word_set(key)
        return cached

    def similarity(self, i: int, j: int) -> float:
        return _similarity(self.words(0, i), self.words(1, j))

    # -- step 1 and 2 ----------------------------------------------------------------------
    def rows(self) -> list[Row]:
        anchors = _anchors(self.keys_a, self.keys_b, [len(self.words(0, i)) + 1 for i in range(len(self.keys_a))])
        stretches: list[tuple[list[int], list[int]]] = []
        i0 = j0 = 0
        for i, j in [*anchors, (len(self.keys_a), len(self.keys_b))]:
            stretches.append((list(range(i0, i)), list(range(j0, j))))
            i0, j0 = i + 1, j + 1
        self._hold_moves(stretches)
        rows: list[Row] = []
        for (deleted, inserted), anchor in zip(stretches, [*anchors, None], strict=True):
            if deleted or inserted:
                rows.extend(self._stretch(deleted, inserted))
            if anchor is not None:
                rows.append(Row(RowKind.EQUAL, *anchor))
        return rows

    def _hold_moves(self, stretches: list[tuple[list[int], list[int]]]) -> None:
        """Keep paragraphs whose exact text is elsewhere on the other side out of in-place
        pairing: with a small vocabulary a moved paragraph can look enough like its new
        neighbour to be paired with it, and its real move then goes unseen."""
        left = {self.keys_a[i] for deleted, _ in stretches for i in deleted}
        right = {self.keys_b[j] for _, inserted in stretches for j in inserted}
        common = {k for k in left & right if count_words(k) >= MOVE_MIN_WORDS}
        self.held_a = {i for deleted, _ in stretches for i in deleted if self.keys_a[i] in common}
        self.held_b = {j for _, inserted in stretches for j in inserted if self.keys_b[j] in common}

    def _stretch(self, deleted: list[int], inserted: list[int]) -> list[Row]:
        """Rows for one differing stretch: in-place pairs in order, the rest deleted/inserted."""
        free_a = [i for i in deleted if i not in self.held_a]
        free_b = [j for j in inserted if j not in self.held_b]
        if len(free_a) == 1 == len(free_b):
            i, j = free_a[0], free_b[0]
            pairs = [(i, j)] if self.similarity(i, j) >= min(self.in_place, PAIR_ONE_FOR_ONE) else []
        else:
            pairs = self._pairs(free_a, free_b) if free_a and free_b else []
        rows: list[Row] = []
        di = ii = 0
        for i, j in [*pairs, (None, None)]:
            while di < len(deleted) and (i is None or deleted[di] < i):
                rows.append(Row(RowKind.DELETED, deleted[di], None))
                di += 1
            while ii < len(inserted) and (j is None or inserted[ii] < j):
                rows.append(Row(RowKind.INSERTED, None, inserted[ii]))
                ii += 1
            if i is not None:
                rows.append(Row(RowKind.CHANGED, i, j))
                di += 1
                ii += 1
        return rows

    def _pairs(self, deleted: list[int], inserted: list[int]) -> list[tuple[int, int]]:
        """The order-keeping pairing with the most total overlap (a small Needleman-Wunsch)."""
        m, n = len(deleted), len(inserted)
        if m * n > _DP_LIMIT:
            return self._greedy_pairs(deleted, inserted)
        sim = [[self.similarity(i, j) for j in inserted] for i in deleted]
        best = [[0.0] * (n + 1) for _ in range(m + 1)]
        for x in range(m - 1, -1, -1):
            row, below = best[x], best[x + 1]
            sx = sim[x]
            for y in range(n - 1, -1, -1):
                take = sx[y] + below[y + 1] if sx[y] >= self.in_place else -1.0
                row[y] = max(take, below[y], row[y + 1])
        pairs: list[tuple[int, int]] = []
        x = y = 0
        while x < m and y < n:
            if sim[x][y] >= self.in_place and best[x][y] == sim[x][y] + best[x + 1][y + 1]:
                pairs.append((deleted[x], inserted[y]))
                x += 1
                y += 1
            elif best[x][y] == best[x + 1][y]:
                x += 1
            else:
                y += 1
        return pairs

    def _greedy_pairs(self, deleted: list[int], inserted: list[int]) -> list[tuple[int, int]]:
        """For very long stretches: each deleted paragraph takes the best of the next few."""
        pairs: list[tuple[int, int]] = []
        start = 0
        for i in deleted:
            window = inserted[start:start + 50]
            scored = [(self.similarity(i, j), k) for k, j in enumerate(window)]
            if not scored:
                break
            score, k = max(scored)
            if score >= self.in_place:
                pairs.append((i, window[k]))
                start += k + 1
        return pairs

    # -- step 3 ----------------------------------------------------------------------------
    def find_moves(self, rows: list[Row]) -> None:
        deleted = [r for r, row in enumerate(rows) if row.kind is RowKind.DELETED]
        inserted = [r for r, row in enumerate(rows) if row.kind is RowKind.INSERTED]
        if not deleted or not inserted:
            return
        free_ins: dict[str, list[int]] = defaultdict(list)
        for r in inserted:
            free_ins[self.keys_b[rows[r].right]].append(r)
        taken: set[int] = set()
        fuzzy_del: list[int] = []
        for r in deleted:
            i = rows[r].left
            if count_words(self.left.blocks[i].text) < MOVE_MIN_WORDS:
                continue
            same = [t for t in free_ins.get(self.keys_a[i], []) if t not in taken]
            if same:
                self._link(rows, r, same[0])
                taken.add(same[0])
            else:
                fuzzy_del.append(r)
        fuzzy_ins = [r for r in inserted if r not in taken
                     and count_words(self.right.blocks[rows[r].right].text) >= MOVE_MIN_WORDS]
        candidates = []
        for rd in fuzzy_del:
            a = self.words(0, rows[rd].left)
            for ri in fuzzy_ins:
                b = self.words(1, rows[ri].right)
                if min(len(a), len(b)) < MOVE_SIMILARITY * max(len(a), len(b)):
                    continue   # the overlap bound cannot reach the threshold
                score = _similarity(a, b)
                if score >= MOVE_SIMILARITY:
                    candidates.append((score, rd, ri))
        used: set[int] = set()
        for _score, rd, ri in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
            if rd in used or ri in used:
                continue
            used.update((rd, ri))
            self._link(rows, rd, ri)

    @staticmethod
    def _link(rows: list[Row], from_row: int, to_row: int) -> None:
        rows[from_row] = Row(RowKind.MOVED_FROM, rows[from_row].left, None, partner=to_row)
        rows[to_row] = Row(RowKind.MOVED_TO, None, rows[to_row].right, partner=from_row)

    # -- step 4 ----------------------------------------------------------------------------
    def diff_words(self, rows: list[Row]) -> None:
        for r, row in enumerate(rows):
            if row.kind is RowKind.CHANGED:
                a, b = self.left.blocks[row.left].text, self.right.blocks[row.right].text
                ops, coarse = word_ops(a, b, self.options)
                rows[r] = Row(RowKind.CHANGED if ops else RowKind.EQUAL, row.left, row.right, ops, coarse=coarse)
            elif row.kind is RowKind.MOVED_FROM:
                to = rows[row.partner]
                a, b = self.left.blocks[row.left].text, self.right.blocks[to.right].text
                ops, coarse = word_ops(a, b, self.options)
                rows[r] = Row(row.kind, row.left, None, ops, row.partner, coarse)
                rows[row.partner] = Row(to.kind, None, to.right, ops, r, coarse)
            elif row.kind is RowKind.INSERTED:
                n = len(self.right.blocks[row.right].text)
                rows[r] = Row(row.kind, None, row.right, (Op("insert", 0, 0, 0, n),))
            elif row.kind is RowKind.DELETED:
                n = len(self.left.blocks[row.left].text)
                rows[r] = Row(row.kind, row.left, None, (Op("delete", 0, n, 0, 0),))


def _changes(rows: list[Row], left: Draft, right: Draft) -> list[Change]:
    """The change list in reading order; a move is listed once, where its first end is."""
    changes: list[Change] = []
    for r, row in enumerate(rows):
        if row.kind is RowKind.EQUAL:
            continue
        moved = row.kind in (RowKind.MOVED_FROM, RowKind.MOVED_TO)
        if moved and row.partner < r:
            continue
        if moved:
            src, dst = (row, rows[row.partner]) if row.kind is RowKind.MOVED_FROM else (rows[row.partner], row)
            a, b = left.blocks[src.left].text, right.blocks[dst.right].text
        else:
            a = left.blocks[row.left].text if row.left is not None else ""
            b = right.blocks[row.right].text if row.right is not None else ""
        ins = sum(count_words(b[o.b0:o.b1]) for o in row.ops)
        dels = sum(count_words(a[o.a0:o.a1]) for o in row.ops)
        if moved:
            ends = (r, row.partner) if row.kind is RowKind.MOVED_FROM else (row.partner, r)
            changes.append(Change(ChangeKind.MOVED, ends, ins, dels, edited=bool(row.ops)))
        else:
            kind = {RowKind.CHANGED: ChangeKind.CHANGED, RowKind.INSERTED: ChangeKind.INSERTED,
                    RowKind.DELETED: ChangeKind.DELETED}[row.kind]
            changes.append(Change(kind, (r,), ins, dels))
    return changes


def compare(left: Draft, right: Draft, options: CompareOptions | None = None, *,
            in_place: float = PAIR_IN_PLACE) -> Comparison:
    """Compare two drafts; ``left`` is the earlier one (the original), ``right`` the revision.

    ``in_place`` is the word overlap two paragraphs at the same place need to be shown as one
    edited paragraph; 0 pairs every paragraph with its counterpart, which suits a copy that
    keeps the original's paragraphs (an anonymised copy).
    """
    started = time.perf_counter()
    options = options or CompareOptions()
    aligner = _Aligner(left, right, options, in_place)
    rows = aligner.rows()
    aligner.find_moves(rows)
    aligner.diff_words(rows)
    changes = _changes(rows, left, right)
    return Comparison(left, right, options, rows, changes, time.perf_counter() - started)
