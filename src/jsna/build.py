"""The papermill stage: execute every (chapter template x parameters) run into ``_generated/``.

Runs are planned from the board configuration, executed on warm kernels in parallel worker
processes (:mod:`jsna.execute`), and skipped when nothing they depend on changed: their
template, parameters and the package code, and the content of every input file they read when
they last ran. A failing run stops the stage with a :class:`RunError` naming the template, its
parameters and the failing cell; nothing that Sphinx would publish is touched by a failed run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from jsna import atomic, execute, inputs
from jsna.config import Board, ConfigError, Edition, load_board
from jsna.execute import RunError

__all__ = ["DataQualityError", "Run", "RunError", "RunResult", "Stage", "build_book", "execute_run", "find_run", "plan_runs"]

GENERATED = "_generated"
MANIFEST = ".jsna-manifest.json"
MANIFEST_VERSION = 2
QA_CACHE = ".jsna-qa.json"
LOCK = ".lock"
SPHINX_DIR = ".jsna-sphinx"  # under _build: where `jsna build` runs Sphinx, kept between builds
INPUT_DIRS = ("data", "chapters")  # where a run's recorded reads count as its inputs
BOARD_FILE = ".jsna-board"  # under _generated: the board the pages there were made for
STAGE_DONE = "JSNA_STAGE_DONE"  # set by `jsna build` for its jupyter-book: the manifest it has just brought up to date
PACKAGE_DIR = Path(__file__).resolve().parent
# `jupyter-book` with this interpreter (its CLI module has no __main__ guard, so `-m` would do nothing).
JUPYTER_BOOK = [sys.executable, "-c", "from jupyter_book.cli.main import main; main()"]


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
        return execute.describe(self.template, self.parameters)


@dataclass(frozen=True)
class RunResult:
    run: Run
    seconds: float
    executed: bool
    attempts: int = 1


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
        params = {**base, "chapter": chapter.slug, **dict(chapter.parameters)}
        if chapter.for_each:
            areas = [a for level in chapter.for_each for a in board.level(level).areas]
            for i, area in enumerate(areas):
                output = f"{GENERATED}/{edition.id}/{chapter.slug}/{i:02d}-{area.slug}"
                runs.append(Run(chapter.template, output, {**params, "area_code": area.code}))
        else:
            output = f"{GENERATED}/{edition.id}/{number:02d}-{chapter.slug}"
            runs.append(Run(chapter.template, output, {**params, "area_code": board.root.code}))
    return runs


def built_board(root: Path) -> str | None:
    """The board whose pages the book's ``_generated/`` holds (the last one built), if any."""
    path = Path(root) / GENERATED / BOARD_FILE
    return path.read_text(encoding="utf-8").strip() if path.is_file() else None


def find_run(board: Board, template: str, area_code: str | None = None, edition: str | None = None,
             chapter: str | None = None) -> Run:
    """The planned run of `template` (path under chapters/) for one area, to execute on its own;
    `chapter` (a slug) picks among the chapters that share a template."""
    template = template.removeprefix("chapters/")
    candidates = [
        run
        for run in plan_runs(board)
        if run.template == template
        and (area_code is None or run.parameters["area_code"] == area_code)
        and (edition is None or run.parameters["edition"] == edition)
        and (chapter is None or run.parameters["chapter"] == chapter)
    ]
    if not candidates:
        known = sorted({run.template for run in plan_runs(board)})
        raise ConfigError(
            f"{board.path}: no run of chapters/{template}"
            + (f" for area {area_code}" if area_code else "")
            + (f" in edition {edition}" if edition else "")
            + (f" for chapter {chapter}" if chapter else "")
            + f" (configured templates: {', '.join(known)})"
        )
    return candidates[0]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def package_digest() -> str:
    """Hash of the package's own files (its code, templates and static files)."""
    h = hashlib.sha256()
    for path in sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(PACKAGE_DIR)).encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


