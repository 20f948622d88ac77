"""A socket guard for proving that Decision Desk never reaches the network.

Investigators' laptops are offline and case notes are personal data, so "nothing touches
the network" is a promise, and a promise needs a test that would fail. With
``DESK_APP_NO_NETWORK=1`` in the environment, ``desk-app`` installs this guard before it
imports anything that could connect (``desk_app.cli.main`` calls :func:`install_from_env`
first): every Python-level connection, name lookup or datagram to anything but a Unix-domain
socket raises ``OSError``, so a library that tries to download a model or a suffix list
fails loudly instead of silently phoning home.

Unix-domain sockets stay allowed: they never leave the machine, and multiprocessing and
Qt's platform plugins may use them. The guard only sees Python code; C libraries that open
sockets themselves are caught by the other proof, running the frozen build in a network
namespace with no interfaces (``tests/test_frozen_build.py``).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from typing import Any

#: Set to ``1`` to block every non-Unix socket in this process (the selftest and its tests do).
ENV = "DESK_APP_NO_NETWORK"
#: Libraries' own usage reporting, switched off for this process and every process it starts.
TELEMETRY_OFF = {"ORT_DISABLE_TELEMETRY": "1"}
MESSAGE = f"network access blocked by {ENV}"

_AF_UNIX = getattr(socket, "AF_UNIX", None)
_originals: dict[str, Callable[..., Any]] = {}


def _blocked() -> OSError:
    return OSError(MESSAGE)


def _is_unix(sock: socket.socket) -> bool:
    return _AF_UNIX is not None and sock.family == _AF_UNIX


def _guard_method(name: str) -> Callable[..., Any]:
    original = getattr(socket.socket, name)

    def guarded(self: socket.socket, *args: Any, **kwargs: Any) -> Any:
        if not _is_unix(self):
            raise _blocked()
        return original(self, *args, **kwargs)

    guarded.__name__ = name
    guarded.__doc__ = f"{original.__doc__}\n\n(Blocked by {ENV} except for AF_UNIX sockets.)"
    _originals[f"socket.{name}"] = original
    return guarded


def _guarded_create_connection(*_args: Any, **_kwargs: Any) -> socket.socket:
    """``socket.create_connection`` only ever makes TCP connections: always blocked."""
    raise _blocked()


def _guarded_getaddrinfo(host: Any, port: Any, family: int = 0, *args: Any, **kwargs: Any) -> Any:
    """Name lookups are how a download starts (and a DNS query is itself network traffic)."""
    if _AF_UNIX is not None and family == _AF_UNIX:
        return _originals["getaddrinfo"](host, port, family, *args, **kwargs)
    raise _blocked()


def install() -> None:
    """Block the network for the rest of this process. Idempotent; there is no uninstall,
    because a guard that can be lifted proves nothing."""
    if _originals:
        return
    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        if hasattr(socket.socket, name):
            setattr(socket.socket, name, _guard_method(name))
    _originals["create_connection"] = socket.create_connection
    _originals["getaddrinfo"] = socket.getaddrinfo
    socket.create_connection = _guarded_create_connection
    socket.getaddrinfo = _guarded_getaddrinfo


def disable_telemetry() -> None:
    """Switch off the usage telemetry of the libraries the app loads, before any of them is imported.

    ONNX Runtime (the OCR engine's runtime) queues usage events in ``~/.cache/Microsoft`` as soon
    as it is imported, and uploads them when it can; a tool for personal data must neither write
    into the profile nor phone home. The OCR module sets the variable too, but only when it loads
    the engine; setting it at program start also covers any earlier import, and spawned workers
    inherit it. Forced, not defaulted: a user's environment cannot turn it back on.
    """
    os.environ.update(TELEMETRY_OFF)


def install_from_env() -> bool:
    """Install the guard if ``DESK_APP_NO_NETWORK=1``; whether it is now installed."""
    if os.environ.get(ENV, "").strip() == "1":
        install()
    return installed()


def installed() -> bool:
    """Whether this process's sockets are guarded (the selftest reports it)."""
    return bool(_originals)
