"""Living and supported well: Better Care Fund metrics, targets against actuals over the years."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from jsna import charts, data, text
from jsna.chapters.methods import data_and_methods, note_for
from jsna.charts import Figure
from jsna.page import PageContext, render
from jsna.tables import Table

STATUS_WORDS = {"final": "final", "projected": "projected", "estimated": "estimated", "best_month": "best month"}


def met(target: float, actual: float, polarity: str) -> str:
    """"Met" / "Not met" for an actual against its target; "No actual yet" or "No target" when missing."""
    if pd.isna(target):
        return "No target"
    if pd.isna(actual):
        return "No actual yet"
    ok = actual >= target if polarity == "higher_is_better" else actual <= target
    return "Met" if ok else "Not met"


def metrics(ctx: PageContext) -> pd.DataFrame:
    """One row per metric and year with both a target and an actual or a plan; restated rows dropped."""
    m = data.load("bcf_metrics")
    m = m[m["target"].notna()].copy()
    m = m.drop_duplicates(["metric", "year"], keep="first")
    m["result"] = [met(t, a, p) for t, a, p in zip(m["target"], m["actual"], m["polarity"])]
    return m.sort_values(["year", "metric"], kind="stable").reset_index(drop=True)


def metrics_table(ctx: PageContext) -> Table:
    m = metrics(ctx)
    # each metric to the precision of its own figures (whole-number counts without ".0")
    places = m["metric"].map({k: text.decimals_for(g["target"], g["actual"]) for k, g in m.groupby("metric")})
    shown = pd.DataFrame({
        "Year": m["year"], "Metric": m["title"],
        "Target": [text.format_value(v, u, d) for v, u, d in zip(m["target"], m["unit"], places)],
        "Actual": [text.format_value(v, u, d) if not pd.isna(v) else "not yet reported"
                   for v, u, d in zip(m["actual"], m["unit"], places)],
        "Basis of actual": [STATUS_WORDS.get(s, "not yet reported") if isinstance(s, str) else "not yet reported" for s in m["actual_status"]],
        "Result": m["result"],
    })
    return Table(shown, f"Better Care Fund metrics: targets and actuals, {m['year'].min()} to {m['year'].max()}", note_for(m))


def latest_year(m: pd.DataFrame) -> str:
    """The latest year with at least one reported actual."""
    return str(m[m["actual"].notna()]["year"].max())


def _own_return(source_id: object, year: object) -> bool:
    """Whether a row comes from the year's own publication (its source id names the year, "2024_25")."""
    return isinstance(source_id, str) and str(year).replace("-", "_") in source_id


def chart_rows(ctx: PageContext) -> pd.DataFrame:
    """One row per metric and year with an actual, chosen by source precedence: the year's own
    return first (the target and actual published for that year), then rows that carry a target,
    then the first published. Later restatements of an actual (in the next year's plan or return)
    are left out, so each bar is the figure the year was judged on."""
    m = data.load("bcf_metrics")
    m = m[m["actual"].notna()].copy()
    m["_order"] = range(len(m))
    m["_own"] = [not _own_return(s, y) for s, y in zip(m["source_id"], m["year"])]
    m["_no_target"] = m["target"].isna()
    m = m.sort_values(["_own", "_no_target", "_order"], kind="stable").drop_duplicates(["metric", "year"], keep="first")
    return m.sort_values("_order").drop(columns=["_order", "_own", "_no_target"]).reset_index(drop=True)


def metrics_figure(ctx: PageContext) -> Figure:
    """Actual against target for each Better Care Fund metric and year with a reported actual."""
    rows = chart_rows(ctx)
    fig = charts.target_vs_actual(rows, source=note_for(rows))
    restated = data.load("bcf_metrics")
    restated = restated[restated["actual"].notna()].groupby(["metric", "year"]).size()
    repeated = int((restated > 1).sum())
    fig.note = ("One row per metric and year: where a metric was published more than once for a year "
                f"({repeated} cases), the row from that year's own return is shown and later restatements are left out."
                if repeated else "One row per metric and year, as published in that year's return.")
    return fig


def key_findings(ctx: PageContext) -> Markdown:
    m = metrics(ctx)
    year = latest_year(m)
    y = m[(m["year"] == year) & m["actual"].notna()]
    plans = m[m["actual"].isna()]
    rows = [{"title": r.title, "target": text.format_value(r.target, r.unit), "actual": text.format_value(r.actual, r.unit),
             "result": r.result, "basis": STATUS_WORDS.get(r.actual_status, "")} for r in y.itertuples()]
    return render("jsna_bcf_findings.md.j2", ctx=ctx, year=year, rows=rows, met=int((y["result"] == "Met").sum()), n=len(y),
                  plan_year=str(plans["year"].max()) if len(plans) else "", n_plans=len(plans), years=sorted(m["year"].unique()))


def methods(ctx: PageContext) -> Markdown:
    return data_and_methods(ctx, [metrics(ctx)], ["targets"],
                            ["Where a metric is published twice for a year (a restated actual in a later plan), the first published row is shown."])
