"""Execute one chapter run with papermill, on a kernel kept warm for the runs that follow.

Starting an IPython kernel and importing the package costs more than most pages take to run, so
each process that executes runs keeps one kernel and gives it notebook after notebook through
papermill's ``jsna`` engine (:mod:`jsna.papermill_engine`). Before each notebook the kernel's
namespace is cleared and its execution counter set back to 1, so a page comes out the same
whichever pages shared its kernel; tables the package cached stay in memory (they are dropped
when a data file changes).

Kernels talk over Unix sockets in a private folder (no TCP ports to race for when many start at
once). A kernel that dies before running any cell of a notebook, at start-up or between two
notebooks, is restarted and the notebook run again, a bounded number of times, each logged. An
error raised by a cell fails the run at once, naming template, parameters and cell.
"""

from __future__ import annotations

import ast
import atexit
import json
import logging
import os
import queue
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import util
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync

from jsna import atomic

log = logging.getLogger("jsna.execute")

KERNEL = os.environ.get("JSNA_KERNEL", "python3")
START_TIMEOUT = 120.0  # seconds a kernel may take to answer its first request on a busy machine
ATTEMPTS = 3  # tries of a run whose kernel died before it ran a cell


class RunError(RuntimeError):
    """A chapter template raised while papermill executed it, or its kernel could not be kept alive."""


@dataclass(frozen=True)
class Executed:
    """What executing a run gave: seconds taken, the files it read, and how many tries it needed."""

    seconds: float
    reads: tuple[str, ...]
    attempts: int


class Kernel:
    """One IPython kernel that executes notebook after notebook."""

    def __init__(self, kernel_name: str = KERNEL):
        self.kernel_name = kernel_name
        self.km = None
        self.kc = None
        self.cells_done = 0  # code cells of the current notebook that finished
        self.starts = 0
        self._sockets: str | None = None

    @property
    def alive(self) -> bool:
        return self.km is not None and run_sync(self.km.is_alive)()

    def start(self, root: Path) -> None:
        """Start the kernel in the book `root` and wait until it answers (raises what the start raised).

        The kernel's own messages go to ``_generated/.logs/kernel-<pid>.log`` of that book.
        """
        from jupyter_client.manager import AsyncKernelManager

        self.stop()
        self.starts += 1
        self._sockets = tempfile.mkdtemp(prefix="jsna-k")
        self.km = AsyncKernelManager(kernel_name=self.kernel_name, transport="ipc", ip=os.path.join(self._sockets, "k"))
        logs = root / "_generated" / ".logs"
        logs.mkdir(parents=True, exist_ok=True)
        with (logs / f"kernel-{os.getpid()}.log").open("a") as out:
            run_sync(self.km.start_kernel)(cwd=str(root), stdout=out, stderr=out)
        self.kc = self.km.client()
        self.kc.start_channels()
        run_sync(self.kc.wait_for_ready)(timeout=START_TIMEOUT)
        self.kc.allow_stdin = False

    def prepare(self, root: Path) -> None:
        """Clear what the last notebook left (names, counter) and start recording this run's reads."""
        self._request(
            "import os as _os, jsna.inputs as _inputs\n"
            f"_os.chdir({str(root)!r}); _os.environ['JSNA_DATA_DIR'] = {str(root / 'data')!r}\n"
            f"_inputs.begin({str(root / 'data')!r})\n"
            "get_ipython().reset(new_session=True)"
        )
        self.cells_done = 0

    def reads(self) -> tuple[str, ...]:
        """The files the notebook just executed read (absolute paths and ``glob:`` listings)."""
        reply = self._request("", {"reads": "__import__('json').dumps(__import__('jsna.inputs').inputs.collected())"})
        value = reply["user_expressions"]["reads"]
        if value.get("status") != "ok":
            raise RuntimeError(f"kernel could not list the run's reads: {value.get('evalue')}")
        return tuple(json.loads(ast.literal_eval(value["data"]["text/plain"])))

    def _request(self, code: str, expressions: dict[str, str] | None = None) -> dict:
        msg_id = self.kc.execute(code, silent=True, store_history=False, user_expressions=expressions or {})
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                reply = run_sync(self.kc.get_shell_msg)(timeout=1.0)
            except queue.Empty:
                if not self.alive:
                    raise RuntimeError("the kernel died") from None
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the kernel did not answer in {START_TIMEOUT:.0f} s") from None
                continue
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"kernel refused a set-up request: {content.get('ename')}: {content.get('evalue')}")
        return content

    def stop(self) -> None:
        """Shut the kernel down (if one is running) and remove its sockets."""
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # a kernel that already died has nothing left to shut down
                pass
            self.km = None
        if self._sockets:
            shutil.rmtree(self._sockets, ignore_errors=True)
            self._sockets = None


