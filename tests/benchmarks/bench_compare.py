"""Draft comparison speed on two ~50-page decisions, against a whole-document difflib word diff.

    .venv/bin/python tests/benchmarks/bench_compare.py [--repeat N] [--pages P] [--json]

The drafts come from ``compare_drafts.make_pair`` (seeded, so every run compares the same texts):
  * typical: ~8% of paragraphs edited, 2% deleted, 2% inserted, 3 moves (one also edited),
    numbering restarted per section in v1 and continuous in v2;
  * heavy: ~40% of paragraphs changed (edits of every size, inserts, deletes), 20 moves, 6 edited.
For each, prints:
  * ``compare(left, right)`` on drafts already read by ``draft_from_text``: best and median of
    --repeat runs (the issue's targets: <= 150 ms typical, <= 500 ms heavy), with the reading
    of both drafts timed apart;
  * the naive approach, in the same run: ``difflib.SequenceMatcher`` over the two whole texts as
    word lists (autojunk on, the default), ``get_opcodes()`` timed once, since it takes seconds;
    and its ratio to compare's best time;
  * what compare found: moves found out of the moves made, paragraphs changed, inserted, deleted,
    words inserted and deleted, against what the generator did.
PASS/FAIL against the targets is printed, but the exit status is always 0: this measures, the
accuracy tests (tests/test_compare_generated.py) judge. ``run()`` returns the same figures.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_MS = {"typical": 150.0, "heavy": 500.0}


def timed(fn, repeat: int) -> tuple[list[float], object]:
    """Seconds of each of ``repeat`` calls, and the last call's result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def naive_word_diff(v1: str, v2: str) -> tuple[float, int]:
    """Seconds for a whole-document difflib word diff, and how many non-equal opcodes it found."""
    t0 = time.perf_counter()
    ops = difflib.SequenceMatcher(None, v1.split(), v2.split()).get_opcodes()
    return time.perf_counter() - t0, sum(tag != "equal" for tag, *_ in ops)


def bench_case(kind: str, repeat: int, pages: int = 50, seed: int = 1) -> dict:
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    from compare_drafts import make_pair, score

    from desk_app.core.compare import compare, draft_from_text

    v1, v2, truth = make_pair(kind, seed=seed, pages=pages)
    parse_times, (left, right) = timed(lambda: (draft_from_text(v1, "v1.txt"), draft_from_text(v2, "v2.txt")), repeat)
    times, result = timed(lambda: compare(left, right), repeat)
    naive_s, naive_ops = naive_word_diff(v1, v2)
    best, median = min(times), statistics.median(times)
    counts, found = result.counts, score(result, truth)
    return {
        "kind": kind, "seed": seed, "pages": pages,
        "words_v1": len(v1.split()), "words_v2": len(v2.split()),
        "blocks_v1": len(left.blocks), "blocks_v2": len(right.blocks),
        "parse_ms_best": round(min(parse_times) * 1000, 1),
        "parse_ms_median": round(statistics.median(parse_times) * 1000, 1),
        "compare_ms_best": round(best * 1000, 1), "compare_ms_median": round(median * 1000, 1),
        "target_ms": TARGET_MS[kind], "pass": median * 1000 <= TARGET_MS[kind],
        "difflib_s": round(naive_s, 2), "difflib_changes": naive_ops,
        "difflib_ratio_best": round(naive_s / best, 1), "difflib_ratio_median": round(naive_s / median, 1),
        "changed": counts.changed, "inserted": counts.inserted, "deleted": counts.deleted, "moved": counts.moved,
        "words_inserted": counts.words_inserted, "words_deleted": counts.words_deleted,
        "truth_edited": truth["edited"] + len(truth["header_edits"]), "truth_inserted": truth["inserted"],
        "truth_deleted": truth["deleted"], "truth_moved": truth["moved"],
        "moves_found": found["moves_found"], "false_moves": len(found["false_moves"]),
        "edits_found": found["edits_found"], "inserted_found": found["inserted_found"],
        "deleted_found": found["deleted_found"],
    }


def run(repeat: int = 5, pages: int = 50) -> dict:
    """Both cases, for ``tests/benchmarks/run.py`` and ``--json``."""
    return {"benchmark": "compare", "repeat": repeat, "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "cases": {kind: bench_case(kind, repeat, pages) for kind in TARGET_MS}}


def table(res: dict) -> str:
    head = ("| case | words | compare best / median ms | target | parse ms | difflib s | difflib ÷ compare "
            "| moves found | changed / ins / del (truth) | words +/− |")
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for c in res["cases"].values():
        verdict = "PASS" if c["pass"] else "FAIL"
        lines.append(
            f"| {c['kind']} | {c['words_v1']:,} | {c['compare_ms_best']} / {c['compare_ms_median']} "
            f"| ≤ {c['target_ms']:.0f} ms {verdict} | {c['parse_ms_median']} | {c['difflib_s']} "
            f"| {c['difflib_ratio_best']:,}× | {c['moves_found']}/{c['truth_moved']} ({c['false_moves']} false) "
            f"| {c['changed']} / {c['inserted']} / {c['deleted']} ({c['truth_edited']} / {c['truth_inserted']} / "
            f"{c['truth_deleted']}) | +{c['words_inserted']} / −{c['words_deleted']} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5, help="compare runs per case (best and median reported)")
    ap.add_argument("--pages", type=int, default=50, help="length of each generated draft")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = ap.parse_args()
    res = run(max(1, args.repeat), args.pages)
    if args.json:
        print(json.dumps(res))
        return
    print(f"compare benchmark: {args.pages}-page drafts, {res['repeat']} runs each, {res['cpu_count']} CPUs, "
          f"Python {res['python']}; pass = median within target\n")
    print(table(res))


if __name__ == "__main__":
    main()
