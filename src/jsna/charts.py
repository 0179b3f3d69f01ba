"""Charts in the house style, each carrying its finding title, alt text, data table and source.

Every chart function takes tidy data (from :mod:`jsna.data` / :mod:`jsna.compare`) and returns a
:class:`Figure`. In the HTML book a Figure renders as an HTML ``<figure>`` holding its Vega-Lite
spec as JSON; the book's own ``jsna-charts.js`` draws it with the locally served vega bundle, so
no page loads anything from another site. For print, :meth:`Figure.to_svg` and
:meth:`Figure.to_static_html` render the same spec to SVG with vl-convert (no browser).

The data a chart plots is the data its table shows and its CSV download holds: each function
builds one tidy frame, draws it, and publishes the same rows with readable column headings.
Significance is always shown by a text label and a shape as well as by colour.
"""

from __future__ import annotations

import json
import math
import re
import sys
import textwrap
from dataclasses import dataclass, field
from html import escape, unescape
from typing import Any, Mapping, Sequence
from urllib.parse import quote

# Altair validates specs with jsonschema, which imports ``rfc3987_syntax`` when it is installed:
# that compiles a grammar for about three seconds per kernel, only to check IRI formats that
# chart specs never use. Marking it absent before Altair is imported makes jsonschema skip that
# optional format check, so every chapter notebook (each a fresh kernel) starts quickly.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

import altair as alt  # noqa: E402 - after the rfc3987_syntax guard above
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from jsna import text  # noqa: E402
from jsna.config import slugify  # noqa: E402
from jsna.tables import table_html  # noqa: E402

__all__ = [
    "Figure",
    "SIGNIFICANCE",
    "spine_chart",
    "compare_areas",
    "trend",
    "age_structure",
    "tile_map",
    "target_vs_actual",
    "funding_breakdown",
    "static_html",
]

# --------------------------------------------------------------------------- house style

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
TEXT = "#0b0c0c"
AREA_BLUE = "#1d70b8"
COMPARATOR_GREY = "#505a5f"
#: Okabe-Ito: a categorical palette that stays distinct for the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
#: Sequential blues for quantile shading (light = low); distinguishable in greyscale too.
SEQUENTIAL = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
#: Fingertips comparison colours, each with its own shape: significance never relies on colour alone.
NOT_COMPARED = "Not compared"
SIGNIFICANCE: dict[str, tuple[str, str]] = {
    "Better": ("#92D050", "triangle-up"),
    "Similar": ("#FFC000", "circle"),
    "Worse": ("#C00000", "triangle-down"),
    "Higher": ("#BED2FF", "square"),
    "Lower": ("#5555E6", "diamond"),
    "Not compared": ("#C9C9C9", "cross"),
}
#: Target met / not met (Okabe-Ito bluish green and vermillion), also labelled in words.
TARGET = {"Met": ("#009E73", "circle"), "Not met": ("#D55E00", "cross")}
CONTAINER_WIDTH = 640  # stands in for width="container" where there is no page (SVG/PDF)
#: Average width of a 12px label character, for keeping bar-end labels inside the plot.
CHAR_PX = 6.2
THEME = "jsna"
#: Polarity ids as words, for tables and text.
POLARITY_WORDS = {"higher_is_better": "Higher is better", "lower_is_better": "Lower is better",
                  "no_judgement": "No judgement"}


@alt.theme.register(THEME, enable=True)
def jsna_theme() -> alt.theme.ThemeConfig:
    """The one house theme: font stack, sizes, text colour and colour-blind-safe ranges."""
    axis = {
        "labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "titleFontSize": 12,
        "labelColor": TEXT, "titleColor": TEXT, "titleFontWeight": 600, "gridColor": "#e5e5e5",
        "domainColor": "#6f777b", "tickColor": "#6f777b", "labelLimit": 260,
    }
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"stroke": None, "continuousWidth": CONTAINER_WIDTH, "continuousHeight": 300},
            "title": {"font": FONT, "fontSize": 14, "color": TEXT, "anchor": "start", "subtitleColor": TEXT},
            "axis": axis,
            "legend": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "titleFontSize": 12,
                       "labelColor": TEXT, "titleColor": TEXT, "orient": "bottom", "labelLimit": 320, "titleLimit": 400},
            "header": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "labelColor": TEXT},
            "text": {"font": FONT, "fontSize": 12, "color": TEXT},
            "range": {"category": PALETTE, "ordinal": SEQUENTIAL, "ramp": SEQUENTIAL},
            "bar": {"color": AREA_BLUE},
            "line": {"color": AREA_BLUE, "strokeWidth": 2},
        }
    }


# --------------------------------------------------------------------------- the Figure


@dataclass
class Figure:
    """A chart with what every published chart needs: finding title, alt text, data table, source.

    ``table`` is the plotted data with readable headings; the CSV download is ``table`` as CSV
    (numbers unrounded) and the page shows :meth:`display_table` (numbers formatted). ``decimals``
    is the number of decimals shown for non-integer numeric columns, ``formats`` overrides it by
    column heading. ``note`` is an optional line under the chart saying what it shows (for
    example which range a spine chart draws, or which of two published rows was kept).
    """

    chart: alt.TopLevelMixin
    title: str
    alt_text: str
    table: pd.DataFrame
    source: str
    decimals: int = 1
    formats: Mapping[str, int] = field(default_factory=dict)
    note: str = ""

    def spec(self) -> dict:
        """The Vega-Lite spec (house theme applied)."""
        with alt.theme.enable(THEME):
            return self.chart.to_dict()

    def display_table(self) -> pd.DataFrame:
        """The data table as shown on the page: numbers with thousands separators and fixed decimals."""
        return display_frame(self.table, self.decimals, self.formats)

    def csv(self) -> str:
        """The data table as CSV: full-precision numbers, whole numbers without a trailing ".0"."""
        return _whole_numbers(self.table).to_csv(index=False)

    def to_html(self) -> str:
        """The interactive figure: spec for jsna-charts.js, caption, source, data table and CSV link."""
        spec = json.dumps(self.spec(), separators=(",", ":")).replace("</", "<\\/")
        return _figure_html(
            self,
            f'<div class="jsna-vega" role="img" tabindex="0" aria-label="{escape(self.alt_text)}"></div>'
            f'<script type="application/json" class="jsna-spec">{spec}</script>',
        )

    def to_svg(self) -> str:
        """The chart as static SVG rendered by vl-convert (no browser), hidden from assistive tech."""
        return _svg(self.spec())

    def to_static_html(self) -> str:
        """The print figure: the same caption, alt text, source and table, with the chart as inline SVG."""
        return _figure_html(self, _static_div(self.alt_text, self.to_svg()), details=False)

    def _repr_html_(self) -> str:
        return self.to_html()


