"""The looking-forward section: milestones already planned after the year ends."""

from __future__ import annotations

from jsna import data, text
from jsna.chapters.annual_report.report import Report, Section, md
from jsna.chapters.annual_report.years import known_by_report, year_start


def planned_list(report: Report) -> list:
    """Milestones planned after the year ends, from the meetings and milestones register, as the year's sources knew them."""
    df = report.table("hwb_meetings")
    if df is None:
        return []
    planned = df[(df["status"] == "planned") & df["year"].notna() & (df["year"] > year_start(report.year))]
    registry = data.sources(report.folder)
    planned = planned[[known_by_report(registry.get(str(sid), {}).get("date"), report.year) for sid in planned["source_id"]]]
    if planned.empty:
        return []
    items = [f"- {('' if text._is_missing(m) else m + ' ')}{int(y)}: {e}" for y, m, e in zip(planned["year"], planned["month"], planned["event"])]
    return [md("## Milestones already planned\n\n" + "\n".join(items)), md(f"*{report.source_of(planned)}*")]


def build(report: Report) -> Section:
    return Section(planned_list(report))
