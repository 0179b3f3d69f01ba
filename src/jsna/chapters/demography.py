"""Demography chapter: who lives in the board's area and in each of the areas below it."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from jsna import charts, data, text
from jsna.chapters import indicators as ind
from jsna.chapters.methods import data_and_methods, note_for
from jsna.chapters.population import BANDS, TOTAL, band_sum, child_totals, population, population_table
from jsna.charts import Figure
from jsna.page import PageContext, render
from jsna.tables import Table



def key_findings(ctx: PageContext) -> Markdown:
    wide = population(ctx.board)
    root = wide.loc[ctx.board.root.code]
    comparator = wide.loc[ctx.board.comparator.code]
    totals = child_totals(ctx.board)
    whole = band_sum(wide)
    share_65 = 100 * (root["65-79"] + root["80+"]) / whole[ctx.board.root.code]
    share_65_cmp = 100 * (comparator["65-79"] + comparator["80+"]) / whole[ctx.board.comparator.code]
    return render(
        "demography_findings.md.j2",
        ctx=ctx,
        year=wide.attrs["year"],
        root_total=root[TOTAL],
        largest=totals.iloc[0],
        smallest=totals.iloc[-1],
        n_children=len(totals),
        share_65=share_65,
        share_65_cmp=share_65_cmp,
    )


# --------------------------------------------------------------------------- projections, ethnicity, deprivation


def projections(ctx: PageContext) -> pd.DataFrame:
    """Projected population of the board's area by age band and year (persons)."""
    p = data.load("population_projections")
    return p[(p["area_code"] == ctx.board.root.code) & (p["measure"] == "population")]


def projection_changes(ctx: PageContext) -> pd.DataFrame:
    """Projected percentage change by age band and area, as published."""
    p = data.load("population_projections")
    return p[p["measure"] == "pct_change"]


def projection_figure(ctx: PageContext) -> Figure:
    """Projected change in residents of all ages by sub-area, against England (compare-areas bars)."""
    c = projection_changes(ctx)
    names = {a.code: a.name for a in ctx.board.children}
    d = c[c["area_code"].isin(names) & (c["age_band"] == TOTAL)]
    england = c[(c["area_code"] == ctx.board.comparator.code) & (c["age_band"] == TOTAL)]
    root = c[(c["area_code"] == ctx.board.root.code) & (c["age_band"] == TOTAL)]
    ref = england if len(england) else root
    ref_name = ctx.board.comparator.name if len(england) else ctx.board.root.name
    fig = charts.compare_areas(
        pd.DataFrame({"area": d["area_code"].map(names), "value": d["value"]}),
        measure="Projected population change (all ages)", unit="%", period=str(d["period"].iloc[0]),
        comparator=(ref_name, float(ref["value"].iloc[0])), source=note_for(pd.concat([d, ref])))
    if len(root):
        fig.alt_text += f" {ctx.board.root.name} as a whole: {text.format_value(root['value'].iloc[0], '%')}."
    return fig


def projection_table(ctx: PageContext) -> Table:
    c = projection_changes(ctx)
    names = {a.code: a.name for a in (*ctx.board.areas, ctx.board.comparator)}
    c = c[c["area_code"].isin(names)]
    wide = c.pivot_table(index="area_code", columns="age_band", values="value", sort=False, aggfunc="first")
    order = [a.code for a in (*ctx.board.areas, ctx.board.comparator) if a.code in wide.index]
    wide = wide.loc[order]
    shown = pd.DataFrame({"Area": [names[x] for x in wide.index]})
    for band in wide.columns:
        shown[f"{band} change (%)"] = [text.format_value(v, "%") if not pd.isna(v) else "not published" for v in wide[band]]
    period = c["period"].iloc[0]
    return Table(shown, f"Projected population change by age band, {period}", note_for(c))


def ethnicity_table(ctx: PageContext) -> Table:
    e = data.load("ethnicity")
    names = {a.code: a.name for a in (*ctx.board.areas, ctx.board.comparator)}
    e = e[e["area_code"].isin(names)]
    wide = e.pivot_table(index="area_code", columns="ethnic_group", values="share_pct", sort=False)
    order = [a.code for a in (*ctx.board.areas, ctx.board.comparator) if a.code in wide.index]
    wide = wide.loc[order]
    shown = pd.DataFrame({"Area": [names[x] for x in wide.index]})
    for group in wide.columns:
        shown[f"{group} (%)"] = wide[group].map(lambda v: text.format_value(v, "%")).to_list()
    return Table(shown, f"Residents by broad ethnic group, Census {e['period'].iloc[0]}", note_for(e))


def deprivation(ctx: PageContext) -> pd.DataFrame:
    """Deprivation indicators (IMD score, children in low-income families) for every area that has them."""
    cat = ind.catalogue()
    return cat[cat["indicator_id"].isin(ctx.shows("deprivation")) & cat["value"].notna()]


