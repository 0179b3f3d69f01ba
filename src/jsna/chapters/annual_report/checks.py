"""Checks on what a page publishes, and how its findings meet the acknowledgements of :mod:`jsna.qa`.

A page's findings name files relative to the book (``data/bcf_income.csv``, as the review page
shows them); :mod:`jsna.qa` names them relative to the board's data folder, where
``qa_accepted.yml`` lives. An acknowledgement matches a page finding as it would match the same
finding made by ``jsna check``.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from jsna import qa, text
from jsna.chapters.annual_report.cells import parse_number
from jsna.prose import Finding

# Page rules that repeat a data rule of jsna.qa: an acknowledgement written for either covers both.
DATA_RULES = {"bcf_total_mismatch": "total_row_matches_parts"}


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


def as_quality_finding(f: Finding, data_prefix: str, rule: str | None = None) -> qa.Finding:
    """A page finding as :mod:`jsna.qa` reports findings: its file relative to the board's data
    folder (`data_prefix` is that folder relative to the book, with a closing slash)."""
    return qa.Finding(rule or f.rule, f.severity, f.file.removeprefix(data_prefix), f.line, f.column or "(text)", f.message)


def acknowledgement(f: Finding, acks: list[dict[str, Any]], data_prefix: str) -> dict[str, Any] | None:
    """The ``qa_accepted.yml`` entry that covers a page finding (under its own rule or the data rule it repeats)."""
    for rule in dict.fromkeys((f.rule, DATA_RULES.get(f.rule, f.rule))):
        n = qa.acknowledgement_for(as_quality_finding(f, data_prefix, rule), acks)
        if n is not None:
            return acks[n]
    return None


def split_acknowledged(findings: list[Finding], acks: list[dict[str, Any]], data_prefix: str) -> tuple[list[Finding], list[tuple[Finding, str]]]:
    """Open findings, and acknowledged ones with the acknowledgement's reason."""
    open_: list[Finding] = []
    accepted: list[tuple[Finding, str]] = []
    for f in findings:
        ack = acknowledgement(f, acks, data_prefix)
        if ack is None:
            open_.append(f)
        else:
            accepted.append((f, qa.acknowledgement_text(ack)))
    return open_, accepted
