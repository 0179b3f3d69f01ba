"""Tests for jsna.text (formatting and plain-English wording)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jsna import text
from jsna.compare import benchmark_rag
from jsna.text import (format_ci, format_number, format_value, ordinal, rag_phrase,
                       rank_phrase, significance_phrase, trend_phrase, value_sentence)


def test_format_number():
    assert format_number(734000) == "734,000"
    assert format_number(7.44, 1) == "7.4"
    assert format_number(1234567.891, 2) == "1,234,567.89"
    assert format_number(float("nan")) == "not available"
    assert format_number(None) == "not available"
    assert format_number(np.float64(-0.04), 1) == "0.0"


def test_format_value():
    assert format_value(7.44, "%") == "7.4%"
    assert format_value(123.44, "per 100,000") == "123.4 per 100,000"
    assert format_value(48748385, "£") == "£48,748,385"
    assert format_value(12, "years", 0) == "12 years"
    assert format_value(math.nan, "%") == "not available"
    assert format_ci(7.12, 7.81, "%") == "7.1% to 7.8%"


def test_ordinal_and_rank():
    assert [ordinal(i) for i in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == \
        ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
         "101st", "111th"]
    # JHWS dashboard prints nearest-neighbour ranks as "13/16" (seed 003 L649)
    assert rank_phrase(13, 16) == "13th of 16"
    assert rank_phrase(3, 16) == "3rd of 16"


def test_significance_phrase():
    assert significance_phrase("Worse", "England") == "significantly worse than England"
    assert significance_phrase("Better", "England") == "significantly better than England"
    assert significance_phrase("Similar", "England") == "similar to England"
    assert significance_phrase("Higher", "England") == "significantly higher than England"
    assert significance_phrase("Lower", "the East Midlands") == \
        "significantly lower than the East Midlands"
    assert significance_phrase("Not compared", "England") == "not compared with England"
    assert significance_phrase(float("nan"), "England") == "not compared with England"
    with pytest.raises(ValueError, match="label"):
        significance_phrase("Great", "England")


def test_trend_and_rag_phrases():
    assert trend_phrase("Increasing and getting worse") == "increasing and getting worse"
    assert trend_phrase("Decreasing and getting better", "the rate") == \
        "the rate is decreasing and getting better"
    assert trend_phrase("No significant change", "coverage") == \
        "coverage shows no significant change"
    assert trend_phrase("Cannot be calculated") == "a trend cannot be calculated"
    assert rag_phrase("Green", "95%") == "meets the goal (95%)"
    # a goal where lower is better: red is above it, and the words must not say "below"
    red = benchmark_rag(60, 25, 50, polarity="lower_is_better").iloc[0]
    assert rag_phrase(red, "50 or fewer") == "does not meet the goal (50 or fewer)"
    assert rag_phrase("Amber") == "is close to the goal but does not meet it"
    with pytest.raises(ValueError):
        trend_phrase("Sideways")


def test_value_sentence():
    assert value_sentence("Leicestershire", "breast screening coverage", 73.0, "%",
                          "Better") == \
        "In Leicestershire, breast screening coverage was 73.0%, significantly better than England."


def test_decimals_for_keeps_published_precision():
    assert text.decimals_for([1469.0, 1661.0]) == 0
    assert text.decimals_for([86.2, 87.0]) == 1
    assert text.decimals_for([float("nan"), 3.0], [None]) == 0
    assert text.decimals_for([], default=2) == 2
    assert text.decimals_for(12.5, default=2) == 2


def test_count_of_agrees_in_number():
    assert text.count_of(1, "error") == "1 error"
    assert text.count_of(0, "warning") == "0 warnings"
    assert text.count_of(2_450, "row") == "2,450 rows"
    assert text.count_of(2, "child", "children") == "2 children"