def _is_integer_column(col: pd.Series) -> bool:
    return pd.api.types.is_integer_dtype(col) or pd.api.types.is_bool_dtype(col)


def display_frame(table: pd.DataFrame, decimals: int = 1, formats: Mapping[str, int] | None = None) -> pd.DataFrame:
    """Format every numeric column of a chart's data table for reading: integer columns as whole
    numbers with separators ("57,070,979"), other numeric columns with ``decimals`` (or the
    column's entry in ``formats``); missing values read "not available". Text columns are kept."""
    formats = dict(formats or {})
    shown = table.copy()
    for name in shown.columns:
        col = shown[name]
        if pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col):
            continue
        d = formats.get(name, 0 if _is_integer_column(col) else decimals)
        shown[name] = [text.format_number(v, d) for v in col]
    return shown


def _whole_numbers(table: pd.DataFrame) -> pd.DataFrame:
    """Float columns that hold only whole numbers as integers (so the CSV has no "57070979.0"), and
    other floats rounded to 9 decimals (so it has no "65.44999999999999" from float arithmetic)."""
    out = table.copy()
    for name in out.columns:
        col = out[name]
        if pd.api.types.is_float_dtype(col):
            v = col.dropna()
            if len(v) and bool(np.all(np.isfinite(v))) and bool((v == np.round(v)).all()) and bool((v.abs() < 2**53).all()):
                out[name] = col.round().astype("Int64")
            else:
                out[name] = col.round(9)
    return out


def _figure_html(fig: Figure, chart_html: str, details: bool = True) -> str:
    name = slugify(fig.title)[:60] or "chart"
    href = "data:text/csv;charset=utf-8," + quote(fig.csv())
    table = (
        f'<div class="jsna-table-scroll" tabindex="0" role="region" aria-label="Data for: {escape(fig.title)}">'
        + table_html(fig.display_table(), f"Data for: {fig.title}")
        + "</div>"
    )
    download = f'<a class="jsna-download" download="{name}.csv" href="{href}">Download these data as CSV</a>'
    extra = (
        f"<details><summary>Data table for this chart</summary>{table}{download}</details>"
        if details
        else f'<div class="jsna-chart-data">{table}</div>'
    )
    return (
        f'<figure class="jsna-chart">'
        f'<figcaption class="jsna-chart-title">{escape(fig.title)}</figcaption>'
        f"{chart_html}"
        + (f'<p class="jsna-chart-note">{escape(fig.note)}</p>' if fig.note else "")
        + f'<p class="jsna-source">{escape(fig.source)}</p>'
        f"{extra}</figure>"
    )


def _fixed_width(spec: Any) -> Any:
    """Replace ``width: "container"`` (which needs a page) by a fixed width, recursively."""
    if isinstance(spec, dict):
        return {k: (CONTAINER_WIDTH if k == "width" and v == "container" else _fixed_width(v)) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_fixed_width(v) for v in spec]
    return spec


def _svg(spec: dict) -> str:
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(_fixed_width(spec))
    svg = re.sub(r"^\s*<\?xml[^>]*>\s*", "", svg)
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def _static_div(alt_text: str, svg: str) -> str:
    return f'<div class="jsna-vega jsna-static" role="img" aria-label="{escape(alt_text)}">{svg}</div>'


_LIVE_CHART = re.compile(
    r'<div class="jsna-vega" role="img"[^>]*?aria-label="(?P<alt>[^"]*)"[^>]*></div>'
    r'\s*<script type="application/json" class="jsna-spec">(?P<spec>.*?)</script>',
    re.S,
)


def static_html(html: str) -> str:
    """Turn every live chart in a page's HTML into its static SVG twin (for the PDF edition).

    Captions, alt text, sources and tables stay as they are; only the spec becomes an inline SVG.
    """

    def swap(m: re.Match) -> str:
        spec = json.loads(m.group("spec").replace("<\\/", "</"))
        return _static_div(unescape(m.group("alt")), _svg(spec))

    return _LIVE_CHART.sub(swap, html)


# --------------------------------------------------------------------------- helpers


def _fmt(value: float, unit: str, decimals: int = 1) -> str:
    return text.format_value(value, unit, decimals)


def _d3(decimals: int) -> str:
    return f",.{decimals}f"


def _unit_title(measure: str, unit: str) -> str:
    return f"{measure} ({unit})" if unit else measure


def _sig_scales(labels: Sequence[str]) -> tuple[alt.Scale, alt.Scale]:
    """Colour and shape scales for the significance labels present, in the standard order."""
    present = [k for k in SIGNIFICANCE if k in set(labels)]
    return (
        alt.Scale(domain=present, range=[SIGNIFICANCE[k][0] for k in present]),
        alt.Scale(domain=present, range=[SIGNIFICANCE[k][1] for k in present]),
    )


def _upper_first(s: str) -> str:
    return s[:1].upper() + s[1:]


def _lower_first(s: str) -> str:
    """Lower-case the first letter of a phrase for mid-sentence use, unless it starts an acronym."""
    return s if s[1:2].isupper() else s[:1].lower() + s[1:]


def _sig_summary(frame: pd.DataFrame, comparator: str) -> str:
    """"Significantly higher than England: A, B. Similar to England: C." in the standard order."""
    parts = []
    for label in SIGNIFICANCE:
        areas = frame.loc[frame["significance"] == label, "area"].tolist()
        if areas:
            parts.append(f"{_upper_first(text.significance_phrase(label, comparator))}: {text.listing(areas)}")
    return ". ".join(parts) + ("." if parts else "")


