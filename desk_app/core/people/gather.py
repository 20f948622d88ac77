"""The one way into ``people`` from the anonymiser: a case's texts and detections in, its
people out, with the labels the mapping fixes.

Before, ``anonymise_case`` entered this package four times (index, seed, cluster,
propagate) and had to know their order; here the order is written once:

1. the mapping's people go in first, locked, so a reviewer's merge or rename holds;
2. every person detection becomes a mention, except words the mapping says are not names;
3. mentions are clustered into people (``PeopleIndex.cluster``);
4. every form of every person is searched for in every document, outside the spans already
   taken by mentions and by identifiers (``PeopleIndex.propagate``).
"""

from __future__ import annotations

from collections.abc import Sequence

from desk_app.core.detect import Detection
from desk_app.core.names import TITLE_PREFIX, fold
from desk_app.core.people.cluster import PeopleIndex
from desk_app.core.people.mapped import seed
from desk_app.core.people.mapping import CaseMapping
from desk_app.core.people.pseudonyms import Label

__all__ = ["gather_people"]


def gather_people(texts: Sequence[str], detections: Sequence[Sequence[Detection]], mapping: CaseMapping,
                  identifier_spans: Sequence[Sequence[tuple[int, int]]]) -> tuple[PeopleIndex, dict[int, Label]]:
    """The case's people (``index.people``, clustered and propagated) and the labels the
    mapping fixes, by person id. ``identifier_spans`` (per document) are never a name."""
    ignored = {fold(w) for w in mapping.ignore}
    index = PeopleIndex(texts)
    fixed = seed(index, mapping)
    for i, dets in enumerate(detections):
        index.add_detections(i, [d for d in dets if fold(TITLE_PREFIX.sub("", d.text)) not in ignored])
    index.cluster()
    taken = [[(m.start, m.end) for m in index.mentions if m.doc == i] for i in range(len(texts))]
    for i, spans in enumerate(identifier_spans):
        taken[i].extend(spans)
    index.propagate(taken)
    return index, fixed
