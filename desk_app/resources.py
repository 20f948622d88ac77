"""Where Decision Desk's own data files live at runtime.

The paragraph library, the Word house template and the screenshots are kept in the
repository's top-level ``resources/`` folder so that investigators and reviewers can find
and edit them without digging into the package. A source checkout and an editable install
see that folder next to the package; a frozen or wheel build may copy it inside the
package instead, so both places are tried, with an environment override for packagers.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Set this to a folder to use a different copy of the resources (packagers, tests).
RESOURCES_ENV = "DESK_APP_RESOURCES"


def resources_root() -> Path:
    """The folder that holds ``paragraph_library.yaml`` and ``templates/``.

    Looked up on every call rather than cached so that tests and packagers can point the
    environment variable elsewhere without reloading modules.
    """
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    package_dir = Path(__file__).resolve().parent
    candidates = (package_dir.parent / "resources", package_dir / "resources")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def resource_path(*parts: str) -> Path:
    """Path of a resource file; it may not exist, callers report that as a DeskError."""
    return resources_root().joinpath(*parts)
