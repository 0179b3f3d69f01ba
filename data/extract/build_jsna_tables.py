"""Rebuild the JSNA and annual-report domain tables from the checked seed extracts.

Covers BCF income (all years), expenditure by funding source, scheme lines, metric rates with
their counts and denominators, DFG by district, population projections, ethnicity, pharmacy
opening hours, JHWS priorities and progress, case studies, CHWP status, carers, flu uptake and
HCAI. Run from the repository root after ``build_domain.py``:
``python data/extract/build_jsna_tables.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

import annual_report_2025_26 as ar2526  # same folder: rows for the 2025-26 annual report

ROOT = Path(__file__).resolve().parents[2]
NOTES = Path("/work/shared/notes") if Path("/work/shared/notes").is_dir() else ROOT.parent / "shared" / "notes"
OUT = ROOT / "data"
AREA = dict(pd.read_csv(OUT / "areas.csv")[["area_name", "area_code"]].values)
AREA.update({"Hinckley & Bosworth": AREA["Hinckley and Bosworth"], "Oadby & Wigston": AREA["Oadby and Wigston"],
             "Total": AREA["Leicestershire"]})

# Analyst ids for BCF funding streams, so one stream can be matched across seeds and years.
STREAM = {
    "ICB minimum NHS contribution": "nhs_minimum", "Minimum NHS Contribution": "nhs_minimum",
    "NHS Minimum Contribution": "nhs_minimum", "ICB minimum NHS contribution (NHS LLR ICB)": "nhs_minimum",
    "Improved BCF grant": "ibcf", "iBCF": "ibcf", "ICB": "ibcf",
    "Disabled Facilities Grant": "dfg", "DFG": "dfg", "Disabled Facilities Grant (incl. top-up)": "dfg",
    "LA Discharge funding": "la_discharge", "Local Authority Discharge Funding": "la_discharge",
    "ICB Discharge Funding": "icb_discharge",
    "LA Better Care Grant": "la_better_care_grant", "Local Authority Better Care Grant": "la_better_care_grant",
    "Additional LA contribution": "additional_la", "Additional LA Contribution": "additional_la",
    "Additional NHS contribution": "additional_nhs", "Additional NHS Contribution": "additional_nhs",
    "Additional ICB Contribution": "additional_nhs",
    "Total": "total", "Total BCF pooled budget": "total",
}


def read(rel: str) -> pd.DataFrame:
    """A seed extract as text columns (empty cells stay empty strings)."""
    return pd.read_csv(NOTES / rel, dtype=str, keep_default_na=False)


def write(df: pd.DataFrame, name: str) -> None:
    df.to_csv(OUT / f"{name}.csv", index=False)


# --------------------------------------------------------------------------- BCF


def bcf_income() -> None:
    """Add 2023-24 (seed 004) and 2024-25 (seed 000 EOY) to the 2025-26/2026-27 rows and a stream_id."""
    cur = pd.read_csv(OUT / "bcf_income.csv", dtype=str, keep_default_na=False)
    cur = cur[~cur.year.isin(["2023-24", "2024-25"])].drop(columns=["stream_id"], errors="ignore")
    f = read("seed-004-data/bcf_funding_2023_24.csv")
    y23 = pd.DataFrame({
        "year": f.financial_year, "funding_stream": f.funding_stream, "is_total": f.is_total.str.capitalize(),
        "planned_income_gbp": f.amount, "updated_income_gbp": "", "actual_expenditure_gbp": "",
        "source_id": "lcc_hwb_annual_report_2023_24", "source_line": f.source_line, "note": f.note,
    })
    y23.loc[y23.is_total == "True", "note"] = "printed total; the five streams sum to £75,735,255 (£1 more)"
    inc = read("seed-000-data/bcf_2024_25_eoy_income.csv")
    bal = read("seed-000-data/bcf_2024_25_eoy_running_balances.csv")
    spend = dict(zip(bal.source_of_funding.map(STREAM), zip(bal.expenditure_to_date, bal.source_line)))
    ids = inc.source_of_funding.map(STREAM)
    y24 = pd.DataFrame({
        "year": "2024-25", "funding_stream": inc.source_of_funding, "is_total": ids.eq("total").map(str),
        "planned_income_gbp": inc.planned_income, "updated_income_gbp": inc.actual_total_income,
        "actual_expenditure_gbp": ids.map(lambda s: spend[s][0]),
        "source_id": "lcc_bcf_2024_25_eoy_template",
        "source_line": [f"{a};{spend[s][1]}" for a, s in zip(inc.source_line, ids)],
        "note": "",
    })
    y24.loc[ids == "dfg", "note"] = "planned £4,850,818; additional DFG announced January 2025 (line 5067)"
    y24.loc[ids == "total", "note"] = "actual income total blank in the source; actual total income printed (line 4985)"
    out = pd.concat([y23, y24, cur], ignore_index=True)
    out.insert(2, "stream_id", out.funding_stream.map(STREAM))
    assert out.stream_id.notna().all(), out[out.stream_id.isna()]
    write(out, "bcf_income")


def bcf_expenditure() -> None:
    """Income, expenditure and balance by funding source (template running balances) and spend areas."""
    rows = []
    b = read("seed-000-data/bcf_2024_25_eoy_running_balances.csv")
    for r in b.itertuples():
        rows.append(("2024-25", "year_end", "funding_source", STREAM[r.source_of_funding], r.source_of_funding,
                     r.source_of_funding == "Total", r.income, r.expenditure_to_date, r.balance, "", 1,
                     "lcc_bcf_2024_25_eoy_template", r.source_line,
                     "row labelled 'ICB' in the source is the iBCF grant" if r.source_of_funding == "ICB" else ""))
    b = read("seed-000-data/bcf_2025_26_expenditure_running_balances.csv")
    for r in b.itertuples():
        rows.append(("2025-26", "plan", "funding_source", STREAM[r.funding_source], r.funding_source,
                     r.funding_source == "Total", r.income, r.expenditure, r.balance, "", 1,
                     "lcc_bcf_2025_26_plan", r.source_line, ""))
    s = read("seed-003-data/bcf_2026_27_spend_areas_table2.csv")
    for r in s.itertuples():
        cat = re.sub(r"[^a-z0-9]+", "_", r.area.lower()).strip("_")
        rows.append(("2026-27", "plan", "spend_area", "total" if r.area == "Total Spend" else cat, r.area,
                     r.area == "Total Spend", "", str(round(float(r.total_spend_gbp_millions) * 1e6)), "",
                     r.pct_of_spend, 100000, "lcc_bcf_2026_27_plan", r.source_line,
                     "printed in £ millions to one decimal place"))
    cols = ["year", "stage", "breakdown", "category_id", "category", "is_total", "income_gbp", "expenditure_gbp",
            "balance_gbp", "pct_of_spend", "rounded_to", "source_id", "source_line", "note"]
    write(pd.DataFrame(rows, columns=cols), "bcf_expenditure")


def bcf_schemes() -> None:
    """One row per scheme line: 2024-25 year end, 2025-26 plan, 2026-27 plan."""
    a = read("seed-000-data/bcf_2024_25_eoy_scheme_expenditure.csv")
    y24 = pd.DataFrame({
        "year": "2024-25", "stage": "year_end", "scheme_id": a.scheme_id, "scheme_name": a.scheme_name,
        "category": a.scheme_type, "area_of_spend": a.area_of_spend, "provider": a.provider,
        "funding_source": a.source_of_funding, "planned_gbp": a.previously_entered_expenditure_2024_25,
        "actual_gbp": a.actual_spend, "source_id": "lcc_bcf_2024_25_eoy_template", "source_line": a.source_line,
        "note": a.row_note,
    })
    b = read("seed-000-data/bcf_2025_26_expenditure_plan.csv")
    y25 = pd.DataFrame({
        "year": "2025-26", "stage": "plan", "scheme_id": b.scheme_id,
        "scheme_name": b.description_of_scheme, "category": b.activity, "area_of_spend": b.area_of_spend,
        "provider": b.provider, "funding_source": b.source_of_funding, "planned_gbp": b.expenditure_2025_26,
        "actual_gbp": "", "source_id": "lcc_bcf_2025_26_plan", "source_line": b.source_line, "note": b.comments,
    })
    c = read("seed-003-data/bcf_2026_27_expenditure.csv")
    y26 = pd.DataFrame({
        "year": "2026-27", "stage": "plan", "scheme_id": c.scheme_no, "scheme_name": c.description,
        "category": c.category, "area_of_spend": "", "provider": "", "funding_source": c.funding_source,
        "planned_gbp": c.expenditure_gbp, "actual_gbp": "", "source_id": "lcc_bcf_2026_27_plan",
        "source_line": c.source_line, "note": c.asc_spend.map(lambda v: f"adult social care spend: {v}" if v else ""),
    })
    out = pd.concat([y24, y25, y26], ignore_index=True)
    for col in ("planned_gbp", "actual_gbp"):
        out[col] = out[col].str.replace(r"[£,]", "", regex=True)
    write(out, "bcf_schemes")


RES = "residential_nursing_admissions_65plus"


def bcf_metrics_extra() -> None:
    """Second-source rows and 2026-27 plan targets, appended to bcf_metrics.csv (rebuilt by build_domain)."""
    cur = pd.read_csv(OUT / "bcf_metrics.csv", dtype=str, keep_default_na=False)
    base = cur[~cur.source_id.isin(["lcc_bcf_2025_26_plan", "lcc_bcf_2026_27_plan"])
               & ~((cur.source_id == "lcc_bcf_2025_26_year_end") & (cur.year != "2025-26"))].copy()
    base = base.drop(columns=["actual_status", "note"], errors="ignore")
    base["actual_status"] = "final"
    base["note"] = ""
    base.loc[(base.year == "2024-25") & (base.metric == RES), "actual_status"] = "projected"
    base.loc[base.metric == "discharge_on_drd", "actual_status"] = "best_month"
    base.loc[base.metric == "discharge_on_drd", "note"] = "86.2% is the best single month (June); target not met"
    title = dict(zip(cur.metric, cur.title))
    extra = [
        (RES, "2023-24", "", "509.8", "lcc_bcf_2025_26_plan", "7740", "final", "2023-24 actual restated in the 2025-26 planning template"),
        (RES, "2024-25", "511.7", "587.1", "lcc_bcf_2025_26_plan", "7740", "estimated", "2024-25 plan and estimate in the 2025-26 planning template"),
        (RES, "2023-24", "", "509.8", "lcc_bcf_2025_26_year_end", "1383", "final", "2023-24 full-year actual restated in the 2025-26 EOY template"),
        ("emergency_admissions_65plus", "2026-27", "1626", "", "lcc_bcf_2026_27_plan", "2257", "", "average monthly rate; 2% reduction on 2025-26 actuals"),
        ("discharge_on_drd", "2026-27", "87.7", "", "lcc_bcf_2026_27_plan", "2259", "", "1.5% improvement on the best 2025-26 month"),
        (RES, "2026-27", "552.3", "", "lcc_bcf_2026_27_plan", "2110;2263", "", "rolling 12 months ending 31-03-2027; text rounds to 552"),
    ]
    rows = pd.DataFrame(extra, columns=["metric", "year", "target", "actual", "source_id", "source_line", "actual_status", "note"])
    rows["title"] = rows.metric.map(title)
    unit = dict(zip(cur.metric, cur.unit))
    pol = dict(zip(cur.metric, cur.polarity))
    rows["unit"] = rows.metric.map(unit)
    rows["polarity"] = rows.metric.map(pol)
    out = pd.concat([base, rows[base.columns]], ignore_index=True)
    write(out, "bcf_metrics")


def bcf_metric_rates() -> None:
    """Rates with the counts and 65+ denominators printed beside them, so the rate rule can recompute them."""
    rows = []
    r = read("seed-000-data/bcf_2025_26_metrics_residential_admissions.csv")
    w = r.pivot_table(index="period", columns="measure", values="value", aggfunc="first")
    for period, v in w.iterrows():
        rows.append((RES, "2025-26 planning template", period, v.admissions, v.population_65plus, v.rate, 2023,
                     "lcc_bcf_2025_26_plan", "7740-7742", ""))
    e = read("seed-000-data/bcf_2025_26_metrics_emergency_admissions_65plus.csv")
    e = e[e.series == "2024-25 actual"]
    w = e.pivot_table(index="month", columns="measure", values="value", aggfunc="first")
    for month, v in w.iterrows():
        if v.rate:
            rows.append(("emergency_admissions_65plus", "2025-26 planning template", f"{month} actual", v.admissions,
                         v.population_65plus, v.rate, 2023, "lcc_bcf_2025_26_plan", "7704-7706", "monthly rate"))
    rows.append((RES, "2024-25 year-end report", "2024-25 projected", "899", "153982", "583.8", 2023,
                 "lcc_bcf_2024_25_eoy_template", "4842", "denominator stated as ONS MYE 2023"))
    s = read("seed-003-data/bcf_residential_admissions_65plus.csv")
    for x in s.itertuples():
        rows.append((RES, x.series, x.period, x.admissions, x.population_65plus, x.rate_per_100000, "",
                     "lcc_bcf_2025_26_year_end" if x.series.startswith("2025-26") else "lcc_bcf_2026_27_plan",
                     x.source_line, "population of 65+ footnoted in the source; base year not stated"))
    cols = ["metric", "series", "period", "count", "denominator", "value", "population_year", "source_id", "source_line", "note"]
    out = pd.DataFrame(rows, columns=cols)
    out.insert(6, "multiplier", 100000)
    out.insert(6, "area_code", AREA["Leicestershire"])
    write(out, "bcf_metric_rates")


def dfg_by_area() -> None:
    """DFG allocation by district: 2025-26 plan (seed 000) and 2026-27 plan (seed 003)."""
    rows = []
    d = read("seed-000-data/bcf_2025_26_income_dfg_by_district.csv")
    d = d[d.measure != "total"]
    for r in d.itertuples():
        rows.append((AREA[r.area], "2025-26", r.value, "", "lcc_bcf_2025_26_plan", r.source_line,
                     "county gross contribution; equals the printed total on line 7483" if r.area == "Leicestershire" else ""))
    d = read("seed-003-data/bcf_dfg_2026_27_by_district.csv")
    for r in d.itertuples():
        county = r.district == "Total"
        rows.append((AREA[r.district], "2026-27", r.dfg_gross_allocation_gbp,
                     "" if county else r.dfg_scheme_expenditure_gbp, "lcc_bcf_2026_27_plan", r.source_lines,
                     "printed total; scheme total not printed" if county else "scheme line is the district's capital grant"))
    write(pd.DataFrame(rows, columns=["area_code", "year", "dfg_allocation_gbp", "dfg_scheme_expenditure_gbp",
                                      "source_id", "source_line", "note"]), "dfg_by_area")


# --------------------------------------------------------------------------- PNA / demography


def population_projections() -> None:
    """Table 6 (county by age, thousands -> persons) and Table 7 (district change 2025-2035)."""
    t6 = read("seed-000-data/demography_pna_t06_population_projections_2025_2035.csv")
    thousands = t6.unit == "thousands"
    val = t6.value.astype(float).where(~thousands, t6.value.astype(float) * 1000)
    a = pd.DataFrame({
        "area_code": t6.area.map(AREA), "age_band": t6.age_band.replace({"Total": "All ages"}), "measure": t6.measure.replace({"population_projection": "population"}),
        "period": t6.period, "value": val.round(1).map(lambda x: f"{x:g}" if x != int(x) else str(int(x))),
        "unit": t6.unit.replace({"thousands": "persons"}), "rounded_to": thousands.map({True: "100", False: ""}),
        "source_id": "ons_snpp_pna2025_t06", "source_line": t6.source_line,
    })
    t7 = read("seed-000-data/demography_pna_t07_population_growth_districts_2025_2035.csv")
    b = pd.DataFrame({
        "area_code": t7.area.map(AREA), "age_band": t7.age_group, "measure": t7.measure, "period": t7.period,
        "value": t7.value, "unit": t7.unit, "rounded_to": "", "source_id": "ons_snpp_pna2025_t07",
        "source_line": t7.source_line,
    })
    out = pd.concat([a, b], ignore_index=True)
    assert out.area_code.notna().all()
    write(out, "population_projections")


def ethnicity() -> None:
    t = read("seed-000-data/demography_pna_t02_ethnicity_census2021.csv")
    out = pd.DataFrame({
        "area_code": t.area.map(AREA), "period": "2021", "ethnic_group": t.ethnic_group, "share_pct": t.value,
        "source_id": "ons_census2021_pna2025_t02", "source_line": t.source_line,
    })
    assert out.area_code.notna().all()
    write(out, "ethnicity")


def pharmacy_opening_hours() -> None:
    a = read("seed-000-data/pna_t14_weekly_opening_hours.csv")
    b = read("seed-000-data/pna_t15_evening_weekend_opening.csv")
    m = a.merge(b, on="area", suffixes=("", "_t15"))
    out = pd.DataFrame({
        "area_code": m.area.map(AREA), "period": "2024",
        "pharmacies_under_40_hours": m.pharmacies_under_40_hours, "pharmacies_40_to_71_hours": m.pharmacies_40_to_71_hours,
        "pharmacies_72_to_100_hours": m.pharmacies_72_to_100_hours, "pharmacies_total": m.pharmacies_total,
        "weekday_evening": m.weekday_evening, "saturday": m.saturday, "sunday": m.sunday,
        "saturday_night": m.saturday_night, "sunday_night": m.sunday_night,
        "source_id": "lcc_pna_2025_t14_t15", "source_line": m.source_line + ";" + m.source_line_t15,
        "note": m.value_note.replace({"'Less than 40 hours' blank in source": "under 40 hours blank in the source"}),
    })
    write(out, "pharmacy_opening_hours")


# --------------------------------------------------------------------------- JHWS and annual report


def jhws_priorities() -> None:
    p = read("seed-004-data/jhws_priorities_and_subgroups.csv")
    out = pd.DataFrame({
        "year": "2023-24",
        "hwb_subgroup": p.hwb_subgroup, "jhws_strategic_priority": p.jhws_strategic_priority,
        "priority_area": p.priority_area, "report_section": p.report_section, "note": p.note,
        "source_id": "lcc_hwb_annual_report_2023_24", "source_line": p.source_line,
    })
    write(ar2526.append(out, ar2526.PRIORITIES), "jhws_priorities")


def jhws_progress() -> None:
    """Delivery highlights: one row per activity and year (text and the main numbers)."""
    rows = []
    for f in ("delivery_highlights_table1_prevention_self_care_2023_24", "delivery_highlights_table2_frailty_complex_care_2023_24"):
        d = read(f"seed-004-data/{f}.csv")
        prio = d.hwb_priority.replace("", pd.NA).ffill()
        for r, pr in zip(d.itertuples(), prio):
            rows.append(("2023-24", pr, r.activity, r.detail, r.outcomes, r.beneficiaries_as_printed,
                         r.beneficiaries_first_number, "", "", "lcc_hwb_annual_report_2023_24", r.source_line))
    for f, prio in (("jhws_lsw_priority1_prevention_self_care", "Upscaling prevention and self-care"),
                    ("jhws_lsw_priority2_frailty_complex_care", "Effective management of frailty and complex care"),
                    ("jhws_lsw_cross_cutting_priorities", None)):
        d = read(f"seed-000-data/{f}.csv")
        for r in d.itertuples():
            inv = r.bcf_investment
            scale = {"GBP thousands": 1e3, "GBP millions": 1e6}.get(r.bcf_investment_unit)
            if inv and scale:
                inv = str(int(round(float(inv) * scale)))
            activity = f"{r.activity} ({r.component})" if r.component else r.activity
            rows.append((r.investment_year, prio or r.priority, activity, r.detail, r.commitments_or_outcomes,
                         r.beneficiaries_as_printed, r.beneficiaries, inv, r.bcf_investment_as_printed,
                         "lcc_jhws_lsw_progress_2025", r.source_line))
    cols = ["year", "jhws_priority", "activity", "detail", "outcomes", "beneficiaries_as_printed", "beneficiaries",
            "bcf_investment_gbp", "bcf_investment_as_printed", "source_id", "source_line"]
    write(ar2526.append(pd.DataFrame(rows, columns=cols), ar2526.PROGRESS), "jhws_progress")
    m = read("seed-004-data/delivery_highlights_measures_2023_24.csv")
    out = pd.DataFrame({
        "year": "2023-24", "table_id": m.table_id, "activity": m.activity, "measure": m.measure, "value": m.value,
        "unit": m.unit, "note": m.note, "source_id": "lcc_hwb_annual_report_2023_24", "source_line": m.source_line,
    })
    write(out, "jhws_progress_measures")


DISTRICT_IN = [("Hinckley", "Hinckley and Bosworth"), ("Charnwood", "Charnwood"), ("Melton", "Melton"),
               ("North West Leicestershire", "North West Leicestershire"), ("Oadby", "Oadby and Wigston"),
               ("Blaby", "Blaby"), ("Harborough", "Harborough"), ("Barwell", "Hinckley and Bosworth"),
               ("Loughborough", "Charnwood")]


def _district(text: str) -> str:
    """GSS code of the district named in a setting (county code when none is)."""
    for word, name in DISTRICT_IN:
        if word in text:
            return AREA[name]
    return AREA["Leicestershire"]


def case_studies() -> None:
    c = read("seed-004-data/case_studies.csv")
    ex = read("seed-004-data/chwp_case_study_examples_by_locality.csv")
    label = dict(zip(ex.appendix_a_line, ex.case_study_example))
    tline = dict(zip(ex.appendix_a_line, ex.source_line))
    loc = dict(zip(ex.appendix_a_line, ex.locality))
    out = pd.DataFrame({
        "year": "2023-24",  # seed 003 (2025-26) has no district case studies
        "case_study_id": c.case_study_id, "title": c.title, "report_section": c.report_section,
        "locality_or_setting": c.locality_or_setting,
        "area_code": [_district(loc.get(s, "") + " " + l + " " + sec) for s, l, sec in zip(c.start_line, c.locality_or_setting, c.report_section)],
        "theme": c.theme, "format": c.format, "labelled_case_study_heading": c.labelled_case_study_heading.str.startswith("yes"),
        "has_quantitative_detail": c.has_quantitative_detail.eq("yes"),
        "identifies_person_or_organisation": c.identifies_person_or_organisation,
        "chwp_table_label": c.start_line.map(label).fillna(""), "chwp_table_line": c.start_line.map(tline).fillna(""),
        "start_line": c.start_line, "end_line": c.end_line,
        "source_id": "lcc_hwb_annual_report_2023_24", "source_line": c.source_line,
    })
    write(out, "case_studies")


def chwp_status() -> None:
    s = read("seed-004-data/chwp_status_by_district.csv")
    out = pd.DataFrame({
        "year": "2023-24",  # seed 003 (2025-26) reports no plan status by district
        "area_code": s.district.map(AREA), "area_name": s.district.replace({"Hinckley & Bosworth": "Hinckley and Bosworth", "Oadby & Wigston": "Oadby and Wigston"}),
        "chwp_status": s.chwp_status.str.replace(r" \(.*\)$", "", regex=True), "expected_by_as_printed": s.expected_by_as_printed,
        "appendix_a_case_study_lines": s.appendix_a_case_study_lines, "note": s.note,
        "source_id": "lcc_hwb_annual_report_2023_24", "source_line": s.source_line,
    })
    out.loc[s.chwp_status.str.contains("in draft"), "note"] = "in draft per line 1021; has an Appendix A case study"
    assert out.area_code.notna().all()
    write(out, "chwp_status")


# --------------------------------------------------------------------------- carers, health protection

# (measure, area, period, value, unit, qualifier, value_as_printed, source_line, note), checked against seed 003.
CARERS = [
    ("unpaid_carers_aged_5_plus", "Leicestershire", "2021", 61300, "persons", "", "61,300", "3009;3322", "Census 2021"),
    ("unpaid_carers_aged_5_plus_pct", "Leicestershire", "2021", 9, "%", "", "9%", "3009;3322", "Census 2021; share of population"),
    ("caring_rate_aged_45_64", "Leicestershire", "2021", 15, "%", "", "15%", "3009", "highest rate of caring by age"),
    ("caring_rate_aged_65_84", "Leicestershire", "2021", 11.3, "%", "", "11.3%", "3009", "second-highest rate of caring by age"),
    ("caring_rate", "Oadby and Wigston", "2021", 9.8, "%", "", "9.8%", "3010;3322", "highest district; unadjusted for age"),
    ("caring_rate", "Harborough", "2021", 8.3, "%", "", "8.3%", "3010;3322", "lowest district; unadjusted for age"),
    ("carers_assessments_completed", "Leicestershire", "2024/25", 1455, "count", "", "1,455", "3011;3326", ""),
    ("carers_assessments_completed", "Leicestershire", "2025/26", 1398, "count", "so far", "1,398", "3011", "part year; 15% joint with the cared-for person"),
    ("carers_receiving_council_service", "Leicestershire", "2026 Jan", 2304, "count", "", "2,304", "3012;3328", "strategy says over 2,300 in January 2026"),
    ("carers_weekly_direct_payment", "Leicestershire", "2026 Jan", 1581, "count", "", "1,581", "3012;3328", ""),
    ("carers_one_off_direct_payment", "Leicestershire", "2026 Jan", 716, "count", "", "716", "3012;3328", "up to £250 per year"),
    ("carers_supported_by_commissioned_service", "Leicestershire", "2025/26", 2500, "count", "around", "around 2,500", "3012;3330", "per year"),
    ("carer_reviews", "Leicestershire", "2025/26", 632, "count", "", "632", "3328", "292 (46%) joint reviews"),
    ("young_carer_assessment_referrals", "Leicestershire", "2025", 116, "count", "", "116", "3013", "69 full assessments"),
    ("young_carers_passports_issued", "Leicestershire", "2025", 94, "count", "", "94", "3013", "341 since the 2022 launch"),
    ("young_carers_in_school_census", "Leicestershire", "2025", 289, "count", "", "289", "3015", ""),
    ("spend_carers_direct_payments_and_discharge_grant", "Leicestershire", "2024/25", 3547094, "GBP", "", "£3,547,094", "3065", ""),
    ("vasl_carers_support_contract", "Leicestershire", "2025/26", 181260, "GBP", "", "£181,260 per year", "3067", "annual contract value"),
]


def carers() -> None:
    out = pd.DataFrame(CARERS, columns=["measure", "area", "period", "value", "unit", "qualifier", "value_as_printed", "source_line", "note"])
    out.insert(0, "area_code", out.pop("area").map(AREA))
    out["source_id"] = "lcc_carers_strategy_2026"
    write(out[["measure", "area_code", "period", "value", "unit", "qualifier", "value_as_printed", "note", "source_id", "source_line"]], "carers")


FLU_COHORT = {"aged_65_plus": "Aged 65 and over", "under_65_at_risk": "Under 65 (at risk)", "pregnant_women": "Pregnant women",
              "aged_2_3": "Aged 2-3", "primary_school_age": "Primary school age"}


def flu_uptake() -> None:
    f = read("seed-003-data/hpar_flu_uptake_leics_rutland.csv")
    target = f[f.area == "Target"].iloc[0]
    rows = []
    for r in f[f.area != "Target"].itertuples():
        season = re.sub(r"^(\d{4})-\d{2}(\d{2})$", r"\1-\2", r.season)
        england = r.area == "England"
        for c, title in FLU_COHORT.items():
            rows.append(("E92000001" if england else AREA["Leicestershire"], r.area.replace("&", "and"), season, c, title,
                         getattr(r, c), target[c], "ukhsa_hpar_2025_flu", f"{r.source_line};{target.source_line}",
                         "" if england else "Leicestershire and Rutland combined"))
    cols = ["area_code", "area_name", "season", "cohort", "cohort_title", "uptake_pct", "target_pct", "source_id", "source_line", "note"]
    write(pd.DataFrame(rows, columns=cols), "flu_uptake")


def hcai() -> None:
    h = read("seed-003-data/hpar_hcai_appendix8.csv")
    out = pd.DataFrame({
        "area_code": AREA["Leicestershire"], "period": "2024", "organism": h.organism,
        "total_infections": h.total_infections_leicestershire_county_incl_community_associated,
        "healthcare_associated": h.healthcare_associated_infections_leicestershire_county,
        "source_id": "ukhsa_hpar_2025_hcai", "source_line": h.source_line,
        "note": "calendar year 2024 (line 3888); total includes community-associated cases",
    })
    write(out, "hcai")


if __name__ == "__main__":
    bcf_income(); bcf_expenditure(); bcf_schemes(); bcf_metrics_extra(); bcf_metric_rates(); dfg_by_area()
    population_projections(); ethnicity(); pharmacy_opening_hours()
    jhws_priorities(); jhws_progress(); case_studies(); chwp_status(); carers(); flu_uptake(); hcai()
    print("JSNA tables written")
