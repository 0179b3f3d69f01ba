"""PDF editions: written from the built book, with contents, figures, vector charts and a draft watermark."""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from functools import cache
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

import jsna.links
import jsna.pdf
from jsna.build import plan_runs
from jsna.config import load_board
from jsna.pdf.render import write_pdf

build = pytest.mark.build  # tests that need the session's book build

EPOCH = 1767225600  # 2026-01-01T00:00:00Z, as a release build would set SOURCE_DATE_EPOCH
WATERMARK_SIZE = 80  # the watermark is set far larger than any heading


@pytest.fixture(scope="session")
def board(built_book: Path):
    return load_board(built_book / "data")


@pytest.fixture(scope="session")
def pdf_run(built_book: Path) -> tuple[int, Path]:
    """`jsna.pdf.main` once for the session (PDFs the analyst's guide's `jsna pdf` already wrote
    from the same pages are found up to date and kept)."""
    return jsna.pdf.main(built_book), built_book / "_build" / "pdf"


@pytest.fixture(scope="session")
def pdf_time(built_book: Path) -> datetime:
    """The moment the session's PDFs are stamped with: the data snapshot of the built book."""
    return jsna.pdf.snapshot_time(built_book)


@pytest.fixture(scope="session")
def pdf_dir(pdf_run: tuple[int, Path]) -> Path:
    code, folder = pdf_run
    assert code == 0
    return folder


