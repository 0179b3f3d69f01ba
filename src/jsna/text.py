"""Plain-English formatting and wording helpers for generated prose and alt text.

Chapter notebooks call the number formatters (`format_number`, `format_value`,
`ordinal`); the wording helpers turn labels produced by `jsna.compare` into
sentences ("significantly worse than England", "similar to England").
"""

from __future__ import annotations

import math
from typing import Any, Sequence

__all__ = [
    "NOT_AVAILABLE",
    "format_number",
    "format_value",
    "format_ci",
    "ordinal",
    "rank_phrase",
    "significance_phrase",
    "trend_phrase",
    "rag_phrase",
    "value_sentence",
]

NOT_AVAILABLE = "not available"


def _is_missing(x: Any) -> bool:
    """True for None, NaN, pandas NA/NaT and similar missing markers."""
    if x is None:
        return True
    try:
        return bool(x != x)  # NaN and pd.NA-like values are not equal to themselves
    except (TypeError, ValueError):
        try:
            import pandas as pd

            return bool(pd.isna(x))
        except Exception:  # pragma: no cover - defensive
            return False


def format_number(x: float, decimals: int = 0) -> str:
    """Format with thousands separators and fixed decimals: 734000 -> "734,000".

    Missing values (None/NaN) become "not available".
    """
    if _is_missing(x):
        return NOT_AVAILABLE
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0, got {decimals!r}")
    value = float(x)
    if math.isinf(value):
        return NOT_AVAILABLE
    text = f"{value:,.{decimals}f}"
    # avoid "-0" / "-0.0" after rounding
    if text.lstrip("-").strip("0.,") == "" and text.startswith("-"):
        text = text[1:]
    return text


