"""Landing page of the JSNA edition."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from jsna import data
from jsna.chapters.methods import data_and_methods, note_for
from jsna.chapters.population import TOTAL, population
from jsna.page import PageContext, render
from jsna.tables import Table


def introduction(ctx: PageContext) -> Markdown:
    wide = population(ctx.board)
    return render(
        "jsna_landing.md.j2",
        ctx=ctx,
        year=wide.attrs["year"],
        root_total=wide.loc[ctx.board.root.code, TOTAL],
        children=ctx.board.children,
    )


def register(ctx: PageContext) -> pd.DataFrame | None:
    """The JSNA chapter register: approved chapters with dates, and work in development (None
    when the board keeps no register in its data)."""
    return data.load("jsna_chapter_register") if "jsna_chapter_register" in data.table_names() else None


def _when(r: pd.Series) -> str:
    if r["status"] == "approved" and not pd.isna(r["approved_year"]):
        return f"Approved {r['approved_month']} {int(r['approved_year'])}" if isinstance(r["approved_month"], str) else f"Approved {int(r['approved_year'])}"
    if r["status"] == "published" and not pd.isna(r["approved_year"]):
        return f"Published {int(r['approved_year'])}"
    return f"Due {int(r['due_year'])}" if not pd.isna(r["due_year"]) else "Date not set"


KINDS = {"jsna_chapter": "JSNA chapter", "other_needs_assessment": "Needs assessment", "pharmaceutical_needs_assessment": "Pharmaceutical needs assessment"}


def register_table(ctx: PageContext) -> Table | None:
    r = register(ctx)
    if r is None:
        return None
    shown = pd.DataFrame({
        "Title": r["title"], "Type": r["record_type"].map(KINDS).fillna(r["record_type"]),
        "Status": r["status"].str.capitalize(), "Approval or due date": [_when(row) for _, row in r.iterrows()],
    })
    return Table(shown, "JSNA chapter register: approved chapters and work in development", note_for(r))


def register_summary(ctx: PageContext) -> Markdown:
    r = register(ctx)
    if r is None:
        return Markdown(f"The data of the {ctx.board.name} hold no register of its JSNA chapters, so this page lists none.")
    chapters = r[r["record_type"] == "jsna_chapter"]
    approved = chapters[chapters["status"] == "approved"]
    developing = r[r["status"] == "in development"]
    latest = approved.sort_values("approved_year").iloc[-1] if len(approved) else None
    return render("jsna_register.md.j2", ctx=ctx, n_approved=len(approved), latest=latest,
                  first_year=int(approved["approved_year"].min()) if len(approved) else None,
                  developing=developing["title"].tolist())


def methods(ctx: PageContext) -> Markdown:
    tables = [t for t in (population(ctx.board), register(ctx)) if t is not None]
    return data_and_methods(ctx, tables, ["population", "counts"])
