"""Pharmaceutical needs: pharmacy access by area of the board (PNA)."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from jsna import charts, data, stats, text
from jsna.chapters.methods import data_and_methods, note_for
from jsna.charts import Figure
from jsna.page import PageContext, render
from jsna.tables import Table


def _names(ctx: PageContext) -> dict[str, str]:
    return {a.code: a.name for a in (*ctx.board.areas, ctx.board.comparator)}


def pharmacies(ctx: PageContext) -> pd.DataFrame:
    """Pharmacies and dispensing practices per area, sub-areas first, then the board's area (and England if held)."""
    p = data.load("pharmacies")
    names = _names(ctx)
    order = [d.code for d in ctx.board.children] + [ctx.board.root.code, ctx.board.comparator.code]
    p = p[p["area_code"].isin(order)].set_index("area_code").loc[[c for c in order if c in set(p["area_code"])]].reset_index()
    p.insert(1, "area", p["area_code"].map(names))
    return p


def pharmacy_table(ctx: PageContext) -> Table:
    p = pharmacies(ctx)
    shown = pd.DataFrame({
        "Area": p["area"],
        "Community pharmacies": p["community_pharmacies"].map(text.format_number),
        "Dispensing GP practices": p["dispensing_gp_practices"].map(text.format_number),
        f"Residents (mid-{p['population_year'].iloc[0]})": p["population"].map(text.format_number),
        "Pharmacies per 10,000": p["pharmacies_per_10000"].map(lambda x: text.format_number(x, 1)),
        "Pharmacies and dispensing practices per 10,000": p["pharmacies_and_dispensing_gps_per_10000"].map(lambda x: text.format_number(x, 1)),
    })
    return Table(shown, f"Community pharmacies and dispensing GP practices by {ctx.board.child_level.word}, {p['period'].iloc[0]}", note_for(p))


RATE = "pharmacies_and_dispensing_gps_per_10000"
RATE_MEASURE = "Pharmacies and dispensing practices per 10,000 residents"


def _comparator(ctx: PageContext, p: pd.DataFrame) -> tuple[str, float]:
    """England's rate where the data hold one for the same period, else the board area's."""
    for code in (ctx.board.comparator.code, ctx.board.root.code):
        row = p[p["area_code"] == code]
        if len(row):
            return str(row["area"].iloc[0]), float(row[RATE].iloc[0])
    raise ValueError("pharmacies: no comparator rate")


def pharmacy_figure(ctx: PageContext) -> Figure:
    """Pharmacies and dispensing practices per 10,000 residents by sub-area, against the comparator rate."""
    p = pharmacies(ctx)
    children = p[p["area_code"].isin([d.code for d in ctx.board.children])]
    name, rate = _comparator(ctx, p)
    fig = charts.compare_areas(
        pd.DataFrame({"area": children["area"], "value": children[RATE]}),
        measure=RATE_MEASURE, period=str(p["period"].iloc[0]), comparator=(name, rate),
        highlight=None if ctx.is_root else ctx.area.name, source=note_for(p))
    if name != ctx.board.comparator.name:
        fig.note = f"The data hold no {ctx.board.comparator.name} rate for the same period, so the line marks the {name} rate."
    return fig


def pharmacy_map(ctx: PageContext) -> Figure:
    """The same rates as a tile map of the sub-areas (positions from the board file), shaded by quintile."""
    p = pharmacies(ctx)
    children = p[p["area_code"].isin([d.code for d in ctx.board.children])]
    quintile = stats.quantiles(children[RATE], min(5, len(children)), invert=True)
    return charts.tile_map(pd.DataFrame({"area_code": children["area_code"], "area": children["area"], "value": children[RATE],
                                         "quantile": quintile.to_numpy()}),
                           measure=RATE_MEASURE, period=str(p["period"].iloc[0]), source=note_for(p),
                           tiles={a.code: a.tile for a in ctx.board.children if a.tile})


def opening_hours(ctx: PageContext) -> pd.DataFrame:
    h = data.load("pharmacy_opening_hours")
    names = _names(ctx)
    order = [d.code for d in ctx.board.children] + [ctx.board.root.code]
    h = h.set_index("area_code").loc[[c for c in order if c in set(h["area_code"])]].reset_index()
    h.insert(1, "area", h["area_code"].map(names))
    return h


def opening_hours_table(ctx: PageContext) -> Table:
    h = opening_hours(ctx)
    n = lambda s: s.fillna(0).map(text.format_number)  # noqa: E731 - blank in the source means none
    shown = pd.DataFrame({
        "Area": h["area"], "Under 40 hours": n(h["pharmacies_under_40_hours"]), "40 to 71 hours": n(h["pharmacies_40_to_71_hours"]),
        "72 to 100 hours": n(h["pharmacies_72_to_100_hours"]), "All pharmacies": n(h["pharmacies_total"]),
        "Open weekday evenings": n(h["weekday_evening"]), "Open Saturday": n(h["saturday"]), "Open Sunday": n(h["sunday"]),
    })
    return Table(shown, f"Community pharmacies by weekly opening hours band and by when they open, {h['period'].iloc[0]}", note_for(h))


def key_findings(ctx: PageContext) -> Markdown:
    p = pharmacies(ctx)
    h = opening_hours(ctx)
    root = p[p["area_code"] == ctx.board.root.code].iloc[0]
    children = p[p["area_code"].isin([d.code for d in ctx.board.children])]
    col = "pharmacies_and_dispensing_gps_per_10000"
    hc = h[h["area_code"] == ctx.board.root.code].iloc[0]
    return render(
        "jsna_pharmacy_findings.md.j2", ctx=ctx, period=root["period"], root=root,
        top=children.loc[children[col].idxmax()], low=children.loc[children[col].idxmin()],
        below=children[children[col] < root[col]]["area"].tolist(),
        hours=hc, england_held=ctx.board.comparator.code in set(p["area_code"]),
    )


def methods(ctx: PageContext) -> Markdown:
    notes = [] if ctx.board.comparator.code in set(pharmacies(ctx)["area_code"]) else [
        f"The data hold no {ctx.board.comparator.name} rate per 10,000 for the same period, so the {ctx.board.child_level.plural} are compared with {ctx.board.root.name} only."]
    return data_and_methods(ctx, [pharmacies(ctx), opening_hours(ctx)], ["rates", "counts"], notes)
