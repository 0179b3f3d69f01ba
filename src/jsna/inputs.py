"""Which files a chapter run reads, so that its cache key covers exactly those files.

A run is executed on a kernel that may already have served other pages, and the package keeps
loaded tables in memory between them. Recording only the files a run opens would miss every
table it got from memory, so the readers that cache use :func:`memoize`: the files read while
computing a value are stored beside it and recorded again each time the cached value is used.
An audit hook on ``open`` catches the reads that no cached reader makes (the board file, prose).

Outside a run (tests, ``jsna check``) nothing is recorded and everything works as usual.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

GLOB = "glob:"  # a recorded listing: "glob:<folder>/<pattern>"

_reads: set[str] | None = None  # the current run's reads, or None outside a run
_stack: list[set[str]] = []  # reads of the cached computations in progress, innermost last
_caches: list[Callable[[], None]] = []  # cache_clear of every memoized function
_hooked = False
_seen: tuple | None = None  # the data folder as it was when the caches were filled


def begin(data_dir: str | os.PathLike[str] | None = None) -> None:
    """Start recording the reads of a new run (called by the kernel before each notebook).

    When any file under `data_dir` has changed since the last run (name, size or modification
    time), every memoized value is dropped first.
    """
    global _reads, _hooked, _seen
    _reads = set()
    if not _hooked:
        sys.addaudithook(_audit)
        _hooked = True
    if data_dir is not None:
        seen = _fingerprint(os.fspath(data_dir))
        if seen != _seen:
            for clear in _caches:
                clear()
            _seen = seen


def _fingerprint(folder: str) -> tuple:
    entries = []
    for base, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            st = os.stat(os.path.join(base, name))
            entries.append((base, name, st.st_size, st.st_mtime_ns))
    return (folder, *entries)


def collected() -> list[str]:
    """The absolute paths (and ``glob:`` listings) read since :func:`begin`, sorted."""
    return sorted(_reads or ())


def record(path: str | os.PathLike[str]) -> None:
    """Note that a file was read: for the current run, and for every cached computation in progress."""
    _note(os.path.abspath(os.fspath(path)))


def record_glob(folder: str | os.PathLike[str], pattern: str) -> None:
    """Note that the list of files matching `pattern` in `folder` was used (a file added there matters)."""
    _note(f"{GLOB}{os.path.abspath(os.fspath(folder))}/{pattern}")


def _note(name: str) -> None:
    if _reads is not None:
        _reads.add(name)
    for frame in _stack:
        frame.add(name)


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event != "open" or (_reads is None and not _stack) or not isinstance(args[0], (str, os.PathLike)):
        return
    mode, flags = args[1], args[2]
    reading = ("r" in mode and "+" not in mode) if isinstance(mode, str) else not flags & (os.O_WRONLY | os.O_RDWR)
    if reading:
        record(args[0])


def memoize(maxsize: int = 128) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """``functools.lru_cache`` that remembers which files computing each value read, and records
    them again whenever the cached value is returned."""

    def decorate(fn: Callable[P, T]) -> Callable[P, T]:
        @functools.lru_cache(maxsize=maxsize)
        def compute(*args: Any, **kwargs: Any) -> tuple[T, frozenset[str]]:
            _stack.append(set())
            try:
                value = fn(*args, **kwargs)
            finally:
                reads = _stack.pop()
            return value, frozenset(reads)

        @functools.wraps(fn)
        def cached(*args: P.args, **kwargs: P.kwargs) -> T:
            value, reads = compute(*args, **kwargs)
            for name in reads:
                _note(name)
            return value

        cached.cache_clear = compute.cache_clear  # type: ignore[attr-defined]
        _caches.append(compute.cache_clear)
        return cached

    return decorate
