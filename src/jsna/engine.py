"""The indicator engine: every comparison, rank, range and recent trend in one vectorised pass.

Two functions compute the statistics layer that chapters and charts only read. Both return
categories (the machine codes in the vocabularies below), never sentences: wording lives in
:mod:`jsna.text`.

``evaluate(values, meta, comparators, peers=None)``
    One row per (indicator_id, area_code, period, sex, age, role) for every row of `values`
    with a value, in the order of `values` and, within a row, of `comparators`. An area with
    no comparator gets one row with role :data:`NO_ROLE`, so no value is dropped.

    * `values`: indicator_id, area_code, period, sex, age, value, lower_ci95, upper_ci95;
      optional lower_ci99_8, upper_ci99_8 (NaN where not published). One row per key.
    * `meta`: indicator_id, polarity (one of :data:`jsna.compare.POLARITIES`).
    * `comparators`: area_code, comparator_code, role (e.g. "national", "region",
      "parent"); an area may have several roles, each once.
    * `peers`: area_code, group: areas ranked and summarised together (each area in at most
      one group; the area itself counts among its peers).

    Columns: the five key columns (dtype as given), value, lower_ci95, upper_ci95, role,
    comparator_code, comparator_value, difference (value - comparator), relative_difference
    (difference / abs(comparator)), direction (:data:`DIRECTIONS`), direction_judgement
    (:data:`DIRECTION_JUDGEMENTS`, from the direction alone: what an untested row may say),
    tested (95% limits and comparator value present), significance and significance_99_8
    (:data:`SIGNIFICANCE`), judgement and judgement_99_8 (:data:`JUDGEMENTS`), z (signed
    distance from the comparator in standard errors implied by the 95% interval; NaN when
    untested or the interval has no width), and the peer statistics of the area's group for the
    same indicator, period, sex and age: group, n_peers (areas with a value; 0 without a
    group), rank (1 = highest value), rank_best (1 = best; NaN for ``no_judgement``), min,
    q25, median, q75, max (``numpy.percentile``'s default linear method, bit for bit),
    worst, best (``no_judgement``: min and max) and decile (PHE quantile method as
    :func:`jsna.stats.quantiles`: 1 = worst, or highest for ``no_judgement``; NaN under
    10 peers). Tied values share the lowest rank. Categorical columns are pandas categoricals.

``trends(values, meta, *, period_key=None, overlapping=None)``
    One row per (indicator_id, area_code, sex, age) series in `values` (count and denominator
    optional; `meta` adds value_type): trend (:data:`TRENDS`), method (:data:`TREND_METHODS`),
    p_value, direction (sign of the gradient over the five points; 0 when flat or not
    calculated), points (periods with a value) and latest_period. The decisions are
    :func:`jsna.compare.recent_trend`'s, step for step: the latest five periods (ordered by
    `period_key` applied to the labels; default the labels); the chi-square test for trend on
    count/denominator for a proportion whose five points all have a count and a positive
    denominator, otherwise the inverse-variance weighted slope on the 95% limits (a proportion
    without usable counts falls back to it, as the chapters did); significant at 99.8% only
    if leaving out any one of the five points keeps the gradient's sign. "cannot_calculate":
    fewer than five periods, a missing value or limit among the five (for the slope), a
    zero-width or inverted interval, or a period among the five for which
    `overlapping(label)` is true (rolling averages).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd
from scipy import stats as _st

from jsna.compare import POLARITIES, TREND_CONF, TREND_POINTS
from jsna.stats import z_value

__all__ = [
    "KEY",
    "SERIES",
    "NO_ROLE",
    "DIRECTIONS",
    "DIRECTION_JUDGEMENTS",
    "SIGNIFICANCE",
    "JUDGEMENTS",
    "TRENDS",
    "TREND_METHODS",
    "evaluate",
    "trends",
]

#: The key of one published value.
KEY = ("indicator_id", "area_code", "period", "sex", "age")
#: The key of one time series (a recent trend).
SERIES = ("indicator_id", "area_code", "sex", "age")
#: The role of the single row given to an area that has no comparator.
NO_ROLE = "none"
#: Sign of value - comparator.
DIRECTIONS = ("higher", "lower", "same", "not_compared")
#: What the direction alone says by polarity ("not_judged": ``no_judgement`` and a difference).
DIRECTION_JUDGEMENTS = ("better", "worse", "same", "not_judged", "not_compared")
#: The interval against the comparator: significantly higher, lower, or overlapping it.
SIGNIFICANCE = ("higher", "lower", "similar", "not_tested", "not_compared")
#: Significance by polarity ("not_judged": significant but ``no_judgement``).
JUDGEMENTS = ("better", "worse", "similar", "not_judged", "not_tested", "not_compared")
#: Recent-trend categories, in the order of :data:`jsna.compare.TREND_LABELS`.
TRENDS = ("increasing_better", "increasing_worse", "decreasing_better", "decreasing_worse",
          "increasing", "decreasing", "no_change", "cannot_calculate")
#: The test behind a trend ("none": no test could be run).
TREND_METHODS = ("chi_square", "weighted_regression", "none")

_CELL = ("indicator_id", "period", "sex", "age")
_HIB, _LIB, _NJ = (POLARITIES.index(p) for p in ("higher_is_better", "lower_is_better", "no_judgement"))
_QUARTILES = {"q25": 0.25, "median": 0.5, "q75": 0.75}
_DECILES = 10


# --------------------------------------------------------------------------- input


def _require(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    """Raise ValueError naming the columns of `columns` that `frame` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: column(s) {missing} not found")


