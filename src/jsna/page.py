"""What every generated page shares: its context (board, edition, area) and templated prose."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jinja2
from IPython.display import Markdown

from jsna import data, text
from jsna.config import Area, Board, Edition, load_board


@dataclass(frozen=True)
class PageContext:
    """The parameters of one run, resolved against the board configuration."""

    board: Board
    edition: Edition
    area: Area
    period: str
    status: str

    @property
    def is_county(self) -> bool:
        return self.area.code == self.board.county.code


def context(board: str, edition: str, area_code: str, period: str, status: str) -> PageContext:
    """Resolve a template's papermill parameters into a :class:`PageContext`."""
    cfg = load_board(data.data_dir(), board)
    return PageContext(board=cfg, edition=cfg.edition(edition), area=cfg.area(area_code), period=period, status=status)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("jsna", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        number=text.format_number,
        value=text.format_value,
        ordinal=text.ordinal,
    )
    return env


def render(template: str, **values: object) -> Markdown:
    """Render a prose template from ``jsna/templates`` into page markdown."""
    return Markdown(_environment().get_template(template).render(**values))


def heading(title: str, ctx: PageContext) -> Markdown:
    """The page title (H1). The edition line under it (edition, period, status, build date, commit)
    is added to every generated page by the Sphinx extension, so pages do not repeat it."""
    return render("page_heading.md.j2", title=title, ctx=ctx)