@pytest.fixture(scope="session")
def reprinted(built_book: Path, board, pdf_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """From the same built HTML, in one pool of workers: the first edition and its chapters printed
    again with status final, dated by SOURCE_DATE_EPOCH (``"final"``), and the first edition's PDF and its first chapter printed
    again as they were (``"again"``, to compare with the session's PDFs byte for byte)."""
    out = tmp_path_factory.mktemp("reprint")
    first = board.editions[0].id
    before = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        with jsna.pdf._pool(os.cpu_count() or 2) as pool:
            again, _ = jsna.pdf.plan_jobs(built_book, board, editions=[first], out=out / "again", map_=pool.map)
            os.environ["SOURCE_DATE_EPOCH"] = str(EPOCH)  # a release build's fixed date, for the final edition
            final, _ = jsna.pdf.plan_jobs(built_book, board, status={first: "final"}, editions=[first], out=out / "final", map_=pool.map)
            again = [job for job in again if job.target.name == f"{first}.pdf" or job.target.name.startswith("01-")]
            whole = [job for job in (*final, *again) if job.target.parent in (out / "final", out / "again")]
            jobs = whole + [job for job in (*final, *again) if job not in whole]  # the long documents first
            list(pool.map(write_pdf, jobs))
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
    return {"final": [j.target for j in final], "again": [j.target for j in again], "out": [out]}


@pytest.fixture(scope="session")
def final_pdf_dir(reprinted: dict[str, list[Path]]) -> Path:
    """The first edition printed again with status final (same built HTML), into its own folder."""
    return reprinted["out"][0] / "final"


@cache
def reader(path: Path) -> PdfReader:
    return PdfReader(path)


@cache
def _pages(path: Path) -> tuple[tuple[str, bool], ...]:
    """Each page's text and whether it carries the DRAFT watermark (the word set at watermark
    size), from one pass over the page."""
    out = []
    for page in reader(path).pages:
        sizes: list[float] = []

        def visit(text, cm, tm, font, size):
            if "DRAFT" in text:
                sizes.append(size)

        out.append((page.extract_text(visitor_text=visit) or "", any(size >= WATERMARK_SIZE for size in sizes)))
    return tuple(out)


def page_texts(path: Path) -> tuple[str, ...]:
    return tuple(text for text, _ in _pages(path))


def watermarks(path: Path) -> tuple[bool, ...]:
    return tuple(marked for _, marked in _pages(path))


def flat(text: str) -> str:
    """Whitespace-normalised text, so words wrapped across lines still match."""
    return " ".join(text.split())


def unhyphen(text: str) -> str:
    """Text with line breaks after hyphens, slashes and colons undone ("Mar 2015- Feb 2016" -> "Mar 2015-Feb 2016").

    A long token in a narrow table column (a file path like "data/bcf_income.csv:7") is wrapped at
    these characters.
    """
    return re.sub(r"([-\u2010\u2013/:])\s+", r"\1", text)


def whole_text(path: Path) -> str:
    return flat(" ".join(page_texts(path)))


def edition_pages(board, edition_id: str) -> list[str]:
    return [run.output for run in plan_runs(board) if run.parameters["edition"] == edition_id]


def page_title(html_dir: Path, output: str) -> str:
    soup = BeautifulSoup((html_dir / f"{output}.html").read_text(encoding="utf-8"), "html.parser")
    heading = soup.select_one("article h1")
    for link in heading.select("a.headerlink"):
        link.decompose()
    return flat(heading.get_text(" "))


def expected_files(board) -> list[Path]:
    files = []
    for edition in board.editions:
        files.append(Path(f"{edition.id}.pdf"))
        for output in edition_pages(board, edition.id):
            edition_id, name = jsna.links.chapter_pdf_name(output)
            files.append(Path("chapters") / edition_id / name)
    return files


@build
def test_every_edition_and_chapter_pdf_exists_and_is_on_the_site(pdf_dir: Path, board, html_dir: Path):
    for relative in expected_files(board):
        assert (pdf_dir / relative).stat().st_size > 1000, relative
        assert (html_dir / "pdf" / relative).read_bytes() == (pdf_dir / relative).read_bytes()


@build
def test_pdf_href_names_the_copied_chapter_pdf(pdf_dir: Path, board, html_dir: Path):
    output = edition_pages(board, board.editions[0].id)[1]
    href = jsna.links.pdf_href(output)
    assert href.startswith("pdf/chapters/") and (html_dir / href).exists()
    assert jsna.links.pdf_href("index") is None and jsna.links.pdf_href("genindex") is None
    assert jsna.links.pdf_href("_generated/jsna/profiles/01-blaby") == "pdf/chapters/jsna/profiles-01-blaby.pdf"
    assert (html_dir / jsna.links.edition_pdf_href(board.editions[0].id)).exists()


@build
def test_pages_link_their_pdfs_once_they_exist(pdf_dir: Path, board, html_dir: Path):
    """After `jsna pdf` every generated page shows its own PDF link, and each edition's opening
    page also links the whole edition; every shown link resolves."""
    for edition in board.editions:
        pages = edition_pages(board, edition.id)
        for output in pages:
            soup = BeautifulSoup((html_dir / f"{output}.html").read_text(encoding="utf-8"), "html.parser")
            links = soup.select("p.jsna-pdf-link")
            assert links and not any(link.has_attr("hidden") for link in links), output
            for a in soup.select("p.jsna-pdf-link a"):
                assert (html_dir / output).parent.joinpath(a["href"]).resolve().exists(), (output, a["href"])
        opening = BeautifulSoup((html_dir / f"{pages[0]}.html").read_text(encoding="utf-8"), "html.parser")
        hrefs = [a["href"] for a in opening.select("p.jsna-pdf-link a")]
        assert any(h.endswith(jsna.links.edition_pdf_href(edition.id)) for h in hrefs), hrefs


@build
def test_page_counts_are_within_bounds(pdf_dir: Path, board):
    for edition in board.editions:
        pages = edition_pages(board, edition.id)
        chapter_counts = []
        for output in pages:
            edition_id, name = jsna.links.chapter_pdf_name(output)
            count = len(reader(pdf_dir / "chapters" / edition_id / name).pages)
            assert 1 <= count <= 40, (name, count)
            chapter_counts.append(count)
        texts = page_texts(pdf_dir / f"{edition.id}.pdf")
        contents = next(i for i in range(2, len(texts)) if not flat(texts[i]).startswith("Contents")) - 1
        # cover + contents, then each page of the book from a new sheet, laid out as in its own
        # PDF give or take one sheet (its PDF has a title strip the edition does not)
        expected = 1 + contents + sum(chapter_counts)
        assert 1 <= contents <= 1 + len(pages) // 30
        assert abs(len(texts) - expected) <= len(pages), (edition.id, len(texts), expected)


@build
def test_edition_cover_names_board_title_period_status_and_date(pdf_dir: Path, board, pdf_time: datetime):
    built = pdf_time
    for edition in board.editions:
        cover = flat(page_texts(pdf_dir / f"{edition.id}.pdf")[0])
        assert board.name in cover
        assert flat(edition.title) in cover and edition.period in cover
        assert ("Draft for review" if edition.status == "draft" else "Final") in cover
        assert f"{built.day} {built:%B %Y}" in cover


@build
def test_contents_lists_every_chapter_title_with_its_page_number(pdf_dir: Path, board, html_dir: Path):
    for edition in board.editions:
        texts = page_texts(pdf_dir / f"{edition.id}.pdf")
        # the contents start on the second sheet; sheets that continue them have "Contents" as header
        end = next(i for i in range(2, len(texts)) if not flat(texts[i]).startswith("Contents"))
        contents = flat(" ".join(texts[1:end]))
        assert contents.startswith("Contents")
        for output in edition_pages(board, edition.id):
            title = page_title(html_dir, output)
            match = re.search(re.escape(title) + r"\s*[.\s]*\s(\d+)\b", contents)
            assert match, f"{edition.id}: {title!r} not on the contents page with a page number"
            number = int(match.group(1))
            assert title in flat(texts[number - 1]), f"{title!r} is not on page {number}"


@build
def test_running_header_and_page_n_of_m_footer(pdf_dir: Path, board, html_dir: Path):
    edition = board.editions[0]
    path = pdf_dir / f"{edition.id}.pdf"
    texts = page_texts(path)
    total = len(texts)
    for number, text in enumerate(texts[1:], start=2):
        assert f"Page {number} of {total}" in text
    demography = page_title(html_dir, edition_pages(board, edition.id)[1])
    assert any(flat(t).startswith(demography) for t in texts[2:]), "chapter title is not the running header"
    assert f"Page 1 of {total}" not in texts[0], "the cover has no footer"


@build
def test_key_figures_are_printed(pdf_dir: Path, board, built_book: Path):
    population = pd.read_csv(built_book / "data" / "population.csv")
    for edition in board.editions:
        text = whole_text(pdf_dir / f"{edition.id}.pdf")
        if edition.kind == "jsna":
            for district in board.children:
                rows = population[(population["area_code"] == district.code) & (population["sex"] == "Persons")]
                latest = rows[rows["year"] == rows["year"].max()]
                total = latest.loc[latest["age_band"].str.lower() == "all ages", "population"]
                value = int(total.iloc[0]) if len(total) else int(latest["population"].sum())
                assert f"{value:,}" in text, f"{district.name} population {value:,} missing from {edition.id}.pdf"
        if edition.kind == "annual_report":
            income = pd.read_csv(built_book / "data" / "bcf_income.csv")
            total = income[(income["year"] == edition.period) & income["is_total"].astype(str).eq("True")]
            assert len(total), f"no BCF total for {edition.period}"
            assert f"£{int(total['planned_income_gbp'].iloc[0]):,}" in text, f"BCF total missing from {edition.id}.pdf"


@build
def test_every_bold_figure_and_table_cell_of_a_page_is_in_its_chapter_pdf(pdf_dir: Path, board, html_dir: Path):
    for edition in board.editions:
        for output in edition_pages(board, edition.id):
            soup = BeautifulSoup((html_dir / f"{output}.html").read_text(encoding="utf-8"), "html.parser")
            article = soup.select_one("article")
            wanted = {flat(tag.get_text(" ")) for tag in article.select("strong, td, th, caption, figcaption")}
            edition_id, name = jsna.links.chapter_pdf_name(output)
            text = unhyphen(whole_text(pdf_dir / "chapters" / edition_id / name))
            missing = sorted(w for w in wanted if w and unhyphen(unescape(w)) not in text)
            assert not missing, f"{name}: {missing[:5]}"


@build
def test_no_traceback_or_error_text(pdf_dir: Path):
    for path in sorted(pdf_dir.rglob("*.pdf")):
        text = whole_text(path)
        for bad in ("Traceback (most recent call last)", "Error! Reference source not found", "Javascript Error"):
            assert bad not in text, f"{path.name}: {bad}"


@build
def test_no_interactive_only_elements(pdf_dir: Path, board):
    text = whole_text(pdf_dir / f"{board.editions[0].id}.pdf")
    assert "Download these data as CSV" not in text
    assert "Data table for this chart" not in text  # the <details> summary; the table itself is shown


@build
def test_draft_watermark_on_every_page_of_a_draft_edition(pdf_dir: Path, board):
    for edition in board.editions:
        marked = watermarks(pdf_dir / f"{edition.id}.pdf")
        assert all(marked) if edition.status == "draft" else not any(marked), edition.id


@build
def test_final_edition_has_no_watermark(final_pdf_dir: Path, board):
    edition = board.editions[0]
    path = final_pdf_dir / f"{edition.id}.pdf"
    assert not any(watermarks(path))
    assert "Final" in page_texts(path)[0]
    # printed with SOURCE_DATE_EPOCH set: the cover and the metadata carry that date
    epoch = datetime.fromtimestamp(EPOCH, timezone.utc)
    assert f"{epoch.day} {epoch:%B %Y}" in flat(page_texts(path)[0])
    assert reader(path).metadata["/CreationDate"].startswith(epoch.strftime("D:%Y%m%d%H%M%S"))
    chapters = sorted((final_pdf_dir / "chapters" / edition.id).glob("*.pdf"))
    assert chapters and not any(any(watermarks(c)) for c in chapters)


def _vector_ops(page) -> tuple[int, int]:
    """(filled or stroked path operators, raster images) on a page, including its form XObjects."""
    paths = images = 0
    streams = [page.get_contents().get_data()]
    xobjects = list((page["/Resources"].get("/XObject") or {}).values())
    while xobjects:
        obj = xobjects.pop().get_object()
        if obj.get("/Subtype") == "/Image":
            images += 1
        elif obj.get("/Subtype") == "/Form":
            streams.append(obj.get_data())
            xobjects.extend((obj.get("/Resources", {}).get("/XObject") or {}).values())
    for data in streams:
        paths += len(re.findall(rb"(?<=\s)(?:re|l|c)\s+(?:f\*?|S|B\*?|h)\b", data))
    return paths, images


@build
def test_chart_pages_contain_vector_graphics(pdf_dir: Path, board, html_dir: Path):
    edition = board.editions[0]
    for output in edition_pages(board, edition.id):
        soup = BeautifulSoup((html_dir / f"{output}.html").read_text(encoding="utf-8"), "html.parser")
        title = soup.select_one("figure.jsna-chart figcaption")
        if title is None:
            continue
        edition_id, name = jsna.links.chapter_pdf_name(output)
        pdf = reader(pdf_dir / "chapters" / edition_id / name)
        chart_title = flat(title.get_text(" "))
        page = next(p for p in pdf.pages if chart_title in flat(p.extract_text()))
        paths, images = _vector_ops(page)
        assert paths >= 5 and images == 0, (name, paths, images)
        return
    pytest.fail("no page with a chart in the first edition")


@build
def test_metadata_title_language_tags_and_fixed_dates(pdf_dir: Path, board, pdf_time: datetime):
    stamp = pdf_time.strftime("D:%Y%m%d%H%M%S")
    for edition in board.editions:
        pdf = reader(pdf_dir / f"{edition.id}.pdf")
        assert edition.title in pdf.metadata.title and edition.period in pdf.metadata.title
        root = pdf.trailer["/Root"]
        assert root["/Lang"] == "en-GB"
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
        assert pdf.metadata["/CreationDate"].startswith(stamp)
        assert pdf.metadata["/ModDate"].startswith(stamp)


@build
def test_two_builds_from_the_same_inputs_give_the_same_pdfs(pdf_dir: Path, reprinted: dict[str, list[Path]], board):
    again = reprinted["again"]
    assert len(again) == 2 and f"{board.editions[0].id}.pdf" in {p.name for p in again}
    out = reprinted["out"][0] / "again"
    for target in again:
        assert target.read_bytes() == (pdf_dir / target.relative_to(out)).read_bytes(), target.name


# Unit tests of the pieces, on small hand-written pages (no book build needed).

PAGE = """<html><body><nav>Site navigation</nav><main><article class="bd-article">
<div class="cell tag_parameters docutils container"><div class="cell_input">edition = "x"</div></div>
<section id="t"><h1>Test page<a class="headerlink" href="#t">#</a></h1>
<p>See <a href="https://www.gov.uk/ids">the indices</a>, <a href="https://example.org">https://example.org</a>,
the <a href="../01-demography.html#key-findings">demography chapter</a>, <a href="../missing.html">gone</a>,
<a href="#t">top</a> and <a href="../../_static/x.csv">a file</a>.</p>
<figure class="jsna-chart"><figcaption class="jsna-chart-title">Bars go up</figcaption>
<div class="jsna-vega" role="img" aria-label="A bar chart &amp; its story"></div>
<script type="application/json" class="jsna-spec">{"mark":"bar"}</script>
<p class="jsna-source">Source: test</p>
<details><summary>Data table for this chart</summary><table><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>
<a class="jsna-download" href="data:text/csv,a">Download these data as CSV</a></details></figure>
<button>Click</button></section></article></main></body></html>"""

SVG = '<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="640" height="200" viewBox="0 0 640 200"><defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"><rect width="5" height="5"/></g></svg>'


def _prepared():
    from jsna.pdf.extract import prepare_page, spec_digest

    known = {"_generated/jsna/01-demography", "_generated/jsna/profiles/01-blaby"}
    return prepare_page(PAGE, "_generated/jsna/profiles/01-blaby", "p03", {spec_digest('{"mark":"bar"}'): SVG}, known)


def test_prepare_page_keeps_content_and_drops_chrome():
    page = _prepared()
    assert page.title == "Test page" and page.charts == 1
    body = page.body
    for gone in ("Site navigation", 'class="headerlink"', "<button", "<script", "edition =", "<details", "Data table for this chart", "Download these data"):
        assert gone not in body, gone
    assert "<table>" in body and "Source: test" in body and "Bars go up" in body


def test_prepare_page_inlines_the_chart_svg_with_alt_text_and_unique_ids():
    body = _prepared().body
    assert '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="200" viewBox="0 0 640 200" class="chart-svg" role="img"' in body
    assert '<title id="p03-chart-0-alt">A bar chart &amp; its story</title>' in body
    assert 'id="p03-chart-0-clip1"' in body and "url(#p03-chart-0-clip1)" in body


def test_prepare_page_rewrites_links_for_print():
    from jsna.pdf.render import resolve_links

    body = _prepared().body
    assert '<span class="link-note">https://www.gov.uk/ids</span>' in body
    assert body.count("link-note") == 1  # a link that shows its own URL needs no note
    assert 'href="#p03-t"' in body and 'id="p03-t"' in body
    assert "a file" in body and "x.csv" not in body
    in_edition = resolve_links(body, {"_generated/jsna/01-demography": "p01", "_generated/jsna/profiles/01-blaby": "p03"})
    assert 'href="#p01-key-findings"' in in_edition
    alone = resolve_links(body, {"_generated/jsna/profiles/01-blaby": "p03"})
    assert "jsna-page:" not in alone and "#p01" not in alone


def test_print_spec_gives_responsive_charts_a_fixed_width():
    from jsna.pdf.extract import CHART_WIDTH, print_spec

    spec = {"width": "container", "mark": "bar"}
    fixed = print_spec(spec)
    assert fixed["width"] == CHART_WIDTH and fixed["autosize"]["type"] == "fit-x"
    assert spec["width"] == "container"  # the page's spec is not changed
    assert print_spec({"width": 300, "mark": "bar"})["width"] == 300


def test_tall_band_charts_are_squeezed_to_fit_a_page_and_legends_wrap():
    from jsna.pdf.extract import MAX_CHART_HEIGHT, MIN_STEP, print_spec, squeeze_tall

    spine = {"height": {"step": 20}, "mark": "point", "encoding": {"color": {"legend": {"orient": "bottom"}}}}
    squeezed = squeeze_tall(spine, svg_height=2140)
    assert MIN_STEP <= squeezed["height"]["step"] < 20
    assert squeezed["config"]["axis"]["labelFontSize"] <= squeezed["height"]["step"]
    assert squeeze_tall(spine, svg_height=MAX_CHART_HEIGHT) is None
    assert squeeze_tall({"height": 900, "mark": "bar"}, svg_height=900 + MAX_CHART_HEIGHT) is None
    assert print_spec(spine)["config"]["legend"]["columns"] == 3
    assert "config" not in print_spec({"width": 300, "mark": "bar"})


def test_numeric_columns_are_marked_for_right_alignment():
    from jsna.pdf.extract import mark_numeric_columns

    soup = BeautifulSoup(
        "<table><thead><tr><th>Stream</th><th>Income</th><th>Note</th></tr></thead><tbody>"
        "<tr><th>ICB</th><td>£57,070,979</td><td>Met</td></tr><tr><th>Total</th><td>£84,801,607</td><td>12.5%</td></tr>"
        "</tbody></table>",
        "html.parser",
    )
    mark_numeric_columns(soup.table)
    assert [c.get("class") for c in soup.select("thead th")] == [None, ["num"], None]
    assert all(c.get("class") == ["num"] for c in soup.select("tbody td:nth-of-type(1)"))
    assert not any(c.get("class") for c in soup.select("tbody td:nth-of-type(2)"))


def test_chapter_pdf_names_and_hrefs():
    assert jsna.links.chapter_pdf_name("_generated/jsna/01-demography") == ("jsna", "01-demography.pdf")
    assert jsna.links.chapter_pdf_name("_generated/annual-report-2025-26/03-bcf") == ("annual-report-2025-26", "03-bcf.pdf")
    assert jsna.links.pdf_href("_generated/jsna/profiles/01-blaby") == "pdf/chapters/jsna/profiles-01-blaby.pdf"
    for other in ("index", "genindex", "search", "_generated/_static/x", "_generated/jsna"):
        assert jsna.links.pdf_href(other) is None, other


def test_toc_captions_group_pages_into_parts():
    captions = [("_generated/jsna/*", "JSNA"), ("_generated/jsna/profiles/*", "Area profiles")]
    assert jsna.pdf.caption_for("_generated/jsna/01-demography", captions) == "JSNA"
    assert jsna.pdf.caption_for("_generated/jsna/profiles/01-blaby", captions) == "Area profiles"
    assert jsna.pdf.caption_for("_generated/other/01-x", captions) is None


def test_snapshot_time_follows_source_date_epoch(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert jsna.pdf.snapshot_time(tmp_path) == datetime.fromtimestamp(EPOCH, timezone.utc)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("x\n")
    os.utime(tmp_path / "data" / "a.csv", (EPOCH, EPOCH))
    assert jsna.pdf.snapshot_time(tmp_path) == datetime.fromtimestamp(EPOCH, timezone.utc)


def test_missing_html_is_a_clear_error(tmp_path: Path, capsys):
    (tmp_path / "data").symlink_to(Path(__file__).resolve().parents[1] / "data")
    assert jsna.pdf.main(tmp_path) == 1
    assert "run `jupyter-book build .` first" in capsys.readouterr().err
