"""The ``jsna`` command line: build the book, check the data, make print editions."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from jsna import __version__


def _root(path: str) -> Path:
    root = Path(path).resolve()
    if not (root / "_config.yml").exists():
        raise SystemExit(f"jsna: {root} is not a book folder (no _config.yml there)")
    return root


def cmd_build(args: argparse.Namespace) -> int:
    from jsna.atomic import Busy
    from jsna.build import DataQualityError, RunError, build_book, timings_table
    from jsna.config import ConfigError

    root = _root(args.root)
    start = time.perf_counter()
    try:
        results = build_book(root, jobs=args.jobs, board=args.board)
    except (RunError, ConfigError, DataQualityError, Busy) as exc:
        print(f"jsna build failed: {exc}", file=sys.stderr)
        return 1
    print(timings_table(results))
    print(f"HTML book in {root / '_build' / 'html'} ({time.perf_counter() - start:.1f} s)")
    if args.pdf:
        return cmd_pdf(args)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from jsna.build import RunError, execute_run, find_run
    from jsna.config import ConfigError, load_board

    root = _root(args.root)
    try:
        run = find_run(load_board(root / "data", args.board), args.template, args.area, args.edition, args.chapter)
        seconds = execute_run(str(root), run)
    except (RunError, ConfigError) as exc:
        print(f"jsna run failed: {exc}", file=sys.stderr)
        return 1
    print(f"executed {run.describe()} in {seconds:.1f} s -> {root / run.output}.ipynb")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from jsna import qa

    if args.data_dir:
        folder = Path(args.data_dir).resolve()
    elif args.board:
        from jsna import data
        from jsna.config import load_board

        folder = load_board(data.data_root(), args.board).data_dir
    else:
        folder = None  # the current board's
    return qa.main(folder, extra=_report_findings(folder))


def _report_findings(folder: Path | None) -> list:
    """What the pages' registered checks find (prose, generated tables) in every edition of the board whose data are checked."""
    from jsna import data, qa

    board, _ = qa.board_of(folder or data.data_dir())  # a board file that cannot be read is reported by qa.check
    return qa.edition_findings(board) if board is not None else []


def cmd_pdf(args: argparse.Namespace) -> int:
    from jsna import pdf

    return pdf.main(_root(args.root))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="jsna",
        description="Build a Joint Strategic Needs Assessment and Health and Wellbeing Board annual report "
        "as a Jupyter Book from the data in data/.",
    )
    p.add_argument("--version", action="version", version=f"jsna {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser(
        "build",
        help="execute every chapter with papermill and build the HTML book",
        description="Execute every chapter template for its parameters (unchanged runs are reused), then build "
        "the HTML book into a temporary folder and swap it into _build/html only if everything succeeded.",
    )
    b.add_argument("root", nargs="?", default=".", help="book folder (default: current folder)")
    b.add_argument("--jobs", "-j", type=int, default=None, help="notebooks executed in parallel (default: CPU count)")
    b.add_argument("--board", default=None, help="board configuration in data/boards/ (default: _config.yml's jsna_board)")
    b.add_argument("--pdf", action="store_true", help="also write the PDF editions (see `jsna pdf`)")
    b.set_defaults(func=cmd_build)

    r = sub.add_parser(
        "run",
        help="execute one chapter template for one area (for checking a change quickly)",
        description="Execute one chapter template with papermill, with the parameters the board configuration "
        "gives it, into _generated/. Example: jsna run chapters/jsna/area_profile.ipynb --area <area code>",
    )
    r.add_argument("template", help="template path, e.g. chapters/jsna/demography.ipynb")
    r.add_argument("--area", default=None, help="GSS code of the area (default: the first configured run)")
    r.add_argument("--edition", default=None, help="edition id from the board configuration (default: the first)")
    r.add_argument("--chapter", default=None, help="chapter slug, where chapters share a template (default: the first)")
    r.add_argument("--board", default=None, help="board configuration in data/boards/ (default: JSNA_BOARD, else _config.yml's jsna_board)")
    r.add_argument("--root", default=".", help="book folder (default: current folder)")
    r.set_defaults(func=cmd_run)

    c = sub.add_parser(
        "check",
        help="validate all data files and run the quality rules",
        description="Validate every table of a board's data folder against its schema, run the quality rules, and run "
        "the checks that the board's pages register (prose, and the tables pages publish: placeholder links, TODO notes, "
        "duplicated rows, totals). Prints a table of findings (rule, severity, file, row, message) and exits 1 if any "
        "unacknowledged error remains.",
    )
    c.add_argument("--data-dir", default=None, help="data folder (default: the board's, e.g. ./data of the book)")
    c.add_argument("--board", default=None, help="board configuration in data/boards/ (default: JSNA_BOARD or _config.yml's jsna_board)")
    c.set_defaults(func=cmd_check)

    d = sub.add_parser(
        "pdf",
        help="write PDF editions and per-chapter PDFs from the built HTML",
        description="Write _build/pdf/<edition>.pdf and _build/pdf/chapters/<edition>/<chapter>.pdf from the "
        "built HTML book with WeasyPrint (run `jsna build` first).",
    )
    d.add_argument("root", nargs="?", default=".", help="book folder (default: current folder)")
    d.set_defaults(func=cmd_pdf)

    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
