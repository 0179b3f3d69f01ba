"""Landing page of the JSNA edition."""

from __future__ import annotations

from IPython.display import Markdown

from jsna.chapters.population import TOTAL, population
from jsna.page import PageContext, render


def introduction(ctx: PageContext) -> Markdown:
    wide = population(ctx.board)
    return render(
        "jsna_landing.md.j2",
        ctx=ctx,
        year=wide.attrs["year"],
        county_total=wide.loc[ctx.board.county.code, TOTAL],
        districts=ctx.board.districts,
    )
