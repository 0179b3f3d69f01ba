"""The Health and Wellbeing Board annual report: one edition per year, rebuilt from data and prose.

Each section template (``chapters/annual_report/<section>.ipynb``) calls :func:`show`, which
builds the section's page from the data tables and the analysts' prose for the edition's year
(``chapters/annual_report/prose/<year>/<section>.md``). Every build checks what it publishes:
prose rules (:mod:`jsna.prose`), duplicated table rows, table numbers against the data they
came from, BCF streams against the stated total, and required data missing for the year. In a
final edition any open finding stops the build; in a draft the findings are listed on the review
page. A finding acknowledged in ``data/qa_accepted.yml`` (matched as :mod:`jsna.qa` matches
them) blocks nothing and is listed on the review page as acknowledged. A table that is not
required and has no rows for the year gives its section a short note instead of a finding.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from IPython.display import Markdown, display

from jsna import charts, data, prose, qa, text
from jsna.charts import Figure
from jsna.config import Board, Edition, load_board
from jsna.page import PageContext, heading
from jsna.prose import Finding
from jsna.tables import Table

KIND = "annual_report"
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
MEETING_TYPES = {"hwb_board_meeting": "Board meeting", "hwb_development_session": "Development session"}
ROLE_ORDER = ["Chair", "Vice Chair"]
MET, NOT_MET = "Met", "Not met"
NOT_REPORTED = "not reported"
# How an actual that is not the year's final figure is qualified wherever it is shown.
ACTUAL_QUALIFIERS = {"projected": "projected", "estimated": "estimated", "best_month": "best month"}
QUALIFIER_MEANINGS = {
    "projected": "was projected before the year's figures were complete",
    "estimated": "is an estimate",
    "best_month": "is the best single month of the year, not a figure for the whole year",
}

# Tables a report must have rows for in its year; an edition can set its own `required_data`.
DEFAULT_REQUIRED = ("bcf_income", "bcf_metrics", "hwb_membership", "hwb_meetings", "jhws_priorities", "jsna_chapter_register")

# What a section says when an optional table has nothing for the year ({year} is filled in).
NO_DATA = {
    "hwb_membership": "The sources used for {year} do not list the Board's members.",
    "hwb_meetings": "No Board meeting or development session dated in {year} is recorded in the data.",
    "jhws_priorities": "The sources used for {year} do not set out the strategy's priorities and lead groups.",
    "jhws_progress": "The sources used for {year} give no delivery highlights against the strategy priorities.",
    "chwp_status": "The sources used for {year} do not report the status of each district's Community Health and Wellbeing Plan.",
    "case_studies": "No district case studies were published in the sources used for {year}.",
    "bcf_income": "The sources used for {year} give no Better Care Fund funding by stream.",
    "bcf_metrics": "The sources used for {year} give no Better Care Fund metric with both a target and an actual.",
}

# Report rules that repeat a data rule of jsna.qa: an acknowledgement written for either covers both.
DATA_RULES = {"bcf_total_mismatch": "total_row_matches_parts"}


# --------------------------------------------------------------------------- years


def year_start(year: str) -> int:
    """First calendar year of a financial year: "2023-24" -> 2023."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", year)
    if not m:
        raise ValueError(f"a financial year looks like 2023-24, found {year!r}")
    return int(m.group(1))


def previous_year(year: str) -> str:
    """The financial year before: "2023-24" -> "2022-23"."""
    start = year_start(year) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def in_financial_year(calendar_year: Any, month: Any, year: str) -> bool:
    """True when a dated event (calendar year and month name) falls in the financial year (April to March)."""
    if text._is_missing(calendar_year) or text._is_missing(month) or month not in MONTHS:
        return False
    start, index = year_start(year), MONTHS.index(month) + 1
    return (int(calendar_year) == start and index >= 4) or (int(calendar_year) == start + 1 and index <= 3)


def by_year_end(calendar_year: Any, month: Any, year: str) -> bool:
    """True when a dated event (calendar year and month name) falls before the financial year ends (31 March)."""
    if text._is_missing(calendar_year) or text._is_missing(month) or month not in MONTHS:
        return False
    return int(calendar_year) * 12 + MONTHS.index(month) <= (year_start(year) + 1) * 12 + MONTHS.index("March")


def decimals_of(value: float, most: int = 2) -> int:
    """Decimal places a value was recorded with (1810 -> 0, 92.6 -> 1), at most ``most``."""
    if text._is_missing(value):
        return 0
    for d in range(most + 1):
        if math.isclose(round(float(value), d), float(value), abs_tol=1e-9):
            return d
    return most


def parse_number(cell: str) -> float | None:
    """The number shown in a formatted table cell ("£48,748,385", "86.2 (best month)"); None when there is none."""
    cleaned = re.sub(r"[£,%\s]|per 100,000|\(.*\)$", "", str(cell)).replace("−", "-").lstrip("+")
    try:
        return float(cleaned)
    except ValueError:
        return None


# --------------------------------------------------------------------------- checks on tables


def duplicate_rows(frame: pd.DataFrame, file: str, caption: str, severity: str, lines: pd.Series | None = None) -> list[Finding]:
    """A finding for every row that repeats an earlier row of a published table."""
    dup = frame.duplicated(keep="first")
    found = []
    for pos in dup.to_numpy().nonzero()[0]:
        line = int(lines.iloc[pos]) if lines is not None else 0
        first = frame.iloc[: pos + 1].eq(frame.iloc[pos]).all(axis=1).to_numpy().nonzero()[0][0]
        found.append(Finding(file, line, "duplicate_row", f"table '{caption}': row {pos + 1} repeats row {first + 1}", severity))
    return found


def numbers_match(shown: pd.DataFrame, source: pd.DataFrame, columns: dict[str, str], file: str, caption: str, severity: str) -> list[Finding]:
    """Check that every number shown in a table equals the data value it was formatted from.

    ``columns`` maps a shown column to its source column; rows align by position. A shown
    value must equal the source value rounded to the places the cell shows.
    """
    found = []
    for shown_col, source_col in columns.items():
        for pos, (cell, value) in enumerate(zip(shown[shown_col], source[source_col])):
            number = parse_number(cell)
            if text._is_missing(value):
                if number is not None:
                    found.append(Finding(file, 0, "table_number", f"table '{caption}', {shown_col} row {pos + 1}: shows {cell} but the data has no value", severity))
                continue
            places = len(str(cell).split(".")[1].rstrip("% ")) if "." in str(cell) else 0
            if number is None or not math.isclose(number, round(float(value), places), abs_tol=10 ** -places / 2 + 1e-9):
                found.append(Finding(file, 0, "table_number", f"table '{caption}', {shown_col} row {pos + 1}: shows {cell}, data has {value}", severity))
    return found


