"""Authored prose: load a section's markdown, check it, fill in its figures.

A board's authors write one markdown file per section and period in the board's data folder,
``<data folder>/prose/<period>/<section>.md``. A file names the generated figures it uses as
jinja2 placeholders (``{{ bcf.total | money }}``), so no number is typed by hand.

:func:`lint` finds what must not be published (placeholder or empty links, Word's
"Error! Reference source not found", TODO/XXX/TBC markers, DRAFT text, figures typed by hand,
a page title inside prose, placeholders that name no generated figure) and reports each as a
:class:`Finding` with its file and line. :func:`section` renders a file into page markdown:
in a final edition any finding raises :class:`ProseError`; in a draft edition findings are
returned so that a review page can list them. This module knows no chapter: pages that show
prose call it, and register their checks with :mod:`jsna.qa` for ``jsna check``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from jsna import inputs, text

__all__ = [
    "PROSE_DIR",
    "Finding",
    "Prose",
    "ProseError",
    "environment",
    "headings",
    "lint",
    "prose_path",
    "raise_for",
    "section",
    "severity_for",
]

PROSE_DIR = "prose"  # under a board's data folder

_PLACEHOLDER_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(\s*(#?)\s*\)")
_EMPTY_LINK_TEXT = re.compile(r"(?<!!)\[\s*\]\(([^)]*)\)")
_BROKEN_REFERENCE = re.compile(r"Error!\s*(Reference source not found|Bookmark not defined)", re.IGNORECASE)
_TODO = re.compile(r"\b(TODO|XXX|TBC|TBD|FIXME)\b")
_DRAFT = re.compile(r"\bDRAFT\b")
_EXPRESSION = re.compile(r"\{\{(.*?)\}\}")
_STATEMENT = re.compile(r"\{%.*?%\}|\{#.*?#\}")
_TYPED_FIGURE = re.compile(
    r"£\s?\d"  # money
    r"|\d\s?%"  # percentages
    r"|\b\d{1,3}(?:,\d{3})+\b"  # numbers with thousands separators
    r"|\b\d+(?:\.\d+)?\s?(?:million|billion|bn)\b"  # 5.25 million
    r"|\b\d+\.\d+\b"  # decimals (rates, scores)
)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True)
class Finding:
    """One problem found in a published page: where it is, which rule, what is wrong."""

    file: str
    line: int
    rule: str
    message: str
    severity: str  # "error" (fails a final build) or "warning" (listed on a draft's review page)
    column: str = ""  # the data column a table finding is about ("" for prose)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.rule}: {self.message}"


class ProseError(ValueError):
    """A final edition has problems; the message lists each as ``file:line: rule: message``."""

    def __init__(self, findings: list[Finding]):
        self.findings = list(findings)
        lines = "\n".join(f"  {f}" for f in self.findings)
        super().__init__(f"{len(self.findings)} problem(s) must be fixed before this edition is final:\n{lines}")


@dataclass(frozen=True)
class Prose:
    """A section's rendered markdown, the file it came from and the problems found in it."""

    markdown: str
    path: str
    findings: tuple[Finding, ...]


def severity_for(status: str) -> str:
    """Problems fail a final edition and are warnings in a draft one."""
    return "error" if status == "final" else "warning"


def raise_for(findings: list[Finding], status: str) -> None:
    """Raise :class:`ProseError` when a final edition has any finding."""
    if status == "final" and findings:
        raise ProseError(findings)


def prose_path(folder: Path, period: str, section_name: str) -> Path:
    """Where the prose of one section for one period lives in a board's data `folder`."""
    return Path(folder) / PROSE_DIR / period / f"{section_name}.md"


# --------------------------------------------------------------------------- rendering


def _missing(value: object) -> bool:
    """True for a missing figure; a strict (final) undefined name raises instead."""
    if isinstance(value, jinja2.StrictUndefined):
        value._fail_with_undefined_error()
    return isinstance(value, jinja2.Undefined) or text._is_missing(value)


def _money(value: Any) -> str:
    """£ and whole pounds: 48748385 -> "£48,748,385"."""
    return text.NOT_AVAILABLE if _missing(value) else text.format_value(value, "£")


def _millions(value: Any, decimals: int = 1) -> str:
    """Pounds in millions: 84801607 -> "£84.8 million"."""
    return text.NOT_AVAILABLE if _missing(value) else f"£{text.format_number(float(value) / 1e6, decimals)} million"


def _number(value: Any, decimals: int = 0) -> str:
    return text.NOT_AVAILABLE if _missing(value) else text.format_number(value, decimals)


def _percent(value: Any, decimals: int = 1) -> str:
    return text.NOT_AVAILABLE if _missing(value) else text.format_value(value, "%", decimals)


def _value(value: Any, unit: str, decimals: int = 1) -> str:
    return text.NOT_AVAILABLE if _missing(value) else text.format_value(value, unit, decimals)


def _words(n: Any) -> str:
    """Small whole numbers as words ("three"), larger ones as digits."""
    names = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    if _missing(n):
        return text.NOT_AVAILABLE
    return names[int(n)] if 0 <= int(n) < len(names) else text.format_number(n)


def and_join(items: Any) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    if _missing(items):
        return text.NOT_AVAILABLE
    items = [str(i) for i in items]
    return " and ".join(items) if len(items) < 3 else ", ".join(items[:-1]) + " and " + items[-1]


class _Draft(jinja2.ChainableUndefined):
    """In a draft, an unknown figure shows as a visible marker instead of stopping the build."""

    def __str__(self) -> str:
        return f"[figure not available: {self._undefined_name}]"


