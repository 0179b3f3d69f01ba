"""Build timings on a throw-away copy of the book: cold papermill stage at 1 and N jobs, no-op rebuild.

Prints the measured seconds and the ratios (parallel speed-up, no-op / cold) from one run.
Usage: python benchmarks/bench_build.py [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from jsna.build import JUPYTER_BOOK, Stage  # noqa: E402
from tests.conftest import copy_book  # noqa: E402


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        serial = copy_book(Path(tmp) / "serial")
        parallel = copy_book(Path(tmp) / "parallel")
        n_runs = len(Stage(serial).runs)
        t1 = timed(lambda: Stage(serial).execute(jobs=1, progress=False))
        tn = timed(lambda: Stage(parallel).execute(jobs=args.jobs, progress=False))
        cold = timed(lambda: subprocess.run([*JUPYTER_BOOK, "build", str(parallel)], check=True, capture_output=True))
        shutil.rmtree(parallel / "_build")
        noop_stage = timed(lambda: Stage(parallel).execute(jobs=args.jobs, progress=False))
        subprocess.run([*JUPYTER_BOOK, "build", str(parallel)], check=True, capture_output=True)
        pages = len(list((parallel / "_build" / "html").rglob("*.html")))
    print(f"notebook runs: {n_runs}; HTML pages: {pages}; jobs: {args.jobs}")
    print(f"papermill stage, cold, 1 job:      {t1:7.1f} s")
    print(f"papermill stage, cold, {args.jobs} jobs:     {tn:7.1f} s   speed-up x{t1 / tn:.2f}")
    print(f"jupyter-book build after stage:    {cold:7.1f} s   (Sphinx only; every run reused)")
    print(f"papermill stage, no change:        {noop_stage:7.1f} s   {noop_stage / tn:.3f} of a cold stage")


if __name__ == "__main__":
    main()
