"""Build reliability: kernels that die, many kernels at once under load, builds killed part way,
runs keyed on what they read, and two builds that give the same pages."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import random
import re
import shutil
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
from jsna.pdf import PDF_MANIFEST
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
        "board": "tiny", "name": "Tiny board", "data": ".",
        "levels": [{"id": "top", "word": "area", "areas": [{"code": "E10000001", "name": "Tiny top"}]},
                   {"id": "part", "word": "part", "areas": [{"code": f"E0700{i:04d}", "name": f"Part {i}"} for i in range(1, areas)]}],
        "comparators": [{"role": "national", "code": "E92000001", "name": "England"}],
        "editions": [{"id": "e", "kind": "jsna", "title": "Tiny", "period": "2025", "status": "draft",
                      "chapters": [{"slug": "tiny", "template": "tiny.ipynb", "for_each": ["top", "part"]}]}],
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


# --------------------------------------------------------------------------- killed builds

SEED = int(os.environ.get("JSNA_KILL_SEED", time.time_ns() % 2**32))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def jsna(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jsna", *args], capture_output=True, text=True)


def kill_when(args: list[str], trigger) -> str:
    """Run `jsna ARGS` in its own process group and SIGKILL the whole group as soon as `trigger`
    (called with each output line) says so; return what it printed."""
    proc = subprocess.Popen([sys.executable, "-m", "jsna", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if trigger(line):
            os.killpg(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, f"the build finished before it was killed:\n{''.join(seen)[-2000:]}"
    return "".join(seen)


def nth(pattern: str, n: int, pause: float = 0.0):
    """A trigger that fires on the n-th line matching `pattern`, after `pause` seconds."""
    count = 0

    def trigger(line: str) -> bool:
        nonlocal count
        count += bool(re.search(pattern, re.sub(r"\x1b\[[0-9;]*m", "", line)))
        if count > n:
            time.sleep(pause)
            return True
        return False

    return trigger


def assert_recovered(root: Path) -> None:
    """No lock is held, every generated notebook is whole, and the next build succeeds."""
    for lock in (root / "_build" / LOCK, root / GENERATED / LOCK):
        with atomic.lock(lock, wait=False):
            pass
    for path in (root / GENERATED).rglob("*.ipynb"):
        nbformat.read(path, 4)
    proc = jsna("build", str(root), "--jobs", "2")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five pages of one annual-report edition, built and published with `jsna build`."""
    root = copy_book(tmp_path_factory.mktemp("killed") / "book")
    reduce_book(root, [edition("annual-report-2023-24", "draft", ["index", "foreword", "bcf", "looking_forward", "review"])])
    proc = jsna("build", str(root), "--jobs", "2")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    # the papermill stage runs once: jupyter-book's extension finds it done and does not plan it again
    assert "jsna papermill stage: already run by `jsna build`" in proc.stdout
    assert proc.stdout.count("executed annual-report-2023-24/00-index") == 1 and "unchanged, reused" not in proc.stdout
    return root


def test_a_build_killed_in_the_papermill_stage_or_in_sphinx_leaves_the_site_and_recovers(small_site: Path):
    rng = random.Random(SEED)
    site = small_site / "_build" / "html"
    before = tree(site)
    runs = len(Stage(small_site).runs)
    # every run executes again (as after a change to the package), killed at a random point
    (small_site / GENERATED / MANIFEST).unlink()
    kill_when(["build", str(small_site), "--jobs", "2"], nth(r"^\s+executed ", rng.randrange(runs - 1), rng.random() / 2))
    assert tree(site) == before, f"seed {SEED}"
    assert_recovered(small_site)
    assert tree(site).keys() == before.keys()
    # Sphinx from scratch, killed at a random page it reads or writes
    shutil.rmtree(small_site / "_build" / ".jsna-sphinx")
    kill_when(["build", str(small_site), "--jobs", "2"], nth(r"(reading sources|writing output)\.\.\. *\[ *\d+%\]", rng.randrange(2 * runs)))
    assert tree(site).keys() == before.keys(), f"seed {SEED}"
    assert_recovered(small_site)
    assert tree(site).keys() == before.keys()


def test_jsna_pdf_killed_part_way_leaves_the_pdfs_and_the_site_and_recovers(small_site: Path):
    rng = random.Random(SEED + 1)
    start = time.perf_counter()
    proc = jsna("pdf", str(small_site))
    took = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr[-3000:]
    # `took` was measured while other tests may have loaded the machine, so a run can finish sooner
    # than the chosen fraction of it: then it is run again and killed earlier.
    for fraction in (rng.uniform(0.1, 0.8), 0.05, 0.01):
        (small_site / "_build" / "pdf" / PDF_MANIFEST).unlink()  # nothing recorded: every PDF is laid out again
        before = {name: tree(small_site / "_build" / name) for name in ("pdf", "html")}
        when = time.monotonic() + took * fraction
        proc = subprocess.Popen([sys.executable, "-m", "jsna", "pdf", str(small_site)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        while proc.poll() is None and time.monotonic() < when:
            time.sleep(0.02)
        if proc.poll() is None:
            break
        assert proc.returncode == 0
    assert proc.poll() is None, "jsna pdf finished before it was killed, however early"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert {name: tree(small_site / "_build" / name) for name in ("pdf", "html")} == before, f"seed {SEED + 1}"
    with atomic.lock(small_site / "_build" / LOCK, wait=False):
        pass
    again = jsna("pdf", str(small_site))
    assert again.returncode == 0, again.stderr[-3000:]
    assert tree(small_site / "_build" / "pdf").keys() == before["pdf"].keys() | {PDF_MANIFEST}
    # a run with nothing changed lays out nothing and keeps every file as it was
    pdfs = tree(small_site / "_build" / "pdf")
    unchanged = jsna("pdf", str(small_site))
    count = len([k for k in pdfs if k.endswith(".pdf")])
    assert f"{count} PDFs ({count} unchanged, reused)" in unchanged.stdout, unchanged.stdout[-1500:]
    assert tree(small_site / "_build" / "pdf") == pdfs


# --------------------------------------------------------------------------- the same inputs, the same pages

STAMP = re.compile(r"Built \d{1,2} [A-Z][a-z]+ \d{4} from [^<·]+")


def pages(site: Path) -> dict[str, str]:
    """Every HTML page of a built site, with the build stamp masked and PDF links shown as before `jsna pdf`."""
    return {
        p.relative_to(site).as_posix(): STAMP.sub("BUILT", p.read_text(encoding="utf-8")).replace('class="jsna-pdf-link">', 'class="jsna-pdf-link" hidden>')
        for p in sorted(site.rglob("*.html"))
        if "pdf" not in p.relative_to(site).parts
    }


@pytest.mark.build
def test_two_builds_from_the_same_inputs_give_the_same_pages(html_dir: Path, tmp_path: Path):
    """The session's book built again later, in another folder and by `jsna build`: every page, with
    its charts' data, is the same text apart from the banner's build stamp."""
    other = copy_book(tmp_path / "elsewhere" / "book")
    proc = jsna("build", str(other), "--jobs", "2")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    first, second = pages(html_dir), pages(other / "_build" / "html")
    assert first.keys() == second.keys()
    differ = {}
    for name in first:
        if first[name] != second[name]:
            a, b = first[name], second[name]
            at = next(i for i in range(min(len(a), len(b))) if a[i] != b[i]) if a[:len(b)] != b[:len(a)] else min(len(a), len(b))
            differ[name] = (a[max(0, at - 80):at + 80], b[max(0, at - 80):at + 80])
    assert differ == {}
