"""Every command in the analyst's guide works as written, on a built copy of the book."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

GUIDE = REPO / "chapters" / "appendix" / "analyst-guide.md"


def guide_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def _pdfs(root: Path) -> list[Path]:
    return sorted((root / "_build" / "pdf").rglob("*.pdf"))


# What each command must leave behind, beyond exiting with status 0.
EXPECTED = {
    "jupyter-book build .": lambda root: (root / "_build/html/index.html").exists(),
    "jsna build --jobs 2": lambda root: (root / "_build/html/_generated/jsna").is_dir(),
    "jsna run chapters/jsna/area_profile.ipynb --board leicester-city --area LC-NORTH": lambda root: (
        root / "_generated/jsna/localities/02-north.ipynb"
    ).exists(),
    "jsna check": lambda root: True,
    "jsna pdf": lambda root: len(_pdfs(root)) > 0,
}


def test_the_guide_lists_only_tested_commands() -> None:
    commands = guide_commands()
    assert commands, "the guide has no commands"
    assert sorted(set(commands)) == sorted(EXPECTED), "update EXPECTED when the guide's commands change"


@pytest.mark.build
@pytest.mark.parametrize("command", list(EXPECTED))
def test_guide_command_works(command: str, built_book: Path) -> None:
    proc = subprocess.run(command, shell=True, cwd=built_book, capture_output=True, text=True)
    assert proc.returncode == 0, f"{command}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    assert EXPECTED[command](built_book), command


def test_readme_links_to_the_guide() -> None:
    assert "chapters/appendix/analyst-guide.md" in (REPO / "README.md").read_text(encoding="utf-8")
