"""Benchmark the PDF stage against the HTML build it reads, measured in the same run.

Target (issue 9): writing every edition and chapter PDF takes less time than the HTML build.
The book is copied to a temporary folder, built with `jupyter-book build .` (papermill stage
included, as on a clean clone), then `jsna.pdf.build_pdfs` runs on it. Run:

    python benchmarks/bench_pdf.py [--workers N] [--keep]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jsna.pdf import build_pdfs, summary

REPO = Path(__file__).resolve().parents[1]
# `python -m jupyter_book.cli.main` does nothing (that module has no __main__ block).
JUPYTER_BOOK = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()"]
IGNORE = shutil.ignore_patterns(".git", "_build", "_generated", ".pytest_cache", "__pycache__", "*.egg-info", ".jsna_cache")


def timed_html_build(root: Path) -> float:
    """Seconds for `jupyter-book build .` on the book at `root`; exits if the build fails."""
    start = time.perf_counter()
    proc = subprocess.run([*JUPYTER_BOOK, "build", str(root)], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"jupyter-book build failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return seconds


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--workers", type=int, default=None, help="PDF worker processes (default: CPU count)")
    args.add_argument("--keep", action="store_true", help="keep the temporary book and print its path")
    opts = args.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    root = tmp / "book"
    shutil.copytree(REPO, root, ignore=IGNORE)
    try:
        html_cold = timed_html_build(root)
        html_warm = timed_html_build(root)  # papermill runs reused, Sphinx incremental
        result = build_pdfs(root, workers=opts.workers)
        again = build_pdfs(root, workers=opts.workers)
        print(summary(result, root))
        print()
        pages = sum(w.pages for w in result.written)
        print(f"{'HTML build, cold (jupyter-book build .)':<44} {html_cold:7.1f} s")
        print(f"{'HTML build, warm (nothing changed)':<44} {html_warm:7.1f} s")
        print(f"{'PDF stage, all PDFs':<44} {result.seconds:7.1f} s  ({len(result.written)} PDFs, {pages} pages, {result.charts} charts)")
        print(f"{'PDF stage, again':<44} {again.seconds:7.1f} s")
        verdict = "meets" if result.seconds < html_cold else "MISSES"
        print(f"PDF / cold HTML build = {result.seconds / html_cold:.2f}: {verdict} the target (PDF stage < HTML build)")
    finally:
        if opts.keep:
            print(f"book kept in {root}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
