"""Build reliability: kernels that die, many kernels at once under load, builds killed part way,
runs keyed on what they read, and two builds that give the same pages."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from jsna import atomic, execute
from jsna.build import GENERATED, LOCK, MANIFEST, Stage
from tests.conftest import copy_book, edition, reduce_book

# --------------------------------------------------------------------------- a small book


def tiny_book(root: Path, areas: int = 1, cells: tuple[str, ...] = ("print(area_code[-2:])",)) -> Path:
    """A book with one template run for each of `areas` areas, and nothing else."""
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('board = "tiny"\nedition = "e"\narea_code = "E10000001"\nperiod = "2025"\nstatus = "draft"',
                                  metadata={"tags": ["parameters"]}),
        *(nbformat.v4.new_code_cell(c) for c in cells),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                 "language_info": {"name": "python"}})
    (root / "chapters").mkdir(parents=True)
    nbformat.write(nb, root / "chapters" / "tiny.ipynb")
    board = {
        "board": "tiny", "name": "Tiny board", "county": {"code": "E10000001", "name": "Tiny county"},
        "districts": [{"code": f"E0700{i:04d}", "name": f"District {i}"} for i in range(1, areas)],
        "comparator": {"code": "E92000001", "name": "England"},
        "editions": [{"id": "e", "kind": "jsna", "title": "Tiny", "period": "2025", "status": "draft",
                      "chapters": [{"slug": "tiny", "template": "tiny.ipynb", "for_each": "areas"}]}],
    }
    (root / "data" / "boards").mkdir(parents=True)
    (root / "data" / "boards" / "tiny.yml").write_text(yaml.safe_dump(board))
    return root


FLAKY = '''
import os, sys
counter, deaths = sys.argv[2], int(sys.argv[3])
starts = int(open(counter).read() or 0) if os.path.exists(counter) else 0
open(counter, "w").write(str(starts + 1))
if starts < deaths:
    os._exit(1)  # the kernel dies before it answers kernel_info
from ipykernel.kernelapp import launch_new_instance
launch_new_instance(argv=["-f", sys.argv[1]])
'''


def flaky_kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deaths: int) -> tuple[str, Path]:
    """A kernel spec whose process exits at start-up the first `deaths` times; (name, start counter)."""
    spec = tmp_path / "jupyter" / "kernels" / f"jsna-flaky-{deaths}"
    spec.mkdir(parents=True)
    (spec / "launch.py").write_text(FLAKY)
    counter = tmp_path / f"starts-{deaths}"
    argv = [sys.executable, str(spec / "launch.py"), "{connection_file}", str(counter), str(deaths)]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "flaky", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return spec.name, counter


@pytest.fixture
def kernels():
    """Stop the kernels a test started (the next test gets fresh ones)."""
    yield
    execute.shutdown()


# --------------------------------------------------------------------------- dying kernels


def test_a_kernel_that_dies_at_start_is_restarted_and_the_run_retried(tmp_path, monkeypatch, caplog, kernels):
    root = tiny_book(tmp_path / "book")
    name, counter = flaky_kernel(tmp_path, monkeypatch, deaths=2)
    with caplog.at_level(logging.WARNING, logger="jsna.execute"):
        done = execute.execute(root, "tiny.ipynb", {"area_code": "E10000042"}, root / "out.ipynb", kernel_name=name)
    assert done.attempts == 3 and counter.read_text() == "3"
    retries = [r.getMessage() for r in caplog.records if "kernel died before running any cell" in r.getMessage()]
    assert len(retries) == 2 and "chapters/tiny.ipynb" in retries[0] and "try 2 of 3" in retries[0]
    outputs = [o.get("text", "") for c in nbformat.read(root / "out.ipynb", 4).cells for o in c.get("outputs", [])]
    assert outputs == ["42\n"]


def test_a_kernel_that_never_starts_fails_the_run_after_three_tries(tmp_path, monkeypatch, kernels):
    root = tiny_book(tmp_path / "book")
    name, counter = flaky_kernel(tmp_path, monkeypatch, deaths=99)
    with pytest.raises(execute.RunError, match=r"chapters/tiny.ipynb \(area_code='E10000001'\) failed: its kernel died before running any cell, 3 times"):
        execute.execute(root, "tiny.ipynb", {"area_code": "E10000001"}, root / "out.ipynb", kernel_name=name)
    assert counter.read_text() == "3" and not (root / "out.ipynb").exists()


def test_an_error_in_a_cell_fails_at_once_and_is_not_retried(tmp_path, monkeypatch, kernels):
    root = tiny_book(tmp_path / "book", cells=("x = 1", 'raise ValueError("deliberate")'))
    name, counter = flaky_kernel(tmp_path, monkeypatch, deaths=1)
    with pytest.raises(execute.RunError) as info:
        execute.execute(root, "tiny.ipynb", {"area_code": "E10000001"}, root / "out.ipynb", kernel_name=name)
    message = str(info.value)
    assert "chapters/tiny.ipynb (area_code='E10000001') failed: cell [4] raised ValueError: deliberate" in message  # papermill adds the injected-parameters cell
    assert counter.read_text() == "2"  # one death at start, then the run that failed in its cell: no third start


def test_a_kernel_killed_between_two_runs_is_replaced(tmp_path, kernels):
    root = tiny_book(tmp_path / "book")
    first = execute.execute(root, "tiny.ipynb", {"area_code": "E10000001"}, root / "a.ipynb")
    os.kill(execute._kernel(execute.KERNEL).km.provisioner.pid, signal.SIGKILL)
    second = execute.execute(root, "tiny.ipynb", {"area_code": "E10000002"}, root / "b.ipynb")
    assert first.attempts == 1 and second.attempts in (1, 2)
    assert nbformat.read(root / "b.ipynb", 4).cells[-1].outputs[0]["text"] == "02\n"


def _burn(until: float) -> None:
    while time.time() < until:
        pass


def test_many_kernels_start_at_once_on_a_busy_machine(tmp_path):
    """Six workers start their kernels at the same moment while every core is kept busy."""
    root = tiny_book(tmp_path / "book", areas=12)
    burners = [multiprocessing.Process(target=_burn, args=(time.time() + 60,)) for _ in range(os.cpu_count() or 2)]
    for b in burners:
        b.start()
    try:
        results = Stage(root, "tiny").execute(jobs=6, progress=False)
    finally:
        for b in burners:
            b.terminate()
    assert len(results) == 12 and all(r.executed for r in results)
    for r in results:
        nb = nbformat.read(root / f"{r.run.output}.ipynb", 4)
        assert nb.cells[-1].outputs[0]["text"] == r.run.parameters["area_code"][-2:] + "\n"


# --------------------------------------------------------------------------- cache keys per run


def test_changing_one_data_file_reruns_only_the_pages_that_read_it(built_book: Path, tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    (root / GENERATED).mkdir()
    for item in (built_book / GENERATED).iterdir():  # the session build's runs, as a rebuild finds them
        dest = root / GENERATED / item.name
        (subprocess.run(["cp", "-a", str(item), str(dest)], check=True))
    stage = Stage(root)
    assert stage.pending() == []
    reads = json.loads((root / GENERATED / MANIFEST).read_text())["runs"]
    readers = sorted(out for out, entry in reads.items() if "data/carers.csv" in entry["reads"])
    assert readers and len(readers) < len(stage.runs) / 4, readers
    with (root / "data" / "carers.csv").open("a") as f:
        f.write("")  # same bytes, newer time: not a change
    assert Stage(root).pending() == []
    text = (root / "data" / "carers.csv").read_text()
    (root / "data" / "carers.csv").write_text(text.replace("\n", "\r\n", 1))
    assert sorted(r.output for r in Stage(root).pending()) == readers
    results = Stage(root).execute(jobs=2, progress=False)
    assert sorted(r.run.output for r in results if r.executed) == readers
    assert Stage(root).pending() == []
