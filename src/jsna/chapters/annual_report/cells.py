"""Table cells: numbers as a page shows them, and the number a shown cell holds."""

from __future__ import annotations

import math
import re
from typing import Any

from jsna import text


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


def money(x: Any) -> str:
    """Whole pounds ("£48,748,385"); empty when there is no value."""
    return "" if text._is_missing(x) else text.format_value(x, "£")


def value(x: Any) -> str:
    """A number at the precision it was recorded with; empty when there is none."""
    return "" if text._is_missing(x) else text.format_number(x, decimals_of(x))


def signed(x: Any) -> str:
    """A change with its sign ("+274.2", "-10"); no sign on a change that rounds to nothing."""
    if text._is_missing(x):
        return ""
    shown = text.format_number(abs(x), decimals_of(x))
    return shown if shown.strip("0.,") == "" else ("+" if x > 0 else "-") + shown
