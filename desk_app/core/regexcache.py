"""Patterns written at the call site, compiled once.

``regex.search(pattern, text)`` looks its pattern up in regex's own cache on every call, and
that lookup (flags, locale, named lists, an import) costs ten times the search of a short
string; the detectors call such functions tens of thousands of times per case. ``rx(pattern)``
keeps the pattern where it is read and compiles it once per process.
"""

from __future__ import annotations

import functools

import regex

__all__ = ["rx"]


@functools.lru_cache(maxsize=1024)
def rx(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """``pattern`` compiled with ``flags``, from a cache keyed on both."""
    return regex.compile(pattern, flags)
