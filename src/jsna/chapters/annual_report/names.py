"""The figures prose may name (``{{ bcf.total | money }}``), computed from the data once per edition.

A figure whose data is absent is left out, so prose that names it is reported by
:func:`jsna.prose.lint` (and marked on a draft page) instead of showing a wrong number.
"""

from __future__ import annotations

from typing import Any

from jsna import inputs
from jsna.chapters.annual_report import appendix, bcf, board, jsna_progress
from jsna.chapters.annual_report.report import Report, edition_context, settings_key
from jsna.chapters.annual_report.years import next_year, previous_year
from jsna.page import PageContext


def figures(ctx: PageContext) -> dict[str, Any]:
    """Every figure prose may name for the page's edition and period."""
    return _figures(edition_context(ctx), settings_key(ctx))


@inputs.memoize(maxsize=16)
def _figures(ctx: PageContext, settings: str) -> dict[str, Any]:
    return compose(Report(ctx, quiet=True))


def compose(report: Report) -> dict[str, Any]:
    """The figures of one report, by the name prose uses (absent when their data is)."""
    children = report.ctx.board.children
    names: dict[str, Any] = {
        "year": report.year,
        "previous_year": previous_year(report.year),
        "next_year": next_year(report.year),
        "place": report.ctx.board.place,
        "board_name": report.ctx.board.name,
        "n_areas": len(children),  # areas of the level below the board's own
        "area_names": [a.name for a in children],
        "bcf": bcf.figures(report),
        "jsna": jsna_progress.figures(report),
        "pna": jsna_progress.pna_figures(report),
        "board": board.figures(report),
        "chwp": appendix.plan_figures(report),
        "case_studies": appendix.case_study_figures(report),
    }
    return {k: v for k, v in names.items() if v is not None}
