"""Financial years (April to March): the year a page reports on, and whether a dated event falls in it."""

from __future__ import annotations

import re
from typing import Any

from jsna import text

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def year_start(year: str) -> int:
    """First calendar year of a financial year: "2023-24" -> 2023."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", year)
    if not m:
        raise ValueError(f"a financial year looks like 2023-24, found {year!r}")
    return int(m.group(1))


def financial_year(start: int) -> str:
    """The financial year that starts in April of `start`: 2023 -> "2023-24"."""
    return f"{start}-{(start + 1) % 100:02d}"


def previous_year(year: str) -> str:
    """The financial year before: "2023-24" -> "2022-23"."""
    return financial_year(year_start(year) - 1)


def next_year(year: str) -> str:
    """The financial year after: "2023-24" -> "2024-25"."""
    return financial_year(year_start(year) + 1)


def report_year(period: str) -> str:
    """The financial year a page reports on: a financial-year period itself ("2023-24"), or for a
    calendar-year period (a JSNA edition's "2023") the financial year that ended in it ("2022-23")."""
    if re.fullmatch(r"\d{4}", period):
        return financial_year(int(period) - 1)
    return financial_year(year_start(period))


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


def known_by_report(source_date: Any, year: str) -> bool:
    """True when a source dated ``source_date`` was out by the end of the calendar year in which the report year ends.

    A year's report lists only plans its own sources could know of, not ones announced years later.
    """
    m = re.match(r"\d{4}", str(source_date or ""))
    return bool(m) and int(m.group(0)) <= year_start(year) + 1
