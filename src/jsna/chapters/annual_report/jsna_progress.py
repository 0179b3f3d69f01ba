"""The JSNA progress section: chapters approved, assessments in development, and the register's date.

When the year's sources include no chapter register, the latest register is shown with the
source it is from, and each assessment then in development is marked where this book's JSNA
edition now has a chapter of that title.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from jsna import data, text
from jsna.chapters.annual_report.checks import duplicate_rows
from jsna.chapters.annual_report.report import NOT_REPORTED, Report, Section, add
from jsna.chapters.annual_report.years import by_year_end, in_financial_year
from jsna.config import slugify
from jsna.prose import Finding
from jsna.tables import Table

JSNA_KIND = "jsna"  # the edition kind whose chapters the register is compared with
PNA = "pharmaceutical_needs_assessment"


def jsna_chapter_slugs(report: Report) -> set[str]:
    """Slugs of the chapters of this book's JSNA editions."""
    return {c.slug for e in report.ctx.board.editions if e.kind == JSNA_KIND for c in e.chapters}


def register_is_current(report: Report, reg: pd.DataFrame) -> bool:
    """True when the chapter register comes from a source of the report's own year."""
    sources = set(report.settings.get("report_sources") or [])
    return set(reg["source_id"].dropna().astype(str)) <= sources


def register_intro(report: Report) -> str | None:
    """Says, for a year whose sources do not include the register, when the register is from."""
    reg = report.table("jsna_chapter_register")
    if reg is None or register_is_current(report, reg):
        return None
    return (
        f"The sources for {report.year} include no chapter register, so the register below is as it stood in the "
        f"{report.source_of(reg).removeprefix('Source: ')}. Where this book's JSNA edition now has a chapter "
        "on an assessment that was then in development, the table says so."
    )


def jsna_tables(report: Report) -> tuple[list, list[Finding]]:
    """The approved chapters (and whether approved in the year) and the assessments in development."""
    reg = report.table("jsna_chapter_register")
    if reg is None:
        return [], []
    file, parts, findings = report.file("jsna_chapter_register"), [], []
    chapters = reg[(reg["record_type"] == "jsna_chapter") & (reg["status"] == "approved")]
    if len(chapters):
        caption = "JSNA chapters approved, with the month of approval"
        when = list(zip(chapters["approved_year"], chapters["approved_month"]))
        shown = pd.DataFrame(
            {
                "Chapter": [t + (" (partial)" if p is True else "") for t, p in zip(chapters["title"], chapters["partial_jsna"])],
                "Approved": [f"{m} {int(y)}" for y, m in when],
                f"Approved in {report.year}?": ["Yes" if in_financial_year(y, m, report.year) else "No" for y, m in when],
            }
        )
        parts.append(Table(shown, caption, data.source_note(reg)))
        findings += duplicate_rows(shown, file, caption, report.severity, chapters["_line"])
    developing = reg[reg["status"] == "in development"]
    if len(developing):
        caption = "Needs assessments in development"
        shown = pd.DataFrame({"Needs assessment": developing["title"], "Due": developing["due_year"].map(lambda y: NOT_REPORTED if text._is_missing(y) else str(int(y)))})
        if not register_is_current(report, reg):
            caption += f", as listed in the {report.source_of(developing).removeprefix('Source: ')}"
            chapters_now = jsna_chapter_slugs(report)
            shown["In this book's JSNA"] = ["Yes, as a chapter" if slugify(t) in chapters_now else "No chapter of that title" for t in developing["title"]]
        parts.append(Table(shown, caption, data.source_note(reg)))
        findings += duplicate_rows(shown, file, caption, report.severity, developing["_line"])
    return parts, findings


def build(report: Report) -> Section:
    """The chapter register."""
    s = Section()
    add(s, jsna_tables(report), "Chapter register", register_intro(report))
    return s


def figures(report: Report) -> dict[str, Any] | None:
    """``jsna.*`` for prose: chapters approved in and by the year, assessments in development, the cycle."""
    reg = report.table("jsna_chapter_register")
    if reg is None:
        return None
    chapters = reg[reg["record_type"] == "jsna_chapter"]
    approved = chapters[chapters["status"] == "approved"]
    when = list(zip(approved["approved_year"], approved["approved_month"]))
    developing = reg[(reg["status"] == "in development") & (reg["record_type"] != PNA)]
    cycles = chapters["jsna_cycle"].dropna().unique().tolist()
    return {
        "approved_by_year_end": int(sum(by_year_end(y, m, report.year) for y, m in when)),
        "approved_in_year": int(sum(in_financial_year(y, m, report.year) for y, m in when)),
        "in_development": len(developing),
        "in_development_titles": developing["title"].tolist(),
        "cycle": cycles[-1] if cycles else None,
    }


def pna_figures(report: Report) -> dict[str, Any] | None:
    """``pna.*`` for prose: the year of the latest pharmaceutical needs assessment and when the next is due."""
    reg = report.table("jsna_chapter_register")
    if reg is None:
        return None
    pna = reg[reg["record_type"] == PNA]
    published = pna[pna["status"] == "published"]["approved_year"].dropna()
    due = pna[pna["status"] != "published"]["due_year"].dropna()
    out = {}
    if len(published):
        out["latest_year"] = int(published.max())
    if len(due):
        out["next_due"] = int(due.min())
    return out or None
