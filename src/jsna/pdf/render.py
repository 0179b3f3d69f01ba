"""Lay print fragments out as HTML documents with jinja2 and write them as PDF with WeasyPrint."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from jsna.pdf.extract import PAGE_LINK, PrintPage

PACKAGE_DIR = Path(__file__).resolve().parents[1]
TEMPLATES = PACKAGE_DIR / "templates"
PRINT_CSS = PACKAGE_DIR / "static" / "print.css"

#: Tagged PDF (structure tree, alt text, document language and title shown in the title bar).
PDF_VARIANT = "pdf/ua-1"
LANG = "en-GB"


@dataclass(frozen=True)
class Cover:
    """What the cover and the running heads say about an edition."""

    board: str
    title: str
    period: str
    status: str  # "draft" or "final"
    built: datetime

    @property
    def heading(self) -> str:
        return f"{self.title} {self.period}".strip()

    @property
    def status_text(self) -> str:
        return "Draft for review" if self.status == "draft" else "Final"

    @property
    def built_text(self) -> str:
        return f"{self.built.day} {self.built:%B %Y}"


@dataclass(frozen=True)
class Part:
    """A run of pages the contents page groups under one caption (e.g. "Area profiles")."""

    caption: str | None
    pages: tuple[PrintPage, ...]


def w3c_date(moment: datetime) -> str:
    """A UTC timestamp in the W3C form WeasyPrint reads from `dcterms.created`."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def resolve_links(body: str, present: dict[str, str]) -> str:
    """Point `jsna-page:` links at the page's place in this document, or drop the link if it is absent.

    `present` maps a page output to its id prefix in the document being written.
    """

    def one(match: re.Match) -> str:
        output, _, fragment = match.group(1).partition("#")
        key = present.get(output)
        if key is None:
            return 'data-elsewhere=""'
        return f'href="#{key}-{fragment}"' if fragment else f'href="#{key}"'

    return re.sub(rf'href="{re.escape(PAGE_LINK)}([^"]*)"', one, body)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["links"] = resolve_links
    return env


def edition_html(cover: Cover, parts: list[Part]) -> str:
    """The whole edition as one print document: cover, contents, then every page in book order."""
    pages = [page for part in parts for page in part.pages]
    present = {page.output: page.key for page in pages}
    return _environment().get_template("pdf_edition.html.j2").render(
        cover=cover, parts=parts, pages=pages, present=present, lang=LANG, created=w3c_date(cover.built)
    )


def chapter_html(cover: Cover, page: PrintPage) -> str:
    """One page of the book as its own print document, with a title strip instead of a cover."""
    return _environment().get_template("pdf_chapter.html.j2").render(
        cover=cover, page=page, present={page.output: page.key}, lang=LANG, created=w3c_date(cover.built)
    )


@dataclass(frozen=True)
class Job:
    """One PDF to write: its print HTML and where it goes."""

    html: str
    target: Path
    base_url: str


@dataclass(frozen=True)
class Written:
    target: Path
    pages: int
    seconds: float


def write_pdf(job: Job) -> Written:
    """Render one print document with WeasyPrint (runs in a worker process)."""
    from weasyprint import CSS, HTML

    start = time.perf_counter()
    options = {"stylesheets": [CSS(filename=str(PRINT_CSS))], "pdf_variant": PDF_VARIANT}
    document = HTML(string=job.html, base_url=job.base_url).render(**options)
    job.target.parent.mkdir(parents=True, exist_ok=True)
    scratch = job.target.with_suffix(".pdf.part")
    document.write_pdf(scratch, **options)
    scratch.replace(job.target)
    return Written(job.target, len(document.pages), time.perf_counter() - start)
