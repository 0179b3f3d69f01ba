"""jsna.prose: the checks on analysts' prose, rendering of named figures, draft vs final."""

from __future__ import annotations

from pathlib import Path

import pytest

from jsna import prose, qa
from jsna.config import load_board

NAMES = {"year": "2023-24", "bcf": {"total": 75735254.0, "largest": {"name": "ICB minimum NHS contribution", "share": 64.4}}}


def rules(source: str, status: str = "final", names: dict | None = NAMES) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in prose.lint(source, "x.md", status, names)]


@pytest.mark.parametrize(
    "line, rule",
    [
        ("See the refreshed pages [online](#).", "placeholder_link"),
        ("See [the reports]().", "placeholder_link"),
        ("See [](https://example.org).", "empty_link_text"),
        ("As shown in Error! Reference source not found.", "broken_reference"),
        ("TODO: add the chair's words", "todo_marker"),
        ("Spend was XXX this year.", "todo_marker"),
        ("Date TBC.", "todo_marker"),
        ("This DRAFT is for comment.", "draft_text"),
        ("The fund was £75,735,254.", "typed_figure"),
        ("Only 92.2% were discharged home.", "typed_figure"),
        ("Total {{ bcf.totl | money }}.", "unknown_name"),
        ("Total {{ nothing }}.", "unknown_name"),
        ("# A page title", "page_title_in_prose"),
    ],
)
def test_each_rule_finds_its_problem_on_its_line(line: str, rule: str) -> None:
    source = "## Heading\n\nClean text.\n" + line + "\n"
    assert (4, rule) in rules(source)


def test_clean_prose_has_no_findings() -> None:
    source = "## The year\n\nThe fund was {{ bcf.total | money }} in {{ year }}, approved in February 2022.\n"
    assert rules(source) == []


def test_placeholders_inside_figures_and_years_are_not_typed_figures() -> None:
    assert rules("Under the Health and Social Care Act 2012, {{ bcf.largest.share | percent }}.\n") == []


def test_heading_levels_may_not_be_skipped() -> None:
    assert (2, "heading_order") in rules("## A\n#### B\n")


def test_severity_follows_status() -> None:
    draft = prose.lint("[online](#)\n", "x.md", "draft", {})
    final = prose.lint("[online](#)\n", "x.md", "final", {})
    assert [f.severity for f in draft] == ["warning"] and [f.severity for f in final] == ["error"]


def test_finding_text_names_file_and_line() -> None:
    (finding,) = prose.lint("ok\n[online](#)\n", "data/prose/2023-24/foreword.md", "final", {})
    assert str(finding).startswith("data/prose/2023-24/foreword.md:2: placeholder_link")


def write(folder: Path, year: str, name: str, text: str) -> Path:
    """Write one section's prose into a board's data `folder`."""
    path = prose.prose_path(folder, year, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_prose_lives_in_the_boards_data_folder(tmp_path: Path) -> None:
    assert prose.prose_path(tmp_path / "data", "2025-26", "bcf") == tmp_path / "data" / "prose" / "2025-26" / "bcf.md"
    write(tmp_path / "data" / "city", "2023", "bcf", "## Money\n\n[online](#)\n")
    (finding,) = prose.section(tmp_path / "data" / "city", "2023", "bcf", NAMES, "draft", root=tmp_path).findings
    assert finding.file == "data/city/prose/2023/bcf.md"


def test_section_renders_named_figures(tmp_path: Path) -> None:
    write(tmp_path / "data", "2023-24", "bcf", "## Money\n\nThe pooled budget was {{ bcf.total | money }} in {{ year }}.\n")
    body = prose.section(tmp_path / "data", "2023-24", "bcf", NAMES, "final")
    assert "£75,735,254 in 2023-24" in body.markdown and body.findings == ()


def test_final_section_with_placeholder_link_raises_with_file_and_line(tmp_path: Path) -> None:
    write(tmp_path / "data", "2025-26", "foreword", "## Hello\n\nOur pages are [online](#).\n")
    with pytest.raises(prose.ProseError) as err:
        prose.section(tmp_path / "data", "2025-26", "foreword", NAMES, "final")
    assert "data/prose/2025-26/foreword.md:3: placeholder_link" in str(err.value)


def test_draft_section_with_placeholder_link_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path / "data", "2025-26", "foreword", "## Hello\n\nOur pages are [online](#). Total {{ bcf.nope | money }}.\n")
    body = prose.section(tmp_path / "data", "2025-26", "foreword", NAMES, "draft")
    assert {f.rule for f in body.findings} == {"placeholder_link", "unknown_name"}
    assert all(f.severity == "warning" for f in body.findings)
    assert "## Hello" in body.markdown


def test_missing_prose_file_is_a_finding(tmp_path: Path) -> None:
    assert prose.section(tmp_path, "2030-31", "foreword", NAMES, "draft").findings[0].rule == "missing_prose"
    with pytest.raises(prose.ProseError, match="missing_prose"):
        prose.section(tmp_path, "2030-31", "foreword", NAMES, "final")


def test_prose_that_is_not_required_may_be_absent(tmp_path: Path) -> None:
    """A page that shows prose only where some is written (another board's BCF chapter) finds nothing without it."""
    body = prose.section(tmp_path, "2023", "bcf", NAMES, "final", required=False)
    assert body.markdown == "" and body.findings == ()


def test_headings_are_read_outside_code_fences() -> None:
    assert prose.headings("## A\n```\n## not\n```\n### B\n") == [(2, "A"), (3, "B")]


def _edition_findings() -> list[qa.Finding]:
    """What jsna check finds in the pages of every edition of every board (the report registers its check on import)."""
    import jsna.chapters.annual_report  # noqa: F401  (registers the report's check with jsna.qa)

    data = Path(__file__).resolve().parents[1] / "data"
    return [f for board in sorted(p.stem for p in (data / "boards").glob("*.yml")) for f in qa.edition_findings(load_board(data, board))]


def test_committed_prose_passes_every_rule() -> None:
    """The prose written for every configured annual report has no problem of its own."""
    findings = [f for f in _edition_findings() if f.file.startswith("prose/") or "/prose/" in f.file]
    assert findings == [], "\n".join(map(str, findings))


def test_check_leaves_out_acknowledged_findings() -> None:
    """The £1 in the 2023-24 BCF total is acknowledged in data/qa_accepted.yml, so no edition reports it as open."""
    assert [f for f in _edition_findings() if f.rule == "bcf_total_mismatch"] == []
