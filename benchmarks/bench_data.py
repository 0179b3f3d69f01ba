"""Time loading and validating all data: ``python benchmarks/bench_data.py [DATA_DIR]``.

Prints the cold time (caches cleared) for load_all and for the full jsna check, the best of
five runs each, and the warm (cached) load_all time. Target: under 2 s cold.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from jsna import data, qa


def _clear() -> None:
    for fn in (data._load_cached, data._sources_cached, data._codes_cached):
        fn.cache_clear()


def _best(fn, runs: int = 5, cold: bool = True) -> float:
    times = []
    for _ in range(runs):
        if cold:
            _clear()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else data.data_dir()
    tables = data.load_all(folder)
    rows = sum(len(df) for df in tables.values())
    cold_load = _best(lambda: data.load_all(folder))
    cold_check = _best(lambda: qa.check(folder))
    warm_load = _best(lambda: data.load_all(folder), cold=False)
    print(f"{len(tables)} tables, {rows} rows in {folder}")
    print(f"load_all (cold, validate every file): {cold_load:.3f} s")
    print(f"jsna check (cold, schemas + quality rules): {cold_check:.3f} s")
    print(f"load_all (warm, cached): {warm_load:.3f} s")
    ok = cold_check < 2.0
    print("OK: under 2 s" if ok else "SLOW: over 2 s")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
