"""The Better Care Fund section: funding by stream against the stated total, and metrics against target.

Reads only what the ``bcf_income`` and ``bcf_metrics`` schemas promise, so any board's tables
will do. An edition may list metrics measured differently from the year before
(``bcf_measure_changed``): both years are shown but no change is computed.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from jsna import charts, text
from jsna.chapters.annual_report import cells
from jsna.chapters.annual_report.checks import duplicate_rows, numbers_match
from jsna.chapters.annual_report.report import NOT_REPORTED, Report, Section, add
from jsna.chapters.annual_report.years import next_year, previous_year
from jsna.charts import Figure
from jsna.prose import Finding
from jsna.tables import Table

MET, NOT_MET = "Met", "Not met"
# How an actual that is not the year's final figure is qualified wherever it is shown.
ACTUAL_QUALIFIERS = {"projected": "projected", "estimated": "estimated", "best_month": "best month"}
QUALIFIER_MEANINGS = {
    "projected": "was projected before the year's figures were complete",
    "estimated": "is an estimate",
    "best_month": "is the best single month of the year, not a figure for the whole year",
}


# --------------------------------------------------------------------------- data


def funding(report: Report) -> tuple[pd.DataFrame | None, pd.Series | None]:
    """The year's funding streams (not totals), each with its income (updated, else planned), and the stated total row."""
    return report.memo("bcf.funding", lambda: _funding(report))


def _funding(report: Report) -> tuple[pd.DataFrame | None, pd.Series | None]:
    rows = report.for_year("bcf_income")
    if rows is None:
        return None, None
    income = rows["updated_income_gbp"].where(rows["updated_income_gbp"].notna(), rows["planned_income_gbp"])
    total = rows["is_total"].fillna(False).astype(bool)
    rows = rows.assign(income=income)
    streams = rows[~total].reset_index(drop=True)
    totals = rows[total]
    return streams, (totals.iloc[0] if len(totals) else None)


def measure_changed(report: Report) -> dict[str, str]:
    """Metrics the edition says were measured differently from the year before, with the reason."""
    return {str(e["metric"]): str(e["reason"]) for e in report.settings.get("bcf_measure_changed") or []}


def metrics(report: Report) -> pd.DataFrame | None:
    """This year's metrics (one row each, with a target and an actual), met / not met and change from last year.

    A metric measured differently from the year before keeps last year's actual but gets no change.
    """
    return report.memo("bcf.metrics", lambda: _metrics(report))


def _metrics(report: Report) -> pd.DataFrame | None:
    df = report.table("bcf_metrics")
    if df is None:
        return None
    if "actual_status" not in df.columns:  # optional in the schema: every actual is then final
        df = df.assign(actual_status=None)
    now = df[(df["year"] == report.year) & df["target"].notna() & df["actual"].notna()].drop_duplicates("metric")
    if now.empty:
        report.no_rows("bcf_metrics", f"{report.file('bcf_metrics')} has no metric with a target and an actual for {report.year}")
        return None
    before = df[(df["year"] == previous_year(report.year)) & df["actual"].notna()].drop_duplicates("metric")
    renamed = before[["metric", "actual", "actual_status"]].rename(columns={"actual": "previous", "actual_status": "previous_status"})
    out = now.merge(renamed, on="metric", how="left")
    out["met"] = [metric_met(a, t, p) for a, t, p in zip(out["actual"], out["target"], out["polarity"])]
    out["comparable"] = out["previous"].notna() & ~out["metric"].isin(list(measure_changed(report)))
    out["change"] = (out["actual"] - out["previous"]).where(out["comparable"])
    out["direction"] = [change_direction(c, p) for c, p in zip(out["change"], out["polarity"])]
    out.attrs = df.attrs
    return out.reset_index(drop=True)


def metric_met(actual: float, target: float, polarity: str) -> str:
    """Met / Not met from the metric's polarity; "Not judged" when it has none."""
    if text._is_missing(actual) or text._is_missing(target):
        return "Not available"
    if polarity == "higher_is_better":
        return MET if actual >= target else NOT_MET
    if polarity == "lower_is_better":
        return MET if actual <= target else NOT_MET
    return "Not judged"


