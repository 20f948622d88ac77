"""The one way the window runs work off the GUI thread: a ``QObject`` worker on its own thread.

Both the engine (detection, anonymisation, export) and the compare window use it, so
starting, naming and stopping a worker thread is written once. Requests reach the worker by
queued signals and results come back the same way; the worker itself owns its cancel flag.
Stopping lets the job in hand finish, because Qt aborts the process if a running
``QThread`` is destroyed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread

STOP_WAIT_MS = 10_000


class WorkerThread:
    """``worker`` moved onto a new thread named ``name`` (shown by debuggers and py-spy).

    The worker is deleted on its own thread once the thread finishes."""

    def __init__(self, worker: QObject, name: str) -> None:
        self.worker = worker
        self.thread = QThread()
        self.thread.setObjectName(name)
        worker.moveToThread(self.thread)
        self.thread.finished.connect(worker.deleteLater)

    def start(self) -> None:
        self.thread.start()

    def is_running(self) -> bool:
        return self.thread.isRunning()

    def stop(self, wait_ms: int = STOP_WAIT_MS) -> None:
        """End the thread's event loop once its current job returns, and wait for it."""
        if self.thread.isRunning():
            self.thread.quit()
            self.thread.wait(wait_ms)
