"""``desk-app anonymise``: the one export path over files and folders, with its report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desk_app.cli.console import err


def add_parser(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser("anonymise", aliases=["anonymize"], help="rename every person in case files, LGO style",
                       description="Rename every person in the given files the LGO way and remove other "
                       "personal data. Each file is its own case unless --mapping ties them together.")
    a.add_argument("paths", nargs="+", metavar="PATH", help="files (.txt, .md, .docx, .pdf, or scans: .png, .jpg, "
                   ".tif) or folders; scans are read by OCR and also get a redacted copy of the page")
    a.add_argument("--out-dir", "-o", required=True, metavar="DIR", help="where anonymised copies are written")
    a.add_argument("--mapping", metavar="FILE", help="case mapping JSON: read if it exists, then saved "
                   "with every person found; all PATHs become one case")
    a.add_argument("--report", metavar="FILE", help="write a JSON report of every replacement")
    a.add_argument("--complainant", metavar="NAME", help="the complainant (becomes 'Title X'); inferred if omitted")
    a.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                   help="worker processes for a large batch (default: all CPU cores)")
    a.set_defaults(func=cmd_anonymise)



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
        err(f"{p}: no such file or folder")
    paths = iter_case_files([p for p in args.paths if p not in missing])
    if not paths:
        err("no .txt, .md, .docx, .pdf or scanned image (.png, .jpg, .tif) files to anonymise")
        return 1
    out_dir = Path(args.out_dir)

    def detector():  # noqa: ANN202 - a Detector, loaded only once every path has passed its check
        from desk_app.core.detect import Detector

        return Detector()

    result = export_case(paths, out_dir, detector, mapping_path=Path(args.mapping) if args.mapping else None,
                         report_path=Path(args.report) if args.report else None, complainant=args.complainant,
                         jobs=args.jobs)
    for o in result.failed:
        err(f"{o.source}: {o.error}")
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
