"""Tests for jsna.qa: the bad-input corpus, each quality rule on a seeded defect, acknowledgements."""

from __future__ import annotations

import ast
import importlib
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pandas as pd
import pytest

from jsna import cli, qa
from jsna.config import load_board

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
BAD = Path(__file__).parent / "data" / "bad"

# bad file -> (rule, file line, column) that the finding must name
EXPECTED = {
    "missing_column__areas.csv": ("schema:required_column", 1, "area_type"),
    "wrong_type__population.csv": ("schema:type_int", 3, "year"),
    "negative_count__population.csv": ("schema:non_negative", 4, "population"),
    "numerator_over_denominator__indicators.csv": ("schema:count <= denominator", 6, "count,denominator"),
    "ci_not_bracketing__indicators.csv": ("schema:lower_ci95 <= value", 6, "lower_ci95,value"),
    "unknown_area_code__population.csv": ("schema:known_reference", 5, "area_code"),
    "duplicate_key__areas.csv": ("schema:unique_key", 4, "area_code"),
    "empty_file__areas.csv": ("schema:non_empty_file", 1, "(header)"),
    "wrong_encoding__areas.csv": ("schema:utf8_encoding", 5, "area_name"),
    "extra_header_line__population.csv": ("schema:required_column", 1, "area_code"),
    "thousands_separator__population.csv": ("schema:type_int", 3, "population"),
    "percent_sign__indicators.csv": ("schema:type_float", 6, "value"),
    "malformed_yaml__sources.yml": ("schema:yaml_syntax", 4, "char 9"),
    "bad_polarity__indicator_meta.csv": ("schema:polarity_vocabulary", 2, "polarity"),
    "bad_gss_code__areas.csv": ("schema:gss_code", 4, "area_code"),
    "proportion_over_100__indicators.csv": ("proportion_in_range", 6, "value"),
    "bad_boolean__bcf_income.csv": ("schema:type_bool", 3, "is_total"),
    "bad_financial_year__bcf_metrics.csv": ("schema:financial_year", 4, "year"),
    "hai_over_total__hcai.csv": ("schema:healthcare_associated <= total_infections", 4, "healthcare_associated,total_infections"),
}


def _copy_data(dest: Path) -> Path:
    """The reference board's tables, with its board file (whose areas say which totals nest)."""
    for f in DATA.glob("*.*"):
        shutil.copy(f, dest)
    (dest / "boards").mkdir()
    shutil.copy(DATA / "boards" / "leicestershire.yml", dest / "boards")
    return dest


@pytest.fixture()
def tmp_data(tmp_path: Path) -> Path:
    return _copy_data(tmp_path)