def count_of(n: int, noun: str, plural: str | None = None) -> str:
    """ "1 error", "2 errors", "0 rows": a count with its noun in the right number."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def decimals_for(*values: object, default: int = 1) -> int:
    """Decimals to show a set of values at the precision they were published with: 0 when every
    value is a whole number (a rate published as 169 is not shown as "169.0"), else `default`."""
    numbers = [float(v) for group in values for v in (group if hasattr(group, "__iter__") and not isinstance(group, str) else [group])
               if not _is_missing(v)]
    finite = [v for v in numbers if math.isfinite(v)]
    return 0 if finite and all(v == round(v) for v in finite) else default


def format_value(value: float, unit: str, decimals: int = 1) -> str:
    """Format a value with its unit.

    "%" -> "7.4%"; "per 100,000" (any "per ...") -> "123.4 per 100,000";
    "£" -> "£48,748,385" (currency is shown in whole pounds unless decimals are
    given explicitly for a non-default value); other units are appended after a
    space ("12.0 years"); an empty unit gives the bare number.
    """
    if _is_missing(value):
        return NOT_AVAILABLE
    unit = (unit or "").strip()
    if unit == "%":
        return f"{format_number(value, decimals)}%"
    if unit in {"£", "GBP", "gbp"}:
        # money: whole pounds by default (decimals=1 is the generic default)
        dec = 0 if decimals == 1 else decimals
        number = format_number(abs(float(value)), dec)
        return f"-£{number}" if float(value) < 0 and number.strip("0.,") else f"£{number}"
    if unit == "":
        return format_number(value, decimals)
    return f"{format_number(value, decimals)} {unit}"


def format_ci(lower: float, upper: float, unit: str = "", decimals: int = 1) -> str:
    """Format a confidence interval: "95% CI 7.1% to 7.8%" style body ("7.1% to 7.8%")."""
    if _is_missing(lower) or _is_missing(upper):
        return NOT_AVAILABLE
    return f"{format_value(lower, unit, decimals)} to {format_value(upper, unit, decimals)}"


def ordinal(n: int) -> str:
    """English ordinal: 1 -> "1st", 2 -> "2nd", 3 -> "3rd", 11 -> "11th", 22 -> "22nd"."""
    if _is_missing(n):
        return NOT_AVAILABLE
    n = int(n)
    if 10 <= abs(n) % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(abs(n) % 10, "th")
    return f"{n}{suffix}"


def rank_phrase(rank: int, total: int) -> str:
    """"3rd of 16"; "not available" when either part is missing."""
    if _is_missing(rank) or _is_missing(total):
        return NOT_AVAILABLE
    return f"{ordinal(rank)} of {int(total)}"


_SIGNIFICANCE = {
    "better": "significantly better than {c}",
    "worse": "significantly worse than {c}",
    "higher": "significantly higher than {c}",
    "lower": "significantly lower than {c}",
    "similar": "similar to {c}",
    "not compared": "not compared with {c}",
}


def significance_phrase(label: str, comparator_name: str) -> str:
    """Turn a comparison label into prose.

    "Worse", "England" -> "significantly worse than England"; "Similar" ->
    "similar to England"; "Higher" -> "significantly higher than England";
    "Not compared" (or missing) -> "not compared with England".
    Labels are matched case-insensitively; an unknown label raises ValueError.
    """
    if _is_missing(label):
        key = "not compared"
    else:
        key = str(label).strip().lower()
    if key not in _SIGNIFICANCE:
        raise ValueError(
            f"label: unknown comparison label {label!r}; expected one of "
            "Better, Similar, Worse, Higher, Lower, Not compared"
        )
    return _SIGNIFICANCE[key].format(c=comparator_name)


def trend_phrase(label: str, subject: str | None = None) -> str:
    """Turn a recent-trend label into prose.

    "Increasing and getting worse" -> "increasing and getting worse";
    "No significant change" -> "no significant change";
    "Cannot be calculated" -> "a trend cannot be calculated".
    With `subject` ("the rate") a sentence fragment is returned:
    "the rate is increasing and getting worse", "the rate shows no significant
    change", "a trend cannot be calculated for the rate".
    """
    if _is_missing(label):
        label = "Cannot be calculated"
    text = str(label).strip()
    low = text.lower()
    if low.startswith("cannot be calculated"):
        return "a trend cannot be calculated" + (f" for {subject}" if subject else "")
    if low.startswith("no significant change"):
        return f"{subject} shows no significant change" if subject else "no significant change"
    if low.startswith(("increasing", "decreasing")):
        return f"{subject} is {low}" if subject else low
    raise ValueError(f"label: unknown trend label {label!r}")


# worded without "above"/"below" so that they read true for goals where lower is better
_RAG = {"green": "meets the goal", "amber": "is close to the goal but does not meet it",
        "red": "does not meet the goal", "not compared": "cannot be compared with the goal"}


def rag_phrase(rag: str, goal_text: str | None = None) -> str:
    """Prose for a benchmark RAG rating: "Green" -> "meets the goal (95%)";
    "Red" -> "does not meet the goal", whichever direction the goal faces."""
    key = "not compared" if _is_missing(rag) else str(rag).strip().lower()
    if key not in _RAG:
        raise ValueError(f"rag: unknown rating {rag!r}; expected Red, Amber, Green or Not compared")
    phrase = _RAG[key]
    return f"{phrase} ({goal_text})" if goal_text else phrase


def value_sentence(
    area: str,
    indicator: str,
    value: float,
    unit: str,
    label: str | None = None,
    comparator_name: str = "England",
    decimals: int = 1,
) -> str:
    """One-sentence summary for prose / alt text.

    e.g. "In Leicester, smoking prevalence was 17.1%, significantly worse than
    England."
    """
    head = f"In {area}, {indicator} was {format_value(value, unit, decimals)}"
    if label is None:
        return head + "."
    return f"{head}, {significance_phrase(label, comparator_name)}."


def common_prefix(titles: list[str]) -> str:
    """The words that every title starts with ("Life expectancy at birth (male)", "... (female)"
    -> "Life expectancy at birth"); empty when they share none."""
    if not titles:
        return ""
    split = [t.split() for t in titles]
    common = []
    for words in zip(*split):
        if len(set(words)) != 1:
            break
        common.append(words[0])
    return " ".join(common)


#: Table words of the indicator engine's comparison categories (jsna.engine): a judgement by
#: polarity where there is one, else the direction ("higher"/"lower") of the difference.
COMPARISON_WORDS = {"better": "Better", "worse": "Worse", "similar": "Similar", "same": "Same",
                    "not_compared": "Not compared", "higher": "Higher", "lower": "Lower"}
#: The Fingertips recent-trend wording of the engine's trend categories.
TREND_WORDS = {
    "increasing_better": "Increasing and getting better", "increasing_worse": "Increasing and getting worse",
    "decreasing_better": "Decreasing and getting better", "decreasing_worse": "Decreasing and getting worse",
    "increasing": "Increasing", "decreasing": "Decreasing", "no_change": "No significant change",
    "cannot_calculate": "Cannot be calculated",
}


def comparison_label(judgement: str, side: str) -> str:
    """The table word of one comparison: "Better"/"Worse"/"Similar"/"Same" from the judgement, or
    "Higher"/"Lower" (`side`) where the indicator has no polarity; "Not compared" otherwise."""
    if judgement == "not_judged":
        return COMPARISON_WORDS.get(side, "Not compared")
    return COMPARISON_WORDS.get(judgement, "Not compared")


def listing(items: Sequence[str]) -> str:
    """Items as prose lists them: "A", "A and B", "A, B and C"."""
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)
