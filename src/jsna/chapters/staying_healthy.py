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

DOMAIN = "Staying healthy, safe and well"
#: How many of the strongest and of the weakest results the key findings quote.
QUOTED = 3
#: Dashboard indicators about the places people live and work; the rest are behaviours and health.
WIDER_DETERMINANTS = (
    "ahah_index", "pm25_concentration", "pm25_mortality_fraction", "employment_gap_ltc", "employment_gap_ld",
    "employment_gap_smh", "sickness_absence_employees", "sickness_absence_days", "outdoor_space_use",
    "fuel_poverty", "fast_food_density", "food_insecurity_risk", "alcohol_premises_density", "walking_for_travel",
)


def frame(ctx: PageContext) -> pd.DataFrame:
    """Every indicator of the domain with a value for the page's area."""
    return ind.comparisons(ctx.board, ctx.area.code, [DOMAIN])


def key_findings(ctx: PageContext) -> Markdown:
    """The shared topic findings; each quoted figure names its source, as in the tables."""
    return topics.key_findings(ctx, frame(ctx), "staying healthy, safe and well", QUOTED)


def _part(ctx: PageContext, wider: bool) -> pd.DataFrame:
    f = frame(ctx)
    mask = f["indicator_id"].isin(WIDER_DETERMINANTS)
    return f[mask if wider else ~mask]


def wider_determinants_table(ctx: PageContext) -> Table:
    return ind.indicator_table(_part(ctx, True), ctx.area.name, ctx.board.comparator.name,
                               f"Wider determinants of health, {ctx.area.name} against {ctx.board.comparator.name}, latest period")


def behaviours_table(ctx: PageContext) -> Table:
    return ind.indicator_table(_part(ctx, False), ctx.area.name, ctx.board.comparator.name,
                               f"Behaviours, sexual health and prevention, {ctx.area.name} against {ctx.board.comparator.name}, latest period")


def spine_figure(ctx: PageContext) -> Figure:
    """The area against England and the range across the districts, for the domain's indicators
    that are published for every district (spine chart); the rest are in the tables."""
    fig = ind.spine_figure(ctx.board, ctx.area.code, [DOMAIN], "staying healthy")
    if fig is None:
        raise ValueError(f"no {DOMAIN} indicator is published for every district of {ctx.board.place}")
    return fig


def methods(ctx: PageContext) -> Markdown:
    return data_and_methods(ctx, [frame(ctx)], ["significance", "trend", "rank", "strongest"])
