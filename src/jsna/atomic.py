"""Writes that a killed build cannot leave half done, and the lock that keeps two builds apart.

Every file a build keeps (generated notebooks, the run manifest, pages changed after Sphinx) is
written to a temporary name beside it and renamed over the old one, so a reader finds either the
old file or the new one. Published folders (``_build/html``, ``_build/pdf``) are built elsewhere
and exchanged with the old folder in one step. The build lock is an ``flock``, which the kernel
drops when its holder dies, however it dies: a killed build never leaves a stale lock.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step (a temporary file in the same folder, fsynced, renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """:func:`write_bytes` for UTF-8 text."""
    write_bytes(path, text.encode("utf-8"))


def write_json(path: Path, value: Any) -> None:
    """:func:`write_text` of `value` as indented JSON with sorted keys."""
    write_text(path, json.dumps(value, indent=1, sort_keys=True) + "\n")


def write_notebook(nb: nbformat.NotebookNode, path: Path) -> None:
    """:func:`write_text` of a notebook in nbformat 4."""
    write_text(path, nbformat.writes(nb, version=4) + "\n")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step with Linux ``renameat2(RENAME_EXCHANGE)``; False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), f"cannot exchange {a} and {b}: {os.strerror(ctypes.get_errno())}")


def replace_dir(new: Path, target: Path) -> None:
    """Put the folder `new` at `target`, in one step where the system allows, and remove the old one.

    On Linux the two folders are exchanged atomically, so `target` is never missing or mixed.
    Elsewhere the old folder is moved aside first; :func:`recover_dir` puts it back if the build
    is killed between the two renames.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.replace(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the old folder
        return
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def recover_dir(target: Path) -> None:
    """Undo a :func:`replace_dir` that was killed between its two renames (old folder moved aside)."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(old, target)


def staging_dir(parent: Path, prefix: str) -> Path:
    """A new empty folder under `parent` for a build to write into, after removing what killed
    builds left behind under the same prefix (call it while holding the build lock)."""
    parent.mkdir(parents=True, exist_ok=True)
    for stale in parent.glob(f"{prefix}*"):
        shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))


class Busy(RuntimeError):
    """Another build of the same book holds the lock."""


@contextmanager
def lock(path: Path, wait: bool = True) -> Iterator[None]:
    """Hold an exclusive ``flock`` on `path` for the block; released by the system if the holder dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        flags = fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(handle.fileno(), flags)
        except BlockingIOError:
            raise Busy(f"{path}: another build of this book is running") from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