def change_direction(change: float, polarity: str) -> str:
    """Whether a change from last year is an improvement, given the metric's polarity."""
    if text._is_missing(change):
        return "not available"
    if change == 0:
        return "no change"
    if polarity not in ("higher_is_better", "lower_is_better"):
        return "higher" if change > 0 else "lower"
    better = (change > 0) == (polarity == "higher_is_better")
    return "improved" if better else "worsened"


# --------------------------------------------------------------------------- checks


def stream_total_check(
    streams: pd.DataFrame, total: pd.Series | None, column: str, file: str, year: str, severity: str, data_column: str = ""
) -> list[Finding]:
    """Funding streams must add up to the stated total (exactly, in whole pounds).

    ``data_column`` names the file's column the total was read from, so that an acknowledgement
    of that column in ``qa_accepted.yml`` can match the finding.
    """
    if total is None:
        return [Finding(file, 0, "bcf_total_missing", f"no total row (is_total) for {year}", severity)]
    values = streams[column]
    if values.isna().any() or text._is_missing(total[column]):
        return []
    parts, stated = float(values.sum()), float(total[column])
    if round(parts) == round(stated):
        return []
    message = (f"{year} {column}: the {len(values)} streams sum to {text.format_value(parts, '£')} "
               f"but the stated total is {text.format_value(stated, '£')} (difference {text.format_value(parts - stated, '£')})")
    return [Finding(file, int(total["_line"]), "bcf_total_mismatch", message, severity, data_column or column)]


# --------------------------------------------------------------------------- page parts


def _qualified(value: Any, status: Any) -> str:
    """A metric's actual with its qualifier when it is not the year's final figure: "86.2 (best month)"."""
    shown = cells.value(value)
    word = ACTUAL_QUALIFIERS.get(status) if isinstance(status, str) else None
    return f"{shown} ({word})" if shown and word else shown


def funding_table(report: Report) -> tuple[Table | None, list[Finding]]:
    """Funding by stream with the stated total, and the checks on it."""
    streams, total = funding(report)
    if streams is None:
        return None, []
    file, caption = report.file("bcf_income"), f"Better Care Fund pooled budget by funding stream, {report.year}"
    rows = pd.concat([streams, total.to_frame().T], ignore_index=True) if total is not None else streams
    spent = rows["actual_expenditure_gbp"].notna().any()
    shown = pd.DataFrame({"Funding stream": rows["funding_stream"].astype(str), "Income": rows["income"].map(cells.money)})
    if spent:
        shown["Spent by year end"] = rows["actual_expenditure_gbp"].map(lambda v: cells.money(v) or NOT_REPORTED)
    stated_in = "planned_income_gbp" if total is None or text._is_missing(total["updated_income_gbp"]) else "updated_income_gbp"
    findings = stream_total_check(streams, total, "income", file, report.year, report.severity, stated_in)
    findings += duplicate_rows(shown, file, caption, report.severity, rows["_line"])
    findings += numbers_match(shown, rows, {"Income": "income", **({"Spent by year end": "actual_expenditure_gbp"} if spent else {})}, file, caption, report.severity)
    return Table(shown, caption, report.source_of(streams)), findings


def schemes_by_type(report: Report) -> pd.DataFrame | None:
    """The year's schemes (the latest stage the data hold for it) grouped by scheme type: number
    of schemes and planned spend, largest first."""
    rows = report.for_year("bcf_schemes")
    if rows is None:
        return None
    stage = "year_end" if (rows["stage"] == "year_end").any() else "plan"
    rows = rows[rows["stage"] == stage]
    grouped = (rows.groupby("category", sort=False)
               .agg(schemes=("scheme_id", "count"), planned=("planned_gbp", "sum"))
               .sort_values("planned", ascending=False, kind="stable").reset_index())
    grouped["share"] = 100 * grouped["planned"] / grouped["planned"].sum()
    grouped.attrs = {**rows.attrs, "rows": rows}
    return grouped


