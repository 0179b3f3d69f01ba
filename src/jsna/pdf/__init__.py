"""Print editions from the built HTML book with WeasyPrint (CSS paged media, no browser, no LaTeX).

``jsna pdf`` reads ``_build/html`` and writes, for every edition of the board configuration,
``_build/pdf/<edition>.pdf`` (cover, contents with page numbers, every page in book order) and
``_build/pdf/chapters/<edition>/<name>.pdf`` for each page on its own, where ``<name>`` is the
page's path under ``_generated/<edition>/`` with "/" replaced by "-". The same files are copied
to ``_build/html/pdf/`` so the published site can link to them (see :func:`jsna.links.pdf_href`).

Each chart spec is converted to SVG once with vl-convert, each page is parsed once, and the
documents are laid out in parallel worker processes. PDF dates come from SOURCE_DATE_EPOCH, else
from the last git commit touching ``data/``, else from the newest data file, so two builds from
the same inputs give the same PDFs.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from multiprocessing import get_context
from pathlib import Path

from jsna import atomic
from jsna.build import LOCK, Run, built_board, package_digest, plan_runs
from jsna.config import Board, ConfigError, Edition, load_board
from jsna.links import SITE_PDF_DIR, chapter_pdf_name
from jsna.pdf.extract import ExtractError, PrintPage, page_key, prepare_page, print_spec, spec_digest, squeeze_tall
from jsna.pdf.render import Cover, Job, Part, Written, chapter_html, edition_html, write_pdf

__all__ = ["PdfError", "Result", "build_pdfs", "main", "snapshot_time"]

PDF_DIR = Path("_build") / "pdf"
PDF_MANIFEST = ".jsna-pdf.json"  # in each PDF folder: the key and page count of every PDF in it


class PdfError(RuntimeError):
    """The PDF stage cannot run (no built HTML, a page missing) or a document failed."""


@dataclass(frozen=True)
class Result:
    """What the PDF stage wrote, with page counts and timings."""

    written: tuple[Written, ...]
    seconds: float
    charts: int

    def by_target(self) -> dict[Path, Written]:
        return {w.target: w for w in self.written}


def snapshot_time(root: Path) -> datetime:
    """The fixed moment stamped on the PDFs: SOURCE_DATE_EPOCH, else data/'s last commit, else newest data file."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    try:
        proc = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", "data"], cwd=root, capture_output=True, text=True, timeout=20
        )
        if proc.returncode == 0 and proc.stdout.strip().isdigit():
            return datetime.fromtimestamp(int(proc.stdout.strip()), timezone.utc)
    except (OSError, subprocess.SubprocessError):
        pass
    newest = max((p.stat().st_mtime for p in (root / "data").rglob("*") if p.is_file()), default=0)
    return datetime.fromtimestamp(int(newest), timezone.utc)


def toc_captions(root: Path) -> list[tuple[str, str]]:
    """(glob, part caption) pairs from ``_toc.yml``, for grouping pages on the contents page."""
    import yaml

    try:
        toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return []
    pairs = []
    for part in toc.get("parts", []) or []:
        for entry in part.get("chapters", []) or []:
            pattern = entry.get("glob") or entry.get("file")
            if pattern and part.get("caption"):
                pairs.append((str(pattern).removesuffix(".ipynb").removesuffix(".md"), str(part["caption"])))
    return pairs


def caption_for(output: str, captions: list[tuple[str, str]]) -> str | None:
    """The `_toc.yml` part caption whose glob or file names this page (first match), if any."""
    for pattern, caption in captions:
        if output == pattern or fnmatch.fnmatchcase(output, pattern) and "/" not in output[len(pattern.rstrip("*")) :]:
            return caption
    return None


def group_parts(pages: list[PrintPage], captions: list[tuple[str, str]]) -> list[Part]:
    """Consecutive pages with the same part caption, in book order."""
    parts: list[Part] = []
    for page in pages:
        caption = caption_for(page.output, captions)
        if parts and parts[-1].caption == caption:
            parts[-1] = Part(caption, (*parts[-1].pages, page))
        else:
            parts.append(Part(caption, (page,)))
    return parts


def _read_pages(html_dir: Path, runs: Iterable[Run]) -> dict[str, str]:
    texts = {}
    for run in runs:
        path = html_dir / f"{run.output}.html"
        if not path.exists():
            raise PdfError(f"{path} is missing: the HTML book is older than the board configuration; run `jupyter-book build .` again")
        texts[run.output] = path.read_text(encoding="utf-8")
    return texts


SPEC_SCRIPT = re.compile(r'<script\b[^>]*\bclass="jsna-spec"[^>]*>(.*?)</script>', re.DOTALL)


def page_specs(texts: Iterable[str]) -> dict[str, str]:
    """Every distinct chart spec on the pages as JSON text, keyed by :func:`spec_digest`."""
    specs = {}
    for text in texts:
        for match in SPEC_SCRIPT.finditer(text):
            spec = match.group(1).strip()
            specs.setdefault(spec_digest(spec), spec)
    return specs