def _label_room(ends: Sequence[float], labels: Sequence[str], width: float = CONTAINER_WIDTH,
                dx: float = 4, floor: float = 0.0) -> float:
    """The x-scale maximum that keeps each label, drawn left-aligned ``dx`` px after its bar end,
    inside a plot ``width`` px wide (at least ``floor``, e.g. the largest plotted value).

    A label needs ``end / max * width + dx + len(label) * CHAR_PX <= width``; at most 60% of the
    width is given over to labels, so very long labels shrink the bars rather than the plot.
    """
    top = float(floor)
    for end, label in zip(ends, labels):
        if end is None or pd.isna(end) or end <= 0:
            continue
        room = max(width - dx - len(label) * CHAR_PX, 0.4 * width)
        top = max(top, float(end) * width / room)
    return top


def _num(value: float, decimals: int) -> str:
    """A number as d3's ``,.Nf`` formats it in the chart's labels."""
    return "" if pd.isna(value) else f"{float(value):,.{decimals}f}"


def _extremes(frame: pd.DataFrame, measure: str, n_areas: int, when: str) -> str:
    """"A has the highest <measure> of the 7 areas, B and C the lowest": every area tied at either end is named."""
    v = frame["value"]
    top = frame.loc[v == v.max(), "area"].tolist()
    bottom = frame.loc[v == v.min(), "area"].tolist()
    verb = "has" if len(top) == 1 else "have"
    return f"{text.listing(top)} {verb} the highest {_lower_first(measure)} of the {n_areas} areas, {text.listing(bottom)} the lowest{when}"


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: data needs column(s) {missing}, got {list(frame.columns)}")


# --------------------------------------------------------------------------- spine chart


SPINE_COLUMNS = ["indicator", "unit", "polarity", "value", "lower", "upper", "comparator_value",
                 "worst", "q25", "median", "q75", "best", "significance"]


def spine_chart(
    data: pd.DataFrame,
    *,
    area: str,
    comparator: str = "England",
    range_name: str = "England",
    period: str = "",
    source: str,
    decimals: int = 1,
) -> Figure:
    """Fingertips spine chart: each indicator's area value against the range of areas.

    ``data`` has one row per indicator with columns ``indicator, unit, polarity, value, lower,
    upper, comparator_value, worst, q25, median, q75, best`` and ``significance``, the comparison
    label the indicator engine gave the value (this function draws it and computes nothing). Each row is scaled so the
    comparator sits in the middle and better values lie to the right (``no_judgement``: higher to
    the right); the light bar spans worst to best, the dark bar the 25th to 75th percentile.
    """
    _require(data, SPINE_COLUMNS, "spine_chart")
    frame = data[SPINE_COLUMNS].reset_index(drop=True).copy()
    for c in ("value", "lower", "upper", "comparator_value", "worst", "q25", "median", "q75", "best"):
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
    ids = frame["polarity"].tolist()
    frame["polarity"] = frame["polarity"].map(POLARITY_WORDS)
    order = frame["indicator"].tolist()
    colour, shape = _sig_scales(frame["significance"])
    half = "max(abs(datum.worst - datum.comparator_value), abs(datum.best - datum.comparator_value), 1e-9)"
    sign = f"(datum.polarity == '{POLARITY_WORDS['lower_is_better']}' ? -1 : 1)"

    def pos(field: str) -> str:
        return f"0.5 + {sign} * (datum.{field} - datum.comparator_value) / (2 * {half})"

    base = alt.Chart(frame).transform_calculate(
        x_worst=pos("worst"), x_q25=pos("q25"), x_median=pos("median"), x_q75=pos("q75"),
        x_best=pos("best"), x_value=pos("value"),
        label=f"format(datum.value, '{_d3(decimals)}') + (datum.unit == '%' ? '%' : ' ' + datum.unit)"
              " + (datum.significance == 'Not compared' ? '' : ' - ' + datum.significance)",
    )
    y = alt.Y("indicator:N", sort=order, title=None, axis=alt.Axis(labelLimit=200))
    xscale = alt.Scale(domain=[0, 1], nice=False)
    x_axis = alt.Axis(values=[0, 0.5, 1], labelExpr="datum.value == 0 ? 'Worst' : datum.value == 1 ? 'Best' : '"
                      + comparator + "'", grid=False)
    outer = base.mark_bar(color="#d9d9d9", height=14).encode(
        y=y, x=alt.X("x_worst:Q", scale=xscale, axis=x_axis, title=f"Range of {range_name} areas"), x2="x_best:Q")
    inner = base.mark_bar(color="#8b8b8b", height=14).encode(y=y, x="x_q25:Q", x2="x_q75:Q")
    median = base.mark_tick(color="white", thickness=2, size=14).encode(y=y, x="x_median:Q")
    centre = alt.Chart(pd.DataFrame({"x": [0.5]})).mark_rule(color=TEXT, strokeWidth=2).encode(x="x:Q")
    marker = base.mark_point(filled=True, size=140, stroke=TEXT, strokeWidth=1, opacity=1).encode(
        y=y, x="x_value:Q",
        color=alt.Color("significance:N", scale=colour, title=f"Compared with {comparator}"),
        shape=alt.Shape("significance:N", scale=shape, title=f"Compared with {comparator}"),
        tooltip=["indicator:N", alt.Tooltip("value:Q", format=_d3(decimals)), "significance:N"],
    )
    spine = alt.layer(outer, inner, median, centre, marker).properties(width=290, height=alt.Step(26))
    labels = base.mark_text(align="left").encode(y=alt.Y("indicator:N", sort=order, axis=None), text="label:N").properties(
        width=170, height=alt.Step(26), title=area)
    chart = alt.hconcat(spine, labels, spacing=4)

    better = frame.loc[frame["significance"] == "Better", "indicator"].tolist()
    worse = frame.loc[frame["significance"] == "Worse", "indicator"].tolist()
    n = len(frame)
    when = f" ({period})" if period else ""
    if (frame["significance"] == "Not compared").all():
        # No interval to test: say which side of the comparator each value lies, and that it is untested.
        side = [np.sign(v - c) * (-1 if p == "lower_is_better" else 1) if p != "no_judgement" else 0
                for v, c, p in zip(frame["value"], frame["comparator_value"], ids)]
        title = (f"{area} is on the better side of {comparator} for {sum(x > 0 for x in side)} of {n} indicators "
                 f"and on the worse side for {sum(x < 0 for x in side)} (not tested for significance){when}")
    else:
        title = f"{area}: {len(better)} of {n} indicators significantly better than {comparator}, {len(worse)} significantly worse{when}"
    rows = "; ".join(
        f"{r.indicator} {_fmt(r.value, r.unit, decimals)}, {text.significance_phrase(r.significance, comparator)} "
        f"({_fmt(r.comparator_value, r.unit, decimals)}); range {_fmt(r.worst, r.unit, decimals)} (worst) to "
        f"{_fmt(r.best, r.unit, decimals)} (best)"
        for r in frame.itertuples()
    )
    alt_text = (f"Spine chart of {n} indicators for {area}"
                f"{' in ' + period if period else ''}, each against the range of {range_name} areas "
                f"with {comparator} in the middle and better values to the right. {rows}.")
    table = frame.rename(columns={
        "indicator": "Indicator", "unit": "Unit", "polarity": "Polarity", "value": f"{area} value",
        "lower": "Lower 95% CI", "upper": "Upper 95% CI", "comparator_value": f"{comparator} value",
        "worst": "Worst", "q25": "25th percentile", "median": "Median", "q75": "75th percentile",
        "best": "Best", "significance": f"Compared with {comparator}"})
    return Figure(chart, title, alt_text, table, source, decimals=decimals)