def stream_total_check(
    streams: pd.DataFrame, total: pd.Series | None, column: str, file: str, year: str, severity: str, data_column: str = ""
) -> list[Finding]:
    """BCF funding streams must add up to the stated total (exactly, in whole pounds).

    ``data_column`` names the file's column the total was read from, so that an acknowledgement
    of that column in ``qa_accepted.yml`` can match the finding.
    """
    if total is None:
        return [Finding(file, 0, "bcf_total_missing", f"no total row (is_total) for {year}", severity)]
    values = streams[column]
    if values.isna().any() or text._is_missing(total[column]):
        return []
    parts, stated = float(values.sum()), float(total[column])
    if round(parts) == round(stated):
        return []
    return [
        Finding(
            file,
            int(total["_line"]),
            "bcf_total_mismatch",
            f"{year} {column}: the {len(values)} streams sum to {text.format_value(parts, '£')} "
            f"but the stated total is {text.format_value(stated, '£')} (difference {text.format_value(parts - stated, '£')})",
            severity,
            data_column or column,
        )
    ]


# --------------------------------------------------------------------------- acknowledgements


def as_quality_finding(f: Finding, rule: str | None = None) -> qa.Finding:
    """A report finding in the form :mod:`jsna.qa` checks acknowledgements against (file relative to data/)."""
    return qa.Finding(rule or f.rule, f.severity, f.file.removeprefix("data/"), f.line, f.column or "(text)", f.message)


