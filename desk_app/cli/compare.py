"""``desk-app compare``: two drafts word by word, or an anonymised copy against its original."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desk_app.cli.console import err, has_display


def add_parser(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("compare", help="compare two drafts word by word (txt, md, docx, pdf, .decision.json)",
                       description="Compare draft A (the original, left) with draft B (the revision, right): "
                       "paragraphs are aligned, moves found and words compared; list numbering is not compared. "
                       "Prints a one-line summary; -o writes a side-by-side HTML report, a Word redline with "
                       "tracked changes, or JSON.")
    c.add_argument("a", metavar="A", help="the original (left)")
    c.add_argument("b", metavar="B", help="the revision (right)")
    c.add_argument("-o", "--output", metavar="OUT", help="OUT.html (side by side), OUT.docx (tracked changes) "
                   "or OUT.json")
    c.add_argument("--ignore-case", action="store_true", help="upper and lower case compare equal")
    c.add_argument("--ignore-whitespace", action="store_true", help="spacing differences do not count")
    c.add_argument("--ignore-quotes", action="store_true", help="curly and straight quotes compare equal")
    c.add_argument("--author", default="Decision Desk", help="author of the tracked changes in a .docx redline")
    c.add_argument("--anonymised", action="store_true", help="B is the anonymised copy of A: list every "
                   "replacement and flag every other change and any original name left (exit 1 if any)")
    c.add_argument("--mapping", metavar="FILE", help="with --anonymised: the case mapping JSON or .deskcase, so "
                   "each replacement is checked against the person's pseudonym")
    c.add_argument("--view", action="store_true", help="open the side-by-side compare window instead")
    c.set_defaults(func=cmd_compare)



_COMPARE_OUTPUTS = (".html", ".htm", ".docx", ".json")


def cmd_compare(args: argparse.Namespace) -> int:
    """Compare two drafts; with --anonymised, check an anonymised copy against its original."""
    from desk_app.core.compare import CompareOptions, compare, load_draft
    from desk_app.core.errors import InputError

    out = Path(args.output) if args.output else None
    if out is not None:
        if out.suffix.lower() not in _COMPARE_OUTPUTS:
            raise InputError("the output must end in .html, .docx or .json", out)
        from desk_app.core.pipeline.paths import PlannedWrite, check_writes

        check_writes([PlannedWrite(out, "the comparison")], [Path(args.a), Path(args.b)])
    options = CompareOptions(ignore_case=args.ignore_case, ignore_whitespace=args.ignore_whitespace,
                             ignore_quotes=args.ignore_quotes)
    if args.view:
        for name in (args.a, args.b):
            if not Path(name).is_file():
                raise InputError("the file does not exist", Path(name))
        return cmd_open_compare(args.a, args.b, options, args.theme)
    left, right = load_draft(args.a), load_draft(args.b)
    check = None
    if args.anonymised:
        from desk_app.core.output.copy_check import check_anonymised

        check = check_anonymised(left, right, _load_mapping(args.mapping) if args.mapping else None)
        comparison = check.comparison
    else:
        comparison = compare(left, right, options)
    if out is not None:
        _write_comparison(comparison, check, out, args.author)
    c = comparison.counts
    print(f"{left.name} -> {right.name}: {c.changed} paragraph{'s' * (c.changed != 1)} changed, {c.inserted} inserted, "
          f"{c.deleted} deleted, {c.moved} moved; {c.words_inserted} word{'s' * (c.words_inserted != 1)} inserted, "
          f"{c.words_deleted} deleted ({comparison.seconds * 1000:.0f} ms)" + (f"; written to {out}" if out else ""))
    if check is None:
        return 0
    print(f"anonymised copy: {check.summary()}")
    for f in check.unexpected + check.residuals:
        where = f"paragraph {(f.left_block if f.left_block is not None else f.right_block) + 1}"
        shown = f"'{f.original.strip()}' -> '{f.anonymised.strip()}'" if f.kind != "residual" \
            else f"'{f.anonymised}'"
        print(f"  {f.kind}: {where}: {shown}: {f.note}")
    return 0 if check.ok else 1


def _load_mapping(path: str):  # noqa: ANN202 - CaseMapping, imported lazily
    """A mapping JSON, or the mapping inside a saved .deskcase."""
    from desk_app.core.people.mapping import CaseMapping
    from desk_app.core.storage.casefile import CASE_SUFFIX, CaseFile

    if path.lower().endswith(CASE_SUFFIX):
        return CaseFile.load(path).review.mapping
    return CaseMapping.load(path)


def _write_comparison(comparison, check, out: Path, author: str) -> None:  # noqa: ANN001
    suffix = out.suffix.lower()
    if suffix == ".docx":
        from desk_app.core.compare.redline import export_redline

        export_redline(comparison, out, author=author)
    elif suffix == ".json":
        from desk_app.core.atomic import write_file
        from desk_app.core.compare.json_report import comparison_to_dict

        data = comparison_to_dict(comparison)
        if check is not None:
            data["anonymisation_check"] = check.to_dict()
        write_file(out, json.dumps(data, indent=1, ensure_ascii=False))
    else:
        from desk_app.core.compare.html_report import export_html

        export_html(comparison, out)


def cmd_open_compare(a: str, b: str, options, theme: str | None) -> int:  # noqa: ANN001
    """The side-by-side compare window on two files."""
    if not has_display():
        return 2
    from desk_app.gui.syslibs import window_problem

    if problem := window_problem():   # before Qt, which would abort with a misleading message
        err(problem)
        return 1
    try:
        from desk_app.gui.compare_view import run_compare
    except ImportError as exc:
        err(f"the compare window needs PySide6 ({exc}); reinstall Decision Desk (pip install .)")
        return 1
    return run_compare(a, b, options, theme=theme)
