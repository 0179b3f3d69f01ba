"""Area profile: one template run for the county and for each district."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from jsna.chapters import indicators as ind
from jsna.chapters.methods import data_and_methods
from jsna.chapters.population import BANDS, TOTAL, district_totals, population
from jsna.chapters.population import population_table as _population_table
from jsna.charts import Figure
from jsna.page import PageContext, render
from jsna.tables import Table

DOMAINS = ["Health profile", "Staying healthy, safe and well", "Health protection"]


def frame(ctx: PageContext) -> pd.DataFrame:
    """Every indicator with a value for the page's area, compared with England and the county."""
    return ind.comparisons(ctx.board, ctx.area.code, DOMAINS)


def summary(ctx: PageContext) -> Markdown:
    wide = population(ctx.board)
    area = wide.loc[ctx.area.code]
    comparator = wide.loc[ctx.board.comparator.code]
    county = wide.loc[ctx.board.county.code]
    totals = district_totals(ctx.board)
    rank = None if ctx.is_county else int(totals.index[totals["area"] == ctx.area.name][0]) + 1
    f = frame(ctx)
    c = ind.counts(f)
    county_words = f["versus_county"].value_counts()
    return render(
        "profile_summary.md.j2",
        ctx=ctx,
        year=wide.attrs["year"],
        total=area[TOTAL],
        county_total=county[TOTAL],
        county_share=100 * area[TOTAL] / county[TOTAL],
        rank=rank,
        n_districts=len(totals),
        share_65=100 * (area["65-79"] + area["80+"]) / area[TOTAL],
        share_65_cmp=100 * (comparator["65-79"] + comparator["80+"]) / comparator[TOTAL],
        share_0_15=100 * area["0-15"] / area[TOTAL],
        bands=BANDS,
        n_indicators=len(f),
        better=c.get("Better", 0),
        worse=c.get("Worse", 0),
        better_county=int(county_words.get("Better", 0)),
        worse_county=int(county_words.get("Worse", 0)),
        best=ind.findings(ind.strongest(f, "Better", 2), ctx.area.name, ctx.board.comparator.name),
        worst=ind.findings(ind.strongest(f, "Worse", 2), ctx.area.name, ctx.board.comparator.name),
    )


def spine_figure(ctx: PageContext) -> Figure:
    """The area against England and the range across the districts (spine chart)."""
    fig = ind.spine_figure(ctx.board, ctx.area.code, DOMAINS, "health profile")
    if fig is None:
        raise ValueError(f"no indicator is published for every district of {ctx.board.place}")
    return fig


def indicator_table(ctx: PageContext) -> Table:
    f = frame(ctx)
    county = None if ctx.is_county else ctx.board.county.name
    return ind.indicator_table(f, ctx.area.name, ctx.board.comparator.name,
                               f"Every indicator published for {ctx.area.name}, latest period", county=county)


def omitted_note(ctx: PageContext) -> Markdown:
    """Which indicators have no value for this area (left out of the table rather than shown blank)."""
    return render("profile_omitted.md.j2", ctx=ctx, missing=ind.missing_for_area(ctx.board, ctx.area.code, DOMAINS))


def methods(ctx: PageContext) -> Markdown:
    methods = ["significance", "population"] if not ctx.is_county else ["significance", "trend", "rank", "population"]
    notes = [] if ctx.is_county else [f"Comparisons with {ctx.board.county.name} use the county value for the same period, sex and age, by direction only."]
    return data_and_methods(ctx, [population(ctx.board), frame(ctx)], methods, notes)


def population_table(ctx: PageContext) -> Table:
    """Residents by broad age band for the area, the county and the comparator."""
    codes = list(dict.fromkeys([ctx.area.code, ctx.board.county.code, ctx.board.comparator.code]))
    return _population_table(ctx, codes)
