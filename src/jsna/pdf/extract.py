"""Turn a built HTML page into a print fragment: article content only, charts as static SVG.

The fragment keeps the page's headings, prose, tables, chart titles, sources and data tables;
it drops the theme's navigation, header links, buttons, scripts and download links, shows every
``<details>`` open, and replaces each ``figure.jsna-chart`` (a Vega-Lite spec for the browser) with
an inline SVG rendered by vl-convert from the same spec. Element ids are prefixed with the page's
key so that many pages can share one print document; links to other book pages are written as
``jsna-page:<output>#<fragment>`` for :func:`jsna.pdf.render.resolve_links` to point at the right
place in whichever document the page ends up in.
"""

from __future__ import annotations

import copy
import hashlib
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Tag

from jsna.tables import numeric_columns

#: Content width of an A4 page with the print margins, in CSS pixels (170 mm at 96 px/in).
CHART_WIDTH = 640
#: Tallest chart drawing that fits an A4 page after a heading, with its title and source, in
#: CSS pixels (about 185 mm; print.css caps `svg.chart-svg` at the same height).
MAX_CHART_HEIGHT = 700
#: Columns of a legend under or over a chart, so long legends wrap instead of running off the page.
LEGEND_COLUMNS = 3
#: Smallest band step (row height, px) a tall chart is squeezed to before print CSS scales it down.
MIN_STEP = 9
#: Height of a chart's axes, legend and padding besides its rows, as a first guess in pixels.
CHART_FRAME = 120

#: Right padding, in pixels, for value labels drawn past the end of the longest bar.
RIGHT_ROOM = 48

#: Theme and notebook elements that have no meaning on paper.
CHROME = ", ".join(
    [
        "a.headerlink",
        "button",
        "nav",
        "script",
        "style",
        "noscript",
        "form",
        "input",
        ".tag_parameters",
        ".tag_injected-parameters",
        ".cell_input",
        ".prev-next-area",
        ".jsna-download",
        ".jsna-pdf-link",
        ".toggle-details",
        "[data-print='no']",
    ]
)

PAGE_LINK = "jsna-page:"


class ExtractError(ValueError):
    """A built HTML page does not have the structure the print stage expects."""


@dataclass(frozen=True)
class PrintPage:
    """One book page prepared for print, shared by its chapter PDF and its edition PDF."""

    output: str  # the run output, e.g. "_generated/jsna/profiles/01-blaby"
    key: str  # id prefix unique within the edition, e.g. "p03"
    title: str  # the page's first heading, plain text
    body: str  # print HTML of the article content
    charts: int  # how many charts were turned into SVG


def page_key(index: int) -> str:
    """The id prefix of the index-th page of an edition."""
    return f"p{index:02d}"


def spec_digest(spec_text: str) -> str:
    """A short stable key for a chart spec, so each spec is converted once per PDF stage."""
    return hashlib.sha256(spec_text.encode()).hexdigest()[:16]


def print_spec(spec: dict, width: int = CHART_WIDTH) -> dict:
    """The spec with browser-only sizing fixed for paper: a responsive width becomes `width` pixels."""
    spec = copy.deepcopy(spec)
    if spec.get("width") == "container" or "width" not in spec and not _is_composite(spec):
        spec["width"] = width
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
        # Room on the right for labels drawn past the end of the longest bar.
        spec["padding"] = {"left": 5, "top": 5, "bottom": 5, "right": RIGHT_ROOM}
    if _has_horizontal_legend(spec):
        spec.setdefault("config", {}).setdefault("legend", {}).setdefault("columns", LEGEND_COLUMNS)
    for key in ("hconcat", "vconcat", "concat", "layer"):
        for part in spec.get(key, []):
            if part.get("width") == "container":
                part["width"] = width if key != "hconcat" else width // max(1, len(spec[key]))
    return spec


