"""The report core: one page's view of a board's tables for the year it reports on.

A :class:`Report` reads each table once, keeps the rows of the report year, and notes what is
missing: an invalid file is a finding, and so is a table the edition requires (``required_data``,
by default :data:`DEFAULT_REQUIRED` in an annual-report edition) with no file or no rows for the
year; any other gap gives its section a short note instead. Section modules build their parts
from it into a :class:`Section`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
from IPython.display import Markdown

from jsna import data, prose, qa
from jsna.chapters.annual_report.years import report_year
from jsna.config import Board
from jsna.page import PageContext
from jsna.prose import Finding

T = TypeVar("T")

KIND = "annual_report"  # the edition kind whose every section has authored prose
NOT_REPORTED = "not reported"

# Tables an annual report must have rows for in its year; an edition can set its own `required_data`.
DEFAULT_REQUIRED = ("bcf_income", "bcf_metrics", "hwb_membership", "hwb_meetings", "jhws_priorities", "jsna_chapter_register")

# What a section says when an optional table has nothing for the year ({year}: the year; {word}:
# what the board calls an area of the level below its own).
NO_DATA = {
    "hwb_membership": "The sources used for {year} do not list the Board's members.",
    "hwb_meetings": "No Board meeting or development session dated in {year} is recorded in the data.",
    "jhws_priorities": "The sources used for {year} do not set out the strategy's priorities and lead groups.",
    "jhws_progress": "The sources used for {year} give no delivery highlights against the strategy priorities.",
    "chwp_status": "The sources used for {year} do not report the status of each {word}'s Community Health and Wellbeing Plan.",
    "case_studies": "No {word} case studies were published in the sources used for {year}.",
    "bcf_income": "The sources used for {year} give no Better Care Fund funding by stream.",
    "bcf_metrics": "The sources used for {year} give no Better Care Fund metric with both a target and an actual.",
}


@dataclass
class Section:
    """What one page shows (markdown, tables, figures) and the problems found while building it."""

    parts: list = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    acknowledged: list[tuple[Finding, str]] = field(default_factory=list)

    def markdown(self) -> str:
        return "\n\n".join(p.data for p in self.parts if isinstance(p, Markdown))


def book_root(board: Board) -> Path:
    """The book folder a board belongs to (its file is ``<book>/data/boards/<board>.yml``)."""
    return board.path.resolve().parents[2]


def edition_context(ctx: PageContext) -> PageContext:
    """What a page's sections depend on: board, edition, period and status, not the page's own chapter."""
    return PageContext(ctx.board, ctx.edition, ctx.board.root, ctx.period, ctx.status)


def settings_key(ctx: PageContext) -> str:
    """The edition's own keys as text: a cache key must hold them, since editions compare equal without them."""
    return json.dumps(ctx.edition.extra, sort_keys=True, default=str)


