"""Board configuration: areas, comparators and the editions a board publishes."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from jsna import inputs

DEFAULT_BOARD = "leicestershire"
GSS_CODE = re.compile(r"^[EWSN]\d{8}$")


class ConfigError(ValueError):
    """A board configuration file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    area_type: str

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class Chapter:
    slug: str
    template: str
    for_each: str | None = None


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
    county: Area
    districts: tuple[Area, ...]
    region: Area | None
    comparator: Area
    editions: tuple[Edition, ...]
    path: Path

    @property
    def areas(self) -> tuple[Area, ...]:
        """The board's own areas: the county first, then its districts in configured order."""
        return (self.county, *self.districts)

    def area(self, code: str) -> Area:
        for area in (*self.areas, self.comparator, *([self.region] if self.region else [])):
            if area.code == code:
                return area
        raise ConfigError(f"{self.path}: area code {code!r} is not configured for board {self.id!r}")

    def edition(self, edition_id: str) -> Edition:
        for edition in self.editions:
            if edition.id == edition_id:
                return edition
        known = ", ".join(e.id for e in self.editions)
        raise ConfigError(f"{self.path}: no edition {edition_id!r} (configured: {known})")


def slugify(text: str) -> str:
    """Lower-case, hyphen-separated file name for an area or chapter ("Oadby and Wigston" -> "oadby-and-wigston")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def board_id(default: str = DEFAULT_BOARD) -> str:
    """The board to build: ``JSNA_BOARD`` if set, else the default."""
    return os.environ.get("JSNA_BOARD", default)


def _area(path: Path, raw: object, key: str, area_type: str) -> Area:
    if not isinstance(raw, dict) or "code" not in raw or "name" not in raw:
        raise ConfigError(f"{path}: '{key}' must be a mapping with 'code' and 'name', found {raw!r}")
    code = str(raw["code"])
    if not GSS_CODE.match(code):
        raise ConfigError(f"{path}: '{key}' code must be a GSS code like E10000018, found {code!r}")
    return Area(code=code, name=str(raw["name"]), area_type=area_type)


def _edition(path: Path, raw: dict) -> Edition:
    missing = [k for k in ("id", "kind", "title", "period", "status", "chapters") if k not in raw]
    if missing:
        raise ConfigError(f"{path}: edition {raw.get('id', '?')!r} lacks {', '.join(missing)}")
    if raw["status"] not in ("draft", "final"):
        raise ConfigError(f"{path}: edition {raw['id']!r} status must be 'draft' or 'final', found {raw['status']!r}")
    chapters = []
    for item in raw["chapters"]:
        if item.get("for_each") not in (None, "areas"):
            raise ConfigError(f"{path}: chapter {item.get('slug')!r} for_each must be 'areas', found {item['for_each']!r}")
        chapters.append(Chapter(slug=str(item["slug"]), template=str(item["template"]), for_each=item.get("for_each")))
    known = {"id", "kind", "title", "period", "status", "chapters"}
    return Edition(
        id=str(raw["id"]),
        kind=str(raw["kind"]),
        title=str(raw["title"]),
        period=str(raw["period"]),
        status=str(raw["status"]),
        chapters=tuple(chapters),
        extra={k: v for k, v in raw.items() if k not in known},
    )


def load_board(data_dir: Path, board: str | None = None) -> Board:
    """Read and check ``data/boards/<board>.yml``."""
    board = board or board_id()
    path = data_dir / "boards" / f"{board}.yml"
    if not path.exists():
        raise ConfigError(f"{path}: board configuration not found")
    inputs.record(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level, found {type(raw).__name__}")
    for key in ("board", "name", "county", "districts", "comparator", "editions"):
        if key not in raw:
            raise ConfigError(f"{path}: missing required key '{key}'")
    return Board(
        id=str(raw["board"]),
        name=str(raw["name"]),
        place=str(raw.get("place", raw["county"]["name"])),
        county=_area(path, raw["county"], "county", "county"),
        districts=tuple(_area(path, d, f"districts[{i}]", "district") for i, d in enumerate(raw["districts"])),
        region=_area(path, raw["region"], "region", "region") if raw.get("region") else None,
        comparator=_area(path, raw["comparator"], "comparator", "country"),
        editions=tuple(_edition(path, e) for e in raw["editions"]),
        path=path,
    )
