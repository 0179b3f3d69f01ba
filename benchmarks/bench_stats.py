"""Benchmark jsna.stats on large inputs and print the timings.

Targets (issue 4): proportion_ci and rate_ci on 1,000,000 rows under 0.5 s
each; dsr for 10,000 areas x 19 age bands under 1 s. Each line also gives the
time as a share of its target and, measured in the same run, the speed-up over
calling the function once per row (per area for dsr) on a sample. Run:

    python benchmarks/bench_stats.py
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from jsna.stats import ESP2013, dsr, proportion_ci, rate_ci

TARGETS = {"proportion_ci": 0.5, "rate_ci": 0.5, "dsr": 1.0}


def best_of(fn, repeat: int = 5) -> float:
    """Best wall-clock time over `repeat` runs (seconds)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(2024)
    rows = 1_000_000
    n = pd.Series(rng.integers(50, 100_000, rows).astype(float))
    x_prop = pd.Series(rng.binomial(n.to_numpy().astype(np.int64), 0.3).astype(float))
    x_rate = pd.Series(rng.poisson(n.to_numpy() * 1e-4).astype(float))  # many counts < 10

    areas, bands = 10_000, len(ESP2013)
    long = pd.DataFrame({
        "area": np.repeat(np.arange(areas), bands),
        "age": np.tile(ESP2013.index.to_numpy(), areas),
        "x": rng.poisson(20, areas * bands).astype(float),
        "n": rng.integers(1_000, 20_000, areas * bands).astype(float),
    })

    results = {
        "proportion_ci": best_of(lambda: proportion_ci(x_prop, n, conf=0.95)),
        "rate_ci": best_of(lambda: rate_ci(x_rate, n, conf=0.95)),
        "dsr": best_of(lambda: dsr(long, "x", "n", by="area")),
    }
    # the same work one row (one area) at a time, on a sample, scaled to the full size
    sample = 500
    per_row = {
        "proportion_ci": best_of(lambda: [proportion_ci(x_prop[i], n[i]) for i in range(sample)], 1),
        "rate_ci": best_of(lambda: [rate_ci(x_rate[i], n[i]) for i in range(sample)], 1),
        "dsr": best_of(lambda: [dsr(g, "x", "n") for _, g in long.iloc[: sample * bands]
                                .groupby("area")], 1),
    }
    full = {"proportion_ci": rows, "rate_ci": rows, "dsr": areas}
    extra = {
        "rate_ci (99.8%)": best_of(lambda: rate_ci(x_rate, n, conf=0.998)),
        "dsr (age labels)": best_of(lambda: dsr(long, "x", "n", by="area", age="age")),
    }
    print(f"share of rate rows with count < 10 (exact Poisson): {(x_rate < 10).mean():.1%}")
    for name, secs in results.items():
        status = "OK" if secs < TARGETS[name] else "SLOW"
        size = "1,000,000 rows" if name != "dsr" else "10,000 areas x 19 bands"
        looped = per_row[name] / sample * full[name]
        print(f"{name:<18} {size:<26} {secs:7.3f} s  {secs / TARGETS[name]:5.3f} of the "
              f"{TARGETS[name]} s target {status};  x{looped / secs:,.0f} faster than one "
              f"call per {'area' if name == 'dsr' else 'row'}")
    for name, secs in extra.items():
        print(f"{name:<18} {'':<26} {secs:7.3f} s")


if __name__ == "__main__":
    main()
