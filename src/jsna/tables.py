"""Accessible HTML tables for report pages: caption, column headers with scope, source line."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import pandas as pd


def table_html(df: pd.DataFrame, caption: str, css_class: str = "jsna-table") -> str:
    """An HTML table with a caption and ``<th scope="col">`` headers; the first column heads each row."""
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in df.columns)
    rows = []
    for values in df.itertuples(index=False):
        first, *rest = ["" if pd.isna(v) else str(v) for v in values]
        cells = f'<th scope="row">{escape(first)}</th>' + "".join(f"<td>{escape(v)}</td>" for v in rest)
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
