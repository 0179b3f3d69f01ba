"""Papermill's ``jsna`` engine: executes a parameterised notebook on a warm :class:`jsna.execute.Kernel`.

Imported by :func:`jsna.execute.execute` when a run executes, which registers the engine.
"""

from __future__ import annotations

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

from jsna.execute import Kernel, log


class _Client(PapermillNotebookClient):
    """Papermill's notebook client on a kernel it does not own, counting the cells that finished."""

    def __init__(self, nb_man, kernel: Kernel, **kw):
        super().__init__(nb_man, km=kernel.km, **kw)
        self.kc = kernel.kc
        self.kernel = kernel

    def execute_cell(self, cell, cell_index, *args, **kw):
        result = super().execute_cell(cell, cell_index, *args, **kw)
        if cell.cell_type == "code":
            self.kernel.cells_done += 1
        return result


class WarmEngine(NBClientEngine):
    """Papermill engine ``jsna``: executes the parameterised notebook on a given warm :class:`Kernel`."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, kernel: Kernel | None = None, **kwargs):
        if kernel is None:
            raise ValueError("the jsna papermill engine needs kernel=<jsna.execute.Kernel>")
        client = _Client(nb_man, kernel, timeout=execution_timeout, startup_timeout=start_timeout,
                         kernel_name=kernel_name, log=log, log_output=log_output,
                         stdout_file=stdout_file, stderr_file=stderr_file)
        return client.execute()


papermill_engines.register("jsna", WarmEngine)