def squeeze_tall(spec: dict, svg_height: float, max_height: int = MAX_CHART_HEIGHT) -> dict | None:
    """A print spec with smaller row steps (and labels to match) for a chart too tall for a page.

    Only charts whose height is a band step (one row per category, e.g. a spine chart of 100
    indicators) can be squeezed; None when the chart fits or is not of that kind.
    """
    step = spec.get("height", {}).get("step") if isinstance(spec.get("height"), dict) else None
    if svg_height <= max_height or not step:
        return None
    rows = max(1.0, (svg_height - CHART_FRAME) / step)
    new_step = max(MIN_STEP, int((max_height - CHART_FRAME) / rows))
    if new_step >= step:
        return None
    squeezed = copy.deepcopy(spec)
    squeezed["height"] = {"step": new_step}
    axis = squeezed.setdefault("config", {}).setdefault("axis", {})
    axis["labelFontSize"] = min(axis.get("labelFontSize", 11), max(7, new_step - 1))
    return squeezed


def _has_horizontal_legend(spec: dict) -> bool:
    """Whether any legend of the spec (config or encoding) sits under or over the chart."""
    found = False

    def walk(node: object) -> None:
        nonlocal found
        if isinstance(node, dict):
            legend = node.get("legend")
            if isinstance(legend, dict) and legend.get("orient") in ("bottom", "top"):
                found = True
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({k: v for k, v in spec.items() if k not in ("datasets", "data")})
    return found


def _is_composite(spec: dict) -> bool:
    return any(key in spec for key in ("hconcat", "vconcat", "concat", "facet", "repeat"))


def svg_for_print(svg: str, alt_text: str, prefix: str) -> str:
    """Make vl-convert's SVG scale to the page, keep its ids unique and carry the alt text as <title>."""
    from html import escape

    match = re.match(r"\s*<svg\b([^>]*)>", svg)
    if not match:
        raise ExtractError("vl-convert returned something that is not an SVG document")
    attrs, inner = match.group(1), svg[match.end():]
    inner = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', inner)
    inner = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", inner)
    inner = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', inner)
    width = re.search(r'\bwidth="([\d.]+)"', attrs)
    height = re.search(r'\bheight="([\d.]+)"', attrs)
    if width and height and "viewBox" not in attrs:
        attrs += f' viewBox="0 0 {width.group(1)} {height.group(1)}"'
    attrs = re.sub(r'\sclass="[^"]*"', "", attrs)
    label = f"{prefix}-alt"
    title = f'<title id="{label}">{escape(alt_text)}</title>' if alt_text else ""
    labelled = f' aria-labelledby="{label}"' if alt_text else ""
    return f'<svg{attrs} class="chart-svg" role="img"{labelled}>{title}{inner}'


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def find_article(soup: BeautifulSoup, where: str) -> Tag:
    """The main article element of a sphinx-book-theme page."""
    article = soup.select_one("main article.bd-article") or soup.select_one("article.bd-article") or soup.select_one("article")
    if article is None:
        raise ExtractError(f"{where}: no <article> element; was it built with sphinx-book-theme?")
    return article


def _chart_html(soup: BeautifulSoup, figure: Tag, slot: str) -> Tag:
    """Print form of a `figure.jsna-chart`: title, an SVG slot, source, then the data table, open.

    The SVG itself is put in by :func:`fill_svg_slots` after serialisation, so it never goes
    through an HTML parser that would change the case of SVG attribute names.
    """
    title_tag = figure.select_one("figcaption")
    new = soup.new_tag("figure", attrs={"class": "chart"})
    block = soup.new_tag("div", attrs={"class": "chart-block"})
    new.append(block)
    if title_tag is not None:
        caption = soup.new_tag("figcaption", attrs={"class": "chart-title"})
        caption.string = _text(title_tag)
        block.append(caption)
    if figure.select_one("script.jsna-spec") is not None:
        block.append(soup.new_tag("jsna-svg-slot", attrs={"data-slot": slot}))
    for source in figure.select(".jsna-source"):
        block.append(source.extract())
    data = soup.new_tag("div", attrs={"class": "chart-data"})
    for table in figure.select("table"):
        data.append(table.extract())
    if data.contents:
        new.append(data)
    return new


SLOT = re.compile(r'<jsna-svg-slot data-slot="([^"]+)"></jsna-svg-slot>')


def fill_svg_slots(body: str, svgs: dict[str, str]) -> str:
    """Put each chart's print SVG where :func:`_chart_html` left its slot."""
    return SLOT.sub(lambda m: svgs[m.group(1)], body)


