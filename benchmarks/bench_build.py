"""Build timings on throw-away copies of the book, all measured in one run of this script.

Prints: a cold `jupyter-book build .` (papermill stage and Sphinx); a no-op rebuild as a share of
it, beside what starting Python and importing jupyter-book, Sphinx and myst-nb alone costs; the
papermill stage cold at 1 and N jobs; runs on warm kernels against a fresh kernel per run; and how
many runs execute again after a change to one data file (and how long that takes).
Usage: python benchmarks/bench_build.py [--jobs N] [--changed data/carers.csv]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from jsna import execute  # noqa: E402
from jsna.build import JUPYTER_BOOK, Stage, execute_run  # noqa: E402
from tests.conftest import copy_book  # noqa: E402


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def jupyter_book(root: Path) -> None:
    subprocess.run([*JUPYTER_BOOK, "build", str(root)], check=True, capture_output=True)


def imports_only() -> None:
    """What any `jupyter-book build` pays before it reads a page: start Python, import jupyter-book, Sphinx and myst-nb."""
    code = "import jupyter_book.cli.main, jupyter_book.config, sphinx.application, myst_nb.sphinx_ext"
    subprocess.run([sys.executable, "-c", code], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--changed", default="data/carers.csv", help="data file to change for the incremental rebuild")
    parser.add_argument("--sample", type=int, default=8, help="runs timed on warm and on fresh kernels")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book = copy_book(Path(tmp) / "book")
        env = {**os.environ, "JSNA_JOBS": str(args.jobs)}
        os.environ.update(env)
        cold = timed(lambda: jupyter_book(book))
        noop = statistics.median(timed(lambda: jupyter_book(book)) for _ in range(3))
        floor = statistics.median(timed(imports_only) for _ in range(3))
        changed = book / args.changed
        text = changed.read_bytes()
        changed.write_bytes(text.replace(b"\n", b"\r\n", 1))  # the header line ends in CRLF: new bytes, same table
        rerun = [r.label for r in Stage(book).pending()]
        incremental = timed(lambda: jupyter_book(book))
        runs = len(Stage(book).runs)

        serial = copy_book(Path(tmp) / "serial")
        parallel = copy_book(Path(tmp) / "parallel")
        t1 = timed(lambda: Stage(serial).execute(jobs=1, progress=False))
        tn = timed(lambda: Stage(parallel).execute(jobs=args.jobs, progress=False))

        sample = Stage(serial).runs[: args.sample]
        execute.shutdown()
        warm = timed(lambda: [execute_run(serial, run) for run in sample])

        def fresh() -> None:
            for run in sample:
                execute.shutdown()  # a new kernel for every run, as one papermill call per page starts
                execute_run(serial, run)

        cold_kernels = timed(fresh)
        execute.shutdown()
    print(f"book: {runs} notebook runs; jobs: {args.jobs}; machine: {os.cpu_count()} CPUs")
    print(f"jupyter-book build ., cold:            {cold:7.1f} s")
    print(f"jupyter-book build ., nothing changed: {noop:7.1f} s   {noop / cold:.3f} of cold (goal: at most 0.05; median of 3)")
    print(f"  of which start-up and imports alone:  {floor:7.1f} s   {floor / cold:.3f} of cold (median of 3)")
    print(f"after changing {args.changed}: {len(rerun)} of {runs} runs executed again, rebuild {incremental:.1f} s "
          f"({incremental / cold:.3f} of cold): {', '.join(rerun)}")
    print(f"papermill stage, cold, 1 job:          {t1:7.1f} s")
    print(f"papermill stage, cold, {args.jobs} jobs:         {tn:7.1f} s   speed-up x{t1 / tn:.2f}")
    print(f"{len(sample)} runs, one warm kernel:             {warm:7.1f} s   {warm / len(sample):.2f} s a run")
    print(f"{len(sample)} runs, a fresh kernel each:         {cold_kernels:7.1f} s   {cold_kernels / len(sample):.2f} s a run; "
          f"warm kernels x{cold_kernels / warm:.2f} faster")


if __name__ == "__main__":
    main()