def environment(status: str = "final") -> jinja2.Environment:
    """The jinja2 environment prose is rendered with: strict in final, marked gaps in draft."""
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined if status == "final" else _Draft,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(
        money=_money,
        millions=_millions,
        number=_number,
        percent=_percent,
        value=_value,
        words=_words,
        and_join=and_join,
        ordinal=text.ordinal,
    )
    return env


# --------------------------------------------------------------------------- checks


def _strip_templating(line: str) -> str:
    return _STATEMENT.sub(" ", _EXPRESSION.sub(" ", line))


def _line_rules(line: str) -> list[tuple[str, str]]:
    """(rule, message) for every problem on one line of prose, placeholders removed."""
    plain = _strip_templating(line)
    found: list[tuple[str, str]] = []
    for m in _PLACEHOLDER_LINK.finditer(plain):
        target = "'#'" if m.group(2) else "nothing"
        found.append(("placeholder_link", f"link [{m.group(1)}] points to {target}; give the real address or remove the link"))
    for m in _EMPTY_LINK_TEXT.finditer(plain):
        found.append(("empty_link_text", f"link to {m.group(1).strip() or 'nothing'} has no text"))
    for m in _BROKEN_REFERENCE.finditer(plain):
        found.append(("broken_reference", f"'{m.group(0)}' left by a word processor; write the reference out"))
    for m in _TODO.finditer(plain):
        found.append(("todo_marker", f"'{m.group(1)}' marker left in the text"))
    for m in _DRAFT.finditer(plain):
        found.append(("draft_text", "'DRAFT' in the text; the draft mark is added by the build, never typed"))
    code_free = re.sub(r"`[^`]*`", " ", plain)
    for m in _TYPED_FIGURE.finditer(code_free):
        found.append(("typed_figure", f"'{m.group(0).strip()}' typed by hand; name a generated figure instead, e.g. {{{{ bcf.total | money }}}}"))
    return found


def _expression_problems(line: str, env: jinja2.Environment, names: dict[str, Any]) -> list[tuple[str, str]]:
    """Render each ``{{ ... }}`` on a line on its own so a bad name is reported at its line."""
    found: list[tuple[str, str]] = []
    strict = environment("final")
    strict.filters = env.filters
    for m in _EXPRESSION.finditer(line):
        expression = m.group(0)
        try:
            strict.from_string(expression).render(**names)
        except jinja2.UndefinedError as exc:
            found.append(("unknown_name", f"{expression.strip()} names no generated figure ({exc.message})"))
        except jinja2.TemplateError as exc:
            found.append(("template_syntax", f"{expression.strip()}: {exc}"))
        except Exception as exc:  # noqa: BLE001  (a filter given the wrong kind of value)
            found.append(("template_value", f"{expression.strip()}: {type(exc).__name__}: {exc}"))
    return found


def lint(source: str, file: str, status: str, names: dict[str, Any] | None = None) -> list[Finding]:
    """Every problem in one prose file, each with its 1-based line number."""
    severity = severity_for(status)
    env = environment(status)
    findings: list[Finding] = []
    try:
        env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        findings.append(Finding(file, exc.lineno or 1, "template_syntax", exc.message or str(exc), severity))
        names = None  # expressions cannot be checked one by one in a file that does not parse
    if not source.strip():
        findings.append(Finding(file, 1, "empty_section", "the prose file is empty", severity))
    level = 1
    in_fence = False
    for number, line in enumerate(source.splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        rules = _line_rules(line)
        heading = _HEADING.match(line)
        if heading:
            depth = len(heading.group(1))
            if depth == 1:
                rules.append(("page_title_in_prose", "a '# ' title in prose; the page title comes from the template, start at '## '"))
            elif depth > level + 1:
                rules.append(("heading_order", f"heading level {depth} follows level {level}; do not skip levels"))
            level = depth
        if names is not None:
            rules += _expression_problems(line, env, names)
        findings += [Finding(file, number, rule, message, severity) for rule, message in rules]
    return findings


def headings(markdown: str) -> list[tuple[int, str]]:
    """(level, text) of every markdown heading outside code fences."""
    out: list[tuple[int, str]] = []
    in_fence = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence and (m := _HEADING.match(line)):
            out.append((len(m.group(1)), m.group(2)))
    return out


def section(
    folder: Path,
    period: str,
    section_name: str,
    names: dict[str, Any],
    status: str,
    raise_errors: bool = True,
    required: bool = True,
    root: Path | None = None,
) -> Prose:
    """Load, check and render one section's prose from a board's data `folder`.

    A missing file is itself a finding when the prose is `required`; otherwise the section simply
    has none. In a final edition any finding raises :class:`ProseError` naming the file and line;
    in a draft the markdown is returned with gaps marked and the findings alongside.
    ``raise_errors=False`` only collects. Findings name the file relative to `root` (default: the
    folder above `folder`).
    """
    path = prose_path(folder, period, section_name)
    inputs.record(path)  # also when missing: writing the file later changes the page
    base = Path(root) if root is not None else Path(folder).parent
    rel = path.relative_to(base).as_posix() if path.is_relative_to(base) else str(path)
    if not path.is_file():
        if not required:
            return Prose("", rel, ())
        finding = Finding(rel, 0, "missing_prose", f"no prose written for section '{section_name}' of {period}", severity_for(status))
        if raise_errors:
            raise_for([finding], status)
        return Prose("", rel, (finding,))
    source = path.read_text(encoding="utf-8")
    findings = lint(source, rel, status, names)
    if raise_errors:
        raise_for(findings, status)
    try:
        markdown = environment(status).from_string(source).render(**names)
    except jinja2.TemplateError:
        markdown = source  # already reported by lint; show the text as written in a draft
    return Prose(markdown, rel, tuple(findings))
