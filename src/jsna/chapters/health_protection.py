"""Health protection: childhood and adolescent vaccination, flu, screening, TB, sexual health and HCAI."""

from __future__ import annotations

import re

import pandas as pd
from IPython.display import Markdown

from jsna import charts, compare, data, text
from jsna.chapters import indicators as ind
from jsna.chapters.methods import data_and_methods, note_for, source_note
from jsna.charts import Figure
from jsna.page import PageContext, render
from jsna.tables import Table

# Which indicators each part shows is listed in the board file (`indicators:` of the chapter):
# screening, hpv, sexual_health, tb (one id) and headline_vaccine (one id).


def goals(benchmark: object) -> tuple[float, float] | None:
    """The two goal values of a Fingertips benchmark text ("<90% | 90% to 95% | >=95%" -> (90, 95))."""
    if not isinstance(benchmark, str):
        return None
    numbers = [float(n.replace(",", "")) for n in re.findall(r"[\d,]+(?:\.\d+)?", benchmark)]
    return (min(numbers), max(numbers)) if numbers else None


def _goal_text(rag: str, low: float, high: float) -> str:
    return {"Green": f"Meets the {high:g}% goal", "Amber": f"Between {low:g}% and {high:g}%",
            "Red": f"Below {low:g}%"}.get(rag, "Not compared")


def vaccinations(ctx: PageContext) -> pd.DataFrame:
    """Childhood vaccination coverage, latest year: area, region and England with the goal rating."""
    cat = ind.catalogue()
    rows = cat[cat["indicator_id"].isin(ctx.shows("childhood_vaccinations"))]
    latest = rows["period"].map(ind.period_key).max()
    rows = rows[rows["period"].map(ind.period_key) == latest]
    wide = rows.pivot_table(index=["indicator_id", "short_title", "benchmark", "period"], columns="area_code", values="value").reset_index()
    region = ctx.board.comparator_for("region")
    codes = [ctx.area.code, *([region.code] if region else []), ctx.board.comparator.code]
    wide = wide[wide[ctx.area.code].notna()].copy()
    low_high = wide["benchmark"].map(goals)
    wide["rag"] = [compare.benchmark_rag(v, g[0], g[1]).iloc[0] for v, g in zip(wide[ctx.area.code], low_high)]
    wide["goal_text"] = [_goal_text(r, *g) for r, g in zip(wide["rag"], low_high)]
    wide["high_goal"] = [g[1] for g in low_high]
    wide = wide.set_index("indicator_id").loc[[i for i in rows["indicator_id"].drop_duplicates() if i in set(wide["indicator_id"])]].reset_index()
    wide.attrs["codes"] = codes
    wide.attrs["source_ids"] = list(dict.fromkeys(rows["source_id"].dropna()))
    return wide


def vaccination_table(ctx: PageContext) -> Table:
    v = vaccinations(ctx)
    names = {a.code: a.name for a in (ctx.area, *ctx.board.comparators)}
    shown = pd.DataFrame({"Vaccine and age": v["short_title"]})
    for code in v.attrs["codes"]:
        shown[names[code]] = v[code].map(lambda x: text.format_value(x, "%"))
    shown["Against the goal"] = v["goal_text"]
    return Table(shown, f"Childhood vaccination coverage, {v['period'].iloc[0]}, against the 90% and 95% goals", note_for(v))


def vaccination_figure(ctx: PageContext) -> Figure:
    """Coverage of each childhood vaccination against the upper goal (target vs actual)."""
    v = vaccinations(ctx)
    goal = float(v["high_goal"].max())
    period = v["period"].iloc[0]
    plot = pd.DataFrame({"metric": v["indicator_id"], "title": v["short_title"], "year": v["period"], "unit": "%",
                         "polarity": "higher_is_better", "target": v["high_goal"], "actual": v[ctx.area.code]})
    fig = charts.target_vs_actual(plot, source=note_for(v), what="childhood vaccination")
    met = int((fig.table["Target met"] == "Met").sum())
    fig.title = f"{ctx.area.name} met the {goal:g}% goal for {met} of {len(v)} childhood vaccinations in {period}"
    fig.note = (f"The target marked on each bar is the {goal:g}% coverage goal for the vaccination (the upper goal of its "
                f"Fingertips benchmark); coverage is for {ctx.area.name}, {period}.")
    return fig


