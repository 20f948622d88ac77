"""The ``.deskcase`` file: one case's sources, review state and decision draft in one JSON file.

Sources are recorded by absolute path, SHA-256 and size, and are never copied in: the originals
hold personal data and belong to the case management system, so the case file must not become a
second copy of them, and Decision Desk never modifies them. The hash lets a reopened case notice
that a source was edited since (``changed``: re-analyse it), or that the case was carried to
another laptop with its sources beside it (``moved``).

    {
      "format": "decision-desk-case",
      "version": 1,
      "app_version": "0.1.0",
      "saved_at": "2024-03-08T14:02:11+00:00",
      "sources": [{"path": "/cases/23 005 338/notes.docx", "sha256": "<64 hex>", "size": 18422}],
      "review": {},
      "decision": null
    }

``review`` belongs to the review module and is only required to be a JSON object here;
``decision`` is a decision draft in its ``.decision.json`` form, checked field by field on load.
Like the decision file, every problem is one InputError naming the case file and the field.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PureWindowsPath
from typing import Any, Literal

from desk_app import __version__
from desk_app.core.atomic import write_file
from desk_app.core.decision.model import Decision, DecisionError, decision_from_dict, decision_to_dict
from desk_app.core.errors import InputError, OutputError

FORMAT_NAME = "decision-desk-case"
FORMAT_VERSION = 1
#: The file-name ending the GUI offers for case files.
CASE_SUFFIX = ".deskcase"

_KEYS = {"format", "version", "app_version", "saved_at", "sources", "review", "decision"}
_SHA256_RE = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1 << 20

#: ``ok``: as recorded; ``changed``: different bytes (re-analyse); ``missing``: not found or
#: unreadable; ``moved``: gone from its path but the same file sits next to the case file.
SourceState = Literal["ok", "changed", "missing", "moved"]


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", type(None): "null", str: "text",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


@contextlib.contextmanager
def _reading(target: Path, what: str) -> Iterator[None]:
    """Turn the ways reading ``target`` can fail into one InputError naming it."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"the {what} does not exist", target) from None
    except IsADirectoryError:
        raise InputError(f"is a folder, not a {what}", target) from None
    except PermissionError:
        raise InputError(f"the {what} cannot be read (permission denied)", target) from None
    except OSError as exc:
        raise InputError(f"the {what} cannot be read ({exc.strerror or exc})", target) from None


@dataclass
class SourceRef:
    """A source file by where it was and what it contained, so later edits can be noticed."""

    path: Path
    sha256: str
    size: int

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> SourceRef:
        """Fingerprint a file as it is now; read in chunks so a large PDF does not fill memory."""
        # abspath, not resolve(): keep the path the user chose (mapped drives, symlinked folders)
        target = Path(os.path.abspath(path))
        digest, size = hashlib.sha256(), 0
        with _reading(target, "source file"), target.open("rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
        return cls(target, digest.hexdigest(), size)

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "sha256": self.sha256, "size": self.size}


@dataclass(frozen=True)
class SourceStatus:
    """What became of one recorded source; ``current`` lets the GUI update the case after re-analysis."""

    path: Path                   # where the file is now: the recorded path, or the new one when moved
    state: SourceState
    source: SourceRef            # as recorded in the case
    current: SourceRef | None    # a fresh fingerprint; None when missing