def acknowledgement(f: Finding, acks: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The ``qa_accepted.yml`` entry that covers a report finding (under its own rule or the data rule it repeats)."""
    for rule in dict.fromkeys((f.rule, DATA_RULES.get(f.rule, f.rule))):
        n = qa.acknowledgement_for(as_quality_finding(f, rule), acks)
        if n is not None:
            return acks[n]
    return None


def split_acknowledged(findings: list[Finding], acks: list[dict[str, Any]]) -> tuple[list[Finding], list[tuple[Finding, str]]]:
    """Open findings, and acknowledged ones with the acknowledgement's reason."""
    open_: list[Finding] = []
    accepted: list[tuple[Finding, str]] = []
    for f in findings:
        ack = acknowledgement(f, acks)
        if ack is None:
            open_.append(f)
        else:
            accepted.append((f, qa.acknowledgement_text(ack)))
    return open_, accepted


# --------------------------------------------------------------------------- the report


@dataclass
class Section:
    """What one page shows (markdown, tables, figures) and the problems found while building it."""

    parts: list = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    acknowledged: list[tuple[Finding, str]] = field(default_factory=list)

    def markdown(self) -> str:
        return "\n\n".join(p.data for p in self.parts if isinstance(p, Markdown))


class Report:
    """One year's annual report: its context, data (read once) and named figures."""

    def __init__(self, ctx: PageContext, root: Path, raise_errors: bool = True):
        self.ctx = ctx
        self.raise_errors = raise_errors
        self.root = Path(root)
        self.year = ctx.period
        self.status = ctx.status
        self.severity = prose.severity_for(ctx.status)
        self._tables: dict[str, pd.DataFrame | None] = {}
        self.data_findings: list[Finding] = []
        self.notes: dict[str, str] = {}  # optional tables with no rows for the year: what the page says instead
        self.required = frozenset(ctx.edition.extra.get("required_data") or DEFAULT_REQUIRED)
        self._quiet = False  # while computing named figures, gaps are not attributed to the page

    # ---- data access

    @property
    def folder(self) -> Path:
        return self.root / "data"

    def table(self, name: str) -> pd.DataFrame | None:
        """A data table with a ``_line`` column (its file line), or None (and a finding) when unusable."""
        if name not in self._tables:
            try:
                df = data.load(name, self.folder)
                attrs = df.attrs
                df = df.reset_index(drop=True)
                df["_line"] = df.index + 2
                df.attrs = attrs
            except FileNotFoundError:
                self._missing(name, f"data/{name}.csv does not exist")
                df = None
            except data.DataValidationError as exc:
                self._missing(name, f"data/{name}.csv is invalid: {exc.problems[0]}")
                df = None
            self._tables[name] = df
        return self._tables[name]

    def _missing(self, name: str, message: str) -> None:
        finding = Finding(f"data/{name}.csv", 0, "missing_data", message, self.severity)
        if not self._quiet and finding not in self.data_findings:
            self.data_findings.append(finding)

    def _no_rows(self, name: str, message: str) -> None:
        """Nothing for the year: a finding for a required table, a note on the page for any other."""
        if name in self.required:
            self._missing(name, message)
        else:
            self.notes[name] = NO_DATA.get(name, "No data is recorded for {year}.").format(year=self.year)

    def note(self, name: str) -> str | None:
        """What to show in place of an optional table that has no rows for the year (None when it has rows)."""
        return self.notes.get(name)

    @cached_property
    def acks(self) -> list[dict[str, Any]]:
        """The acknowledgements in ``data/qa_accepted.yml`` (an unreadable file is reported by ``jsna check``)."""
        return qa.load_acknowledgements(self.folder)[0]

    def for_year(self, name: str) -> pd.DataFrame | None:
        """Rows of a table that belong to this report's year.

        Tables with a ``year`` column are filtered on it; other tables on the edition's
        ``report_sources`` (the sources that describe that year). No rows is a finding.
        """
        df = self.table(name)
        if df is None:
            return None
        if "year" in df.columns and df["year"].astype(str).str.fullmatch(r"\d{4}-\d{2}").any():
            rows = df[df["year"] == self.year]
        else:
            sources = self.ctx.edition.extra.get("report_sources") or []
            rows = df[df["source_id"].isin(sources)] if "source_id" in df.columns else df.iloc[0:0]
        if rows.empty:
            self._no_rows(name, f"data/{name}.csv has no rows for {self.year}")
            return None
        out = rows.reset_index(drop=True)
        out.attrs = df.attrs
        return out

    def file(self, name: str) -> str:
        return f"data/{name}.csv"

    # ---- BCF

    @cached_property
    def funding(self) -> tuple[pd.DataFrame | None, pd.Series | None]:
        """The year's BCF funding streams (not totals) and its stated total row."""
        rows = self.for_year("bcf_income")
        if rows is None:
            return None, None
        income = rows["updated_income_gbp"].where(rows["updated_income_gbp"].notna(), rows["planned_income_gbp"])
        rows = rows.assign(income=income)
        streams = rows[~rows["is_total"].astype(bool)].reset_index(drop=True)
        totals = rows[rows["is_total"].astype(bool)]
        return streams, (totals.iloc[0] if len(totals) else None)

    @cached_property
    def measure_changed(self) -> dict[str, str]:
        """Metrics the edition says were measured differently from the year before, with the reason."""
        return {str(e["metric"]): str(e["reason"]) for e in self.ctx.edition.extra.get("bcf_measure_changed") or []}

    @cached_property
    def metrics(self) -> pd.DataFrame | None:
        """This year's BCF metrics (one row each, with a target), met / not met and change from last year.

        A metric measured differently from the year before keeps last year's actual but gets no change.
        """
        df = self.table("bcf_metrics")
        if df is None:
            return None
        now = df[(df["year"] == self.year) & df["target"].notna() & df["actual"].notna()].drop_duplicates("metric")
        if now.empty:
            self._no_rows("bcf_metrics", f"data/bcf_metrics.csv has no metric with a target and an actual for {self.year}")
            return None
        before = df[(df["year"] == previous_year(self.year)) & df["actual"].notna()].drop_duplicates("metric")
        renamed = before[["metric", "actual", "actual_status"]].rename(columns={"actual": "previous", "actual_status": "previous_status"})
        out = now.merge(renamed, on="metric", how="left")
        out["met"] = [metric_met(a, t, p) for a, t, p in zip(out["actual"], out["target"], out["polarity"])]
        out["comparable"] = out["previous"].notna() & ~out["metric"].isin(list(self.measure_changed))
        out["change"] = (out["actual"] - out["previous"]).where(out["comparable"])
        out["direction"] = [change_direction(c, p) for c, p in zip(out["change"], out["polarity"])]
        out.attrs = df.attrs
        return out.reset_index(drop=True)

    # ---- named figures for prose

    @cached_property
    def names(self) -> dict[str, Any]:
        """Every figure prose may name, computed from the data (absent when the data is)."""
        shadow = Report(self.ctx, self.root, self.raise_errors)
        shadow._quiet = True  # gaps in the data are reported by the section that shows the data
        return shadow._names()

    def _names(self) -> dict[str, Any]:
        board = self.ctx.board
        names: dict[str, Any] = {
            "year": self.year,
            "previous_year": previous_year(self.year),
            "next_year": self._next_year(),
            "place": board.place,
            "board_name": board.name,
            "n_districts": len(board.districts),
            "districts": [d.name for d in board.districts],
        }
        names["bcf"] = self._bcf_names()
        names["jsna"] = self._jsna_names()
        names["pna"] = self._pna_names()
        names["board"] = self._board_names()
        names["chwp"] = self._chwp_names()
        names["case_studies"] = self._case_study_names()
        return {k: v for k, v in names.items() if v is not None}

    def _bcf_names(self) -> dict[str, Any] | None:
        streams, total = self.funding
        out: dict[str, Any] = {}
        if streams is not None and total is not None:
            funded = streams[streams["income"] > 0].sort_values("income", ascending=False)
            stated = float(total["income"])
            out.update(
                total=stated,
                streams_sum=float(streams["income"].sum()),
                n_streams=int(len(funded)),
                largest={"name": funded.iloc[0]["funding_stream"], "amount": float(funded.iloc[0]["income"]), "share": 100 * float(funded.iloc[0]["income"]) / stated},
                stream={str(r.stream_id): float(r.income) for r in streams.itertuples()} if "stream_id" in streams.columns else {},
            )
            if not text._is_missing(total["actual_expenditure_gbp"]):
                out.update(spent=float(total["actual_expenditure_gbp"]), spent_share=100 * float(total["actual_expenditure_gbp"]) / stated)
            dfg = streams[streams.get("stream_id", pd.Series(dtype=str)) == "dfg"] if "stream_id" in streams.columns else streams.iloc[0:0]
            if len(dfg) and not text._is_missing(dfg.iloc[0]["actual_expenditure_gbp"]):
                out["dfg"] = {"income": float(dfg.iloc[0]["income"]), "spent": float(dfg.iloc[0]["actual_expenditure_gbp"])}
        income = self.table("bcf_income")
        if income is not None:
            nxt = income[(income["year"] == self._next_year()) & income["is_total"].astype(bool)]
            if len(nxt):
                out["next_year_total"] = float(nxt.iloc[0]["planned_income_gbp"])
        m = self.metrics
        if m is not None:
            out["metrics"] = {
                "count": int(len(m)),
                "met": int((m["met"] == MET).sum()),
                "not_met": int((m["met"] == NOT_MET).sum()),
                "compared": int(m["comparable"].sum()),
                "improved": int((m["direction"] == "improved").sum()),
            }
        return out or None

    def _next_year(self) -> str:
        start = year_start(self.year) + 1
        return f"{start}-{(start + 1) % 100:02d}"

    def _jsna_names(self) -> dict[str, Any] | None:
        reg = self.table("jsna_chapter_register")
        if reg is None:
            return None
        chapters = reg[reg["record_type"] == "jsna_chapter"]
        approved = chapters[chapters["status"] == "approved"]
        in_year = [in_financial_year(y, m, self.year) for y, m in zip(approved["approved_year"], approved["approved_month"])]
        by_end = [by_year_end(y, m, self.year) for y, m in zip(approved["approved_year"], approved["approved_month"])]
        developing = reg[(reg["status"] == "in development") & (reg["record_type"] != "pharmaceutical_needs_assessment")]
        cycles = chapters["jsna_cycle"].dropna().unique().tolist()
        return {
            "approved_by_year_end": int(sum(by_end)),
            "approved_in_year": int(sum(in_year)),
            "in_development": int(len(developing)),
            "in_development_titles": developing["title"].tolist(),
            "cycle": cycles[-1] if cycles else None,
        }

    def _pna_names(self) -> dict[str, Any] | None:
        reg = self.table("jsna_chapter_register")
        if reg is None:
            return None
        pna = reg[reg["record_type"] == "pharmaceutical_needs_assessment"]
        published = pna[pna["status"] == "published"]["approved_year"].dropna()
        due = pna[pna["status"] != "published"]["due_year"].dropna()
        out = {}
        if len(published):
            out["latest_year"] = int(published.max())
        if len(due):
            out["next_due"] = int(due.min())
        return out or None

    def _board_names(self) -> dict[str, Any] | None:
        members = self.for_year("hwb_membership")
        meetings = self.meetings
        out: dict[str, Any] = {}
        if members is not None:
            out["members"] = int(len(members))
            out["organisations"] = int(members["organisation_or_portfolio"].nunique())
            chair = members[members["role"] == "Chair"]
            if len(chair) and not text._is_missing(chair.iloc[0]["person_named_in_report"]):
                out["chair"] = _person(chair.iloc[0]["person_named_in_report"])
        if meetings is not None:
            out["meetings"] = int(len(meetings))
            out["development_sessions"] = int((meetings["event_type"] == "hwb_development_session").sum())
        return out or None

    def _chwp_names(self) -> dict[str, Any] | None:
        status = self.for_year("chwp_status")
        if status is None:
            return None
        approved = status[status["chwp_status"] == "approved"]
        pending = status[status["chwp_status"] != "approved"]
        return {"approved": int(len(approved)), "pending": int(len(pending)), "pending_names": pending["district"].tolist()}

    def _case_study_names(self) -> dict[str, Any] | None:
        cases = self.district_cases
        if cases is None:
            return None
        return {"count": int(len(cases)), "districts": int(cases["district"].nunique())}

    # ---- tables used by several sections

    @cached_property
    def meetings(self) -> pd.DataFrame | None:
        """Board meetings and development sessions held in the year, in date order."""
        df = self.table("hwb_meetings")
        if df is None:
            return None
        held = df[df["event_type"].isin(list(MEETING_TYPES)) & (df["status"] != "planned")]
        held = held[[in_financial_year(y, m, self.year) for y, m in zip(held["year"], held["month"])]]
        if held.empty:
            self._no_rows("hwb_meetings", f"data/hwb_meetings.csv has no Board meetings or development sessions dated in {self.year}")
            return None
        order = [int(y) * 100 + MONTHS.index(m) for y, m in zip(held["year"], held["month"])]
        out = held.assign(_order=order).sort_values(["_order", "_line"]).reset_index(drop=True)
        out.attrs = df.attrs
        return out

    @cached_property
    def district_cases(self) -> pd.DataFrame | None:
        """Case studies from the board's districts for this year, with the district's name."""
        cases = self.for_year("case_studies")
        if cases is None:
            return None
        names = {d.code: d.name for d in self.ctx.board.districts}
        local = cases[cases["area_code"].isin(names)]
        if local.empty:
            self._no_rows("case_studies", f"data/case_studies.csv has no district case studies for {self.year}")
            return None
        order = {code: i for i, code in enumerate(names)}
        out = local.assign(district=local["area_code"].map(names), _order=local["area_code"].map(order))
        out = out.sort_values(["_order", "_line"]).reset_index(drop=True)
        out.attrs = cases.attrs
        return out


def source_of(rows: pd.DataFrame, folder: Path) -> str:
    """Citation of the sources of just these rows (a table's own note names every source in its file)."""
    if "source_id" not in rows.columns:
        return data.source_note(rows)
    registry = data.sources(folder)
    ids = [i for i in dict.fromkeys(rows["source_id"].dropna().astype(str))]
    labels = [str(registry.get(i, {}).get("short") or registry.get(i, {}).get("title") or i) for i in ids]
    return "Source: " + "; ".join(labels) if labels else data.source_note(rows)


def _person(cell: str) -> str:
    """A member's name without the extraction remarks in brackets."""
    return re.sub(r"\s*\(.*\)\s*$", "", str(cell)).strip()


def metric_met(actual: float, target: float, polarity: str) -> str:
    """Met / Not met from the metric's polarity; "Not judged" when it has none."""
    if text._is_missing(actual) or text._is_missing(target):
        return "Not available"
    if polarity == "higher_is_better":
        return MET if actual >= target else NOT_MET
    if polarity == "lower_is_better":
        return MET if actual <= target else NOT_MET
    return "Not judged"


def change_direction(change: float, polarity: str) -> str:
    """Whether a change from last year is an improvement, given the metric's polarity."""
    if text._is_missing(change):
        return "not available"
    if change == 0:
        return "no change"
    if polarity not in ("higher_is_better", "lower_is_better"):
        return "higher" if change > 0 else "lower"
    better = (change > 0) == (polarity == "higher_is_better")
    return "improved" if better else "worsened"


# --------------------------------------------------------------------------- page parts


def _md(markdown: str) -> Markdown:
    return Markdown(markdown.strip() + "\n")


def _prose(report: Report, name: str) -> tuple[list, list[Finding]]:
    body = prose.section(report.root, report.year, name, report.names, report.status, report.raise_errors)
    return ([_md(body.markdown)] if body.markdown.strip() else []), list(body.findings)


def _money_cell(value: Any) -> str:
    return "" if text._is_missing(value) else text.format_value(value, "£")


def _value_cell(value: Any) -> str:
    return "" if text._is_missing(value) else text.format_number(value, decimals_of(value))


def _qualified_cell(value: Any, status: Any) -> str:
    """A metric's actual with its qualifier when it is not the year's final figure: "86.2 (best month)"."""
    shown = _value_cell(value)
    word = ACTUAL_QUALIFIERS.get(status) if isinstance(status, str) else None
    return f"{shown} ({word})" if shown and word else shown


def _signed_cell(value: Any) -> str:
    if text._is_missing(value):
        return ""
    shown = text.format_number(abs(value), decimals_of(value))
    return shown if shown.strip("0.,") == "" else ("+" if value > 0 else "-") + shown


def funding_table(report: Report) -> tuple[Table | None, list[Finding]]:
    """BCF funding by stream with the stated total, and the checks on it."""
    streams, total = report.funding
    if streams is None:
        return None, []
    file, caption = report.file("bcf_income"), f"Better Care Fund pooled budget by funding stream, {report.year}"
    rows = pd.concat([streams, total.to_frame().T], ignore_index=True) if total is not None else streams
    spent = rows["actual_expenditure_gbp"].notna().any()
    shown = pd.DataFrame({"Funding stream": rows["funding_stream"].astype(str), "Income": rows["income"].map(_money_cell)})
    if spent:
        shown["Spent by year end"] = rows["actual_expenditure_gbp"].map(lambda v: _money_cell(v) or NOT_REPORTED)
    stated_in = "planned_income_gbp" if total is None or text._is_missing(total["updated_income_gbp"]) else "updated_income_gbp"
    findings = stream_total_check(streams, total, "income", file, report.year, report.severity, stated_in)
    findings += duplicate_rows(shown, file, caption, report.severity, rows["_line"])
    findings += numbers_match(shown, rows, {"Income": "income", **({"Spent by year end": "actual_expenditure_gbp"} if spent else {})}, file, caption, report.severity)
    return Table(shown, caption, source_of(streams, report.folder)), findings


def funding_figure(report: Report) -> Figure | None:
    """Bar chart of the year's funding streams with income, largest first (jsna.charts house style).

    The chart names the stated total, as the table does; where the streams add up to a different
    amount (a difference in the source), its note says so.
    """
    streams, total = report.funding
    if streams is None:
        return None
    funded = streams[streams["income"] > 0]
    fig = charts.funding_breakdown(funded, year=report.year, source=source_of(streams, report.folder), value="income", label="Income")
    parts = float(streams["income"].sum())
    if total is not None and round(parts) != round(float(total["income"])):
        summed, stated = text.format_value(parts, "£"), text.format_value(float(total["income"]), "£")
        fig.title, fig.alt_text = fig.title.replace(summed, stated), fig.alt_text.replace(summed, stated)
        fig.note = (
            f"The streams add up to {summed}, {text.format_value(abs(parts - float(total['income'])), '£')} "
            f"{'more' if parts > float(total['income']) else 'less'} than the total of {stated} stated in the source; "
            "this report uses the stated total."
        )
    return fig


def metrics_table(report: Report) -> tuple[Table | None, list[Finding]]:
    """BCF metrics: target, actual, met / not met, and last year's actual and change where recorded."""
    m = report.metrics
    if m is None:
        return None, []
    prev = previous_year(report.year)
    file, caption = report.file("bcf_metrics"), f"Better Care Fund metrics, target and actual, {report.year}"
    shown = pd.DataFrame(
        {
            "Metric": m["title"],
            "Unit": m["unit"],
            "Target": m["target"].map(_value_cell),
            "Actual": [_qualified_cell(a, st) for a, st in zip(m["actual"], m["actual_status"])],
            "Target met?": m["met"],
        }
    )
    compare = m["previous"].notna().any()
    if compare:
        shown[f"{prev} actual"] = [_qualified_cell(a, st) or "not recorded" for a, st in zip(m["previous"], m["previous_status"])]
        shown[f"Change from {prev}"] = [change_cell(r) for r in m.itertuples()]
    findings = duplicate_rows(shown, file, caption, report.severity)
    cols = {"Target": "target", "Actual": "actual", **({f"{prev} actual": "previous"} if compare else {})}
    findings += numbers_match(shown, m, cols, file, caption, report.severity)
    return Table(shown, caption, source_of(m, report.folder)), findings


def change_cell(row: Any) -> str:
    """A metric's change from last year, or why none is shown."""
    if not text._is_missing(row.change):
        return f"{_signed_cell(row.change)} ({row.direction})"
    return "not compared: measured differently" if not text._is_missing(row.previous) else "not recorded"


def metrics_intro(report: Report) -> str | None:
    """What the metrics table counts (the rule the chart follows too), and what limits each comparison."""
    m = report.metrics
    if m is None:
        return None
    prev = previous_year(report.year)
    met = int((m["met"] == MET).sum())
    lines = [
        f"{text.format_number(met)} of the {text.format_number(len(m))} metrics with both a target and an actual for "
        f"{report.year} met their target. The chart counts the same metrics, for {report.year} only."
    ]
    compared = int(m["comparable"].sum())
    if compared:
        lines.append(f"{text.format_number(compared)} of them {'was' if compared == 1 else 'were'} also reported on the same basis for {prev}; the table shows the change since then.")
    elif m["previous"].isna().all():
        lines.append(f"None of them was reported for {prev}, so no change from the previous year is shown.")
    for r in m[m["previous"].notna() & ~m["comparable"]].itertuples():
        lines.append(f"For “{r.title}”, {report.measure_changed[r.metric]}, so no change from {prev} is computed.")
    statuses = [s for s in dict.fromkeys([*m["actual_status"], *m["previous_status"]]) if s in QUALIFIER_MEANINGS]
    lines += [f"An actual marked “{ACTUAL_QUALIFIERS[s]}” {QUALIFIER_MEANINGS[s]}." for s in statuses]
    return " ".join(lines)


def metrics_figure(report: Report) -> Figure | None:
    """Actual against target for each of the year's metrics (the same metrics the text counts)."""
    m = report.metrics
    if m is None:
        return None
    cols = ["metric", "title", "year", "unit", "polarity", "target", "actual"]
    return charts.target_vs_actual(m[cols], source=source_of(m, report.folder))


def membership_table(report: Report) -> tuple[Table | None, list[Finding]]:
    members = report.for_year("hwb_membership")
    if members is None:
        return None, []
    rank = {r: i for i, r in enumerate(ROLE_ORDER)}
    members = members.assign(_rank=members["role"].map(lambda r: rank.get(r, len(rank)))).sort_values(["_rank", "_line"], kind="stable")
    caption = f"Membership of the {report.ctx.board.name}, {report.year}, by role and organisation"
    shown = pd.DataFrame(
        {
            "Role": members["role"].tolist(),
            "Organisation or portfolio": members["organisation_or_portfolio"].tolist(),
            "Named member": [("name not published" if text._is_missing(p) else _person(p)) for p in members["person_named_in_report"]],
        }
    )
    return Table(shown, caption, source_of(members, report.folder)), duplicate_rows(shown, report.file("hwb_membership"), caption, report.severity, members["_line"])


def meetings_table(report: Report) -> tuple[Table | None, list[Finding]]:
    held = report.meetings
    if held is None:
        return None, []
    caption = f"Board meetings and development sessions in {report.year}"
    when = [f"{'' if text._is_missing(d) else str(int(d)) + ' '}{m} {int(y)}" for d, m, y in zip(held["day"], held["month"], held["year"])]
    shown = pd.DataFrame({"Date": when, "Type": held["event_type"].map(MEETING_TYPES), "Business": held["event"]})
    return Table(shown, caption, source_of(held, report.folder)), duplicate_rows(shown, report.file("hwb_meetings"), caption, report.severity, held["_line"])


def priorities_table(report: Report) -> tuple[Table | None, list[Finding]]:
    pri = report.for_year("jhws_priorities")
    if pri is None:
        return None, []
    caption = f"Joint Health and Wellbeing Strategy priorities and the groups that lead them, {report.year}"
    grouped = pri.groupby(["jhws_strategic_priority", "hwb_subgroup"], sort=False)["priority_area"].apply(lambda s: "; ".join(s)).reset_index()
    shown = grouped.rename(columns={"jhws_strategic_priority": "Strategic priority", "hwb_subgroup": "Lead group", "priority_area": "Priority areas"})
    return Table(shown, caption, source_of(pri, report.folder)), duplicate_rows(pri[["hwb_subgroup", "jhws_strategic_priority", "priority_area"]], report.file("jhws_priorities"), caption, report.severity, pri["_line"])


def delivery_table(report: Report) -> tuple[Table | None, list[Finding]]:
    rows = report.for_year("jhws_progress")
    if rows is None:
        return None, []
    caption = f"Delivery highlights by strategy priority, {report.year}"
    shown = pd.DataFrame(
        {
            "Priority": rows["jhws_priority"],
            "Activity": rows["activity"],
            "Reach as reported": [_value_cell(v) if not text._is_missing(v) else (NOT_REPORTED if text._is_missing(p) else str(p)) for v, p in zip(rows["beneficiaries"], rows["beneficiaries_as_printed"])],
        }
    )
    findings = duplicate_rows(shown, report.file("jhws_progress"), caption, report.severity, rows["_line"])
    counted = rows["beneficiaries"].notna().to_numpy()
    findings += numbers_match(shown[counted].reset_index(drop=True), rows[counted].reset_index(drop=True), {"Reach as reported": "beneficiaries"}, report.file("jhws_progress"), caption, report.severity)
    return Table(shown, caption, source_of(rows, report.folder)), findings


def jsna_tables(report: Report) -> tuple[list, list[Finding]]:
    reg = report.table("jsna_chapter_register")
    if reg is None:
        return [], []
    file, parts, findings = report.file("jsna_chapter_register"), [], []
    chapters = reg[(reg["record_type"] == "jsna_chapter") & (reg["status"] == "approved")]
    if len(chapters):
        caption = "JSNA chapters approved, with the month of approval"
        approved = [f"{m} {int(y)}" for m, y in zip(chapters["approved_month"], chapters["approved_year"])]
        shown = pd.DataFrame(
            {
                "Chapter": [t + (" (partial)" if p is True else "") for t, p in zip(chapters["title"], chapters["partial_jsna"])],
                "Approved": approved,
                f"Approved in {report.year}?": ["Yes" if in_financial_year(y, m, report.year) else "No" for y, m in zip(chapters["approved_year"], chapters["approved_month"])],
            }
        )
        parts.append(Table(shown, caption, data.source_note(reg)))
        findings += duplicate_rows(shown, file, caption, report.severity, chapters["_line"])
    developing = reg[reg["status"] == "in development"]
    if len(developing):
        caption = "Needs assessments in development"
        shown = pd.DataFrame({"Needs assessment": developing["title"], "Due": developing["due_year"].map(lambda y: NOT_REPORTED if text._is_missing(y) else str(int(y)))})
        if not register_is_current(report, reg):
            caption += f", as listed in the {source_of(developing, report.folder).removeprefix('Source: ')}"
            chapters_now = jsna_chapter_slugs(report)
            shown["In this book's JSNA"] = ["Yes, as a chapter" if slug(t) in chapters_now else "No chapter of that title" for t in developing["title"]]
        parts.append(Table(shown, caption, data.source_note(reg)))
        findings += duplicate_rows(shown, file, caption, report.severity, developing["_line"])
    return parts, findings


def slug(title: str) -> str:
    """A title as a page slug: "Air Quality" -> "air-quality"."""
    return re.sub(r"[^a-z0-9]+", "-", str(title).lower()).strip("-")


def jsna_chapter_slugs(report: Report) -> set[str]:
    """Slugs of the chapters of this book's JSNA editions."""
    return {c.slug for e in report.ctx.board.editions if e.kind == "jsna" for c in e.chapters}


def register_is_current(report: Report, reg: pd.DataFrame) -> bool:
    """True when the chapter register comes from a source of the report's own year."""
    sources = set(report.ctx.edition.extra.get("report_sources") or [])
    return set(reg["source_id"].dropna().astype(str)) <= sources


def register_intro(report: Report) -> str | None:
    """Says, for a year whose sources do not include the register, when the register is from."""
    reg = report.table("jsna_chapter_register")
    if reg is None or register_is_current(report, reg):
        return None
    return (
        f"The sources for {report.year} include no chapter register, so the register below is as it stood in the "
        f"{source_of(reg, report.folder).removeprefix('Source: ')}. Where this book's JSNA edition now has a chapter "
        "on an assessment that was then in development, the table says so."
    )


def case_study_parts(report: Report) -> tuple[list, list[Finding]]:
    cases = report.district_cases
    if cases is None:
        return [], []
    file, parts, findings = report.file("case_studies"), [], []
    findings += duplicate_rows(cases[["district", "title", "locality_or_setting"]], file, "case studies by district", report.severity, cases["_line"])
    status = report.for_year("chwp_status")
    plan = dict(zip(status["area_code"], status["chwp_status"])) if status is not None else {}
    for district, group in cases.groupby("district", sort=False):
        code = group["area_code"].iloc[0]
        parts.append(_md(f"## {district}"))
        lines = []
        if code in plan:
            lines.append(f"Community Health and Wellbeing Plan: {plan[code]}.\n")
        for r in group.itertuples():
            lines.append(f"- **{r.title}**: {r.theme}. Setting: {r.locality_or_setting}.")
        parts.append(_md("\n".join(lines)))
    parts.append(_md(f"*{source_of(cases, report.folder)}*"))
    return parts, findings


def chwp_table(report: Report) -> tuple[Table | None, list[Finding]]:
    status = report.for_year("chwp_status")
    if status is None:
        return None, []
    caption = f"Community Health and Wellbeing Plans by district, {report.year}"
    shown = pd.DataFrame(
        {
            "District": status["district"],
            "Plan": status["chwp_status"],
            "Expected by": [
                str(v) if not text._is_missing(v) else ("not applicable" if st == "approved" else NOT_REPORTED)
                for v, st in zip(status["expected_by_as_printed"], status["chwp_status"])
            ],
        }
    )
    return Table(shown, caption, source_of(status, report.folder)), duplicate_rows(shown, report.file("chwp_status"), caption, report.severity, status["_line"])


def known_by_report(source_date: Any, year: str) -> bool:
    """True when a source dated ``source_date`` was out by the end of the calendar year in which the report year ends.

    A year's report lists only plans its own sources could know of, not ones announced years later.
    """
    m = re.match(r"\d{4}", str(source_date or ""))
    return bool(m) and int(m.group(0)) <= year_start(year) + 1


def planned_list(report: Report) -> list:
    """Milestones planned after the year ends, from the meetings and milestones register."""
    df = report.table("hwb_meetings")
    if df is None:
        return []
    planned = df[(df["status"] == "planned") & df["year"].notna() & (df["year"] > year_start(report.year))]
    registry = data.sources(report.folder)
    known = [known_by_report(registry.get(str(sid), {}).get("date"), report.year) for sid in planned["source_id"]]
    planned = planned[known]
    if planned.empty:
        return []
    items = [f"- {('' if text._is_missing(m) else m + ' ')}{int(y)}: {e}" for y, m, e in zip(planned["year"], planned["month"], planned["event"])]
    return [_md("## Milestones already planned\n\n" + "\n".join(items)), _md(f"*{source_of(planned, report.folder)}*")]


# --------------------------------------------------------------------------- sections


def _add(section: Section, built: tuple[Any, list[Finding]], heading_text: str | None = None, intro: str | None = None, gap: str | None = None) -> None:
    """Add a built part under its heading; with nothing built, the heading and the ``gap`` note (if any)."""
    part, findings = built
    section.findings += findings
    parts = part if isinstance(part, list) else ([part] if part is not None else [])
    if parts:
        if heading_text:
            section.parts.append(_md(f"## {heading_text}" + (f"\n\n{intro}" if intro else "")))
        section.parts += parts
    elif gap:
        section.parts.append(no_data_note(gap, heading_text))


def no_data_note(message: str, heading_text: str | None = None) -> Markdown:
    """A short note in place of a table the year has no data for."""
    head = f"## {heading_text}\n\n" if heading_text else ""
    return _md(f"{head}*Not reported for this year.* {message}")


def _with_prose(report: Report, name: str) -> Section:
    parts, findings = _prose(report, name)
    return Section(parts, findings)


def build_foreword(report: Report) -> Section:
    return _with_prose(report, "foreword")


def build_board(report: Report) -> Section:
    s = _with_prose(report, "board")
    _add(s, membership_table(report), "Membership", gap=report.note("hwb_membership"))
    _add(s, meetings_table(report), f"Meetings in {report.year}", gap=report.note("hwb_meetings"))
    return s


def build_statutory(report: Report) -> Section:
    return _with_prose(report, "statutory")


def build_priorities(report: Report) -> Section:
    s = _with_prose(report, "priorities")
    _add(s, priorities_table(report), "Priorities and lead groups", gap=report.note("jhws_priorities"))
    _add(s, delivery_table(report), "Delivery highlights", gap=report.note("jhws_progress"))
    if any(isinstance(p, Table) and (p.frame == NOT_REPORTED).any().any() for p in s.parts):
        s.parts.append(_md(f"*“{NOT_REPORTED.capitalize()}” in these tables marks a detail that the sources used for {report.year} do not give.*"))
    return s


def build_jsna(report: Report) -> Section:
    s = _with_prose(report, "jsna")
    _add(s, jsna_tables(report), "Chapter register", register_intro(report))
    return s


def build_bcf(report: Report) -> Section:
    s = _with_prose(report, "bcf")
    table, findings = funding_table(report)
    _add(s, (table, findings), "Funding by stream", gap=report.note("bcf_income"))
    if table is not None:
        s.parts.append(funding_figure(report))
    table, findings = metrics_table(report)
    _add(s, (table, findings), "Metrics: target and actual", metrics_intro(report), gap=report.note("bcf_metrics"))
    if table is not None:
        s.parts.append(metrics_figure(report))
    return s


def build_looking_forward(report: Report) -> Section:
    s = _with_prose(report, "looking_forward")
    s.parts += planned_list(report)
    return s


def build_appendix(report: Report) -> Section:
    """District plans and case studies; a section with nothing to show is left out, and one line says which districts have no case study."""
    s = _with_prose(report, "appendix")
    _add(s, chwp_table(report), "Community Health and Wellbeing Plans")
    _add(s, case_study_parts(report))
    missing = districts_without_case_study(report)
    if missing:
        plans = "" if report.note("chwp_status") is None else ", and no Community Health and Wellbeing Plan status,"
        s.parts.append(_md(f"The sources used for {report.year} give no case study{plans} for {prose.and_join(missing)}."))
    return s


def districts_without_case_study(report: Report) -> list[str]:
    """Districts of the board with no case study for the year (every district when there are none)."""
    cases = report.district_cases
    shown = set() if cases is None else set(cases["district"])
    return [d.name for d in report.ctx.board.districts if d.name not in shown]


BUILDERS: dict[str, tuple[str, Callable[[Report], Section]]] = {
    "foreword": ("Foreword", build_foreword),
    "board": ("The Health and Wellbeing Board", build_board),
    "statutory": ("Statutory responsibilities", build_statutory),
    "priorities": ("Progress against the strategy priorities", build_priorities),
    "jsna": ("Joint Strategic Needs Assessment progress", build_jsna),
    "bcf": ("Better Care Fund", build_bcf),
    "looking_forward": ("Looking forward", build_looking_forward),
    "appendix": ("Appendix: case studies by district", build_appendix),
}


def section_name(template: str) -> str:
    """The section a chapter template builds: ``annual_report/bcf.ipynb`` -> ``bcf``."""
    return Path(template).stem


def _pages(edition: Edition) -> list[tuple[str, str]]:
    """(page name as generated by jsna.build, section) of each chapter of an edition, in order."""
    return [(f"{i:02d}-{c.slug}", section_name(c.template)) for i, c in enumerate(edition.chapters)]


def build_section(report: Report, name: str) -> Section:
    """One content section with its findings (data findings included); never raises."""
    s = BUILDERS[name][1](report) if name in BUILDERS else Section()
    s.findings += [f for f in report.data_findings if f not in s.findings]
    s.findings, s.acknowledged = split_acknowledged(s.findings, report.acks)
    return s


def _collect(report: Report, names: list[str]) -> dict[str, Section]:
    """Build several sections without raising, to read their headings and findings."""
    quiet = Report(report.ctx, report.root, raise_errors=False)
    return {n: build_section(quiet, n) for n in names if n in BUILDERS}


def build_contents(report: Report) -> Section:
    """The cover page: the year's report in brief and a contents list generated from every page's headings."""
    pages = _pages(report.ctx.edition)
    sections = _collect(report, [n for _, n in pages])
    lines = []
    for page, name in pages:
        if name not in BUILDERS:
            continue
        lines.append(f"1. {{doc}}`{BUILDERS[name][0]} <{page}>`")
        for level, title in prose.headings(sections[name].markdown()):
            if level == 2:
                lines.append(f"   - {title}")
    findings = []
    if not lines:
        findings.append(Finding(f"data/boards/{report.ctx.board.id}.yml", 0, "empty_contents", f"edition {report.ctx.edition.id} has no sections", report.severity))
    intro = f"The {report.ctx.board.name} reports each year on its statutory duties and on progress against the Joint Health and Wellbeing Strategy. This is the report for {report.year}. Tables and charts are generated from the data files published with this book; each is followed by its source."
    return Section([_md(intro), _md("## Contents\n\n" + "\n".join(lines))], findings)


def all_findings(report: Report) -> list[Finding]:
    """Every open finding of every section of the report's edition."""
    return edition_findings(report)[0]


def edition_findings(report: Report) -> tuple[list[Finding], list[tuple[Finding, str]]]:
    """Open and acknowledged findings of every section of the report's edition, each once."""
    sections = _collect(report, [n for _, n in _pages(report.ctx.edition)])
    open_: list[Finding] = []
    accepted: list[tuple[Finding, str]] = []
    for s in sections.values():
        open_ += [f for f in s.findings if f not in open_]
        accepted += [a for a in s.acknowledged if a not in accepted]
    return open_, accepted


def counted(n: int, noun: str) -> str:
    """"1 difference", "2 differences"."""
    return f"{text.format_number(n)} {noun}{'' if n == 1 else 's'}"


def acknowledged_part(accepted: list[tuple[Finding, str]]) -> list:
    """The review page's list of differences in the sources themselves that were reviewed and kept (none: nothing).

    Written for readers: what differs, not where the data team recorded it.
    """
    if not accepted:
        return []
    intro = (
        f"The checks found {counted(len(accepted), 'difference')} within the published sources themselves. "
        f"{'It was' if len(accepted) == 1 else 'Each was'} reviewed, and the figures are shown as the source publishes them; "
        "a reviewed difference does not stop the report being final."
    )
    items = "\n".join(f"- {f.message}" for f, _ in accepted)
    return [_md(f"## Acknowledged discrepancies\n\n{intro}\n\n{items}")]


def checked_against(report: Report) -> str:
    """How the edition's figures were checked, naming a source that is only available as a draft."""
    registry = data.sources(report.folder)
    drafts = [str(registry[i].get("title", i)) for i in report.ctx.edition.extra.get("report_sources") or [] if re.search(r"\bdraft\b", str(registry.get(i, {}).get("title", "")), re.I)]
    lines = [
        "Every table and chart in this edition is generated from the data files published with this book. "
        "Each number shown is checked against the data it came from, totals against their parts, and the "
        "prose against the report's writing rules."
    ]
    if drafts:
        names = " and ".join(re.sub(r"\s*\((?i:draft)\)\s*$", "", d) for d in drafts)
        lines.append(
            f"The figures for {report.year} were taken from, and checked against, the draft text of the {names}, "
            "which is the version of the source available; that is why the source notes name it as a draft."
        )
    return " ".join(lines)


def build_review(report: Report) -> Section:
    """The review page: how the edition was checked, and every open problem to fix before it is made final."""
    findings, accepted = edition_findings(report)
    method = _md(f"## How this edition was checked\n\n{checked_against(report)}")
    if not findings:
        return Section([method, _md(f"All checks passed for the {report.year} report: prose, tables, totals and contents."), *acknowledged_part(accepted)])
    rows = pd.DataFrame(
        {
            "Where": [f"{f.file}:{f.line}" if f.line else f.file for f in findings],
            "Rule": [f.rule for f in findings],
            "Problem": [f.message for f in findings],
        }
    )
    intro = f"{counted(len(findings), 'problem')} found. In a final edition each of these stops the build; fix them, or correct the data, before changing the status to final."
    parts = [method, _md(f"## Open issues\n\n{intro}"), Table(rows, f"Open issues in the {report.year} annual report", "Source: jsna checks run during this build")]
    return Section([*parts, *acknowledged_part(accepted)], [])


def title_of(name: str, report: Report) -> str:
    if name == "index":
        return f"{report.ctx.edition.title} {report.year}"
    if name == "review":
        return "Review: checks on this edition" if report.status == "draft" else "Quality checks"
    return BUILDERS[name][0]


def build(name: str, ctx: PageContext, root: Path | None = None) -> Section:
    """Build one page of the report; in a final edition, raise on any of its findings."""
    report = Report(ctx, root or data.data_dir().parent)
    if name == "index":
        s = build_contents(report)
    elif name == "review":
        s = build_review(report)
    else:
        s = build_section(report, name)
    prose.raise_for(s.findings, ctx.status)
    s.parts.insert(0, heading(title_of(name, report), ctx))
    return s


def show(name: str, ctx: PageContext) -> None:
    """Display one page of the report (called by its template notebook)."""
    for part in build(name, ctx).parts:
        display(part)


# --------------------------------------------------------------------------- jsna check


def check(root: Path, edition_id: str | None = None) -> list[Finding]:
    """Every open finding of the board's annual-report editions (or one of them), severity by status."""
    board: Board = load_board(Path(root) / "data")
    out: list[Finding] = []
    for edition in board.editions:
        if edition.kind != KIND or (edition_id and edition.id != edition_id):
            continue
        ctx = PageContext(board, edition, board.county, edition.period, edition.status)
        out += all_findings(Report(ctx, Path(root)))
    return out
