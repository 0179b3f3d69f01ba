"""The foundation: `jupyter-book build .` runs every chapter with papermill and publishes the HTML book."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

from jsna import text
from jsna.build import GENERATED, Run, execute_run, plan_runs
from jsna.execute import promote_markdown
from jsna.config import load_board
from jsna.sphinxext import outside_book
from tests.conftest import CLUTTER, REPO, jupyter_book

BOARD = load_board(REPO / "data")


class _Assets(HTMLParser):
    """Collects script sources, stylesheet/preload links, headings and visible text of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        if tag == "link" and a.get("href") and (a.get("rel") or "") in ("stylesheet", "preload", "modulepreload", "icon"):
            self.urls.append(a["href"])
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1[-1] += data


def _parse(path: Path) -> _Assets:
    parser = _Assets()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def expected_pages() -> list[str]:
    return [run.output for run in plan_runs(BOARD)]


# --- templates -------------------------------------------------------------------------


def templates() -> list[Path]:
    return sorted((REPO / "chapters").rglob("*.ipynb"))


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(REPO)))
def test_templates_are_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {i} has stored outputs"
            assert cell.execution_count is None, f"{path.name} cell {i} has an execution count"


@pytest.mark.parametrize("path", templates(), ids=lambda p: str(p.relative_to(REPO)))
def test_templates_have_a_parameters_cell(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"
    for name in ("board", "area_code", "period", "status"):
        assert re.search(rf"^{name}\s*=", cells[0].source, re.M), f"{path.name} parameters cell lacks {name}"


def test_every_configured_template_exists() -> None:
    for run in plan_runs(BOARD):
        assert (REPO / "chapters" / run.template).exists(), run.template


# --- planning --------------------------------------------------------------------------


def test_plan_runs_the_profile_for_the_county_and_each_district() -> None:
    profiles = [r for r in plan_runs(BOARD) if r.template == "jsna/area_profile.ipynb"]
    assert [r.parameters["area_code"] for r in profiles] == [
        "E10000018", "E07000129", "E07000130", "E07000131", "E07000132", "E07000133", "E07000134", "E07000135"]
    assert {r.parameters["board"] for r in profiles} == {"leicestershire"}
    assert len({r.output for r in plan_runs(BOARD)}) == len(plan_runs(BOARD)), "two runs share an output"


def test_adding_an_area_is_a_configuration_change(tmp_path: Path) -> None:
    cfg = yaml.safe_load((REPO / "data/boards/leicestershire.yml").read_text())
    cfg["levels"][1]["areas"].append({"code": "E07000999", "name": "Newtown"})
    (tmp_path / "boards").mkdir()
    (tmp_path / "boards" / "leicestershire.yml").write_text(yaml.safe_dump(cfg))
    runs = [r for r in plan_runs(load_board(tmp_path, "leicestershire")) if r.template == "jsna/area_profile.ipynb"]
    assert runs[-1].parameters["area_code"] == "E07000999"
    assert runs[-1].output.endswith("08-newtown")


def test_promote_markdown_makes_displayed_markdown_into_cells() -> None:
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("execute_result", data={"text/markdown": "# Title", "text/plain": "<Markdown>"}, execution_count=1),
        nbformat.v4.new_output("display_data", data={"text/html": "<figure></figure>", "text/plain": "fig"}),
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    out = promote_markdown(nb)
    assert [c.cell_type for c in out.cells] == ["markdown", "code"]
    assert out.cells[0].source == "# Title"
    assert out.cells[1].outputs[0]["data"]["text/html"] == "<figure></figure>"


# --- one papermill run -----------------------------------------------------------------


def test_papermill_runs_the_district_template_for_one_area(book_copy: Path) -> None:
    run = Run("jsna/area_profile.ipynb", f"{GENERATED}/test/melton", {
        "board": "leicestershire", "edition": "jsna", "area_code": "E07000133", "period": "2025", "status": "draft"})
    seconds = execute_run(str(book_copy), run)
    assert seconds > 0
    nb = nbformat.read(book_copy / f"{run.output}.ipynb", as_version=4)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert markdown.startswith("# Melton area profile") or "\n# Melton area profile" in markdown
    pop = pd.read_csv(book_copy / "data/population.csv")
    total = pop.query("area_code == 'E07000133' and age_band == 'All ages'")["population"].iloc[0]
    assert f"**{text.format_number(total)}**" in markdown
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []


# --- the whole book --------------------------------------------------------------------


@pytest.mark.build
def test_every_expected_page_is_built(html_dir: Path) -> None:
    missing = [p for p in expected_pages() if not (html_dir / f"{p}.html").exists()]
    assert missing == []
    assert (html_dir / "index.html").exists()


@pytest.mark.build
def test_only_the_table_of_contents_is_published_with_a_venv_in_the_book(html_dir: Path) -> None:
    """The session's book has `.venv`, `env` (virtual environments) and `node_modules` inside it,
    each with a notebook that raises and pages of its own: none of it is read or published."""
    pages = {p.relative_to(html_dir).with_suffix("").as_posix() for p in html_dir.rglob("*.html")
             if not {"_static", "pdf"} & set(p.relative_to(html_dir).parts)}
    toc = {"index", "genindex", "search", "chapters/appendix/analyst-guide", *expected_pages()}
    if any(e.status == "draft" for e in BOARD.editions):
        toc.add(f"{GENERATED}/appendix/data-quality")
    assert pages == toc
    leaked = [str(p.relative_to(html_dir)) for p in html_dir.rglob("*") if {"somepackage", *CLUTTER} & set(p.relative_to(html_dir).parts)]
    assert leaked == []


def test_outside_book_finds_virtual_environments_by_any_name(tmp_path: Path) -> None:
    for venv in ("tools/python", "env", ".venv"):
        (tmp_path / venv).mkdir(parents=True)
        (tmp_path / venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tmp_path / "conda-env" / "conda-meta").mkdir(parents=True)
    (tmp_path / "chapters" / "jsna").mkdir(parents=True)
    patterns = outside_book(tmp_path)
    assert {"tools/python", "env", "conda-env", ".*", "**/node_modules", "_build"} <= set(patterns)
    assert not any(p.startswith("chapters") or p == "tools" for p in patterns)


@pytest.mark.build
def test_a_cold_build_has_no_sphinx_warnings(built_book: Path) -> None:
    """A warning (a toctree glob matching nothing, a page outside every toctree,
    a broken cross-reference) is a defect in the book's structure."""
    log = (built_book / "_build" / "build-output.txt").read_text()
    warnings = [line for line in log.splitlines() if "WARNING" in line]
    assert warnings == []
    assert "build succeeded." in log


@pytest.mark.build
def test_root_page_lists_every_edition_and_titles_name_their_edition(html_dir: Path) -> None:
    from bs4 import BeautifulSoup

    board = load_board(REPO / "data")
    root = BeautifulSoup((html_dir / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = root.select("section.jsna-editions li a")
    assert [a.get_text() for a in links] == [f"{e.title} {e.period}" for e in board.editions]
    for a in links:
        assert (html_dir / a["href"]).exists(), a["href"]
    for edition in board.editions:
        page = next(r.output for r in plan_runs(board) if r.parameters["edition"] == edition.id)
        title = BeautifulSoup((html_dir / f"{page}.html").read_text(encoding="utf-8"), "html.parser").title.get_text()
        assert f"({edition.title} {edition.period})" in title


INTERNAL = re.compile(r"\bseed \d|\bL\d{2,}\b|\blines? \d+|qa_accepted|\.yml\b|\(s\)")


@pytest.mark.build
def test_report_pages_carry_no_internal_notes(html_dir: Path) -> None:
    """Readers see publications, not seed line numbers or repository files; only the analysts'
    data-quality appendix points into the data files."""
    from bs4 import BeautifulSoup

    leaks = {}
    for page in (html_dir / GENERATED).rglob("*.html"):
        if page.parent.name == "appendix":
            continue
        article = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("article")
        for tag in article.select("script, a.jsna-download"):
            tag.decompose()
        found = sorted({m.group(0) for m in INTERNAL.finditer(" ".join(article.get_text(" ").split()))})
        if found:
            leaks[str(page.relative_to(html_dir))] = found
    assert leaks == {}


@pytest.mark.build
def test_no_page_shows_a_traceback_or_error_output(html_dir: Path) -> None:
    bad = []
    for page in html_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "Traceback (most recent call last)" in html or "output error" in html or 'class="output stderr"' in html:
            bad.append(str(page.relative_to(html_dir)))
    assert bad == []


@pytest.mark.build
def test_each_area_page_shows_its_own_name_and_population(html_dir: Path, built_book: Path) -> None:
    pop = pd.read_csv(built_book / "data/population.csv")
    totals = pop[pop["age_band"] == "All ages"].set_index("area_code")["population"]
    profiles = [r for r in plan_runs(BOARD) if r.template == "jsna/area_profile.ipynb"]
    assert len(profiles) == 8
    for run in profiles:
        page = html_dir / f"{run.output}.html"
        area = BOARD.area(run.parameters["area_code"])
        parsed = _parse(page)
        assert parsed.h1 and area.name in parsed.h1[0], (page.name, parsed.h1)
        html = page.read_text(encoding="utf-8")
        assert f"<strong>{text.format_number(totals[area.code])}</strong>" in html, area.name
        others = [d.name for d in BOARD.children if d.name != area.name and d.name not in area.name]
        assert not any(f"{name} area profile" in parsed.h1[0] for name in others)


@pytest.mark.build
def test_no_script_style_or_font_is_loaded_from_another_host(html_dir: Path) -> None:
    offsite = {}
    for page in html_dir.rglob("*.html"):
        urls = [u for u in _parse(page).urls if re.match(r"^(https?:)?//", u)]
        if urls:
            offsite[str(page.relative_to(html_dir))] = urls
    assert offsite == {}
    for css in html_dir.rglob("*.css"):
        assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//", css.read_text(encoding="utf-8", errors="ignore")), css


@pytest.mark.build
def test_chart_pages_load_vega_once_and_others_not_at_all(html_dir: Path) -> None:
    for page in html_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        scripts = [u for u in _parse(page).urls if "vega-bundle.js" in u]
        assert len(scripts) == (1 if 'class="jsna-chart' in html else 0), page.name
    assert (html_dir / "_static" / "vega-bundle.js").stat().st_size > 500_000


@pytest.mark.build
def test_code_is_hidden_from_readers(html_dir: Path) -> None:
    html = (html_dir / f"{GENERATED}/jsna/01-demography.html").read_text(encoding="utf-8")
    assert "page.context(" not in html and "import jsna" not in html and "from jsna" not in html


@pytest.mark.build
def test_a_rebuild_with_no_change_executes_no_notebook(built_book: Path) -> None:
    manifest = json.loads((built_book / GENERATED / ".jsna-manifest.json").read_text())["runs"]
    stamps = {p: (built_book / f"{p}.ipynb").stat().st_mtime_ns for p in manifest}
    proc = jupyter_book(built_book)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "0 executed" in proc.stdout
    assert {p: (built_book / f"{p}.ipynb").stat().st_mtime_ns for p in manifest} == stamps


# --- failure ---------------------------------------------------------------------------


def _break_a_template(root: Path) -> None:
    """Add a chapter whose template raises, as the only run of a one-chapter edition."""
    nb = nbformat.read(root / "chapters/jsna/demography.ipynb", as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell('raise ValueError("deliberate failure")'))
    nbformat.write(nb, root / "chapters/jsna/broken.ipynb")
    cfg = yaml.safe_load((root / "data/boards/leicestershire.yml").read_text())
    cfg["editions"] = [{**cfg["editions"][0], "chapters": [{"slug": "broken", "template": "jsna/broken.ipynb"}]}]
    (root / "data/boards/leicestershire.yml").write_text(yaml.safe_dump(cfg, sort_keys=False))


def _published(root: Path) -> Path:
    site = root / "_build" / "html"
    site.mkdir(parents=True)
    (site / "index.html").write_text("last good build")
    return site


def test_failing_template_stops_jupyter_book_and_keeps_the_published_site(book_copy: Path) -> None:
    site = _published(book_copy)
    _break_a_template(book_copy)
    proc = jupyter_book(book_copy)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "chapters/jsna/broken.ipynb" in output
    assert "area_code='E10000018'" in output and "board='leicestershire'" in output
    assert "ValueError: deliberate failure" in output
    assert (site / "index.html").read_text() == "last good build"
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]


def test_failing_template_stops_jsna_build_with_exit_1(book_copy: Path) -> None:
    site = _published(book_copy)
    _break_a_template(book_copy)
    proc = subprocess.run([sys.executable, "-m", "jsna", "build", str(book_copy), "--jobs", "1"], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "chapters/jsna/broken.ipynb" in proc.stderr and "deliberate failure" in proc.stderr
    assert "cell [" in proc.stderr
    assert (site / "index.html").read_text() == "last good build"


# --- command line ----------------------------------------------------------------------


def test_cli_help_documents_every_command() -> None:
    out = subprocess.run([sys.executable, "-m", "jsna", "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("build", "check", "pdf"):
        assert re.search(rf"^\s+{command}\s+\S", out, re.M), command
        sub = subprocess.run([sys.executable, "-m", "jsna", command, "--help"], capture_output=True, text=True, check=True).stdout
        assert "usage: jsna " + command in sub
    build_help = subprocess.run([sys.executable, "-m", "jsna", "build", "--help"], capture_output=True, text=True).stdout
    assert "--jobs" in build_help


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", readme, re.S)
    assert len(blocks) >= 2
    build_cmd, test_cmd = blocks[0].strip(), blocks[1].strip()
    assert "\n" not in build_cmd and "\n" not in test_cmd
    assert "pip install -r requirements.txt" in build_cmd and "jupyter-book build ." in build_cmd
    assert "python -m pytest" in test_cmd
    prefix = readme.split("```")[0]
    assert prefix.count("\n") < 12, "the two commands must come first"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in ci.splitlines()


def test_build_environment_is_independent_of_the_working_directory(book_copy: Path) -> None:
    """The data folder comes from the book being built, not from wherever Python was started."""
    env = {**os.environ, "JSNA_DATA_DIR": str(book_copy / "data")}
    code = "from jsna import data; print(data.data_dir())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd="/", check=True).stdout
    assert out.strip() == str(book_copy / "data")
