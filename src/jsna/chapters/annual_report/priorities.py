"""The strategy section: the Joint Health and Wellbeing Strategy's priorities with their lead groups, and delivery highlights.

Reads only what the ``jhws_priorities`` and ``jhws_progress`` schemas promise; a year with no
delivery highlights shows the priorities alone.
"""

from __future__ import annotations

import pandas as pd

from jsna import text
from jsna.chapters.annual_report import cells
from jsna.chapters.annual_report.checks import duplicate_rows, numbers_match
from jsna.chapters.annual_report.report import NOT_REPORTED, Report, Section, add, md
from jsna.prose import Finding
from jsna.tables import Table


def priorities_table(report: Report) -> tuple[Table | None, list[Finding]]:
    """Each strategic priority with its lead group and priority areas."""
    pri = report.for_year("jhws_priorities")
    if pri is None:
        return None, []
    caption = f"Joint Health and Wellbeing Strategy priorities and the groups that lead them, {report.year}"
    grouped = pri.groupby(["jhws_strategic_priority", "hwb_subgroup"], sort=False)["priority_area"].apply(lambda s: "; ".join(s)).reset_index()
    shown = grouped.rename(columns={"jhws_strategic_priority": "Strategic priority", "hwb_subgroup": "Lead group", "priority_area": "Priority areas"})
    checked = pri[["hwb_subgroup", "jhws_strategic_priority", "priority_area"]]
    return Table(shown, caption, report.source_of(pri)), duplicate_rows(checked, report.file("jhws_priorities"), caption, report.severity, pri["_line"])


def delivery_table(report: Report) -> tuple[Table | None, list[Finding]]:
    """Activities by priority with the reach the source reports."""
    rows = report.for_year("jhws_progress")
    if rows is None:
        return None, []
    file, caption = report.file("jhws_progress"), f"Delivery highlights by strategy priority, {report.year}"
    reach = [cells.value(v) if not text._is_missing(v) else (NOT_REPORTED if text._is_missing(p) else str(p))
             for v, p in zip(rows["beneficiaries"], rows["beneficiaries_as_printed"])]
    shown = pd.DataFrame({"Priority": rows["jhws_priority"], "Activity": rows["activity"], "Reach as reported": reach})
    findings = duplicate_rows(shown, file, caption, report.severity, rows["_line"])
    counted = rows["beneficiaries"].notna().to_numpy()
    findings += numbers_match(shown[counted].reset_index(drop=True), rows[counted].reset_index(drop=True), {"Reach as reported": "beneficiaries"}, file, caption, report.severity)
    return Table(shown, caption, report.source_of(rows)), findings


def build(report: Report) -> Section:
    """Priorities and lead groups, delivery highlights, and what "not reported" in them means."""
    s = Section()
    add(s, priorities_table(report), "Priorities and lead groups", gap=report.note("jhws_priorities"))
    add(s, delivery_table(report), "Delivery highlights", gap=report.note("jhws_progress"))
    if any(isinstance(p, Table) and (p.frame == NOT_REPORTED).any().any() for p in s.parts):
        s.parts.append(md(f"*“{NOT_REPORTED.capitalize()}” in these tables marks a detail that the sources used for {report.year} do not give.*"))
    return s
