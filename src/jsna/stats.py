"""Public-health statistics with confidence intervals (DESIGN.md section 5).

Methods follow the OHID (formerly PHE) Fingertips public health technical
guidance:

* proportions: Wilson score interval;
* crude rates and counts: Byar's method, with the exact Poisson (chi-square)
  limits when the count is under 10;
* directly standardised rates: Dobson's method, 2013 European Standard
  Population built in, value withheld when the total count is under 10;
* indirectly standardised rates / ratios: Byar or exact limits on the observed
  count divided by the expected count;
* means: Student's t interval;
* quantiles: the PHE quantile method used to shade maps.

Every row-wise function is vectorised over numpy/pandas input, returns a
DataFrame aligned to the input index, keeps NaN rows (NaN in, NaN out) and
raises ``ValueError`` naming the argument and the offending row for bad input.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import stats as _st

__all__ = [
    "ESP2013",
    "EXACT_THRESHOLD",
    "DSR_MIN_COUNT",
    "z_value",
    "poisson_limits",
    "proportion_ci",
    "rate_ci",
    "dsr",
    "isr",
    "isratio",
    "mean_ci",
    "quantiles",
    "quintiles",
]

#: Counts below this use exact Poisson limits instead of Byar's approximation.
EXACT_THRESHOLD = 10
#: Directly standardised rates are not published below this total count.
DSR_MIN_COUNT = 10

#: European Standard Population 2013, 19 five-year bands (Eurostat 2013,
#: "Revision of the European Standard Population", table of weights).
ESP2013 = pd.Series(
    [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
     7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000],
    index=[f"{a}-{a + 4}" for a in range(0, 90, 5)] + ["90+"],
    name="esp2013",
    dtype="float64",
)


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def z_value(conf: float) -> float:
    """Two-sided standard normal multiplier for confidence level `conf`."""
    _check_conf(conf)
    return float(_st.norm.ppf(0.5 + conf / 2.0))


def _check_conf(conf: Any) -> None:
    """Raise unless `conf` is a probability strictly between 0 and 1."""
    try:
        ok = 0.0 < float(conf) < 1.0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(
            f"conf: confidence level must be a probability between 0 and 1 "
            f"(e.g. 0.95 or 0.998), got {conf!r}"
        )


def _check_multiplier(multiplier: Any) -> None:
    try:
        ok = float(multiplier) > 0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"multiplier: must be a positive number, got {multiplier!r}")


def _as_array(arg: Any, name: str) -> tuple[np.ndarray, pd.Index | None]:
    """Convert scalar / array-like / Series to a float array (and its index)."""
    index = arg.index if isinstance(arg, (pd.Series, pd.DataFrame)) else None
    if isinstance(arg, pd.DataFrame):
        raise ValueError(f"{name}: expected a scalar, array or Series, got a DataFrame")
    try:
        arr = np.asarray(arg, dtype="float64")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: values must be numeric ({exc})") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected one-dimensional input, got shape {arr.shape}")
    return arr, index


def _align(**named: Any) -> tuple[list[np.ndarray], pd.Index]:
    """Arrays of equal length (scalars broadcast) and the index to return."""
    arrays: dict[str, np.ndarray] = {}
    index: pd.Index | None = None
    for name, value in named.items():
        arr, idx = _as_array(value, name)
        arrays[name] = arr
        if index is None and idx is not None:
            index = idx
    length = max(a.size for a in arrays.values())
    for name, arr in arrays.items():
        if arr.size not in (1, length):
            sizes = ", ".join(f"{k}={v.size}" for k, v in arrays.items())
            raise ValueError(f"{name}: mismatched lengths ({sizes})")
        if arr.size == 1 and length != 1:
            arrays[name] = np.broadcast_to(arr, (length,))
    if index is None or len(index) != length:
        index = pd.RangeIndex(length)
    return list(arrays.values()), index


def _first_bad(mask: np.ndarray, index: pd.Index) -> Any:
    """Index label of the first True in `mask`."""
    return index[int(np.flatnonzero(mask)[0])]


def _raise_if(mask: np.ndarray, index: pd.Index, message: str) -> None:
    """Raise ValueError(message + offending row) when any of `mask` is True."""
    if mask.any():
        bad = _first_bad(mask, index)
        raise ValueError(f"{message} at row {bad!r} ({int(mask.sum())} row(s) affected)")


def _check_counts(x: np.ndarray, index: pd.Index, name: str = "x") -> None:
    with np.errstate(invalid="ignore"):
        _raise_if(x < 0, index, f"{name}: negative count")
        _raise_if(np.isinf(x), index, f"{name}: infinite count")


def _check_denominators(n: np.ndarray, index: pd.Index, name: str = "n") -> None:
    with np.errstate(invalid="ignore"):
        _raise_if(n <= 0, index, f"{name}: zero or negative denominator")
        _raise_if(np.isinf(n), index, f"{name}: infinite denominator")


# --------------------------------------------------------------------------
# Poisson limits on a count
# --------------------------------------------------------------------------

def _byar_limits(o: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximation to the Poisson limits of observed count(s) `o`."""
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = o * (1.0 - 1.0 / (9.0 * o) - z / (3.0 * np.sqrt(o))) ** 3
        o1 = o + 1.0
        hi = o1 * (1.0 - 1.0 / (9.0 * o1) + z / (3.0 * np.sqrt(o1))) ** 3
    return lo, hi


