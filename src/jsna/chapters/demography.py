"""Demography chapter: who lives in the county and its districts."""

from __future__ import annotations

from IPython.display import Markdown

from jsna.chapters.population import TOTAL, district_totals, population
from jsna.page import PageContext, render


def key_findings(ctx: PageContext) -> Markdown:
    wide = population(ctx.board)
    county = wide.loc[ctx.board.county.code]
    comparator = wide.loc[ctx.board.comparator.code]
    totals = district_totals(ctx.board)
    share_65 = 100 * (county["65-79"] + county["80+"]) / county[TOTAL]
    share_65_cmp = 100 * (comparator["65-79"] + comparator["80+"]) / comparator[TOTAL]
    return render(
        "demography_findings.md.j2",
        ctx=ctx,
        year=wide.attrs["year"],
        county_total=county[TOTAL],
        largest=totals.iloc[0],
        smallest=totals.iloc[-1],
        n_districts=len(totals),
        share_65=share_65,
        share_65_cmp=share_65_cmp,
    )
