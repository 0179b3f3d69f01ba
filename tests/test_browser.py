"""The built book in headless Chromium (Debian's chromium): charts draw offline, axe-core finds no
WCAG 2.0/2.1/2.2 A or AA violation on any page, and a six-chart page stays light.

Every request that does not go to the local test server is aborted and recorded; a test fails
if any was made. Chromium is installed by the project's set-up, so these tests never skip.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

pytestmark = pytest.mark.browser

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_page_weight.py"
_spec = importlib.util.spec_from_file_location("bench_page_weight", BENCH)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
MAX_PAGE_BYTES = 2_000_000
OUR_SCRIPTS = ("jsna-charts.js", "vega-bundle.js")
DRAWN = "figure.jsna-chart .jsna-vega svg, figure.jsna-chart .jsna-vega canvas"


def html_pages(html_dir: Path) -> list[str]:
    """Every HTML page of the built book (genindex and search included), relative to its root."""
    return sorted(
        p.relative_to(html_dir).as_posix()
        for p in html_dir.rglob("*.html")
        if not {"_static", "_sources", "_images"} & set(p.relative_to(html_dir).parts)
        and p.name != bench.PAGE_NAME
    )


@pytest.fixture(scope="session")
def site(html_dir: Path):
    with bench.serve(html_dir) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=bench.CHROMIUM, args=bench.CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def offline(browser, site):
    """A browser context that lets only the local site through; yields (context, blocked urls)."""
    context, blocked = bench.offline_context(browser, site)
    yield context, blocked
    context.close()


TABS = 4  # pages loading and drawing at once while the test reads the one before


def _start(context, url: str):
    page = context.new_page()
    log = {"requests": [], "errors": []}
    page.on("request", lambda req: log["requests"].append(req.url))
    page.on("pageerror", lambda exc: log["errors"].append(str(exc)))
    # Console errors from our chart scripts (the theme logs its own notices there too).
    page.on("console", lambda msg: log["errors"].append(msg.text)
            if msg.type == "error" and any(k in (msg.location or {}).get("url", "") for k in OUR_SCRIPTS) else None)
    page.goto(url, wait_until="commit")
    return page, log


def _settle(page) -> None:
    """Wait for the network to settle and every chart on the page to be drawn."""
    page.wait_for_load_state("networkidle")
    figures = page.locator("figure.jsna-chart").count()
    if figures:
        page.wait_for_function(f"n => document.querySelectorAll({DRAWN!r}).length >= n", arg=figures, timeout=30_000)


def open_pages(context, urls: list[str]):
    """Yield (url, page, log) for each URL in order, each loaded with its charts drawn; up to
    :data:`TABS` pages load at once in their own tabs, and each is closed when the caller moves on."""
    pending = []
    queue = list(urls)
    while queue or pending:
        while queue and len(pending) < TABS:
            url = queue.pop(0)
            pending.append((url, *_start(context, url)))
        url, page, log = pending.pop(0)
        _settle(page)
        yield url, page, log
        page.close()


def open_page(context, url: str):
    """Open one page, wait for the network to settle and every chart to be drawn; return page and log."""
    page, log = _start(context, url)
    _settle(page)
    return page, log


def test_book_has_chart_pages(html_dir: Path):
    pages = html_pages(html_dir)
    assert "index.html" in pages and "genindex.html" in pages and "search.html" in pages
    assert sum('class="jsna-chart"' in (html_dir / p).read_text(encoding="utf-8") for p in pages) >= 3


def test_charts_render_offline_and_vega_loads_once(html_dir: Path, offline, site):
    context, blocked = offline
    problems = []
    for url, page, log in open_pages(context, [site + rel for rel in html_pages(html_dir)]):
        rel = url.removeprefix(site)
        figures = page.locator("figure.jsna-chart").count()
        drawn = page.locator(DRAWN).count()
        vega = sum(u.split("?")[0].endswith("/vega-bundle.js") for u in log["requests"])
        if drawn != figures:
            problems.append(f"{rel}: {drawn} of {figures} charts drawn")
        # after drawing, each chart still announces itself with its own written description
        labels = page.eval_on_selector_all(
            "figure.jsna-chart .jsna-vega",
            "els => els.map(e => [e.getAttribute('role'), e.getAttribute('aria-label') || ''])")
        for role, label in labels:
            if role != "img" or len(label) < 40 or "Vega visualization" in label:
                problems.append(f"{rel}: chart announced as role={role!r} label={label[:60]!r}")
        narrow = page.eval_on_selector_all(DRAWN, "els => els.filter(e => e.getBoundingClientRect().width < 100).length")
        if narrow:
            problems.append(f"{rel}: {narrow} chart(s) drawn less than 100 px wide")
        hidden = page.eval_on_selector_all("figure.jsna-chart .jsna-vega svg",
                                           "els => els.every(e => e.closest('[aria-hidden=true]'))")
        if not hidden:
            problems.append(f"{rel}: a chart drawing is exposed to assistive technology")
        if vega != (1 if figures else 0):
            problems.append(f"{rel}: vega bundle requested {vega} times with {figures} charts")
        if log["errors"]:
            problems.append(f"{rel}: page errors {log['errors']}")
    assert not blocked, f"requests left the site: {blocked}"
    assert not problems, "\n".join(problems)


def test_charts_render_when_the_book_is_opened_from_disk(html_dir: Path, browser):
    """jupyter-book tells readers to open file:///.../index.html; browsers refuse ES modules
    from file:// pages, so the chart scripts must be classic scripts."""
    context = browser.new_context()
    try:
        rel = next(p for p in html_pages(html_dir) if 'class="jsna-chart"' in (html_dir / p).read_text(encoding="utf-8"))
        page, log = open_page(context, (html_dir / rel).as_uri())
        assert page.locator(DRAWN).count() == page.locator("figure.jsna-chart").count() > 0
        assert not log["errors"]
    finally:
        context.close()


def _violations(page) -> list[dict]:
    # Open every data table so that axe checks it too, not just the summary line.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return result.response["violations"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_wcag_a_aa_on_every_page(html_dir: Path, browser, site, scheme: str):
    context, blocked = bench.offline_context(browser, site, color_scheme=scheme)
    pages = html_pages(html_dir)
    report = []
    for url, page, _ in open_pages(context, [site + rel for rel in pages]):
        for v in _violations(page):
            nodes = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
            report.append(f"{url.removeprefix(site)}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']} -> {nodes}")
    context.close()
    assert not blocked, f"requests left the site: {blocked}"
    assert not report, f"axe found WCAG A/AA violations on {len(pages)} pages ({scheme} mode):\n" + "\n".join(report)


def test_six_chart_page_weight(html_dir: Path, browser, site):
    page = bench.write_six_chart_page(html_dir)
    try:
        result = bench.measure(browser, site + page.relative_to(html_dir).as_posix(), site)
    finally:
        page.unlink()
    assert result["figures"] == result["drawn"] == 6
    assert result["vega_fetches"] == 1
    assert not result["blocked"]
    # Every byte the browser fetched, uncompressed (a static host's gzip would only make it smaller).
    assert result["bytes"] < MAX_PAGE_BYTES, result
