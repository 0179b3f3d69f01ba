"""Charts in the house style, each carrying its alt text, data table and source.

A :class:`Figure` renders as an HTML ``<figure>`` holding the Vega-Lite spec as JSON; the
book's own ``jsna-charts.js`` draws it with the locally served vega bundle, so no page
loads anything from another site.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

import altair as alt
import pandas as pd

from jsna.config import slugify
from jsna.tables import table_html

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
AREA_BLUE = "#1d70b8"
COMPARATOR_GREY = "#505a5f"


@dataclass
class Figure:
    """A chart with what every published chart needs: finding title, alt text, data table, source."""

    chart: alt.TopLevelMixin
    title: str
    alt_text: str
    table: pd.DataFrame
    source: str

    def spec(self) -> dict:
        return self.chart.to_dict()

    def csv(self) -> str:
        return self.table.to_csv(index=False)

    def to_html(self) -> str:
        spec = json.dumps(self.spec(), separators=(",", ":")).replace("</", "<\\/")
        name = slugify(self.title)[:60] or "chart"
        href = "data:text/csv;charset=utf-8," + quote(self.csv())
        return (
            '<figure class="jsna-chart">'
            f'<figcaption class="jsna-chart-title">{escape(self.title)}</figcaption>'
            f'<div class="jsna-vega" role="img" aria-label="{escape(self.alt_text)}"></div>'
            f'<script type="application/json" class="jsna-spec">{spec}</script>'
            f'<p class="jsna-source">{escape(self.source)}</p>'
            "<details><summary>Data table for this chart</summary>"
            + table_html(self.table, f"Data for: {self.title}")
            + f'<a class="jsna-download" download="{name}.csv" href="{href}">Download these data as CSV</a>'
            "</details></figure>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()


def bar_by_area(data: pd.DataFrame, value: str, label: str, highlight: str | None = None) -> alt.Chart:
    """Horizontal bars of one value per area, largest first, the highlighted area in the area colour."""
    colour = (
        alt.condition(alt.datum.area == highlight, alt.value(AREA_BLUE), alt.value(COMPARATOR_GREY))
        if highlight
        else alt.value(AREA_BLUE)
    )
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("area:N", sort="-x", title=None),
        x=alt.X(f"{value}:Q", title=label),
        color=colour,
        tooltip=["area:N", alt.Tooltip(f"{value}:Q", format=",")],
    )
    text = bars.mark_text(align="left", dx=3, font=FONT).encode(text=alt.Text(f"{value}:Q", format=","), color=alt.value("#0b0c0c"))
    return (bars + text).properties(width="container", height=alt.Step(26)).configure_view(stroke=None).configure_axis(
        labelFont=FONT, titleFont=FONT, labelFontSize=12, titleFontSize=12
    )


def share_by_age(data: pd.DataFrame, area_name: str, comparator_name: str) -> alt.Chart:
    """Grouped bars of the share of population in each broad age band, area against comparator."""
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("age_band:N", title="Age band", sort=None),
            yOffset=alt.YOffset("area:N", sort=[area_name, comparator_name]),
            x=alt.X("share:Q", title="Share of population (%)"),
            color=alt.Color(
                "area:N",
                scale=alt.Scale(domain=[area_name, comparator_name], range=[AREA_BLUE, COMPARATOR_GREY]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=["area:N", "age_band:N", alt.Tooltip("share:Q", format=".1f")],
        )
        .properties(width="container", height=alt.Step(16))
        .configure_view(stroke=None)
        .configure_axis(labelFont=FONT, titleFont=FONT, labelFontSize=12, titleFontSize=12)
        .configure_legend(labelFont=FONT)
    )
