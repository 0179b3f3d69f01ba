"""The appendix: each local plan's status and the case studies from the areas of the board's level below its own.

The areas and what they are called (wards, localities) come from the board; a part with
nothing to show is left out, and one line names the areas with no case study.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from jsna import text
from jsna.chapters.annual_report.checks import duplicate_rows
from jsna.chapters.annual_report.report import NOT_REPORTED, Report, Section, add, md
from jsna.prose import Finding, and_join
from jsna.tables import Table


def _area_names(report: Report) -> dict[str, str]:
    """Name of each of the board's areas of the level below its own, by code, in configured order."""
    return {a.code: a.name for a in report.ctx.board.children}


def area_cases(report: Report) -> pd.DataFrame | None:
    """The year's case studies from the board's areas, in the board's order, with the area's name (``area``)."""
    return report.memo("appendix.cases", lambda: _area_cases(report))


def _area_cases(report: Report) -> pd.DataFrame | None:
    cases = report.for_year("case_studies")
    if cases is None:
        return None
    names = _area_names(report)
    local = cases[cases["area_code"].isin(names)]
    if local.empty:
        report.no_rows("case_studies", f"{report.file('case_studies')} has no {report.area_word} case studies for {report.year}")
        return None
    order = {code: i for i, code in enumerate(names)}
    out = local.assign(area=local["area_code"].map(names), _order=local["area_code"].map(order))
    out = out.sort_values(["_order", "_line"]).reset_index(drop=True)
    out.attrs = cases.attrs
    return out


def plans(report: Report) -> pd.DataFrame | None:
    """The year's Community Health and Wellbeing Plan status of each of the board's areas, with the area's name (``area``)."""
    status = report.for_year("chwp_status")
    if status is None:
        return None
    names = _area_names(report)
    out = status[status["area_code"].isin(names)]
    return out.assign(area=out["area_code"].map(names))


def plans_table(report: Report) -> tuple[Table | None, list[Finding]]:
    """Each area's plan status and, for a plan not yet approved, when it is expected."""
    status = plans(report)
    if status is None:
        return None, []
    caption = f"Community Health and Wellbeing Plans by {report.area_word}, {report.year}"
    expected = [str(v) if not text._is_missing(v) else ("not applicable" if st == "approved" else NOT_REPORTED)
                for v, st in zip(status["expected_by_as_printed"], status["chwp_status"])]
    shown = pd.DataFrame({report.area_word.capitalize(): status["area"], "Plan": status["chwp_status"], "Expected by": expected})
    return Table(shown, caption, report.source_of(status)), duplicate_rows(shown, report.file("chwp_status"), caption, report.severity, status["_line"])


def case_study_parts(report: Report) -> tuple[list, list[Finding]]:
    """A heading per area, with its plan status and its case studies, then the source."""
    cases = area_cases(report)
    if cases is None:
        return [], []
    caption = f"case studies by {report.area_word}"
    findings = duplicate_rows(cases[["area", "title", "locality_or_setting"]], report.file("case_studies"), caption, report.severity, cases["_line"])
    status = plans(report)
    plan = dict(zip(status["area_code"], status["chwp_status"])) if status is not None else {}
    parts = []
    for area, group in cases.groupby("area", sort=False):
        code = group["area_code"].iloc[0]
        parts.append(md(f"## {area}"))
        lines = [f"Community Health and Wellbeing Plan: {plan[code]}.\n"] if code in plan else []
        lines += [f"- **{r.title}**: {r.theme}. Setting: {r.locality_or_setting}." for r in group.itertuples()]
        parts.append(md("\n".join(lines)))
    parts.append(md(f"*{report.source_of(cases)}*"))
    return parts, findings


def areas_without_case_study(report: Report) -> list[str]:
    """The board's areas with no case study for the year (every area when there are none)."""
    cases = area_cases(report)
    shown = set() if cases is None else set(cases["area"])
    return [a.name for a in report.ctx.board.children if a.name not in shown]


def build(report: Report) -> Section:
    """Plans, case studies, and one line naming the areas without a case study."""
    s = Section()
    add(s, plans_table(report), "Community Health and Wellbeing Plans")
    add(s, case_study_parts(report))
    missing = areas_without_case_study(report)
    if missing:
        without_plans = "" if report.note("chwp_status") is None else ", and no Community Health and Wellbeing Plan status,"
        s.parts.append(md(f"The sources used for {report.year} give no case study{without_plans} for {and_join(missing)}."))
    return s


def plan_figures(report: Report) -> dict[str, Any] | None:
    """``chwp.*`` for prose: plans approved, plans pending and the areas whose plan is pending."""
    status = plans(report)
    if status is None:
        return None
    pending = status[status["chwp_status"] != "approved"]
    return {"approved": int((status["chwp_status"] == "approved").sum()), "pending": len(pending), "pending_names": pending["area"].tolist()}


def case_study_figures(report: Report) -> dict[str, Any] | None:
    """``case_studies.*`` for prose: how many, from how many areas."""
    cases = area_cases(report)
    if cases is None:
        return None
    return {"count": len(cases), "areas": int(cases["area"].nunique())}
