"""Board configuration: the board's geography, its comparators and the editions it publishes.

A board file (``data/boards/<board>.yml``) declares everything that differs between boards, so
that code never names a place or a shape of geography:

* ``levels``: the board's geography from the top down. The first level holds exactly one area,
  the board's own (a unitary authority, an upper-tier council, an ICB); each further level splits
  the one above (lower-tier councils, localities, wards, practices). Every level has the words
  pages use for it (``word``/``plural``: "locality"/"localities") and the comparator roles
  its areas are compared with (``compare_with``).
* ``comparators``: areas outside the board that values are compared with, each in a role
  (``national`` is required: England for an English board; ``region`` and others are optional).
  The role ``parent`` needs no entry: it is the area one level up (the board average).
* ``data``: the folder of the board's tables, relative to ``data/`` (``.`` for ``data/`` itself).
* ``editions``: the publications, each a list of chapter runs; ``for_each: <level>`` (or a list
  of levels) runs a template once per area of those levels.

Area codes are GSS codes, or codes of the board's own for areas that have none (localities:
``LC-CENTRAL``), whose make-up is a lookup table among the board's data.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from jsna import inputs

#: A GSS code (E06000016) or a board's own code for an area that has none (LC-NORTH-WEST).
AREA_CODE = re.compile(r"^([EWSNK]\d{8}|[A-Z][A-Z0-9]*(-[A-Z0-9]+)+)$")
NATIONAL = "national"
PARENT = "parent"
STATUSES = ("draft", "final")


class ConfigError(ValueError):
    """A board configuration file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str  # the level id ("locality"), or the comparator role for comparators ("national")
    parent: str | None = None  # code of the area one level up
    tile: tuple[int, int] | None = None  # (column, row) on the level's tile map

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class Level:
    """One level of the board's geography and the words pages use for it."""

    id: str
    word: str
    plural: str
    areas: tuple[Area, ...]
    compare_with: tuple[str, ...]


@dataclass(frozen=True)
class Chapter:
    slug: str
    template: str
    for_each: tuple[str, ...] = ()
    parameters: tuple[tuple[str, object], ...] = ()  # extra papermill parameters, e.g. (("section", "bcf"),)
    caption: str | None = None  # contents caption of a for_each group ("Area profiles")
    indicators: tuple[tuple[str, tuple[str, ...]], ...] = ()  # what the chapter shows: part -> indicator ids or domains

    def shows(self, part: str, optional: bool = False) -> tuple[str, ...]:
        """The indicator ids (or domains) the board lists for one part of the chapter; with
        `optional`, none when it lists none."""
        for name, items in self.indicators:
            if name == part:
                return items
        if optional:
            return ()
        raise ConfigError(f"chapter {self.slug!r}: the board file lists no indicators for {part!r} "
                          f"(listed: {', '.join(n for n, _ in self.indicators) or 'none'})")


@dataclass(frozen=True)
class Edition:
    id: str
    kind: str
    title: str
    period: str
    status: str
    chapters: tuple[Chapter, ...]
    extra: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Board:
    id: str
    name: str
    place: str
    levels: tuple[Level, ...]
    comparators: tuple[Area, ...]
    editions: tuple[Edition, ...]
    path: Path
    data_dir: Path
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def root(self) -> Area:
        """The board's own area (the only area of the first level)."""
        return self.levels[0].areas[0]

    @property
    def areas(self) -> tuple[Area, ...]:
        """The board's own areas, level by level in configured order."""
        return tuple(a for level in self.levels for a in level.areas)

    @property
    def children(self) -> tuple[Area, ...]:
        """The areas of the level below the root (empty for a board of one area)."""
        return self.levels[1].areas if len(self.levels) > 1 else ()

    @property
    def root_level(self) -> Level:
        return self.levels[0]

    @property
    def child_level(self) -> Level | None:
        return self.levels[1] if len(self.levels) > 1 else None

    @property
    def comparator(self) -> Area:
        """The national comparator (England), against which every indicator is compared."""
        return self.comparator_for(NATIONAL)

    def comparator_for(self, role: str) -> Area | None:
        """The comparator in `role` ("national", "region"), or None when the board has none."""
        return next((c for c in self.comparators if c.level == role), None)

    def level(self, level_id: str) -> Level:
        for level in self.levels:
            if level.id == level_id:
                return level
        raise ConfigError(f"{self.path}: no level {level_id!r} (configured: {', '.join(lv.id for lv in self.levels)})")

    def level_of(self, area: Area) -> Level:
        return self.level(area.level)

    def area(self, code: str) -> Area:
        for area in (*self.areas, *self.comparators):
            if area.code == code:
                return area
        raise ConfigError(f"{self.path}: area code {code!r} is not configured for board {self.id!r}")

    def parent_of(self, area: Area) -> Area | None:
        return self.area(area.parent) if area.parent else None

    def comparisons(self, area: Area) -> tuple[tuple[str, Area], ...]:
        """(role, comparator area) pairs the area's level is compared with, in configured order."""
        if area.level not in {lv.id for lv in self.levels}:
            return ()
        pairs = []
        for role in self.level_of(area).compare_with:
            other = self.parent_of(area) if role == PARENT else self.comparator_for(role)
            if other is not None:
                pairs.append((role, other))
        return tuple(pairs)

    def benchmark(self, area: Area) -> Area:
        """What the area is compared with first: the first comparator of its level (England, or
        the area one level up for a level compared with that only); the national comparator for
        an area outside the board's levels."""
        pairs = self.comparisons(area)
        return pairs[0][1] if pairs else self.comparator

    def chapter(self, edition_id: str, slug: str) -> Chapter:
        for chapter in self.edition(edition_id).chapters:
            if chapter.slug == slug:
                return chapter
        raise ConfigError(f"{self.path}: edition {edition_id!r} has no chapter {slug!r}")

    def edition(self, edition_id: str) -> Edition:
        for edition in self.editions:
            if edition.id == edition_id:
                return edition
        known = ", ".join(e.id for e in self.editions)
        raise ConfigError(f"{self.path}: no edition {edition_id!r} (configured: {known})")