# --------------------------------------------------------------------------- compare areas


def compare_areas(
    data: pd.DataFrame,
    *,
    measure: str,
    unit: str = "",
    period: str = "",
    comparator: tuple[str, float] | None = None,
    highlight: str | None = None,
    source: str,
    decimals: int = 1,
    title: str | None = None,
) -> Figure:
    """Horizontal bars of one measure per area, highest first, with 95% CI whiskers.

    ``data`` has ``area, value`` and optionally ``lower, upper`` and ``significance`` (the label
    the indicator engine gave each area against the comparator). With ``comparator=(name, value)``
    a line marks the comparator and, where labels are given, each bar is coloured and labelled by
    them (an area without one is "Not compared"); without a comparator, bars carry their value.
    """
    _require(data, ["area", "value"], "compare_areas")
    has_ci = {"lower", "upper"} <= set(data.columns) and data[["lower", "upper"]].notna().any().all()
    cols = ["area", "value", *(["lower", "upper"] if has_ci else []), *(["significance"] if "significance" in data else [])]
    frame = data[cols].sort_values("value", ascending=False, kind="stable").reset_index(drop=True)
    frame.columns.name = None
    cname = comparator[0] if comparator else ""
    if comparator:
        frame["comparator_value"] = float(comparator[1])
        frame["significance"] = frame["significance"].fillna(NOT_COMPARED) if "significance" in frame else NOT_COMPARED
        frame = frame[[c for c in frame.columns if c != "significance"] + ["significance"]]
    elif "significance" in frame:
        frame = frame.drop(columns="significance")
    # Tested: some area has an interval to compare with the comparator. Untested comparisons are
    # still tabled ("Not compared") but bars are not coloured or labelled as if they were judged.
    tested = bool(comparator) and bool((frame["significance"] != "Not compared").any())
    fmt = _d3(decimals)
    base = alt.Chart(frame)
    y = alt.Y("area:N", sort=frame["area"].tolist(), title=None)
    x_title = _unit_title(measure, unit)
    tooltip = ["area:N", alt.Tooltip("value:Q", format=fmt)]
    if tested:
        colour, _ = _sig_scales(frame["significance"])
        bar_colour = alt.Color("significance:N", scale=colour, title=f"Compared with {cname}")
        tooltip.append("significance:N")
        label = f"format(datum.value, '{fmt}') + (datum.significance == 'Not compared' ? '' : ' ' + datum.significance)"
        label_text = [_num(v, decimals) + ("" if g == "Not compared" else " " + g) for v, g in zip(frame["value"], frame["significance"])]
    else:
        bar_colour = (alt.condition(alt.datum.area == highlight, alt.value(AREA_BLUE), alt.value(COMPARATOR_GREY))
                      if highlight else alt.value(AREA_BLUE))
        label = f"format(datum.value, '{fmt}')"
        label_text = [_num(v, decimals) for v in frame["value"]]
    ends = frame["upper"].where(frame["upper"].notna(), frame["value"]) if has_ci else frame["value"]
    room_ends, room_labels = list(ends), label_text
    if comparator:
        room_ends.append(float(comparator[1]))
        room_labels = [*label_text, f"{cname} {_num(comparator[1], decimals)}"]
    x_max = _label_room(room_ends, room_labels, floor=float(np.nanmax([*ends, comparator[1] if comparator else 0, 0])))
    x_scale = alt.Scale(domainMax=x_max) if x_max > 0 else alt.Scale()
    bars = base.mark_bar(stroke=TEXT, strokeWidth=0.5).encode(
        y=y, x=alt.X("value:Q", title=x_title, scale=x_scale), color=bar_colour, tooltip=tooltip)
    layers: list[alt.Chart] = [bars]
    end = "value"
    if has_ci:
        layers.append(base.mark_rule(color=TEXT, strokeWidth=1.5).encode(y=y, x="lower:Q", x2="upper:Q"))
        end = "upper"
    layers.append(base.transform_calculate(label=label, end=f"isValid(datum.{end}) ? datum.{end} : datum.value")
                  .mark_text(align="left", dx=4).encode(y=y, x="end:Q", text="label:N"))
    if comparator:
        layers.append(base.mark_rule(color=TEXT, strokeDash=[6, 3], strokeWidth=2).encode(x="mean(comparator_value):Q"))
        layers.append(base.transform_aggregate(v="mean(comparator_value)")
                      .transform_calculate(t=f"'{cname} ' + format(datum.v, '{fmt}')")
                      .mark_text(align="left", dx=4, baseline="top", y=-16).encode(x="v:Q", text="t:N"))
    chart = alt.layer(*layers).properties(width="container", height=alt.Step(26), padding={"top": 20})

    top, bottom = frame.iloc[0], frame.iloc[-1]
    when = f" ({period})" if period else ""
    parts = [f"Bar chart of {_lower_first(measure)} "
             f"for {len(frame)} areas{when}, highest first"
             + (", with 95% confidence intervals" if has_ci else "")
             + (f" and a line for {cname} at {_fmt(comparator[1], unit, decimals)}" if comparator else "") + ".",
             f"Highest: {top['area']} ({_fmt(top['value'], unit, decimals)}); "
             f"lowest: {bottom['area']} ({_fmt(bottom['value'], unit, decimals)})."]
    if tested:
        parts.append(_sig_summary(frame, cname))
    elif comparator:
        parts.append(f"No confidence intervals are published for these values, so no area is tested against {cname}.")
    alt_text = " ".join(parts)
    if title is None:
        if tested and highlight is not None and highlight in set(frame["area"]):
            sig = frame.loc[frame["area"] == highlight, "significance"].iloc[0]
            title = f"{measure} in {highlight} is {text.significance_phrase(sig, cname)}{when}"
        elif tested:
            flagged = [k for k in ("Worse", "Better", "Higher", "Lower") if (frame["significance"] == k).any()]
            lead = flagged[0] if flagged else "Similar"
            k = int((frame["significance"] == lead).sum())
            title = f"{k} of {len(frame)} areas are {text.significance_phrase(lead, cname)} for {_lower_first(measure)}{when}"
        else:
            title = _extremes(frame, measure, len(frame), when)
    headings = {"area": "Area", "value": x_title, "lower": "Lower 95% CI", "upper": "Upper 95% CI",
                "comparator_value": f"{cname} value", "significance": f"Compared with {cname}"}
    return Figure(chart, title, alt_text, frame.rename(columns=headings), source, decimals=decimals)


