"""Small Altair charts for the JSNA topic chapters, wrapped by callers in :class:`jsna.charts.Figure`.

Significance is shown by point shape and a text label as well as colour.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from jsna.charts import AREA_BLUE, COMPARATOR_GREY, FONT

LABEL_COLOURS = {
    "Better": "#00703c", "Better (not tested)": "#00703c",
    "Similar": "#f4b400", "Same": "#f4b400",
    "Worse": "#d4351c", "Worse (not tested)": "#d4351c",
    "Higher": "#1d70b8", "Higher (not tested)": "#1d70b8",
    "Lower": "#5694ca", "Lower (not tested)": "#5694ca",
    "Not compared": "#b1b4b6",
}


def _style(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (
        chart.configure_view(stroke=None)
        .configure_axis(labelFont=FONT, titleFont=FONT, labelFontSize=12, titleFontSize=12, labelLimit=320)
        .configure_legend(labelFont=FONT, titleFont=FONT, orient="bottom")
    )


def relative_to_comparator(frame: pd.DataFrame, comparator: str) -> alt.TopLevelMixin:
    """Each indicator's value as a percentage of the comparator value (comparator = 100), one row per indicator,
    shaped and coloured by its comparison label. `frame` needs indicator, relative and comparison columns."""
    domain = [k for k in LABEL_COLOURS if k in set(frame["comparison"])]
    points = alt.Chart(frame).mark_point(filled=True, size=90).encode(
        y=alt.Y("indicator:N", sort=None, title=None),
        x=alt.X("relative:Q", title=f"Value as % of {comparator} (100 = same as {comparator})", scale=alt.Scale(zero=False)),
        color=alt.Color("comparison:N", title="Compared with " + comparator,
                        scale=alt.Scale(domain=domain, range=[LABEL_COLOURS[k] for k in domain])),
        shape=alt.Shape("comparison:N", title="Compared with " + comparator, scale=alt.Scale(domain=domain)),
        tooltip=["indicator:N", "value_text:N", "comparator_text:N", "comparison:N"],
    )
    rule = alt.Chart(pd.DataFrame({"x": [100]})).mark_rule(color=COMPARATOR_GREY, strokeDash=[4, 3]).encode(x="x:Q")
    return _style((rule + points).properties(width="container", height=alt.Step(20)))


def bars_with_reference(frame: pd.DataFrame, category: str, value: str, title: str,
                        reference: float | None = None, reference_label: str = "", highlight: str | None = None) -> alt.TopLevelMixin:
    """Horizontal bars of `value` by `category` with an optional dashed reference line (a goal or comparator)."""
    colour = alt.condition(alt.datum[category] == highlight, alt.value(COMPARATOR_GREY), alt.value(AREA_BLUE)) if highlight else alt.value(AREA_BLUE)
    bars = alt.Chart(frame).mark_bar().encode(
        y=alt.Y(f"{category}:N", sort=None, title=None),
        x=alt.X(f"{value}:Q", title=title),
        color=colour,
        tooltip=[f"{category}:N", alt.Tooltip(f"{value}:Q", format=",.1f")],
    )
    labels = bars.mark_text(align="left", dx=3, font=FONT).encode(text=alt.Text(f"{value}:Q", format=",.1f"), color=alt.value("#0b0c0c"))
    layers = [bars, labels]
    if reference is not None:
        ref = pd.DataFrame({"x": [reference], "label": [reference_label]})
        layers.append(alt.Chart(ref).mark_rule(color="#0b0c0c", strokeDash=[4, 3]).encode(x="x:Q", tooltip=["label:N"]))
    return _style(alt.layer(*layers).properties(width="container", height=alt.Step(24)))


def trend(frame: pd.DataFrame, title: str) -> alt.TopLevelMixin:
    """Lines over `period` for each `series`, with a shaded 95% interval where `lower`/`upper` exist."""
    base = alt.Chart(frame).encode(x=alt.X("period:N", sort=None, title=None, axis=alt.Axis(labelAngle=-45)))
    colour = alt.Color("series:N", title=None, scale=alt.Scale(range=[AREA_BLUE, COMPARATOR_GREY, "#f47738"]))
    band = base.transform_filter("isValid(datum.lower)").mark_area(opacity=0.2).encode(y="lower:Q", y2="upper:Q", color=colour)
    line = base.mark_line(point=True).encode(
        y=alt.Y("value:Q", title=title, scale=alt.Scale(zero=False)), color=colour,
        strokeDash=alt.StrokeDash("series:N", legend=None),
        tooltip=["series:N", "period:N", alt.Tooltip("value:Q", format=",.1f")],
    )
    return _style(alt.layer(band, line).properties(width="container", height=260))


def paired_bars(frame: pd.DataFrame, category: str, series: str, value: str, title: str) -> alt.TopLevelMixin:
    """Side-by-side bars (e.g. target against actual) for each category."""
    return _style(
        alt.Chart(frame).mark_bar().encode(
            y=alt.Y(f"{category}:N", sort=None, title=None),
            yOffset=alt.YOffset(f"{series}:N"),
            x=alt.X(f"{value}:Q", title=title),
            color=alt.Color(f"{series}:N", title=None, scale=alt.Scale(range=[COMPARATOR_GREY, AREA_BLUE])),
            tooltip=[f"{category}:N", f"{series}:N", alt.Tooltip(f"{value}:Q", format=",.1f")],
        ).properties(width="container", height=alt.Step(14))
    )
