"""Staying healthy, safe and well: the wider determinants and behaviour indicators of the JHWS dashboard."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from jsna.chapters import indicators as ind
from jsna.chapters import topics
from jsna.chapters.methods import data_and_methods
from jsna.charts import Figure
from jsna.page import PageContext
from jsna.tables import Table

#: How many of the strongest and of the weakest results the key findings quote.
QUOTED = 3


def frame(ctx: PageContext) -> pd.DataFrame:
    """Every indicator of the chapter's domains (board file) with a value for the page's area."""
    return ind.comparisons(ctx.board, ctx.area.code, list(ctx.shows("domains")))


def key_findings(ctx: PageContext) -> Markdown:
    """The shared topic findings; each quoted figure names its source, as in the tables."""
    return topics.key_findings(ctx, frame(ctx), "staying healthy, safe and well", QUOTED)


def _part(ctx: PageContext, wider: bool) -> pd.DataFrame:
    f = frame(ctx)
    # the board file's `wider_determinants`: indicators about the places people live and work
    mask = f["indicator_id"].isin(ctx.shows("wider_determinants"))
    return f[mask if wider else ~mask]


def wider_determinants_table(ctx: PageContext) -> Table:
    return ind.indicator_table(_part(ctx, True), ctx.area.name, ctx.board.comparator.name,
                               f"Wider determinants of health, {ctx.area.name} against {ctx.board.comparator.name}, latest period")


def behaviours_table(ctx: PageContext) -> Table:
    return ind.indicator_table(_part(ctx, False), ctx.area.name, ctx.board.comparator.name,
                               f"Behaviours, sexual health and prevention, {ctx.area.name} against {ctx.board.comparator.name}, latest period")


def spine_figure(ctx: PageContext) -> Figure | Markdown:
    """The area against England and the range across the sub-areas, for the domain's indicators
    that are published for every sub-area (spine chart); the rest are in the tables."""
    return ind.spine_figure(ctx.board, ctx.area.code, list(ctx.shows("domains")), "staying healthy") or ind.no_spine_note(ctx.board)


def methods(ctx: PageContext) -> Markdown:
    return data_and_methods(ctx, [frame(ctx)], ["significance", "trend", "rank", "strongest"])
