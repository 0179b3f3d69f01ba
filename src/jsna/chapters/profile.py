"""Area profile: one template run for the board's own area and for each area below it."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from jsna import data
from jsna.chapters import indicators as ind
from jsna.chapters.methods import data_and_methods
from jsna.chapters.population import BANDS, TOTAL, child_totals, population
from jsna.chapters.population import population_table as _population_table
from jsna.charts import Figure
from jsna.page import PageContext, render
from jsna.tables import Table


def frame(ctx: PageContext) -> pd.DataFrame:
    """Every indicator with a value for the page's area, compared with its benchmark (and its parent area)."""
    return ind.comparisons(ctx.board, ctx.area.code, list(ctx.shows("domains")))


def summary(ctx: PageContext) -> Markdown:
    wide = population(ctx.board)
    benchmark, parent = ind.comparators(ctx.board, ctx.area.code)
    area = wide.loc[ctx.area.code] if ctx.area.code in wide.index else None
    whole = wide.loc[ctx.board.root.code] if ctx.board.root.code in wide.index else None
    compared = wide.loc[benchmark.code] if benchmark.code in wide.index else None
    totals = child_totals(ctx.board)
    named = totals.index[totals["area"] == ctx.area.name]
    f = frame(ctx)
    c = ind.counts(f)
    parent_words = f["versus_parent"].value_counts()
    ages = area is not None and area[BANDS].notna().all() and area[TOTAL] > 0
    return render(
        "profile_summary.md.j2",
        ctx=ctx,
        benchmark=benchmark,
        parent=parent,
        year=wide.attrs["year"],
        total=None if area is None else area[TOTAL],
        root_share=None if area is None or whole is None else 100 * area[TOTAL] / whole[TOTAL],
        rank=int(named[0]) + 1 if len(named) and not ctx.is_root else None,
        n_children=len(ctx.board.children),
        made_of=made_of(ctx),
        share_65=100 * (area["65-79"] + area["80+"]) / area[TOTAL] if ages else None,
        share_65_cmp=100 * (compared["65-79"] + compared["80+"]) / compared[TOTAL] if ages and compared is not None else None,
        share_0_15=100 * area["0-15"] / area[TOTAL] if ages else None,
        bands=BANDS,
        n_indicators=len(f),
        better=c.get("Better", 0),
        worse=c.get("Worse", 0),
        better_parent=int(parent_words.get("Better", 0)),
        worse_parent=int(parent_words.get("Worse", 0)),
        best=ind.findings(ind.strongest(f, "Better", 2), ctx.area.name, benchmark.name),
        worst=ind.findings(ind.strongest(f, "Worse", 2), ctx.area.name, benchmark.name),
    )


def made_of(ctx: PageContext) -> list[str]:
    """The areas the page's area is built from (``area_lookup``: a locality's MSOAs), if the board keeps such a lookup."""
    if "area_lookup" not in data.table_names():
        return []
    lookup = data.load("area_lookup")
    return lookup.loc[lookup["area_code"] == ctx.area.code, "msoa_name"].tolist()


def spine_figure(ctx: PageContext) -> Figure | Markdown:
    """The area against its benchmark and the range across the board's sub-areas (spine chart)."""
    return ind.spine_figure(ctx.board, ctx.area.code, list(ctx.shows("domains")), "health profile") or ind.no_spine_note(ctx.board)


def indicator_table(ctx: PageContext) -> Table:
    f = frame(ctx)
    benchmark, parent = ind.comparators(ctx.board, ctx.area.code)
    return ind.indicator_table(f, ctx.area.name, benchmark.name,
                               f"Every indicator published for {ctx.area.name}, latest period", parent=parent.name if parent else None)


def omitted_note(ctx: PageContext) -> Markdown:
    """Which indicators have no value for this area (left out of the table rather than shown blank)."""
    return render("profile_omitted.md.j2", ctx=ctx, missing=ind.missing_for_area(ctx.board, ctx.area.code, list(ctx.shows("domains"))))


def methods(ctx: PageContext) -> Markdown:
    _, parent = ind.comparators(ctx.board, ctx.area.code)
    f = frame(ctx)
    methods = ind.methods_used(f, ["significance", "trend", "rank", "population"] if ctx.is_root else ["significance", "population"])
    notes = [f"Comparisons with {parent.name} use its value for the same period, sex and age, by direction only."] if parent else []
    return data_and_methods(ctx, [population(ctx.board), f], methods, notes)


def population_table(ctx: PageContext) -> Table:
    """Residents by broad age band for the area, the board's area and the benchmark."""
    benchmark, _ = ind.comparators(ctx.board, ctx.area.code)
    codes = list(dict.fromkeys([ctx.area.code, ctx.board.root.code, benchmark.code]))
    return _population_table(ctx, codes)