def _exact_limits(o: np.ndarray, conf: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson limits via the chi-square distribution (lower 0 for o=0)."""
    alpha = 1.0 - conf
    lo = np.where(o > 0, _st.chi2.ppf(alpha / 2.0, 2.0 * np.where(o > 0, o, 1.0)) / 2.0, 0.0)
    hi = _st.chi2.ppf(1.0 - alpha / 2.0, 2.0 * o + 2.0) / 2.0
    return lo, hi


def _count_limits(o: np.ndarray, conf: float, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Byar limits for o >= 10, exact for o < 10, NaN kept (vectorised)."""
    lo, hi = _byar_limits(o, z)
    small = o < EXACT_THRESHOLD  # NaN compares False, so stays NaN
    if small.any():
        # whole counts 0..9 (the usual case) come from a 10-entry lookup table;
        # fractional counts (e.g. modelled estimates) use the distribution directly
        whole = small & (o == np.floor(o))
        if whole.any():
            t_lo, t_hi = _exact_limits(np.arange(EXACT_THRESHOLD, dtype="float64"), conf)
            k = o[whole].astype(np.int64)
            lo[whole] = t_lo[k]
            hi[whole] = t_hi[k]
        frac = small & ~whole
        if frac.any():
            lo[frac], hi[frac] = _exact_limits(o[frac], conf)
    return lo, hi


def poisson_limits(x: Any, conf: float = 0.95) -> pd.DataFrame:
    """Confidence limits for observed count(s): Byar's method, exact when x < 10.

    Returns columns ``count``, ``lower``, ``upper`` (limits of the count).
    """
    _check_conf(conf)
    (xa,), index = _align(x=x)
    _check_counts(xa, index)
    lo, hi = _count_limits(xa.astype("float64", copy=True), conf, z_value(conf))
    return pd.DataFrame({"count": xa, "lower": lo, "upper": hi}, index=index)


# --------------------------------------------------------------------------
# proportions and crude rates
# --------------------------------------------------------------------------

def proportion_ci(x: Any, n: Any, conf: float = 0.95, multiplier: float = 100) -> pd.DataFrame:
    """Proportion x/n with Wilson score confidence limits.

    Returns columns ``value``, ``lower``, ``upper`` scaled by `multiplier`
    (100 = percentage), aligned to the index of `x` (or `n`).
    """
    _check_conf(conf)
    _check_multiplier(multiplier)
    (xa, na), index = _align(x=x, n=n)
    _check_counts(xa, index, "x")
    _check_denominators(na, index, "n")
    with np.errstate(invalid="ignore"):
        _raise_if(xa > na, index, "x: numerator greater than denominator n")
    z = z_value(conf)
    z2 = z * z
    with np.errstate(invalid="ignore", divide="ignore"):
        p = xa / na
        centre = 2.0 * xa + z2
        spread = z * np.sqrt(z2 + 4.0 * xa * (1.0 - p))
        denom = 2.0 * (na + z2)
        lower = (centre - spread) / denom
        upper = (centre + spread) / denom
    m = float(multiplier)
    return pd.DataFrame({"value": p * m, "lower": lower * m, "upper": upper * m}, index=index)


def rate_ci(x: Any, n: Any, conf: float = 0.95, multiplier: float = 100_000) -> pd.DataFrame:
    """Crude rate x/n * multiplier with Byar's limits (exact Poisson when x < 10).

    Returns columns ``value``, ``lower``, ``upper`` aligned to the input index.
    """
    _check_conf(conf)
    _check_multiplier(multiplier)
    (xa, na), index = _align(x=x, n=n)
    _check_counts(xa, index, "x")
    _check_denominators(na, index, "n")
    lo, hi = _count_limits(np.array(xa, dtype="float64"), conf, z_value(conf))
    scale = float(multiplier) / na
    return pd.DataFrame({"value": xa * scale, "lower": lo * scale, "upper": hi * scale},
                        index=index)


# --------------------------------------------------------------------------
# standardisation helpers
# --------------------------------------------------------------------------

def _columns(df: pd.DataFrame, names: Sequence[str], arg: str) -> None:
    missing = [c for c in names if c not in df.columns]
    if missing:
        raise ValueError(f"{arg}: column(s) {missing} not found in df")


def _by_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def _group_keys(df: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Integer group code per row and the table of distinct keys (first-seen order)."""
    if not by:
        return np.zeros(len(df), dtype=np.int64), pd.DataFrame(index=pd.RangeIndex(1))
    if len(by) == 1:
        codes, uniques = pd.factorize(df[by[0]], use_na_sentinel=False)
        keys = pd.DataFrame({by[0]: np.asarray(uniques)})
    else:
        codes, uniques = pd.MultiIndex.from_frame(df[by]).factorize()
        keys = uniques.to_frame(index=False)
    keys.columns = by
    return np.asarray(codes, dtype=np.int64), keys


def _band_values(
    df: pd.DataFrame,
    spec: Any,
    arg: str,
    codes: np.ndarray,
    ngroups: int,
    age: str | None,
    default: pd.Series | None = None,
) -> np.ndarray:
    """Per-row reference values (standard population, reference counts...).

    `spec` is a column name of `df`, a Series indexed by age-band label (needs
    `age`), or a sequence with one value per band taken in row order within each
    group. Raises when the bands of a group do not match the reference bands.
    """
    if spec is None:
        spec = default
    if isinstance(spec, str):
        _columns(df, [spec], arg)
        return df[spec].to_numpy(dtype="float64")
    if isinstance(spec, pd.Series) and age is not None:
        labels = df[age].astype(str).to_numpy()
        lookup = pd.Series(spec.to_numpy(dtype="float64"), index=spec.index.astype(str))
        vals = lookup.reindex(labels).to_numpy()
        unknown = ~np.isin(labels, lookup.index.to_numpy())
        _raise_if(unknown, df.index,
                  f"{age}: age band not in the {arg} bands {list(lookup.index)}")
        # each group must carry every band exactly once
        size = np.bincount(codes, minlength=ngroups)
        dup = pd.DataFrame({"g": codes, "a": labels}).duplicated().to_numpy()
        _raise_if(dup, df.index, f"{age}: age band repeated within a group")
        bad = size != len(lookup)
        if bad.any():
            g = int(np.flatnonzero(bad)[0])
            first = df.index[int(np.flatnonzero(codes == g)[0])]
            raise ValueError(
                f"{age}: group starting at row {first!r} has {size[g]} age bands; "
                f"the {arg} has {len(lookup)}"
            )
        return vals
    weights = np.asarray(spec, dtype="float64").ravel()
    size = np.bincount(codes, minlength=ngroups)
    bad = size != weights.size
    if bad.any():
        g = int(np.flatnonzero(bad)[0])
        first = df.index[int(np.flatnonzero(codes == g)[0])]
        raise ValueError(
            f"{arg}: age bands do not match: group starting at row {first!r} has "
            f"{size[g]} rows but {arg} has {weights.size} bands"
        )
    position = pd.Series(codes).groupby(codes).cumcount().to_numpy()
    return weights[position]


def _group_sum(codes: np.ndarray, values: np.ndarray, ngroups: int) -> np.ndarray:
    """Sum per group; a NaN anywhere in a group gives NaN for that group."""
    total = np.bincount(codes, weights=np.nan_to_num(values, nan=0.0), minlength=ngroups)
    has_nan = np.bincount(codes, weights=np.isnan(values).astype("float64"), minlength=ngroups)
    total[has_nan > 0] = np.nan
    return total


# --------------------------------------------------------------------------
# directly standardised rates
# --------------------------------------------------------------------------

def dsr(
    df: pd.DataFrame,
    x: str,
    n: str,
    stdpop: Any = None,
    by: str | Sequence[str] | None = None,
    conf: float = 0.95,
    multiplier: float = 100_000,
    age: str | None = None,
) -> pd.DataFrame:
    """Directly standardised rate per group with Dobson confidence limits.

    `df` is long: one row per age band per group (`by` columns). `stdpop` is
    None (European Standard Population 2013, 19 bands), a column name, a
    sequence of band weights in row order, or a Series indexed by age-band
    label (then give the `age` column). Groups whose total count is under 10
    are returned with NaN value/limits and the reason in ``note``.

    Returns one row per group: the `by` columns, ``count``, ``denominator``,
    ``value``, ``lower``, ``upper``, ``note``.
    """
    _check_conf(conf)
    _check_multiplier(multiplier)
    by_cols = _by_list(by)
    _columns(df, [x, n] + by_cols + ([age] if age else []), "df")
    xa = df[x].to_numpy(dtype="float64")
    na = df[n].to_numpy(dtype="float64")
    _check_counts(xa, df.index, x)
    _check_denominators(na, df.index, n)
    codes, keys = _group_keys(df, by_cols)
    ngroups = len(keys)
    if stdpop is None and age is not None:
        stdpop = ESP2013
    w = _band_values(df, stdpop, "stdpop", codes, ngroups, age, default=ESP2013.to_numpy())
    _raise_if(~np.isfinite(w) | (w < 0), df.index, "stdpop: missing or negative weight")

    wsum = np.bincount(codes, weights=w, minlength=ngroups)
    count = _group_sum(codes, xa, ngroups)
    denom = _group_sum(codes, na, ngroups)
    a = _group_sum(codes, w * xa / na, ngroups)
    v = _group_sum(codes, w * w * xa / (na * na), ngroups)

    with np.errstate(invalid="ignore", divide="ignore"):
        value = a / wsum
        var = v / (wsum * wsum)
        o_lo, o_hi = _byar_limits(count, z_value(conf))
        factor = np.sqrt(var / count)
        lower = value + factor * (o_lo - count)
        upper = value + factor * (o_hi - count)
    withheld = count < DSR_MIN_COUNT
    note = np.full(ngroups, "", dtype=object)
    note[np.isnan(count)] = "missing count in one or more age bands"
    note[withheld] = [f"value withheld: total count {c:g} is under {DSR_MIN_COUNT}"
                      for c in count[withheld]]
    m = float(multiplier)
    out = keys.copy()
    out["count"] = count
    out["denominator"] = denom
    out["value"] = np.where(withheld, np.nan, value * m)
    out["lower"] = np.where(withheld, np.nan, lower * m)
    out["upper"] = np.where(withheld, np.nan, upper * m)
    out["note"] = note
    return out


# --------------------------------------------------------------------------
# indirect standardisation
# --------------------------------------------------------------------------

def _indirect(
    df: pd.DataFrame,
    x: str,
    n: str,
    ref_x: Any,
    ref_n: Any,
    by: str | Sequence[str] | None,
    conf: float,
    age: str | None,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    _check_conf(conf)
    by_cols = _by_list(by)
    _columns(df, [x, n] + by_cols + ([age] if age else []), "df")
    xa = df[x].to_numpy(dtype="float64")
    na = df[n].to_numpy(dtype="float64")
    _check_counts(xa, df.index, x)
    _check_denominators(na, df.index, n)
    codes, keys = _group_keys(df, by_cols)
    ngroups = len(keys)
    rx = _band_values(df, ref_x, "ref_x", codes, ngroups, age)
    rn = _band_values(df, ref_n, "ref_n", codes, ngroups, age)
    _check_counts(rx, df.index, "ref_x")
    _check_denominators(rn, df.index, "ref_n")
    observed = _group_sum(codes, xa, ngroups)
    expected = _group_sum(codes, na * rx / rn, ngroups)
    ref_rate = _group_sum(codes, rx, ngroups) / _group_sum(codes, rn, ngroups)
    lo, hi = _count_limits(observed.copy(), conf, z_value(conf))
    return keys, observed, expected, ref_rate, lo, hi


def isratio(
    df: pd.DataFrame,
    x: str,
    n: str,
    ref_x: Any,
    ref_n: Any,
    by: str | Sequence[str] | None = None,
    conf: float = 0.95,
    multiplier: float = 1,
    age: str | None = None,
) -> pd.DataFrame:
    """Indirectly standardised ratio (observed / expected, e.g. an SMR).

    Expected counts apply the reference age-specific rates `ref_x`/`ref_n`
    (column names, per-band sequences, or Series by age label with `age`) to
    each group's population `n`. Limits are Byar's (exact when observed < 10)
    on the observed count, divided by the expected count. Multiply by 100 for
    the conventional SMR scale. Returns `by` columns, ``observed``,
    ``expected``, ``value``, ``lower``, ``upper``.
    """
    _check_multiplier(multiplier)
    keys, obs, exp, _, lo, hi = _indirect(df, x, n, ref_x, ref_n, by, conf, age)
    m = float(multiplier)
    out = keys.copy()
    out["observed"] = obs
    out["expected"] = exp
    with np.errstate(invalid="ignore", divide="ignore"):
        out["value"] = obs / exp * m
        out["lower"] = lo / exp * m
        out["upper"] = hi / exp * m
    return out


def isr(
    df: pd.DataFrame,
    x: str,
    n: str,
    ref_x: Any,
    ref_n: Any,
    by: str | Sequence[str] | None = None,
    conf: float = 0.95,
    multiplier: float = 100_000,
    age: str | None = None,
) -> pd.DataFrame:
    """Indirectly standardised rate: ratio (O/E) times the reference crude rate.

    Same inputs as :func:`isratio`; the reference crude rate is
    sum(ref_x) / sum(ref_n) over the bands. Returns `by` columns,
    ``observed``, ``expected``, ``value``, ``lower``, ``upper``.
    """
    _check_multiplier(multiplier)
    keys, obs, exp, ref_rate, lo, hi = _indirect(df, x, n, ref_x, ref_n, by, conf, age)
    scale = ref_rate * float(multiplier)
    out = keys.copy()
    out["observed"] = obs
    out["expected"] = exp
    with np.errstate(invalid="ignore", divide="ignore"):
        out["value"] = obs / exp * scale
        out["lower"] = lo / exp * scale
        out["upper"] = hi / exp * scale
    return out


# --------------------------------------------------------------------------
# means
# --------------------------------------------------------------------------

def mean_ci(values: Any, conf: float = 0.95, by: Any = None) -> pd.DataFrame:
    """Mean with a Student's t confidence interval.

    `values` is an array-like or Series; missing values are skipped. With
    `by` (a Series / array of group labels aligned to `values`, or a list of
    them) one row per group is returned. Columns: ``value`` (mean),
    ``lower``, ``upper``, ``count`` (non-missing values), ``sd``.
    """
    _check_conf(conf)
    vals, index = _as_array(values, "values")
    s = pd.Series(vals, index=index if index is not None else pd.RangeIndex(vals.size))
    _raise_if(np.isinf(vals), s.index, "values: infinite value")
    if by is None:
        grouped = s.groupby(np.zeros(vals.size, dtype=np.int64))
    else:
        multi = isinstance(by, list) and len(by) > 0 and np.ndim(by[0]) > 0
        keys = by if multi else [by]
        keys = [np.asarray(k) for k in keys]
        for k in keys:
            if k.shape[0] != vals.size:
                raise ValueError(f"by: mismatched lengths (values={vals.size}, by={k.shape[0]})")
        grouped = s.groupby(keys if len(keys) > 1 else keys[0], sort=False)
    agg = grouped.agg(["mean", "std", "count"])
    cnt = agg["count"].to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        tq = _st.t.ppf(0.5 + conf / 2.0, np.where(cnt > 1, cnt - 1, np.nan))
        half = tq * agg["std"].to_numpy() / np.sqrt(cnt)
    mean = agg["mean"].to_numpy()
    out = pd.DataFrame(
        {"value": mean, "lower": mean - half, "upper": mean + half,
         "count": cnt.astype("int64"), "sd": agg["std"].to_numpy()},
        index=agg.index if by is not None else pd.RangeIndex(1),
    )
    return out


# --------------------------------------------------------------------------
# quantiles (PHE method)
# --------------------------------------------------------------------------

def _quantile_one(v: np.ndarray, nq: int, invert: bool) -> np.ndarray:
    ok = ~np.isnan(v)
    n_ok = int(ok.sum())
    out = np.full(v.size, np.nan)
    if n_ok < nq or n_ok == 0:
        return out
    adj = (np.nanmax(v) - v) if invert else v
    rank = pd.Series(adj).rank(method="min").to_numpy()  # NaN stays NaN
    q = np.floor((nq + 1) - np.ceil(((n_ok + 1) - rank) / (n_ok / nq)))
    q[q == 0] = 1
    out[ok] = q[ok]
    return out


def quantiles(values: Any, n: int = 10, invert: bool = True, by: Any = None) -> pd.Series:
    """Assign each value to one of `n` quantiles by the PHE quantile method.

    Values are ranked (ties share the lowest rank) and quantile
    ``floor(n + 1 - ceil((N + 1 - rank) / (N / n)))`` is assigned, 0 being
    moved to 1, where N is the number of non-missing values in the group.
    With ``invert=True`` (the PHE default) the highest values are quantile 1.
    Missing values, and groups with fewer than `n` values, get NaN.
    Returns a float Series aligned to `values`.
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n: number of quantiles must be a positive integer, got {n!r}")
    vals, index = _as_array(values, "values")
    index = index if index is not None else pd.RangeIndex(vals.size)
    if by is None:
        return pd.Series(_quantile_one(vals, int(n), invert), index=index, name="quantile")
    groups = np.asarray(by)
    if groups.shape[0] != vals.size:
        raise ValueError(f"by: mismatched lengths (values={vals.size}, by={groups.shape[0]})")
    codes, _ = pd.factorize(groups, use_na_sentinel=False)
    out = np.full(vals.size, np.nan)
    for g in np.unique(codes):  # loop over groups (areas within a region), not rows
        sel = codes == g
        out[sel] = _quantile_one(vals[sel], int(n), invert)
    return pd.Series(out, index=index, name="quantile")


def quintiles(values: Any, invert: bool = True, by: Any = None) -> pd.Series:
    """PHE quintiles: :func:`quantiles` with n = 5."""
    return quantiles(values, 5, invert=invert, by=by)
