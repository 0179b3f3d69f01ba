"""Load the book's input tables: read, validate against pandera schemas, attach provenance.

Every table lives in ``data/<name>.csv`` (UTF-8, one header row) and has a schema in
:mod:`jsna.schemas`. :func:`load` returns a typed DataFrame whose ``attrs`` carry the
``sources.yml`` entry (``attrs["source"]``) and a one-line citation
(``attrs["source_note"]``). Invalid files raise :class:`DataValidationError`, which lists
every problem as ``<file>: row <n>, column '<col>': <rule>: expected <x>, found <y>``;
row numbers are 1-based file lines (the header is line 1).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import yaml

from jsna import inputs
from jsna.schemas import RULE_COLUMNS, schema_for

__all__ = [
    "DataValidationError",
    "Problem",
    "data_dir",
    "data_root",
    "load",
    "load_all",
    "read_yaml",
    "source_note",
    "sources",
    "table_names",
    "use_board",
    "validate_file",
]

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_HEADER_ROW = 1


@dataclass(frozen=True)
class Problem:
    """One validation problem, located by file, 1-based line number and column."""

    file: str
    row: int
    column: str
    rule: str
    expected: str
    found: str

    def __str__(self) -> str:
        return f"{self.file}: row {self.row}, column '{self.column}': {self.rule}: expected {self.expected}, found {self.found}"


class DataValidationError(ValueError):
    """Raised when a data file is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        files = sorted({p.file for p in self.problems})
        head = f"{len(self.problems)} data problem(s) in {', '.join(files)}"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))


# --------------------------------------------------------------------------- locations


def data_root() -> Path:
    """The book's data folder: ``$JSNA_DATA_DIR``, else ``data/`` of the nearest book root above the cwd, else the repo's."""
    env = os.environ.get("JSNA_DATA_DIR")
    if env:
        return Path(env)
    cwd = Path.cwd().resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / "_config.yml").is_file():
            return folder / "data"
    return Path(__file__).resolve().parents[2] / "data"


_board: tuple[Path, Path] | None = None  # (data root, board folder) chosen by use_board


def use_board(folder: Path | None) -> None:
    """Read tables from `folder` (a board's ``data_dir``) while the data root stays the one it is
    under; None returns to the default board's."""
    global _board
    _board = None if folder is None else (data_root().resolve(), Path(folder))


def data_dir() -> Path:
    """The folder of the current board's tables: the one :func:`use_board` chose (a page's board),
    else the default board's (``JSNA_BOARD`` or ``_config.yml``), else the data folder itself."""
    if _board is not None and _board[0] == data_root().resolve():
        return _board[1]
    root = data_root()
    if not (root / "boards").is_dir():
        return root
    from jsna.config import default_board, load_board

    return load_board(root, default_board(root)).data_dir


def _dir(folder: Path | str | None) -> Path:
    return Path(folder) if folder is not None else data_dir()


def table_names(folder: Path | str | None = None) -> list[str]:
    """Names of the CSV tables in the data folder (sorted)."""
    inputs.record_glob(_dir(folder), "*.csv")
    return sorted(p.stem for p in _dir(folder).glob("*.csv"))


# --------------------------------------------------------------------------- YAML


