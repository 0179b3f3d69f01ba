"""JSNA edition content: every chapter template runs, pages are well formed, figures come from data.

The `build`-marked tests share the session build of the whole book (tests/conftest.py).
Regression references live in tests/regression/; regenerate them after an intended change with
``JSNA_REGEN_REFERENCES=1 python -m pytest tests/test_jsna_chapters.py -k regression``.
"""

from __future__ import annotations

import os
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from jsna import text
from jsna.build import GENERATED, Run, execute_run, plan_runs
from jsna.config import load_board
from tests.conftest import REPO

BOARD = load_board(REPO / "data")
JSNA_RUNS = [r for r in plan_runs(BOARD) if r.parameters["edition"] == "jsna"]
REGRESSION = REPO / "tests" / "regression"
TOPIC_PAGES = {
    "overview": "Overview", "demography": "Demography", "staying-healthy": "Staying healthy, safe and well",
    "health-protection": "Health protection", "pharmacy": "Pharmaceutical needs", "living-well": "Living and supported well",
    "carers": "Carers",
}


# --------------------------------------------------------------------------- page parsing


class _Page(HTMLParser):
    """Headings (level, text), tables (rows of cell texts) of a built page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.tables: list[list[list[str]]] = []
        self._heading: int | None = None
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_main = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "article" and "bd-article" in (a.get("class") or ""):
            self._in_main = True
        if self._in_main and re.fullmatch(r"h[1-6]", tag):
            self._heading = int(tag[1])
            self.headings.append((self._heading, ""))
        if tag == "table":
            self.tables.append([])
        if tag == "tr" and self.tables:
            self._row = []
        if tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = None
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        if tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            level, t = self.headings[-1]
            self.headings[-1] = (level, t + data)
        if self._cell is not None:
            self._cell.append(data)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.headings = [(lvl, t.replace("#", "").strip()) for lvl, t in page.headings if t.strip() not in ("Contents", "")]
    return page


def page_for(html_dir: Path, run: Run) -> Path:
    return html_dir / f"{run.output}.html"


def row_with(page: _Page, first_cell: str, header: str | None = None, column: str = "") -> list[str]:
    """The first row starting with `first_cell`, in a table whose header starts with `header`
    and has a `column` heading, when these are given (chart data tables are skipped that way)."""
    for table in page.tables:
        if header is not None and (not table or table[0][:1] != [header]):
            continue
        if column and column not in table[0]:
            continue
        for row in table:
            if row and row[0] == first_cell:
                return row
    raise AssertionError(f"no table row starts with {first_cell!r}")


def slug_of(run: Run) -> str:
    return run.output.rsplit("/", 1)[-1].split("-", 1)[1]


# --------------------------------------------------------------------------- templates


def test_every_jsna_chapter_is_configured_and_exists() -> None:
    slugs = [slug_of(r) for r in JSNA_RUNS if "/profiles/" not in r.output]
    assert sorted(slugs) == sorted(["index", *TOPIC_PAGES])
    assert slugs[:2] == ["index", "demography"]  # page names 00-index and 01-demography are relied on
    assert len([r for r in JSNA_RUNS if "/profiles/" in r.output]) == 1 + len(BOARD.children)
    for run in JSNA_RUNS:
        assert (REPO / "chapters" / run.template).exists()


@pytest.mark.parametrize("path", sorted((REPO / "chapters" / "jsna").glob("*.ipynb")), ids=lambda p: p.name)
def test_templates_are_thin(path: Path) -> None:
    """A parameters cell, one import/context cell, then one call per code cell (no logic)."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert code[1].source.startswith("from jsna import page")
    for cell in code[2:]:
        lines = [ln for ln in cell.source.splitlines() if ln.strip()]
        assert len(lines) == 1 and re.fullmatch(r"[\w.]+\(.*\)", lines[0]), f"{path.name}: {cell.source!r}"
        assert not re.search(r"\b(for|if|while|lambda|import)\b", lines[0]), f"{path.name}: {cell.source!r}"
    first = next(c for c in code[2:])
    assert first.source.startswith("page.heading("), f"{path.name} must open with page.heading"