class Digests:
    """Content hashes of a book's input files (and ``glob:`` listings), each computed once."""

    def __init__(self, root: Path):
        self.root = root
        self._known: dict[str, str | None] = {}

    def __call__(self, name: str) -> str | None:
        """The hash of one recorded input (a path relative to the book root), or None if it is gone."""
        if name not in self._known:
            self._known[name] = self._compute(name)
        return self._known[name]

    def _compute(self, name: str) -> str | None:
        if name.startswith(inputs.GLOB):
            folder, pattern = name.removeprefix(inputs.GLOB).rsplit("/", 1)
            return _sha("\n".join(sorted(p.name for p in (self.root / folder).glob(pattern))).encode())
        path = self.root / name
        return _sha(path.read_bytes()) if path.is_file() else None

    def folder(self, name: str) -> str:
        """One hash of every file under a folder of the book (names and contents)."""
        h = hashlib.sha256()
        base = self.root / name
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            rel = path.relative_to(self.root).as_posix()
            h.update(rel.encode())
            h.update((self(rel) or "").encode())
        return h.hexdigest()


def relative_reads(root: Path, reads: tuple[str, ...]) -> list[str]:
    """The reads of a run that are book inputs, relative to the book root: files under ``data/`` and
    ``chapters/`` and at the top of the book (not the package, generated files or a virtual environment)."""
    out = set()
    for name in reads:
        glob = name.startswith(inputs.GLOB)
        path = Path(name.removeprefix(inputs.GLOB))
        try:
            rel = path.relative_to(root)
        except ValueError:
            continue
        if rel.parts and (rel.parts[0] in INPUT_DIRS or len(rel.parts) == 1):
            out.add(f"{inputs.GLOB}{rel.as_posix()}" if glob else rel.as_posix())
    return sorted(out)


def _worker(root: str, run: Run, kernel_name: str) -> tuple[float, list[str], int]:
    """Execute one run in this worker process: (seconds, reads relative to the book, tries)."""
    book = Path(root)
    with execute.stderr_to(book / GENERATED / ".logs" / f"{run.label.replace('/', '-')}.log"):
        done = execute.execute(book, run.template, run.parameters, book / f"{run.output}.ipynb", kernel_name)
    return done.seconds, relative_reads(book, done.reads), done.attempts


def execute_run(root: str | Path, run: Run, kernel_name: str = execute.KERNEL) -> float:
    """Execute one planned run into its output notebook (on this process's warm kernel); return the seconds."""
    return _worker(str(Path(root).resolve()), run, kernel_name)[0]


