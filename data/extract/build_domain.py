"""Rebuild the domain tables (pharmacies, BCF, JSNA register, board) from the checked seed extracts.

Run from the repository root: ``python data/extract/build_domain.py``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import annual_report_2025_26 as ar2526  # same folder: rows for the 2025-26 annual report

ROOT = Path(__file__).resolve().parents[2]
NOTES = Path("/work/shared/notes") if Path("/work/shared/notes").is_dir() else ROOT.parent / "shared" / "notes"
OUT = ROOT / "data"
AREA = dict(pd.read_csv(OUT / "areas.csv")[["area_name", "area_code"]].values)


def read(rel: str) -> pd.DataFrame:
    return pd.read_csv(NOTES / rel, dtype=str, keep_default_na=False)


def pharmacies() -> None:
    d = read("seed-000-data/pna_t13_pharmacies_per_10000.csv")
    out = pd.DataFrame({
        "area_code": d.area.map(AREA), "period": "2024",
        "community_pharmacies": d.community_pharmacies, "dispensing_gp_practices": d.dispensing_gp_practices,
        "population": d.population_mid2023, "population_year": 2023, "pharmacies_per_10000": d.pharmacies_per_10000_population,
        "pharmacies_and_dispensing_gps_per_10000": d.pharmacies_and_dispensing_gps_per_10000_population,
        "source_id": "lcc_pna_2025_t13", "source_line": d.source_line,
    })
    out.to_csv(OUT / "pharmacies.csv", index=False)


METRIC = {
    "avoidable_admissions_isr": ("Unplanned admissions for chronic ambulatory care sensitive conditions (ISR per 100,000)", "per 100,000", "lower_is_better"),
    "discharge_to_usual_place_of_residence": ("Discharged from acute hospital to their normal place of residence", "%", "higher_is_better"),
    "falls_emergency_admissions_65plus": ("Emergency hospital admissions due to falls, aged 65+ (DSR per 100,000)", "per 100,000", "lower_is_better"),
    "residential_nursing_admissions_65plus": ("Long-term support needs of older people (65+) met by admission to residential and nursing care homes, per 100,000", "per 100,000", "lower_is_better"),
    "reablement_at_home_91_days": ("Older people still at home 91 days after discharge into reablement", "%", "higher_is_better"),
    "emergency_admissions_65plus": ("Emergency admissions to hospital for people aged 65+ per 100,000", "per 100,000", "lower_is_better"),
    "discharge_on_drd": ("Acute adult patients discharged on their discharge ready date", "%", "higher_is_better"),
}


def bcf_metrics() -> None:
    rows = []
    for r in read("seed-004-data/bcf_metrics_2023_24.csv").itertuples():
        rows.append((r.metric_short, "2023-24", r.target, r.actual, "lcc_hwb_annual_report_2023_24", r.source_line))
    short = ["avoidable_admissions_isr", "discharge_to_usual_place_of_residence", "falls_emergency_admissions_65plus",
             "residential_nursing_admissions_65plus"]
    for k, r in zip(short, read("seed-000-data/bcf_2024_25_cover_metrics.csv").itertuples()):
        rows.append((k, "2024-25", r.target, r.actual, "lcc_bcf_2024_25_year_end", r.source_line))
    h = read("seed-003-data/bcf_eoy_2025_26_headline_metrics.csv")
    for k, r in zip(["emergency_admissions_65plus", "discharge_on_drd", "residential_nursing_admissions_65plus"], h.itertuples()):
        rows.append((k, "2025-26", r.target.rstrip("%").replace(",", ""), r.actual.rstrip("%").replace(",", ""),
                     "lcc_bcf_2025_26_year_end", r.source_line))
    out = pd.DataFrame(rows, columns=["metric", "year", "target", "actual", "source_id", "source_line"])
    out.insert(1, "title", out.metric.map(lambda m: METRIC[m][0]))
    out.insert(4, "unit", out.metric.map(lambda m: METRIC[m][1]))
    out.insert(5, "polarity", out.metric.map(lambda m: METRIC[m][2]))
    out.to_csv(OUT / "bcf_metrics.csv", index=False)


def bcf_income() -> None:
    d = read("seed-003-data/bcf_income.csv")
    out = pd.DataFrame({
        "year": d.financial_year, "funding_stream": d.funding_stream,
        "is_total": d.funding_stream.str.startswith("Total"),
        "planned_income_gbp": d.planned_income_gbp, "updated_income_gbp": d.updated_total_income_gbp,
        "actual_expenditure_gbp": d.eoy_actual_expenditure_gbp,
        "source_id": "lcc_bcf_2025_26_year_end", "source_line": d.source_lines, "note": d.note,
    })
    out.loc[out.year == "2026-27", "source_id"] = "lcc_bcf_2026_27_plan"
    out.to_csv(OUT / "bcf_income.csv", index=False)


def register() -> None:
    d = read("seed-004-data/jsna_chapter_register.csv")
    keep = ["record_type", "title", "status", "approved_month", "approved_year", "due_year", "partial_jsna", "jsna_cycle", "note", "source_line"]
    out = d[keep].assign(source_id="lcc_hwb_annual_report_2023_24")
    out.to_csv(OUT / "jsna_chapter_register.csv", index=False)
    m = read("seed-004-data/hwb_meetings_and_dated_events.csv")
    m = m.drop(columns=["date_as_printed"]).assign(source_id="lcc_hwb_annual_report_2023_24")
    ar2526.append(m, ar2526.MEETINGS).to_csv(OUT / "hwb_meetings.csv", index=False)
    r = read("seed-004-data/hwb_membership_roles.csv")
    r = r.assign(source_id="lcc_hwb_annual_report_2023_24")
    r.insert(0, "year", "2023-24")  # the membership the 2023-24 report describes
    ar2526.append(r, ar2526.MEMBERSHIP).to_csv(OUT / "hwb_membership.csv", index=False)


if __name__ == "__main__":
    pharmacies(); bcf_metrics(); bcf_income(); register()
    print("domain tables written")
