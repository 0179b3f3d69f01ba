"""Data quality checks over every table of a board's data folder (``jsna check``).

:func:`check` validates each file against its pandera schema and then runs the quality
rules in :data:`RULES`; each rule is a small function ``rule(tables) -> list[Finding]``
over the loaded tables (and the board whose folder they are in, for its geography). Findings
that an analyst has acknowledged in ``qa_accepted.yml`` (rule, table, row, reason, who, when)
are marked ``accepted`` and no longer block; an acknowledgement that matches nothing is itself
reported.

Pages check what they publish too. A chapter template's package registers a check for the
chapters made with it (:func:`register`), and :func:`edition_findings` runs the registered
checks on every chapter of a board's editions, so ``jsna check`` reports them without this
module, or the command line, knowing any chapter. Packages that register checks are found
through the ``jsna.checks`` entry points (each names a module that registers when imported).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pandas as pd

from jsna import data as _data
from jsna import inputs, text
from jsna.config import Board, Chapter, ConfigError, Edition, load_board
from jsna.schemas import SCHEMAS

__all__ = [
    "CROSS_CHECKS",
    "RULES",
    "Finding",
    "Report",
    "Table",
    "acknowledgement_for",
    "acknowledgement_text",
    "acknowledges",
    "board_of",
    "check",
    "edition_findings",
    "findings_markdown",
    "load_acknowledgements",
    "main",
    "register",
    "rule_declared_rate_matches",
    "rule_figure_agrees_across_tables",
    "rule_indicator_has_metadata",
    "rule_no_duplicate_rows",
    "rule_period_and_unit_present",
    "rule_population_agrees",
    "rule_proportion_in_range",
    "rule_rate_matches_count",
    "rule_row_total_matches_parts",
    "rule_same_figure_agrees",
    "rule_shares_match_parts",
    "rule_small_counts_suppressed",
    "rule_total_row_matches_parts",
    "rule_totals_match_parts",
]

ACCEPTED_FILE = "qa_accepted.yml"


@dataclass(frozen=True)
class Finding:
    """One quality finding; ``row`` is the 1-based file line (1 = header, 0 = whole file)."""

    rule: str
    severity: str
    file: str
    row: int
    column: str
    message: str
    accepted: bool = False
    accepted_reason: str = ""


@dataclass
class Report:
    """All findings of one check run."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """Errors not acknowledged in qa_accepted.yml: these block a final edition."""
        return [f for f in self.findings if f.severity == "error" and not f.accepted]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning" and not f.accepted]

    @property
    def accepted(self) -> list[Finding]:
        return [f for f in self.findings if f.accepted]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Table:
    """A loaded table with the file line of each row (``lines[i]`` for ``df.iloc[i]``)."""

    name: str
    df: pd.DataFrame
    lines: list[int]

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    def line(self, i: int) -> int:
        return self.lines[i] if i < len(self.lines) else 0


class Tables(dict[str, Table]):
    """The loaded tables of one data folder by name, and the board whose folder it is (None when no board names it)."""

    def __init__(self, tables: dict[str, Table] | None = None, board: Board | None = None):
        super().__init__(tables or {})
        self.board = board


# --------------------------------------------------------------------------- helpers


def _f(rule: str, severity: str, t: Table | str, row: int, column: str, message: str) -> Finding:
    file = t.file if isinstance(t, Table) else t
    return Finding(rule, severity, file, int(row), column, message)


def _decimals(x: float) -> int:
    """Decimal places of a published figure (at most 6)."""
    s = f"{x:.6f}".rstrip("0").rstrip(".")
    return len(s.split(".")[1]) if "." in s else 0


def _fmt(x: float) -> str:
    return f"{x:,.{min(_decimals(x), 3)}f}"


def _children(board: Board | None) -> dict[str, list[str]]:
    """Child area codes of each of the board's areas that the board splits: the board lists every
    child of such an area (a region or a country, outside the board, is never split whole)."""
    kids: dict[str, list[str]] = {}
    for area in board.areas if board is not None else ():
        if area.parent:
            kids.setdefault(area.parent, []).append(area.code)
    return kids


# --------------------------------------------------------------------------- rules


def rule_totals_match_parts(tables: Tables) -> list[Finding]:
    """Totals equal the sum of their parts, within the stated rounding.

    Two kinds of totals: an area the board splits against its child areas (the board's own area
    against the areas of its level below) for each additive column listed in the schema's
    ``additive`` metadata, and the ``All ages`` band of ``population`` against its age bands.
    Tolerance = half the rounding unit of every figure involved (``rounded_to`` column; 0.5 when absent).
    """
    out: list[Finding] = []
    kids = _children(tables.board)
    for t in tables.values():
        meta = SCHEMAS[t.name].metadata if t.name in SCHEMAS else {}
        cols = [c for c in meta.get("additive", ()) if c in t.df.columns]
        if not cols or "area_code" not in t.df.columns:
            continue
        df = t.df.reset_index(drop=True)
        keys = [k for k in meta["key"] if k not in ("area_code", "source_id")]
        rnd = df["rounded_to"].astype("float64").fillna(1.0) if "rounded_to" in df.columns else pd.Series(1.0, index=df.index)
        for col in cols:
            groups = df.groupby(keys, dropna=False, sort=False) if keys else [((), df)]
            for gkey, g in groups:
                codes = dict(zip(g["area_code"], g.index))
                for parent, children in kids.items():
                    if parent not in codes or not all(c in codes for c in children):
                        continue
                    total = df.at[codes[parent], col]
                    parts = df.loc[[codes[c] for c in children], col]
                    if pd.isna(total) or parts.isna().any():
                        continue
                    tol = (0.5 * (rnd[[codes[c] for c in children]].sum() + rnd[codes[parent]]) if "rounded_to" in df.columns
                           else 0.5) + 1e-9
                    diff = float(parts.sum()) - float(total)
                    if abs(diff) > tol:
                        label = ", ".join(f"{k}={v}" for k, v in zip(keys, gkey if isinstance(gkey, tuple) else (gkey,)))
                        out.append(_f("totals_match_parts", "error", t, t.line(codes[parent]), col,
                                      f"{parent} {col} ({label}) is {_fmt(total)} but its {len(children)} child areas sum to "
                                      f"{_fmt(parts.sum())} (difference {_fmt(diff)}, tolerance {_fmt(tol)})"))
    if "population" in tables:
        t = tables["population"]
        df = t.df.reset_index(drop=True)
        rnd = df["rounded_to"].astype("float64").fillna(1.0) if "rounded_to" in df.columns else pd.Series(1.0, index=df.index)
        for (area, year, sex), g in df.groupby(["area_code", "year", "sex"], sort=False):
            tot = g[g["age_band"] == "All ages"]
            parts = g[g["age_band"] != "All ages"]
            if len(tot) != 1 or parts.empty:
                continue
            i = tot.index[0]
            tol = 0.5 * (rnd[parts.index].sum() + rnd[i]) + 1e-9
            diff = float(parts["population"].sum() - df.at[i, "population"])
            if abs(diff) > tol:
                out.append(_f("totals_match_parts", "error", t, t.line(i), "population",
                              f"{area} {year} {sex} all ages is {_fmt(df.at[i, 'population'])} but its age bands sum to "
                              f"{_fmt(parts['population'].sum())} (difference {_fmt(diff)}, tolerance {_fmt(tol)})"))
    return out


def rule_shares_match_parts(tables: Tables) -> list[Finding]:
    """Published percentages agree with their parts: share_pct = part / total x 100 (within rounding)."""
    out: list[Finding] = []
    t = tables.get("population")
    if t is None or "share_pct" not in t.df.columns:
        return out
    df = t.df.reset_index(drop=True)
    for (area, year, sex), g in df.groupby(["area_code", "year", "sex"], sort=False):
        tot = g.loc[g["age_band"] == "All ages", "population"]
        if len(tot) != 1:
            continue
        for i, r in g[g["age_band"] != "All ages"].iterrows():
            if pd.isna(r["share_pct"]):
                continue
            share = r["population"] / tot.iloc[0] * 100
            rnd = float(r.get("rounded_to", 1) or 1)
            # error from rounding both the part and the total, plus rounding of the printed share
            tol = 100 * (0.5 * rnd / r["population"] + 0.5 * 1000 / tot.iloc[0]) * share / 100 + 0.05 + 0.15
            if abs(share - r["share_pct"]) > tol:
                out.append(_f("shares_match_parts", "error", t, t.line(i), "share_pct",
                              f"{area} {r['age_band']} share is printed as {r['share_pct']}% but "
                              f"{_fmt(r['population'])} / {_fmt(tot.iloc[0])} = {share:.1f}%"))
    return out


def _same(a: float, b: float, rounded: float = 0.0) -> bool:
    """Equal once both are rounded to the coarser of their published precisions (or ``rounded`` units)."""
    d = min(_decimals(a), _decimals(b))
    return abs(a - b) <= max(0.5 * 10 ** (-d), rounded) + 1e-9


def rule_same_figure_agrees(tables: Tables) -> list[Finding]:
    """A figure published in two tables (two source_ids for the same key) has the same value."""
    out: list[Finding] = []
    for t in tables.values():
        meta = SCHEMAS[t.name].metadata if t.name in SCHEMAS else {}
        key = [k for k in meta.get("key", ()) if k != "source_id"]
        value = meta.get("value")
        if "source_id" not in meta.get("key", ()) or not value or value not in t.df.columns:
            continue
        df = t.df.reset_index(drop=True)
        df = df[df[value].notna() & df[key].notna().all(axis=1)]
        for gkey, g in df.groupby(key, sort=False):
            if g["source_id"].nunique() < 2:
                continue
            vals = g[value].tolist()
            base = vals[0]
            rnd = g["rounded_to"].astype("float64").fillna(0).tolist() if "rounded_to" in g.columns else [0.0] * len(g)
            for i, v, r in zip(g.index[1:], vals[1:], rnd[1:]):
                if not _same(float(base), float(v), 0.5 * (rnd[0] + r)):
                    other = g.index[0]
                    out.append(_f("same_figure_agrees", "error", t, t.line(i), value,
                                  f"{', '.join(map(str, gkey))}: {_fmt(v)} ({df.at[i, 'source_id']}) differs from "
                                  f"{_fmt(base)} on row {t.line(other)} ({df.at[other, 'source_id']})"))
    return out


def rule_rate_matches_count(tables: Tables) -> list[Finding]:
    """Rates agree with count / denominator x multiplier (to the published precision, or 0.5%)."""
    out: list[Finding] = []
    mult_of: dict[str, float] = {}
    if "indicator_meta" in tables:
        m = tables["indicator_meta"].df
        mult_of = dict(zip(m["indicator_id"], m["multiplier"]))
    for t in tables.values():
        df = t.df.reset_index(drop=True)
        if not {"count", "denominator", "value"} <= set(df.columns) or _meta(t).get("rates"):
            continue
        if "multiplier" in df.columns:
            mult = df["multiplier"].astype("float64")
        elif "indicator_id" in df.columns:
            mult = df["indicator_id"].map(mult_of).astype("float64")
        else:
            continue
        ok = df["count"].notna() & df["denominator"].notna() & df["value"].notna() & mult.notna() & (df["denominator"] > 0)
        for i in df.index[ok]:
            calc = float(df.at[i, "count"]) / float(df.at[i, "denominator"]) * mult[i]
            v = float(df.at[i, "value"])
            tol = max(0.5 * 10 ** (-_decimals(v)) + 1e-9, 0.005 * abs(v))
            if abs(calc - v) > tol:
                out.append(_f("rate_matches_count", "error", t, t.line(i), "value",
                              f"value {_fmt(v)} but count {_fmt(df.at[i, 'count'])} / denominator "
                              f"{_fmt(df.at[i, 'denominator'])} x {_fmt(mult[i])} = {calc:.2f}"))
    return out


def rule_no_duplicate_rows(tables: Tables) -> list[Finding]:
    """No row repeats another row in every column except its source line."""
    out: list[Finding] = []
    for t in tables.values():
        df = t.df.reset_index(drop=True)
        cols = [c for c in df.columns if c not in ("source_line", "note")]
        if not cols or df.empty:
            continue
        dup = df.duplicated(cols, keep="first")
        first = df.drop_duplicates(cols, keep="first").reset_index().set_index(cols)["index"] if dup.any() else None
        for i in df.index[dup]:
            j = first.loc[tuple(df.loc[i, cols])] if len(cols) > 1 else first.loc[df.at[i, cols[0]]]
            out.append(_f("no_duplicate_rows", "error", t, t.line(i), "(row)",
                          f"row repeats row {t.line(int(j))} in every column"))
    return out


def rule_period_and_unit_present(tables: Tables) -> list[Finding]:
    """Every figure states its period and unit (empty period/unit cells are flagged)."""
    out: list[Finding] = []
    for t in tables.values():
        df = t.df.reset_index(drop=True)
        for col in ("period", "year", "unit"):
            if col not in df.columns:
                continue
            missing = df[col].isna()
            if "value" in df.columns:
                missing &= df["value"].notna()
            idx = df.index[missing]
            if len(idx):
                lines = [t.line(i) for i in idx]
                shown = ", ".join(map(str, lines[:8])) + (" ..." if len(lines) > 8 else "")
                out.append(_f("period_and_unit_present", "warning", t, lines[0], col,
                              f"{text.count_of(len(idx), 'row')} with a value but no {col} (rows {shown})"))
    return out


def rule_small_counts_suppressed(tables: Tables) -> list[Finding]:
    """Counts of 1-9 in tables marked disclosive must be suppressed before publication."""
    out: list[Finding] = []
    for t in tables.values():
        meta = SCHEMAS[t.name].metadata if t.name in SCHEMAS else {}
        if not meta.get("disclosive"):
            continue
        df = t.df.reset_index(drop=True)
        for col in meta.get("counts", ()):
            if col not in df.columns:
                continue
            small = df[col].notna() & (df[col] >= 1) & (df[col] <= 9)
            for i in df.index[small]:
                out.append(_f("small_counts_suppressed", "error", t, t.line(i), col,
                              f"count {int(df.at[i, col])} is between 1 and 9 in a disclosive table: suppress it"))
    return out


def rule_indicator_has_metadata(tables: Tables) -> list[Finding]:
    """Every indicator has a metadata row, and metadata rows have values."""
    out: list[Finding] = []
    ind, meta = tables.get("indicators"), tables.get("indicator_meta")
    if ind is None or meta is None:
        return out  # a missing or invalid table is reported by its own check
    known = set(meta.df["indicator_id"])
    df = ind.df.reset_index(drop=True)
    missing = ~df["indicator_id"].isin(known)
    for iid, g in df[missing].groupby("indicator_id", sort=False):
        out.append(_f("indicator_has_metadata", "error", ind, ind.line(g.index[0]), "indicator_id",
                      f"indicator '{iid}' ({len(g)} rows) has no row in indicator_meta.csv"))
    if meta is not None:
        used = set(df["indicator_id"])
        m = meta.df.reset_index(drop=True)
        for i in m.index[~m["indicator_id"].isin(used)]:
            out.append(_f("indicator_has_metadata", "warning", meta, meta.line(i), "indicator_id",
                          f"metadata for '{m.at[i, 'indicator_id']}' but no values in indicators.csv"))
    return out


def rule_proportion_in_range(tables: Tables) -> list[Finding]:
    """Indicator values of value_type proportion (and their CIs) lie between 0 and 100."""
    out: list[Finding] = []
    ind, meta = tables.get("indicators"), tables.get("indicator_meta")
    if ind is None or meta is None:
        return out
    props = set(meta.df.loc[meta.df["value_type"] == "proportion", "indicator_id"])
    df = ind.df.reset_index(drop=True)
    sel = df["indicator_id"].isin(props)
    for col in ("value", "lower_ci95", "upper_ci95", "lower_ci99_8", "upper_ci99_8"):
        bad = sel & df[col].notna() & ((df[col] < 0) | (df[col] > 100))
        for i in df.index[bad]:
            out.append(_f("proportion_in_range", "error", ind, ind.line(i), col,
                          f"{df.at[i, 'indicator_id']} is a proportion but {col} is {_fmt(df.at[i, col])} (expected 0-100)"))
    return out


def _meta(t: Table) -> dict[str, Any]:
    return SCHEMAS[t.name].metadata if t.name in SCHEMAS else {}


def rule_total_row_matches_parts(tables: Tables) -> list[Finding]:
    """Rows flagged ``is_total`` equal the sum of the other rows of their group (schema ``totals``).

    A column is checked only when the total and every part are present (a stream with no reported
    figure makes the comparison meaningless). Tolerance is half the rounding unit of every figure (``rounded_to``), else 0.5.
    """
    out: list[Finding] = []
    for t in tables.values():
        spec = _meta(t).get("totals")
        if not spec or "is_total" not in t.df.columns:
            continue
        groups, cols = spec
        df = t.df.reset_index(drop=True)
        rnd = df["rounded_to"].astype("float64").fillna(1.0) if "rounded_to" in df.columns else None
        for gkey, g in df.groupby(list(groups), sort=False):
            flag = g["is_total"].fillna(False).astype(bool)
            if flag.sum() != 1:
                continue
            i = g.index[flag][0]
            parts = g[~flag]
            for col in cols:
                if col not in df.columns or pd.isna(df.at[i, col]) or parts[col].isna().any():
                    continue
                have = parts[col].notna()
                total, got = float(df.at[i, col]), float(parts.loc[have, col].sum())
                tol = (0.5 * (rnd[parts.index[have]].sum() + rnd[i]) if rnd is not None else 0.5) + 1e-9
                if abs(got - total) > tol:
                    label = ", ".join(map(str, gkey if isinstance(gkey, tuple) else (gkey,)))
                    out.append(_f("total_row_matches_parts", "error", t, t.line(i), col,
                                  f"{label}: printed total {_fmt(total)} but its {int(have.sum())} parts sum to "
                                  f"{_fmt(got)} (difference {_fmt(got - total)}, tolerance {_fmt(tol)})"))
    return out


def rule_row_total_matches_parts(tables: Tables) -> list[Finding]:
    """A total column equals the sum of its part columns on the same row (schema ``row_totals``; empty parts count 0)."""
    out: list[Finding] = []
    for t in tables.values():
        for total, parts in _meta(t).get("row_totals", {}).items():
            df = t.df.reset_index(drop=True)
            if total not in df.columns or not set(parts) <= set(df.columns):
                continue
            got = df[list(parts)].astype("Float64").fillna(0).sum(axis=1)
            bad = df[total].notna() & df[list(parts)].notna().any(axis=1) & ((got - df[total]).abs() > 0.5)
            for i in df.index[bad.fillna(False).astype(bool)]:
                out.append(_f("row_total_matches_parts", "error", t, t.line(i), total,
                              f"{total} is {_fmt(df.at[i, total])} but {' + '.join(parts)} = {_fmt(got[i])}"))
    return out


def rule_declared_rate_matches(tables: Tables) -> list[Finding]:
    """Rates declared in the schema (``rates``: count columns / denominator x multiplier) agree with their inputs."""
    out: list[Finding] = []
    for t in tables.values():
        df = t.df.reset_index(drop=True)
        for counts, denom, value, mult in _meta(t).get("rates", ()):
            if not {*counts, denom, value} <= set(df.columns):
                continue
            num = df[list(counts)].astype("Float64").sum(axis=1, skipna=False)
            ok = num.notna() & df[denom].notna() & df[value].notna() & (df[denom] > 0)
            for i in df.index[ok.fillna(False).astype(bool)]:
                calc = float(num[i]) / float(df.at[i, denom]) * mult
                v = float(df.at[i, value])
                tol = max(0.5 * 10 ** (-_decimals(v)) + 1e-9, 0.005 * abs(v))
                if abs(calc - v) > tol:
                    out.append(_f("rate_matches_count", "error", t, t.line(i), value,
                                  f"{value} {_fmt(v)} but {' + '.join(counts)} {_fmt(float(num[i]))} / {denom} "
                                  f"{_fmt(df.at[i, denom])} x {_fmt(mult)} = {calc:.2f}"))
    return out


def _band_lower(band: str) -> int | None:
    """Lower age of a band like '65-79' or '80+' (None for 'All ages')."""
    head = band.split("-")[0].rstrip("+")
    return int(head) if head.isdigit() else None


def _population_of(pop: pd.DataFrame, area: str, year: int, band: str) -> tuple[float, float] | None:
    """Persons in ``band`` ("All ages", or "65+" = every band starting at 65 or over) and the rounding tolerance."""
    g = pop[(pop["area_code"] == area) & (pop["year"] == year) & (pop["sex"] == "Persons")]
    if band == "All ages":
        g = g[g["age_band"] == "All ages"]
    else:
        lo = _band_lower(band)
        g = g[g["age_band"].map(lambda b: (_band_lower(b) or -1) >= lo if lo is not None else False)]
    if g.empty:
        return None
    rnd = g["rounded_to"].astype("float64").fillna(1.0) if "rounded_to" in g.columns else pd.Series(1.0, index=g.index)
    return float(g["population"].sum()), 0.5 * float(rnd.sum())


def rule_population_agrees(tables: Tables) -> list[Finding]:
    """A population or denominator printed in another table agrees with ``population.csv`` (schema ``population``).

    Rows with no population year are not compared; rows whose area and year are not in the population
    table are skipped. Tolerance is the rounding of the population table's figures.
    """
    out: list[Finding] = []
    pop = tables.get("population")
    if pop is None:
        return out
    for t in tables.values():
        spec = _meta(t).get("population")
        if not spec:
            continue
        col, band, year_col = spec
        df = t.df.reset_index(drop=True)
        if not {col, year_col, "area_code"} <= set(df.columns):
            continue
        for i in df.index[df[col].notna() & df[year_col].notna()]:
            ref = _population_of(pop.df, df.at[i, "area_code"], int(df.at[i, year_col]), band)
            if ref is None:
                continue
            v = float(df.at[i, col])
            if abs(v - ref[0]) > ref[1] + 1e-9:
                out.append(_f("population_agrees", "error", t, t.line(i), col,
                              f"{df.at[i, 'area_code']} {band} {int(df.at[i, year_col])}: {_fmt(v)} but population.csv "
                              f"gives {_fmt(ref[0])} (tolerance {_fmt(ref[1])})"))
    return out


ROOT = "(the board's own area)"  # in a Side's `where`: the code of the board's own area


@dataclass(frozen=True)
class Side:
    """One side of a cross-table comparison: table, row filter, key columns and the compared column.

    A filter value :data:`ROOT` stands for the board's own area; without a board the side is skipped.
    """

    table: str
    keys: tuple[str, ...]
    value: str
    where: tuple[tuple[str, Any], ...] = ()

    def frame(self, tables: Tables) -> pd.DataFrame | None:
        t = tables.get(self.table)
        if t is None or not {*self.keys, self.value} <= set(t.df.columns):
            return None
        if any(val == ROOT for _, val in self.where) and tables.board is None:
            return None
        df = t.df.reset_index(drop=True).assign(line_=[t.line(i) for i in range(len(t.df))])
        for col, val in self.where:
            if col not in df.columns:
                return None
            df = df[df[col] == (tables.board.root.code if val == ROOT else val)]
        df = df[df[self.value].notna()].dropna(subset=list(self.keys))
        return df[[*self.keys, self.value, "line_"]].set_axis([*(f"k{n}" for n in range(len(self.keys))), "v", "line"], axis=1)


# The same figure published in two tables: (what, left, right). Keys are matched position by position.
CROSS_CHECKS: tuple[tuple[str, Side, Side], ...] = (
    ("BCF year-end income by stream",
     Side("bcf_income", ("year", "stream_id"), "updated_income_gbp"),
     Side("bcf_expenditure", ("year", "category_id"), "income_gbp", (("breakdown", "funding_source"), ("stage", "year_end")))),
    ("BCF year-end expenditure by stream",
     Side("bcf_income", ("year", "stream_id"), "actual_expenditure_gbp"),
     Side("bcf_expenditure", ("year", "category_id"), "expenditure_gbp", (("breakdown", "funding_source"), ("stage", "year_end")))),
    ("BCF planned DFG: the board area's allocation and plan income",
     Side("dfg_by_area", ("year",), "dfg_allocation_gbp", (("area_code", ROOT),)),
     Side("bcf_expenditure", ("year",), "income_gbp", (("category_id", "dfg"), ("stage", "plan")))),
    ("Community pharmacies: opening-hours table and rate table",
     Side("pharmacy_opening_hours", ("area_code", "period"), "pharmacies_total"),
     Side("pharmacies", ("area_code", "period"), "community_pharmacies")),
    ("BCF 65+ denominator across rate tables for the same population year",
     Side("bcf_metric_rates", ("area_code", "population_year"), "denominator"),
     Side("bcf_metric_rates", ("area_code", "population_year"), "denominator")),
)


def rule_figure_agrees_across_tables(tables: Tables) -> list[Finding]:
    """A figure published in two tables (see :data:`CROSS_CHECKS`) has the same value in both."""
    out: list[Finding] = []
    for what, left, right in CROSS_CHECKS:
        a, b = left.frame(tables), right.frame(tables)
        if a is None or b is None:
            continue
        keys = [c for c in a.columns if c.startswith("k")]
        m = a.merge(b, on=keys, suffixes=("_a", "_b"))
        if left.table == right.table:  # within one table: each pair of different rows once
            m = m[m["line_a"] < m["line_b"]]
        for r in m.itertuples(index=False):
            va, vb = float(r.v_a), float(r.v_b)
            if not _same(va, vb):
                label = ", ".join(str(getattr(r, k)) for k in keys)
                out.append(_f("figure_agrees_across_tables", "error", f"{right.table}.csv", int(r.line_b), right.value,
                              f"{what} ({label}): {_fmt(vb)} here but {_fmt(va)} in {left.table}.csv row {int(r.line_a)}"))
    return out


def rule_board_areas_listed(tables: Tables) -> list[Finding]:
    """Every area of the board file is a row of areas.csv with the same name and, below the board's
    own area, the same parent: a page names an area by the board file and finds its data by code."""
    board, areas = tables.board, tables.get("areas")
    if board is None or areas is None:
        return []
    rows = {code: i for i, code in enumerate(areas.df["area_code"])}
    where = f"boards/{board.id}.yml"
    out = []
    for area in (*board.areas, *board.comparators):
        i = rows.get(area.code)
        if i is None:
            out.append(_f("board_areas_listed", "error", areas, 0, "area_code",
                          f"{area.name} ({area.code}) is an area of {where} but has no row: expected a row for {area.code}"))
            continue
        r = areas.df.iloc[i]
        if r["area_name"] != area.name:
            out.append(_f("board_areas_listed", "error", areas, areas.line(i), "area_name",
                          f"{area.code} is named {area.name!r} in {where}: expected {area.name!r}, found {r['area_name']!r}"))
        if area.parent and r["parent_code"] != area.parent:
            out.append(_f("board_areas_listed", "error", areas, areas.line(i), "parent_code",
                          f"{area.name} ({area.code}) lies in {area.parent} in {where}: expected {area.parent}, found {r['parent_code']}"))
    return out


RULES: dict[str, Callable[[Tables], list[Finding]]] = {
    "board_areas_listed": rule_board_areas_listed,
    "totals_match_parts": rule_totals_match_parts,
    "shares_match_parts": rule_shares_match_parts,
    "same_figure_agrees": rule_same_figure_agrees,
    "rate_matches_count": rule_rate_matches_count,
    "no_duplicate_rows": rule_no_duplicate_rows,
    "period_and_unit_present": rule_period_and_unit_present,
    "small_counts_suppressed": rule_small_counts_suppressed,
    "indicator_has_metadata": rule_indicator_has_metadata,
    "proportion_in_range": rule_proportion_in_range,
    "total_row_matches_parts": rule_total_row_matches_parts,
    "row_total_matches_parts": rule_row_total_matches_parts,
    "declared_rate_matches": rule_declared_rate_matches,
    "population_agrees": rule_population_agrees,
    "figure_agrees_across_tables": rule_figure_agrees_across_tables,
}


# --------------------------------------------------------------------------- running


def _read_tables(folder: Path, board: Board | None) -> tuple[Tables, list[Finding]]:
    tables = Tables(board=board)
    findings: list[Finding] = []
    inputs.record_glob(folder, "*.csv")
    for path in sorted(folder.glob("*.csv")):
        name = path.stem
        if name not in SCHEMAS:
            findings.append(_f("table_has_schema", "warning", path.name, 0, "(file)",
                               f"no schema for '{name}': the file is not validated or loaded"))
            continue
        df, problems, lines = _data.read_with_lines(path, name, folder)
        for p in problems:
            findings.append(_f(f"schema:{p.rule}", "error", p.file, p.row, p.column,
                               f"expected {p.expected}, found {p.found}"))
        if not problems:
            tables[name] = Table(name, df.reset_index(drop=True), lines)
    for name in SCHEMAS:
        if not (folder / f"{name}.csv").is_file() and name in ("areas", "indicators", "indicator_meta", "population"):
            findings.append(_f("table_present", "error", f"{name}.csv", 0, "(file)", "required table is missing"))
    return tables, findings


def _sources_findings(folder: Path) -> list[Finding]:
    out: list[Finding] = []
    try:
        reg = _data.sources(folder)
    except _data.DataValidationError as exc:
        return [_f(f"schema:{p.rule}", "error", p.file, p.row, p.column, f"expected {p.expected}, found {p.found}") for p in exc.problems]
    if not (folder / "sources.yml").is_file():
        return [_f("source_registered", "error", "sources.yml", 0, "(file)", "sources.yml is missing")]
    for sid, entry in reg.items():
        for fld in ("publisher", "title", "date", "licence"):
            if not entry.get(fld):
                out.append(_f("source_registered", "error", "sources.yml", 0, fld, f"source '{sid}' has no {fld}"))
    return out


def load_acknowledgements(folder: Path) -> tuple[list[dict[str, Any]], list[Finding]]:
    """The entries of ``qa_accepted.yml`` in ``folder`` and the findings about the file itself."""
    path = Path(folder) / ACCEPTED_FILE
    if not path.is_file():
        return [], []
    try:
        raw = _data.read_yaml(path) or []
    except _data.DataValidationError as exc:
        return [], [_f(f"schema:{p.rule}", "error", p.file, p.row, p.column, f"expected {p.expected}, found {p.found}") for p in exc.problems]
    if not isinstance(raw, list):
        return [], [_f("schema:yaml_list", "error", ACCEPTED_FILE, 1, "(file)", "expected a list of acknowledgements")]
    bad = [_f("accepted_entry_complete", "error", ACCEPTED_FILE, 0, k, f"acknowledgement {n + 1} has no '{k}'")
           for n, e in enumerate(raw) for k in ("rule", "table", "reason", "who", "when")
           if not isinstance(e, dict) or not e.get(k)]
    return [e for e in raw if isinstance(e, dict)], bad


def acknowledges(ack: dict[str, Any], f: Finding) -> bool:
    """True when an acknowledgement covers a finding: same rule and table, and row and column when given."""
    table = str(ack.get("table", ""))
    file = table if table.endswith((".csv", ".yml")) else f"{table}.csv"
    return (ack.get("rule") == f.rule and file == f.file
            and (ack.get("row") is None or int(ack["row"]) == f.row)
            and (ack.get("column") is None or ack["column"] == f.column))


def acknowledgement_for(f: Finding, acks: list[dict[str, Any]]) -> int | None:
    """Index of the first acknowledgement that covers ``f``, or None."""
    return next((n for n, ack in enumerate(acks) if acknowledges(ack, f)), None)


def acknowledgement_text(ack: dict[str, Any]) -> str:
    """How an acknowledgement is shown beside its finding: reason (who, when)."""
    return f"{ack.get('reason', '')} ({ack.get('who', '?')}, {ack.get('when', '?')})"


def _apply_accepted(findings: list[Finding], acks: list[dict[str, Any]]) -> list[Finding]:
    out: list[Finding] = []
    used = [False] * len(acks)
    for f in findings:
        n = acknowledgement_for(f, acks)
        if n is not None:
            used[n] = True
            f = replace(f, accepted=True, accepted_reason=acknowledgement_text(acks[n]))
        out.append(f)
    for n, ack in enumerate(acks):
        if not used[n]:
            out.append(_f("accepted_still_matches", "warning", ACCEPTED_FILE, 0, "(entry)",
                          f"acknowledgement {n + 1} (rule {ack.get('rule')}, table {ack.get('table')}, row {ack.get('row')}) "
                          "matches no current finding: remove or update it"))
    return out


def board_of(folder: Path) -> tuple[Board | None, list[Finding]]:
    """The board whose tables are in `folder` (a board file in ``boards/`` of the folder or of the
    one above it names it as its data folder), and a finding for each board file that cannot be read."""
    folder = Path(folder).resolve()
    findings: list[Finding] = []
    for data_root in (folder, folder.parent):
        for path in sorted((data_root / "boards").glob("*.yml")):
            try:
                board = load_board(data_root, path.stem)
            except ConfigError as exc:
                findings.append(_f("board_readable", "error", path.relative_to(data_root).as_posix(), 0, "(file)", str(exc)))
                continue
            if board.data_dir == folder:
                return board, findings
    return None, findings


def check(data_dir: Path | str | None = None, extra: Iterable[Finding] = ()) -> Report:
    """Validate every data file and run every quality rule; acknowledgements applied.

    `extra` adds findings made elsewhere (the pages' checks, :func:`edition_findings`) so that
    they are acknowledged, counted and printed the same way.
    """
    folder = Path(data_dir) if data_dir is not None else _data.data_dir()
    if not folder.is_dir():
        return Report([_f("data_dir_present", "error", str(folder), 0, "(folder)", "data folder not found")])
    board, findings = board_of(folder)
    tables, table_findings = _read_tables(folder, board)
    findings += table_findings
    findings += _sources_findings(folder)
    for name, rule in RULES.items():
        try:
            findings += rule(tables)
        except Exception as exc:  # noqa: BLE001  (a rule must never hide the other findings)
            findings.append(_f(name, "error", "(rule)", 0, "(rule)", f"rule crashed: {type(exc).__name__}: {exc}"))
    findings += list(extra)
    acks, ack_findings = load_acknowledgements(folder)
    findings = _apply_accepted(findings + ack_findings, acks)
    findings.sort(key=lambda f: (f.accepted, f.severity != "error", f.file, f.row, f.rule))
    return Report(findings)


# --------------------------------------------------------------------------- checks registered by pages

#: A page check: the findings of one chapter of an edition of a board, file names relative to its data folder.
ChapterCheck = Callable[[Board, Edition, Chapter], list[Finding]]
CHECKS: dict[str, list[ChapterCheck]] = {}  # chapter template (under chapters/) -> its checks
ENTRY_POINTS = "jsna.checks"  # entry-point group: modules that register checks when imported


def register(template: str, check: ChapterCheck) -> ChapterCheck:
    """Have :func:`edition_findings` run `check` on every chapter made with `template` (its path under ``chapters/``)."""
    if check not in CHECKS.setdefault(template, []):
        CHECKS[template].append(check)
    return check


def _load_registrations() -> None:
    """Import the modules the installed packages name in the ``jsna.checks`` entry points (each registers its checks)."""
    for entry in entry_points(group=ENTRY_POINTS):
        entry.load()


def edition_findings(board: Board, edition_id: str | None = None) -> list[Finding]:
    """The findings of every registered check on every chapter of the board's editions (or of one), each once."""
    _load_registrations()
    out: list[Finding] = []
    for edition in board.editions:
        if edition_id and edition.id != edition_id:
            continue
        for chapter in edition.chapters:
            for chapter_check in CHECKS.get(chapter.template, ()):
                out += [f for f in chapter_check(board, edition, chapter) if f not in out]
    return out


def summary(report: Report) -> str:
    """One line: counts of errors, warnings and acknowledged findings."""
    return (f"{text.count_of(len(report.errors), 'error')}, {text.count_of(len(report.warnings), 'warning')}, "
            f"{text.count_of(len(report.accepted), 'acknowledged finding')}")


def main(data_dir: Path | str | None = None, extra: Iterable[Finding] = ()) -> int:
    """Print the findings table and summary (rich); return 0 when there are no unacknowledged errors."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table as RichTable

    report = check(data_dir, extra)
    console = Console()
    if not console.is_terminal:
        console = Console(width=200)
    if report.findings:
        tbl = RichTable(title="Data quality findings", show_lines=False)
        for col in ("rule", "severity", "file", "row", "column", "message"):
            tbl.add_column(col, overflow="fold")
        for f in report.findings:
            sev = "accepted" if f.accepted else f.severity
            style = "red" if sev == "error" else ("yellow" if sev == "warning" else "dim")
            msg = f.message + (f" [accepted: {f.accepted_reason}]" if f.accepted else "")
            tbl.add_row(*(escape(cell) for cell in (f.rule, sev, f.file, str(f.row), f.column, msg)), style=style)
        console.print(tbl)
    console.print(("FAILED: " if report.errors else "OK: ") + summary(report))
    return 1 if report.errors else 0


def _md(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def findings_markdown(report: Report) -> str:
    """MyST body for the "Data quality" appendix: open findings, then acknowledged ones."""
    lines = [f"This edition's data were checked by `jsna check`: {summary(report)}.", ""]
    open_ = [f for f in report.findings if not f.accepted]
    head = ["| Rule | Severity | File | Row | Column | Finding |", "|---|---|---|---|---|---|"]
    if open_:
        lines += ["## Open findings", "", *head]
        lines += [f"| {_md(f.rule)} | {f.severity} | {_md(f.file)} | {f.row} | {_md(f.column)} | {_md(f.message)} |" for f in open_]
        lines.append("")
    else:
        lines += ["No open findings.", ""]
    if report.accepted:
        lines += ["## Acknowledged inconsistencies in the published sources", "",
                  "| Rule | File | Row | Finding | Reason |", "|---|---|---|---|---|"]
        lines += [f"| {_md(f.rule)} | {_md(f.file)} | {f.row} | {_md(f.message)} | {_md(f.accepted_reason)} |" for f in report.accepted]
        lines.append("")
    return "\n".join(lines)
