"""Sphinx extension: runs the papermill stage inside ``jupyter-book build .`` and serves charts offline.

Listed in ``_config.yml`` under ``sphinx.extra_extensions``. On ``config-inited`` (before
sphinx-external-toc resolves ``_toc.yml``) it executes every chapter run into ``_generated/``;
it writes the vega/vega-lite/vega-embed bundle into the book's own static files and adds it,
with the chart loader, only to pages that contain a chart.
"""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.util import logging

from jsna import __version__
from jsna.build import GENERATED, RunError, Stage, timings_table
from jsna.config import ConfigError

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
VENDOR = f"{GENERATED}/_static"
CHART_MARKER = 'class="jsna-chart'


def vega_bundle(target_dir: Path) -> Path:
    """Write the offline vega + vega-lite + vega-embed bundle (from vl-convert) once per vl-convert version."""
    import vl_convert

    target = target_dir / "vega-bundle.js"
    stamp = target_dir / "vega-bundle.version"
    version = getattr(vl_convert, "__version__", "unknown")
    if not target.exists() or not stamp.exists() or stamp.read_text() != version:
        target_dir.mkdir(parents=True, exist_ok=True)
        target.write_text(vl_convert.javascript_bundle(), encoding="utf-8")
        stamp.write_text(version)
    return target


def run_stage(app: Sphinx, config: Config) -> None:
    root = Path(app.srcdir)
    jobs = int(os.environ.get("JSNA_JOBS", "0")) or None
    try:
        stage = Stage(root, os.environ.get("JSNA_BOARD") or config.jsna_board or None)
        results = stage.execute(jobs=jobs, progress=True)
    except (RunError, ConfigError) as exc:
        raise ExtensionError(f"jsna: {exc}") from None
    logger.info("jsna papermill stage:\n%s", timings_table(results))
    vega_bundle(root / VENDOR)
    config.html_static_path = [*config.html_static_path, str(STATIC), str(root / VENDOR)]


def _script_key(script: object) -> str:
    # The same inline script can arrive with filename None and with filename "".
    return f"{getattr(script, 'filename', script) or ''}|{sorted(getattr(script, 'attributes', {}).items())}"


def add_chart_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object) -> None:
    """Load the chart libraries on pages that have charts, once per page."""
    scripts = context.get("script_files", [])
    # sphinx-thebe registers its inline configuration twice under Jupyter Book; a repeated
    # `const` declaration is a page error, so keep the first copy of each script only.
    seen: set[str] = set()
    scripts[:] = [s for s in scripts if not (_script_key(s) in seen or seen.add(_script_key(s)))]
    if CHART_MARKER in context.get("body", ""):
        # Modules keep the bundle's top-level names out of the page's global scope and run in order after parsing.
        app.add_js_file("vega-bundle.js", type="module")
        app.add_js_file("jsna-charts.js", type="module")


def setup(app: Sphinx) -> dict:
    app.add_config_value("jsna_board", "", "env", types=[str])
    app.connect("config-inited", run_stage, priority=100)
    app.connect("html-page-context", add_chart_assets, priority=900)
    app.add_css_file("jsna.css")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