def _floats(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as float64 with NaN for missing; all NaN when the column is absent."""
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column]).to_numpy(dtype="float64", na_value=np.nan)


def _codes(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[np.ndarray, list[pd.Index]]:
    """One int64 code per distinct combination of `columns` (mixed radix), and each column's labels."""
    combined = np.zeros(len(frame), dtype="int64")
    labels = []
    for column in columns:
        codes, uniques = pd.factorize(frame[column], use_na_sentinel=False)
        combined = combined * max(len(uniques), 1) + codes
        labels.append(pd.Index(uniques))
    return combined, labels


def _where(values: pd.DataFrame, row: int) -> str:
    """"indicator 'X', area 'Y', period 'Z', sex 'S', age 'A'" for one row, for error messages."""
    r = values.iloc[row]
    return ", ".join(f"{c.split('_')[0]} {r[c]!r}" for c in KEY)


def _check_interval(values: pd.DataFrame, lower: np.ndarray, upper: np.ndarray, level: str) -> None:
    """Raise ValueError at the first row whose lower limit is above its upper limit."""
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero(lower > upper)
    if bad.size:
        raise ValueError(f"lower_ci{level}: lower limit above upper limit at {_where(values, int(bad[0]))}")


def _check_unique(values: pd.DataFrame, key: np.ndarray) -> None:
    """Raise ValueError at the first repeated key (each value is published once)."""
    dup = np.flatnonzero(pd.Index(key).duplicated())
    if dup.size:
        raise ValueError(f"values: more than one row for {_where(values, int(dup[0]))}")


def _meta_column(values: pd.DataFrame, meta: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Indicator code of each row of `values`, and `meta[column]` per indicator code."""
    _require(meta, ["indicator_id", column], "meta")
    if meta["indicator_id"].duplicated().any():
        raise ValueError("meta: more than one row for an indicator")
    codes, uniques = pd.factorize(values["indicator_id"])
    at = pd.Index(meta["indicator_id"]).get_indexer(uniques)
    if (at < 0).any():
        raise ValueError(f"meta: no row for indicator(s) {list(uniques[at < 0])}")
    return codes, meta[column].to_numpy(dtype=object)[at]


def _polarity_codes(values: pd.DataFrame, meta: pd.DataFrame) -> np.ndarray:
    """Index into POLARITIES of each row's polarity."""
    codes, polarity = _meta_column(values, meta, "polarity")
    known = pd.Index(POLARITIES).get_indexer(polarity)
    if (known < 0).any():
        raise ValueError(f"meta: polarity must be one of {POLARITIES}, got {sorted(map(str, polarity[known < 0]))}")
    return known.astype("int8")[codes]


# --------------------------------------------------------------------------- comparisons


def _expand(area: np.ndarray, comp_area: np.ndarray, n_areas: int) -> tuple[np.ndarray, np.ndarray]:
    """Pair each row with each comparator row of its area (-1: none, one row kept).

    Returns (row index, comparator row index) per output row, rows in order and comparators
    in the order given.
    """
    order = np.argsort(comp_area, kind="stable")
    per_area = np.bincount(comp_area, minlength=n_areas)
    k = per_area[area]
    reps = np.maximum(k, 1)
    rows = np.repeat(np.arange(area.size), reps)
    within = np.arange(rows.size) - np.repeat(np.cumsum(reps) - reps, reps)
    has = k[rows] > 0
    comp = np.full(rows.size, -1, dtype="int64")
    comp[has] = order[(np.cumsum(per_area) - per_area)[area[rows[has]]] + within[has]]
    return rows, comp


def _select(vocab: Sequence[str], cases: Sequence[tuple[np.ndarray, str]], default: str) -> np.ndarray:
    """Codes into `vocab`: per element the name of the first true case, else `default`."""
    return np.select([mask for mask, _ in cases], [vocab.index(name) for _, name in cases],
                     vocab.index(default)).astype("int8")


def _judged(vocab: Sequence[str], higher: np.ndarray, lower: np.ndarray, polarity: np.ndarray,
            first: Sequence[tuple[np.ndarray, str]]) -> np.ndarray:
    """Codes into `vocab`: the `first` cases, then a higher or lower value judged by polarity
    ("not_judged" for no_judgement, else "better" / "worse")."""
    hib = polarity == _HIB
    return _select(vocab, [*first, (polarity == _NJ, "not_judged"),
                           (np.where(hib, higher, lower), "better")], "worse")


def _direction(difference: np.ndarray) -> np.ndarray:
    """Codes into DIRECTIONS of the sign of value - comparator."""
    return _select(DIRECTIONS, [(difference > 0, "higher"), (difference < 0, "lower"),
                                (difference == 0, "same")], "not_compared")


def _direction_judgement(direction: np.ndarray, polarity: np.ndarray) -> np.ndarray:
    """Codes into DIRECTION_JUDGEMENTS from DIRECTIONS codes and polarity codes."""
    named = {name: direction == DIRECTIONS.index(name) for name in DIRECTIONS}
    return _judged(DIRECTION_JUDGEMENTS, named["higher"], named["lower"], polarity,
                   [(named["same"], "same"), (named["not_compared"], "not_compared")])


def _significance(lower: np.ndarray, upper: np.ndarray, comparator: np.ndarray) -> np.ndarray:
    """Codes into SIGNIFICANCE: the interval wholly above, wholly below, or around the comparator
    (a comparator on a limit is inside, as in Fingertips)."""
    return _select(SIGNIFICANCE, [(np.isnan(comparator), "not_compared"),
                                  (np.isnan(lower) | np.isnan(upper), "not_tested"),
                                  (lower > comparator, "higher"), (upper < comparator, "lower")], "similar")


def _judgement(significance: np.ndarray, polarity: np.ndarray) -> np.ndarray:
    """Codes into JUDGEMENTS from SIGNIFICANCE codes and polarity codes."""
    named = {name: significance == SIGNIFICANCE.index(name) for name in SIGNIFICANCE}
    return _judged(JUDGEMENTS, named["higher"], named["lower"], polarity,
                   [(named[name], name) for name in ("similar", "not_tested", "not_compared")])


def _categorical(codes: np.ndarray, categories: Sequence[Any]) -> pd.Categorical:
    """A categorical from codes (-1 = missing) and its categories."""
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories), dtype=object))


