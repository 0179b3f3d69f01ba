"""The papermill stage: execute every (chapter template x parameters) run into ``_generated/``.

Runs are planned from the board configuration, executed in parallel worker processes, and
skipped when their key (template, parameters, data files, package sources) is unchanged.
A failing run stops the stage with a :class:`RunError` naming the template, its parameters
and the failing cell; nothing that Sphinx would publish is touched by a failed run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import nbformat

from jsna.config import Board, ConfigError, Edition, load_board

GENERATED = "_generated"
MANIFEST = ".jsna-manifest.json"
PACKAGE_DIR = Path(__file__).resolve().parent
# `jupyter-book` with this interpreter (its CLI module has no __main__ guard, so `-m` would do nothing).
JUPYTER_BOOK = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()"]


class RunError(RuntimeError):
    """A chapter template raised while papermill executed it."""


class DataQualityError(RuntimeError):
    """The data have unacknowledged quality errors and an edition is to be published as final."""


@dataclass(frozen=True)
class Run:
    """One execution of a chapter template with its parameters."""

    template: str  # relative to chapters/
    output: str  # relative to the book root, without suffix
    parameters: dict

    @property
    def label(self) -> str:
        return self.output.removeprefix(f"{GENERATED}/")

    def describe(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.parameters.items())
        return f"chapters/{self.template} ({params})"


@dataclass(frozen=True)
class RunResult:
    run: Run
    seconds: float
    executed: bool


def plan_runs(board: Board) -> list[Run]:
    """Every run that the board's editions need, in book order."""
    runs: list[Run] = []
    for edition in board.editions:
        runs.extend(_edition_runs(board, edition))
    return runs


def _edition_runs(board: Board, edition: Edition) -> list[Run]:
    base = {"board": board.id, "edition": edition.id, "period": edition.period, "status": edition.status}
    runs = []
    for number, chapter in enumerate(edition.chapters):
        if chapter.for_each == "areas":
            for i, area in enumerate(board.areas):
                output = f"{GENERATED}/{edition.id}/{chapter.slug}/{i:02d}-{area.slug}"
                runs.append(Run(chapter.template, output, {**base, "area_code": area.code}))
        else:
            output = f"{GENERATED}/{edition.id}/{number:02d}-{chapter.slug}"
            runs.append(Run(chapter.template, output, {**base, "area_code": board.county.code}))
    return runs


def find_run(board: Board, template: str, area_code: str | None = None, edition: str | None = None) -> Run:
    """The planned run of `template` (path under chapters/) for one area, to execute on its own."""
    template = template.removeprefix("chapters/")
    candidates = [
        run
        for run in plan_runs(board)
        if run.template == template
        and (area_code is None or run.parameters["area_code"] == area_code)
        and (edition is None or run.parameters["edition"] == edition)
    ]
    if not candidates:
        known = sorted({run.template for run in plan_runs(board)})
        raise ConfigError(
            f"{board.path}: no run of chapters/{template}"
            + (f" for area {area_code}" if area_code else "")
            + (f" in edition {edition}" if edition else "")
            + f" (configured templates: {', '.join(known)})"
        )
    return candidates[0]


