"""Area profile: one template run for the county and for each district."""

from __future__ import annotations

from IPython.display import Markdown

from jsna.chapters.population import BANDS, TOTAL, district_totals, population
from jsna.page import PageContext, render


def summary(ctx: PageContext) -> Markdown:
    wide = population(ctx.board)
    area = wide.loc[ctx.area.code]
    comparator = wide.loc[ctx.board.comparator.code]
    county = wide.loc[ctx.board.county.code]
    totals = district_totals(ctx.board)
    rank = None if ctx.is_county else int(totals.index[totals["area"] == ctx.area.name][0]) + 1
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
    )