def schemes_table(report: Report) -> tuple[Table | None, list[Finding]]:
    """Schemes by type with their planned spend and its share of the sum of the scheme lines."""
    grouped = schemes_by_type(report)
    if grouped is None:
        return None, []
    total = grouped["planned"].sum()
    shown = pd.DataFrame({
        "Scheme type": [*grouped["category"].astype(str), "All schemes"],
        "Schemes": [*map(str, grouped["schemes"]), str(int(grouped["schemes"].sum()))],
        "Planned spend": [*grouped["planned"].map(cells.money), cells.money(total)],
        "Share of planned spend": [*grouped["share"].map(lambda v: text.format_value(v, "%")), "100.0%"],
    })
    caption = f"Better Care Fund schemes by type, {report.year}: {int(grouped['schemes'].sum())} scheme lines"
    note = ("The total is the sum of the scheme lines, which can differ from the stated pooled budget by "
            "the rounding of each line. " + report.source_of(grouped.attrs["rows"]))
    return Table(shown, caption, note), []


def funding_figure(report: Report) -> Figure | None:
    """Bar chart of the year's funding streams with income, largest first (jsna.charts house style).

    The chart names the stated total, as the table does; where the streams add up to a different
    amount (a difference in the source), its note says so.
    """
    streams, total = funding(report)
    if streams is None:
        return None
    funded = streams[streams["income"] > 0]
    fig = charts.funding_breakdown(funded, year=report.year, source=report.source_of(streams), value="income", label="Income")
    parts = float(streams["income"].sum())
    if total is not None and round(parts) != round(float(total["income"])):
        summed, stated = text.format_value(parts, "£"), text.format_value(float(total["income"]), "£")
        fig.title, fig.alt_text = fig.title.replace(summed, stated), fig.alt_text.replace(summed, stated)
        fig.note = (
            f"The streams add up to {summed}, {text.format_value(abs(parts - float(total['income'])), '£')} "
            f"{'more' if parts > float(total['income']) else 'less'} than the total of {stated} stated in the source; "
            "this report uses the stated total."
        )
    return fig


def metrics_table(report: Report) -> tuple[Table | None, list[Finding]]:
    """Metrics: target, actual, met / not met, and last year's actual and change where recorded."""
    m = metrics(report)
    if m is None:
        return None, []
    prev = previous_year(report.year)
    file, caption = report.file("bcf_metrics"), f"Better Care Fund metrics, target and actual, {report.year}"
    shown = pd.DataFrame(
        {
            "Metric": m["title"],
            "Unit": m["unit"],
            "Target": m["target"].map(cells.value),
            "Actual": [_qualified(a, st) for a, st in zip(m["actual"], m["actual_status"])],
            "Target met?": m["met"],
        }
    )
    compare = m["previous"].notna().any()
    if compare:
        shown[f"{prev} actual"] = [_qualified(a, st) or "not recorded" for a, st in zip(m["previous"], m["previous_status"])]
        shown[f"Change from {prev}"] = [change_cell(r) for r in m.itertuples()]
    findings = duplicate_rows(shown, file, caption, report.severity)
    cols = {"Target": "target", "Actual": "actual", **({f"{prev} actual": "previous"} if compare else {})}
    findings += numbers_match(shown, m, cols, file, caption, report.severity)
    return Table(shown, caption, report.source_of(m)), findings


def change_cell(row: Any) -> str:
    """A metric's change from last year, or why none is shown."""
    if not text._is_missing(row.change):
        return f"{cells.signed(row.change)} ({row.direction})"
    return "not compared: measured differently" if not text._is_missing(row.previous) else "not recorded"