def _series(ctx: PageContext, indicator: str) -> pd.DataFrame:
    """An indicator's series for the area and England, oldest first, in trend-chart columns, with
    the engine's label of each of the area's values against England's in the same period."""
    cat = ind._headline_rows(ind.catalogue())
    rows = cat[(cat["indicator_id"] == indicator) & cat["area_code"].isin([ctx.area.code, ctx.board.comparator.code]) & cat["value"].notna()]
    rows = rows[rows["period"] != ind.NO_PERIOD]
    rows = rows.assign(_k=rows["period"].map(ind.period_key)).sort_values(["_k", "area_code"], kind="stable")
    names = {ctx.area.code: ctx.area.name, ctx.board.comparator.code: ctx.board.comparator.name}
    own = rows["area_code"] == ctx.area.code
    significance = pd.Series(None, index=rows.index, dtype=object)
    significance[own] = ind.labels(ctx.board, rows[own], ctx.board.comparator.code)
    out = pd.DataFrame({"area": rows["area_code"].map(names), "period": rows["period"], "value": rows["value"],
                        "lower": rows["lower_ci95"], "upper": rows["upper_ci95"], "significance": significance})
    out.attrs["source_ids"] = list(dict.fromkeys(rows["source_id"].dropna()))
    return out.reset_index(drop=True)


def _trend_figure(ctx: PageContext, indicator: str) -> Figure:
    """Trend of one indicator for the area with its 95% interval, against the England series."""
    f = ind.comparisons(ctx.board, ctx.area.code, ids=[indicator])
    if f.empty:
        raise ValueError(f"{indicator}: no values for {ctx.area.name}")
    r = f.iloc[0]
    s = _series(ctx, indicator)
    return charts.trend(s, area=ctx.area.name, comparator=ctx.board.comparator.name, measure=r["short_title"],
                        unit=ind._chart_unit(r["unit"]), source=source_note(s.attrs["source_ids"]),
                        trend_label=r["trend"])


def hpv_figure(ctx: PageContext) -> Figure:
    return _trend_figure(ctx, ctx.shows("hpv")[0])


def hpv_table(ctx: PageContext) -> Table:
    return ind.indicator_table(ind.comparisons(ctx.board, ctx.area.code, ids=list(ctx.shows("hpv"))), ctx.area.name, ctx.board.comparator.name,
                               "HPV vaccination coverage, one dose by age 12 to 13, latest year")


def flu(ctx: PageContext) -> pd.DataFrame:
    """Flu vaccine uptake by season and group for the area and England, with the uptake ambition."""
    f = data.load("flu_uptake")
    return f[f["area_code"].isin([ctx.board.root.code, ctx.board.comparator.code])]


def flu_table(ctx: PageContext) -> Table:
    f = flu(ctx)
    latest = max(f["season"])
    area = f[f["area_code"] == ctx.board.root.code].pivot_table(index="cohort_title", columns="season", values="uptake_pct", sort=False)
    eng = f[(f["area_code"] == ctx.board.comparator.code) & (f["season"] == latest)].set_index("cohort_title")
    target = f[f["season"] == latest].drop_duplicates("cohort_title").set_index("cohort_title")["target_pct"]
    shown = pd.DataFrame({"Group": area.index})
    label = f[f["area_code"] == ctx.board.root.code]["area_name"].iloc[0]
    for season in sorted(area.columns):
        shown[f"{label} {season}"] = [text.format_value(x, "%") for x in area[season]]
    shown[f"{ctx.board.comparator.name} {latest}"] = [text.format_value(eng["uptake_pct"].get(g), "%") for g in area.index]
    shown[f"Ambition {latest}"] = [text.format_value(target.get(g), "%") for g in area.index]
    shown[f"Ambition met {latest}"] = ["Yes" if area.loc[g, latest] >= target.get(g) else "No" for g in area.index]
    return Table(shown, f"Seasonal flu vaccine uptake by group, {min(f['season'])} to {latest}", note_for(f))


