"""The ``new-decision`` and ``draft`` subcommands.

Kept here, not in ``desk_app/cli/main.py``, so the drafting feature can be wired into the
main parser with one call (:func:`add_parsers`) and tested on its own. Handlers return
an exit code: 0 on success, 1 when a DeskError stops them, printed as one line
"desk-app: <message>" on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desk_app.core.decision.completeness import find_gaps, summarise_gaps
from desk_app.core.decision.docx_export import export_docx
from desk_app.core.decision.library import LibraryError, load_library, new_decision, today
from desk_app.core.decision.model import (
    DECISION_SUFFIX,
    DecisionError,
    Header,
    Outcome,
    Stage,
    load_decision,
    save_decision,
    split_category,
)
from desk_app.core.decision.templates import template_for
from desk_app.core.decision.text_export import export_text
from desk_app.core.errors import DeskError, OutputError

PROG = "desk-app"
EXPORTERS = {".docx": export_docx, ".txt": export_text}


def add_parsers(subparsers: Any) -> None:
    """Register ``new-decision`` and ``draft`` on an argparse subparsers object."""
    new = subparsers.add_parser(
        "new-decision",
        help="start a decision statement from the paragraph library",
        description="Write a skeleton .decision.json: the standard sections for the outcome, the "
                    "library paragraphs that fit the category, outcome and stage (closing sections "
                    "included, with [[placeholders]] for the amount, deadline and names), and the sign-off.",
    )
    new.add_argument("--org", required=True, help="body complained about, e.g. \"London Borough of Bromley\"")
    new.add_argument("--ref", required=True, help="complaint reference, e.g. \"23 005 338\"")
    new.add_argument("--category", required=True,
                     help="\"Top level > Sub-category\", e.g. \"Children's care services > Child protection\"")
    new.add_argument("--outcome", required=True, help="upheld, not-upheld or closed")
    new.add_argument("--stage", default="draft", help="draft (default) or final")
    new.add_argument("--date", help="decision date as DD Mon YYYY (default: today)")
    new.add_argument("--add", action="append", default=[], metavar="ENTRY_ID",
                     help="also add this library entry (repeatable); ids are in resources/paragraph_library.yaml")
    new.add_argument("--section", action="append", default=[], metavar="KEY",
                     help="include an optional section, e.g. investigated, not_investigated (repeatable)")
    new.add_argument("--heading", action="append", default=[], metavar="KEY=HEADING",
                     help="choose a section heading, e.g. analysis=Conclusions (repeatable)")
    new.add_argument("-o", "--output", required=True, metavar="FILE" + DECISION_SUFFIX)
    new.add_argument("--force", action="store_true", help="replace FILE if it exists")
    new.set_defaults(func=run_new_decision)

    draft = subparsers.add_parser(
        "draft",
        help="render a .decision.json as Word (.docx) or plain text (.txt)",
        description="Render a decision with real Word numbering from the house template, or as text in "
                    "the published web layout. The output type follows the -o file's extension.",
    )
    draft.add_argument("decision", metavar="FILE" + DECISION_SUFFIX)
    draft.add_argument("-o", "--output", required=True, metavar="OUT.docx|OUT.txt")
    draft.add_argument("--template", metavar="TEMPLATE.docx", help="house template (default: the shipped one)")
    draft.add_argument("--final", action="store_true",
                       help="the copy that goes out: refuse to write it while a [[placeholder]], an empty "
                            "section or an empty Summary remains (without --final these are only warnings)")
    draft.set_defaults(func=run_draft)


def _report(error: DeskError) -> int:
    print(f"{PROG}: {error}", file=sys.stderr)
    return 1


def _parse_headings(values: Sequence[str]) -> dict[str, str]:
    headings = {}
    for value in values:
        key, sep, heading = value.partition("=")
        if not sep or not key.strip() or not heading.strip():
            raise DecisionError(f"--heading {value!r} must look like KEY=HEADING, e.g. analysis=Conclusions")
        headings[key.strip()] = heading.strip()
    return headings


def _check_entry_ids(ids: Sequence[str]) -> None:
    library = load_library()
    for entry_id in ids:
        if entry_id not in library:
            close = difflib.get_close_matches(entry_id, [e.id for e in library.entries], n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise LibraryError(f"--add {entry_id!r} is not a library entry{hint}", library.path)


def run_new_decision(args: argparse.Namespace) -> int:
    """Handler for ``new-decision``."""
    try:
        output = Path(args.output)
        if output.exists() and not args.force:
            raise OutputError("already exists; use --force to replace it", output)
        from desk_app.core.pipeline.paths import PlannedWrite, check_writes  # the one path guard

        check_writes([PlannedWrite(output, "the decision")], [])   # never onto a pipe, device or folder
        top, sub = split_category(args.category, "--category")
        header = Header(
            organisation=args.org.strip(),
            reference=args.ref.strip(),
            category=top,
            sub_category=sub,
            outcome=Outcome.parse(args.outcome, "--outcome"),
            decision_date=(args.date or today()).strip(),
            stage=Stage.parse(args.stage, "--stage"),
        )
        try:
            header.validate()
        except DecisionError as error:
            # name the option the user typed, not the JSON field
            option = {"header.organisation": "--org", "header.reference": "--ref",
                      "header.decision_date": "--date", "header.category": "--category",
                      "header.sub_category": "--category"}
            field_name, _, problem = error.message.partition(":")
            raise DecisionError(f"{option.get(field_name, field_name)}:{problem}") from None
        _check_entry_ids(args.add)
        decision = new_decision(header, add=args.add, include=tuple(args.section),
                                headings=_parse_headings(args.heading))
        save_decision(decision, output)
        count = sum(1 for _ in decision.paragraphs())
        to_fill = sum(1 for g in find_gaps(decision) if g.kind == "placeholder")
        print(f"{output}: {template_for(header.outcome).name} statement, {len(decision.sections)} sections, "
              f"{count} library paragraphs, {to_fill} [[placeholders]] to fill")
        return 0
    except DeskError as error:
        return _report(error)


def run_draft(args: argparse.Namespace) -> int:
    """Handler for ``draft``."""
    try:
        source, output = Path(args.decision), Path(args.output)
        exporter = EXPORTERS.get(output.suffix.lower())
        if exporter is None:
            raise OutputError("output must end in .docx (Word) or .txt (plain text)", output)
        from desk_app.core.pipeline.paths import PlannedWrite, check_writes  # the one path guard

        check_writes([PlannedWrite(output, "the draft")], [source])
        decision = load_decision(source)
        gaps = find_gaps(decision)
        if gaps and args.final:
            raise DecisionError(f"not ready to go out: {summarise_gaps(gaps)}", source)
        if exporter is export_docx:
            export_docx(decision, output, template=args.template)
        else:
            export_text(decision, output)
        print(f"{output}: {decision.header.stage.label.lower()} for {decision.header.heading_line}")
        if gaps:
            print(f"{PROG}: warning: {source}: still to write: {summarise_gaps(gaps)}", file=sys.stderr)
        return 0
    except DeskError as error:
        return _report(error)


def build_parser() -> argparse.ArgumentParser:
    """A stand-alone parser with just these subcommands (until cli.py wires them in)."""
    parser = argparse.ArgumentParser(prog=PROG, description="Decision Desk: decision drafting commands")
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_parsers(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for ``python -m desk_app.cli.decision``."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
