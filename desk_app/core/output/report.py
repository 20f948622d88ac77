"""The replacement report: the record publication staff keep of what an anonymisation did.

One builder for both places that write it, the command line's ``--report`` and the
window's private report (both written by ``desk_app.core.pipeline.export``, the window's
outside the folder of publishable copies: it lists every real name), so
the two can never drift apart: which file became which (the copy's name is anonymised too,
and its notes say why it changed), which failed and why (with every place an original name was found), what the
reader noticed about each source and what the scrub removed from each copy, every
replacement, the people, and the warnings. The window adds what only a review has: the
detections the reviewer rejected and how many were never reviewed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from desk_app import __version__

if TYPE_CHECKING:
    from desk_app.core.anonymise import ReportRow
    from desk_app.core.output.leakscan import Leak


class ReportedFile(Protocol):
    """One file's outcome, as ``pipeline.export.FileOutcome`` holds it (source → output)."""

    source: Path
    output: Path | None
    error: str | None
    leaks: list[Leak]
    notes: list[str]


def _file_entry(f: ReportedFile) -> dict[str, Any]:
    entry = {"source": str(f.source), "output": str(f.output) if f.output else None, "error": f.error,
             "leaks": [leak.as_dict() for leak in f.leaks], "notes": list(f.notes)}
    redacted = getattr(f, "redacted", None)   # a scan's pages, boxes burned in (pipeline.export.FileOutcome)
    if redacted is not None:
        entry["redacted"] = str(redacted)
    return entry


def build_report(files: Sequence[ReportedFile], replacements: Iterable[ReportRow], people: Iterable[dict[str, Any]],
                 warnings: Iterable[str], *, rejected: Iterable[dict[str, Any]] | None = None,
                 unreviewed: int | None = None, possible: Iterable[dict[str, Any]] = (),
                 review: dict[str, int] | None = None,
                 kept_but_replaced: Iterable[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The report as a JSON-ready dict.

    ``people`` are mapping entries (``CaseMapping.to_dict()["people"]``). ``possible`` lists
    the possible names not replaced (``anonymise.PossibleName.as_dict``). ``rejected``,
    ``unreviewed``, ``review`` (how each detection was decided: ``accepted_individually``,
    ``accepted_by_person``, ``accepted_in_bulk``, ``rejected``, ``unreviewed``, so Accept All
    never reads as a review) and ``kept_but_replaced`` (values kept in one file and replaced
    in another, ``consistency.KeptIdentifier.as_dict``) come from a review and are left out
    of the report when not given, so a command-line report never claims a review that did
    not happen.
    """
    report: dict[str, Any] = {
        "tool": f"desk-app {__version__}",
        "files": [_file_entry(f) for f in files],
        "replacements": [r.as_dict() for r in replacements],
        "people": list(people),
        "warnings": list(warnings),
        # words of a known name left where they stand on purpose, each with its place and reason,
        # so a person can decide: never silent
        "possible_names_not_replaced": list(possible),
    }
    if rejected is not None:
        report["rejected"] = list(rejected)
    if unreviewed is not None:
        report["unreviewed"] = unreviewed
    if review is not None:
        report["review"] = dict(review)
    if kept_but_replaced is not None:
        report["kept_but_replaced"] = list(kept_but_replaced)
    return report
