"""Pages of the report: build one (raising in a final edition on any finding), display it, or check it for ``jsna check``."""

from __future__ import annotations

from IPython.display import display

from jsna import prose, qa
from jsna.chapters.annual_report import review, sections
from jsna.chapters.annual_report.checks import as_quality_finding
from jsna.chapters.annual_report.report import Report, Section
from jsna.config import Board, Chapter, Edition
from jsna.page import PageContext, heading

TEMPLATE = "annual_report/section.ipynb"  # the template of every page, under chapters/
CONTENTS, REVIEW = "index", "review"  # the pages about the edition itself, beside the sections


def title_of(name: str, report: Report) -> str:
    """A page's title."""
    if name == CONTENTS:
        return f"{report.ctx.edition.title} {report.year}"
    if name == REVIEW:
        return "Review: checks on this edition" if report.status == "draft" else "Quality checks"
    return sections.title(name, report)


def content(name: str, report: Report) -> Section:
    """What a page shows and finds, before its title (never raises on a finding)."""
    if name == CONTENTS:
        return review.build_contents(report)
    if name == REVIEW:
        return review.build_review(report)
    if name not in sections.SECTIONS:
        raise ValueError(f"no section {name!r} in the annual report (sections: {', '.join([CONTENTS, *sections.SECTIONS, REVIEW])})")
    return sections.computed(report.ctx, name)


def build(name: str, ctx: PageContext) -> Section:
    """One page with its title; in a final edition, raise :class:`jsna.prose.ProseError` on any of its findings."""
    report = Report(ctx)
    s = content(name, report)
    prose.raise_for(s.findings, ctx.status)
    return Section([heading(title_of(name, report), ctx), *s.parts], s.findings, s.acknowledged)


def show(name: str, ctx: PageContext) -> None:
    """Display one page of the report (called by the section template)."""
    for part in build(name, ctx).parts:
        display(part)


def check_chapter(board: Board, edition: Edition, chapter: Chapter) -> list[qa.Finding]:
    """The open findings of one chapter made with :data:`TEMPLATE`, as :mod:`jsna.qa` reports findings
    (registered with :func:`jsna.qa.register`; severity follows the chapter's status)."""
    params = dict(chapter.parameters)
    ctx = PageContext(board, edition, board.root, str(params.get("period", edition.period)), str(params.get("status", edition.status)))
    name = sections.section_of(chapter)
    if name is None or name == REVIEW:  # the review page lists the sections' findings, it makes none
        return []
    report = Report(ctx)
    return [as_quality_finding(f, report.data_prefix) for f in content(name, report).findings]