def spec_to_svg(item: tuple[str, str]) -> tuple[str, str]:
    """(digest, SVG) of one chart spec, sized for the page (runs in a worker process)."""
    import vl_convert

    digest, text = item
    spec = print_spec(json.loads(text))
    svg = vl_convert.vegalite_to_svg(spec)
    height = re.search(r'<svg\b[^>]*\bheight="([\d.]+)"', svg)
    squeezed = squeeze_tall(spec, float(height.group(1))) if height else None
    return digest, vl_convert.vegalite_to_svg(squeezed) if squeezed else svg


def built_html(root: Path) -> Path:
    """The book's built HTML folder; a PdfError when the book has not been built."""
    html_dir = root / "_build" / "html"
    if not html_dir.is_dir() or not any(html_dir.glob("*.html")):
        raise PdfError(f"no built HTML book in {html_dir}: run `jupyter-book build .` first")
    return html_dir


def plan_jobs(
    root: Path,
    board: Board,
    status: dict[str, str] | None = None,
    editions: Iterable[str] | None = None,
    out: Path | None = None,
    map_=map,
) -> tuple[list[Job], int]:
    """Every PDF to write, largest first, and the number of distinct charts.

    `status` overrides an edition's draft/final status by edition id (to print a final edition
    from a draft build, e.g. in tests); `editions` limits the work to those edition ids; `out`
    replaces ``<root>/_build/pdf``; `map_` converts the chart specs (a process pool's map).
    """
    html_dir = built_html(root)
    wanted = None if editions is None else set(editions)
    runs = [run for run in plan_runs(board) if wanted is None or run.parameters.get("edition") in wanted]
    texts = _read_pages(html_dir, runs)
    svg_of = dict(map_(spec_to_svg, page_specs(texts.values()).items()))
    known = set(texts)
    captions = toc_captions(root)
    built = snapshot_time(root)
    base_url = html_dir.as_uri() + "/"
    out = out or root / PDF_DIR
    whole: list[Job] = []
    chapters: list[Job] = []
    for edition in board.editions:
        edition_runs = [run for run in runs if run.parameters.get("edition") == edition.id]
        if not edition_runs:
            continue
        edition = replace(edition, status=(status or {}).get(edition.id, edition.status))
        cover = _cover(board, edition, built)
        pages = [prepare_page(texts[run.output], run.output, page_key(i), svg_of, known) for i, run in enumerate(edition_runs)]
        whole.append(Job(edition_html(cover, group_parts(pages, captions)), out / f"{edition.id}.pdf", base_url))
        for page in pages:
            name = chapter_pdf_name(page.output)
            if name is not None:
                chapters.append(Job(chapter_html(cover, page), out / "chapters" / name[0] / name[1], base_url))
    return whole + chapters, len(svg_of)


def _cover(board: Board, edition: Edition, built: datetime) -> Cover:
    return Cover(board=board.name, title=edition.title, period=edition.period, status=edition.status, built=built)


def _pool(workers: int) -> ProcessPoolExecutor:
    """Workers forked from a clean fork server with WeasyPrint and vl-convert already imported.

    Forking the calling process itself can deadlock: it may already run vl-convert's or another
    library's threads (a test session that drew charts does), and a forked child inherits their
    locks but not the threads. The fork server has started none.
    """
    if sys.platform.startswith("linux"):
        context = get_context("forkserver")
        context.set_forkserver_preload(["weasyprint", "vl_convert", "jsna.pdf.render", "jsna.pdf.extract"])
    else:
        context = get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context)


def publish_to_site(root: Path) -> None:
    """Copy ``_build/pdf`` into ``_build/html/pdf`` (swapped in whole) so the HTML book's PDF links resolve."""
    staging = atomic.staging_dir(root / "_build", ".site-pdf-")
    shutil.copytree(root / PDF_DIR, staging / SITE_PDF_DIR, ignore=shutil.ignore_patterns(PDF_MANIFEST))
    atomic.replace_dir(staging / SITE_PDF_DIR, root / "_build" / "html" / SITE_PDF_DIR)
    staging.rmdir()


HIDDEN_PDF_LINK = re.compile(r'<p class="jsna-pdf-link" hidden>(<a href="([^"]+)")')


def reveal_pdf_links(html_dir: Path) -> int:
    """Show each "download as PDF" link whose PDF is in the site; return how many were shown.

    The Sphinx extension writes the links hidden, so a site built without `jsna pdf` never links
    to a missing file.
    """
    shown = 0

    def reveal(match: re.Match, page: Path) -> str:
        nonlocal shown
        if not (page.parent / match.group(2)).exists():
            return match.group(0)
        shown += 1
        return f'<p class="jsna-pdf-link">{match.group(1)}'

    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if HIDDEN_PDF_LINK.search(text):
            atomic.write_text(page, HIDDEN_PDF_LINK.sub(lambda m: reveal(m, page), text))
    return shown


