"""Page weight of a chapter page with six charts, loaded in headless Chromium from a local server.

Usage: python benchmarks/bench_page_weight.py [BUILT_HTML_DIR]

Without an argument the book is copied and built once (about a minute). The page is a built
chapter page whose charts are replaced by six real-data figures; every request leaving
127.0.0.1 is blocked. Prints total bytes transferred, the number of vega bundle fetches and
the number of charts drawn.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import re
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
FIGURE = re.compile(r'<figure class="jsna-chart">.*?</figure>', re.S)
PAGE_NAME = "zz-six-charts.html"


def six_figures() -> list[str]:
    """Six real-data figures' HTML: the demography charts plus trend, tile map, spine and BCF charts."""
    import pandas as pd

    from jsna import charts, data, stats
    from jsna.chapters import population
    from jsna.page import context

    ctx = context("leicestershire", "jsna", "E10000018", "2025", "draft")
    names = data.load("areas").set_index("area_code")["area_name"]
    ind = data.load("indicators")
    tb = ind[(ind["indicator_id"] == "tb_incidence") & ind["area_code"].isin([ctx.board.root.code, "E92000001"]) & ind["period"].notna()]
    tb = tb.assign(area=tb["area_code"].map(names)).rename(columns={"lower_ci95": "lower", "upper_ci95": "upper"})
    ph = data.load("pharmacies")
    ph = ph[ph["area_code"].str.startswith("E07")]
    bi = data.load("bcf_income")
    year = sorted(bi["year"].unique())[0]
    figs = [
        population.child_population_figure(ctx),
        population.age_structure_figure(ctx),
        population.older_share_figure(ctx),
        charts.trend(tb, area=ctx.board.root.name, comparator="England", measure="TB incidence", unit="per 100,000",
                     source=data.source_note(tb)),
        charts.tile_map(ph.assign(area=ph["area_code"].map(names), value=ph["pharmacies_per_10000"],
                                  quantile=stats.quantiles(ph["pharmacies_per_10000"], 5, invert=True).to_numpy()),
                        measure="Community pharmacies per 10,000", period="2024", source=data.source_note(ph)),
        charts.funding_breakdown(bi, year=year, source=data.source_note(bi)),
    ]
    assert all(isinstance(f, charts.Figure) for f in figs) and isinstance(tb, pd.DataFrame)
    return [f.to_html() for f in figs]


def write_six_chart_page(html_dir: Path) -> Path:
    """Write a copy of a built chart page (same head, scripts and styles) holding six figures."""
    template = next(p for p in sorted(html_dir.rglob("*demography*.html")) if 'class="jsna-chart"' in p.read_text())
    html = template.read_text(encoding="utf-8")
    first = FIGURE.search(html)
    body = html[: first.start()] + "".join(six_figures()) + FIGURE.sub("", html[first.start():])
    target = template.with_name(PAGE_NAME)
    target.write_text(body, encoding="utf-8")
    return target


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 in a background thread; yields the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def offline_context(browser, base: str, **options):
    """A browser context (`options` as for new_context) that lets only `base` through; returns it and
    the list of blocked URLs."""
    context = browser.new_context(**options)
    blocked: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith(base):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context, blocked


def measure(browser, url: str, base: str) -> dict:
    """Load one page with off-site requests blocked; bytes received, vega fetches, charts drawn."""
    context, blocked = offline_context(browser, base)
    sizes: dict[str, int] = {}
    gzipped: dict[str, int] = {}
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda req: fetched.append(req.url))

    def on_response(resp) -> None:
        try:
            body = resp.body()
            sizes[resp.url] = sizes.get(resp.url, 0) + len(body)
            gzipped[resp.url] = gzipped.get(resp.url, 0) + len(gzip.compress(body, 6))
        except Exception:  # redirects and aborted responses have no body
            pass

    page.on("response", on_response)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    figures = page.locator("figure.jsna-chart").count()
    page.wait_for_function(
        "n => document.querySelectorAll('figure.jsna-chart .jsna-vega svg, figure.jsna-chart .jsna-vega canvas').length >= n",
        arg=figures, timeout=30_000)
    drawn = page.locator("figure.jsna-chart .jsna-vega svg, figure.jsna-chart .jsna-vega canvas").count()
    context.close()
    return {
        "bytes": sum(sizes.values()),
        "gzip_bytes": sum(gzipped.values()),
        "largest": sorted(sizes.items(), key=lambda kv: -kv[1])[:5],
        "requests": len(fetched),
        "vega_fetches": sum(u.split("?")[0].endswith("/vega-bundle.js") for u in fetched),
        "figures": figures,
        "drawn": drawn,
        "blocked": blocked,
    }


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    if argv:
        html_dir = Path(argv[0])
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from conftest import copy_book, jupyter_book

        root = copy_book(Path(tempfile.mkdtemp()) / "book")
        proc = jupyter_book(root)
        if proc.returncode:
            print(proc.stdout[-3000:], proc.stderr[-3000:])
            return 1
        html_dir = root / "_build" / "html"
    page = write_six_chart_page(html_dir)
    with serve(html_dir) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        result = measure(browser, base + page.relative_to(html_dir).as_posix(), base)
        browser.close()
    print(f"page: {page.relative_to(html_dir)}")
    print(f"charts drawn: {result['drawn']} of {result['figures']}")
    print(f"requests: {result['requests']}, vega bundle fetched {result['vega_fetches']} time(s), blocked {len(result['blocked'])}")
    print(f"total, uncompressed: {result['bytes']:,} bytes ({result['bytes'] / 1_048_576:.2f} MiB)")
    print(f"total, gzip as a static host serves it: {result['gzip_bytes']:,} bytes ({result['gzip_bytes'] / 1_048_576:.2f} MiB)")
    for url, size in result["largest"]:
        print(f"  {size:>10,}  {url.removeprefix(base)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
