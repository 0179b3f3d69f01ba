"""Benchmark jsna.engine on a national-size synthetic catalogue and print the timings.

Seeded synthetic data: 300 areas x 200 indicators x 10 periods (half proportions with counts,
denominators and Wilson limits, half rates with Byar limits; 5% of limits missing),
plus England, 9 regions and 30 counties as comparators (2% of their values missing), so each
area has 3 roles (national, region, parent): 1,800,000 comparisons. The 300 areas form one peer group.

Target (issue: one vectorised indicator engine): evaluate under 2 s for all 1,800,000
comparisons (median of 3). In the same run the row-by-row way (jsna.compare.compare once per
row, as chapters/indicators.py did, and jsna.compare.recent_trend once per series) is timed on
a sample and scaled to the full size. Run:

    python benchmarks/bench_engine.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import pandas as pd

from jsna import compare
from jsna.engine import evaluate, trends
from jsna.stats import proportion_ci, rate_ci

AREAS, INDICATORS, PERIODS = 300, 200, 10
REGIONS, COUNTIES = 9, 30
TARGET_S = 2.0
SAMPLE_ROWS, SAMPLE_SERIES = 5_000, 300


def median_of(fn, repeat: int = 3) -> float:
    """Median wall-clock time over `repeat` runs (seconds)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def synthetic(seed: int = 2025) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(values, meta, comparators, peers) for the benchmark's areas, indicators and periods."""
    rng = np.random.default_rng(seed)
    locals_ = [f"E{i:08d}" for i in range(AREAS)]
    regions = [f"E12{i:06d}" for i in range(REGIONS)]
    counties = [f"E10{i:06d}" for i in range(COUNTIES)]
    areas = locals_ + regions + counties + ["E92000001"]
    indicators = [f"ind{i:03d}" for i in range(INDICATORS)]
    periods = [str(2015 + p) for p in range(PERIODS)]
    n = len(areas) * INDICATORS * PERIODS
    ind = np.repeat(np.arange(INDICATORS), len(areas) * PERIODS)
    proportion = ind % 2 == 0
    pop = rng.integers(2_000, 200_000, n).astype(float)
    rate = rng.uniform(0.05, 0.6, INDICATORS)[ind] * rng.uniform(0.8, 1.2, n)
    count = rng.binomial(pop.astype(np.int64), np.where(proportion, rate, rate / 100)).astype(float)
    p_ci = proportion_ci(count, pop, multiplier=100)
    r_ci = rate_ci(count, pop, multiplier=100_000)
    ci = {c: np.where(proportion, p_ci[c], r_ci[c]) for c in ("value", "lower", "upper")}
    values = pd.DataFrame({
        "indicator_id": np.asarray(indicators, dtype=object)[ind],
        "area_code": np.tile(np.repeat(np.asarray(areas, dtype=object), PERIODS), INDICATORS),
        "period": np.tile(np.asarray(periods, dtype=object), len(areas) * INDICATORS),
        "sex": "Persons", "age": "All ages",
        "value": ci["value"], "lower_ci95": ci["lower"], "upper_ci95": ci["upper"],
        "count": count, "denominator": np.where(proportion, pop, np.nan),
    })
    no_ci = rng.random(n) < 0.05
    values.loc[no_ci, ["lower_ci95", "upper_ci95"]] = np.nan
    # some comparator values are missing (those comparisons are "not_compared")
    missing = (rng.random(n) < 0.02) & ~values["area_code"].isin(locals_).to_numpy()
    values.loc[missing, "value"] = np.nan
    meta = pd.DataFrame({"indicator_id": indicators,
                         "polarity": np.resize(list(compare.POLARITIES), INDICATORS),
                         "value_type": np.where(np.arange(INDICATORS) % 2 == 0, "proportion", "crude_rate")})
    comparators = pd.DataFrame({
        "area_code": np.repeat(locals_, 3),
        "comparator_code": np.ravel([["E92000001", regions[i % REGIONS], counties[i % COUNTIES]]
                                     for i in range(AREAS)]),
        "role": np.tile(["national", "region", "parent"], AREAS),
    })
    peers = pd.DataFrame({"area_code": locals_, "group": "all areas"})
    return values, meta, comparators, peers


def row_by_row(values: pd.DataFrame, meta: pd.DataFrame, comparators: pd.DataFrame, rows: int) -> float:
    """Seconds for `rows` comparisons made one jsna.compare.compare call at a time (only the
    calls are timed: the comparator values are looked up beforehand)."""
    polarity = meta.set_index("indicator_id")["polarity"]
    value = values.set_index(["indicator_id", "area_code", "period"])["value"]
    pairs = values.merge(comparators, on="area_code").head(rows)
    pairs["comparator"] = value.reindex(pd.MultiIndex.from_frame(
        pairs[["indicator_id", "comparator_code", "period"]])).to_numpy()
    pairs["polarity"] = pairs["indicator_id"].map(polarity)
    args = list(pairs[["value", "lower_ci95", "upper_ci95", "comparator", "polarity"]].itertuples(index=False))
    t0 = time.perf_counter()
    for a in args:
        compare.compare(*a).iloc[0]
    return time.perf_counter() - t0


def trend_by_series(values: pd.DataFrame, meta: pd.DataFrame, series: int) -> float:
    """Seconds for `series` recent trends made one jsna.compare.recent_trend call at a time."""
    by = meta.set_index("indicator_id")
    keys = values[["indicator_id", "area_code"]].drop_duplicates().head(series)
    groups = [(by.loc[iid, "value_type"], by.loc[iid, "polarity"], g)
              for (iid, _), g in values.merge(keys).groupby(["indicator_id", "area_code"], sort=False)]
    t0 = time.perf_counter()
    for kind, polarity, g in groups:
        if kind == "proportion":
            compare.recent_trend(g, "proportion", polarity, period="period")
        else:
            compare.recent_trend(g, kind, polarity, lower="lower_ci95", upper="upper_ci95", period="period")
    return time.perf_counter() - t0


def main() -> None:
    values, meta, comparators, peers = synthetic()
    result = evaluate(values, meta, comparators, peers)
    comparisons = int((result["role"] != "none").sum())
    engine_s = median_of(lambda: evaluate(values, meta, comparators, peers))
    looped_s = row_by_row(values, meta, comparators, SAMPLE_ROWS) / SAMPLE_ROWS * comparisons
    status = "OK" if engine_s < TARGET_S else "SLOW"
    print(f"input: {len(values):,} values ({AREAS} areas + {REGIONS + COUNTIES + 1} comparators x "
          f"{INDICATORS} indicators x {PERIODS} periods); output {len(result):,} rows")
    print(f"engine: {comparisons:,} comparisons in {engine_s:.2f} s (median of 3; target {TARGET_S} s, "
          f"{status}); row-by-row (measured on {SAMPLE_ROWS:,} rows, extrapolated) {looped_s:,.0f} s; "
          f"ratio x{looped_s / engine_s:,.0f}")
    n_series = len(values[["indicator_id", "area_code"]].drop_duplicates())
    trend_s = median_of(lambda: trends(values, meta))
    by_series_s = trend_by_series(values, meta, SAMPLE_SERIES) / SAMPLE_SERIES * n_series
    print(f"trends: {n_series:,} series of {PERIODS} periods in {trend_s:.2f} s (median of 3); "
          f"one recent_trend call per series (measured on {SAMPLE_SERIES:,}, extrapolated) "
          f"{by_series_s:,.0f} s; ratio x{by_series_s / trend_s:,.0f}")


if __name__ == "__main__":
    main()
