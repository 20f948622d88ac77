"""The ``desk-app`` command line over the core.

    desk-app [--sample]                  the desktop window
    desk-app open PATH...                the window, with these files (a .decision.json in the Decision tab)
    desk-app anonymise PATH... --out-dir DIR [--mapping FILE] [--report FILE]
                               [--complainant "NAME"] [--jobs N]
    desk-app compare A B [-o OUT.html|OUT.docx|OUT.json] [--ignore-case] [--anonymised]
    desk-app --selftest                  load the model, anonymise the sample, show the window
                                         offscreen, write and leak-scan a docx, read a drawn scan
                                         (exit 0 if all pass)

With DESK_APP_NO_NETWORK=1 every command runs with non-Unix sockets blocked (desk_app.netguard).

Errors about a file are one line on stderr naming the file; the other files still run and
the exit status is 1 if any failed.
"""

from __future__ import annotations

import argparse
import time

from desk_app import __version__
from desk_app.cli import anonymise, compare
from desk_app.cli.console import err, has_display
from desk_app.core.errors import DeskError
from desk_app.netguard import disable_telemetry, install_from_env

#: When this module was imported: the selftest's launch clock where /proc is not available.
IMPORTED_AT = time.perf_counter()


def cmd_open(args: argparse.Namespace) -> int:
    """The desktop window (the default when no command is given)."""
    if not has_display():
        return 2
    try:
        from desk_app.gui.app import run
    except ImportError as exc:
        err(f"the desktop window needs PySide6 ({exc}); reinstall Decision Desk (pip install .)")
        return 1
    return run(getattr(args, "paths", []), sample=args.sample, theme=args.theme)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="desk-app", description="Decision Desk: offline anonymisation and "
                                     "drafting of LGO decision statements.")
    parser.add_argument("--version", action="version", version=f"desk-app {__version__}")
    parser.add_argument("--sample", action="store_true", help="open the window with the sample case")
    parser.add_argument("--theme", choices=("system", "light", "dark"), help="colour theme of the window")
    parser.add_argument("--selftest", action="store_true", help="check this installation offline: load the model, "
                        "anonymise the sample case, show the window offscreen, write and leak-scan a .docx, "
                        "read a drawn scan with the OCR engine; "
                        "one line per step, exit 0 only if all pass")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    o = sub.add_parser("open", help="open case notes, a saved .deskcase or a .decision.json in the window",
                       description="Open the desktop window with these files (txt, md, docx, pdf or .deskcase); "
                       "a .decision.json (from new-decision) opens in the Decision tab.")
    o.add_argument("paths", nargs="*", metavar="PATH")
    o.set_defaults(func=cmd_open)
    anonymise.add_parser(sub)
    compare.add_parser(sub)

    try:
        from desk_app.cli.decision import add_parsers
    except ImportError:  # pragma: no cover - drafting not installed
        pass
    else:
        add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    disable_telemetry()   # first, with the guard: ONNX Runtime is not imported yet (it writes on import)
    install_from_env()    # first: nothing that could open a socket is imported yet
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
        err(str(exc))
        return 1
    except KeyboardInterrupt:
        err("interrupted")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
