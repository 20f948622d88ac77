"""The ``desk-app`` command line over the core.

    desk-app [--sample]                  the desktop window
    desk-app open PATH...                the window, with these files (a .decision.json in the Decision tab)
    desk-app anonymise PATH... --out-dir DIR [--mapping FILE] [--report FILE]
                               [--complainant "NAME"] [--jobs N]
    desk-app compare A B [-o OUT.html|OUT.docx|OUT.json] [--ignore-case] [--anonymised]
    desk-app --selftest                  load the model, anonymise the sample, show the window
                                         offscreen, write and leak-scan a docx (exit 0 if all pass)

With DESK_APP_NO_NETWORK=1 every command runs with non-Unix sockets blocked (desk_app.netguard).

Errors about a file are one line on stderr naming the file; the other files still run and
the exit status is 1 if any failed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from desk_app import __version__
from desk_app.core.errors import DeskError
from desk_app.netguard import install_from_env

#: When this module was imported: the selftest's launch clock where /proc is not available.
IMPORTED_AT = time.perf_counter()


def _err(message: str) -> None:
    print(f"desk-app: {message}", file=sys.stderr)


def cmd_anonymise(args: argparse.Namespace) -> int:
    """``desk-app anonymise``: the one export path (``core.pipeline.export_case``) and its report.

    Every path is checked before the model is loaded: a ``--report``, ``--mapping`` or
    ``--out-dir`` that would land on an input, on another output or on a special file is
    refused with one line naming both, exit 1, and nothing is written.
    """
    from desk_app.core.ingest import iter_case_files
    from desk_app.core.pipeline import export_case

    missing = [p for p in args.paths if not Path(p).exists()]
    for p in missing:
        _err(f"{p}: no such file or folder")
    paths = iter_case_files([p for p in args.paths if p not in missing])
    if not paths:
        _err("no .txt, .md, .docx or .pdf files to anonymise")
        return 1
    out_dir = Path(args.out_dir)

    def detector():  # noqa: ANN202 - a Detector, loaded only once every path has passed its check
        from desk_app.core.detect import Detector

        return Detector()

    result = export_case(paths, out_dir, detector, mapping_path=Path(args.mapping) if args.mapping else None,
                         report_path=Path(args.report) if args.report else None, complainant=args.complainant,
                         jobs=args.jobs)
    for o in result.failed:
        _err(f"{o.source}: {o.error}")
        for leak in o.leaks:   # every place, indented under the file's line
            print(f"    {leak}", file=sys.stderr)
    for w in result.warnings:
        print(f"desk-app: warning: {w}", file=sys.stderr)
    done = len(result.outcomes) - len(result.failed)
    leaked = sum(1 for o in result.failed if o.leaks)
    print(f"anonymised {done} of {len(result.outcomes)} file(s) into {out_dir}"
          f" ({len(result.report)} replacements)"
          + (f"; {leaked} not written because original names remained in the copy" if leaked else ""),
          file=sys.stderr)
    if result.possible:   # left on purpose, never silently: each one with its place
        where = "listed in the report" if args.report else "add --report to list them with their places"
        print(f"desk-app: {len(result.possible)} possible name(s) left in place ({where}): "
              + ", ".join(sorted({p['text'] for p in result.possible})[:8])
              + (" …" if len({p['text'] for p in result.possible}) > 8 else ""), file=sys.stderr)
    return 1 if (result.failed or missing) else 0


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
        from desk_app.core.compare.anonymised import check_anonymised

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
    from desk_app.core.casefile import CASE_SUFFIX, CaseFile
    from desk_app.core.people.mapping import CaseMapping

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
    if not _has_display():
        return 2
    from desk_app.gui.syslibs import window_problem

    if problem := window_problem():   # before Qt, which would abort with a misleading message
        _err(problem)
        return 1
    try:
        from desk_app.gui.compare_view import run_compare
    except ImportError as exc:
        _err(f"the compare window needs PySide6 ({exc}); reinstall Decision Desk (pip install .)")
        return 1
    return run_compare(a, b, options, theme=theme)


def _has_display() -> bool:
    import os

    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                                                 or os.environ.get("QT_QPA_PLATFORM")):
        _err("no display to open the window on; use a command (desk-app --help), or set QT_QPA_PLATFORM=offscreen")
        return False
    return True


def cmd_open(args: argparse.Namespace) -> int:
    """The desktop window (the default when no command is given)."""
    if not _has_display():
        return 2
    try:
        from desk_app.gui.app import run
    except ImportError as exc:
        _err(f"the desktop window needs PySide6 ({exc}); reinstall Decision Desk (pip install .)")
        return 1
    return run(getattr(args, "paths", []), sample=args.sample, theme=args.theme)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="desk-app", description="Decision Desk: offline anonymisation and "
                                     "drafting of LGO decision statements.")
    parser.add_argument("--version", action="version", version=f"desk-app {__version__}")
    parser.add_argument("--sample", action="store_true", help="open the window with the sample case")
    parser.add_argument("--theme", choices=("system", "light", "dark"), help="colour theme of the window")
    parser.add_argument("--selftest", action="store_true", help="check this installation offline: load the model, "
                        "anonymise the sample case, show the window offscreen, write and leak-scan a .docx; "
                        "one line per step, exit 0 only if all pass")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    o = sub.add_parser("open", help="open case notes, a saved .deskcase or a .decision.json in the window",
                       description="Open the desktop window with these files (txt, md, docx, pdf or .deskcase); "
                       "a .decision.json (from new-decision) opens in the Decision tab.")
    o.add_argument("paths", nargs="*", metavar="PATH")
    o.set_defaults(func=cmd_open)

    a = sub.add_parser("anonymise", aliases=["anonymize"], help="rename every person in case files, LGO style",
                       description="Rename every person in the given files the LGO way and remove other "
                       "personal data. Each file is its own case unless --mapping ties them together.")
    a.add_argument("paths", nargs="+", metavar="PATH", help="files (.txt, .md, .docx, .pdf) or folders")
    a.add_argument("--out-dir", "-o", required=True, metavar="DIR", help="where anonymised copies are written")
    a.add_argument("--mapping", metavar="FILE", help="case mapping JSON: read if it exists, then saved "
                   "with every person found; all PATHs become one case")
    a.add_argument("--report", metavar="FILE", help="write a JSON report of every replacement")
    a.add_argument("--complainant", metavar="NAME", help="the complainant (becomes 'Title X'); inferred if omitted")
    a.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                   help="worker processes for a large batch (default: all CPU cores)")
    a.set_defaults(func=cmd_anonymise)

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

    try:
        from desk_app.core.decision.commands import add_parsers
    except ImportError:  # pragma: no cover - drafting not installed
        pass
    else:
        add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    install_from_env()   # first: nothing that could open a socket is imported yet
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.selftest:
        from desk_app.selftest import run_selftest

        return run_selftest(launched_at=IMPORTED_AT)
    if not getattr(args, "func", None):
        return cmd_open(args)
    try:
        return int(args.func(args) or 0)
    except DeskError as exc:
        _err(str(exc))
        return 1
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
