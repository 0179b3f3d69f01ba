"""The edition's own pages: the contents (with the year in brief) and the review of every check.

Both read the sections through :func:`jsna.chapters.annual_report.sections.computed`, the same
computation the section pages use, so no section is built twice for one edition.
"""

from __future__ import annotations

import re

import pandas as pd

from jsna import data, prose, text
from jsna.chapters.annual_report import sections
from jsna.chapters.annual_report.report import Report, Section, md
from jsna.prose import Finding
from jsna.tables import Table


def build_contents(report: Report) -> Section:
    """The cover page: the year's report in brief and a contents list generated from every page's headings."""
    lines = []
    for page, name in sections.pages(report.ctx.edition):
        if name not in sections.SECTIONS:
            continue
        lines.append(f"1. {{doc}}`{sections.title(name, report)} <{page}>`")
        lines += [f"   - {title}" for level, title in prose.headings(sections.computed(report.ctx, name).markdown()) if level == 2]
    findings = []
    if not lines:
        findings.append(Finding(report.label(report.ctx.board.path), 0, "empty_contents", f"edition {report.ctx.edition.id} has no sections", report.severity))
    intro = (
        f"The {report.ctx.board.name} reports each year on its statutory duties and on progress against the Joint Health "
        f"and Wellbeing Strategy. This is the report for {report.year}. Tables and charts are generated from the data "
        "files published with this book; each is followed by its source."
    )
    return Section([md(intro), md("## Contents\n\n" + "\n".join(lines))], findings)


def edition_findings(report: Report) -> tuple[list[Finding], list[tuple[Finding, str]]]:
    """Open and acknowledged findings of every section of the report's edition, each once."""
    open_: list[Finding] = []
    accepted: list[tuple[Finding, str]] = []
    for _, name in sections.pages(report.ctx.edition):
        if name in sections.SECTIONS:
            s = sections.computed(report.ctx, name)
            open_ += [f for f in s.findings if f not in open_]
            accepted += [a for a in s.acknowledged if a not in accepted]
    return open_, accepted


def counted(n: int, noun: str) -> str:
    """"1 difference", "2 differences"."""
    return f"{text.format_number(n)} {noun}{'' if n == 1 else 's'}"


def acknowledged_part(accepted: list[tuple[Finding, str]]) -> list:
    """The review page's list of differences in the sources themselves that were reviewed and kept (none: nothing).

    Written for readers: what differs, not where the data team recorded it.
    """
    if not accepted:
        return []
    intro = (
        f"The checks found {counted(len(accepted), 'difference')} within the published sources themselves. "
        f"{'It was' if len(accepted) == 1 else 'Each was'} reviewed, and the figures are shown as the source publishes them; "
        "a reviewed difference does not stop the report being final."
    )
    items = "\n".join(f"- {f.message}" for f, _ in accepted)
    return [md(f"## Acknowledged discrepancies\n\n{intro}\n\n{items}")]


def checked_against(report: Report) -> str:
    """How the edition's figures were checked, naming a source that is only available as a draft."""
    registry = data.sources(report.folder)
    entries = [registry.get(i, {}) for i in report.settings.get("report_sources") or []]
    drafts = [str(e["title"]) for e in entries if re.search(r"\bdraft\b", str(e.get("title", "")), re.IGNORECASE)]
    lines = [
        ("Every table and chart in this edition is generated from the data files published with this book. "
         "Each number shown is checked against the data it came from, totals against their parts, and the "
         "prose against the report's writing rules.")
    ]
    if drafts:
        names = " and ".join(re.sub(r"\s*\((?i:draft)\)\s*$", "", d) for d in drafts)
        lines.append(
            f"The figures for {report.year} were taken from, and checked against, the draft text of the {names}, "
            "which is the version of the source available; that is why the source notes name it as a draft."
        )
    return " ".join(lines)


def build_review(report: Report) -> Section:
    """The review page: how the edition was checked, and every open problem to fix before it is made final."""
    findings, accepted = edition_findings(report)
    method = md(f"## How this edition was checked\n\n{checked_against(report)}")
    if not findings:
        return Section([method, md(f"All checks passed for the {report.year} report: prose, tables, totals and contents."), *acknowledged_part(accepted)])
    rows = pd.DataFrame(
        {
            "Where": [f"{f.file}:{f.line}" if f.line else f.file for f in findings],
            "Rule": [f.rule for f in findings],
            "Problem": [f.message for f in findings],
        }
    )
    intro = f"{counted(len(findings), 'problem')} found. In a final edition each of these stops the build; fix them, or correct the data, before changing the status to final."
    parts = [method, md(f"## Open issues\n\n{intro}"), Table(rows, f"Open issues in the {report.year} annual report", "Source: jsna checks run during this build")]
    return Section([*parts, *acknowledged_part(accepted)], [])
