"""Tests for jsna.data: loading, typing, provenance and validation messages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from jsna import data
from jsna.schemas import SCHEMAS

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


@pytest.fixture()
def tmp_data(tmp_path: Path) -> Path:
    """A writable copy of the real data folder."""
    for f in DATA.glob("*.*"):
        shutil.copy(f, tmp_path)
    return tmp_path


def test_data_dir_env_var(monkeypatch, tmp_path):
    monkeypatch.setenv("JSNA_DATA_DIR", str(tmp_path))
    assert data.data_dir() == tmp_path


def test_data_dir_nearest_book_root(monkeypatch, tmp_path):
    monkeypatch.delenv("JSNA_DATA_DIR", raising=False)
    (tmp_path / "_config.yml").write_text("title: x\n")
    sub = tmp_path / "chapters" / "jsna"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert data.data_dir() == (tmp_path / "data").resolve()


def test_data_dir_falls_back_to_repo(monkeypatch, tmp_path):
    monkeypatch.delenv("JSNA_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert data.data_dir() == DATA


@pytest.mark.parametrize("name", sorted(p.stem for p in DATA.glob("*.csv")))
def test_every_real_table_loads_with_a_source(name):
    assert name in SCHEMAS, f"{name}.csv has no schema"
    df = data.load(name, DATA)
    assert len(df) > 0
    assert data.source_note(df).startswith("Source: ")
    src = df.attrs["source"]
    entries = src if isinstance(src, list) else [src]
    for e in entries:
        assert e.get("publisher") and e.get("licence"), e


def test_population_is_published_thousands_times_1000():
    pop = data.load("population", DATA)
    blaby = pop[(pop.area_code == "E07000129") & (pop.age_band == "All ages")]
    assert blaby.population.iloc[0] == 105_000
    assert str(pop.population.dtype) == "Int64"
    assert data.source_note(pop) == (
        "Source: ONS mid-2023 population estimates, via Leicestershire draft PNA 2025"
    )


def test_areas_have_real_gss_codes():
    areas = data.load("areas", DATA)
    districts = areas[areas.parent_code == "E10000018"]
    assert sorted(districts.area_code) == [f"E070001{n}" for n in range(29, 36)]


def test_key_figures_match_the_seeds():
    ind = data.load("indicators", DATA)

    def val(i, area, period, sex="Persons"):
        r = ind[(ind.indicator_id == i) & (ind.area_code == area) & (ind.period == period) & (ind.sex == sex)]
        return r.value.iloc[0]

    assert val("smoking_prevalence_adults", "E10000018", "2024") == 7.4
    assert val("smoking_prevalence_adults", "E92000001", "2024") == 10.4
    assert val("vacc_mmr2_5y", "E10000018", "2024/25") == 91.0
    assert val("vacc_mmr2_5y", "E92000001", "2024/25") == 83.7


def test_every_indicator_has_metadata():
    ind = data.load("indicators", DATA)
    meta = data.load("indicator_meta", DATA)
    assert set(ind.indicator_id) <= set(meta.indicator_id)


def test_sources_registry():
    reg = data.sources(DATA)
    assert reg["ons_mye_2023_pna2025_t01"]["lines"] == "1573-1591"


def test_error_lists_every_problem_with_file_row_column(tmp_data):
    lines = (tmp_data / "population.csv").read_text().splitlines()
    lines[2] = lines[2].replace(",2023,", ",20x3,")           # file line 3: wrong type
    f = lines[4].split(",")
    f[4] = "-1"                                                 # file line 5: negative count
    lines[4] = ",".join(f)
    lines[6] = lines[1]                                         # file line 7: duplicate of line 2
    (tmp_data / "population.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(data.DataValidationError) as err:
        data.load("population", tmp_data)
    msg = str(err.value)
    assert "population.csv: row 3, column 'year': type_int: expected a whole number" in msg
    assert "found '20x3'" in msg
    assert "population.csv: row 5, column 'population': non_negative: expected >= 0, found '-1'" in msg
    assert "row 7, column 'area_code,year,sex,age_band': unique_key" in msg
    assert len(err.value.problems) >= 3
    assert isinstance(err.value, ValueError)


def test_unknown_table_is_a_clear_error(tmp_data):
    with pytest.raises(FileNotFoundError, match="no such data table"):
        data.load("nope", tmp_data)


def test_load_returns_independent_copies():
    a = data.load("areas", DATA)
    a.loc[0, "area_name"] = "changed"
    assert data.load("areas", DATA).loc[0, "area_name"] == "England"


def test_types_are_declared_types():
    ind = data.load("indicators", DATA)
    assert str(ind["count"].dtype) == "Int64"
    assert ind["value"].dtype == "float64"
    assert pd.isna(ind.loc[ind.period.isna(), "period"]).all()


def test_bcf_income_every_year_with_printed_totals():
    inc = data.load("bcf_income", DATA)
    assert sorted(inc.year.unique()) == ["2023-24", "2024-25", "2025-26", "2026-27"]
    y23 = inc[inc.year == "2023-24"].set_index("stream_id")
    assert y23.loc["nhs_minimum", "planned_income_gbp"] == 48748385
    assert y23.loc["ibcf", "planned_income_gbp"] == 17690614
    assert y23.loc["dfg", "planned_income_gbp"] == 4447228
    assert y23.loc["total", "planned_income_gbp"] == 75735254 and bool(y23.loc["total", "is_total"])
    assert inc.groupby("year").is_total.sum().eq(1).all()
    y24 = inc[inc.year == "2024-25"].set_index("stream_id")
    assert y24.loc["total", "updated_income_gbp"] == 83205619


def test_bcf_metrics_met_can_be_computed():
    m = data.load("bcf_metrics", DATA)
    assert {"2023-24", "2024-25", "2025-26", "2026-27"} <= set(m.year)
    done = m.dropna(subset=["target", "actual"])
    met = (done.actual <= done.target).where(done.polarity == "lower_is_better", done.actual >= done.target)
    row = done[(done.metric == "falls_emergency_admissions_65plus") & (done.year == "2024-25")]
    assert bool(met[row.index[0]])


@pytest.mark.parametrize("name", ["case_studies", "chwp_status", "dfg_by_area", "ethnicity", "pharmacy_opening_hours",
                                  "flu_uptake", "hcai", "carers", "population_projections", "bcf_metric_rates"])
def test_area_tables_use_known_gss_codes(name):
    df = data.load(name, DATA)
    areas = set(data.load("areas", DATA).area_code)
    assert set(df.area_code) <= areas


def test_new_table_figures_match_the_seeds():
    dfg = data.load("dfg_by_area", DATA).set_index(["area_code", "year"])
    assert dfg.loc[("E07000129", "2026-27"), "dfg_allocation_gbp"] == 853241
    assert dfg.loc[("E10000018", "2025-26"), "dfg_allocation_gbp"] == 5518288
    flu = data.load("flu_uptake", DATA).set_index(["area_code", "season", "cohort"])
    assert flu.loc[("E10000018", "2024-25", "aged_65_plus"), "uptake_pct"] == 78.6
    assert flu.loc[("E10000018", "2024-25", "aged_65_plus"), "target_pct"] == 75
    hcai = data.load("hcai", DATA).set_index("organism")
    assert hcai.loc["E. coli", "total_infections"] == 417
    chwp = data.load("chwp_status", DATA)
    assert len(chwp) == 7 and (chwp.chwp_status == "approved").sum() == 5
    carers = data.load("carers", DATA).set_index(["measure", "area_code"])
    assert carers.loc[("caring_rate", "E07000135"), "value"] == 9.8


def test_hcai_is_disclosive():
    from jsna.schemas import schema_for

    assert schema_for("hcai").metadata["disclosive"]


def test_annual_report_tables_have_a_year_for_each_row():
    for name in ("hwb_membership", "jhws_priorities", "jhws_progress", "case_studies", "chwp_status"):
        assert data.load(name, DATA)["year"].str.fullmatch(r"\d{4}-\d{2}").all(), name


def test_2025_26_board_rows_match_seed_003():
    members = data.load("hwb_membership", DATA)
    now = members[members.year == "2025-26"].set_index("person_named_in_report")
    assert len(now) == 17  # seed 003 lines 17-26
    assert now.loc["Matt Gaunt", "role"] == "Vice Chair" and now.loc["Matt Gaunt", "organisation_or_portfolio"] == "Integrated Care Board"
    assert now.loc["Fiona Barber", "organisation_or_portfolio"] == "Healthwatch Leicester and Leicestershire"  # line 99-101
    meetings = data.load("hwb_meetings", DATA)
    dec = meetings[(meetings.year == 2025) & (meetings.month == "December")]
    assert dec.day.tolist() == [4] and dec.source_line.tolist() == ["125"]
    pri = data.load("jhws_priorities", DATA)
    assert set(pri[pri.year == "2025-26"].jhws_strategic_priority) >= {
        "Best Start for Life", "Staying Healthy, Safe and Well", "Living and Supported Well", "Dying Well",
        "Cross-cutting: Reducing health inequalities", "Cross-cutting: Health protection and emergency preparedness"}
    progress = data.load("jhws_progress", DATA).set_index(["year", "activity"])
    assert progress.loc[("2025-26", "WorkWell programme"), "beneficiaries"] == 1241  # line 396
    sources = data.sources(DATA)
    assert {"lcc_hwb_pack_2026_06_15", "lcc_hwb_minutes_2026_02_26"} <= set(sources)