@dataclass
class CaseFile:
    """One case as saved: ``path`` is the ``.deskcase`` file it was loaded from or last saved to."""

    sources: list[SourceRef] = field(default_factory=list)
    review: dict[str, Any] = field(default_factory=dict)
    decision: Decision | None = None
    path: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data in a stable key order, stamped with the time and the app version that wrote it."""
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "app_version": __version__,
            "saved_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "sources": [s.to_dict() for s in self.sources],
            "review": self.review,
            "decision": decision_to_dict(self.decision) if self.decision is not None else None,
        }

    @classmethod
    def from_dict(cls, data: Any, path: str | os.PathLike[str] | None = None) -> CaseFile:
        """Check untrusted (possibly hand-edited) data; the first problem is one InputError naming the field.

        ``path`` names the case file in errors, resolves relative source paths and becomes ``.path``.
        """
        where = Path(path) if path is not None else None

        def fail(message: str) -> InputError:
            return InputError(message, where)

        if not isinstance(data, dict):
            raise fail("is not a Decision Desk case file (it is not a JSON object)")
        if data.get("format") != FORMAT_NAME:
            raise fail(f"format must be {FORMAT_NAME!r}; this is not a Decision Desk case file")
        version = data.get("version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise fail(f"version must be a whole number from 1, not {version!r}")
        if version > FORMAT_VERSION:
            raise fail(f"version {version}: the case was saved by a newer Decision Desk; this one reads "
                       f"version {FORMAT_VERSION}, so update Decision Desk to open it")
        unknown = sorted(set(data) - _KEYS)
        if unknown:   # same version, so a misspelt key would silently drop data on the next save
            raise fail(f"{unknown[0]} is not a case file field (misspelt?)")
        for key in ("app_version", "saved_at"):
            if key in data and not isinstance(data[key], str):
                raise fail(f"{key} must be text, not {_json_type(data[key])}")
        if "saved_at" in data:
            try:
                datetime.fromisoformat(data["saved_at"])
            except ValueError:
                raise fail(f"saved_at {data['saved_at']!r} is not a date and time like "
                           "2024-03-08T14:02:11+00:00") from None

        if "sources" not in data:
            raise fail("missing field sources")
        if not isinstance(data["sources"], list):
            raise fail(f"sources must be a list, not {_json_type(data['sources'])}")
        sources: list[SourceRef] = []
        seen: dict[Path, int] = {}
        for i, raw in enumerate(data["sources"]):
            at = f"sources[{i}]"
            if not isinstance(raw, dict):
                raise fail(f"{at} must be an object with path, sha256 and size, not {_json_type(raw)}")
            for key in ("path", "sha256", "size"):
                if key not in raw:
                    raise fail(f"missing field {at}.{key}")
            extra = sorted(set(raw) - {"path", "sha256", "size"})
            if extra:
                raise fail(f"{at}.{extra[0]} is not a source field (misspelt?)")
            text, sha, size = raw["path"], raw["sha256"], raw["size"]
            if not isinstance(text, str) or not text.strip() or "\0" in text:
                raise fail(f"{at}.path must be a file path")
            if not isinstance(sha, str) or not _SHA256_RE.fullmatch(sha.lower()):
                raise fail(f"{at}.sha256 must be 64 hex characters")
            if isinstance(size, bool) or not isinstance(size, int) or size < 0:
                raise fail(f"{at}.size must be a whole number of bytes, not {size!r}")
            source = Path(text)
            if not source.is_absolute() and where is not None:   # hand-written: relative to the case
                source = Path(os.path.abspath(where.parent / source))
            if source in seen:
                raise fail(f"{at}.path is the same file as sources[{seen[source]}]")
            seen[source] = i
            sources.append(SourceRef(source, sha.lower(), size))

        review = data.get("review", {})
        if not isinstance(review, dict):
            raise fail(f"review must be a JSON object, not {_json_type(review)}")

        decision = None
        if data.get("decision") is not None:
            if not isinstance(data["decision"], dict):
                raise fail(f"decision must be a JSON object or null, not {_json_type(data['decision'])}")
            try:
                decision = decision_from_dict(data["decision"])
            except DecisionError as exc:
                # "header.reference: ..." -> "decision.header.reference: ..." so the field is findable
                if exc.message.startswith("missing field "):
                    message = "missing field decision." + exc.message.removeprefix("missing field ")
                else:
                    message = "decision." + exc.message
                raise fail(message) from None
        return cls(sources, review, decision, where)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write atomically, and only what loads back: a broken case never replaces a good file."""
        target = Path(os.path.abspath(path))
        try:
            text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        except (TypeError, ValueError) as exc:
            raise OutputError(f"the case cannot be saved: its data is not plain JSON ({exc})", target) from exc
        try:
            self.from_dict(json.loads(text), target)
        except InputError as exc:
            raise OutputError(f"the case cannot be saved: {exc.message}", target) from None
        write_file(target, text)
        self.path = target

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> CaseFile:
        """Read a ``.deskcase`` file; every failure is one InputError naming it, never a traceback."""
        target = Path(os.path.abspath(path))
        with _reading(target, "case file"):
            raw = target.read_bytes()
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise InputError("is not a Decision Desk case file (not UTF-8 text)", target) from None
        except json.JSONDecodeError as exc:
            raise InputError(f"is not a Decision Desk case file (not valid JSON: {exc.msg} at line {exc.lineno}, "
                             f"column {exc.colno})", target) from None
        except (ValueError, RecursionError) as exc:   # absurdly long numbers, absurdly deep nesting
            raise InputError(f"is not a Decision Desk case file ({exc})", target) from None
        return cls.from_dict(data, target)


def _fingerprint(path: Path) -> SourceRef | None:
    try:
        return SourceRef.of(path)
    except InputError:
        return None


def check_sources(case: CaseFile) -> list[SourceStatus]:
    """Compare every recorded source with the disk; reads the files, never writes them.

    A source gone from its path counts as ``moved`` when a file of the same name and hash sits
    next to the case file: cases are carried between laptops as a folder.
    """
    statuses = []
    for ref in case.sources:
        current = _fingerprint(ref.path)
        if current is not None:
            same = current.sha256 == ref.sha256 and current.size == ref.size
            statuses.append(SourceStatus(ref.path, "ok" if same else "changed", ref, current))
            continue
        if case.path is not None:
            # PureWindowsPath splits on / and \, so a path recorded on Windows still gives its name
            beside = Path(os.path.abspath(case.path)).parent / PureWindowsPath(str(ref.path)).name
            try:
                candidate = beside != ref.path and beside.is_file() and beside.stat().st_size == ref.size
            except OSError:
                candidate = False
            moved = _fingerprint(beside) if candidate else None
            if moved is not None and moved.sha256 == ref.sha256:
                statuses.append(SourceStatus(moved.path, "moved", ref, moved))
                continue
        statuses.append(SourceStatus(ref.path, "missing", ref, None))
    return statuses