def deprivation_table(ctx: PageContext) -> Table:
    d = deprivation(ctx)
    names = {a.code: a.name for a in (*ctx.board.areas, ctx.board.comparator)}
    d = d[d["area_code"].isin(names)]
    wide = d.pivot_table(index="area_code", columns="indicator_id", values="value", sort=False)
    order = [a.code for a in (*ctx.board.areas, ctx.board.comparator) if a.code in wide.index]
    wide = wide.loc[order]
    meta = d.drop_duplicates("indicator_id").set_index("indicator_id")
    shown = pd.DataFrame({"Area": [names[x] for x in wide.index]})
    for i in [x for x in ctx.shows("deprivation") if x in wide.columns]:
        shown[meta.loc[i, "title"]] = [ind.fmt(v, meta.loc[i, "unit"]) for v in wide[i]]
    return Table(shown, "Deprivation by area (higher is more deprived)", note_for(d))


def more_findings(ctx: PageContext) -> Markdown:
    p = projection_changes(ctx)
    root = p[p["area_code"] == ctx.board.root.code].drop_duplicates("age_band", keep="first").set_index("age_band")
    england = p[p["area_code"] == ctx.board.comparator.code].set_index("age_band")
    children = p[p["area_code"].isin([d.code for d in ctx.board.children]) & (p["age_band"] == "65+")].sort_values("value")
    names = {a.code: a.name for a in ctx.board.areas}
    e = data.load("ethnicity")
    e = e[e["area_code"].isin(names)]
    white = e[e["ethnic_group"] == "White"].sort_values("share_pct")
    d = deprivation(ctx)
    score = ctx.shows("deprivation")[0]  # the board file lists the deprivation score first
    imd = d[(d["indicator_id"] == score) & d["area_code"].isin(names)]
    imd_root = imd[imd["area_code"] == ctx.board.root.code]["value"]
    imd_eng = d[(d["indicator_id"] == score) & (d["area_code"] == ctx.board.comparator.code)]["value"]
    imd_d = imd[imd["area_code"].isin([x.code for x in ctx.board.children])].sort_values("value")
    return render(
        "demography_more_findings.md.j2", ctx=ctx, period=root["period"].iloc[0],
        all_cty=root.loc[TOTAL, "value"], all_eng=england.loc[TOTAL, "value"] if TOTAL in england.index else None,
        old_cty=root.loc["80+", "value"], old_eng=england.loc["80+", "value"] if "80+" in england.index else None,
        fastest=names[children.iloc[-1]["area_code"]], fastest_pct=children.iloc[-1]["value"],
        most_diverse=names[white.iloc[0]["area_code"]], most_diverse_white=white.iloc[0]["share_pct"], census=e["period"].iloc[0],
        imd_cty=imd_root.iloc[0] if len(imd_root) else None, imd_eng=imd_eng.iloc[0] if len(imd_eng) else None,
        imd_high=names[imd_d.iloc[-1]["area_code"]] if len(imd_d) else None, imd_low=names[imd_d.iloc[0]["area_code"]] if len(imd_d) else None,
    )


def methods(ctx: PageContext) -> Markdown:
    tables = [population(ctx.board), data.load("population_projections"), data.load("ethnicity"), deprivation(ctx)]
    return data_and_methods(ctx, tables, ["population"], [
        "The population data hold broad age bands for persons only, so the age structure is shown as shares by band rather than as a pyramid by sex.",
        *projection_notes(ctx),
        *band_total_notes(ctx),
        "Mid-year estimates count the whole population rather than sample it, so shares are compared with"
        " England without confidence intervals or significance tests.",
    ])


def projection_notes(ctx: PageContext) -> list[str]:
    """Which age bands the projections give for the board's area and for the areas below it."""
    c = projection_changes(ctx)
    below = sorted(set(c.loc[c["area_code"].isin([a.code for a in ctx.board.children]), "age_band"]))
    root = sorted(set(c.loc[c["area_code"] == ctx.board.root.code, "age_band"]))
    if not below or below == root:
        return []
    level = ctx.board.child_level
    named = [b.lower() if b == TOTAL else b for b in sorted(below, key=lambda b: b != TOTAL)]
    return [f"Projections for the {level.plural} give {text.listing(named)} change only; the projection for "
            f"{ctx.board.root.name} gives every band."]


def band_total_notes(ctx: PageContext) -> list[str]:
    """Age shares are of the bands' sum: say where a published all-ages total differs from that sum."""
    wide = population(ctx.board)
    over = [str(wide.loc[code, "area"]) for code in wide.index if wide.loc[code, BANDS].sum() > wide.loc[code, TOTAL]]
    note = "Age shares are taken of the four bands' sum."
    if over:
        note += (f" The published bands of {text.listing(over)} add up to more than the published all-ages total, so "
                 "shares of that total would exceed 100%.")
    return [note]


def population_overview(ctx: PageContext) -> Table:
    """Residents by broad age band for the board's area, each area below it and the comparator."""
    return population_table(ctx, [a.code for a in ctx.board.areas] + [ctx.board.comparator.code])
