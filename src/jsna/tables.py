"""Accessible HTML tables for report pages: caption, column headers with scope, source line."""

from __future__ import annotations

from dataclasses import dataclass
import re
from html import escape

import pandas as pd


FIGURE = re.compile(r"^[£$€+\-\u2212]*\(?[\d,.]+\)?(%|[kmb]n?| ?(per|million|billion|years?|hours?)\b.*)?$", re.I)


def is_figure(cell: str) -> bool:
    """Whether a table cell holds a figure ("12.5%", "£75,735,254", "169 per 100,000")."""
    return bool(FIGURE.match(cell.strip()))


def _is_gap(cell: str) -> bool:
    """An empty cell or a stated gap ("not reported", "n/a", a dash): neutral when aligning a column."""
    c = cell.strip().lower()
    return c in {"", "-", "\u2013", "\u2014", "n/a"} or c.startswith("not ")


def numeric_columns(columns: list[list[str]]) -> list[bool]:
    """For each column of cell texts: right-align it (True) when it holds figures and nothing
    but figures and stated gaps, so that digits line up; columns of words stay left-aligned."""
    return [any(is_figure(c) for c in cells) and all(is_figure(c) or _is_gap(c) for c in cells) for cells in columns]


def table_html(df: pd.DataFrame, caption: str, css_class: str = "jsna-table") -> str:
    """An HTML table with a caption and ``<th scope="col">`` headers; the first column heads each row.
    Columns of figures are right-aligned (class ``num``), columns of words left-aligned."""
    numeric = numeric_columns([["" if pd.isna(v) else str(v) for v in df[c]] for c in df.columns])
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if n else ""}>{escape(str(c))}</th>' for c, n in zip(df.columns, numeric))
    rows = []
    for values in df.itertuples(index=False):
        first, *rest = ["" if pd.isna(v) else str(v) for v in values]
        cells = f'<th scope="row">{escape(first)}</th>' + "".join(
            f"<td{num if n else ''}>{escape(v)}</td>" for v, n in zip(rest, numeric[1:]))
        rows.append(f"<tr>{cells}</tr>")
    return (
        f'<table class="{css_class} table">'
        f"<caption>{escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


@dataclass
class Table:
    """A display-ready table: formatted values, a caption that says what it is, and its source."""

    frame: pd.DataFrame
    caption: str
    source: str

    def _repr_html_(self) -> str:
        # A wide table scrolls inside its own box (focusable, so keyboards can scroll it too)
        # instead of pushing the whole page sideways on a phone.
        return (
            '<div class="jsna-table-wrap">'
            f'<div class="jsna-table-scroll" tabindex="0" role="region" aria-label="{escape(self.caption)}">'
            + table_html(self.frame, self.caption)
            + f'</div><p class="jsna-source">{escape(self.source)}</p></div>'
        )
