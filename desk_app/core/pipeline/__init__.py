"""The pipeline stage: the one export path (``export``), its reading and detection over
many files (``batch``), the guards on where it writes (``paths``) and the anonymised file
names of its copies (``names``). See desk_app/core/pipeline/export.py.

The names below are loaded on first use: ``compare -o`` and ``draft -o`` import only
``paths`` (a few milliseconds), not the detector and the writers (over a second).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desk_app.core.pipeline.export import (
        REPORT_NAME,
        ExportResult,
        FileOutcome,
        ReviewedExport,
        WriteJob,
        check_reviewed,
        export_case,
        export_reviewed,
    )

__all__ = ["REPORT_NAME", "WriteJob", "ExportResult", "FileOutcome", "ReviewedExport", "check_reviewed",
           "export_case", "export_reviewed"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("desk_app.core.pipeline.export"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
