"""Any board by configuration: a second real board and a board set up by following the guide
build from the same templates with no code of their own, and no code names a board's places."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from jsna.config import ConfigError, load_board
from tests.conftest import REPO, copy_book, jupyter_book

GUIDE = REPO / "chapters" / "appendix" / "analyst-guide.md"
#: Words and codes that belong to one board's configuration and data, never to code or templates.
BOARD_WORDS = re.compile(r"county|counties|district|leicestershire|E10000018|E0700012[9]|E0700013[0-5]|E12000004", re.I)


def _jsna(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jsna", *args], cwd=root, capture_output=True, text=True)


def _pages(root: Path) -> dict[str, str]:
    site = root / "_build" / "html" / "_generated"
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_no_board_words_in_code_or_templates() -> None:
    """None of Leicestershire's words or codes is in the package or the chapter templates."""
    hits = []
    for folder in (REPO / "src" / "jsna", REPO / "chapters"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {".py", ".ipynb", ".md", ".j2", ".html", ".css", ".js", ".yml"}:
                for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if BOARD_WORDS.search(line):
                        hits.append(f"{path.relative_to(REPO)}:{n}: {line.strip()[:100]}")
    assert not hits, "board words in code:\n" + "\n".join(hits)


def test_board_words_pattern_finds_what_it_must() -> None:
    for sample in ("the County total", "seven districts", "LEICESTERSHIRE", "E07000133", "E10000018"):
        assert BOARD_WORDS.search(sample), sample
    assert not BOARD_WORDS.search("the city and its localities E06000016 LC-NORTH")


def test_leicester_city_board_shape() -> None:
    board = load_board(REPO / "data", "leicester-city")
    assert board.root.code == "E06000016" and board.root_level.word == "city"
    assert [a.name for a in board.children] == ["Central", "East", "North", "North West", "South", "West"]
    assert board.child_level.plural == "localities"
    # localities are compared with the city only, the city with England
    assert [(role, a.name) for role, a in board.comparisons(board.children[0])] == [("parent", "Leicester")]
    assert [(role, a.name) for role, a in board.comparisons(board.root)] == [("national", "England")]
    assert board.data_dir == (REPO / "data" / "leicester-city").resolve()


@pytest.mark.parametrize("change, message", [
    (lambda b: b["levels"][0]["areas"].append({"code": "E06000017", "name": "Rutland"}), "exactly one area"),
    (lambda b: b["levels"][1]["areas"][0].update(code="north"), "local code"),
    (lambda b: b["levels"][1].update(compare_with=["cipfa"]), "not a comparator role"),
    (lambda b: b["levels"][1].update(compare_with=[]), "at least one comparator role"),
    (lambda b: b["editions"][0]["chapters"][3].update(for_each=["ward"]), "for_each must name levels"),
    (lambda b: b.update(comparators=[c for c in b["comparators"] if c["role"] != "national"]), "role 'national'"),
    (lambda b: b.update(data="nowhere"), "does not exist"),
])
def test_bad_board_files_are_refused(tmp_path: Path, change, message: str) -> None:
    raw = yaml.safe_load((REPO / "data" / "boards" / "leicester-city.yml").read_text())
    change(raw)
    (tmp_path / "boards").mkdir()
    (tmp_path / "leicester-city").mkdir()
    (tmp_path / "boards" / "leicester-city.yml").write_text(yaml.safe_dump(raw))
    with pytest.raises(ConfigError, match=message):
        load_board(tmp_path, "leicester-city")


def guide_board_files() -> dict[str, str]:
    """The files the guide's "Set up your own board" shows, by the path written above each."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("## Set up your own board"):]
    section = section[:section.index("\n## ", 5)]
    return dict(re.findall(r"^`(data/[^`]+)`:\n\n```(?:yaml|text)\n(.*?)```", section, re.S | re.M))


@pytest.fixture(scope="module")
def guide_board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the book with the guide's example board added exactly as the guide shows it, built."""
    root = copy_book(tmp_path_factory.mktemp("guide-board") / "book")
    files = guide_board_files()
    for name, body in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(body, encoding="utf-8")
    check = _jsna(root, "check", "--data-dir", "data/riverside")
    assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
    build = _jsna(root, "build", "--board", "riverside", "--jobs", "2")
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    return root


def test_the_guide_shows_a_whole_board() -> None:
    assert set(guide_board_files()) == {"data/boards/riverside.yml", "data/riverside/areas.csv", "data/riverside/indicator_meta.csv",
                                        "data/riverside/indicators.csv", "data/riverside/population.csv", "data/riverside/sources.yml"}


@pytest.mark.build
def test_guide_board_builds_with_no_code(guide_board: Path) -> None:
    pages = _pages(guide_board)
    assert {p for p in pages if not p.startswith("appendix/")} == {
        "jsna/00-overview.html", "jsna/profiles/00-northbank.html", "jsna/profiles/01-southbank.html"}
    overview = pages["jsna/00-overview.html"]
    assert "Riverside Health and Wellbeing Board" in overview and "How the borough compares with England" in overview
    northbank = pages["jsna/profiles/00-northbank.html"]
    # a town is compared with England and with Riverside, as its level says
    assert "Compared with England" in northbank and "Compared with Riverside" in northbank
    assert "Town profiles" in (guide_board / "_build" / "html" / "_generated" / "jsna" / "00-overview.html").read_text()
    for name, html in pages.items():
        assert not BOARD_WORDS.search(re.sub(r"<[^>]+>", " ", html)), name


@pytest.fixture(scope="module")
def leicester_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_book(tmp_path_factory.mktemp("leicester-city") / "book")
    build = _jsna(root, "build", "--board", "leicester-city", "--jobs", "2")
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    return root


@pytest.mark.build
def test_leicester_city_builds_from_the_same_templates(leicester_city: Path) -> None:
    pages = _pages(leicester_city)
    assert {"jsna/00-index.html", "jsna/01-overview.html", "jsna/02-better-care-fund.html", "jsna/03-strategy.html"} <= set(pages)
    index = re.sub(r"<[^>]+>", " ", pages["jsna/00-index.html"])
    assert "covers the city and its 6 localities" in index and "hold no register of its JSNA chapters" in index
    assert sorted(p for p in pages if p.startswith("jsna/localities/")) == [
        f"jsna/localities/{i:02d}-{slug}.html" for i, slug in enumerate(["central", "east", "north", "north-west", "south", "west"])]
    north = pages["jsna/localities/02-north.html"]
    assert "Compared with Leicester" in north and "Compared with England" not in north
    # the locality is the 7 MSOAs the PNA lists for it (PNA 2022 Table 5, seed 001 L13454-L13461)
    assert "North is made up of 7 middle-layer super output areas" in north
    assert "Leicester City Health and Wellbeing Board" in pages["jsna/01-overview.html"]
    assert "Locality profiles" in pages["jsna/01-overview.html"]
    for name, html in pages.items():
        words = re.sub(r"<[^>]+>", " ", html)
        assert not re.search(r"\bdistricts?\b|\bcounty\b|Leicestershire", words), name


@pytest.mark.build
def test_leicester_city_bcf_and_strategy_pages_hold_the_published_figures(leicester_city: Path) -> None:
    """Figures as the pack prints them (seed 001; digest ../shared/notes/seed-001-notes.md sections 4
    and 5): a pooled budget of £48,405,390 [L5288]; Home Care £17.56m, 36.3%, and Personalised Care at
    Home £13.90m, 28.7%, of the 37 schemes [L5303-L5327]; 19 priorities under 5 themes [L9794-L9866],
    of which the pack names six "do" priorities and no sponsor/watch split [L7643-L7645]."""
    pages = _pages(leicester_city)
    bcf = re.sub(r"<[^>]+>", " ", pages["jsna/02-better-care-fund.html"])
    assert "£48,405,390" in bcf
    assert "schemes by type, 2022-23: 37 scheme lines" in bcf
    assert re.search(r"Home Care or Domiciliary Care\s+1\s+£17,556,473\s+36\.3%", bcf)
    assert re.search(r"Personalised Care at Home\s+4\s+£13,900,071\s+28\.7%", bcf)
    strategy = re.sub(r"<[^>]+>", " ", pages["jsna/03-strategy.html"])
    assert "sets out 19 priorities under 5 themes" in strategy
    assert re.search(r"names 6 \W+do\W+ priorities", strategy) and "not state the part for the other 13" in strategy
    assert strategy.count("Do (the board leads)") == 6 + 1  # the six priorities and the cross-cutting INVOLVE OUR PEOPLE


@pytest.mark.build
def test_contents_follow_the_board(leicester_city: Path) -> None:
    """The contents Sphinx read were written for the board built, with no edit to _toc.yml."""
    assert (leicester_city / "_toc.yml").read_text() == (REPO / "_toc.yml").read_text()
    toc = (leicester_city / "_generated" / "_toc.yml").read_text()
    assert "Locality profiles" in toc and "Area profiles" not in toc
    assert not (leicester_city / "_generated" / "annual-report-2025-26").exists()


@pytest.mark.build
def test_leicester_city_prints_its_own_pdfs(leicester_city: Path) -> None:
    """`jsna pdf` prints the board the book was built for, with that board's name on the cover."""
    from jsna.build import built_board
    from tests.test_pdf import whole_text

    assert built_board(leicester_city) == "leicester-city"
    pdf = _jsna(leicester_city, "pdf")
    assert pdf.returncode == 0, pdf.stdout[-3000:] + pdf.stderr[-3000:]
    text = whole_text(leicester_city / "_build" / "pdf" / "jsna.pdf")
    assert "Leicester City Health and Wellbeing Board" in text and "Leicestershire" not in text
    assert sorted(p.name for p in (leicester_city / "_build" / "pdf" / "chapters" / "jsna").rglob("*.pdf"))


@pytest.mark.build
def test_jupyter_book_builds_the_board_named_in_the_environment(leicester_city: Path) -> None:
    """`JSNA_BOARD=leicester-city jupyter-book build .` builds that board with no file edited."""
    import os

    proc = jupyter_book(leicester_city, env={**os.environ, "JSNA_BOARD": "leicester-city"})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    home = (leicester_city / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "Leicester City Health and Wellbeing Board" in home and "Leicestershire" not in home
    assert (leicester_city / "_build" / "html" / "_generated" / "jsna" / "localities" / "05-west.html").is_file()


def test_jsna_check_holds_the_board_file_against_areas_csv(tmp_path: Path) -> None:
    """A locality renamed, moved to another parent or left out of areas.csv is named with the
    file, row, column and expected and found values; the real data have none of these."""
    import shutil

    from jsna import qa

    (tmp_path / "boards").mkdir()
    shutil.copy(REPO / "data" / "boards" / "leicester-city.yml", tmp_path / "boards")
    folder = shutil.copytree(REPO / "data" / "leicester-city", tmp_path / "leicester-city")
    assert [f for f in qa.check(folder).findings if f.rule == "board_areas_listed"] == []
    lines = (folder / "areas.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    edited = [line.replace("LC-CENTRAL,Central,", "LC-CENTRAL,Centre,").replace("LC-EAST,East,locality,E06000016", "LC-EAST,East,locality,E12000004")
              for line in lines if not line.startswith("LC-WEST,")]
    (folder / "areas.csv").write_text("".join(edited), encoding="utf-8")
    found = sorted((f.row, f.column, f.message) for f in qa.check(folder).findings if f.rule == "board_areas_listed")
    central = next(i for i, line in enumerate(edited, 1) if line.startswith("LC-CENTRAL"))
    east = next(i for i, line in enumerate(edited, 1) if line.startswith("LC-EAST"))
    assert found == sorted([
        (0, "area_code", "West (LC-WEST) is an area of boards/leicester-city.yml but has no row: expected a row for LC-WEST"),
        (central, "area_name", "LC-CENTRAL is named 'Central' in boards/leicester-city.yml: expected 'Central', found 'Centre'"),
        (east, "parent_code", "East (LC-EAST) lies in E06000016 in boards/leicester-city.yml: expected E06000016, found E12000004"),
    ])
