"""Indicator comparisons shared by the topic chapters, the overview and the area profiles.

One row per indicator for an area: its latest value, the England (and parent area) value for the
same period, sex and age, the significance label, the recent trend and the nearest-neighbour
rank. Significance follows Fingertips (95% interval against the comparator value) where the
interval is published; where it is not, the direction of the difference is given and marked
as not tested, so no label claims more than the data hold.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from IPython.display import Markdown

from jsna import charts, data, engine, inputs, text
from jsna.charts import Figure
from jsna.chapters.methods import source_ids, source_note
from jsna.config import PARENT, Area, Board
from jsna.tables import Table

#: Which sex row stands for an indicator when it is published for several.
HEADLINE_SEX = ("Persons", "Not applicable", "Female", "Male")
NOT_RANKED = "not ranked"
#: Units shown as a bare number ("12.3", not "12.3 score").
BARE_UNITS = ("score",)
#: The period of a value whose source prints none (shown as is in the tables' Period column).
NO_PERIOD = "not stated in source"
_ROLLING = re.compile(r"^\d{4}-\d{2}$")


def period_text(period: str) -> str:
    """A period as prose quotes it: "2024", or "period not stated in source"."""
    return f"period {NO_PERIOD}" if period == NO_PERIOD else period


def source_label(source_id: object) -> str:
    """The short name of a source (sources.yml ``short``), as a table cell or a finding quotes it."""
    entry = data.sources().get(str(source_id), {})
    return str(entry.get("short") or entry.get("title") or source_id)


def period_key(period: object) -> tuple[int, str]:
    """Sort key for period labels such as "2024", "2024/25" and "2021-23" (missing sorts first)."""
    if not isinstance(period, str) or not period[:4].isdigit():
        return (0, "")
    return (int(period[:4]), period)


def is_rolling(period: object) -> bool:
    """True for multi-year rolling periods ("2021-23"), whose points overlap."""
    return isinstance(period, str) and bool(_ROLLING.match(period))


@inputs.memoize(maxsize=4)
def _catalogue(folder: str) -> pd.DataFrame:
    values = data.load("indicators")
    meta = data.load("indicator_meta").drop(columns=["source_id"])
    meta["polarity"] = meta["polarity"].fillna("no_judgement")
    values["period"] = values["period"].fillna(NO_PERIOD)
    # The same figure can come from two publications (a dashboard and a Fingertips extract):
    # keep one row per key, preferring the one with a confidence interval, and fill gaps
    # (such as the dashboard's neighbour rank) from the other.
    values = values.assign(_no_ci=values["lower_ci95"].isna()).sort_values("_no_ci", kind="stable")
    key = ["indicator_id", "area_code", "period", "sex", "age"]
    values = values.groupby(key, sort=False, dropna=False).first().reset_index().drop(columns="_no_ci")
    return values.merge(meta, on="indicator_id", how="left")


def catalogue() -> pd.DataFrame:
    """Every indicator value joined to its metadata (a copy; cached per data folder)."""
    return _catalogue(str(data.data_dir())).copy()


def _headline_rows(cat: pd.DataFrame) -> pd.DataFrame:
    """Keep one sex per indicator (the first of HEADLINE_SEX that the indicator has)."""
    order = {s: i for i, s in enumerate(HEADLINE_SEX)}
    cat = cat.assign(_sex_order=cat["sex"].map(order).fillna(len(order)))
    best = cat.groupby("indicator_id")["_sex_order"].transform("min")
    return cat[cat["_sex_order"] == best].drop(columns="_sex_order")


def _latest(rows: pd.DataFrame) -> pd.DataFrame:
    """The latest period with a value for each indicator."""
    rows = rows[rows["value"].notna()].copy()
    rows["_key"] = rows["period"].map(period_key)
    rows = rows.sort_values(["indicator_id", "_key"], kind="stable")
    return rows.groupby("indicator_id", sort=False).tail(1).drop(columns="_key")


def comparison_text(label: str, tested: bool) -> str:
    """Short table wording: "Worse" when tested, "Worse (not tested)" when only the direction is known."""
    if label in ("Not compared", "Same", "Similar") or tested:
        return label
    return f"{label} (not tested)"


def comparison_phrase(value: float, comparator: float, label: str, tested: bool, name: str) -> str:
    """Prose: "significantly worse than England", or "lower than England (better; not tested for significance)"."""
    if tested or label == "Not compared":
        return text.significance_phrase(label, name)
    if label == "Same":
        return f"the same as {name}"
    side = "higher" if value > comparator else "lower"
    if label in ("Higher", "Lower"):
        return f"{side} than {name}"
    return f"{side} than {name} ({label.lower()}; not tested for significance)"


@inputs.memoize(maxsize=4)
def _results(board: Board, folder: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The indicator engine's comparisons and recent trends of every headline value of the board
    (one vectorised pass each): each area against the comparators of its level, the sub-areas
    ranked and summarised together."""
    every = _headline_rows(catalogue()).reset_index(drop=True)
    cat = every[every["value"].notna()].reset_index(drop=True)
    meta = every.drop_duplicates("indicator_id")[["indicator_id", "polarity", "value_type"]].fillna({"value_type": "mean"})
    pairs = [(a.code, other.code, role) for a in board.areas for role, other in board.comparisons(a)]
    comparators_ = pd.DataFrame(pairs, columns=["area_code", "comparator_code", "role"])
    peers = pd.DataFrame({"area_code": [a.code for a in board.children], "group": "children"}) if board.children else None
    compared = engine.evaluate(cat, meta, comparators_, peers)
    return compared, series_trends(every, meta)  # rows without a value stay: a gap breaks a series


