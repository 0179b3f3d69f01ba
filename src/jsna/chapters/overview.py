"""Overview: the county health profile, every indicator against England, grouped by strategy area."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from jsna.chapters import indicators as ind
from jsna.chapters.methods import data_and_methods
from jsna.charts import Figure
from jsna.page import PageContext, render
from jsna.tables import Table

#: Strategy groupings of the indicator catalogue, in page order.
DOMAINS = ["Health profile", "Staying healthy, safe and well", "Health protection"]
TOP = 5


def frame(ctx: PageContext) -> pd.DataFrame:
    return ind.comparisons(ctx.board, ctx.area.code, DOMAINS)


def key_findings(ctx: PageContext) -> Markdown:
    f = frame(ctx)
    c = ind.counts(f)
    comparator = ctx.board.comparator.name
    by_domain = [{"domain": d, "n": int((f["domain"] == d).sum()), "better": int(((f["domain"] == d) & (f["significance"] == "Better")).sum()),
                  "worse": int(((f["domain"] == d) & (f["significance"] == "Worse")).sum())} for d in DOMAINS]
    return render("jsna_overview_findings.md.j2", ctx=ctx, total=len(f), better=c.get("Better", 0), worse=c.get("Worse", 0),
                  tested=int(f["tested"].sum()), by_domain=by_domain,
                  best=ind.findings(ind.strongest(f, "Better", TOP), ctx.area.name, comparator),
                  worst=ind.findings(ind.strongest(f, "Worse", TOP), ctx.area.name, comparator))


def strongest_table(ctx: PageContext, label: str) -> Table:
    """The five findings furthest from England on the `label` side ("Better" or "Worse")."""
    f = ind.strongest(frame(ctx), label, TOP)
    word = "better" if label == "Better" else "worse"
    return ind.indicator_table(f, ctx.area.name, ctx.board.comparator.name, f"The {len(f)} indicators furthest {word} than {ctx.board.comparator.name}")


def indicator_sections(ctx: PageContext) -> Markdown:
    """A sub-section per strategy area, each with its spine-chart table."""
    f = frame(ctx)
    parts = []
    for domain in DOMAINS:
        rows = f[f["domain"] == domain]
        if rows.empty:
            continue
        table = ind.indicator_table(rows, ctx.area.name, ctx.board.comparator.name, f"{domain}: {ctx.area.name} against {ctx.board.comparator.name}, latest period")
        parts.append(f"### {domain}\n\n{table._repr_html_()}\n")
    return Markdown("\n".join(parts))


#: Health-profile indicators compared across the districts (compare-areas bars).
DISTRICT_INDICATORS = ("life_expectancy_female", "life_expectancy_male")


def spine_figure(ctx: PageContext) -> Figure:
    """The county against England and the range across its districts (spine chart)."""
    fig = ind.spine_figure(ctx.board, ctx.area.code, DOMAINS, "health profile")
    if fig is None:
        raise ValueError(f"no indicator is published for every district of {ctx.board.place}")
    return fig


def district_figure(ctx: PageContext, indicator_id: str) -> Figure:
    """One health-profile indicator by district against England (compare-areas bars)."""
    return ind.district_figure(ctx.board, indicator_id)


def methods(ctx: PageContext) -> Markdown:
    return data_and_methods(ctx, [frame(ctx)], ["significance", "trend", "rank", "strongest"],
                            ["Indicators from the health profile table of the draft PNA 2025 have no period in the source; their period is "
                             f"shown as \"{ind.NO_PERIOD}\", and the tables show the figure with the latest stated period where "
                             "another source gives one."])
