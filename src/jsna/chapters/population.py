"""Population by area and broad age band (mid-year estimates), shared by the demography chapter,
the landing page and the area profiles."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from jsna import data, text
from jsna.charts import Figure, age_structure, compare_areas
from jsna.config import Board
from jsna.page import PageContext
from jsna.tables import Table

BANDS = ["0-15", "16-64", "65-79", "80+"]
TOTAL = "All ages"


def population(board: Board) -> pd.DataFrame:
    """Persons by area and age band for the board's areas and comparators, wide by band, for the
    latest year in which every area of the board has an estimate (else the latest year)."""
    pop = data.load("population")
    names = {a.code: a.name for a in (*board.areas, *board.comparators)}
    have = pop[pop["sex"] == "Persons"].groupby("year")["area_code"].agg(set)
    full = [year for year, codes in have.items() if {a.code for a in board.areas} <= codes]
    latest = pop[pop["year"] == (max(full) if full else pop["year"].max())]
    wide = (
        latest[latest["area_code"].isin(names) & (latest["sex"] == "Persons")]
        .pivot_table(index="area_code", columns="age_band", values="population", aggfunc="sum")
        .reindex(columns=[*BANDS, TOTAL])
    )
    wide.insert(0, "area", wide.index.map(names))
    wide.attrs = pop.attrs
    wide.attrs["year"] = int(latest["year"].max())
    return wide


def band_sum(wide: pd.DataFrame) -> pd.Series:
    """Residents in the four broad bands: the denominator of every age share.

    A published all-ages total can differ from the sum of its published bands (a board's
    16-64 figure can, see the data-quality notes); dividing by the bands' own sum keeps the
    shares of one area adding up to 100%.
    """
    return wide[BANDS].sum(axis=1)


def child_totals(board: Board) -> pd.DataFrame:
    """All-ages population of each area of the level below the board's own, largest first."""
    wide = population(board)
    children = wide.loc[[d.code for d in board.children], ["area", TOTAL]].rename(columns={TOTAL: "population"})
    out = children.sort_values("population", ascending=False).reset_index(drop=True)
    out.attrs = wide.attrs
    return out


def age_shares(board: Board, area_code: str) -> pd.DataFrame:
    """Share of the population (%) in each broad age band for an area and the comparator."""
    wide = population(board)
    whole = band_sum(wide)
    rows = []
    for code in (area_code, board.comparator.code):
        row = wide.loc[code]
        for band in BANDS:
            rows.append({"area": row["area"], "age_band": band, "share": round(100 * row[band] / whole[code], 1)})
    return pd.DataFrame(rows)


def child_population_figure(ctx: PageContext) -> Figure:
    """Residents of each area of the level below the board's own (compare-areas bars, largest
    first; counts have no comparator)."""
    totals = child_totals(ctx.board)
    top, bottom = totals.iloc[0], totals.iloc[-1]
    whole = population(ctx.board).loc[ctx.board.root.code, TOTAL]
    year = totals.attrs["year"]
    fig = compare_areas(
        totals.rename(columns={"population": "value"})[["area", "value"]],
        measure="Residents",
        period=f"mid-{year}",
        source=data.source_note(totals),
        decimals=0,
        title=f"{top['area']} has the most residents of the {len(totals)} {ctx.board.child_level.plural}, {bottom['area']} the fewest (mid-{year})",
    )
    fig.alt_text += f" The {ctx.board.place} total is {text.format_number(whole)}."
    return fig


def has_bands(board: Board, area_code: str) -> bool:
    """True when the data hold every broad age band for the area and the comparator."""
    wide = population(board)
    return all(code in wide.index and wide.loc[code, BANDS].notna().all() for code in (area_code, board.comparator.code))


def age_structure_figure(ctx: PageContext) -> Figure | Markdown:
    """The area's age structure with the comparator's shares marked (a persons-only pyramid), or a
    note saying the data hold no age bands for it."""
    if not has_bands(ctx.board, ctx.area.code):
        return Markdown(f"*The data hold no population by age band for {ctx.area.name}, so its age structure is not shown.*")
    shares = age_shares(ctx.board, ctx.area.code)
    return age_structure(
        shares,
        area=ctx.area.name,
        comparator=ctx.board.comparator.name,
        year=population(ctx.board).attrs["year"],
        source=data.source_note(population(ctx.board)),
        bands=BANDS,
    )


def older_share(board: Board) -> pd.DataFrame:
    """Percentage of residents aged 65+ in each area of the level below the board's own.

    Mid-year estimates count the whole population rather than sample it, so the shares carry no
    confidence interval and differences from the comparator are not tested for significance.
    """
    wide = population(board)
    codes = [d.code for d in board.children]
    older = wide.loc[codes, "65-79"] + wide.loc[codes, "80+"]
    out = pd.DataFrame({
        "area": wide.loc[codes, "area"].to_numpy(),
        "value": (100 * older / band_sum(wide).loc[codes]).to_numpy(),
    })
    out.attrs = wide.attrs
    return out


def older_share_figure(ctx: PageContext) -> Figure:
    """Share of residents aged 65+ by area of the level below the board's own, against the
    comparator (compare-areas bars)."""
    wide = population(ctx.board)
    comp = wide.loc[ctx.board.comparator.code]
    return compare_areas(
        older_share(ctx.board),
        measure="Share of residents aged 65 and over",
        unit="%",
        period=f"mid-{wide.attrs['year']}",
        comparator=(ctx.board.comparator.name, 100 * (comp["65-79"] + comp["80+"]) / band_sum(wide)[ctx.board.comparator.code]),
        highlight=ctx.area.name if not ctx.is_root else None,
        source=data.source_note(wide),
    )


def population_table(ctx: PageContext, codes: list[str]) -> Table:
    """Persons by broad age band for the given areas, formatted."""
    wide = population(ctx.board).loc[codes]
    shown = wide.rename(columns={"area": "Area"}).copy()
    shown = shown.dropna(axis=1, how="all")
    for col in [c for c in (*BANDS, TOTAL) if c in shown.columns]:
        shown[col] = shown[col].map(lambda v: "not published" if pd.isna(v) else text.format_number(v))
    year = wide.attrs["year"]
    return Table(shown.reset_index(drop=True), f"Residents by broad age band, mid-{year}", data.source_note(wide))