def series_trends(rows: pd.DataFrame, meta: pd.DataFrame) -> pd.DataFrame:
    """The engine's recent trend of every series in `rows` (catalogue rows).

    A percentage published with its count but not its denominator gets the denominator the two
    imply (count / value), as the trend-marker guidance does, so it is tested as a proportion."""
    implied = rows["count"] * 100 / rows["value"].where(rows["value"] > 0)
    percent = (rows["value_type"] == "proportion") & (rows["unit"] == "%")
    denominator = rows["denominator"].astype("Float64")
    series = rows.assign(denominator=denominator.where(~percent, denominator.fillna(implied)))
    return engine.trends(series, meta, period_key=period_key, overlapping=is_rolling)


def _words(judgement: pd.Series, side: pd.Series) -> list[str]:
    """The table word of each of the engine's (judgement, side) category pairs."""
    return [text.comparison_label(str(j), str(d)) for j, d in zip(judgement, side)]


def labels(board: Board, rows: pd.DataFrame, comparator_code: str) -> list[str]:
    """The engine's comparison label of each of `rows` (catalogue rows) against one comparator:
    "Better"/"Similar"/"Worse" (or "Higher"/"Lower") when tested, else "Not compared"."""
    compared, _ = _results(board, str(data.data_dir()))
    mine = compared[compared["comparator_code"] == comparator_code].drop_duplicates(list(engine.KEY)).set_index(list(engine.KEY))
    found = mine.reindex(pd.MultiIndex.from_frame(rows[list(engine.KEY)].astype(object)))
    return [word if t is True else text.COMPARISON_WORDS["not_compared"]
            for word, t in zip(_words(found["judgement"], found["significance"]), found["tested"])]


def comparators(board: Board, area_code: str) -> tuple[Area, Area | None]:
    """The area's benchmark (the first comparator its level is compared with: England, or the
    board's own area for sub-areas compared with it only) and its parent area when the level is
    also compared with that, as a second comparison."""
    area = board.area(area_code)
    parent = next((a for role, a in board.comparisons(area)[1:] if role == PARENT), None)
    return board.benchmark(area), parent


def children_benchmark(board: Board) -> Area:
    """What the sub-areas are compared with first (their spine charts and bars draw it)."""
    return board.benchmark(board.children[0]) if board.children else board.comparator


def comparisons(board: Board, area_code: str, domains: list[str] | None = None,
                ids: list[str] | None = None) -> pd.DataFrame:
    """One row per indicator with a value for `area_code`: latest value, England and parent-area values,
    significance (tested or by direction), recent trend, nearest-neighbour rank and a ranking score."""
    key = (board, area_code, None if domains is None else tuple(domains), None if ids is None else tuple(ids), str(data.data_dir()))
    out = _comparisons(*key).copy()
    out.attrs = dict(_comparisons(*key).attrs)
    return out


