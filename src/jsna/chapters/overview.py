"""Overview: the board's health profile, every indicator against England, grouped by the domains
the board file lists for the chapter."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown, display

from jsna.chapters import indicators as ind
from jsna.chapters.methods import data_and_methods
from jsna.charts import Figure
from jsna import text
from jsna.page import PageContext, render, section
from jsna.tables import Table

TOP = 5


def domains(ctx: PageContext) -> list[str]:
    """The indicator domains the chapter shows, in page order (``indicators.domains`` in the board file)."""
    return list(ctx.shows("domains"))


def frame(ctx: PageContext) -> pd.DataFrame:
    return ind.comparisons(ctx.board, ctx.area.code, domains(ctx))


def key_findings(ctx: PageContext) -> Markdown:
    f = frame(ctx)
    c = ind.counts(f)
    comparator = ctx.board.comparator.name
    by_domain = [{"domain": d, "n": int((f["domain"] == d).sum()), "better": int(((f["domain"] == d) & (f["significance"] == "Better")).sum()),
                  "worse": int(((f["domain"] == d) & (f["significance"] == "Worse")).sum())} for d in domains(ctx)]
    return render("jsna_overview_findings.md.j2", ctx=ctx, total=len(f), better=c.get("Better", 0), worse=c.get("Worse", 0),
                  tested=int(f["tested"].sum()), by_domain=by_domain,
                  best=ind.findings(ind.strongest(f, "Better", TOP), ctx.area.name, comparator),
                  worst=ind.findings(ind.strongest(f, "Worse", TOP), ctx.area.name, comparator))


def strongest_table(ctx: PageContext, label: str) -> Table | Markdown:
    """The five findings furthest from England on the `label` side ("Better" or "Worse"), or a
    sentence saying there are none."""
    f = ind.strongest(frame(ctx), label, TOP)
    word = "better" if label == "Better" else "worse"
    if f.empty:
        return Markdown(f"*No indicator is on the {word} side of {ctx.board.comparator.name}.*")
    return ind.indicator_table(f, ctx.area.name, ctx.board.comparator.name, f"The {len(f)} indicators furthest {word} than {ctx.board.comparator.name}")


def indicator_sections(ctx: PageContext) -> Markdown:
    """A sub-section per strategy area, each with its spine-chart table."""
    f = frame(ctx)
    parts = []
    for domain in domains(ctx):
        rows = f[f["domain"] == domain]
        if rows.empty:
            continue
        table = ind.indicator_table(rows, ctx.area.name, ctx.board.comparator.name, f"{domain}: {ctx.area.name} against {ctx.board.comparator.name}, latest period")
        parts.append(f"### {domain}\n\n{table._repr_html_()}\n")
    return Markdown("\n".join(parts))


def spine_figure(ctx: PageContext) -> Figure | Markdown:
    """The board's area against England and the range across its sub-areas (spine chart)."""
    return ind.spine_figure(ctx.board, ctx.area.code, domains(ctx), "health profile") or ind.no_spine_note(ctx.board)


def compare_areas_figures(ctx: PageContext) -> None:
    """A section with each indicator of ``indicators.compare_areas`` (board file) by sub-area against
    England (compare-areas bars); nothing when the board lists none."""
    ids = ctx.shows("compare_areas", optional=True)
    if not ids:
        return
    titles = ind.catalogue().drop_duplicates("indicator_id").set_index("indicator_id").loc[list(ids), "short_title"]
    display(section(f"{text.common_prefix(titles.tolist()) or 'Selected indicators'} by {{child}}", ctx))
    for indicator_id in ids:
        display(ind.compare_areas_figure(ctx.board, indicator_id))


def methods(ctx: PageContext) -> Markdown:
    f = frame(ctx)
    undated = sorted(set(f.loc[f["period"] == ind.NO_PERIOD, "source_id"].map(ind.source_label)))
    notes = [f"Indicators from {', '.join(undated)} have no period in the source; their period is shown as "
             f"\"{ind.NO_PERIOD}\", and the tables show the figure with the latest stated period where another "
             "source gives one."] if undated else []
    return data_and_methods(ctx, [f], ind.methods_used(f, ["significance", "trend", "rank", "strongest"]), notes)