def _digest_files(paths: list[Path], root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path.relative_to(root)).encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def inputs_digest(root: Path) -> str:
    """Hash of everything a run reads besides its template: data, authored prose, package sources."""
    data = [p for p in (root / "data").rglob("*") if p.is_file()]
    prose = [p for p in (root / "chapters").rglob("*") if p.is_file() and p.suffix != ".ipynb"]
    package = [p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    return _digest_files(data, root / "data") + _digest_files(prose, root) + _digest_files(package, PACKAGE_DIR)


def run_key(root: Path, run: Run, inputs: str) -> str:
    """The cache key of a run: template bytes, parameters and the shared inputs digest."""
    h = hashlib.sha256((root / "chapters" / run.template).read_bytes())
    h.update(json.dumps(run.parameters, sort_keys=True).encode())
    h.update(inputs.encode())
    return h.hexdigest()


def promote_markdown(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Turn markdown outputs into markdown cells so generated headings are real page structure.

    Sphinx only builds sections (page titles, contents entries, heading order) from markdown
    cells; text a template displays with ``Markdown(...)`` would otherwise stay an output blob.
    """
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code" or not cell.get("outputs"):
            cells.append(cell)
            continue
        kept: list = []
        for output in cell.outputs:
            data = output.get("data", {})
            if output.get("output_type") in ("display_data", "execute_result") and set(data) <= {"text/markdown", "text/plain"} and "text/markdown" in data:
                if kept:
                    cells.append(_code_with(cell, kept))
                    kept = []
                cells.append(nbformat.v4.new_markdown_cell(data["text/markdown"]))
            else:
                kept.append(output)
        if kept or not cells or cells[-1].cell_type != "markdown":
            cells.append(_code_with(cell, kept))
    nb.cells = cells
    return nb


def _code_with(cell: nbformat.NotebookNode, outputs: list) -> nbformat.NotebookNode:
    new = nbformat.v4.new_code_cell(cell.source, metadata=cell.metadata)
    new.outputs = outputs
    new.execution_count = cell.get("execution_count")
    return new


def _failure_message(run: Run, exc: Exception) -> str:
    cell = getattr(exc, "exec_count", None)
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    where = f"cell [{cell}]" if cell is not None else "a cell"
    return f"template {run.describe()} failed: {where} raised {ename}: {evalue}".rstrip()


def execute_run(root: str, run: Run) -> float:
    """Execute one run with papermill into its output notebook; return the seconds taken."""
    import papermill

    book = Path(root)
    os.environ["JSNA_DATA_DIR"] = str(book / "data")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    target = book / f"{run.output}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    log = book / GENERATED / ".logs" / f"{run.label.replace('/', '-')}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, _stderr_to(log):
        scratch = Path(tmp) / target.name
        try:
            papermill.execute_notebook(
                str(book / "chapters" / run.template),
                str(scratch),
                parameters=run.parameters,
                kernel_name="python3",
                cwd=str(book),
                progress_bar=False,
                log_output=False,
            )
        except Exception as exc:  # papermill wraps kernel errors; report them in one line
            raise RunError(_failure_message(run, exc)) from None
        nb = promote_markdown(nbformat.read(scratch, as_version=4))
        nbformat.write(nb, target)
    return time.perf_counter() - start


@contextmanager
def _stderr_to(path: Path) -> Iterator[None]:
    """Send this process's stderr (and so the kernel's own log lines) to a file while a run executes.

    What a template prints and raises is kept in the notebook; the kernel's transport warnings
    are only noise on the console.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    with path.open("w") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


class Stage:
    """The papermill stage of one book: plan, skip unchanged runs, execute the rest."""

    def __init__(self, root: Path, board: str | None = None):
        self.root = root.resolve()
        self.board = load_board(self.root / "data", board)
        self.runs = plan_runs(self.board)
        self.manifest_path = self.root / GENERATED / MANIFEST

    def _manifest(self) -> dict[str, str]:
        try:
            return json.loads(self.manifest_path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return {}

    def pending(self) -> tuple[list[Run], dict[str, str]]:
        """Runs whose key changed or whose output is missing, and every run's key."""
        inputs = inputs_digest(self.root)
        keys = {run.output: run_key(self.root, run, inputs) for run in self.runs}
        manifest = self._manifest()
        todo = [
            run
            for run in self.runs
            if manifest.get(run.output) != keys[run.output] or not (self.root / f"{run.output}.ipynb").exists()
        ]
        return todo, keys

    def _prune(self) -> None:
        """Delete generated notebooks no longer in the plan (a district or chapter was removed)."""
        wanted = {self.root / f"{run.output}.ipynb" for run in self.runs}
        for path in (self.root / GENERATED).rglob("*.ipynb"):
            if path not in wanted:
                path.unlink()

    def check_data(self) -> None:
        """Run `jsna check`'s rules: errors block final editions; draft editions list them on an appendix page."""
        from jsna import qa

        report = qa.check(self.root / "data")
        final = [e.id for e in self.board.editions if e.status == "final"]
        if report.errors and final:
            listed = "\n".join(f"  {f.file} row {f.row}, column '{f.column}': {f.rule}: {f.message}" for f in report.errors[:20])
            raise DataQualityError(
                f"refusing to publish final edition(s) {', '.join(final)}: {qa.summary(report)}\n{listed}\n"
                "Fix the data or acknowledge findings that are in the published sources in data/qa_accepted.yml."
            )
        page = self.root / GENERATED / "appendix" / "data-quality.md"
        if any(e.status == "draft" for e in self.board.editions):
            body = "# Data quality\n\n" + qa.findings_markdown(report)
            if not page.exists() or page.read_text(encoding="utf-8") != body:
                page.parent.mkdir(parents=True, exist_ok=True)
                page.write_text(body, encoding="utf-8")
        elif page.exists():
            page.unlink()

    def execute(self, jobs: int | None = None, progress: bool = True) -> list[RunResult]:
        """Check the data, then run every pending run `jobs` at a time; raise RunError on the first failure."""
        self.check_data()
        todo, keys = self.pending()
        manifest = {k: v for k, v in self._manifest().items() if k in keys}
        results = {run.output: RunResult(run, 0.0, False) for run in self.runs if run not in todo}
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
        with _Progress(len(todo), progress) as bar, ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
            futures = {pool.submit(execute_run, str(self.root), run): run for run in todo}
            failure: BaseException | None = None
            while futures and failure is None:
                done, _ = wait(futures, return_when=FIRST_EXCEPTION)
                for future in done:
                    run = futures.pop(future)
                    if future.exception() is not None:
                        failure = future.exception()
                        break
                    results[run.output] = RunResult(run, future.result(), True)
                    manifest[run.output] = keys[run.output]
                    bar.advance(run, future.result())
            if failure is not None:
                for future in futures:
                    future.cancel()
            self._write_manifest(manifest)
            if failure is not None:
                raise failure
        self._prune()
        return [results[run.output] for run in self.runs]

    def _write_manifest(self, manifest: dict[str, str]) -> None:
        self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        self.manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True))