@inputs.memoize(maxsize=64)
def _comparisons(board: Board, area_code: str, domains: tuple[str, ...] | None, ids: tuple[str, ...] | None, folder: str) -> pd.DataFrame:
    cat = _headline_rows(catalogue())
    if domains is not None:
        cat = cat[cat["domain"].isin(list(domains))]
    if ids is not None:
        cat = cat[cat["indicator_id"].isin(list(ids))]
    area_rows = cat[cat["area_code"] == area_code]
    latest = _latest(area_rows)
    key = ["indicator_id", "period", "sex", "age"]
    benchmark, parent = comparators(board, area_code)
    out = latest.reset_index(drop=True)
    compared, trends = _results(board, folder)
    here = compared[compared["area_code"] == area_code]
    idx = pd.MultiIndex.from_frame(out[key])
    main = here[here["comparator_code"] == benchmark.code].set_index(key).reindex(idx)
    versus = here[here["comparator_code"] == parent.code].set_index(key).reindex(idx) if parent else None
    out["benchmark_value"] = main["comparator_value"].to_numpy()
    out["parent"] = versus["comparator_value"].to_numpy() if versus is not None else np.nan
    tested = main["tested"].fillna(False).astype(bool).to_numpy()
    label = np.where(tested, _words(main["judgement"], main["significance"]), _words(main["direction_judgement"], main["direction"]))
    z = main["z"].abs().to_numpy()
    relative = main["relative_difference"].abs().to_numpy()
    score = np.where(tested, np.where(label == "Similar", np.nan, z), np.where(np.isin(label, ["Not compared", "Same"]), np.nan, relative))
    series = trends.set_index(list(engine.SERIES)).reindex(pd.MultiIndex.from_arrays(
        [out["indicator_id"], out["area_code"], out["sex"], out["age"]]))
    rows = pd.DataFrame({
        "significance": label,
        "tested": tested,
        "versus_parent": ["Not compared"] * len(out) if versus is None else _words(versus["direction_judgement"], versus["direction"]),
        "trend": series["trend"].astype(str).map(text.TREND_WORDS).fillna(text.TREND_WORDS["cannot_calculate"]).to_numpy(),
        "rank_text": [text.rank_phrase(r, n) if not pd.isna(r) else NOT_RANKED for r, n in zip(out["rank"], out["rank_of"])]
        if "rank" in out else NOT_RANKED,
        "score": score,
        "points": series["points"].fillna(0).astype(int).to_numpy(),
    })
    result = pd.concat([out, rows], axis=1)
    result["domain_order"] = result["domain"].map({d: i for i, d in enumerate(domains or ())}).fillna(0)
    result = result.sort_values(["domain_order", "title"], kind="stable").drop(columns="domain_order").reset_index(drop=True)
    result.attrs["source_ids"] = list(dict.fromkeys(result["source_id"].dropna()))
    return result


def methods_used(frame: pd.DataFrame, methods: list[str]) -> list[str]:
    """The methods notes a page needs: ranks only when some indicator has a published rank."""
    return [m for m in methods if m != "rank" or ("rank" in frame and frame["rank"].notna().any())]


def strongest(frame: pd.DataFrame, label: str, n: int = 5) -> pd.DataFrame:
    """The `n` findings with `label` ("Better"/"Worse") furthest from England: tested findings
    first (by distance in standard errors), then untested ones (by relative difference)."""
    rows = frame[(frame["significance"] == label) & frame["score"].notna()]
    rows = rows.assign(_tested=~rows["tested"]).sort_values(["_tested", "score"], ascending=[True, False], kind="stable")
    out = rows.drop(columns="_tested").head(n).reset_index(drop=True)
    out.attrs = frame.attrs
    return out


def counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many indicators fall under each comparison label."""
    return {k: int(v) for k, v in frame["significance"].value_counts().items()}


def fmt(value: float, unit: object) -> str:
    """Format an indicator value with its unit ("7.4%", "57.0 per 100,000")."""
    unit = "" if pd.isna(unit) or unit in BARE_UNITS else str(unit)
    return text.format_value(value, unit)


def missing_for_area(board: Board, area_code: str, domains: list[str] | None = None) -> list[str]:
    """Titles of indicators that have a value for the board's area or England but none for `area_code`."""
    cat = catalogue()
    if domains is not None:
        cat = cat[cat["domain"].isin(domains)]
    have = set(cat.loc[(cat["area_code"] == area_code) & cat["value"].notna(), "indicator_id"])
    known = cat[cat["area_code"].isin([board.root.code, board.comparator.code]) & cat["value"].notna()]
    gone = known[~known["indicator_id"].isin(have)].drop_duplicates("indicator_id")
    return sorted(gone["short_title"].fillna(gone["title"]).tolist())


# --------------------------------------------------------------------------- display


def _table_frame(frame: pd.DataFrame, area: str, comparator: str, parent: str | None) -> pd.DataFrame:
    """Formatted columns for an indicator table; parent-area columns only when `parent` is given."""
    rows = []
    for r in frame.itertuples(index=False):
        row = {"Indicator": r.short_title if isinstance(r.short_title, str) else r.title, "Period": r.period, area: fmt(r.value, r.unit)}
        if parent:
            row[parent] = fmt(r.parent, r.unit)
        row[comparator] = fmt(r.benchmark_value, r.unit)
        row[f"Compared with {comparator}"] = comparison_text(r.significance, r.tested)
        if parent:
            row[f"Compared with {parent}"] = comparison_text(r.versus_parent, False) if r.versus_parent != "Not compared" else "Not compared"
        else:
            row["Recent trend"] = r.trend
            row["Nearest-neighbour rank"] = r.rank_text
        row["Source"] = source_label(r.source_id)
        rows.append(row)
    return pd.DataFrame(rows)


def indicator_table(frame: pd.DataFrame, area: str, comparator: str, caption: str, parent: str | None = None) -> Table:
    """The spine-chart table: period, value, comparator value, comparison label, trend, rank and source per indicator."""
    if frame.empty:
        raise ValueError(f"no indicators to show for {area}: {caption}")
    return Table(_table_frame(frame, area, comparator, parent), caption, source_note(source_ids([frame])))


def _chart_unit(unit: object) -> str:
    """The unit as charts print it after a value (bare units such as "score" print nothing)."""
    return "" if pd.isna(unit) or unit in BARE_UNITS else str(unit)


def child_values(board: Board, domains: list[str] | None = None, ids: list[str] | None = None) -> pd.DataFrame:
    """Headline rows of the indicators published for every sub-area of the board (the level below
    its own area), for the latest period in which all sub-areas, the board's area and the
    comparator have a value (one period per indicator, so an area's value, England's and the
    range across sub-areas are always like with like)."""
    cat = _headline_rows(catalogue())
    if domains is not None:
        cat = cat[cat["domain"].isin(domains)]
    if ids is not None:
        cat = cat[cat["indicator_id"].isin(ids)]
    benchmark = children_benchmark(board)
    needed = {*(d.code for d in board.children), board.root.code, benchmark.code}
    cat = cat[cat["value"].notna()]
    keep = []
    for _, rows in cat.groupby(["indicator_id", "period"], sort=False):
        if needed <= set(rows["area_code"]):
            keep.append(rows)
    if not keep:
        return cat.iloc[0:0]
    out = pd.concat(keep)
    out = out.assign(_k=out["period"].map(period_key))
    latest = out.groupby("indicator_id")["_k"].transform("max")
    out = out[out["_k"] == latest].drop(columns="_k")
    order = {d: i for i, d in enumerate(domains or ())}
    out = out.assign(_d=out["domain"].map(order).fillna(0)).sort_values(["_d", "title", "area_code"], kind="stable").drop(columns="_d")
    out.attrs["source_ids"] = list(dict.fromkeys(out["source_id"].dropna()))
    return out.reset_index(drop=True)