# --------------------------------------------------------------------------- trend


def trend(
    data: pd.DataFrame,
    *,
    area: str,
    comparator: str,
    measure: str,
    unit: str = "",
    source: str,
    decimals: int = 1,
    trend_label: str | None = None,
) -> Figure:
    """Line chart over time of an area (with 95% CIs) and its comparator.

    ``data`` is long: ``area, period, value`` and optionally ``lower, upper`` and, on the area's
    rows, ``significance`` (the engine's label against the comparator in the same period), rows for
    ``area`` and ``comparator``; periods are plotted in the order they first appear. Each area
    point is marked by its label ("Not compared" where none is given).
    """
    _require(data, ["area", "period", "value"], "trend")
    periods = list(dict.fromkeys(data["period"].astype(str)))
    own = data[data["area"] == area].copy()
    ref = data[data["area"] == comparator][["period", "value"]].rename(columns={"value": "comparator_value"})
    own["period"] = own["period"].astype(str)
    ref["period"] = ref["period"].astype(str)
    own = own.merge(ref, on="period", how="left")
    for c in ("lower", "upper"):
        if c not in own:
            own[c] = np.nan
    own["significance"] = own["significance"].fillna(NOT_COMPARED) if "significance" in own else NOT_COMPARED
    frame = own[["period", "value", "lower", "upper", "comparator_value", "significance"]]
    frame = frame.set_index("period").reindex([p for p in periods if p in set(frame["period"])]).reset_index()

    fmt = _d3(decimals)
    x = alt.X("period:O", sort=periods, title="Period", axis=alt.Axis(labelAngle=-45 if len(periods) > 8 else 0))
    base = alt.Chart(frame)
    series = alt.Scale(domain=[area, comparator], range=[AREA_BLUE, COMPARATOR_GREY])
    colour, shape = _sig_scales(frame.loc[frame["value"].notna(), "significance"])
    band = base.mark_area(opacity=0.25, color=AREA_BLUE).encode(x=x, y="lower:Q", y2="upper:Q")
    comp_line = base.transform_calculate(series=f"'{comparator}'").mark_line(strokeDash=[6, 3], point=alt.OverlayMarkDef(shape="square", filled=True, color=COMPARATOR_GREY)).encode(
        x=x, y="comparator_value:Q", color=alt.Color("series:N", scale=series, title=None))
    area_line = base.transform_calculate(series=f"'{area}'").mark_line().encode(
        x=x, y=alt.Y("value:Q", title=_unit_title(measure, unit)), color=alt.Color("series:N", scale=series, title=None))
    points = base.transform_filter("isValid(datum.value)").mark_point(filled=True, size=90, stroke=TEXT, strokeWidth=1, opacity=1).encode(
        x=x, y="value:Q",
        fill=alt.Fill("significance:N", scale=colour, title=f"{area} compared with {comparator}"),
        shape=alt.Shape("significance:N", scale=shape, title=f"{area} compared with {comparator}"),
        tooltip=["period:N", alt.Tooltip("value:Q", format=fmt), alt.Tooltip("lower:Q", format=fmt),
                 alt.Tooltip("upper:Q", format=fmt), alt.Tooltip("comparator_value:Q", format=fmt), "significance:N"],
    )
    layers = [band, comp_line, area_line, points] if frame["lower"].notna().any() else [comp_line, area_line, points]
    chart = alt.layer(*layers).properties(width="container", height=300)

    valid = frame.dropna(subset=["value"])
    first, last = valid.iloc[0], valid.iloc[-1]
    sig_now = text.significance_phrase(last["significance"], comparator)
    title = f"{measure} in {area} was {sig_now} in {last['period']}"
    ci = (f" (95% confidence interval {text.format_ci(last['lower'], last['upper'], unit, decimals)})"
          if pd.notna(last["lower"]) else "")
    hi = valid.loc[valid["value"].idxmax()]
    lo = valid.loc[valid["value"].idxmin()]
    alt_text = (
        f"Line chart of {_lower_first(measure)} in {area} and {comparator} from {first['period']} to {last['period']} "
        f"({len(valid)} periods). In {last['period']} {area} was {_fmt(last['value'], unit, decimals)}{ci}, "
        f"{sig_now} ({_fmt(last['comparator_value'], unit, decimals)}). In {first['period']} {area} was "
        f"{_fmt(first['value'], unit, decimals)}. Highest: {_fmt(hi['value'], unit, decimals)} in {hi['period']}; "
        f"lowest: {_fmt(lo['value'], unit, decimals)} in {lo['period']}."
        + (f" Recent trend: {text.trend_phrase(trend_label)}." if trend_label else "")
    )
    table = frame.rename(columns={"period": "Period", "value": f"{area} ({unit})" if unit else area,
                                  "lower": "Lower 95% CI", "upper": "Upper 95% CI",
                                  "comparator_value": f"{comparator} ({unit})" if unit else comparator,
                                  "significance": f"Compared with {comparator}"})
    return Figure(chart, title, alt_text, table, source, decimals=decimals)


