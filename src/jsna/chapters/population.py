"""Population by area and broad age band (mid-year estimates), shared by the demography chapter,
the landing page and the area profiles."""

from __future__ import annotations

import pandas as pd

from jsna import data, text
from jsna.charts import Figure, bar_by_area, share_by_age
from jsna.config import Board
from jsna.page import PageContext
from jsna.tables import Table

BANDS = ["0-15", "16-64", "65-79", "80+"]
TOTAL = "All ages"


def population(board: Board) -> pd.DataFrame:
    """Persons by area and age band for the board's areas and comparators, latest year, wide by band."""
    pop = data.load("population")
    latest = pop[pop["year"] == pop["year"].max()]
    names = {a.code: a.name for a in (*board.areas, board.comparator, *([board.region] if board.region else []))}
    wide = (
        latest[latest["area_code"].isin(names) & (latest["sex"] == "Persons")]
        .pivot_table(index="area_code", columns="age_band", values="population", aggfunc="sum")
        .reindex(columns=[*BANDS, TOTAL])
    )
    wide.insert(0, "area", wide.index.map(names))
    wide.attrs = pop.attrs
    wide.attrs["year"] = int(latest["year"].max())
    return wide


def district_totals(board: Board) -> pd.DataFrame:
    """All-ages population of each district, largest first."""
    wide = population(board)
    districts = wide.loc[[d.code for d in board.districts], ["area", TOTAL]].rename(columns={TOTAL: "population"})
    out = districts.sort_values("population", ascending=False).reset_index(drop=True)
    out.attrs = wide.attrs
    return out


def age_shares(board: Board, area_code: str) -> pd.DataFrame:
    """Share of the population (%) in each broad age band for an area and the comparator."""
    wide = population(board)
    rows = []
    for code in (area_code, board.comparator.code):
        row = wide.loc[code]
        for band in BANDS:
            rows.append({"area": row["area"], "age_band": band, "share": round(100 * row[band] / row[TOTAL], 1)})
    return pd.DataFrame(rows)


def district_population_figure(ctx: PageContext) -> Figure:
    totals = district_totals(ctx.board)
    top, bottom = totals.iloc[0], totals.iloc[-1]
    county = population(ctx.board).loc[ctx.board.county.code, TOTAL]
    year = totals.attrs["year"]
    title = f"{top['area']} has the most residents of the {len(totals)} districts, {bottom['area']} the fewest (mid-{year})"
    alt_text = (
        f"Bar chart of the population of each {ctx.board.place} district in mid-{year}. "
        f"{top['area']} is largest with {text.format_number(top['population'])} people and "
        f"{bottom['area']} smallest with {text.format_number(bottom['population'])}; "
        f"the county total is {text.format_number(county)}."
    )
    table = totals.rename(columns={"area": "District", "population": f"Population, mid-{year}"})
    chart = bar_by_area(totals, "population", f"Residents, mid-{year}", highlight=None)
    return Figure(chart, title, alt_text, table, data.source_note(totals))


def age_structure_figure(ctx: PageContext) -> Figure:
    shares = age_shares(ctx.board, ctx.area.code)
    area, comparator = ctx.area.name, ctx.board.comparator.name
    older = shares[shares["age_band"].isin(["65-79", "80+"])].groupby("area")["share"].sum()
    direction = "older" if older[area] > older[comparator] else "younger" if older[area] < older[comparator] else "the same age"
    year = population(ctx.board).attrs["year"]
    title = f"{area} has an {direction} age profile than {comparator}" if direction != "the same age" else f"{area} has the same share of older people as {comparator}"
    alt_text = (
        f"Grouped bar chart of the share of residents in four broad age bands, {area} against {comparator}, mid-{year}. "
        + "; ".join(
            f"{band}: {text.format_value(a, '%')} in {area}, {text.format_value(c, '%')} in {comparator}"
            for band, a, c in zip(
                [*BANDS],
                shares[shares["area"] == area]["share"],
                shares[shares["area"] == comparator]["share"],
            )
        )
        + "."
    )
    table = shares.pivot(index="age_band", columns="area", values="share").reindex(BANDS)[[area, comparator]]
    table = table.reset_index().rename(columns={"age_band": "Age band", area: f"{area} (%)", comparator: f"{comparator} (%)"})
    return Figure(share_by_age(shares, area, comparator), title, alt_text, table, data.source_note(population(ctx.board)))


def population_table(ctx: PageContext, codes: list[str]) -> Table:
    """Persons by broad age band for the given areas, formatted."""
    wide = population(ctx.board).loc[codes]
    shown = wide.rename(columns={"area": "Area"}).copy()
    for col in [*BANDS, TOTAL]:
        shown[col] = shown[col].map(text.format_number)
    year = wide.attrs["year"]
    return Table(shown.reset_index(drop=True), f"Residents by broad age band, mid-{year}", data.source_note(wide))
