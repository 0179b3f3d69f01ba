"""The board's health and wellbeing strategy: its themes and priorities, the part the board takes
in each priority, the aims that cut across them and the groups it gives particular attention."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from jsna import data
from jsna.chapters.methods import data_and_methods, note_for
from jsna.page import PageContext, render
from jsna.tables import Table

#: How a table names the board's part in a priority (``classification`` of ``jhws_strategy``).
PART_WORDS = {"do": "Do (the board leads)", "sponsor": "Sponsor", "watch": "Watch", "not stated": "Not stated in the source"}


def items(ctx: PageContext) -> pd.DataFrame:
    """The strategy's items (themes, priorities, cross-cutting aims, groups) for the latest year held."""
    rows = data.load("jhws_strategy")
    latest = rows[rows["year"] == max(rows["year"])].reset_index(drop=True)
    latest.attrs = rows.attrs
    return latest


def _kind(ctx: PageContext, kind: str) -> pd.DataFrame:
    rows = items(ctx)
    out = rows[rows["item_type"] == kind].reset_index(drop=True)
    out.attrs = rows.attrs
    return out


def title(ctx: PageContext) -> str:
    return str(items(ctx)["strategy"].iloc[0])


def summary(ctx: PageContext) -> Markdown:
    priorities = _kind(ctx, "priority")
    parts = priorities["classification"].fillna("not stated").value_counts()
    return render("jsna_strategy_summary.md.j2", ctx=ctx, strategy=title(ctx), year=items(ctx)["year"].iloc[0],
                  themes=_kind(ctx, "theme")["title_as_printed"].tolist(), n_priorities=len(priorities),
                  parts={k: int(parts.get(k, 0)) for k in ("do", "sponsor", "watch", "not stated")},
                  cross_cutting=_kind(ctx, "cross_cutting")["title_as_printed"].tolist(),
                  plus_groups=_kind(ctx, "plus_group")["title_as_printed"].tolist())


def themes_table(ctx: PageContext) -> Table:
    themes = _kind(ctx, "theme")
    counts = _kind(ctx, "priority")["theme"].value_counts()
    shown = pd.DataFrame({"Theme": themes["title_as_printed"],
                          "Aim": themes["strapline"].fillna("") if "strapline" in themes else "",
                          "Priorities": themes["theme"].map(counts).fillna(0).astype(int).astype(str)})
    return Table(shown, f"The {len(themes)} themes of {title(ctx)}", note_for(themes))


def priorities_table(ctx: PageContext) -> Table:
    p = _kind(ctx, "priority")
    shown = pd.DataFrame({"No.": p["item_id"].astype(str), "Theme": p["theme"], "Priority": p["title_as_printed"],
                          "The board's part": p["classification"].fillna("not stated").map(PART_WORDS)})
    if "outcome_statement" in p and p["outcome_statement"].notna().any():
        shown["Outcome sought"] = p["outcome_statement"].fillna("")
    return Table(shown, f"The {len(p)} priorities and the part the board takes in each", note_for(p))


def cross_cutting_table(ctx: PageContext) -> Table:
    c = _kind(ctx, "cross_cutting")
    shown = pd.DataFrame({"Aim": c["title_as_printed"],
                          "The board's part": c["classification"].map(PART_WORDS).fillna("Across every priority")})
    return Table(shown, "Aims that run across every theme", note_for(c))


def groups_table(ctx: PageContext) -> Table:
    rows = items(ctx)
    g = rows[rows["item_type"].isin(["plus_group", "other_group"])].reset_index(drop=True)
    g.attrs = rows.attrs
    shown = pd.DataFrame({"Group": g["title_as_printed"],
                          "Attention": g["item_type"].map({"plus_group": "A focus group of the strategy",
                                                           "other_group": "Considered across all the work"})})
    return Table(shown, "Groups the strategy gives particular attention", note_for(g))


def methods(ctx: PageContext) -> Markdown:
    return data_and_methods(ctx, [items(ctx)], ["counts"],
                            ["Priorities and their wording are as printed in the source; where the source does not say "
                             "whether the board leads, sponsors or watches a priority, the table says so."])
