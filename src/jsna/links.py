"""Where the published site keeps each page's PDF: names that the HTML build and ``jsna pdf`` share.

Kept apart from :mod:`jsna.pdf` so that the Sphinx extension can write the links without
importing the print machinery (pandas, WeasyPrint) on every ``jupyter-book build``.
"""

from __future__ import annotations

from jsna.build import GENERATED

SITE_PDF_DIR = "pdf"  # under _build/html


def chapter_pdf_name(output: str) -> tuple[str, str] | None:
    """(edition id, file name) of a generated page's chapter PDF, or None for any other page.

    ``_generated/jsna/profiles/01-blaby`` -> ``("jsna", "profiles-01-blaby.pdf")``.
    """
    parts = output.strip("/").removesuffix(".html").split("/")
    if len(parts) < 3 or parts[0] != GENERATED or parts[1].startswith("_"):
        return None
    return parts[1], "-".join(parts[2:]) + ".pdf"


def pdf_href(pagename: str) -> str | None:
    """Site-relative URL of the PDF of an HTML page, e.g. ``pdf/chapters/jsna/01-demography.pdf``.

    `pagename` is Sphinx's page name (``_generated/jsna/01-demography``). Pages outside
    ``_generated/<edition>/`` (the landing page, genindex, search) have no PDF: None. The
    answer depends on the name only; the file exists once ``jsna pdf`` has run.
    """
    name = chapter_pdf_name(pagename)
    return None if name is None else f"{SITE_PDF_DIR}/chapters/{name[0]}/{name[1]}"


def edition_pdf_href(edition_id: str) -> str:
    """Site-relative URL of a whole edition's PDF, e.g. ``pdf/jsna.pdf``."""
    return f"{SITE_PDF_DIR}/{edition_id}.pdf"
