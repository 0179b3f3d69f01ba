"""Citations and the "Data and methods" section that closes every JSNA chapter."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from jsna import data, inputs
from jsna.page import PageContext, render

#: Plain descriptions of the statistical methods a chapter may name.
METHODS = {
    "significance": "Significance against England follows the Fingertips method: an area is better or worse "
    "when its 95% confidence interval lies wholly above or below the England value, otherwise similar. "
    "Where no interval is published, only the direction of the difference is given and it is marked "
    "\"not tested\".",
    "trend": "Recent trends use the Fingertips trend markers: the latest five points, the chi-square test "
    "for trend for proportions with counts, otherwise a regression weighted by the published 95% intervals, "
    "called significant at the 99.8% level, unless leaving out any one of the five points reverses the "
    "direction, in which case one unusual year is driving it and no significant change is reported; "
    "shorter, broken or overlapping (rolling) series cannot be tested.",
    "rank": "Nearest-neighbour ranks are as published against the 16 CIPFA nearest neighbours (1st is best).",
    "strongest": "The five strongest findings are chosen by code: tested findings first, ordered by how many "
    "standard errors the value lies from England, then untested ones by their relative difference from England.",
    "goal": "Vaccination coverage is rated against fixed goals (below 90%, 90% to 95%, 95% and above) "
    "as in the Fingertips benchmark goals, and flu uptake against the national uptake ambition for each group.",
    "rates": "Rates per 10,000 residents are taken as published; each area's figure is compared with the board's "
    "own area and England values for the same period where these exist.",
    "targets": "Targets and actuals are as published in the Better Care Fund returns; a target is met when the "
    "actual is on the better side of it for the metric's polarity.",
    "population": "Population figures are ONS estimates and projections as published, rounded as in the source; "
    "shares are calculated from the rounded figures.",
    "counts": "Figures are counts and shares as published; no statistical test is applied to them.",
}


def source_ids(tables: Iterable[pd.DataFrame]) -> list[str]:
    """Every source id the tables carry, in first-seen order."""
    ids: list[str] = []
    for df in tables:
        found = df.attrs.get("source_ids") or (df["source_id"].dropna().tolist() if "source_id" in df.columns else [])
        ids.extend(str(i) for i in found)
    return list(dict.fromkeys(ids))


def source_note(ids: Iterable[str]) -> str:
    """One-line citation for the given source ids ("Source: A; B")."""
    registry = data.sources()
    parts = [data.citation(dict(registry.get(i, {}), source_id=i)) for i in dict.fromkeys(ids)]
    return "Source: " + "; ".join(parts) if parts else "Source: not recorded"


def note_for(df: pd.DataFrame) -> str:
    """Citation for exactly the rows shown in `df` (by their source_id column or attrs)."""
    return source_note(source_ids([df]))


def _git(folder: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


@lru_cache(maxsize=256)
def _snapshot(folder: str, files: tuple[str, ...]) -> str:
    """The latest change to `files` (all of `folder` when empty): their last commit, or the newest
    modification time where one of them has changes not yet committed or git is not there."""
    path = Path(folder)
    paths = [Path(f) for f in files] or [p for p in path.rglob("*") if p.is_file()]
    names = [str(p.relative_to(path)) for p in paths] or ["."]
    changed = _git(path, "status", "--porcelain", "--", *names)
    committed = _git(path, "log", "-1", "--format=%cs", "--", *names) if changed == "" else None
    if committed:
        return committed
    newest = max((p.stat().st_mtime for p in paths if p.is_file()), default=0.0)
    return dt.date.fromtimestamp(newest).isoformat()


def snapshot_date() -> str:
    """ISO date of the data a page was built from: the latest change to the data files it has read
    so far (in a build, each page has its own), or to the whole data folder outside a build."""
    folder = data.data_dir().resolve()
    files = tuple(p for p in inputs.collected() if not p.startswith(inputs.GLOB) and Path(p).is_relative_to(folder))
    return _snapshot(str(folder), files)


def _entry(source_id: str, registry: dict) -> dict:
    e = registry.get(source_id, {})
    return {
        "id": source_id,
        "title": e.get("title") or source_id,
        "publisher": e.get("publisher") or "publisher not recorded",
        "via": e.get("via") or "",
        "date": str(e.get("date") or "date not recorded"),
        "url": e.get("url") or "",
        "licence": e.get("licence") or "",
    }


def data_and_methods(ctx: PageContext, tables: list[pd.DataFrame], methods: list[str], notes: list[str] | None = None) -> Markdown:
    """The closing section: sources of the given tables (from sources.yml), methods and snapshot date."""
    registry = data.sources()
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise KeyError(f"unknown method(s) {unknown}; known: {sorted(METHODS)}")
    return render(
        "jsna_methods.md.j2",
        ctx=ctx,
        sources=[_entry(i, registry) for i in source_ids(tables)],
        methods=[METHODS[m] for m in methods],
        notes=notes or [],
        snapshot=snapshot_date(),
    )
