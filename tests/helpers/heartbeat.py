"""How long the GUI thread went without answering: a Qt timer that notes the gap between ticks.

A window that does its long work on the GUI thread stops ticking; the longest gap is how long a
user would have seen it frozen."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer


class Heartbeat:
    """Ticks every ``interval_ms`` on the GUI thread once started; ``gaps`` are the seconds between ticks."""

    def __init__(self, interval_ms: int) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now

    def start(self) -> None:
        self._timer.start()

    def restart_clock(self) -> None:
        """Measure from now: the gap before the work began is not the work's."""
        self._last = time.perf_counter()

    def stop(self) -> None:
        self._timer.stop()
