"""Sphinx extension: runs the papermill stage inside ``jupyter-book build .`` and serves charts offline.

Listed in ``_config.yml`` under ``sphinx.extra_extensions``. On ``config-inited`` (before
sphinx-external-toc resolves ``_toc.yml``) it executes every chapter run into ``_generated/``;
it writes the vega/vega-lite/vega-embed bundle into the book's own static files and adds it,
with the chart loader, only to pages that contain a chart.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging

from jsna import __version__
from jsna.build import GENERATED, STAGE_DONE, DataQualityError, RunError, Stage, manifest_token, plan_runs, timings_table
from jsna.config import Board, ConfigError
from jsna.links import edition_pdf_href, pdf_href
from jsna.toc import TOC, write_toc

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
THEME_TEMPLATES = Path(__file__).resolve().parent / "theme"
VENDOR = f"{GENERATED}/_static"
CHART_MARKER = 'class="jsna-chart'


def vega_bundle(target_dir: Path) -> Path:
    """Write the offline vega + vega-lite + vega-embed bundle (from vl-convert) once per vl-convert version.

    vl-convert's bundle sets ``window.vega``, ``window.vegaLite`` and ``window.vegaEmbed``.
    It is wrapped in a function so that it can load as a classic script: browsers refuse
    ES modules from ``file://`` pages, and a book opened from disk must still draw its charts.
    """
    import vl_convert

    target = target_dir / "vega-bundle.js"
    stamp = target_dir / "vega-bundle.version"
    version = f"{getattr(vl_convert, '__version__', 'unknown')} classic"
    if not target.exists() or not stamp.exists() or stamp.read_text() != version:
        target_dir.mkdir(parents=True, exist_ok=True)
        bundle = vl_convert.javascript_bundle()
        target.write_text(f"(function () {{\n{bundle}\n}})();\n", encoding="utf-8")
        stamp.write_text(version)
    return target


# Folders that are never part of the book, at any depth: caches, dependencies, version control.
NEVER_READ = ("__pycache__", "node_modules", ".ipynb_checkpoints", ".pytest_cache", ".git", ".jsna_cache", "site-packages")


def outside_book(root: Path) -> list[str]:
    """Sphinx exclude patterns for everything under the book root that is not book source.

    Hidden files and folders, the build folder, caches, ``node_modules`` and every virtual
    environment (a folder holding ``pyvenv.cfg`` or ``conda-meta``, whatever its name) are left
    out, so Sphinx neither reads nor publishes them and does not even walk into them.
    """
    patterns = {"_build", ".*", "**/.*", *(f"**/{name}" for name in NEVER_READ), *NEVER_READ}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        if "pyvenv.cfg" in files or "conda-meta" in dirs:
            patterns.add(here.relative_to(root).as_posix())
            dirs.clear()
            continue
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in NEVER_READ and (here != root or d != "_build")]
    return sorted(patterns)


def run_stage(app: Sphinx, config: Config) -> None:
    root = Path(app.srcdir)
    config.exclude_patterns = [*config.exclude_patterns, *outside_book(root)]
    jobs = int(os.environ.get("JSNA_JOBS", "0")) or None
    try:
        stage = Stage(root, os.environ.get("JSNA_BOARD") or config.jsna_board or None)
        if os.environ.get(STAGE_DONE) and os.environ[STAGE_DONE] == manifest_token(root):
            logger.info("jsna papermill stage: already run by `jsna build`")
        else:
            results = stage.execute(jobs=jobs, progress=True)
            logger.info("jsna papermill stage:\n%s", timings_table(results))
    except (RunError, ConfigError, DataQualityError) as exc:
        raise ExtensionError(f"jsna: {exc}") from None
    config.external_toc_path = str(write_toc(root, stage.board))
    fresh_env_when_pages_change(app, root)
    follow_board(config, stage.board)
    app.jsna_board = stage.board  # read by the page banner
    app.jsna_stamp = build_stamp(root)
    vega_bundle(root / VENDOR)
    config.html_static_path = [*config.html_static_path, str(STATIC), str(root / VENDOR)]
    config.templates_path = [str(THEME_TEMPLATES), *config.templates_path]


def follow_board(config: Config, board: Board) -> None:
    """The book's title and author are the board's, whichever board was chosen."""
    config.project = config.author = board.name
    config.html_title = f"{board.name} reports"


def fresh_env_when_pages_change(app: Sphinx, root: Path) -> None:
    """Make Sphinx read every page again when a generated page was added or removed.

    An incremental Sphinx build rewrites only the pages it reads again, so the navigation of the
    others would still list the old set of pages. The set of generated files and ``_toc.yml`` are
    hashed; when the hash changes, Sphinx's saved environment is dropped before it is loaded.
    """
    names = sorted(p.relative_to(root).as_posix() for p in (root / GENERATED).rglob("*")
                   if p.suffix in (".ipynb", ".md") and not any(part.startswith(".") for part in p.parts))
    toc = (root / TOC).read_bytes() if (root / TOC).is_file() else b""
    signature = hashlib.sha256("\n".join(names).encode() + toc).hexdigest()
    stamp = Path(app.doctreedir) / "jsna-pages.sha256"
    if not stamp.is_file() or stamp.read_text() != signature:
        (Path(app.doctreedir) / "environment.pickle").unlink(missing_ok=True)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(signature)


def _script_key(script: object) -> str:
    # The same inline script can arrive with filename None and with filename "".
    return f"{getattr(script, 'filename', script) or ''}|{sorted(getattr(script, 'attributes', {}).items())}"


def build_stamp(root: Path) -> str:
    """"Built 23 November 2026 from commit 1a2b3c4": the build date honours SOURCE_DATE_EPOCH."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    proc = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    commit = f"commit {proc.stdout.strip()}" if proc.returncode == 0 else "an uncommitted copy"
    return f"Built {when.day} {when:%B %Y} from {commit}"


