"""Shared pieces of the indicator-led topic chapters (overview, staying healthy, health protection)."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from jsna.chapters import indicators as ind
from jsna.page import PageContext, render


def key_findings(ctx: PageContext, frame: pd.DataFrame, subject: str, n: int = 3) -> Markdown:
    """Key findings for a set of indicators: counts by comparison and the strongest better and worse."""
    c = ind.counts(frame)
    comparator = ctx.board.comparator.name
    return render(
        "jsna_topic_findings.md.j2",
        ctx=ctx,
        subject=subject,
        total=len(frame),
        better=c.get("Better", 0),
        worse=c.get("Worse", 0),
        tested=int(frame["tested"].sum()),
        best=ind.findings(ind.strongest(frame, "Better", n), ctx.area.name, comparator),
        worst=ind.findings(ind.strongest(frame, "Worse", n), ctx.area.name, comparator),
    )