def screening_table(ctx: PageContext) -> Table:
    f = ind.comparisons(ctx.board, ctx.area.code, ids=list(ctx.shows("screening")))
    return ind.indicator_table(f, ctx.area.name, ctx.board.comparator.name, "Screening coverage, latest period, with recent trend")


def screening_figure(ctx: PageContext) -> Figure:
    """Breast screening coverage over time against England (the first screening programme listed)."""
    return _trend_figure(ctx, ctx.shows("screening")[0])


def tb_figure(ctx: PageContext) -> Figure:
    return _trend_figure(ctx, ctx.shows("tb")[0])


def sexual_health_table(ctx: PageContext) -> Table:
    f = ind.comparisons(ctx.board, ctx.area.code, ids=list(ctx.shows("sexual_health")))
    return ind.indicator_table(f, ctx.area.name, ctx.board.comparator.name, "Sexual health indicators, latest period")


def hcai_table(ctx: PageContext) -> Table:
    h = data.load("hcai")
    h = h[h["area_code"] == ctx.board.root.code]
    shown = pd.DataFrame({
        "Organism": h["organism"],
        "All cases": h["total_infections"].map(text.format_number),
        "Healthcare associated": h["healthcare_associated"].map(text.format_number),
        "Healthcare associated (%)": [text.format_value(100 * a / t, "%") for a, t in zip(h["healthcare_associated"], h["total_infections"])],
    })
    return Table(shown, f"Healthcare associated infections, {ctx.board.root.name}, {h['period'].iloc[0]}", note_for(h))


def key_findings(ctx: PageContext) -> Markdown:
    v = vaccinations(ctx)
    head = v.set_index("indicator_id").loc[ctx.shows("headline_vaccine")[0]]
    f = flu(ctx)
    latest = max(f["season"])
    f65 = f[(f["season"] == latest) & (f["cohort"] == "aged_65_plus")].set_index("area_code")
    screening = ind.comparisons(ctx.board, ctx.area.code, ids=list(ctx.shows("screening")))
    tb = ind.comparisons(ctx.board, ctx.area.code, ids=[ctx.shows("tb")[0]]).iloc[0]
    hpv = ind.comparisons(ctx.board, ctx.area.code, ids=[ctx.shows("hpv")[0]]).iloc[0]
    h = data.load("hcai")
    return render(
        "jsna_health_protection_findings.md.j2",
        ctx=ctx,
        period=head["period"],
        met=int((v["rag"] == "Green").sum()),
        n_vaccines=len(v),
        goal=float(v["high_goal"].max()),
        mmr2=head[ctx.area.code],
        mmr2_england=head[ctx.board.comparator.code],
        mmr2_goal=head["goal_text"],
        mmr2_word="above" if head[ctx.area.code] > head[ctx.board.comparator.code] else "below" if head[ctx.area.code] < head[ctx.board.comparator.code] else "level with",
        hpv=ind.finding(hpv, ctx.area.name, ctx.board.comparator.name),
        flu_season=latest,
        flu_65=f65.loc[ctx.board.root.code, "uptake_pct"],
        flu_65_eng=f65.loc[ctx.board.comparator.code, "uptake_pct"],
        flu_65_target=f65.loc[ctx.board.root.code, "target_pct"],
        flu_area=f65.loc[ctx.board.root.code, "area_name"],
        screening_better=int((screening["significance"] == "Better").sum()),
        screening_n=len(screening),
        tb=ind.finding(tb, ctx.area.name, ctx.board.comparator.name),
        hcai_period=h["period"].iloc[0],
        hcai_total=int(h["total_infections"].sum()),
        hcai_ha=int(h["healthcare_associated"].sum()),
    )


def methods(ctx: PageContext) -> Markdown:
    tables = [vaccinations(ctx), ind.comparisons(ctx.board, ctx.area.code, ids=[*ctx.shows("hpv"), *ctx.shows("screening"), ctx.shows("tb")[0], *ctx.shows("sexual_health")]), flu(ctx), data.load("hcai")]
    return data_and_methods(ctx, tables, ["goal", "significance", "trend", "counts"],
                            notes=[n for n in [ctx.board.extra.get("notes", {}).get("vaccination")] if n])