def page_edition(app: Sphinx, pagename: str):
    """The board edition a generated page belongs to (``_generated/<edition>/...``), else None."""
    board = getattr(app, "jsna_board", None)
    parts = pagename.split("/")
    if board is None or len(parts) < 3 or parts[0] != GENERATED:
        return None
    return next((e for e in board.editions if e.id == parts[1]), None)


def edition_banner(app: Sphinx, pagename: str) -> str:
    """The edition line every generated page carries: edition, period, status, build date and commit."""
    edition = page_edition(app, pagename)
    if edition is None:
        return ""
    board = app.jsna_board
    parts = pagename.split("/")
    status = "DRAFT: not yet approved, figures may change" if edition.status == "draft" else "Final"
    css = "jsna-edition jsna-edition--draft" if edition.status == "draft" else "jsna-edition"
    links = [(pdf_href(pagename), "Download this page as a PDF")]
    if parts[2].startswith("00-"):  # the edition's opening page also offers the whole edition
        links.append((edition_pdf_href(edition.id), f"Download the whole {edition.title} {edition.period} as one PDF"))
    # Hidden until `jsna pdf` has written the file (jsna.pdf.reveal_pdf_links), so they never dangle.
    link_html = "".join(
        f'<p class="jsna-pdf-link" hidden><a href="{escape(_relative(pagename, href))}">{escape(text)}</a></p>'
        for href, text in links
        if href
    )
    return (
        f'<div class="{css}" role="note" aria-label="Edition">'
        f'<p><strong>{escape(status)}</strong> · {escape(board.name)} · {escape(edition.title)} {escape(edition.period)}'
        f" · {escape(app.jsna_stamp)}</p>{link_html}</div>"
    )


def _relative(pagename: str, site_path: str) -> str:
    """A site-root path made relative to the page, as the browser and `jsna pdf` both resolve it."""
    return "../" * pagename.count("/") + site_path


def editions_section(app: Sphinx) -> str:
    """The root page's list of the board's editions: each links to its opening page and gives its status."""
    board = getattr(app, "jsna_board", None)
    if board is None:
        return ""
    opening: dict[str, str] = {}
    for run in plan_runs(board):
        opening.setdefault(run.parameters["edition"], run.output)
    items = "".join(
        f'<li><a href="{escape(opening[e.id])}.html">{escape(e.title)} {escape(e.period)}</a>'
        f" ({'draft, not yet approved' if e.status == 'draft' else 'final'})</li>"
        for e in board.editions
        if e.id in opening
    )
    return (
        '<section class="jsna-editions" aria-labelledby="jsna-editions-heading">'
        f'<h2 id="jsna-editions-heading">Editions in this book</h2><ul>{items}</ul></section>'
    )


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    """Add the edition banner (or, on the root page, the list of editions), drop duplicated theme
    scripts, and load the chart libraries where charts are."""
    scripts = context.get("script_files", [])
    # sphinx-thebe registers its inline configuration twice under Jupyter Book; a repeated
    # `const` declaration is a page error, so keep the first copy of each script only.
    seen: set[str] = set()
    scripts[:] = [s for s in scripts if not (_script_key(s) in seen or seen.add(_script_key(s)))]
    edition = page_edition(app, pagename)
    if edition is not None and context.get("title"):
        # two editions share chapter titles ("Foreword"): the browser tab and history say which
        context["title"] = f"{context['title']} ({edition.title} {edition.period})"
    banner = edition_banner(app, pagename)
    if banner and "</h1>" in context.get("body", ""):
        context["body"] = context["body"].replace("</h1>", "</h1>" + banner, 1)
    if pagename == app.config.root_doc and "</p>" in context.get("body", ""):
        context["body"] = context["body"].replace("</p>", "</p>" + editions_section(app), 1)
    if CHART_MARKER in context.get("body", ""):
        # Classic deferred scripts run in order after parsing and, unlike modules, also load from file://.
        app.add_js_file("vega-bundle.js", loading_method="defer")
        app.add_js_file("jsna-charts.js", loading_method="defer")


def stable_asset_links(app: Sphinx) -> None:
    """Write myst-nb's stylesheet before any page, as it is on a rebuild.

    Sphinx adds a checksum (``?v=...``) to a stylesheet link only when the file is already in the
    output folder as the page is written; myst-nb copies its own at the end of the build, so a
    cold build and a rebuild would give different pages.
    """
    if app.builder.format == "html":
        from myst_nb.sphinx_ext import add_global_html_resources

        (Path(app.builder.outdir) / "_static").mkdir(parents=True, exist_ok=True)
        add_global_html_resources(app, None)


def setup(app: Sphinx) -> dict:
    app.add_config_value("jsna_board", "", "env", types=[str])
    app.connect("config-inited", run_stage, priority=100)
    app.connect("builder-inited", stable_asset_links)
    app.connect("html-page-context", page_context, priority=900)
    app.add_css_file("jsna.css")
    app.add_css_file("edition.css")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