def test_corpus_is_complete():
    assert len(list(BAD.iterdir())) >= 12
    assert {p.name for p in BAD.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("bad", sorted(EXPECTED))
def test_bad_file_fails_check_naming_file_row_column(bad, tmp_data, capsys):
    target = bad.split("__")[1]
    shutil.copy(BAD / bad, tmp_data / target)
    assert qa.main(tmp_data) == 1
    out = capsys.readouterr().out
    assert "FAILED" in out and target in out
    rule, row, column = EXPECTED[bad]
    hits = [f for f in qa.check(tmp_data).errors if f.file == target and f.rule == rule]
    assert hits, f"no {rule} finding for {target}"
    assert any(f.row == row and f.column == column for f in hits), [(f.row, f.column) for f in hits]


def test_real_data_passes_and_finds_the_seeds_own_inconsistencies():
    report = qa.check(DATA)
    assert report.errors == []
    found = {(f.rule, f.file, f.row) for f in report.accepted}
    assert ("totals_match_parts", "population.csv", 48) in found   # county 16-64 is not the sum of districts
    assert ("totals_match_parts", "population.csv", 51) in found   # county age bands do not sum to all ages
    assert ("shares_match_parts", "population.csv", 47) in found   # county 0-15 share misprinted
    assert ("total_row_matches_parts", "bcf_expenditure.csv", 9) in found  # 2024-25 income total £90,000 out
    assert ("total_row_matches_parts", "bcf_income.csv", 7) in found  # 2023-24 total £1 under its parts
    assert ("same_figure_agrees", "bcf_metrics.csv", 14) in found  # 2023-24 residential 510.8 vs 509.8
    assert ("rate_matches_count", "bcf_metric_rates.csv", 18) in found  # 785 / 157,349 is not 509.8
    assert ("row_total_matches_parts", "pharmacy_opening_hours.csv", 9) in found  # 1 + 117 + 16 != 133
    assert any(f.rule == "period_and_unit_present" for f in report.warnings)  # PNA table 3 has no periods


def test_main_returns_zero_on_real_data(capsys):
    assert qa.main(DATA) == 0
    assert "OK:" in capsys.readouterr().out


# --------------------------------------------------------------------------- one test per rule


def _edit(path: Path, fn) -> None:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    fn(df)
    df.to_csv(path, index=False)


def _rules(report: qa.Report, rule: str) -> list[qa.Finding]:
    return [f for f in report.findings if f.rule == rule and not f.accepted]


def test_rule_totals_match_parts(tmp_data):
    (tmp_data / "qa_accepted.yml").unlink()

    def bump(df):  # Blaby 0-15 up by 5,000 -> county 0-15 no longer the sum of districts
        i = df.index[(df.area_code == "E07000129") & (df.age_band == "0-15")][0]
        df.loc[i, "population"] = str(int(df.loc[i, "population"]) + 5000)

    _edit(tmp_data / "population.csv", bump)
    found = _rules(qa.check(tmp_data), "totals_match_parts")
    assert any("age_band=0-15" in f.message and f.file == "population.csv" for f in found)


def test_totals_nest_as_the_board_says(tmp_data):
    """The board's own area is checked against the areas of its level below; a folder that no board
    names has no known nesting, so only the age bands are summed there."""
    board, problems = qa.board_of(tmp_data)
    assert problems == [] and board is not None and board.data_dir == tmp_data.resolve()
    (tmp_data / "qa_accepted.yml").unlink()
    nested = {f.row for f in _rules(qa.check(tmp_data), "totals_match_parts") if "child areas" in f.message}
    assert 48 in nested
    shutil.rmtree(tmp_data / "boards")
    assert qa.board_of(tmp_data) == (None, [])
    assert [f for f in _rules(qa.check(tmp_data), "totals_match_parts") if "child areas" in f.message] == []


def test_a_board_file_that_cannot_be_read_is_a_finding(tmp_data):
    (tmp_data / "boards" / "broken.yml").write_text("board: [\n")
    found = [f for f in qa.check(tmp_data).errors if f.rule == "board_readable"]
    assert [(f.file, f.row) for f in found] == [("boards/broken.yml", 0)]


def test_rule_shares_match_parts(tmp_data):
    _edit(tmp_data / "population.csv", lambda df: df.__setitem__("share_pct", df["share_pct"].replace("18.8", "28.8")))
    found = _rules(qa.check(tmp_data), "shares_match_parts")
    assert any("E07000129" in f.message and f.column == "share_pct" for f in found)


def test_rule_same_figure_agrees(tmp_data):
    def change(df):  # the sexual health appendix repeats the dashboard's chlamydia rate; make it disagree
        i = df.index[(df.indicator_id == "chlamydia_detection_15_24") & (df.source_id == "ukhsa_hpar_2025_sexual_health")
                     & (df.area_code == "E10000018")][0]
        df.loc[i, "value"] = "1664"

    _edit(tmp_data / "indicators.csv", change)
    found = _rules(qa.check(tmp_data), "same_figure_agrees")
    assert any("chlamydia_detection_15_24" in f.message for f in found)


def test_rule_rate_matches_count(tmp_data):
    def add(df):
        i = df.index[(df.indicator_id == "screening_nipe") & (df.period == "2024/25") & (df.area_code == "E10000018")][0]
        df.loc[i, "denominator"] = "7000"  # 5943 / 7000 = 84.9%, printed 96.0

    _edit(tmp_data / "indicators.csv", add)
    found = _rules(qa.check(tmp_data), "rate_matches_count")
    assert len(found) == 1 and "5,943" in found[0].message


def test_rule_no_duplicate_rows(tmp_data):
    lines = (tmp_data / "areas.csv").read_text().splitlines()
    (tmp_data / "areas.csv").write_text("\n".join(lines + [lines[-1]]) + "\n")
    report = qa.check(tmp_data)
    assert any(f.file == "areas.csv" and f.row == len(lines) + 1 for f in report.errors)
    found = qa.rule_no_duplicate_rows({"t": qa.Table("t", pd.DataFrame({"a": [1, 2, 1]}), [2, 3, 4])})
    assert [(f.row, f.message) for f in found] == [(4, "row repeats row 2 in every column")]


def test_rule_period_and_unit_present():
    df = pd.DataFrame({"period": ["2024", None], "value": [1.0, 2.0]})
    found = qa.rule_period_and_unit_present({"t": qa.Table("t", df, [2, 3])})
    assert found and found[0].row == 3 and found[0].severity == "warning"


def test_rule_small_counts_suppressed(monkeypatch):
    from jsna.schemas import SCHEMAS

    monkeypatch.setitem(SCHEMAS["indicators"].metadata, "disclosive", True)
    df = pd.DataFrame({"count": pd.array([12, 3, 0, None], dtype="Int64")})
    found = qa.rule_small_counts_suppressed({"indicators": qa.Table("indicators", df, [2, 3, 4, 5])})
    assert [(f.row, f.column) for f in found] == [(3, "count")]


def test_rule_indicator_has_metadata(tmp_data):
    _edit(tmp_data / "indicators.csv", lambda df: df.__setitem__("indicator_id", df["indicator_id"].replace("tb_incidence", "tb_new")))
    found = _rules(qa.check(tmp_data), "indicator_has_metadata")
    assert any(f.severity == "error" and "tb_new" in f.message for f in found)
    assert any(f.severity == "warning" and "tb_incidence" in f.message for f in found)


def test_rule_proportion_in_range():
    ind = pd.DataFrame({"indicator_id": ["p", "r"], "value": [101.0, 500.0], "lower_ci95": [None, None],
                        "upper_ci95": [None, None], "lower_ci99_8": [None, None], "upper_ci99_8": [None, None]})
    meta = pd.DataFrame({"indicator_id": ["p", "r"], "value_type": ["proportion", "crude_rate"]})
    found = qa.rule_proportion_in_range({"indicators": qa.Table("indicators", ind, [2, 3]),
                                         "indicator_meta": qa.Table("indicator_meta", meta, [2, 3])})
    assert [(f.row, f.column) for f in found] == [(2, "value")]


def test_rule_total_row_matches_parts(tmp_data):
    def bump(df):  # 2025-26 ICB contribution up by £1,000: the printed total no longer adds up
        i = df.index[(df.year == "2025-26") & (df.stream_id == "nhs_minimum")][0]
        df.loc[i, "planned_income_gbp"] = str(int(df.loc[i, "planned_income_gbp"]) + 1000)

    _edit(tmp_data / "bcf_income.csv", bump)
    found = _rules(qa.check(tmp_data), "total_row_matches_parts")
    assert [(f.file, f.column) for f in found] == [("bcf_income.csv", "planned_income_gbp")]
    assert "difference 1,000" in found[0].message


def test_rule_total_row_skips_incomplete_parts():
    df = pd.DataFrame({"year": ["y"] * 3, "is_total": pd.array([False, False, True], dtype="boolean"),
                       "planned_income_gbp": [1.0, 2.0, 3.0], "updated_income_gbp": [None, 2.0, 9.0]})
    found = qa.rule_total_row_matches_parts({"bcf_income": qa.Table("bcf_income", df, [2, 3, 4])})
    assert found == []


def test_rule_row_total_matches_parts():
    df = pd.DataFrame({"pharmacies_under_40_hours": pd.array([None, 1], dtype="Int64"),
                       "pharmacies_40_to_71_hours": pd.array([18, 10], dtype="Int64"),
                       "pharmacies_72_to_100_hours": pd.array([3, 2], dtype="Int64"),
                       "pharmacies_total": pd.array([21, 14], dtype="Int64")})
    t = qa.Table("pharmacy_opening_hours", df, [2, 3])
    found = qa.rule_row_total_matches_parts({t.name: t})
    assert [(f.row, f.column) for f in found] == [(3, "pharmacies_total")]


def test_rule_declared_rate_matches(tmp_data):
    _edit(tmp_data / "pharmacies.csv", lambda df: df.__setitem__("pharmacies_per_10000", df["pharmacies_per_10000"].replace("2.3", "3.2")))
    found = _rules(qa.check(tmp_data), "rate_matches_count")
    assert [(f.file, f.row, f.column) for f in found] == [("pharmacies.csv", 3, "pharmacies_per_10000")]


def test_rule_population_agrees(tmp_data):
    def change(df):  # a 65+ denominator of 163,982 for mid-2023 against 154,000 in population.csv
        df.loc[df.denominator == "153982", "denominator"] = "163982"

    _edit(tmp_data / "bcf_metric_rates.csv", change)
    found = _rules(qa.check(tmp_data), "population_agrees")
    assert found and all(f.file == "bcf_metric_rates.csv" and "154,000" in f.message for f in found)


def test_rule_figure_agrees_across_tables(tmp_data):
    def change(df):  # Charnwood pharmacies 43 in Table 13 but 45 in Table 14
        i = df.index[df.area_code == "E07000130"][0]
        df.loc[i, "pharmacies_total"] = "45"
        df.loc[i, "pharmacies_40_to_71_hours"] = "39"

    _edit(tmp_data / "pharmacy_opening_hours.csv", change)
    found = _rules(qa.check(tmp_data), "figure_agrees_across_tables")
    assert [(f.file, f.row) for f in found] == [("pharmacies.csv", 3)]
    assert "43 here but 45" in found[0].message


def test_dfg_allocation_of_the_boards_own_area_agrees_with_the_plan(tmp_data):
    root = load_board(DATA).root.code

    def change(df):  # the board area's 2025-26 allocation no longer what the plan says it receives
        i = df.index[(df.area_code == root) & (df.year == "2025-26")][0]
        df.loc[i, "dfg_allocation_gbp"] = "5518000"

    _edit(tmp_data / "dfg_by_area.csv", change)
    found = [f for f in _rules(qa.check(tmp_data), "figure_agrees_across_tables") if "DFG" in f.message]
    assert [(f.file, f.column) for f in found] == [("bcf_expenditure.csv", "income_gbp")]
    assert "5,518,288 here but 5,518,000 in dfg_by_area.csv" in found[0].message
    shutil.rmtree(tmp_data / "boards")  # no board: no own area to compare
    assert [f for f in _rules(qa.check(tmp_data), "figure_agrees_across_tables") if "DFG" in f.message] == []


def test_rule_same_figure_allows_stated_rounding():
    df = pd.DataFrame({"k": ["a", "a", "b", "b"], "value": [64500.0, 64537.0, 64500.0, 64700.0],
                       "rounded_to": pd.array([100, 1, 100, 1], dtype="Int64"), "source_id": ["t6", "t7", "t6", "t7"]})
    from jsna.schemas import SCHEMAS

    name = "population_projections"
    meta = SCHEMAS[name].metadata
    t = qa.Table(name, df.rename(columns={"k": "area_code"}).assign(age_band="All ages", measure="change", period="p"), [2, 3, 4, 5])
    assert meta["value"] == "value"
    found = qa.rule_same_figure_agrees({name: t})
    assert [f.row for f in found] == [5]


# --------------------------------------------------------------------------- acknowledgements and output


def test_unacknowledged_seed_inconsistency_blocks(tmp_data):
    (tmp_data / "qa_accepted.yml").unlink()
    report = qa.check(tmp_data)
    assert {f.rule for f in report.errors} >= {"totals_match_parts", "shares_match_parts"}
    assert qa.main(tmp_data) == 1


def test_stale_acknowledgement_is_reported(tmp_data):
    with (tmp_data / "qa_accepted.yml").open("a") as fh:
        fh.write("- rule: totals_match_parts\n  table: population\n  row: 2\n  reason: old\n  who: me\n  when: 2026-01-01\n")
    stale = [f for f in qa.check(tmp_data).findings if f.rule == "accepted_still_matches"]
    assert len(stale) == 1 and "row 2" in stale[0].message


def test_findings_markdown_lists_open_and_acknowledged():
    md = qa.findings_markdown(qa.check(DATA))
    assert "| Rule | Severity | File | Row | Column | Finding |" in md
    assert "Acknowledged inconsistencies" in md and "460.0" in md


def test_cli_check(tmp_data):
    shutil.copy(BAD / "negative_count__population.csv", tmp_data / "population.csv")
    res = subprocess.run([sys.executable, "-m", "jsna", "check", "--data-dir", str(tmp_data)], capture_output=True, text=True, check=False)
    assert res.returncode == 1
    assert "population.csv" in res.stdout


def test_acknowledgement_helpers_match_rule_table_row_and_column():
    acks, problems = qa.load_acknowledgements(DATA)
    assert problems == [] and len(acks) >= 10
    f = qa.Finding("total_row_matches_parts", "error", "bcf_income.csv", 7, "planned_income_gbp", "m")
    n = qa.acknowledgement_for(f, acks)
    assert n is not None and "seed 004 line 838" in qa.acknowledgement_text(acks[n])
    assert qa.acknowledgement_for(qa.Finding("total_row_matches_parts", "error", "bcf_income.csv", 8, "planned_income_gbp", "m"), acks) is None
    assert not qa.acknowledges({"rule": "x", "table": "t", "column": "a"}, qa.Finding("x", "error", "t.csv", 1, "b", "m"))
    assert qa.acknowledges({"rule": "x", "table": "t"}, qa.Finding("x", "error", "t.csv", 1, "b", "m"))


# --------------------------------------------------------------------------- checks registered by pages


def test_registered_checks_run_on_every_chapter_of_their_template(monkeypatch):
    board = load_board(DATA)
    seen = []

    def check(b, edition, chapter):
        seen.append((edition.id, chapter.slug))
        return [qa.Finding("r", "warning", "f.csv", 1, "c", "same for every chapter")]

    monkeypatch.setitem(qa.CHECKS, "jsna/pharmacy.ipynb", [])
    assert qa.register("jsna/pharmacy.ipynb", check) is check
    qa.register("jsna/pharmacy.ipynb", check)  # once only
    assert qa.CHECKS["jsna/pharmacy.ipynb"] == [check]
    assert qa.edition_findings(board, "jsna") == [qa.Finding("r", "warning", "f.csv", 1, "c", "same for every chapter")]
    assert seen == [("jsna", "pharmacy")]
    assert qa.edition_findings(board, "annual-report-2023-24") == []  # the report's own check finds nothing open there


def test_modules_that_register_are_found_through_entry_points(monkeypatch):
    loaded = []

    class Entry:
        def load(self):
            loaded.append(True)

    monkeypatch.setattr(qa, "entry_points", lambda group: [Entry()] if group == qa.ENTRY_POINTS else [])
    monkeypatch.setattr(qa, "CHECKS", {})
    assert qa.edition_findings(load_board(DATA)) == [] and loaded == [True]


def test_the_package_declares_the_reports_checks():
    """A fresh `jsna check` imports the annual report through the jsna.checks entry point, which registers its check."""
    assert "jsna.chapters.annual_report" in {e.value for e in entry_points(group=qa.ENTRY_POINTS)}


def test_cli_check_reports_the_pages_findings(tmp_path, monkeypatch, capsys):
    """`jsna check` gets the report's prose findings from qa (the report registered on import), naming file and line."""
    import jsna.chapters.annual_report  # noqa: F401  (registers its check, as the entry point does in a fresh process)

    root = tmp_path / "book"
    shutil.copytree(DATA, root / "data", ignore=shutil.ignore_patterns("extract"))
    foreword = root / "data" / "prose" / "2025-26" / "foreword.md"
    foreword.write_text(foreword.read_text() + "\nRead the Board's papers [online](#).\n")
    line = len(foreword.read_text().splitlines())
    monkeypatch.delenv("JSNA_DATA_DIR", raising=False)
    assert cli.main(["check", "--data-dir", str(root / "data")]) == 0  # a draft's problem is a warning
    out = " ".join(capsys.readouterr().out.split())
    assert "placeholder_link" in out and f"prose/2025-26/foreword.md │ {line}" in out


# --------------------------------------------------------------------------- layers point down

SRC = REPO / "src" / "jsna"
#: The package's layers, lowest first: a module imports modules of its own layer or below, never above.
LAYERS = (
    ("jsna", "jsna.inputs", "jsna.atomic", "jsna.config", "jsna.schemas", "jsna.data"),
    ("jsna.stats", "jsna.compare", "jsna.engine"),
    ("jsna.text",),
    ("jsna.tables", "jsna.charts", "jsna.page", "jsna.prose"),
    ("jsna.qa",),
    ("jsna.chapters",),
    ("jsna.execute", "jsna.papermill_engine", "jsna.build", "jsna.links", "jsna.toc", "jsna.sphinxext", "jsna.pdf"),
    ("jsna.cli", "jsna.__main__"),
)
#: Imports a layer allows but the design does not: charts draw what the engine computed and test no
#: significance themselves; the command line reaches chapters' checks only through jsna.qa.
FORBIDDEN = {"jsna.charts": ("jsna.compare", "jsna.stats"), "jsna.cli": ("jsna.chapters",)}


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(_module(p) for p in SRC.rglob("*.py"))


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _is_module(name: str) -> bool:
    rel = Path(*name.split("."))
    return (SRC.parent / rel).with_suffix(".py").is_file() or (SRC.parent / rel / "__init__.py").is_file()


def _tree(module: str) -> ast.Module:
    rel = SRC.parent / Path(*module.split("."))
    path = rel.with_suffix(".py") if rel.with_suffix(".py").is_file() else rel / "__init__.py"
    return ast.parse(path.read_text(encoding="utf-8"))


def _imports(module: str) -> set[str]:
    """The jsna modules a module imports anywhere in its code (inside functions too)."""
    found = set()
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {f"{node.module}.{a.name}" if _is_module(f"{node.module}.{a.name}") else node.module for a in node.names}
    return {name for name in found if _within(name, "jsna")}


def _layer(module: str) -> int:
    """The layer of a module: of the longest entry of :data:`LAYERS` that is it or a package above it."""
    matches = [(len(entry), n) for n, layer in enumerate(LAYERS) for entry in layer if _within(module, entry)]
    assert matches, f"{module} is in no layer: add it to LAYERS"
    return max(matches)[1]


def _below(module: str, other: str) -> bool:
    return _layer(other) <= _layer(module)


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_only_its_layer_and_below(module):
    if module != "jsna.__main__":  # which runs the command line
        importlib.import_module(module)  # and imports without a cycle
    imported = _imports(module)
    above = sorted(m for m in imported if not _below(module, m))
    banned = sorted(m for m in imported for prefix, bad in FORBIDDEN.items() if _within(module, prefix) and any(_within(m, b) for b in bad))
    assert above == [] and banned == [], f"{module} imports {above + banned}"


def test_layer_rules_see_what_they_must():
    """The scan finds imports inside functions and names from packages, and the rules the design relies on hold in it."""
    assert {"jsna.qa", "jsna.prose"} <= _imports("jsna.chapters.annual_report.checks")
    assert "jsna.chapters.annual_report.pages" in _imports("jsna.chapters.annual_report")
    assert "jsna.qa" in _imports("jsna.build")  # imported inside Stage.quality
    assert _layer("jsna.prose") < _layer("jsna.chapters.annual_report") and _layer("jsna.compare") < _layer("jsna.text")
    assert not any(_within(m, "jsna.chapters") for m in _imports("jsna.prose") | _imports("jsna.qa"))
    assert "jsna.qa" in _imports("jsna.cli") and not any(_within(m, "jsna.chapters") for m in _imports("jsna.cli"))
