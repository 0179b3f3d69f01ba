"""What every generated page shares: its context (board, edition, area) and templated prose."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jinja2
from IPython.display import Markdown

from jsna import data, text
from jsna.config import Area, Board, Chapter, Edition, Level, load_board


@dataclass(frozen=True)
class PageContext:
    """The parameters of one run, resolved against the board configuration."""

    board: Board
    edition: Edition
    area: Area
    period: str
    status: str
    chapter: Chapter | None = None

    def shows(self, part: str, optional: bool = False) -> tuple[str, ...]:
        """The indicator ids (or domains) the board file lists for `part` of this page's chapter;
        with `optional`, none when it lists none."""
        if self.chapter is None:
            if optional:
                return ()
            raise ValueError(f"page of {self.edition.id}: no chapter given, so no indicator list for {part!r}")
        return self.chapter.shows(part, optional)

    @property
    def is_root(self) -> bool:
        """True on the board's own area's page (the city, the upper-tier council), False on a sub-area's."""
        return self.area.code == self.board.root.code

    @property
    def level(self) -> Level:
        """The level of the page's area, with the words pages use for it."""
        return self.board.level_of(self.area)


def context(board: str | None, edition: str, area_code: str | None, period: str, status: str,
            chapter: str | None = None) -> PageContext:
    """Resolve a template's papermill parameters into a :class:`PageContext` and read tables from
    the board's data folder. `board` None is the default board; `area_code` None its own area;
    `chapter` the chapter's slug in the board file (what it shows)."""
    cfg = load_board(data.data_root(), board or None)
    data.use_board(cfg.data_dir)
    area = cfg.area(area_code) if area_code else cfg.root
    return PageContext(board=cfg, edition=cfg.edition(edition), area=area, period=period, status=status,
                       chapter=cfg.chapter(edition, chapter) if chapter else None)


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


def words(ctx: PageContext) -> dict[str, str]:
    """The board's words for headings: {root} "city", {child} "locality", {children} "localities",
    {place} the place name, {benchmark} what the page's area is compared with."""
    child = ctx.board.child_level
    benchmark = ctx.board.benchmark(ctx.area)
    return {"root": ctx.board.root_level.word, "child": child.word if child else "area",
            "children": child.plural if child else "areas", "place": ctx.board.place, "benchmark": benchmark.name}


def section(title: str, ctx: PageContext) -> Markdown:
    """A section heading (H2) whose words come from the board: ``section("Population by {child}", ctx)``."""
    return Markdown(f"## {title.format(**words(ctx))}")


def heading(title: str, ctx: PageContext) -> Markdown:
    """The page title (H1). The edition line under it (edition, period, status, build date, commit)
    is added to every generated page by the Sphinx extension, so pages do not repeat it."""
    return render("page_heading.md.j2", title=title, ctx=ctx)
