"""The Board section: its membership by role and the meetings and development sessions held in the year."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from jsna import text
from jsna.chapters.annual_report.checks import duplicate_rows
from jsna.chapters.annual_report.report import Report, Section, add
from jsna.chapters.annual_report.years import MONTHS, in_financial_year
from jsna.prose import Finding
from jsna.tables import Table

MEETING_TYPES = {"hwb_board_meeting": "Board meeting", "hwb_development_session": "Development session"}
ROLE_ORDER = ["Chair", "Vice Chair"]


def person(cell: str) -> str:
    """A member's name without the extraction remarks in brackets."""
    return re.sub(r"\s*\(.*\)\s*$", "", str(cell)).strip()


def meetings(report: Report) -> pd.DataFrame | None:
    """Board meetings and development sessions held in the year, in date order."""
    return report.memo("board.meetings", lambda: _meetings(report))


def _meetings(report: Report) -> pd.DataFrame | None:
    df = report.table("hwb_meetings")
    if df is None:
        return None
    held = df[df["event_type"].isin(list(MEETING_TYPES)) & (df["status"] != "planned")]
    held = held[[in_financial_year(y, m, report.year) for y, m in zip(held["year"], held["month"])]]
    if held.empty:
        report.no_rows("hwb_meetings", f"{report.file('hwb_meetings')} has no Board meetings or development sessions dated in {report.year}")
        return None
    order = [int(y) * 100 + MONTHS.index(m) for y, m in zip(held["year"], held["month"])]
    out = held.assign(_order=order).sort_values(["_order", "_line"]).reset_index(drop=True)
    out.attrs = df.attrs
    return out


def membership_table(report: Report) -> tuple[Table | None, list[Finding]]:
    """Members by role (chair and vice chair first) and organisation."""
    members = report.for_year("hwb_membership")
    if members is None:
        return None, []
    rank = {r: i for i, r in enumerate(ROLE_ORDER)}
    members = members.assign(_rank=members["role"].map(lambda r: rank.get(r, len(rank)))).sort_values(["_rank", "_line"], kind="stable")
    caption = f"Membership of the {report.ctx.board.name}, {report.year}, by role and organisation"
    shown = pd.DataFrame(
        {
            "Role": members["role"].tolist(),
            "Organisation or portfolio": members["organisation_or_portfolio"].tolist(),
            "Named member": [("name not published" if text._is_missing(p) else person(p)) for p in members["person_named_in_report"]],
        }
    )
    return Table(shown, caption, report.source_of(members)), duplicate_rows(shown, report.file("hwb_membership"), caption, report.severity, members["_line"])


def meetings_table(report: Report) -> tuple[Table | None, list[Finding]]:
    """The year's meetings and development sessions, by date."""
    held = meetings(report)
    if held is None:
        return None, []
    caption = f"Board meetings and development sessions in {report.year}"
    when = [f"{'' if text._is_missing(d) else str(int(d)) + ' '}{m} {int(y)}" for d, m, y in zip(held["day"], held["month"], held["year"])]
    shown = pd.DataFrame({"Date": when, "Type": held["event_type"].map(MEETING_TYPES), "Business": held["event"]})
    return Table(shown, caption, report.source_of(held)), duplicate_rows(shown, report.file("hwb_meetings"), caption, report.severity, held["_line"])


def build(report: Report) -> Section:
    """Membership, then the year's meetings."""
    s = Section()
    add(s, membership_table(report), "Membership", gap=report.note("hwb_membership"))
    add(s, meetings_table(report), f"Meetings in {report.year}", gap=report.note("hwb_meetings"))
    return s


def figures(report: Report) -> dict[str, Any] | None:
    """``board.*`` for prose: members, organisations, the chair, meetings and development sessions."""
    members = report.for_year("hwb_membership")
    held = meetings(report)
    out: dict[str, Any] = {}
    if members is not None:
        out["members"] = len(members)
        out["organisations"] = int(members["organisation_or_portfolio"].nunique())
        chair = members[members["role"] == "Chair"]
        if len(chair) and not text._is_missing(chair.iloc[0]["person_named_in_report"]):
            out["chair"] = person(chair.iloc[0]["person_named_in_report"])
    if held is not None:
        out["meetings"] = len(held)
        out["development_sessions"] = int((held["event_type"] == "hwb_development_session").sum())
    return out or None