# --------------------------------------------------------------------------- age structure


def age_structure(
    data: pd.DataFrame,
    *,
    area: str,
    comparator: str,
    year: int | str,
    source: str,
    bands: Sequence[str] | None = None,
) -> Figure:
    """Population pyramid for persons: the area's share in each age band as bars, the comparator's
    share as an outline tick on each bar. ``data``: ``age_band, area, share`` (percent)."""
    _require(data, ["age_band", "area", "share"], "age_structure")
    bands = list(bands) if bands is not None else list(dict.fromkeys(data["age_band"]))
    wide = data.pivot(index="age_band", columns="area", values="share").reindex(bands)
    frame = pd.DataFrame({"age_band": bands, "area_share": wide[area].to_numpy(), "comparator_share": wide[comparator].to_numpy()})
    order = bands[::-1]  # oldest at the top, as in a pyramid
    y = alt.Y("age_band:N", sort=order, title="Age band")
    base = alt.Chart(frame)
    key = alt.Scale(domain=[area, comparator], range=[AREA_BLUE, TEXT])
    ends = np.fmax(frame["area_share"], frame["comparator_share"])
    x_max = _label_room(ends, [f"{a:.1f}% ({c:.1f}%)" for a, c in zip(frame["area_share"], frame["comparator_share"])],
                        dx=6, floor=float(np.nanmax(ends)))
    bars = base.transform_calculate(who=f"'{area}'").mark_bar(height=22).encode(
        y=y, x=alt.X("area_share:Q", title="Share of all residents (%)", scale=alt.Scale(domainMax=x_max)),
        color=alt.Color("who:N", scale=key, title=None),
        tooltip=["age_band:N", alt.Tooltip("area_share:Q", format=".1f"), alt.Tooltip("comparator_share:Q", format=".1f")])
    ticks = base.transform_calculate(who=f"'{comparator}'").mark_tick(thickness=3, size=30).encode(
        y=y, x="comparator_share:Q", color=alt.Color("who:N", scale=key, title=None))
    labels = base.transform_calculate(t="format(datum.area_share, '.1f') + '% (' + format(datum.comparator_share, '.1f') + '%)'").transform_calculate(
        end="max(datum.area_share, datum.comparator_share)").mark_text(align="left", dx=6).encode(y=y, x="end:Q", text="t:N")
    chart = alt.layer(bars, ticks, labels).properties(width="container", height=alt.Step(34))

    older = frame[frame["age_band"].isin(bands[-2:])]
    old_a, old_c = float(older["area_share"].sum()), float(older["comparator_share"].sum())
    direction = "older" if old_a > old_c else "younger" if old_a < old_c else None
    title = (f"{area} has an {direction} age profile than {comparator}" if direction
             else f"{area} has the same share of older people as {comparator}")
    alt_text = (
        f"Age-structure chart (persons; the estimates are not split by sex, so this is not a male and female pyramid) "
        f"of the share of {area} residents in {len(bands)} age bands, mid-{year}, with the {comparator} share marked on "
        "each bar. " + "; ".join(f"{r.age_band}: {_fmt(r.area_share, '%')} in {area}, {_fmt(r.comparator_share, '%')} in {comparator}"
                                 for r in frame.itertuples())
        + f". Aged {bands[-2].split('-')[0]} and over: {_fmt(old_a, '%')} against {_fmt(old_c, '%')}."
    )
    table = frame.rename(columns={"age_band": "Age band", "area_share": f"{area} (%)", "comparator_share": f"{comparator} (%)"})
    return Figure(chart, title, alt_text, table, source)


# --------------------------------------------------------------------------- tile map