def read_yaml(path: Path) -> Any:
    """Parse a YAML file; a syntax error becomes a DataValidationError naming line and column."""
    inputs.record(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _raise([_encoding_problem(path, path.read_bytes(), exc)])
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else 1
        col = f"char {mark.column + 1}" if mark is not None else "(file)"
        found = str(getattr(exc, "problem", None) or exc).strip().replace("\n", " ")
        _raise([Problem(path.name, row, col, "yaml_syntax", "valid YAML", found)])


def _raise(problems: list[Problem]) -> Any:
    raise DataValidationError(problems)


@inputs.memoize(maxsize=32)
def _sources_cached(path: str, mtime: float, size: int) -> dict[str, dict[str, Any]]:
    raw = read_yaml(Path(path))
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        _raise([Problem(Path(path).name, 1, "(file)", "yaml_mapping", "a mapping of source_id to entries", type(raw).__name__)])
    return {str(k): dict(v or {}) for k, v in raw.items()}


def sources(data_dir: Path | str | None = None) -> dict[str, dict[str, Any]]:
    """The ``sources.yml`` registry: ``source_id -> {publisher, title, url, date, licence, seed, lines, notes}``."""
    path = _dir(data_dir) / "sources.yml"
    if not path.is_file():
        return {}
    st = path.stat()
    return {k: dict(v) for k, v in _sources_cached(str(path.resolve()), st.st_mtime, st.st_size).items()}


# --------------------------------------------------------------------------- reading


def _encoding_problem(path: Path, raw: bytes, exc: UnicodeDecodeError) -> Problem:
    line_start = raw.rfind(b"\n", 0, exc.start) + 1
    row = raw.count(b"\n", 0, exc.start) + 1
    field = raw[line_start : exc.start].count(b",")
    header = raw.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
    column = header[field] if row > 1 and field < len(header) else f"field {field + 1}"
    bad = raw[exc.start : exc.end].hex(" ")
    return Problem(path.name, row, column, "utf8_encoding", "UTF-8 text", f"byte(s) 0x{bad}")


def _read_rows(path: Path) -> tuple[list[str], list[list[str]], list[int], list[Problem]]:
    """Header, rows, the file line of each row, and structural problems."""
    inputs.record(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [], [], [_encoding_problem(path, raw, exc)]
    if not text.strip():
        return [], [], [], [Problem(path.name, 1, "(header)", "non_empty_file", "a header row and data rows", "an empty file")]
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    try:
        header = [h.strip() for h in next(reader)]
        for rec in reader:
            line = reader.line_num
            if not rec or all(not c.strip() for c in rec):
                problems.append(Problem(path.name, line, "(row)", "no_blank_rows", "a data row", "a blank line"))
                continue
            if len(rec) != len(header):
                problems.append(
                    Problem(path.name, line, "(row)", "field_count", f"{len(header)} fields as in the header", f"{len(rec)} fields")
                )
                continue
            rows.append(rec)
            lines.append(line)
    except csv.Error as exc:
        problems.append(Problem(path.name, reader.line_num, "(row)", "csv_syntax", "valid CSV", str(exc)))
    dup = {h for h in header if header.count(h) > 1}
    for h in sorted(dup):
        problems.append(Problem(path.name, _HEADER_ROW, h, "unique_column_names", "each column once", f"'{h}' {header.count(h)} times"))
    return header, rows, lines, problems


def _kind(col: pa.Column) -> str:
    dt = str(col.dtype)
    if dt.startswith("Int") or dt.startswith("int"):
        return "int"
    if dt.startswith("float"):
        return "float"
    if dt in ("bool", "boolean"):
        return "bool"
    return "str"


def _number_hint(value: str) -> str:
    hints = [h for ch, h in ((",", "thousands separator"), ("%", "% sign"), ("£", "£ sign")) if ch in value]
    return f"'{value}'" + (f" ({', '.join(hints)})" if hints else "")


def _coerce(df: pd.DataFrame, schema: pa.DataFrameSchema, file: str, lines: list[int]) -> tuple[pd.DataFrame, list[Problem]]:
    """Convert text cells to the schema's types; each unparsable cell is a problem and becomes missing."""
    problems: list[Problem] = []
    out: dict[str, pd.Series] = {}
    for name in df.columns:
        raw = df[name].str.strip()
        empty = raw == ""
        col = schema.columns.get(name)
        kind = _kind(col) if col is not None else "str"
        if kind == "str":
            out[name] = raw.mask(empty).astype("str")
            continue
        if kind == "bool":
            low = raw.str.lower()
            ok = empty | low.isin(["true", "false", "yes", "no", "1", "0"])
            vals = low.map({"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False})
            out[name] = vals.mask(empty).astype("boolean")
            expected = "true or false"
        else:
            ok = empty | raw.str.fullmatch(_NUMBER)
            num = pd.to_numeric(raw.where(ok & ~empty), errors="coerce")
            if kind == "int":
                frac = num.notna() & (num != num.round())
                ok = ok & ~frac
                num = num.mask(frac)
                out[name] = num.astype("Int64")
                expected = "a whole number (digits only, no separators or signs)"
            else:
                out[name] = num.astype("float64")
                expected = "a number (digits only, no thousands separators, % or £ signs)"
        for i in (~ok).to_numpy().nonzero()[0]:
            problems.append(Problem(file, lines[i], name, f"type_{kind}", expected, _number_hint(df[name].iat[i])))
    return pd.DataFrame(out, index=df.index), problems


def _check_names(schema: pa.DataFrameSchema) -> dict[str, tuple[str, str]]:
    """Map a check's reported label to (rule name, expected text)."""
    names: dict[str, tuple[str, str]] = {}
    for col in schema.columns.values():
        for chk in col.checks:
            label = chk.error or str(chk)
            names[label] = (chk.name or label, chk.error or label)
    for chk in schema.checks:
        names[chk.error or chk.name] = (chk.name, chk.error or chk.name)
    return names


def _fmt(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "empty"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"'{value}'"


def _pandera_problems(df: pd.DataFrame, schema: pa.DataFrameSchema, file: str, lines: list[int]) -> list[Problem]:
    """Run ``schema`` lazily on typed ``df`` (only the columns present) and translate failures."""
    present = [c for c in schema.columns if c in df.columns]
    required_missing = [c for c, col in schema.columns.items() if c not in df.columns and col.required]
    problems = [
        Problem(file, _HEADER_ROW, c, "required_column", f"a column named '{c}'", "no such column in the header")
        for c in required_missing
    ]
    checks = [c for c in schema.checks if set(RULE_COLUMNS.get(c.name, ())) <= set(df.columns)]
    key = [k for k in schema.metadata["key"] if k in df.columns]
    sub = pa.DataFrameSchema(
        {c: schema.columns[c] for c in present},
        checks=checks,
        unique=key if len(key) == len(schema.metadata["key"]) else None,
        report_duplicates="all",
        name=schema.name,
    )
    try:
        sub.validate(df, lazy=True)
        return problems
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
    labels = _check_names(schema)
    seen: set[tuple[str, int]] = set()
    for rec in fc.itertuples(index=False):
        idx = rec.index
        check = str(rec.check)
        row = lines[int(idx)] if idx is not None and not pd.isna(idx) else _HEADER_ROW
        if check == "multiple_fields_uniqueness":
            if ("unique", row) in seen:
                continue
            seen.add(("unique", row))
            vals = ", ".join(f"{k}={_fmt(df[k].iat[int(idx)])}" for k in key)
            dups = df.index[(df[key] == df.loc[idx, key]).all(axis=1)]
            first = lines[int(dups[0])]
            found = f"{vals} also on row {first}" if first != row else f"{vals} repeated on later row(s)"
            problems.append(Problem(file, row, ",".join(key), "unique_key", f"one row per {', '.join(key)}", found))
        elif rec.schema_context == "DataFrameSchema" and check in RULE_COLUMNS:
            if (check, row) in seen:
                continue
            seen.add((check, row))
            cols = RULE_COLUMNS[check]
            found = ", ".join(f"{c}={_fmt(df[c].iat[int(idx)])}" for c in cols)
            problems.append(Problem(file, row, ",".join(cols), check.split(":")[0], check, found))
        elif check == "not_nullable":
            problems.append(Problem(file, row, str(rec.column), "not_null", "a value", "empty"))
        elif check.startswith("column_in_dataframe"):
            continue  # reported above as required_column
        else:
            rule, expected = labels.get(check, (check, check))
            problems.append(Problem(file, row, str(rec.column), rule, expected, _fmt(rec.failure_case)))
    return problems


@inputs.memoize(maxsize=16)
def _codes_cached(path: str, mtime: float, size: int, column: str) -> frozenset[str] | None:
    header, rows, _, problems = _read_rows(Path(path))
    if column not in header or any(p.rule in ("utf8_encoding", "non_empty_file") for p in problems):
        return None  # the referenced table is itself broken; its own check reports that
    i = header.index(column)
    return frozenset(r[i].strip() for r in rows)


def _reference_values(folder: Path, ref: str) -> frozenset[str] | None:
    table, column = ref.split(".")
    path = folder / f"{table}.csv"
    if not path.is_file():
        return None
    st = path.stat()
    return _codes_cached(str(path.resolve()), st.st_mtime, st.st_size, column)


def _foreign_problems(df: pd.DataFrame, schema: pa.DataFrameSchema, file: str, lines: list[int], folder: Path) -> list[Problem]:
    problems: list[Problem] = []
    for column, ref in schema.metadata["foreign"].items():
        if column not in df.columns:
            continue
        allowed = _reference_values(folder, ref)
        if allowed is None:
            continue
        vals = df[column]
        bad = vals.notna() & ~vals.isin(allowed)
        for i in bad.to_numpy().nonzero()[0]:
            problems.append(Problem(file, lines[i], column, "known_reference", f"a value listed in {ref.replace('.', '.csv column ')}", _fmt(vals.iat[i])))
    if "source_id" in df.columns:
        try:
            known = sources(folder)
        except DataValidationError:
            known = None
        if known is not None:
            vals = df["source_id"]
            bad = vals.notna() & ~vals.isin(list(known))
            for i in bad.to_numpy().nonzero()[0]:
                problems.append(Problem(file, lines[i], "source_id", "known_source", "a source_id defined in sources.yml", _fmt(vals.iat[i])))
    return problems


def read_with_lines(path: Path, name: str, folder: Path) -> tuple[pd.DataFrame, list[Problem], list[int]]:
    """Typed table, its problems, and the 1-based file line of each row (for :mod:`jsna.qa`)."""
    df, problems = _read_validated(path, name, folder)
    return df, problems, df.attrs.pop("_lines", [])


def _read_validated(path: Path, name: str, folder: Path) -> tuple[pd.DataFrame, list[Problem]]:
    schema = schema_for(name)
    header, rows, lines, problems = _read_rows(path)
    if not header:
        return pd.DataFrame(), problems
    raw = pd.DataFrame(rows, columns=header, dtype="str") if rows else pd.DataFrame({h: pd.Series([], dtype="str") for h in header})
    raw = raw.loc[:, ~raw.columns.duplicated()]
    df, type_problems = _coerce(raw, schema, path.name, lines)
    problems += type_problems
    typed_bad = {(p.row, p.column) for p in type_problems}
    problems += [p for p in _pandera_problems(df, schema, path.name, lines) if not (p.rule == "not_null" and (p.row, p.column) in typed_bad)]
    problems += _foreign_problems(df, schema, path.name, lines, folder)
    if not rows and not problems:
        problems.append(Problem(path.name, 2, "(row)", "non_empty_file", "at least one data row", "only a header"))
    problems.sort(key=lambda p: (p.row, p.column))
    ordered = [c for c in schema.columns if c in df.columns] + [c for c in df.columns if c not in schema.columns]
    out = df[ordered]
    out.attrs["_lines"] = lines
    return out, problems


def validate_file(path: Path | str, name: str | None = None, data_dir: Path | str | None = None) -> list[Problem]:
    """Every problem in one data file (empty list when valid); ``name`` defaults to the file stem."""
    path = Path(path)
    folder = Path(data_dir) if data_dir is not None else path.parent
    return _read_validated(path, name or path.stem, folder)[1]


# --------------------------------------------------------------------------- provenance


def citation(entry: dict[str, Any]) -> str:
    """A source as a reader sees it: its short title and, where data came second-hand, what carried them.

    Seed and line references stay in the data rows (``source_id``, ``source_line``) and in
    ``sources.yml``; they mean nothing to a reader of the report.
    """
    label = entry.get("short") or entry.get("title") or entry.get("source_id") or "unknown source"
    via = entry.get("via")
    return f"{label}, via {via}" if via else str(label)


def _attach(df: pd.DataFrame, ids: Iterable[str], registry: dict[str, dict[str, Any]]) -> pd.DataFrame:
    ids = [i for i in dict.fromkeys(ids) if i]
    entries = [dict(registry.get(i, {"title": f"unregistered source {i}"}), source_id=i) for i in ids]
    df.attrs["source"] = entries[0] if len(entries) == 1 else entries
    df.attrs["source_ids"] = ids
    df.attrs["source_note"] = "Source: " + "; ".join(citation(e) for e in entries) if entries else "Source: not recorded"
    return df


@inputs.memoize(maxsize=128)
def _load_cached(path: str, mtime: float, size: int, name: str, folder: str) -> pd.DataFrame:
    df, problems = _read_validated(Path(path), name, Path(folder))
    if problems:
        raise DataValidationError(problems)
    df.attrs.pop("_lines", None)
    return df


def load(name: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Read, type and validate ``data/<name>.csv``; provenance is in ``df.attrs`` (``source``, ``source_note``)."""
    folder = _dir(data_dir)
    path = folder / f"{name}.csv"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such data table; available: {', '.join(table_names(folder))}")
    st = path.stat()
    df = _load_cached(str(path.resolve()), st.st_mtime, st.st_size, name, str(folder.resolve())).copy()
    ids = df["source_id"].dropna().tolist() if "source_id" in df.columns else []
    return _attach(df, ids, sources(folder))


def load_all(data_dir: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """Every table with a schema, loaded and validated; raises with all problems of all files."""
    folder = _dir(data_dir)
    out: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name in table_names(folder):
        try:
            out[name] = load(name, folder)
        except DataValidationError as exc:
            problems += exc.problems
        except KeyError:
            continue
    if problems:
        raise DataValidationError(problems)
    return out


def source_note(df: pd.DataFrame) -> str:
    """The one-line citation attached by :func:`load` ("Source: ...")."""
    return str(df.attrs.get("source_note") or "Source: not recorded")