def _page_url(href: str, page_output: str, known: set[str]) -> str | None:
    """`jsna-page:` form of a relative link to another page of the book, or None if it is not one."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.endswith(".html"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_output), unquote(parts.path)))
    target = target.removesuffix(".html")
    return f"{PAGE_LINK}{target}#{parts.fragment}" if target in known else f"{PAGE_LINK}{target}#"


def _rewrite_links(soup: BeautifulSoup, article: Tag, page_output: str, key: str, known: set[str]) -> None:
    for tag in article.find_all(id=True):
        tag["id"] = f"{key}-{tag['id']}"
    for link in article.find_all("a", href=True):
        href = link["href"]
        if href.startswith("#"):
            link["href"] = f"#{key}-{href[1:]}" if len(href) > 1 else f"#{key}"
        elif href.startswith(("http://", "https://", "mailto:")):
            link["href"] = href
            shown = _text(link)
            url = href.removeprefix("mailto:")
            if shown not in (href, url):
                note = soup.new_tag("span", attrs={"class": "link-note"})
                note.string = url
                link.insert_after(note)
        elif (page := _page_url(href, page_output, known)) is not None:
            link["href"] = page
        else:
            # Downloads, data: URLs and files of the HTML site mean nothing on paper.
            link.unwrap()


def mark_numeric_columns(table: Tag) -> None:
    """Add class "num" to the cells (and header) of columns of figures (tables.numeric_columns), for
    tables that did not come from jsna.tables (which marks its own)."""
    rows = [row.find_all(["td", "th"], recursive=False) for row in table.select("tbody tr")]
    if not rows or any(cell.get("colspan") or cell.get("rowspan") for row in rows for cell in row):
        return
    width = max(len(row) for row in rows)
    columns = [[row[col] for row in rows if col < len(row)] for col in range(width)]
    flags = numeric_columns([[_text(cell) for cell in cells] for cells in columns])
    head = table.select("thead tr")
    for col, (cells, numeric) in enumerate(zip(columns, flags)):
        if not numeric or not all(cell.name == "td" for cell in cells):
            continue
        for cell in cells:
            if "num" not in cell.get("class", []):
                cell["class"] = [*cell.get("class", []), "num"]
        for row in head:
            header = row.find_all(["td", "th"], recursive=False)
            if col < len(header) and "num" not in header[col].get("class", []):
                header[col]["class"] = [*header[col].get("class", []), "num"]


def prepare_page(html: str, output: str, key: str, svg_of: dict[str, str], known: set[str]) -> PrintPage:
    """Print fragment of one built page.

    `svg_of` maps :func:`spec_digest` of each chart spec to the SVG vl-convert made from it;
    `known` holds the outputs of every page of the book, to tell page links from file links.
    """
    soup = BeautifulSoup(html, "html.parser")
    article = find_article(soup, output)
    svgs: dict[str, str] = {}
    for n, figure in enumerate(article.select("figure.jsna-chart")):
        spec_tag = figure.select_one("script.jsna-spec")
        slot = f"{key}-chart-{n}"
        if spec_tag is not None:
            vega = figure.select_one(".jsna-vega")
            alt_text = str(vega.get("aria-label", "")) if vega else ""
            svgs[slot] = svg_for_print(svg_of[spec_digest((spec_tag.string or "").strip())], alt_text, slot)
        figure.replace_with(_chart_html(soup, figure, slot))
    for tag in article.select(CHROME):
        tag.decompose()
    for details in article.find_all("details"):
        for summary in details.find_all("summary", recursive=False):
            summary.decompose()
        details.name = "div"
        details["class"] = "details-open"
    for cell in article.select("div.cell"):
        if not _text(cell) and not cell.find(["jsna-svg-slot", "img", "table"]):
            cell.decompose()
    for table in article.find_all("table"):
        mark_numeric_columns(table)
    heading = article.find(["h1", "h2"])
    if heading is None:
        raise ExtractError(f"{output}: the page has no heading to use as its chapter title")
    heading["class"] = [*heading.get("class", []), "chapter-title"]
    _rewrite_links(soup, article, output, key, known)
    body = fill_svg_slots("".join(str(child) for child in article.contents), svgs)
    return PrintPage(output=output, key=key, title=_text(heading), body=body, charts=len(svgs))