class _Progress:
    """A rich progress bar that prints one line per finished notebook with its time."""

    def __init__(self, total: int, enabled: bool):
        self.total = total
        self.enabled = enabled and total > 0

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(
                TextColumn("papermill"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), transient=False
            )
            self.progress.start()
            self.task = self.progress.add_task("notebooks", total=self.total)
        return self

    def advance(self, run: Run, seconds: float) -> None:
        if self.enabled:
            self.progress.console.print(f"  executed {run.label:<48} {seconds:6.1f} s")
            self.progress.advance(self.task)

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.progress.stop()


def timings_table(results: list[RunResult]) -> str:
    """Plain-text table of per-notebook timings for the end of a build."""
    lines = [f"{'notebook':<50} {'seconds':>8}  status"]
    for r in results:
        lines.append(f"{r.run.label:<50} {r.seconds:8.1f}  {'executed' if r.executed else 'unchanged, reused'}")
    executed = [r for r in results if r.executed]
    lines.append(f"{len(executed)} executed, {len(results) - len(executed)} reused, {sum(r.seconds for r in executed):.1f} s of notebook time")
    return "\n".join(lines)


def build_book(root: Path, jobs: int | None = None, board: str | None = None) -> list[RunResult]:
    """Full HTML build: papermill stage, then Jupyter Book into a temporary folder, then swap.

    The published ``_build/html`` is replaced only when every step succeeded.
    """
    root = root.resolve()
    results = Stage(root, board).execute(jobs=jobs)
    (root / "_build").mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root / "_build"))
    try:
        env = {**os.environ, "JSNA_JOBS": str(jobs or os.cpu_count() or 1)}
        if board:
            env["JSNA_BOARD"] = board
        cmd = [*JUPYTER_BOOK, "build", str(root), "--path-output", str(staging)]
        proc = subprocess.run(cmd, env=env, cwd=root)
        if proc.returncode != 0:
            raise RunError(f"jupyter-book build failed (exit {proc.returncode}); _build/html left as it was")
        publish(staging / "_build" / "html", root / "_build" / "html")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return results


def publish(new: Path, target: Path) -> None:
    """Swap a freshly built site into place, keeping the old one until the new one is there."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    shutil.move(str(new), str(target))
    shutil.rmtree(old, ignore_errors=True)