def metrics_intro(report: Report) -> str | None:
    """What the metrics table counts (the rule the chart follows too), and what limits each comparison."""
    m = metrics(report)
    if m is None:
        return None
    prev = previous_year(report.year)
    met = int((m["met"] == MET).sum())
    lines = [
        (f"{text.format_number(met)} of the {text.format_number(len(m))} metrics with both a target and an actual for "
         f"{report.year} met their target. The chart counts the same metrics, for {report.year} only.")
    ]
    compared = int(m["comparable"].sum())
    if compared:
        lines.append(f"{text.format_number(compared)} of them {'was' if compared == 1 else 'were'} also reported on the same basis for {prev}; the table shows the change since then.")
    elif m["previous"].isna().all():
        lines.append(f"None of them was reported for {prev}, so no change from the previous year is shown.")
    changed = measure_changed(report)
    for r in m[m["previous"].notna() & ~m["comparable"]].itertuples():
        lines.append(f"For “{r.title}”, {changed[r.metric]}, so no change from {prev} is computed.")
    statuses = [s for s in dict.fromkeys([*m["actual_status"], *m["previous_status"]]) if s in QUALIFIER_MEANINGS]
    lines += [f"An actual marked “{ACTUAL_QUALIFIERS[s]}” {QUALIFIER_MEANINGS[s]}." for s in statuses]
    return " ".join(lines)


def metrics_figure(report: Report) -> Figure | None:
    """Actual against target for each of the year's metrics (the same metrics the text counts)."""
    m = metrics(report)
    if m is None:
        return None
    cols = ["metric", "title", "year", "unit", "polarity", "target", "actual"]
    return charts.target_vs_actual(m[cols], source=report.source_of(m))


def build(report: Report) -> Section:
    """Funding by stream (table and chart), schemes by type where the edition asks for them
    (``bcf_schemes_by_type: true``), then metrics against target (table and chart)."""
    s = Section()
    table, findings = funding_table(report)
    add(s, (table, findings), "Funding by stream", gap=report.note("bcf_income"))
    if table is not None:
        s.parts.append(funding_figure(report))
    if report.settings.get("bcf_schemes_by_type"):  # the edition asks for it in the board file
        add(s, schemes_table(report), "Schemes by type", gap=report.note("bcf_schemes"))
    table, findings = metrics_table(report)
    add(s, (table, findings), "Metrics: target and actual", metrics_intro(report), gap=report.note("bcf_metrics"))
    if table is not None:
        s.parts.append(metrics_figure(report))
    return s


# --------------------------------------------------------------------------- figures prose may name


def figures(report: Report) -> dict[str, Any] | None:
    """``bcf.*`` for prose: total, streams, spend, the DFG stream, next year's total and metric counts."""
    out: dict[str, Any] = {}
    streams, total = funding(report)
    if streams is not None and total is not None:
        out.update(_funding_figures(streams, total))
    income = report.table("bcf_income")
    if income is not None:
        nxt = income[(income["year"] == next_year(report.year)) & income["is_total"].fillna(False).astype(bool)]
        if len(nxt):
            out["next_year_total"] = float(nxt.iloc[0]["planned_income_gbp"])
    m = metrics(report)
    if m is not None:
        out["metrics"] = {
            "count": len(m),
            "met": int((m["met"] == MET).sum()),
            "not_met": int((m["met"] == NOT_MET).sum()),
            "compared": int(m["comparable"].sum()),
            "improved": int((m["direction"] == "improved").sum()),
        }
    return out or None


def _funding_figures(streams: pd.DataFrame, total: pd.Series) -> dict[str, Any]:
    funded = streams[streams["income"] > 0].sort_values("income", ascending=False)
    stated = float(total["income"])
    out: dict[str, Any] = {
        "total": stated,
        "streams_sum": float(streams["income"].sum()),
        "n_streams": len(funded),
        "largest": {"name": funded.iloc[0]["funding_stream"], "amount": float(funded.iloc[0]["income"]), "share": 100 * float(funded.iloc[0]["income"]) / stated},
        "stream": {str(r.stream_id): float(r.income) for r in streams.itertuples()} if "stream_id" in streams.columns else {},
    }
    if not text._is_missing(total["actual_expenditure_gbp"]):
        out.update(spent=float(total["actual_expenditure_gbp"]), spent_share=100 * float(total["actual_expenditure_gbp"]) / stated)
    dfg = streams[streams["stream_id"] == "dfg"] if "stream_id" in streams.columns else streams.iloc[0:0]
    if len(dfg) and not text._is_missing(dfg.iloc[0]["actual_expenditure_gbp"]):
        out["dfg"] = {"income": float(dfg.iloc[0]["income"]), "spent": float(dfg.iloc[0]["actual_expenditure_gbp"])}
    return out
