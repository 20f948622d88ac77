"""Where the window proposes to export and save, and what an export says when it is done.

Issue 14: the export's folder dialog opened on the source folder (which the export then
refused), the copies to publish sat beside ``replacement-report.json`` (every real name,
address and NHS number), and the only feedback was a status-bar line. So:

- the export proposes a **new, empty folder** named after the case reference
  (``24 011 873 anonymised``, numbered if taken), beside the case's folder, never inside a
  source folder or the installed program, and only publishable files go into it;
- the report goes **beside** that folder, never in it, under a name that says what it is
  (``24 011 873 anonymised - PRIVATE replacement report.json``);
- Save Case proposes the same place (``24 011 873.deskcase``), not the source folder;
- ``summarise`` turns an ``ExportResult`` into the lines of the summary the window shows.

All of it is plain paths, no Qt: the window passes its Documents folder as the fallback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desk_app.core.pipeline.paths import is_inside

if TYPE_CHECKING:
    from desk_app.core.pipeline.export import ExportResult
from desk_app.resources import resources_root

__all__ = ["REPORT_NAME", "ExportSummary", "choose_export_folder", "private_report_path",
           "proposed_case_path", "proposed_export_folder", "proposal_base", "summarise"]

#: The window's report: ``<publication folder> - PRIVATE replacement report.json``, beside that folder.
REPORT_NAME = "PRIVATE replacement report.json"
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
_PROGRAM = Path(__file__).resolve().parent.parent.parent   # the installed desk_app package


def private_report_path(out_dir: Path) -> Path:
    """The report of an export into ``out_dir``: beside it, named after it, marked PRIVATE."""
    out_dir = Path(out_dir)
    name = out_dir.name or "export"
    return out_dir.parent / f"{name} - {REPORT_NAME}"


def _safe_name(text: str) -> str:
    """A folder or file name any laptop's disk accepts (Windows is the strictest)."""
    return " ".join(_UNSAFE.sub("-", text).split()).strip(" .")


def _usable(folder: Path, sources: Sequence[Path]) -> bool:
    # never inside the program, nor its resources (where the sample case lives)
    return (folder.is_dir() and os.access(folder, os.W_OK) and not is_inside(folder, _PROGRAM)
            and not is_inside(folder, resources_root()) and not any(is_inside(folder, s.parent) for s in sources))


def proposal_base(sources: Sequence[Path], fallback: Path) -> Path:
    """The folder new exports and case files are proposed in: the folder that holds the
    case's folder (so the export sits beside the case, not in it), unless that is a source
    folder, inside the program (the sample case), missing or read-only: then ``fallback``
    (the user's Documents)."""
    sources = [Path(s).resolve() for s in sources]
    if sources:
        try:
            common = Path(os.path.commonpath([s.parent for s in sources]))
        except ValueError:   # different drives
            common = sources[0].parent
        base = common.parent
        if base != common and _usable(base, sources):
            return base
    return Path(fallback)


def _numbered(base: Path, stem: str, suffix: str = "") -> Path:
    candidate, n = base / f"{stem}{suffix}", 1
    while candidate.exists() or (not suffix and private_report_path(candidate).exists()):
        n += 1
        candidate = base / f"{stem} ({n}){suffix}"
    return candidate


def proposed_export_folder(reference: str | None, sources: Sequence[Path], fallback: Path) -> Path:
    """A folder that does not exist yet (nor does its report), named after the reference:
    ``<base>/24 011 873 anonymised``, or ``… anonymised (2)`` if that is taken."""
    stem = _safe_name(reference or "") or "case"
    return _numbered(proposal_base(sources, fallback), f"{stem} anonymised")


def proposed_case_path(reference: str | None, sources: Sequence[Path], fallback: Path) -> Path:
    """Where Save Case proposes to save: ``<base>/24 011 873.deskcase``, never in a source folder."""
    stem = _safe_name(reference or "") or "case"
    return _numbered(proposal_base(sources, fallback), stem, ".deskcase")


def choose_export_folder(chosen: Path, reference: str | None, sources: Sequence[Path]) -> tuple[Path | None, str]:
    """The folder to export into when the user picked ``chosen``, and a line saying why.

    An empty folder is used as it is. A folder with files in it gets a new folder inside it
    named after the reference, so the export never mixes with what is there. A source
    folder (or a folder inside one) is refused, with the reason: the copies would sit among
    the originals and be read back as case notes next time the folder is opened.
    """
    chosen = Path(chosen)
    for s in sources:
        if is_inside(chosen, Path(s).parent):
            return None, (f"{chosen} holds the case's own files ({Path(s).name}); the anonymised copies must not "
                          "go among the originals. Choose another place.")
    if chosen.is_dir() and not any(chosen.iterdir()):
        return chosen, f"the empty folder {chosen} is used as it is"
    if chosen.exists() and not chosen.is_dir():
        return None, f"{chosen} is a file, not a folder. Choose a folder."
    if not chosen.exists():
        return chosen, f"the new folder {chosen} will be created"
    stem = _safe_name(reference or "") or "case"
    inside = _numbered(chosen, f"{stem} anonymised")
    return inside, f"{chosen} is not empty, so a new folder is made inside it: {inside.name}"


@dataclass
class ExportSummary:
    """What the summary dialog says after an export that was not refused."""

    folder: Path
    files: list[Path] = field(default_factory=list)   # publishable files written (copies, decision)
    replacements: int = 0
    kept: list[str] = field(default_factory=list)     # lines: what was kept as written, on purpose or not
    report: Path | None = None
    failed: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        n = len(self.files)
        out = [f"{n} file{'s' if n != 1 else ''} written into {self.folder}:"]
        out += [f"    {p.name}" for p in self.files]
        out.append(f"{self.replacements} replacement{'s' if self.replacements != 1 else ''} made.")
        if self.kept:
            out.append("Kept as written:")
            out += [f"    {line}" for line in self.kept]
        else:
            out.append("Nothing the tool found was kept as written.")
        out += self.failed
        if self.report is not None:
            out.append(f"The replacement report lists every real name, so it is not in that folder. Keep it "
                       f"private: {self.report}")
        return out


def summarise(result: ExportResult, rejected: int, kept_lines: Sequence[str], possible: int = 0) -> ExportSummary:
    """The summary of ``result`` (an ``ExportResult``): the files written into the
    publication folder, the number of replacements, and everything kept as written."""
    report = result.report_path
    files = [p for p in result.written if p != report]
    kept = list(kept_lines)
    if rejected:
        kept.append(f"{rejected} detection{'s' if rejected != 1 else ''} you rejected "
                    f"{'keep' if rejected != 1 else 'keeps'} the original text")
    if possible:
        kept.append(f"{possible} possible name{'s' if possible != 1 else ''} left in place (listed in the report)")
    failed = [f"{o.source.name}: {o.error}" for o in result.outcomes if o.error]
    return ExportSummary(result.out_dir, files, len(result.report), kept, report if report in result.written
                         else None, failed)
