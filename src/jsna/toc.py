"""The book's table of contents for the board being built.

``_toc.yml`` holds what every board's book shares (the root page and the appendix). Before
Sphinx reads it, the parts of the board's editions are put in front, one part per edition and
one per ``for_each`` chapter group that has a ``caption``, and the result is written to
``_generated/_toc.yml``, which is the table of contents Sphinx uses. Switching the board
therefore needs no edit to ``_toc.yml``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from jsna import atomic
from jsna.build import GENERATED
from jsna.config import Board

TOC = f"{GENERATED}/_toc.yml"


def edition_parts(board: Board) -> list[dict]:
    """One contents part per edition (its own pages) and per captioned for_each group."""
    parts = []
    for edition in board.editions:
        parts.append({"caption": edition.extra.get("caption", edition.title), "chapters": [{"glob": f"{GENERATED}/{edition.id}/*"}]})
        for chapter in edition.chapters:
            if chapter.for_each and chapter.caption:
                parts.append({"caption": chapter.caption, "chapters": [{"glob": f"{GENERATED}/{edition.id}/{chapter.slug}/*"}]})
    return parts


def write_toc(root: Path, board: Board) -> Path:
    """Write ``_generated/_toc.yml``: the board's edition parts, then the parts of ``_toc.yml``."""
    base = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")) or {}
    toc = {**base, "parts": [*edition_parts(board), *(base.get("parts") or [])]}
    text = ("# Written by the jsna papermill stage from _toc.yml and the board's editions; edit those, not this.\n"
            + yaml.safe_dump(toc, sort_keys=False, allow_unicode=True))
    path = root / TOC
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        atomic.write_text(path, text)
    return path
