"""Shared fixtures: a throw-away copy of the book, and one full build of it per test session."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from jsna.build import JUPYTER_BOOK

REPO = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns(".git", "_build", "_generated", ".pytest_cache", "__pycache__", "*.egg-info", ".jsna_cache")
# What a user's book folder often holds besides the book: virtual environments (one hidden, one
# not), front-end packages. Each holds a notebook that raises and pages of its own.
CLUTTER = (".venv", "env", "node_modules")


def copy_book(target: Path) -> Path:
    """Copy the repository's book (sources, data, chapters, package) into `target`."""
    shutil.copytree(REPO, target, ignore=IGNORE)
    return target


def add_clutter(root: Path) -> None:
    """Put a virtual environment (``.venv`` and ``env``) and ``node_modules`` inside the book folder,
    each with a notebook that raises, a markdown page and an HTML page, as installed packages have."""
    broken = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('raise RuntimeError("not part of the book")')])
    for name in CLUTTER:
        if name != "node_modules":
            subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / name)], check=True)
        package = root / name / "lib" / "site-packages" / "somepackage"
        (package / "tests").mkdir(parents=True)
        nbformat.write(broken, package / "tests" / "example.ipynb")
        (package / "README.md").write_text("# Some package\n\nSee [the docs](missing.md).\n")
        (package / "index.html").write_text("<html><body>package docs</body></html>")


def jupyter_book(root: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `jupyter-book build` command on a book folder."""
    return subprocess.run(
        [*JUPYTER_BOOK, "build", str(root), *extra],
        capture_output=True,
        text=True,
        env=env,
    )


def reduce_book(root: Path, editions: list[dict]) -> None:
    """Keep only the given editions in the copy's board config (faster builds; the contents follow)."""
    path = root / "data" / "boards" / "leicestershire.yml"
    cfg = yaml.safe_load(path.read_text())
    cfg["editions"] = editions
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))


def edition(edition_id: str, status: str, sections: list[str] | None = None) -> dict:
    """An edition of the repository's board configuration with another status (and only some sections)."""
    board = yaml.safe_load((REPO / "data" / "boards" / "leicestershire.yml").read_text())
    raw = next(e for e in board["editions"] if e["id"] == edition_id)
    chapters = [c for c in raw["chapters"]
                if sections is None or (c.get("parameters") or {}).get("section", Path(c["template"]).stem) in sections]
    return {**raw, "status": status, "chapters": chapters}


# Tests of the session's book that print it (PDFs, and the guide's commands, whose `jsna pdf`
# finds the session's PDFs up to date); the other tests of that book form a second group.
PRINT_MODULES = {"tests.test_pdf", "tests.test_guide"}


def xdist_group(item: pytest.Item) -> str | None:
    """The xdist group of a test that needs a built book: each group runs on one worker, which
    builds the books of its group once (a worker builds the session's book for itself)."""
    names = set(item.fixturenames)
    if "html_dir" in names or "built_book" in names:
        return "book-print" if item.module.__name__ in PRINT_MODULES else "book-screen"
    if {"small_site", "draft_book"} & names:
        return item.module.__name__
    for fixture in ("leicester_city", "guide_board"):  # the other boards' books (tests/test_boards.py)
        if fixture in names:
            return f"board-{fixture}"
    return None


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the markers into the test ids
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the tests that share a built book in one xdist group, and put the two groups of the
    session's book first, so that xdist gives one to each worker at the start and deals out
    the other tests to whichever worker is free meanwhile."""
    groups = {item: xdist_group(item) for item in items}
    for item, group in groups.items():
        if group:
            item.add_marker(pytest.mark.xdist_group(group))
    first = ("book-print", "book-screen")
    items.sort(key=lambda item: first.index(groups[item]) if groups[item] in first else len(first))


@pytest.fixture
def book_copy(tmp_path: Path) -> Path:
    return copy_book(tmp_path / "book")


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the book, with a virtual environment and node_modules inside it, built once with
    `jupyter-book build .`; returns the book folder."""
    root = copy_book(tmp_path_factory.mktemp("built") / "book")
    add_clutter(root)
    proc = jupyter_book(root)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    (root / "_build" / "build-output.txt").write_text(proc.stdout + proc.stderr)
    return root


@pytest.fixture(scope="session")
def html_dir(built_book: Path) -> Path:
    return built_book / "_build" / "html"
