"""LibreOffice for the tests that have a second, independent program open a written .docx."""

from __future__ import annotations

import os
import shutil

import pytest


def soffice() -> str:
    """The ``soffice`` executable; skipped where it is not installed, failed on CI, which
    installs it (a skip there would hide a broken install)."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing on CI; .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice (soffice) is not installed; CI installs libreoffice-writer-nogui")
    return path