@pytest.mark.build
@pytest.mark.parametrize("run", JSNA_RUNS, ids=lambda r: r.label)
def test_each_template_executes_for_its_parameters(built_book: Path, run: Run) -> None:
    nb = nbformat.read(built_book / f"{run.output}.ipynb", as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "## Data and methods" in markdown
    assert "This chapter was generated from the data snapshot of" in markdown


# --------------------------------------------------------------------------- charts come from the catalogue


def test_chapters_draw_no_charts_of_their_own() -> None:
    """One way of charting: chapter modules call jsna.charts and never Altair directly."""
    chapters = REPO / "src" / "jsna" / "chapters"
    assert not (chapters / "visuals.py").exists()
    for path in chapters.glob("*.py"):
        assert not re.search(r"^\s*(import altair|from altair)", path.read_text(encoding="utf-8"), re.M), path.name


def test_spine_chart_says_which_range_it_shows() -> None:
    from jsna.chapters import overview
    from jsna.page import context

    ctx = context("leicestershire", "jsna", BOARD.root.code, "2025", "draft", "overview")
    fig = overview.spine_figure(ctx)
    n = len(BOARD.children)
    assert f"range across the {n} {BOARD.place} districts" in fig.note
    assert f"range is across the {n} {BOARD.place} districts, not all areas of England" in fig.alt_text
    assert "not tested for significance" in fig.title  # the health-profile table publishes no intervals
    shown = fig.display_table()
    assert (shown["Compared with England"] == "Not compared").all()


def test_district_charts_name_their_source_and_period_and_where_the_tables_differ() -> None:
    """The spine and district charts draw the health-profile table (the only one with every district, and
    no periods); the title, alt text and data table say so, and the note gives the figures the tables
    show instead (another source and period), so no figure appears twice on a page unexplained."""
    from jsna.chapters import indicators, overview, profile
    from jsna.page import context

    ctx = context("leicestershire", "jsna", BOARD.root.code, "2025", "draft", "overview")
    fig = overview.spine_figure(ctx)
    drawn = "OHID Health Profiles 2025, period not stated in source"
    assert fig.title.endswith(f"({drawn})") and drawn in fig.alt_text, (fig.title, fig.alt_text[:200])
    shown = fig.display_table().set_index("Indicator")
    assert (shown["Period"] == "not stated in source").all() and (shown["Source"] == "OHID Health Profiles 2025").all()
    assert shown.loc["Alcohol-related admissions", "Leicestershire value"] == "467.0"
    table = overview.frame(ctx).set_index("indicator_id").loc["alcohol_admissions_narrow"]
    assert (table["value"], table["period"], table["source_id"]) == (503.4, "2023/24", "lcc_jhws_shsw_dashboard_2026")
    assert "so they differ from this chart for 8 indicators. From Leicestershire JHWS SHSW dashboard (April 2026)" in fig.note
    assert "Alcohol-related admissions 503.4 per 100,000 against England's 504.1 per 100,000 (2023/24)" in fig.note
    assert "From UKHSA/NHS England via Fingertips: TB incidence 4.7 per 100,000" in fig.note
    assert "Life expectancy" not in fig.note  # the tables show the drawn figure: nothing to explain
    bars = indicators.compare_areas_figure(ctx.board, "life_expectancy_female")
    assert bars.title.endswith(f"({drawn})") and set(bars.display_table()["Period"]) == {"not stated in source"}
    assert "tables below" not in bars.note
    melton = profile.spine_figure(context("leicestershire", "jsna", "E07000133", "2025", "draft", "profiles"))
    assert "tables below" not in melton.note  # Melton's table holds the same health-profile figures


def test_bcf_chart_keeps_each_years_own_return() -> None:
    from jsna.chapters import living_well
    from jsna.page import context

    ctx = context("leicestershire", "jsna", BOARD.root.code, "2025", "draft")
    rows = living_well.chart_rows(ctx)
    assert not rows.duplicated(["metric", "year"]).any()
    res = rows[rows["metric"] == "residential_nursing_admissions_65plus"].set_index("year")
    assert res.loc["2023-24", "source_id"] == "lcc_hwb_annual_report_2023_24" and res.loc["2023-24", "actual"] == 510.8
    assert res.loc["2024-25", "source_id"] == "lcc_bcf_2024_25_year_end" and res.loc["2024-25", "actual"] == 583.8
    fig = living_well.metrics_figure(ctx)
    assert "that year's own return" in fig.note


def test_percentages_with_counts_are_trend_tested_as_proportions() -> None:
    """Seed 003 prints screening counts and percentages but no denominators. With its intervals
    taken away the county's breast screening series still gets the marker the seed prints
    (seed L4346-L4350), so the count-based chi-square test is used, not the interval regression;
    a missing year among the latest five is a break and is not tested."""
    from jsna.chapters import indicators

    cat = indicators.catalogue()
    series = cat[(cat["indicator_id"] == "screening_breast") & (cat["area_code"] == BOARD.root.code)]
    series = series.assign(_k=series["period"].map(indicators.period_key)).sort_values("_k")
    assert series["denominator"].isna().all() and series["count"].notna().all()
    meta = series.drop_duplicates("indicator_id")[["indicator_id", "polarity", "value_type"]]
    no_intervals = series.assign(lower_ci95=float("nan"), upper_ci95=float("nan"))
    got = indicators.series_trends(no_intervals, meta).iloc[0]
    assert (got["trend"], got["method"]) == ("increasing_better", "chi_square")
    broken = series.assign(value=series["value"].where(series["period"] != series["period"].iloc[-3]))
    assert indicators.series_trends(broken, meta).iloc[0]["trend"] == "cannot_calculate"


# --------------------------------------------------------------------------- built pages


@pytest.mark.build
@pytest.mark.parametrize("run", JSNA_RUNS, ids=lambda r: r.label)
def test_pages_have_ordered_headings_and_no_empty_tables(html_dir: Path, run: Run) -> None:
    page = parse(page_for(html_dir, run))
    levels = [lvl for lvl, _ in page.headings]
    assert levels and levels[0] == 1 and levels.count(1) == 1, page.headings
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"heading jumps from h{before} to h{after} in {run.label}: {page.headings}"
    titles = [t for _, t in page.headings]
    for needed in ("Data and methods", "Sources", "Methods"):
        assert needed in titles, (run.label, titles)
    assert page.tables, f"{run.label} shows no table"
    for table in page.tables:
        body = [row for row in table[1:] if any(cell for cell in row)]
        assert body, f"empty table in {run.label}"
    html = page_for(html_dir, run).read_text(encoding="utf-8")
    assert html.count('class="jsna-source"') >= len(page.tables) - html.count("<details>"), "a table lacks its source line"


@pytest.mark.build
def test_topic_pages_are_titled_and_open_with_key_findings(html_dir: Path) -> None:
    for run in JSNA_RUNS:
        slug = slug_of(run)
        if slug not in TOPIC_PAGES:
            continue
        page = parse(page_for(html_dir, run))
        assert page.headings[0][1].startswith(TOPIC_PAGES[slug]), page.headings[0]
        assert page.headings[1] == (2, "Key findings"), (slug, page.headings[:3])


@pytest.mark.build
def test_spot_values_from_the_seeds(html_dir: Path) -> None:
    pages = {slug_of(r): r for r in JSNA_RUNS}
    hp = parse(page_for(html_dir, pages["health-protection"]))
    mmr2 = next(r for t in hp.tables if t and "Against the goal" in t[0] for r in t if r[0] == "MMR2 at 5 years")
    assert mmr2[1] == "91.0%", mmr2
    header = next(t[0] for t in hp.tables if t and t[0][0] == "Vaccine and age" and "Against the goal" in t[0])
    assert header == ["Vaccine and age", "Leicestershire", "East Midlands", "England", "Against the goal"], header
    assert mmr2[3] == "83.7%" and mmr2[4] == "Between 90% and 95%", mmr2
    shsw = parse(page_for(html_dir, pages["staying-healthy"]))
    smoking = row_with(shsw, "Adult smoking prevalence", header="Indicator", column="Nearest-neighbour rank")
    assert smoking[:4] == ["Adult smoking prevalence", "2024", "7.4%", "10.4%"], smoking
    assert smoking[4] == "Better (not tested)" and smoking[6] == "2nd of 16", smoking
    assert smoking[7] == "Leicestershire JHWS SHSW dashboard (April 2026), from OHID Fingertips", smoking
    html = page_for(html_dir, pages["health-protection"]).read_text(encoding="utf-8")
    assert "Childhood vaccination coverage, 2024/25" in html


@pytest.mark.build
def test_profiles_show_their_own_indicator_values_and_note_the_missing_ones(html_dir: Path, built_book: Path) -> None:
    ind = pd.read_csv(built_book / "data/indicators.csv")
    for run in [r for r in JSNA_RUNS if "/profiles/" in r.output]:
        area = BOARD.area(run.parameters["area_code"])
        page = parse(page_for(html_dir, run))
        header = next(t[0] for t in page.tables if t and t[0][0] == "Indicator" and "Unit" not in t[0])  # not the spine chart's data
        assert header[2] == area.name, header
        deprivation = ind.query("indicator_id == 'imd_score' and area_code == @area.code")["value"].iloc[0]
        assert row_with(page, "Deprivation score (IMD 2019)", header="Indicator", column=area.name)[2] == text.format_number(deprivation, 1)
        for table in page.tables:
            for row in table[1:]:
                assert "not available" not in row[2:3], f"{area.name}: blank indicator row {row}"
        html = page_for(html_dir, run).read_text(encoding="utf-8")
        if run.parameters["area_code"] != BOARD.root.code:
            assert f"have no value for {area.name} and are left out of the table" in html


INDICATOR_PAGES = [r for r in JSNA_RUNS if "/profiles/" in r.output or slug_of(r) in ("overview", "staying-healthy")]
_NUMBER = re.compile(r"^-?[\d,]+(?:\.\d+)?")
_FINDING = re.compile(r"^[ \t]*(?:-|\d+\.) (?P<name>[^*\n]+?)(?: is a strength| needs attention)?: \*\*(?P<value>[^*]+)\*\*"
                      r"(?: \((?P<period>[^)]*)\))?(?P<rest>.*)$", re.M)


def _indicator_rows(page: _Page, area: str) -> list[dict]:
    """Every indicator row of the page's indicator tables and chart data tables: name, the area's
    value as shown, period and source (empty strings where the table has no such column)."""
    out = []
    for table in page.tables:
        head = table[0] if table else []
        if not head or head[0] != "Indicator" or not ({area, f"{area} value"} & set(head)):
            continue
        at = head.index(area) if area in head else head.index(f"{area} value")
        cells = {c: head.index(c) for c in ("Period", "Source") if c in head}
        for row in table[1:]:
            out.append({"name": row[0], "value": row[at], "period": row[cells["Period"]] if "Period" in cells else "",
                        "source": row[cells["Source"]] if "Source" in cells else ""})
    return out


@pytest.mark.build
@pytest.mark.parametrize("run", INDICATOR_PAGES, ids=lambda r: r.label)
def test_every_indicator_value_states_its_period_and_source_and_repeats_are_explained(html_dir: Path, run: Run) -> None:
    """On the indicator pages each value shown in a table or chart data table has a period ("not stated in
    source" where the source gives none) and a source; one name never has two values for the same period
    and source; and where a name has two figures, the chart note gives the tables' figure and its period."""
    area = BOARD.area(run.parameters["area_code"]).name
    html = page_for(html_dir, run).read_text(encoding="utf-8")
    rows = _indicator_rows(parse(page_for(html_dir, run)), area)
    assert rows, run.label
    figures: dict[str, dict[tuple[str, str], set[str]]] = {}
    for r in rows:
        assert r["period"] and r["source"], f"{run.label}: {r['name']} = {r['value']} without its period or source"
        number = _NUMBER.match(r["value"])
        assert number, r
        figures.setdefault(r["name"], {}).setdefault((r["period"], r["source"]), set()).add(number.group(0))
    notes = " ".join(unescape(n) for n in re.findall(r'<p class="jsna-chart-note">(.*?)</p>', html, re.S))
    for name, by_provenance in figures.items():
        for provenance, numbers in by_provenance.items():
            assert len(numbers) == 1, f"{run.label}: {name} shows {sorted(numbers)} for the same {provenance}"
        if len({n for numbers in by_provenance.values() for n in numbers}) > 1:
            dated = [r for r in rows if r["name"] == name and r["period"] != "not stated in source"]
            assert dated and all(f"{name} {r['value']} against" in notes and f"({r['period']})" in notes for r in dated), (
                f"{run.label}: {name} shows two figures and no chart note says why")


@pytest.mark.build
@pytest.mark.parametrize("run", INDICATOR_PAGES, ids=lambda r: r.label)
def test_key_findings_quote_the_tables_figure_with_its_period_and_source(built_book: Path, html_dir: Path, run: Run) -> None:
    area = BOARD.area(run.parameters["area_code"]).name
    table = {(r["name"], r["period"]): r for r in _indicator_rows(parse(page_for(html_dir, run)), area)}
    nb = nbformat.read(built_book / f"{run.output}.ipynb", as_version=4)
    block = next(c.source for c in nb.cells if c.cell_type == "markdown" and c.source.startswith(("## Key findings", "## Summary")))
    quoted = list(_FINDING.finditer(block))
    assert quoted, block
    for f in quoted:
        assert f["period"], f"{run.label}: {f[0]!r} gives no period"
        period = f["period"].removeprefix("period ") if f["period"] == "period not stated in source" else f["period"]
        row = table.get((f["name"], period))
        assert row and row["value"] == f["value"], f"{run.label}: {f[0]!r} is not the tables' figure {row}"
        cited = f"source: {row['source']}." in f["rest"] or f"Every figure quoted above is from {row['source']}." in block
        assert cited, f"{run.label}: {f[0]!r} does not name its source {row['source']!r}"


@pytest.mark.build
def test_landing_page_shows_the_chapter_register(html_dir: Path, built_book: Path) -> None:
    reg = pd.read_csv(built_book / "data/jsna_chapter_register.csv")
    page = parse(page_for(html_dir, JSNA_RUNS[0]))
    for r in reg.itertuples():
        row = row_with(page, r.title, header="Title")
        if r.status == "approved":
            assert row[3] == f"Approved {r.approved_month} {int(r.approved_year)}", row
        if r.status == "in development":
            assert row[2] == "In development", row


# --------------------------------------------------------------------------- generated prose follows the data


def _markdown(book: Path, run: Run) -> str:
    nb = nbformat.read(book / f"{run.output}.ipynb", as_version=4)
    parts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    for c in nb.cells:
        for o in c.get("outputs", []):
            parts.append(o.get("data", {}).get("text/html", ""))
    return "\n".join(parts)


def test_changing_a_value_changes_the_sentence_and_the_comparison_word(book_copy: Path) -> None:
    path = book_copy / "data" / "indicators.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    mask = (df["indicator_id"] == "smoking_prevalence_adults") & (df["area_code"] == BOARD.root.code) & (df["period"] == "2024") & (df["sex"] == "Persons")
    assert df.loc[mask, "value"].tolist() == ["7.4"]
    df.loc[mask, "value"] = "12.6"  # England is 10.4: the county now sits above it, on the worse side
    df.to_csv(path, index=False)
    run = Run("jsna/staying_healthy.ipynb", f"{GENERATED}/test/staying-healthy", {
        "board": "leicestershire", "edition": "jsna", "area_code": BOARD.root.code, "period": "2025", "status": "draft"})
    execute_run(str(book_copy), run)
    out = re.sub(r"<td [^>]*>", "<td>", _markdown(book_copy, run))  # cells compared without their alignment class
    assert "Adult smoking prevalence: **12.6%** (2024), higher than England (worse; not tested for significance) at 10.4%" in out
    assert "<td>12.6%</td><td>10.4%</td><td>Worse (not tested)</td>" in out
    assert "<td>7.4%</td>" not in out and "**7.4%**" not in out


# --------------------------------------------------------------------------- regression references

MASKS = (
    ("/cells/*/outputs/*/data/text/markdown", r"\d{4}-\d{2}-\d{2}", "DATE"),
    ("/cells/*/outputs/*/data/text/html", r"0x[0-9a-f]+", "ADDRESS"),
)
IGNORE = (
    "/metadata",
    "/cells/*/metadata",
    "/cells/*/execution_count",
    "/cells/*/outputs/*/execution_count",
    "/cells/*/outputs/*/data/text/plain",
)
REPRESENTATIVES = {
    "topic_pharmacy": ("jsna/pharmacy.ipynb", BOARD.root.code),
    "profile_melton": ("jsna/area_profile.ipynb", "E07000133"),
    "landing": ("jsna/index.ipynb", BOARD.root.code),
}


def _with_parameters(template: str, area_code: str) -> nbformat.NotebookNode:
    nb = nbformat.read(REPO / "chapters" / template, as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source = re.sub(r'^area_code = ".*"$', f'area_code = "{area_code}"', params.source, flags=re.M)
    return nb


@pytest.mark.parametrize("name", sorted(REPRESENTATIVES))
def test_regression_of_executed_output(nb_regression, name: str) -> None:
    template, area = REPRESENTATIVES[name]
    reference = REGRESSION / f"{name}.ipynb"
    fresh = _with_parameters(template, area)
    regen = os.environ.get("JSNA_REGEN_REFERENCES") == "1" or not reference.exists()
    if regen:
        REGRESSION.mkdir(exist_ok=True)
        nbformat.write(fresh, reference)
    stored = nbformat.read(reference, as_version=4)
    assert [c.source for c in stored.cells] == [c.source for c in fresh.cells], (
        f"{reference.name} is out of date with chapters/{template}; regenerate it (see module docstring)")
    nb_regression.exec_cwd = str(REPO)
    nb_regression.exec_env = {**os.environ, "JSNA_DATA_DIR": str(REPO / "data")}
    nb_regression.exec_timeout = 300
    nb_regression.diff_replace = MASKS
    nb_regression.diff_ignore = IGNORE
    nb_regression.force_regen = regen
    nb_regression.check(str(reference))
