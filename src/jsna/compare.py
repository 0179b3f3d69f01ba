"""Fingertips-style comparisons: significance, goals (RAG), ranks and recent trends.

Labels are plain text so that significance is never carried by colour alone:

* :func:`compare` - "Better" / "Similar" / "Worse" (indicators with polarity),
  "Higher" / "Similar" / "Lower" (``no_judgement``), "Not compared";
* :func:`benchmark_rag` - "Red" / "Amber" / "Green" against fixed goals;
* :func:`neighbour_rank` - rank among nearest neighbours (``(3, 16)``, worded by jsna.text);
* :func:`recent_trend` - the Fingertips recent-trend marker.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import stats as _st

from jsna.stats import _align, _as_array, _check_conf

__all__ = [
    "POLARITIES",
    "VALUE_TYPES",
    "TREND_LABELS",
    "compare",
    "benchmark_rag",
    "neighbour_rank",
    "recent_trend",
    "chi_square_trend",
]

POLARITIES = ("higher_is_better", "lower_is_better", "no_judgement")
VALUE_TYPES = ("proportion", "crude_rate", "dsr", "ratio", "count", "mean")
TREND_LABELS = (
    "Increasing and getting better",
    "Increasing and getting worse",
    "Decreasing and getting better",
    "Decreasing and getting worse",
    "Increasing",
    "Decreasing",
    "No significant change",
    "Cannot be calculated",
)
#: Number of most recent points used by the recent-trend test.
TREND_POINTS = 5
#: Confidence level at which a recent trend is called significant.
TREND_CONF = 0.998


def _check_polarity(polarity: str) -> str:
    if polarity not in POLARITIES:
        raise ValueError(f"polarity: must be one of {POLARITIES}, got {polarity!r}")
    return polarity


# --------------------------------------------------------------------------
# significance against a comparator value
# --------------------------------------------------------------------------

def compare(
    value: Any,
    lower: Any,
    upper: Any,
    comparator: Any,
    polarity: str = "no_judgement",
    conf: float = 0.95,
) -> pd.Series:
    """Fingertips significance of an area's interval against a comparator value.

    The area is significantly higher when its lower limit is above the
    comparator and significantly lower when its upper limit is below it; a
    comparator inside (or on) the interval is "Similar". With polarity the
    labels are "Better" / "Worse"; for ``no_judgement`` they are "Higher" /
    "Lower". A missing value, bound or comparator gives "Not compared".
    `conf` records the level the limits were computed at (0.95 or 0.998) and
    names the returned Series (``significance_95`` / ``significance_99.8``).
    """
    _check_conf(conf)
    _check_polarity(polarity)
    (v, lo, hi, comp), index = _align(value=value, lower=lower, upper=upper,
                                      comparator=comparator)
    with np.errstate(invalid="ignore"):
        bad = lo > hi
    if bad.any():
        row = index[int(np.flatnonzero(bad)[0])]
        raise ValueError(f"lower: lower limit above upper limit at row {row!r}")
    missing = np.isnan(v) | np.isnan(lo) | np.isnan(hi) | np.isnan(comp)
    with np.errstate(invalid="ignore"):
        higher = lo > comp
        lower_ = hi < comp
    up, down = {"higher_is_better": ("Better", "Worse"),
                "lower_is_better": ("Worse", "Better"),
                "no_judgement": ("Higher", "Lower")}[polarity]
    labels = np.where(higher, up, np.where(lower_, down, "Similar")).astype(object)
    labels[missing] = "Not compared"
    name = f"significance_{conf * 100:g}"
    return pd.Series(labels, index=index, name=name, dtype=object)


# --------------------------------------------------------------------------
# fixed goals
# --------------------------------------------------------------------------

def benchmark_rag(
    value: Any,
    lower_goal: float = 90.0,
    upper_goal: float = 95.0,
    polarity: str = "higher_is_better",
) -> pd.Series:
    """Compare values against fixed goals (Fingertips "benchmark goal").

    Higher is better (default; e.g. vaccination coverage, goals 90 and 95):
    value < lower_goal -> "Red"; lower_goal <= value < upper_goal -> "Amber";
    value >= upper_goal -> "Green". Lower is better: value <= lower_goal ->
    "Green"; lower_goal < value <= upper_goal -> "Amber"; above -> "Red".
    Missing values give "Not compared".
    """
    if polarity not in ("higher_is_better", "lower_is_better"):
        raise ValueError(
            f"polarity: goals need 'higher_is_better' or 'lower_is_better', got {polarity!r}"
        )
    try:
        lg, ug = float(lower_goal), float(upper_goal)
    except (TypeError, ValueError):
        raise ValueError("lower_goal/upper_goal: goals must be numbers") from None
    if not lg <= ug:
        raise ValueError(f"lower_goal: {lg:g} must not exceed upper_goal {ug:g}")
    v, index = _as_array(value, "value")
    index = index if index is not None else pd.RangeIndex(v.size)
    with np.errstate(invalid="ignore"):
        if polarity == "higher_is_better":
            labels = np.where(v < lg, "Red", np.where(v < ug, "Amber", "Green"))
        else:
            labels = np.where(v <= lg, "Green", np.where(v <= ug, "Amber", "Red"))
    labels = labels.astype(object)
    labels[np.isnan(v)] = "Not compared"
    return pd.Series(labels, index=index, name="rag", dtype=object)


# --------------------------------------------------------------------------
# nearest-neighbour rank
# --------------------------------------------------------------------------

def neighbour_rank(
    values: pd.Series | dict,
    area: Any,
    polarity: str = "no_judgement",
) -> tuple[int, int]:
    """Rank of `area` among its neighbours (`values` keyed by area, area included).

    Rank 1 is the best value (highest for ``higher_is_better``, lowest for
    ``lower_is_better``) or the highest value for ``no_judgement``; ties share
    the best rank. Missing values are excluded from the count.
    Returns ``(rank, total)``; :func:`jsna.text.rank_phrase` words it ("3rd of 16").
    """
    _check_polarity(polarity)
    s = pd.Series(values, dtype="float64").dropna()
    if area not in s.index:
        raise ValueError(f"area: {area!r} not found among the values with data")
    ascending = polarity == "lower_is_better"
    ranks = s.rank(method="min", ascending=ascending)
    rank, total = int(ranks[area]), int(s.size)
    return rank, total


# --------------------------------------------------------------------------
# recent trend
# --------------------------------------------------------------------------

def chi_square_trend(x: Sequence[float], n: Sequence[float]) -> tuple[float, float, float]:
    """Chi-square test for linear trend in proportions (Armitage), scores 1..k.

    Returns ``(statistic, p_value, direction)`` where direction is the sign of
    the trend (+1 increasing, -1 decreasing, 0 flat).
    """
    xa = np.asarray(x, dtype="float64")
    na = np.asarray(n, dtype="float64")
    t = np.arange(1, xa.size + 1, dtype="float64")
    total_x, total_n = xa.sum(), na.sum()
    pbar = total_x / total_n
    stat_t = (xa * t).sum() - pbar * (na * t).sum()
    var = pbar * (1.0 - pbar) * ((na * t * t).sum() - (na * t).sum() ** 2 / total_n)
    if not var > 0:
        return 0.0, 1.0, 0.0
    chi2 = stat_t * stat_t / var
    return float(chi2), float(_st.chi2.sf(chi2, 1)), float(np.sign(stat_t))


def _weighted_slope_test(value: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                         ci_conf: float) -> tuple[float, float]:
    """Inverse-variance weighted regression of value on time (scores 1..k).

    Standard errors come from the published limits: (upper - lower) / (2 z).
    Returns ``(p_value, direction)``.
    """
    z = _st.norm.ppf(0.5 + ci_conf / 2.0)
    se = (upper - lower) / (2.0 * z)
    if np.any(~(se > 0)):
        return np.nan, 0.0
    w = 1.0 / (se * se)
    t = np.arange(1, value.size + 1, dtype="float64")
    tbar = (w * t).sum() / w.sum()
    sxx = (w * (t - tbar) ** 2).sum()
    slope = (w * (t - tbar) * value).sum() / sxx
    se_slope = np.sqrt(1.0 / sxx)
    p = 2.0 * _st.norm.sf(abs(slope / se_slope))
    return float(p), float(np.sign(slope))


def _trend_label(direction: float, polarity: str) -> str:
    word = "Increasing" if direction > 0 else "Decreasing"
    if polarity == "no_judgement":
        return word
    better = (direction > 0) == (polarity == "higher_is_better")
    return f"{word} and getting {'better' if better else 'worse'}"


def _trend_test(last: pd.DataFrame, value_type: str, cols: dict,
                ci_conf: float) -> tuple[float, float]:
    """``(p_value, direction)`` of the trend test for these points (NaN p: cannot test)."""
    if value_type == "proportion":
        x = last[cols["count"]].to_numpy(dtype="float64")
        n = last[cols["denominator"]].to_numpy(dtype="float64")
        if np.isnan(x).any() or np.isnan(n).any() or np.any(n <= 0):
            return np.nan, 0.0
        _, p, direction = chi_square_trend(x, n)
        return p, direction
    v = last[cols["value"]].to_numpy(dtype="float64")
    lo = last[cols["lower"]].to_numpy(dtype="float64")
    hi = last[cols["upper"]].to_numpy(dtype="float64")
    if np.isnan(v).any() or np.isnan(lo).any() or np.isnan(hi).any():
        return np.nan, 0.0
    return _weighted_slope_test(v, lo, hi, ci_conf)


def _trend_one(g: pd.DataFrame, value_type: str, polarity: str, cols: dict,
               overlapping: bool, ci_conf: float, trend_conf: float) -> str:
    if overlapping or len(g) < TREND_POINTS:
        return "Cannot be calculated"
    last = g.iloc[-TREND_POINTS:]
    p, direction = _trend_test(last, value_type, cols, ci_conf)
    if np.isnan(p):
        return "Cannot be calculated"
    if not (p < 1.0 - trend_conf and direction != 0):
        return "No significant change"
    # Fingertips' outlier rule: a significant trend stands only if leaving out any
    # one of the five points leaves a gradient with the same sign
    for drop in range(TREND_POINTS):
        _, sub_direction = _trend_test(last.drop(last.index[drop]), value_type, cols, ci_conf)
        if sub_direction != direction:
            return "No significant change"
    return _trend_label(direction, polarity)


def recent_trend(
    df: pd.DataFrame,
    value_type: str = "proportion",
    polarity: str = "no_judgement",
    *,
    count: str = "count",
    denominator: str = "denominator",
    value: str = "value",
    lower: str = "lower",
    upper: str = "upper",
    period: str | None = None,
    by: str | Sequence[str] | None = None,
    overlapping: bool = False,
    ci_conf: float = 0.95,
    conf: float = TREND_CONF,
) -> str | pd.Series:
    """Fingertips recent-trend marker over the latest five points.

    Follows OHID's "Fingertips trend markers" guidance. Rows are taken in
    order (sorted by `period` when given), per `by` group, and the latest five
    are tested. Proportions use the chi-square test for trend on
    `count`/`denominator`; other value types use an inverse-variance weighted
    regression on `value` with standard errors from the `lower`/`upper` limits
    (at `ci_conf`). A trend significant at `conf` (99.8%, chi-square above
    9.5495) is reported only if the gradient keeps its sign whenever any one
    of the five points is left out; otherwise a single outlying point is
    driving it and the marker is "No significant change". Fewer than five
    points, a missing point among the latest five, or overlapping periods
    (``overlapping=True``, e.g. rolling three-year averages) give
    "Cannot be calculated". Returns one label, or a Series per group.
    """
    _check_conf(conf)
    _check_conf(ci_conf)
    _check_polarity(polarity)
    if value_type not in VALUE_TYPES:
        raise ValueError(f"value_type: must be one of {VALUE_TYPES}, got {value_type!r}")
    cols = {"count": count, "denominator": denominator, "value": value,
            "lower": lower, "upper": upper}
    needed = [count, denominator] if value_type == "proportion" else [value, lower, upper]
    by_cols = [] if by is None else ([by] if isinstance(by, str) else list(by))
    missing = [c for c in needed + by_cols + ([period] if period else []) if c not in df.columns]
    if missing:
        raise ValueError(f"df: column(s) {missing} not found")
    data = df.sort_values(period, kind="stable") if period else df
    if value_type == "proportion":
        with np.errstate(invalid="ignore"):
            bad = (data[count].to_numpy(dtype="float64") >
                   data[denominator].to_numpy(dtype="float64"))
        if bad.any():
            raise ValueError(f"{count}: numerator greater than denominator at row "
                             f"{data.index[int(np.flatnonzero(bad)[0])]!r}")
    args = (value_type, polarity, cols, overlapping, ci_conf, conf)
    if not by_cols:
        return _trend_one(data, *args)
    result = {key: _trend_one(g, *args)
              for key, g in data.groupby(by_cols if len(by_cols) > 1 else by_cols[0],
                                         sort=False)}
    return pd.Series(result, name="recent_trend", dtype=object)