def _provenance(rows: pd.DataFrame) -> str:
    """Source and period of the drawn rows, for a chart title: "OHID Health Profiles 2025, period not stated in source"."""
    sources = "; ".join(dict.fromkeys(rows["source_id"].map(source_label)))
    periods = sorted(set(rows["period"]), key=period_key)
    return f"{sources}, {', '.join(period_text(p) for p in periods)}"


def _label_rows(table: pd.DataFrame, rows: pd.DataFrame) -> None:
    """Add the Period (second column) and Source (last) of each drawn row to a chart's data table."""
    table.insert(1, "Period", rows["period"].tolist())
    table["Source"] = rows["source_id"].map(source_label).tolist()


def _table_differs(board: Board, area_code: str, drawn: pd.DataFrame) -> str:
    """A note naming the drawn indicators for which the page's tables show `area_code` another
    figure (a later stated period or another source), with that figure, its period and source;
    empty when the tables agree with the chart. `drawn` holds the chart's rows for the area and
    the comparator, as :func:`child_values` returns them."""
    benchmark = children_benchmark(board)
    here = drawn[drawn["area_code"] == area_code].set_index("indicator_id")
    england = drawn[drawn["area_code"] == benchmark.code].set_index("indicator_id")["value"]
    shown = comparisons(board, area_code, ids=list(here.index))
    by_source: dict[str, list[str]] = {}
    for r in shown.itertuples(index=False):
        drawn_row = here.loc[r.indicator_id]
        if (r.period, r.value, r.benchmark_value) == (drawn_row["period"], drawn_row["value"], england.get(r.indicator_id)):
            continue
        title = r.short_title if isinstance(r.short_title, str) else r.title
        by_source.setdefault(source_label(r.source_id), []).append(
            f"{title} {fmt(r.value, r.unit)} against {benchmark.name}'s {fmt(r.benchmark_value, r.unit)} ({period_text(r.period)})")
    n = sum(len(items) for items in by_source.values())
    if not n:
        return ""
    return (f" The tables below give {board.area(area_code).name}'s figure with the latest stated period, not the one "
            f"drawn here, so they differ from this chart for {n} indicator{'s' if n != 1 else ''}. "
            + " ".join(f"From {source}: {'; '.join(items)}." for source, items in by_source.items()))


def spine_figure(board: Board, area_code: str, domains: list[str], subject: str) -> Figure | None:
    """Spine chart of the area against the range across the board's sub-areas.

    The data hold no values for all English areas, so the range is the one the data do hold: the
    sub-areas' values for the same indicator and period (worst, 25th percentile, median, 75th
    percentile and best of those areas). The title, alt text and note all say so, the title
    names the source and period drawn, the data table gives each row's period and source, and the
    note names the indicators whose figure in the page's tables differs from the chart's. Indicators
    without values for every sub-area are in the tables, not the chart. None when no indicator qualifies.
    """
    rows = child_values(board, domains)
    if rows.empty:
        return None
    area = board.area(area_code)
    comparator = children_benchmark(board)
    children = [d.code for d in board.children]
    words = board.child_level.plural if board.child_level else ""
    compared, _ = _results(board, str(data.data_dir()))
    ranges = compared[compared["area_code"] == children[0]].drop_duplicates(list(engine.KEY)).set_index(list(engine.KEY))
    own = rows[rows["area_code"] == area_code]
    marks = dict(zip(own["indicator_id"], labels(board, own, comparator.code)))
    spine, drawn = [], []
    for iid, g in rows.groupby("indicator_id", sort=False):
        drawn.append(iid)
        by_area = g.set_index("area_code")
        first = g.iloc[0]
        here = by_area.loc[area_code]
        peer = ranges.loc[tuple(children[0] if k == "area_code" else here[k] for k in engine.KEY)]
        spine.append({
            "indicator": first["short_title"] if isinstance(first["short_title"], str) else first["title"],
            "unit": _chart_unit(first["unit"]), "polarity": first["polarity"],
            "value": here["value"], "lower": here["lower_ci95"], "upper": here["upper_ci95"],
            "comparator_value": by_area.loc[comparator.code, "value"],
            **{k: float(peer[k]) for k in ("worst", "q25", "median", "q75", "best")},
            "significance": marks[iid],
        })
    frame = pd.DataFrame(spine)
    range_name = f"{len(children)} {board.place} {board.child_level.word}"
    fig = charts.spine_chart(frame, area=area.name, comparator=comparator.name, range_name=range_name,
                             period=_provenance(rows), source=source_note(rows.attrs["source_ids"]))
    _label_rows(fig.table, rows[rows["area_code"] == area_code].set_index("indicator_id").loc[drawn])
    untested = int(frame[["lower", "upper"]].isna().any(axis=1).sum())
    fig.note = (
        f"The grey bars show the range across the {len(children)} {board.place} {words} (light: worst to best; "
        f"dark: 25th to 75th percentile; white tick: median), not across all areas of {comparator.name}: the data hold "
        f"no values for other areas. Only the {len(frame)} {subject} indicators published for every {board.child_level.word} are shown."
        + (" The source does not state the period of these values." if set(rows["period"]) == {NO_PERIOD} else "")
        + (f" {untested} of {len(frame)} values have no published confidence interval and are not tested for significance." if untested else "")
        + _table_differs(board, area_code, rows)
    )
    fig.alt_text += f" The range is across the {len(children)} {board.place} {words}, not all areas of {comparator.name}."
    return fig