def slugify(text: str) -> str:
    """Lower-case, hyphen-separated file name for an area or chapter ("Oadby and Wigston" -> "oadby-and-wigston")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def default_board(data_root: Path) -> str:
    """The board to build: ``JSNA_BOARD`` if set, else ``jsna_board`` in the book's ``_config.yml``,
    else the only board file in ``data/boards/``."""
    if os.environ.get("JSNA_BOARD"):
        return os.environ["JSNA_BOARD"]
    config = data_root.parent / "_config.yml"
    if config.is_file():
        raw = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        named = ((raw.get("sphinx") or {}).get("config") or {}).get("jsna_board")
        if named:
            return str(named)
    files = sorted((data_root / "boards").glob("*.yml"))
    if len(files) == 1:
        return files[0].stem
    raise ConfigError(f"{data_root / 'boards'}: no board chosen: set JSNA_BOARD, or jsna_board in {config}")


def _mapping(path: Path, raw: object, key: str, required: tuple[str, ...]) -> dict:
    if not isinstance(raw, dict) or any(k not in raw for k in required):
        raise ConfigError(f"{path}: '{key}' must be a mapping with {', '.join(repr(k) for k in required)}, found {raw!r}")
    return raw


def _code(path: Path, key: str, raw: object) -> str:
    code = str(raw)
    if not AREA_CODE.match(code):
        raise ConfigError(f"{path}: '{key}' code must be a GSS code like E06000016 or a local code like LC-NORTH, found {code!r}")
    return code


def _tile(path: Path, key: str, raw: object) -> tuple[int, int] | None:
    if raw is None:
        return None
    if not (isinstance(raw, list) and len(raw) == 2 and all(isinstance(x, int) for x in raw)):
        raise ConfigError(f"{path}: '{key}.tile' must be [column, row], found {raw!r}")
    return (raw[0], raw[1])


def _levels(path: Path, raw: object) -> tuple[Level, ...]:
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{path}: 'levels' must be a list of levels, the board's own area first, found {raw!r}")
    levels: list[Level] = []
    for i, item in enumerate(raw):
        key = f"levels[{i}]"
        item = _mapping(path, item, key, ("id", "word", "areas"))
        if i == 0 and len(item["areas"]) != 1:
            raise ConfigError(f"{path}: '{key}' is the board's own level and must hold exactly one area, found {len(item['areas'])}")
        if not item["areas"]:
            raise ConfigError(f"{path}: '{key}' has no areas")
        parent = levels[-1].areas[0].code if levels else None
        areas = []
        for j, a in enumerate(item["areas"]):
            a = _mapping(path, a, f"{key}.areas[{j}]", ("code", "name"))
            if i > 1 and "parent" not in a:
                raise ConfigError(f"{path}: '{key}.areas[{j}]' needs 'parent' (the code of its area one level up)")
            areas.append(Area(code=_code(path, f"{key}.areas[{j}]", a["code"]), name=str(a["name"]), level=str(item["id"]),
                              parent=str(a.get("parent", parent)) if i else None, tile=_tile(path, f"{key}.areas[{j}]", a.get("tile"))))
        compare_with = tuple(str(r) for r in item.get("compare_with", (NATIONAL,)))
        if not compare_with:
            raise ConfigError(f"{path}: '{key}.compare_with' must name at least one comparator role, found []")
        levels.append(Level(id=str(item["id"]), word=str(item["word"]), plural=str(item.get("plural", f"{item['word']}s")),
                            areas=tuple(areas), compare_with=compare_with))
    ids = [lv.id for lv in levels]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{path}: level ids must differ, found {ids}")
    codes = [a.code for lv in levels for a in lv.areas]
    if len(set(codes)) != len(codes):
        raise ConfigError(f"{path}: an area code appears twice in 'levels'")
    upper = {lv.id: {a.code for a in lv.areas} for lv in levels}
    for up, lv in zip(levels, levels[1:]):
        for a in lv.areas:
            if a.parent not in upper[up.id]:
                raise ConfigError(f"{path}: area {a.code} of level {lv.id!r} has parent {a.parent!r}, not an area of level {up.id!r}")
    return tuple(levels)


def _comparators(path: Path, raw: object) -> tuple[Area, ...]:
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: 'comparators' must be a list of {{role, code, name}}, found {raw!r}")
    out = []
    for i, item in enumerate(raw):
        c = _mapping(path, item, f"comparators[{i}]", ("role", "code", "name"))
        out.append(Area(code=_code(path, f"comparators[{i}]", c["code"]), name=str(c["name"]), level=str(c["role"])))
    if not any(c.level == NATIONAL for c in out):
        raise ConfigError(f"{path}: 'comparators' needs one with role '{NATIONAL}' (England for an English board)")
    return tuple(out)


def _chapter(path: Path, item: dict, levels: set[str]) -> Chapter:
    item = _mapping(path, item, "chapters[]", ("slug", "template"))
    each = item.get("for_each") or ()
    each = (each,) if isinstance(each, str) else tuple(each)
    unknown = [lv for lv in each if lv not in levels]
    if unknown:
        raise ConfigError(f"{path}: chapter {item['slug']!r} for_each must name levels of this board "
                          f"({', '.join(sorted(levels))}), found {', '.join(unknown)}")
    params = item.get("parameters") or {}
    shown = item.get("indicators") or {}
    for key, value in (("parameters", params), ("indicators", shown)):
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: chapter {item['slug']!r} '{key}' must be a mapping, found {value!r}")
    for part, items in shown.items():
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ConfigError(f"{path}: chapter {item['slug']!r} indicators.{part} must be a list of names, found {items!r}")
    return Chapter(slug=str(item["slug"]), template=str(item["template"]), for_each=each,
                   parameters=tuple(sorted(params.items())), caption=item.get("caption"),
                   indicators=tuple((str(k), tuple(v)) for k, v in shown.items()))


def _edition(path: Path, raw: dict, levels: set[str]) -> Edition:
    missing = [k for k in ("id", "kind", "title", "period", "status", "chapters") if k not in raw]
    if missing:
        raise ConfigError(f"{path}: edition {raw.get('id', '?')!r} lacks {', '.join(missing)}")
    if raw["status"] not in STATUSES:
        raise ConfigError(f"{path}: edition {raw['id']!r} status must be one of {', '.join(STATUSES)}, found {raw['status']!r}")
    known = {"id", "kind", "title", "period", "status", "chapters"}
    return Edition(
        id=str(raw["id"]),
        kind=str(raw["kind"]),
        title=str(raw["title"]),
        period=str(raw["period"]),
        status=str(raw["status"]),
        chapters=tuple(_chapter(path, item, levels) for item in raw["chapters"]),
        extra={k: v for k, v in raw.items() if k not in known},
    )


def load_board(data_root: Path, board: str | None = None) -> Board:
    """Read and check ``data/boards/<board>.yml`` (the default board when `board` is None)."""
    board = board or default_board(data_root)
    path = data_root / "boards" / f"{board}.yml"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in (data_root / "boards").glob("*.yml"))) or "none"
        raise ConfigError(f"{path}: board configuration not found (boards: {known})")
    st = path.stat()
    return _load_board(str(path), st.st_mtime_ns, st.st_size)


@inputs.memoize(maxsize=16)
def _load_board(name: str, mtime_ns: int, size: int) -> Board:
    path = Path(name)
    data_root, board = path.parent.parent, path.stem
    inputs.record(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level, found {type(raw).__name__}")
    for key in ("board", "name", "levels", "comparators", "editions"):
        if key not in raw:
            raise ConfigError(f"{path}: missing required key '{key}'")
    if str(raw["board"]) != board:
        raise ConfigError(f"{path}: 'board' must be the file's name {board!r}, found {raw['board']!r}")
    levels = _levels(path, raw["levels"])
    comparators = _comparators(path, raw["comparators"])
    roles = {c.level for c in comparators} | {PARENT}
    for lv in levels:
        bad = [r for r in lv.compare_with if r not in roles or (r == PARENT and lv is levels[0])]
        if bad:
            raise ConfigError(f"{path}: level {lv.id!r} compare_with names {', '.join(bad)}, not a comparator role of this board")
    folder = (data_root / str(raw.get("data", board))).resolve()
    if not folder.is_dir():
        raise ConfigError(f"{path}: 'data' folder {folder} does not exist")
    known = {"board", "name", "place", "levels", "comparators", "editions", "data"}
    return Board(
        id=board,
        name=str(raw["name"]),
        place=str(raw.get("place", levels[0].areas[0].name)),
        levels=levels,
        comparators=comparators,
        editions=tuple(_edition(path, e, {lv.id for lv in levels}) for e in raw["editions"]),
        path=path,
        data_dir=folder,
        extra={k: v for k, v in raw.items() if k not in known},
    )