class Report:
    """One page's view of the board's tables for the year it reports on.

    `quiet` reports no gap in the data: figures computed for prose leave that to the section
    that shows the data.
    """

    def __init__(self, ctx: PageContext, quiet: bool = False):
        self.ctx = ctx
        self.quiet = quiet
        self.root = book_root(ctx.board)
        self.folder = ctx.board.data_dir
        self.year = report_year(ctx.period)
        self.status = ctx.status
        self.severity = prose.severity_for(ctx.status)
        self.required = frozenset(self.settings.get("required_data") or (DEFAULT_REQUIRED if ctx.edition.kind == KIND else ()))
        self.data_findings: list[Finding] = []
        self.notes: dict[str, str] = {}  # optional tables with no rows for the year: what the page says instead
        self._tables: dict[str, pd.DataFrame | None] = {}
        self._memo: dict[str, Any] = {}

    @property
    def settings(self) -> dict[str, Any]:
        """The edition's own keys in the board file (``report_sources``, ``bcf_measure_changed``...)."""
        return self.ctx.edition.extra

    @property
    def prose_required(self) -> bool:
        """Every section of an annual report has prose; elsewhere a section shows prose only where some is written."""
        return self.ctx.edition.kind == KIND

    @property
    def area_word(self) -> str:
        """What the board calls an area of the level below its own ("ward", "locality"; "area" when it has none)."""
        level = self.ctx.board.child_level
        return level.word if level else "area"

    def label(self, path: Path) -> str:
        """A file as findings name it: relative to the book."""
        return Path(path).resolve().relative_to(self.root).as_posix()

    def file(self, name: str) -> str:
        return self.label(self.folder / f"{name}.csv")

    @property
    def data_prefix(self) -> str:
        """The board's data folder relative to the book, with a closing slash ("data/")."""
        return self.label(self.folder) + "/"

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """`compute()` once per report (a table derived for several parts of a page)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def table(self, name: str) -> pd.DataFrame | None:
        """A data table with a ``_line`` column (its file line), or None when unusable: an invalid file is
        a finding, a missing one a gap like a year with no rows (a board need not have every table)."""
        if name not in self._tables:
            try:
                df = data.load(name, self.folder)
                attrs = df.attrs
                df = df.reset_index(drop=True)
                df["_line"] = df.index + 2
                df.attrs = attrs
            except FileNotFoundError:
                self.no_rows(name, f"{self.file(name)} does not exist")
                df = None
            except data.DataValidationError as exc:
                self._missing(name, f"{self.file(name)} is invalid: {exc.problems[0]}")
                df = None
            self._tables[name] = df
        return self._tables[name]

    def _missing(self, name: str, message: str) -> None:
        finding = Finding(self.file(name), 0, "missing_data", message, self.severity)
        if not self.quiet and finding not in self.data_findings:
            self.data_findings.append(finding)

    def no_rows(self, name: str, message: str) -> None:
        """Nothing for the year: a finding for a required table, a note on the page for any other."""
        if name in self.required:
            self._missing(name, message)
        else:
            self.notes[name] = NO_DATA.get(name, "No data is recorded for {year}.").format(year=self.year, word=self.area_word)

    def note(self, name: str) -> str | None:
        """What to show in place of an optional table that has no rows for the year (None when it has rows)."""
        return self.notes.get(name)

    @cached_property
    def acks(self) -> list[dict[str, Any]]:
        """The acknowledgements in the board's ``qa_accepted.yml`` (an unreadable file is reported by ``jsna check``)."""
        return qa.load_acknowledgements(self.folder)[0]

    def for_year(self, name: str) -> pd.DataFrame | None:
        """Rows of a table that belong to this report's year.

        Tables with a ``year`` column are filtered on it; other tables on the edition's
        ``report_sources`` (the sources that describe that year). No rows is a gap (see :meth:`no_rows`).
        """
        df = self.table(name)
        if df is None:
            return None
        if "year" in df.columns and df["year"].astype(str).str.fullmatch(r"\d{4}-\d{2}").any():
            rows = df[df["year"] == self.year]
        else:
            sources = self.settings.get("report_sources") or []
            rows = df[df["source_id"].isin(sources)] if "source_id" in df.columns else df.iloc[0:0]
        if rows.empty:
            self.no_rows(name, f"{self.file(name)} has no rows for {self.year}")
            return None
        out = rows.reset_index(drop=True)
        out.attrs = df.attrs
        return out

    def source_of(self, rows: pd.DataFrame) -> str:
        """Citation of the sources of just these rows (a table's own note names every source in its file)."""
        if "source_id" not in rows.columns:
            return data.source_note(rows)
        registry = data.sources(self.folder)
        ids = list(dict.fromkeys(rows["source_id"].dropna().astype(str)))
        labels = [str(registry.get(i, {}).get("short") or registry.get(i, {}).get("title") or i) for i in ids]
        return "Source: " + "; ".join(labels) if labels else data.source_note(rows)


def md(markdown: str) -> Markdown:
    """A markdown part of a page."""
    return Markdown(markdown.strip() + "\n")


def no_data_note(message: str, heading_text: str | None = None) -> Markdown:
    """A short note in place of a table the year has no data for."""
    head = f"## {heading_text}\n\n" if heading_text else ""
    return md(f"{head}*Not reported for this year.* {message}")


def add(section: Section, built: tuple[Any, list[Finding]], heading_text: str | None = None, intro: str | None = None, gap: str | None = None) -> None:
    """Add a built part under its heading; with nothing built, the heading and the ``gap`` note (if any)."""
    part, findings = built
    section.findings += findings
    parts = part if isinstance(part, list) else ([part] if part is not None else [])
    if parts:
        if heading_text:
            section.parts.append(md(f"## {heading_text}" + (f"\n\n{intro}" if intro else "")))
        section.parts += parts
    elif gap:
        section.parts.append(no_data_note(gap, heading_text))