def compare_areas_figure(board: Board, indicator_id: str, highlight: str | None = None) -> Figure:
    """Compare-areas bars of one indicator across the board's sub-areas, with the comparator line
    and 95% interval whiskers where the source publishes them; the title names the source and
    period, and the note says where the board area's figure in the tables is another one."""
    rows = child_values(board, ids=[indicator_id])
    if rows.empty:
        raise ValueError(f"{indicator_id}: no value for every one of the {board.child_level.plural if board.child_level else 'sub-areas'}")
    first = rows.iloc[0]
    benchmark = children_benchmark(board)
    names = {a.code: a.name for a in board.areas}
    children = rows[rows["area_code"].isin([d.code for d in board.children])]
    comparator = rows.loc[rows["area_code"] == benchmark.code, "value"].iloc[0]
    plot = pd.DataFrame({"area": children["area_code"].map(names), "value": children["value"],
                         "lower": children["lower_ci95"], "upper": children["upper_ci95"],
                         "significance": labels(board, children, benchmark.code)})
    fig = charts.compare_areas(
        plot,
        measure=first["short_title"] if isinstance(first["short_title"], str) else first["title"],
        unit=_chart_unit(first["unit"]),
        period=_provenance(rows),
        comparator=(benchmark.name, float(comparator)),
        highlight=highlight,
        source=source_note(rows.attrs["source_ids"]),
    )
    _label_rows(fig.table, children.set_index(children["area_code"].map(names)).loc[fig.table["Area"]])
    fig.note = (("The source does not state the period of these values." if first["period"] == NO_PERIOD else "")
                + _table_differs(board, board.root.code, rows)).strip()
    return fig


def no_spine_note(board: Board) -> Markdown:
    """What a page says in place of a spine chart when no indicator has a value for every sub-area."""
    level = board.child_level
    where = f"every one of the {len(level.areas)} {level.plural}" if level else "more than one area of the board"
    return Markdown(f"*No spine chart: none of these indicators is published for {where}, so there is no range "
                    "to draw. The table below lists every indicator with its comparison.*")


def finding(r: object, area: str, comparator: str) -> dict:
    """Template values for one indicator row: name, formatted values, period, source, comparison phrase."""
    return {
        "title": r.short_title if isinstance(r.short_title, str) else r.title,
        "period": period_text(r.period),
        "source": source_label(r.source_id),
        "value": fmt(r.value, r.unit),
        "benchmark": fmt(r.benchmark_value, r.unit),
        "phrase": comparison_phrase(r.value, r.benchmark_value, r.significance, r.tested, comparator),
        "trend": r.trend,
        "rank": r.rank_text,
    }


def findings(frame: pd.DataFrame, area: str, comparator: str) -> list[dict]:
    """Template values for every row of `frame`."""
    return [finding(r, area, comparator) for r in frame.itertuples(index=False)]