# --------------------------------------------------------------------------- peers


def _runs(new: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last position of the run each position belongs to (`new` marks run starts)."""
    pos = np.arange(new.size)
    first = np.maximum.accumulate(np.where(new, pos, 0))
    end = np.append(new[1:], True)
    last = np.minimum.accumulate(np.where(end, pos, new.size)[::-1])[::-1]
    return first, last


def _percentile(sorted_v: np.ndarray, start: np.ndarray, n: np.ndarray, q: float) -> np.ndarray:
    """numpy's linear percentile of each run of `sorted_v`, step for step as numpy computes it."""
    h = n * q + (1 - q) - 1
    prev = np.floor(h)
    gamma = h - prev
    above = h >= n - 1
    a = sorted_v[start + np.where(above, n - 1, prev).astype("int64")]
    b = sorted_v[start + np.where(above, n - 1, prev + 1).astype("int64")]
    diff = b - a
    return np.where(gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma)


def _decile(rank_worst_first: np.ndarray, n: np.ndarray) -> np.ndarray:
    """PHE quantile method (as jsna.stats.quantiles): decile 1 holds rank 1; NaN under 10 areas.
    (Its rule moving decile 0 to 1 never applies here: rank 1 of N >= 10 gives decile 1.)"""
    q = np.floor((_DECILES + 1) - np.ceil(((n + 1) - rank_worst_first) / (n / _DECILES)))
    return np.where(n < _DECILES, np.nan, q)


def _sorted_peer_stats(sv: np.ndarray, new_set: np.ndarray, pol: np.ndarray) -> dict[str, np.ndarray]:
    """Peer statistics of each position of `sv`, values sorted within peer sets that start
    where `new_set` is true; `pol` the polarity code of each position."""
    start, end = _runs(new_set)
    n = end - start + 1
    first, last = _runs(new_set | np.append(True, sv[1:] != sv[:-1]))
    rank_asc = (first - start + 1).astype("float64")
    rank_desc = (end - last + 1).astype("float64")
    low, high = sv[start], sv[end]
    return {
        "n_peers": n,
        "rank": rank_desc,
        "rank_best": np.select([pol == _HIB, pol == _LIB], [rank_desc, rank_asc], np.nan),
        "min": low,
        **{name: _percentile(sv, start, n, q) for name, q in _QUARTILES.items()},
        "max": high,
        "worst": np.where(pol == _LIB, high, low),
        "best": np.where(pol == _LIB, low, high),
        "decile": _decile(np.where(pol == _HIB, rank_asc, rank_desc), n),
    }


def _peer_stats(cell: np.ndarray, group: np.ndarray, value: np.ndarray,
                polarity: np.ndarray) -> dict[str, np.ndarray]:
    """Peer statistics of each row: rows with a value and a group are sorted by (cell, group,
    value) and each (cell, group) run is a peer set. Rows outside any set get 0 / NaN."""
    rows = np.flatnonzero((group >= 0) & ~np.isnan(value))
    set_key = cell[rows] * (group.max(initial=-1) + 1) + group[rows]
    order = np.lexsort((value[rows], set_key))
    rows, set_key = rows[order], set_key[order]
    stats = _sorted_peer_stats(value[rows], np.diff(set_key, prepend=-1) != 0, polarity[rows])
    out = {}
    for name, arr in stats.items():
        full = np.zeros(value.size, dtype="int64") if name == "n_peers" else np.full(value.size, np.nan)
        full[rows] = arr
        out[name] = full
    return out


def _area_groups(peers: pd.DataFrame | None, areas: pd.Index) -> tuple[np.ndarray, pd.Index]:
    """Group code of each area (-1: none) and the group labels; an area may be in one group."""
    if peers is None:
        return np.full(len(areas), -1, dtype="int64"), pd.Index([], dtype=object)
    _require(peers, ["area_code", "group"], "peers")
    peers = peers.drop_duplicates(["area_code", "group"])
    twice = peers["area_code"][peers["area_code"].duplicated()]
    if len(twice):
        raise ValueError(f"peers: area {twice.iloc[0]!r} is in more than one group")
    codes, labels = pd.factorize(peers["group"])
    at = areas.get_indexer(peers["area_code"])
    out = np.full(len(areas), -1, dtype="int64")
    out[at[at >= 0]] = codes[at >= 0]
    return out, pd.Index(labels, dtype=object)


# --------------------------------------------------------------------------- evaluate


def _comparator_rows(comparators: pd.DataFrame, areas: pd.Index) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """For the comparator rows whose area has values: the area's code and the comparator's
    code (into `areas`; -1 when the comparator has no values), and the rows themselves."""
    _require(comparators, ["area_code", "comparator_code", "role"], "comparators")
    if (comparators["role"] == NO_ROLE).any():
        raise ValueError(f"comparators: role {NO_ROLE!r} is reserved for areas without a comparator")
    dup = comparators.duplicated(["area_code", "role"])
    if dup.any():
        r = comparators[dup].iloc[0]
        raise ValueError(f"comparators: area {r['area_code']!r} has role {r['role']!r} more than once")
    area = areas.get_indexer(comparators["area_code"])
    kept = comparators[area >= 0]
    return area[area >= 0], areas.get_indexer(kept["comparator_code"]), kept


def evaluate(values: pd.DataFrame, meta: pd.DataFrame, comparators: pd.DataFrame,
             peers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Compare, test, rank and summarise every value against each of its comparators at once.

    See the module docstring for the inputs, the output columns and their vocabularies. Raises
    ValueError for a missing column, an indicator without metadata or with an unknown polarity,
    a repeated key, an area with a role twice or in two peer groups, and an inverted interval
    (naming the indicator, area and period).
    """
    _require(values, [*KEY, "value", "lower_ci95", "upper_ci95"], "values")
    value, lo95, hi95 = (_floats(values, c) for c in ("value", "lower_ci95", "upper_ci95"))
    lo998, hi998 = _floats(values, "lower_ci99_8"), _floats(values, "upper_ci99_8")
    _check_interval(values, lo95, hi95, "95")
    _check_interval(values, lo998, hi998, "99_8")
    polarity = _polarity_codes(values, meta)
    cell, _ = _codes(values, _CELL)
    area, (areas,) = _codes(values, ["area_code"])
    row_key = cell * len(areas) + area
    _check_unique(values, row_key)

    comp_area, comp_target, comp = _comparator_rows(comparators, areas)
    valued = np.flatnonzero(~np.isnan(value))
    pick, crow = _expand(area[valued], comp_area, len(areas))
    rows = valued[pick]
    # index -1 (no comparator row) picks the appended sentinel
    target = np.append(comp_target, -1)[crow]
    at = pd.Index(row_key).get_indexer(np.where(target >= 0, cell[rows] * len(areas) + target, -1))
    comparator = np.where(at >= 0, value[at], np.nan)

    v, pol = value[rows], polarity[rows]
    difference = v - comparator
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(comparator != 0, difference / np.abs(comparator), np.nan)
        se = (hi95[rows] - lo95[rows]) / (2 * z_value(0.95))
        sig95 = _significance(lo95[rows], hi95[rows], comparator)
        sig998 = _significance(lo998[rows], hi998[rows], comparator)
        tested = ~(np.isnan(lo95[rows]) | np.isnan(hi95[rows]) | np.isnan(comparator))
        z = np.where(tested & (se > 0), difference / se, np.nan)
    direction = _direction(difference)
    role_codes, roles = pd.factorize(comp["role"])
    target_codes, targets = pd.factorize(comp["comparator_code"])
    group_of_area, groups = _area_groups(peers, areas)
    group = group_of_area[area]
    peer = _peer_stats(cell, group, value, polarity)

    out = {c: values[c].take(rows).reset_index(drop=True) for c in KEY}
    out.update({
        "value": v, "lower_ci95": lo95[rows], "upper_ci95": hi95[rows],
        "role": _categorical(np.append(role_codes, len(roles))[crow], [*roles, NO_ROLE]),
        "comparator_code": _categorical(np.append(target_codes, -1)[crow], targets),
        "comparator_value": comparator,
        "difference": difference,
        "relative_difference": relative,
        "direction": _categorical(direction, DIRECTIONS),
        "direction_judgement": _categorical(_direction_judgement(direction, pol), DIRECTION_JUDGEMENTS),
        "tested": tested,
        "significance": _categorical(sig95, SIGNIFICANCE),
        "significance_99_8": _categorical(sig998, SIGNIFICANCE),
        "judgement": _categorical(_judgement(sig95, pol), JUDGEMENTS),
        "judgement_99_8": _categorical(_judgement(sig998, pol), JUDGEMENTS),
        "z": z,
        "group": _categorical(group[rows], groups),
        **{name: arr[rows] for name, arr in peer.items()},
    })
    return pd.DataFrame(out)


# --------------------------------------------------------------------------- trends


def _chi_square(x: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Chi-square test for linear trend (scores 1..k) on each row of (m, k) arrays, step for
    step as :func:`jsna.compare.chi_square_trend`. Returns (p_value, direction); p = 1 and
    direction 0 where the variance is not positive."""
    t = np.arange(1, x.shape[1] + 1, dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        total_n = n.sum(axis=1)
        pbar = x.sum(axis=1) / total_n
        nt = n * t
        stat_t = (x * t).sum(axis=1) - pbar * nt.sum(axis=1)
        var = pbar * (1.0 - pbar) * ((nt * t).sum(axis=1) - nt.sum(axis=1) ** 2 / total_n)
        ok = var > 0
        p = np.where(ok, _st.chi2.sf(stat_t * stat_t / var, 1), 1.0)
    return p, np.where(ok, np.sign(stat_t), 0.0)


def _weighted_slope(v: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inverse-variance weighted slope of value on time (scores 1..k), standard errors from the
    95% limits, on each row of (m, k) arrays, step for step as jsna.compare. Returns
    (p_value, direction); p NaN and direction 0 where a value or limit is missing or an
    interval has no width (or is inverted)."""
    se = (upper - lower) / (2.0 * _st.norm.ppf(0.5 + 0.95 / 2.0))
    ok = (se > 0).all(axis=1) & ~np.isnan(v).any(axis=1)
    se, v = np.where(ok[:, None], se, 1.0), np.where(ok[:, None], v, 0.0)
    t = np.arange(1, v.shape[1] + 1, dtype="float64")
    w = 1.0 / (se * se)
    d = t - ((w * t).sum(axis=1) / w.sum(axis=1))[:, None]
    sxx = (w * d ** 2).sum(axis=1)
    slope = (w * d * v).sum(axis=1) / sxx
    p = 2.0 * _st.norm.sf(np.abs(slope / np.sqrt(1.0 / sxx)))
    return np.where(ok, p, np.nan), np.where(ok, np.sign(slope), 0.0)


def _test(points: dict[str, np.ndarray], chi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(p_value, direction) per series: the chi-square test where `chi`, else the weighted slope."""
    p_chi, d_chi = _chi_square(points["count"], points["denominator"])
    p_reg, d_reg = _weighted_slope(points["value"], points["lower_ci95"], points["upper_ci95"])
    return np.where(chi, p_chi, p_reg), np.where(chi, d_chi, d_reg)


def _stable(points: dict[str, np.ndarray], chi: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """True where leaving out any one point keeps the gradient's sign (Fingertips' outlier rule;
    the remaining points are scored 1..k-1 again, as jsna.compare does)."""
    keep = np.ones(direction.size, dtype=bool)
    for drop in range(TREND_POINTS):
        fewer = {k: np.ascontiguousarray(np.delete(a, drop, axis=1)) for k, a in points.items()}
        keep &= _test(fewer, chi)[1] == direction
    return keep


def _trend_codes(cannot: np.ndarray, significant: np.ndarray, direction: np.ndarray,
                 polarity: np.ndarray) -> np.ndarray:
    """Codes into TRENDS from the test's outcome, its direction and the polarity."""
    up = direction > 0
    nj = polarity == _NJ
    better = np.where(polarity == _HIB, up, ~up)
    return _select(TRENDS, [(cannot, "cannot_calculate"), (~significant, "no_change"),
                            (nj & up, "increasing"), (nj, "decreasing"),
                            (up & better, "increasing_better"), (up, "increasing_worse"),
                            (better, "decreasing_better")], "decreasing_worse")


def _period_rank(labels: Sequence[Any], period_key: Callable[[Any], Any] | None) -> np.ndarray:
    """Position of each period label in time order (sorted by `period_key`, or by the labels)."""
    key = (lambda i: labels[i]) if period_key is None else (lambda i: period_key(labels[i]))
    rank = np.empty(len(labels), dtype="int64")
    rank[sorted(range(len(labels)), key=key)] = np.arange(len(labels))
    return rank


def _latest(series: np.ndarray, time: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """For each series (codes 0..m-1), the (m, k) row indices of its latest k rows in time order
    (repeating its first row when it has fewer), and its number of rows."""
    order = np.lexsort((time, series))
    length = np.bincount(series)
    last = np.cumsum(length) - 1
    pos = np.maximum(last[:, None] - (k - 1) + np.arange(k), (last - length + 1)[:, None])
    return order[pos], length


def trends(values: pd.DataFrame, meta: pd.DataFrame, *,
           period_key: Callable[[Any], Any] | None = None,
           overlapping: Callable[[Any], bool] | None = None) -> pd.DataFrame:
    """Recent trend of every (indicator_id, area_code, sex, age) series at once.

    `values` as for :func:`evaluate`, with optional count and denominator; `meta` gives
    polarity and value_type. Periods are ordered by `period_key` applied to their labels
    (default: the labels themselves); `overlapping(label)` marks rolling periods. See the
    module docstring for the rules and columns. Raises ValueError for a repeated
    (series, period) or a proportion whose count exceeds its denominator.
    """
    _require(values, [*KEY, "value", "lower_ci95", "upper_ci95"], "values")
    polarity = _polarity_codes(values, meta)
    codes, value_type = _meta_column(values, meta, "value_type")
    proportion = (value_type == "proportion")[codes]
    data = {c: _floats(values, c) for c in ("value", "lower_ci95", "upper_ci95", "count", "denominator")}
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero(proportion & (data["count"] > data["denominator"]))
    if bad.size:
        raise ValueError(f"count: numerator greater than denominator at {_where(values, int(bad[0]))}")
    series, _ = pd.factorize(_codes(values, SERIES)[0])
    period, labels = pd.factorize(values["period"], use_na_sentinel=False)
    _check_unique(values, series.astype("int64") * len(labels) + period)

    pick, length = _latest(series, _period_rank(list(labels), period_key)[period], TREND_POINTS)
    points = {k: a[pick] for k, a in data.items()}
    counted = (proportion[pick[:, 0]] & ~np.isnan(points["count"]).any(axis=1)
               & (points["denominator"] > 0).all(axis=1))
    rolling = np.array([overlapping is not None and bool(overlapping(p)) for p in labels], dtype=bool)
    p, direction = _test(points, counted)
    cannot = (length < TREND_POINTS) | rolling[period[pick]].any(axis=1) | np.isnan(p)
    significant = ~cannot & (p < 1.0 - TREND_CONF) & (direction != 0) & _stable(points, counted, direction)
    code = _trend_codes(cannot, significant, direction, polarity[pick[:, 0]])

    last = pick[:, -1]
    out = {c: values[c].take(last).reset_index(drop=True) for c in SERIES}
    out.update({
        "trend": _categorical(code, TRENDS),
        "method": _categorical(_select(TREND_METHODS, [(cannot, "none"), (counted, "chi_square")],
                                       "weighted_regression"), TREND_METHODS),
        "p_value": np.where(cannot, np.nan, p),
        "direction": np.where(cannot, 0, direction).astype("int8"),
        "points": np.bincount(series, weights=~np.isnan(data["value"]), minlength=length.size).astype("int64"),
        "latest_period": values["period"].take(last).reset_index(drop=True),
    })
    return pd.DataFrame(out)