def _tile_positions(codes: Sequence[str], tiles: Mapping[str, tuple[int, int]]) -> list[tuple[int, int]]:
    """Configured tile positions, or a row-major grid when any area has none."""
    if all(c in tiles for c in codes):
        return [tiles[c] for c in codes]
    width = math.ceil(math.sqrt(len(codes)))
    return [(i % width, i // width) for i in range(len(codes))]


def tile_map(
    data: pd.DataFrame,
    *,
    measure: str,
    unit: str = "",
    period: str = "",
    source: str,
    n_quantiles: int = 5,
    tiles: Mapping[str, tuple[int, int]] | None = None,
    decimals: int = 1,
) -> Figure:
    """Tile map shaded by PHE quantile (1 = highest), each tile labelled with name, value and
    quantile; the table twin lists the same. ``data``: ``area_code, area, value, quantile`` (1 =
    highest, as :func:`jsna.stats.quantiles` with ``invert=True`` gives it, in `n_quantiles`
    groups, which the legend lists); `tiles` gives each
    area's (column, row), as the board file does (a row-major grid when any is missing)."""
    _require(data, ["area_code", "area", "value", "quantile"], "tile_map")
    frame = data[["area_code", "area", "value", "quantile"]].reset_index(drop=True).copy()
    frame["quantile"] = frame["quantile"].astype(int)
    pos = _tile_positions(frame["area_code"].tolist(), tiles or {})
    frame["column"] = [p[0] for p in pos]
    frame["row"] = [p[1] for p in pos]
    q = min(n_quantiles, len(frame))
    shades = SEQUENTIAL[::-1][:q] if q <= len(SEQUENTIAL) else SEQUENTIAL[::-1]
    fmt = _d3(decimals)
    base = alt.Chart(frame).encode(
        x=alt.X("column:O", axis=None), y=alt.Y("row:O", axis=None))
    rects = base.mark_rect(stroke="white", strokeWidth=3).encode(
        color=alt.Color("quantile:O", scale=alt.Scale(domain=list(range(1, q + 1)), range=shades),
                        title=f"Quantile of {len(frame)} areas (1 = highest)"),
        tooltip=["area:N", alt.Tooltip("value:Q", format=fmt), "quantile:O"])
    labels = base.transform_calculate(
        t=f"[datum.area, format(datum.value, '{fmt}'), 'Q' + datum.quantile]").mark_text(lineBreak="\n", fontSize=11).encode(
        text="t:N", color=alt.condition(f"datum.quantile <= {max(1, q // 2)}", alt.value("white"), alt.value(TEXT)))
    chart = alt.layer(rects, labels).properties(width=alt.Step(150), height=alt.Step(80))

    ranked = frame.sort_values("value", ascending=False)
    when = f" ({period})" if period else ""
    title = _extremes(frame, measure, len(frame), when)
    alt_text = (
        f"Tile map of {len(frame)} areas shaded by quantile of {_lower_first(measure)}{when}; quantile 1 is the highest. "
        + "; ".join(f"{r.area} {_fmt(r.value, unit, decimals)} (quantile {r.quantile})" for r in ranked.itertuples()) + "."
    )
    table = frame.rename(columns={"area_code": "Area code", "area": "Area", "value": _unit_title(measure, unit),
                                  "quantile": "Quantile (1 = highest)", "column": "Tile column", "row": "Tile row"})
    return Figure(chart, title, alt_text, table, source, decimals=decimals)


# --------------------------------------------------------------------------- target vs actual


def target_met(actual: float, target: float, polarity: str) -> str:
    """"Met" when the actual is at or beyond the target in the good direction, else "Not met"."""
    if pd.isna(actual) or pd.isna(target):
        return "Not compared"
    good = actual <= target if polarity == "lower_is_better" else actual >= target
    return "Met" if good else "Not met"


def target_vs_actual(data: pd.DataFrame, *, source: str, decimals: int | None = None,
                     what: str = "Better Care Fund") -> Figure:
    """Actual against target for each metric by year: bars for actuals, a black tick for each
    target, and "Met" / "Not met" in words and shape. ``data``: ``metric, title, year, unit,
    polarity, target, actual`` (as in ``bcf_metrics``). Without `decimals`, each metric is shown
    to the precision of its own figures (whole numbers without ".0")."""
    _require(data, ["metric", "title", "year", "unit", "polarity", "target", "actual"], "target_vs_actual")
    frame = data[["metric", "title", "year", "unit", "polarity", "target", "actual"]].reset_index(drop=True).copy()
    places = {m: (text.decimals_for(g["actual"], g["target"]) if decimals is None else decimals)
              for m, g in frame.groupby("metric", sort=False)}
    row_places = frame["metric"].map(places).astype(int).tolist()
    dupes = frame[frame.duplicated(["metric", "year"], keep=False)]
    if len(dupes):
        raise ValueError(f"target_vs_actual: more than one row for {sorted(set(zip(dupes['metric'], dupes['year'])))}")
    frame["status"] = [target_met(r.actual, r.target, r.polarity) for r in frame.itertuples()]
    # Panels are drawn per metric but named by title (the table shows no ids): a title shared by
    # two metrics gets its metric id appended so each panel stays distinct.
    shared = frame.groupby("title")["metric"].transform("nunique") > 1
    frame["title"] = frame["title"].astype(str).where(~shared, frame["title"].astype(str) + " (" + frame["metric"].astype(str) + ")")
    n_metrics = frame["metric"].nunique()
    ids = frame.pop("metric")
    polarity = frame["polarity"].tolist()
    frame["polarity"] = frame["polarity"].map(POLARITY_WORDS).fillna(frame["polarity"])
    years = sorted(frame["year"].astype(str).unique())
    fmt = _d3(max(row_places))
    width = CONTAINER_WIDTH - 80
    status = alt.Scale(domain=list(TARGET), range=[c for c, _ in TARGET.values()])
    shapes = alt.Scale(domain=list(TARGET), range=[s for _, s in TARGET.values()])
    single = len(years) == 1 and frame["unit"].nunique() == 1 and len(set(polarity)) == 1 and n_metrics > 1
    panels = []
    for _, group in ([] if single else frame.groupby(ids, sort=False)):
        first = group.iloc[0]
        direction = "lower is better" if polarity[group.index[0]] == "lower_is_better" else "higher is better"
        base = alt.Chart(frame).transform_filter(alt.datum.title == first["title"])
        y = alt.Y("year:N", sort=years, title=None)
        ends = np.fmax(group["actual"].fillna(0), group["target"].fillna(0))
        dp = row_places[group.index[0]]
        panel_fmt = _d3(dp)
        labels = [(_num(a, dp) if pd.notna(a) else "No actual") + " vs target "
                  + (_num(t, dp) if pd.notna(t) else "none") + ": " + st
                  for a, t, st in zip(group["actual"], group["target"], group["status"])]
        x_max = _label_room(ends, labels, width=width, dx=8, floor=float(ends.max()))
        x = alt.X("actual:Q", title=f"{first['unit']} ({direction})", scale=alt.Scale(domainMax=x_max))
        bars, target, marks = _actual_target_marks(base, y, x, "year:N", panel_fmt, status, shapes, (18, 26, 70))
        label = base.transform_calculate(
            t=f"(isValid(datum.actual) ? format(datum.actual, '{panel_fmt}') : 'No actual') + ' vs target ' + "
              f"(isValid(datum.target) ? format(datum.target, '{panel_fmt}') : 'none') + ': ' + datum.status",
            end="max(isValid(datum.actual) ? datum.actual : 0, isValid(datum.target) ? datum.target : 0)").mark_text(align="left", dx=8).encode(y=y, x="end:Q", text="t:N")
        panels.append(alt.layer(bars, target, marks, label).properties(
            width=width, height=alt.Step(26), title=textwrap.wrap(str(first["title"]), 80)))
    chart = (_targets_in_one_year(frame, polarity[0], fmt, status, shapes, width) if single
             else alt.vconcat(*panels, spacing=24))

    judged = frame[frame["status"] != "Not compared"]
    met = int((judged["status"] == "Met").sum())
    span = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"
    title = f"{met} of {len(judged)} {what} targets were met, {span}"
    alt_text = (
        f"Bar charts of the actual value against the target for {n_metrics} {what} metrics, {span}; "
        f"{met} of {len(judged)} targets met. "
        + "; ".join(f"{r.title}, {r.year}: {_fmt(r.actual, r.unit, dp)} against a target of "
                    f"{_fmt(r.target, r.unit, dp)} ({r.status.lower()})" for r, dp in zip(frame.itertuples(), row_places)) + "."
    )
    table = frame.rename(columns={"title": "Metric", "year": "Year", "unit": "Unit", "polarity": "Polarity",
                                  "target": "Target", "actual": "Actual", "status": "Target met"})
    return Figure(chart, title, alt_text, table, source, decimals=max(row_places))


def _actual_target_marks(base: alt.Chart, y: alt.Y, x: alt.X, row: str, fmt: str, status: alt.Scale,
                         shapes: alt.Scale, sizes: tuple[int, int, int]) -> tuple[alt.Chart, alt.Chart, alt.Chart]:
    """The bar of each actual (coloured by Met / Not met), a black tick at its target and a status shape
    at its end; `sizes` are the bar height, tick size and point size."""
    bar_height, tick_size, point_size = sizes
    colour = alt.Color("status:N", scale=status, title="Target")
    bars = base.mark_bar(height=bar_height).encode(
        y=y, x=x, color=colour,
        tooltip=[row, alt.Tooltip("actual:Q", format=fmt), alt.Tooltip("target:Q", format=fmt), "status:N"])
    target = base.mark_tick(color=TEXT, thickness=3, size=tick_size).encode(y=y, x="target:Q")
    marks = base.mark_point(filled=True, size=point_size, stroke=TEXT, opacity=1).encode(
        y=y, x="actual:Q", shape=alt.Shape("status:N", scale=shapes, title="Target"), color=colour)
    return bars, target, marks


def _targets_in_one_year(frame: pd.DataFrame, polarity: str, fmt: str, status: alt.Scale, shapes: alt.Scale,
                         width: float) -> alt.HConcatChart:
    """Many metrics of one year and unit (e.g. vaccinations against a goal): one row per metric on a
    shared axis, with "actual vs target: Met" in a text column beside the bars, so labels never
    stretch the axis (a percentage axis stops at 100)."""
    direction = "lower is better" if polarity == "lower_is_better" else "higher is better"
    unit = str(frame["unit"].iloc[0])
    top = float(np.fmax(frame["actual"].fillna(0), frame["target"].fillna(0)).max())
    domain = [0, 100] if unit == "%" and top <= 100 else [0, top * 1.05]
    y = alt.Y("title:N", sort=frame["title"].tolist(), title=None, axis=alt.Axis(labelLimit=200))
    base = alt.Chart(frame)
    x = alt.X("actual:Q", title=f"{unit} ({direction})", scale=alt.Scale(domain=domain))
    bars, target, marks = _actual_target_marks(base, y, x, "title:N", fmt, status, shapes, (16, 22, 60))
    label = base.transform_calculate(
        t=f"(isValid(datum.actual) ? format(datum.actual, '{fmt}') : 'No actual') + ' vs ' + "
          f"(isValid(datum.target) ? format(datum.target, '{fmt}') : 'none') + ': ' + datum.status",
    ).mark_text(align="left", color=TEXT).encode(y=alt.Y("title:N", sort=frame["title"].tolist(), axis=None), text="t:N")
    plot = alt.layer(bars, target, marks).properties(width=width - 360, height=alt.Step(24))
    return alt.hconcat(plot, label.properties(width=150, height=alt.Step(24)), spacing=10)


# --------------------------------------------------------------------------- funding breakdown


def funding_breakdown(
    data: pd.DataFrame,
    *,
    year: str,
    source: str,
    value: str = "planned_income_gbp",
    label: str = "Planned income",
    what: str = "Better Care Fund",
) -> Figure:
    """Horizontal bars of each funding stream in one year, largest first, with £ and share labels.

    ``data``: ``year, funding_stream, is_total`` and the ``value`` column (as in ``bcf_income``).
    Total rows are not drawn; when one is present the streams must add up to it (to £1).
    """
    _require(data, ["year", "funding_stream", "is_total", value], "funding_breakdown")
    rows = data[data["year"].astype(str) == str(year)]
    if rows.empty:
        raise ValueError(f"funding_breakdown: no rows for year {year!r}")
    parts = rows[~rows["is_total"].astype(bool)]
    total = float(parts[value].sum())
    stated = rows.loc[rows["is_total"].astype(bool), value]
    if len(stated) and abs(float(stated.iloc[0]) - total) > 1:
        raise ValueError(f"funding_breakdown: streams add up to £{total:,.0f}, but the total row says £{float(stated.iloc[0]):,.0f} ({year})")
    frame = pd.DataFrame({"funding_stream": parts["funding_stream"].to_numpy(), "amount": parts[value].astype(float).to_numpy()})
    frame["share"] = (100 * frame["amount"] / total).round(1) if total else 0.0
    frame = frame.sort_values("amount", ascending=False, kind="stable").reset_index(drop=True)
    y = alt.Y("funding_stream:N", sort=frame["funding_stream"].tolist(), title=None)
    base = alt.Chart(frame)
    x_max = _label_room(frame["amount"], [f"£{a:,.0f} ({sh:.1f}%)" for a, sh in zip(frame["amount"], frame["share"])],
                        floor=float(frame["amount"].max()) if len(frame) else 0.0)
    bars = base.mark_bar(color=AREA_BLUE).encode(
        y=y, x=alt.X("amount:Q", title=f"{label} (£)", axis=alt.Axis(format="~s", labelExpr="'£' + datum.label"),
                     scale=alt.Scale(domainMax=x_max)),
        tooltip=["funding_stream:N", alt.Tooltip("amount:Q", format=",.0f"), alt.Tooltip("share:Q", format=".1f")])
    labels = base.transform_calculate(t="'£' + format(datum.amount, ',.0f') + ' (' + format(datum.share, '.1f') + '%)'").mark_text(
        align="left", dx=4).encode(y=y, x="amount:Q", text="t:N")
    chart = alt.layer(bars, labels).properties(width="container", height=alt.Step(30))

    top = frame.iloc[0]
    title = f"{top['funding_stream']} provides {text.format_value(top['share'], '%')} of the {_fmt(total, '£')} {what}, {year}"
    alt_text = (
        f"Bar chart of {label.lower()} of the {what} by funding stream, {year}, largest first; total {_fmt(total, '£')}. "
        + "; ".join(f"{r.funding_stream} {_fmt(r.amount, '£')} ({_fmt(r.share, '%')})" for r in frame.itertuples()) + "."
    )
    table = frame.rename(columns={"funding_stream": "Funding stream", "amount": f"{label} (£)", "share": "Share of total (%)"})
    return Figure(chart, title, alt_text, table, source, formats={f"{label} (£)": 0})