class Stage:
    """The papermill stage of one book: plan, skip unchanged runs, execute the rest.

    The manifest (``_generated/.jsna-manifest.json``) keeps, for each run, the key of its template,
    parameters and package code, and the hash of every input file the run read when it last ran.
    A run executes again only when one of those changed, or its notebook is missing.
    """

    def __init__(self, root: Path, board: str | None = None, kernel_name: str = execute.KERNEL):
        self.root = root.resolve()
        self.board = load_board(self.root / "data", board)
        self.runs = plan_runs(self.board)
        self.kernel_name = kernel_name
        self.manifest_path = self.root / GENERATED / MANIFEST
        self.digests = Digests(self.root)
        self._package = package_digest()

    def _manifest(self) -> dict[str, dict]:
        try:
            manifest = json.loads(self.manifest_path.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return {}
        if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION:
            return {}
        return manifest.get("runs", {})

    def run_key(self, run: Run) -> str:
        """The key of what a run is apart from its inputs: template bytes, parameters, package code."""
        h = hashlib.sha256((self.root / "chapters" / run.template).read_bytes())
        h.update(json.dumps(run.parameters, sort_keys=True).encode())
        h.update(self._package.encode())
        h.update(self.kernel_name.encode())
        return h.hexdigest()

    def _fresh(self, run: Run, entry: dict | None) -> bool:
        return (
            entry is not None
            and entry.get("key") == self.run_key(run)
            and isinstance(entry.get("reads"), dict)
            and all(self.digests(name) == digest for name, digest in entry["reads"].items())
            and (self.root / f"{run.output}.ipynb").is_file()
        )

    def pending(self) -> list[Run]:
        """Runs whose key or any recorded input changed, or whose notebook is missing."""
        manifest = self._manifest()
        return [run for run in self.runs if not self._fresh(run, manifest.get(run.output))]

    def _prune(self) -> None:
        """Delete generated notebooks no longer in the plan (an area or chapter was removed)."""
        wanted = {self.root / f"{run.output}.ipynb" for run in self.runs}
        for path in (self.root / GENERATED).rglob("*.ipynb"):
            if path not in wanted:
                path.unlink()

    def quality(self) -> dict:
        """`jsna check`'s findings on the data, recomputed only when a data file or the package changed."""
        cache = self.root / GENERATED / QA_CACHE
        key = _sha((self.board.id + self.digests.folder("data") + self._package).encode())
        try:
            cached = json.loads(cache.read_text())
            if cached.get("key") == key:
                return cached
        except (FileNotFoundError, json.JSONDecodeError):
            pass
        from jsna import qa

        report = qa.check(self.board.data_dir)
        result = {
            "key": key,
            "summary": qa.summary(report),
            "errors": [f"{f.file} row {f.row}, column '{f.column}': {f.rule}: {f.message}" for f in report.errors],
            "markdown": "# Data quality\n\n" + qa.findings_markdown(report),
        }
        atomic.write_json(cache, result)
        return result

    def check_data(self) -> None:
        """Run `jsna check`'s rules: errors block final editions; draft editions list them on an appendix page."""
        report = self.quality()
        final = [e.id for e in self.board.editions if e.status == "final"]
        if report["errors"] and final:
            listed = "\n".join(f"  {line}" for line in report["errors"][:20])
            raise DataQualityError(
                f"refusing to publish final edition(s) {', '.join(final)}: {report['summary']}\n{listed}\n"
                "Fix the data or acknowledge findings that are in the published sources in data/qa_accepted.yml."
            )
        page = self.root / GENERATED / "appendix" / "data-quality.md"
        if any(e.status == "draft" for e in self.board.editions):
            if not page.exists() or page.read_text(encoding="utf-8") != report["markdown"]:
                atomic.write_text(page, report["markdown"])
        elif page.exists():
            page.unlink()

    def execute(self, jobs: int | None = None, progress: bool = True) -> list[RunResult]:
        """Check the data, then run every pending run `jobs` at a time; raise RunError on the first failure.

        Holds the book's build lock throughout. The manifest is rewritten after every finished run,
        so a stage that is killed keeps the work it finished and redoes only the rest.
        """
        with atomic.lock(self.root / GENERATED / LOCK):
            for scrap in (self.root / GENERATED).rglob(".*.tmp"):  # left by a killed stage, never read
                scrap.unlink()
            self.check_data()
            board_file = self.root / GENERATED / BOARD_FILE
            if not board_file.is_file() or board_file.read_text(encoding="utf-8") != self.board.id:
                atomic.write_text(board_file, self.board.id)
            todo = self.pending()
            manifest = {k: v for k, v in self._manifest().items() if k in {r.output for r in self.runs}}
            results = {run.output: RunResult(run, 0.0, False) for run in self.runs if run not in todo}
            with _Progress(len(todo), progress) as bar:
                for run, (seconds, reads, attempts) in self._run(todo, jobs):
                    manifest[run.output] = {"key": self.run_key(run), "reads": {name: self.digests(name) for name in reads}}
                    atomic.write_json(self.manifest_path, {"version": MANIFEST_VERSION, "runs": manifest})
                    results[run.output] = RunResult(run, seconds, True, attempts)
                    bar.advance(run, seconds, attempts)
            self._prune()
        return [results[run.output] for run in self.runs]

    def _run(self, todo: list[Run], jobs: int | None) -> Iterator[tuple[Run, tuple[float, list[str], int]]]:
        """Execute `todo`, yielding each run with its result as it finishes; the first failure stops the rest."""
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
        if jobs == 1:  # one at a time: this process's own warm kernel, no worker to start
            for run in todo:
                yield run, _worker(str(self.root), run, self.kernel_name)
            return
        with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
            futures = {pool.submit(_worker, str(self.root), run, self.kernel_name): run for run in todo}
            try:
                for future in as_completed(futures):
                    yield futures[future], future.result()
            finally:
                for future in futures:
                    future.cancel()


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

    def advance(self, run: Run, seconds: float, attempts: int = 1) -> None:
        if self.enabled:
            retried = f"  (kernel restarted, {attempts} tries)" if attempts > 1 else ""
            self.progress.console.print(f"  executed {run.label:<48} {seconds:6.1f} s{retried}")
            self.progress.advance(self.task)

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.progress.stop()


def timings_table(results: list[RunResult]) -> str:
    """Plain-text table of per-notebook timings for the end of a build."""
    lines = [f"{'notebook':<50} {'seconds':>8}  status"]
    for r in results:
        status = "unchanged, reused" if not r.executed else "executed" + (f" ({r.attempts} tries)" if r.attempts > 1 else "")
        lines.append(f"{r.run.label:<50} {r.seconds:8.1f}  {status}")
    executed = [r for r in results if r.executed]
    lines.append(f"{len(executed)} executed, {len(results) - len(executed)} reused, {sum(r.seconds for r in executed):.1f} s of notebook time")
    return "\n".join(lines)


def manifest_token(root: Path) -> str:
    """A hash of the run manifest as it is now: `jsna build` passes it to its jupyter-book, whose
    extension then skips the stage only if the manifest is still exactly what the stage left."""
    path = root / GENERATED / MANIFEST
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def build_book(root: Path, jobs: int | None = None, board: str | None = None) -> list[RunResult]:
    """Full HTML build: papermill stage, then Jupyter Book into its own folder, then swap.

    Sphinx builds into ``_build/.jsna-sphinx`` (kept between builds, so an unchanged page is not
    written again); the result is copied beside ``_build/html`` and exchanged with it in one step,
    only when every step succeeded. A build killed at any point leaves the published site as it
    was; the next build clears what it left and, if Sphinx was cut short, starts Sphinx afresh.
    """
    root = root.resolve()
    build_dir = root / "_build"
    sphinx_dir = build_dir / SPHINX_DIR
    unfinished = sphinx_dir / ".unfinished"
    with atomic.lock(build_dir / LOCK):
        atomic.recover_dir(build_dir / "html")
        results = Stage(root, board).execute(jobs=jobs)
        if unfinished.exists():  # the last Sphinx run was killed: nothing it left can be trusted
            shutil.rmtree(sphinx_dir)
        sphinx_dir.mkdir(parents=True, exist_ok=True)
        unfinished.touch()
        env = {**os.environ, "JSNA_JOBS": str(jobs or os.cpu_count() or 1), STAGE_DONE: manifest_token(root)}
        if board:
            env["JSNA_BOARD"] = board
        proc = subprocess.run([*JUPYTER_BOOK, "build", str(root), "--path-output", str(sphinx_dir)], env=env, cwd=root)
        if proc.returncode != 0:
            raise RunError(f"jupyter-book build failed (exit {proc.returncode}); _build/html left as it was")
        unfinished.unlink()
        staging = atomic.staging_dir(build_dir, ".staging-")
        try:
            shutil.copytree(sphinx_dir / "_build" / "html", staging / "html")
            atomic.replace_dir(staging / "html", build_dir / "html")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return results
