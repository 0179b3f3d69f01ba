"""Shared fixtures: a throw-away copy of the book, and one full build of it per test session."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from jsna.build import JUPYTER_BOOK

REPO = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(".git", "_build", "_generated", ".pytest_cache", "__pycache__", "*.egg-info", ".jsna_cache")


def copy_book(target: Path) -> Path:
    """Copy the repository's book (sources, data, chapters, package) into `target`."""
    shutil.copytree(REPO, target, ignore=IGNORE)
    return target


def jupyter_book(root: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `jupyter-book build` command on a book folder."""
    return subprocess.run(
        [*JUPYTER_BOOK, "build", str(root), *extra],
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.fixture
def book_copy(tmp_path: Path) -> Path:
    return copy_book(tmp_path / "book")


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the book built once with `jupyter-book build .`; returns the book folder."""
    root = copy_book(tmp_path_factory.mktemp("built") / "book")
    proc = jupyter_book(root)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    (root / "_build" / "build-output.txt").write_text(proc.stdout + proc.stderr)
    return root


@pytest.fixture(scope="session")
def html_dir(built_book: Path) -> Path:
    return built_book / "_build" / "html"
