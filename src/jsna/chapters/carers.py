"""Carers: unpaid carers in the board's area (Census 2021) and the support the council gives them."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from jsna import data, text
from jsna.chapters.methods import data_and_methods, note_for
from jsna.page import PageContext, render
from jsna.tables import Table

#: Plain labels for the measures of the carers table.
LABELS = {
    "unpaid_carers_aged_5_plus": "Unpaid carers aged 5 and over",
    "unpaid_carers_aged_5_plus_pct": "Unpaid carers as a share of residents aged 5 and over",
    "caring_rate_aged_45_64": "Share of people aged 45 to 64 who provide unpaid care",
    "caring_rate_aged_65_84": "Share of people aged 65 to 84 who provide unpaid care",
    "caring_rate": "Share of residents who provide unpaid care",
    "carers_assessments_completed": "Carers' assessments completed",
    "carers_receiving_council_service": "Carers receiving a council service",
    "carers_weekly_direct_payment": "Carers receiving a weekly direct payment",
    "carers_one_off_direct_payment": "Carers receiving a one-off direct payment",
    "carers_supported_by_commissioned_service": "Carers supported by the commissioned carers service",
    "carer_reviews": "Carer reviews completed",
    "young_carer_assessment_referrals": "Young carer assessment referrals",
    "young_carers_passports_issued": "Young carers passports issued",
    "young_carers_in_school_census": "Young carers recorded in the school census",
    "spend_carers_direct_payments_and_discharge_grant": "Spend on carers' direct payments and the discharge grant",
    "vasl_carers_support_contract": "Annual value of the carers support contract",
}


def carers(ctx: PageContext) -> pd.DataFrame:
    c = data.load("carers")
    c = c.assign(label=c["measure"].map(LABELS).fillna(c["measure"].str.replace("_", " ")))
    return c


def _fmt(value: float, unit: str, qualifier: object) -> str:
    shown = {"%": text.format_value(value, "%"), "GBP": text.format_value(value, "£")}.get(unit, text.format_number(value))
    return f"{qualifier} {shown}" if isinstance(qualifier, str) and qualifier else shown


def _names(ctx: PageContext) -> dict[str, str]:
    return {a.code: a.name for a in ctx.board.areas}


def carers_table(ctx: PageContext) -> Table:
    c = carers(ctx)
    c = c[c["area_code"] == ctx.board.root.code]
    shown = pd.DataFrame({"Measure": c["label"], "Period": c["period"],
                          "Value": [_fmt(v, u, q) for v, u, q in zip(c["value"], c["unit"], c["qualifier"])]})
    return Table(shown, f"Unpaid carers and carer support in {ctx.board.root.name}", note_for(c))


def child_table(ctx: PageContext) -> Table:
    c = carers(ctx)
    d = c[c["area_code"].isin([x.code for x in ctx.board.children])]
    level = ctx.board.child_level
    shown = pd.DataFrame({level.word.capitalize(): d["area_code"].map(_names(ctx)), "Period": d["period"],
                          "Share providing unpaid care": d["value"].map(lambda v: text.format_value(v, "%")),
                          "Note": d["note"].fillna("")})
    return Table(shown, f"{level.plural.capitalize()} with the highest and lowest share of residents providing unpaid care", note_for(d))


def key_findings(ctx: PageContext) -> Markdown:
    c = carers(ctx)
    v = c[c["area_code"] == ctx.board.root.code].drop_duplicates("measure", keep="last").set_index("measure")
    d = c[c["area_code"].isin([x.code for x in ctx.board.children]) & (c["measure"] == "caring_rate")].sort_values("value")
    assessments = c[c["measure"] == "carers_assessments_completed"].sort_values("period")
    return render("jsna_carers_findings.md.j2", ctx=ctx, v=v, high=d.iloc[-1], low=d.iloc[0], names=_names(ctx),
                  assessments=assessments.fillna({"qualifier": ""}).to_dict("records"))


def methods(ctx: PageContext) -> Markdown:
    return data_and_methods(ctx, [carers(ctx)], ["counts"],
                            [f"Shares of residents who provide care are not adjusted for the age of each {ctx.board.child_level.word}'s population."])