def build_pdfs(
    root: Path,
    board: str | None = None,
    *,
    status: dict[str, str] | None = None,
    editions: Iterable[str] | None = None,
    out: Path | None = None,
    workers: int | None = None,
) -> Result:
    """Write every edition and chapter PDF of the book at `root` from its built HTML.

    By default all editions go to ``<root>/_build/pdf``, PDFs of pages no longer in the book are
    removed and the folder is copied to ``_build/html/pdf``. With `out`, only that folder is written. `status`
    and `editions` are as for :func:`plan_jobs`. Charts are converted and documents laid out in
    `workers` processes (default: CPU count).
    """

    root = Path(root).resolve()
    start = time.perf_counter()
    built_html(root)  # an unbuilt book is said so before any board is looked for
    config = load_board(root / "data", board or built_board(root))  # the board the HTML was built for
    workers = max(1, workers or os.cpu_count() or 1)
    if out is not None:
        return _write_all(root, config, status, editions, out, workers, start)
    with atomic.lock(root / "_build" / LOCK):
        published = root / PDF_DIR
        atomic.recover_dir(published)
        staging = atomic.staging_dir(root / "_build", ".pdf-staging-")
        try:
            if editions is not None and published.is_dir():  # the other editions' PDFs stay as they are
                shutil.copytree(published, staging, dirs_exist_ok=True)
            result = _write_all(root, config, status, editions, staging, workers, start, reuse=published)
            if editions is None:
                targets = {w.target for w in result.written}
                for stale in staging.rglob("*.pdf"):
                    if stale not in targets:
                        stale.unlink()
            atomic.replace_dir(staging, published)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        publish_to_site(root)
    written = tuple(replace(w, target=published / w.target.relative_to(staging)) for w in result.written)
    return Result(written, time.perf_counter() - start, result.charts)


def job_key(job: Job, relative: Path) -> str:
    """What a PDF is made from: its print HTML (cover, dates and pages included), where it goes,
    the package (print stylesheet, templates) and WeasyPrint's version."""
    import weasyprint

    h = hashlib.sha256(job.html.encode())
    for part in (relative.as_posix(), job.base_url, package_digest(), weasyprint.__version__):
        h.update(b"\0" + part.encode())
    return h.hexdigest()


def _write_all(root: Path, board: Board, status: dict[str, str] | None, editions: Iterable[str] | None,
               out: Path, workers: int, start: float, reuse: Path | None = None) -> Result:
    """Plan and write the PDFs into `out`; a PDF whose key is the one recorded in `reuse` (the
    published folder) is copied from there instead of being laid out again."""
    known = _pdf_manifest(reuse) if reuse is not None else {}
    with _pool(workers) as pool:
        jobs, charts = plan_jobs(root, board, status, editions, out, map_=pool.map)
        keys = {job.target: job_key(job, job.target.relative_to(out)) for job in jobs}
        written, todo = [], []
        for job in jobs:
            relative = job.target.relative_to(out).as_posix()
            entry = known.get(relative)
            if entry and entry["key"] == keys[job.target] and (reuse / relative).is_file():
                job.target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(reuse / relative, job.target)
                written.append(Written(job.target, entry["pages"], 0.0))
            else:
                todo.append(job)
        written += pool.map(write_pdf, todo)
    order = {job.target: i for i, job in enumerate(jobs)}
    written.sort(key=lambda w: order[w.target])
    manifest = {**(_pdf_manifest(out)), **{w.target.relative_to(out).as_posix(): {"key": keys[w.target], "pages": w.pages} for w in written}}
    atomic.write_json(out / PDF_MANIFEST, manifest)
    return Result(tuple(written), time.perf_counter() - start, charts)


def _pdf_manifest(folder: Path) -> dict[str, dict]:
    try:
        return json.loads((folder / PDF_MANIFEST).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def summary(result: Result, root: Path) -> str:
    """One line per PDF with its pages and seconds, then the total."""
    lines = [f"{'pdf':<60} {'pages':>5} {'seconds':>8}"]
    for w in result.written:
        seconds = f"{w.seconds:8.1f}" if w.seconds else "  reused"
        lines.append(f"{str(w.target.relative_to(root)):<60} {w.pages:>5} {seconds}")
    reused = sum(1 for w in result.written if not w.seconds)
    lines.append(f"{len(result.written)} PDFs ({reused} unchanged, reused), {result.charts} charts, {result.seconds:.1f} s")
    return "\n".join(lines)


def main(root: Path) -> int:
    """`jsna pdf`: write the PDFs, print a summary; 1 with a message when something is wrong."""
    root = Path(root).resolve()
    try:
        result = build_pdfs(root)
    except (PdfError, ConfigError, ExtractError, atomic.Busy) as exc:
        print(f"jsna pdf failed: {exc}", file=sys.stderr)
        return 1
    print(summary(result, root))
    linked = reveal_pdf_links(root / "_build" / "html")
    print(f"PDFs in {root / PDF_DIR} (copied to {root / '_build' / 'html' / SITE_PDF_DIR}; {linked} links to them shown)")
    return 0