_kernels: dict[str, Kernel] = {}


def _kernel(kernel_name: str) -> Kernel:
    """This process's warm kernel of that name (shut down when the process ends)."""
    if not _kernels:
        atexit.register(shutdown)
        util.Finalize(None, shutdown, exitpriority=10)  # worker processes end without atexit
    return _kernels.setdefault(kernel_name, Kernel(kernel_name))


def shutdown() -> None:
    """Stop every warm kernel of this process."""
    while _kernels:
        _kernels.popitem()[1].stop()


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


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop what differs between two executions of the same run: timings, paths, random cell ids."""
    nb.metadata.pop("papermill", None)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        for key in ("papermill", "execution"):
            cell.metadata.pop(key, None)
    return nb


def _code_with(cell: nbformat.NotebookNode, outputs: list) -> nbformat.NotebookNode:
    new = nbformat.v4.new_code_cell(cell.source, metadata=cell.metadata)
    new.outputs = outputs
    new.execution_count = cell.get("execution_count")
    return new


def describe(template: str, parameters: dict) -> str:
    params = ", ".join(f"{k}={v!r}" for k, v in parameters.items())
    return f"chapters/{template} ({params})"


def _cell_failure(template: str, parameters: dict, exc: Exception) -> str:
    """The message of a run whose cell raised (`exc` is papermill's PapermillExecutionError)."""
    return f"template {describe(template, parameters)} failed: cell [{exc.exec_count}] raised {exc.ename}: {exc.evalue}".rstrip()


def execute(root: Path, template: str, parameters: dict, target: Path, kernel_name: str = KERNEL) -> Executed:
    """Execute ``chapters/<template>`` with `parameters` into the notebook `target` (written atomically).

    The run goes to this process's warm kernel; a kernel that dies before the notebook's first cell
    has finished is restarted and the run tried again, up to :data:`ATTEMPTS` times in all.
    """
    import papermill  # imported here: a build with nothing to run never loads it
    from papermill.exceptions import PapermillExecutionError

    from jsna import papermill_engine  # noqa: F401  (registers papermill's "jsna" engine)

    root = root.resolve()
    os.environ["JSNA_DATA_DIR"] = str(root / "data")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    kernel = _kernel(kernel_name)
    start = time.perf_counter()
    for attempt in range(1, ATTEMPTS + 1):
        kernel.cells_done = 0
        try:
            if not kernel.alive:
                kernel.start(root)
            kernel.prepare(root)
            nb = papermill.execute_notebook(
                str(root / "chapters" / template),
                None,
                parameters=parameters,
                engine_name="jsna",
                kernel_name=kernel_name,
                kernel=kernel,
                cwd=str(root),
                progress_bar=False,
                log_output=False,
                start_timeout=START_TIMEOUT,
            )
            reads = kernel.reads()
            break
        except PapermillExecutionError as exc:
            raise RunError(_cell_failure(template, parameters, exc)) from None
        except Exception as exc:
            what = f"{type(exc).__name__}: {exc}".strip()
            died = not kernel.alive
            kernel.stop()
            if not died:  # the kernel is fine: the template or its parameters are not
                raise RunError(f"template {describe(template, parameters)} failed: {what}") from None
            if kernel.cells_done:
                raise RunError(f"template {describe(template, parameters)} failed: the kernel died after "
                               f"cell [{kernel.cells_done}] had run ({what})") from None
            if attempt == ATTEMPTS:
                raise RunError(f"template {describe(template, parameters)} failed: its kernel died before running "
                               f"any cell, {ATTEMPTS} times ({what})") from None
            log.warning("kernel died before running any cell of chapters/%s (%s); retrying (try %d of %d)",
                        template, what, attempt + 1, ATTEMPTS)
    atomic.write_notebook(normalise(promote_markdown(nb)), target)
    return Executed(time.perf_counter() - start, reads, attempt)


@contextmanager
def stderr_to(path: Path) -> Iterator[None]:
    """Send this process's stderr to a file while a run executes (the kernel's transport warnings
    are noise on the console; what a template prints or raises is kept in its notebook)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with path.open("w") as out:
        os.dup2(out.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
