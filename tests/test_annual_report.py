"""The HWB annual report edition: tables from data, computed checks, and draft/final builds."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
import yaml

from jsna import qa
from jsna.chapters import annual_report as ar
from jsna.chapters.annual_report import (
    appendix,
    bcf,
    cells,
    checks,
    jsna_progress,
    looking_forward,
    names,
    pages,
    review,
    sections,
    years,
)
from jsna.chapters.annual_report import board as board_section
from jsna.chapters.annual_report import priorities as priorities_section
from jsna.chapters.annual_report.report import NOT_REPORTED, Report
from jsna.charts import Figure
from jsna.config import Chapter, load_board
from jsna.page import PageContext
from jsna.prose import Finding
from jsna.tables import Table
from tests.conftest import REPO, copy_book, edition, jupyter_book, reduce_book

SEED_2023_24 = {  # seed 004, BCF contributions table
    "ICB minimum NHS contribution": 48_748_385,
    "Improved BCF grant": 17_690_614,
    "Disabled Facilities Grant": 4_447_228,
}
CORE = ["index", "foreword", "statutory", "jsna", "bcf", "looking_forward", "review"]
FOREWORD_2025_26 = Path("data/prose/2025-26/foreword.md")
SECTION_NAMES = ["index", "foreword", "board", "statutory", "priorities", "jsna", "bcf", "looking_forward", "appendix", "review"]


def report(edition_id: str, root: Path = REPO, status: str | None = None, **settings: object) -> Report:
    """The report of an edition of the book at `root`, with another status or edition keys if given."""
    board = load_board(root / "data")
    edition = board.edition(edition_id)
    edition = replace(edition, extra={**edition.extra, **settings})
    return Report(PageContext(board, edition, board.root, edition.period, status or edition.status))


# --------------------------------------------------------------------------- units


def test_years() -> None:
    assert years.previous_year("2023-24") == "2022-23" and years.previous_year("2000-01") == "1999-00"
    assert years.by_year_end(2024, "March", "2023-24") and years.by_year_end(2019, "May", "2023-24")
    assert not years.by_year_end(2024, "April", "2023-24") and not years.by_year_end(2024, None, "2023-24")
    assert years.in_financial_year(2023, "April", "2023-24") and years.in_financial_year(2024, "March", "2023-24")
    assert not years.in_financial_year(2024, "April", "2023-24") and not years.in_financial_year(2023, None, "2023-24")


def test_a_calendar_year_period_reports_the_financial_year_that_ended_in_it() -> None:
    assert years.report_year("2023-24") == "2023-24" and years.report_year("2023") == "2022-23"
    assert years.next_year("2099-00") == "2100-01"
    with pytest.raises(ValueError, match="2023-24"):
        years.report_year("spring 2023")


def test_met_and_change_follow_polarity() -> None:
    assert bcf.metric_met(209.8, 163.5, "lower_is_better") == bcf.NOT_MET
    assert bcf.metric_met(510.8, 515, "lower_is_better") == bcf.MET
    assert bcf.metric_met(92.2, 92.6, "higher_is_better") == bcf.NOT_MET
    assert bcf.change_direction(-10, "lower_is_better") == "improved"
    assert bcf.change_direction(-10, "higher_is_better") == "worsened"
    assert bcf.change_direction(0, "higher_is_better") == "no change"


def test_2023_24_funding_table_equals_data_and_seed() -> None:
    r = report("annual-report-2023-24")
    table, findings = bcf.funding_table(r)
    shown = dict(zip(table.frame["Funding stream"], table.frame["Income"]))
    for stream, amount in SEED_2023_24.items():
        assert shown[stream] == f"£{amount:,}"
    income = pd.read_csv(REPO / "data" / "bcf_income.csv")
    data = income[income["year"] == "2023-24"]
    for stream, amount in zip(data["funding_stream"], data["planned_income_gbp"]):
        assert cells.parse_number(shown[stream]) == amount
    # the printed total is £1 short of its streams: found, not hidden
    assert [f.rule for f in findings] == ["bcf_total_mismatch"]
    assert "£75,735,255" in findings[0].message and "£75,735,254" in findings[0].message
    assert findings[0].file == "data/bcf_income.csv" and findings[0].line > 1


def test_2023_24_chart_names_the_stated_total_and_notes_the_difference() -> None:
    fig = bcf.funding_figure(report("annual-report-2023-24"))
    assert "£75,735,254" in fig.title and "£75,735,255" not in fig.title + fig.alt_text
    assert fig.note.startswith("The streams add up to £75,735,255, £1 more than the total of £75,735,254")
    assert bcf.funding_figure(report("annual-report-2025-26")).note == ""


def test_2023_24_metrics_met_is_computed() -> None:
    m = bcf.metrics(report("annual-report-2023-24"))
    assert len(m) == 5 and (m["met"] == bcf.MET).sum() == 1
    assert m.loc[m["metric"] == "residential_nursing_admissions_65plus", "met"].item() == bcf.MET


def test_2025_26_metrics_carry_qualifiers_and_compute_no_change_across_a_new_measure() -> None:
    r = report("annual-report-2025-26")
    table, findings = bcf.metrics_table(r)
    assert "Change from 2024-25" in table.frame.columns and findings == []
    rows = table.frame.set_index(table.frame["Metric"].str.split().str[0])
    assert rows.loc["Long-term", "2024-25 actual"] == "583.8 (projected)"
    assert rows.loc["Long-term", "Change from 2024-25"] == "not compared: measured differently"
    assert rows.loc["Acute", "Actual"] == "86.2 (best month)" and rows.loc["Emergency", "Actual"] == "1,469"
    assert rows.loc["Emergency", "Change from 2024-25"] == "not recorded"
    intro = bcf.metrics_intro(r)
    assert "no change from 2024-25 is computed" in intro and "“best month” is the best single month" in intro


def test_change_is_computed_when_the_measure_is_the_same() -> None:
    r = report("annual-report-2025-26", bcf_measure_changed=[])
    m = bcf.metrics(r).set_index("metric")
    assert round(m.loc["residential_nursing_admissions_65plus", "change"], 1) == 274.2
    assert m.loc["residential_nursing_admissions_65plus", "direction"] == "worsened"


@pytest.mark.parametrize("edition_id", ["annual-report-2025-26", "annual-report-2023-24"])
def test_metrics_text_and_chart_count_the_same_targets(edition_id: str) -> None:
    r = report(edition_id)
    met, n = int((bcf.metrics(r)["met"] == bcf.MET).sum()), len(bcf.metrics(r))
    assert bcf.metrics_intro(r).startswith(f"{met} of the {n} metrics")
    assert bcf.metrics_figure(r).title.startswith(f"{met} of {n} Better Care Fund targets were met")


def test_blank_spend_cells_say_not_reported() -> None:
    table, _ = bcf.funding_table(report("annual-report-2025-26"))
    spent = table.frame["Spent by year end"]
    assert "" not in spent.tolist() and (spent == NOT_REPORTED).sum() == 4
    assert cells.parse_number("86.2 (best month)") == 86.2 and cells.parse_number(NOT_REPORTED) is None


def test_2023_24_jsna_counts_agree_with_the_register_table() -> None:
    r = report("annual-report-2023-24")
    (approved, _), _ = jsna_progress.jsna_tables(r)
    in_year = (approved.frame["Approved in 2023-24?"] == "Yes").sum()
    by_end = sum(years.by_year_end(int(when.split()[1]), when.split()[0], "2023-24") for when in approved.frame["Approved"])
    figures = names.figures(r.ctx)
    assert figures["jsna"]["approved_in_year"] == in_year == 7
    assert figures["jsna"]["approved_by_year_end"] == by_end == 8 < len(approved.frame)
    page = " ".join(sections.build_section(r, "jsna").markdown().split())
    assert "approved seven chapters during 2023-24" in page and "eight chapters of this cycle had been approved" in page


def test_2025_26_register_says_when_it_is_from_and_marks_this_books_chapters() -> None:
    r = report("annual-report-2025-26")
    (_, developing), _ = jsna_progress.jsna_tables(r)
    assert developing.caption.endswith("as listed in the Leicestershire HWB Annual Report 2023-24 (draft)")
    marked = dict(zip(developing.frame["Needs assessment"], developing.frame["In this book's JSNA"]))
    assert marked["Carers"] == "Yes, as a chapter" and marked["Air Quality"] == "No chapter of that title"
    assert "as it stood in the Leicestershire HWB Annual Report 2023-24" in jsna_progress.register_intro(r)
    older = report("annual-report-2023-24")
    assert jsna_progress.register_intro(older) is None and "In this book's JSNA" not in jsna_progress.jsna_tables(older)[0][1].frame.columns


def test_stream_total_and_duplicate_and_number_checks() -> None:
    streams = pd.DataFrame({"income": [10.0, 20.0]})
    total = pd.Series({"income": 31.0, "_line": 4})
    (finding,) = bcf.stream_total_check(streams, total, "income", "data/bcf_income.csv", "2030-31", "error")
    assert finding.line == 4 and "difference -£1" in finding.message.replace("£-1", "-£1")
    frame = pd.DataFrame({"a": ["x", "y", "x"], "b": [1, 2, 1]})
    (dup,) = checks.duplicate_rows(frame, "t.csv", "T", "warning", pd.Series([2, 3, 4]))
    assert dup.line == 4 and "row 3 repeats row 1" in dup.message
    shown = pd.DataFrame({"v": ["£10", "£21"]})
    (bad,) = checks.numbers_match(shown, pd.DataFrame({"v": [10, 20]}), {"v": "v"}, "t.csv", "T", "error")
    assert "shows £21, data has 20" in bad.message


def test_acknowledged_discrepancy_does_not_block_final_but_is_listed() -> None:
    r = report("annual-report-2023-24", status="final")
    page = ar.build("bcf", r.ctx)  # the £1 in the source is acknowledged in qa_accepted.yml
    assert page.findings == [] and [f.rule for f, _ in page.acknowledged] == ["bcf_total_mismatch"]
    review_page = ar.build("review", r.ctx).markdown()
    assert "All checks passed" in review_page and "Acknowledged discrepancies" in review_page
    assert "found 1 difference within the published sources" in review_page and "£75,735,255" in review_page
    # written for readers: no repository files, rule ids or seed line numbers, and no "(s)" plurals
    for internal in ("qa_accepted.yml", "data/", "bcf_total_mismatch", "seed 004", "(s)"):
        assert internal not in review_page, internal


def test_methods_say_figures_were_checked_against_the_draft_source() -> None:
    older = review.checked_against(report("annual-report-2023-24"))
    assert "checked against, the draft text of the Leicestershire Health and Wellbeing Board Annual Report 2023-24," in older
    assert "draft" not in review.checked_against(report("annual-report-2025-26"))


@pytest.mark.parametrize("status, title", [("draft", "Review: checks on this edition"), ("final", "Quality checks")])
def test_review_title_reads_right_whether_or_not_checks_pass(status: str, title: str) -> None:
    assert pages.title_of("review", report("annual-report-2025-26", status=status)) == title


def test_final_status_raises_on_unacknowledged_data_findings(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    accepted = root / "data" / "qa_accepted.yml"
    entries = [e for e in yaml.safe_load(accepted.read_text()) if e["table"] != "bcf_income"]
    accepted.write_text(yaml.safe_dump(entries, sort_keys=False))
    r = report("annual-report-2023-24", root, status="final")
    with pytest.raises(ValueError, match="bcf_total_mismatch"):
        ar.build("bcf", r.ctx)


def test_acknowledgement_matches_like_jsna_qa() -> None:
    finding = Finding("data/bcf_income.csv", 7, "bcf_total_mismatch", "m", "error", "planned_income_gbp")
    ack = {"rule": "total_row_matches_parts", "table": "bcf_income", "row": 7, "column": "planned_income_gbp", "reason": "r", "who": "w", "when": "d"}
    assert checks.acknowledgement(finding, [ack], "data/") is ack  # the data rule it repeats covers it
    assert checks.acknowledgement(finding, [{**ack, "row": 8}], "data/") is None
    assert checks.acknowledgement(finding, [{**ack, "rule": "bcf_total_mismatch", "column": None}], "data/") is not None
    assert checks.acknowledgement(Finding("data/bcf_income.csv", 7, "duplicate_row", "m", "error"), [ack], "data/") is None
    # another board's tables are in a folder of their own, where its qa_accepted.yml is
    other = Finding("data/leicester-city/bcf_income.csv", 7, "bcf_total_mismatch", "m", "error", "planned_income_gbp")
    assert checks.acknowledgement(other, [ack], "data/leicester-city/") is ack and checks.acknowledgement(other, [ack], "data/") is None


def test_appendix_leaves_out_empty_sections_and_names_districts_without_a_case_study() -> None:
    s = sections.build_section(report("annual-report-2025-26"), "appendix")
    assert s.findings == []
    text = " ".join(s.markdown().split())
    assert "## Community Health and Wellbeing Plans" not in text and "## Case studies" not in text and "Not reported" not in text
    assert text.count("give no case study, and no Community Health and Wellbeing Plan status, for Blaby, Charnwood,") == 1
    older = " ".join(sections.build_section(report("annual-report-2023-24"), "appendix").markdown().split())
    assert "## Melton" in older and "give no case study for Blaby and Harborough." in older


PUBLIC_LEAKS = re.compile(r"\bL\d+\b|\blines? \d+|seed \d|qa_accepted|\.yml|\.csv|\(s\)|\(not named")


@pytest.mark.parametrize("edition_id", ["annual-report-2025-26", "annual-report-2023-24"])
def test_pages_have_no_internal_notes_or_empty_cells(edition_id: str) -> None:
    r = report(edition_id)
    for name in [*sections.SECTIONS, "review"]:
        s = review.build_review(r) if name == "review" else sections.build_section(r, name)
        tables = [p for p in s.parts if isinstance(p, Table)]
        figures = [p for p in s.parts if isinstance(p, Figure)]
        shown = [s.markdown(), *(f"{t.caption} {t.frame.to_csv()}" for t in tables), *(f"{f.title} {f.note} {f.alt_text}" for f in figures)]
        leaks = [m.group(0) for text in shown for m in PUBLIC_LEAKS.finditer(text)]
        assert leaks == [], (name, leaks)
        for t in tables:
            assert not (t.frame.astype(str).apply(lambda c: c.str.strip()) == "").any().any(), (name, t.caption)


def test_only_required_tables_count_as_missing() -> None:
    r = report("annual-report-2025-26")
    r.required = frozenset({"chwp_status"})
    s = sections.build_section(r, "appendix")
    assert [(f.file, f.rule) for f in s.findings] == [("data/chwp_status.csv", "missing_data")]
    assert "## Community Health and Wellbeing Plans" not in s.markdown()


def test_2025_26_tables_come_from_seed_003() -> None:
    r = report("annual-report-2025-26")
    members, _ = board_section.membership_table(r)
    named = dict(zip(members.frame["Named member"], members.frame["Role"]))
    assert named["Mr. M. Squires CC"] == "Chair" and named["Matt Gaunt"] == "Vice Chair" and len(members.frame) == 17
    meetings, _ = board_section.meetings_table(r)
    assert meetings.frame["Date"].tolist() == ["29 May 2025", "4 December 2025", "27 January 2026", "26 February 2026"]
    priorities, _ = priorities_section.priorities_table(r)
    assert "Cross-cutting: Health protection and emergency preparedness" in priorities.frame["Strategic priority"].tolist()
    delivery, findings = priorities_section.delivery_table(r)
    assert findings == [] and "1,241" in delivery.frame["Reach as reported"].tolist()
    assert qa.edition_findings(load_board(REPO / "data"), "annual-report-2025-26") == []


def test_planned_milestones_only_from_sources_the_year_could_know() -> None:
    assert years.known_by_report("2024", "2023-24") and not years.known_by_report("2026-06-15", "2023-24")
    assert years.known_by_report("2026-06-15", "2025-26") and not years.known_by_report(None, "2025-26")
    older = "\n".join(p.data for p in looking_forward.planned_list(report("annual-report-2023-24")))
    assert "September 2026" not in older and "2025" in older


def test_contents_are_generated_from_headings() -> None:
    page = review.build_contents(report("annual-report-2023-24")).markdown()
    assert "{doc}`Better Care Fund <06-better-care-fund>`" in page
    assert "   - Funding by stream" in page and "   - From the Chair" in page


def test_one_template_serves_every_page() -> None:
    """The annual-report editions run one template, naming each page's section; the template holds no outputs and no logic."""
    board = load_board(REPO / "data")
    for edition_id in ("annual-report-2025-26", "annual-report-2023-24"):
        chapters = board.edition(edition_id).chapters
        assert {c.template for c in chapters} == {ar.TEMPLATE}
        assert [sections.section_of(c) for c in chapters] == SECTION_NAMES
        assert [f"{i:02d}-{c.slug}" for i, c in enumerate(chapters)][-1] == "09-review"
    assert sorted(p.name for p in (REPO / "chapters" / "annual_report").iterdir()) == ["section.ipynb"]
    nb = json.loads((REPO / "chapters" / ar.TEMPLATE).read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c.get("outputs", []) == [] for c in nb["cells"] if c["cell_type"] == "code")
    assert 'section = "foreword"' in code[0] and code[1].endswith("annual_report.show(section, ctx)")


def test_unknown_section_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="no section 'forword'.*foreword"):
        ar.build("forword", report("annual-report-2025-26").ctx)


def test_contents_and_review_read_each_section_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building every page of an edition builds each section once: contents and review reuse the section pages' work."""
    calls: Counter[str] = Counter()
    build_section = sections.build_section

    def counting(r: Report, name: str):
        calls[name] += 1
        return build_section(r, name)

    monkeypatch.setattr(sections, "build_section", counting)
    sections._computed.cache_clear()
    board = load_board(REPO / "data")
    for chapter in board.edition("annual-report-2023-24").chapters:
        ctx = PageContext(board, board.edition("annual-report-2023-24"), board.root, "2023-24", "draft", chapter)
        ar.build(sections.section_of(chapter), ctx)
    assert calls == Counter(dict.fromkeys(sections.SECTIONS, 1))


def test_case_studies_and_plans_are_by_the_boards_own_areas() -> None:
    """Areas and their words come from the board: the level below the board's own and what it is called."""
    r = report("annual-report-2023-24")
    assert pages.title_of("appendix", r) == f"Appendix: case studies by {r.ctx.board.child_level.word}"
    table, _ = appendix.plans_table(r)
    assert table.frame.columns[0] == r.ctx.board.child_level.word.capitalize()
    assert set(table.frame.iloc[:, 0]) <= {a.name for a in r.ctx.board.children}
    assert names.figures(r.ctx)["n_areas"] == len(r.ctx.board.children)


def test_bcf_and_strategy_sections_serve_another_boards_jsna() -> None:
    """Leicester City's JSNA has a Better Care Fund chapter from the report's template (its strategy has a
    chapter of its own, jsna/strategy.ipynb, but the report's priorities section serves it too): its own
    tables for the financial year that ended in the edition's period, and no prose, which is no finding there."""
    board = load_board(REPO / "data", "leicester-city")
    jsna = board.edition("jsna")
    runs = {sections.section_of(c): c for c in jsna.chapters if c.template == ar.TEMPLATE}
    assert set(runs) == {"bcf"}
    runs["priorities"] = Chapter(slug="strategy-priorities", template=ar.TEMPLATE, parameters=(("section", "priorities"),))
    ctx = PageContext(board, jsna, board.root, jsna.period, jsna.status, runs["bcf"])
    year = years.report_year(jsna.period)
    page = ar.build("bcf", ctx)
    income = pd.read_csv(board.data_dir / "bcf_income.csv")
    total = income[(income["year"] == year) & income["is_total"]]["planned_income_gbp"].item()
    (funding, *_) = [p for p in page.parts if isinstance(p, Table)]
    assert funding.caption.endswith(year) and f"£{total:,}" in funding.frame["Income"].tolist()
    strategy = ar.build("priorities", replace(ctx, chapter=runs["priorities"]))
    assert any(isinstance(p, Table) and p.caption.endswith(year) for p in strategy.parts)
    found = page.findings + strategy.findings + qa.edition_findings(board)
    assert [f for f in found if f.rule == "missing_prose" or "prose/" in f.file] == []
    shown = " ".join([page.markdown(), strategy.markdown(), *(t.frame.to_csv() for t in [*page.parts, *strategy.parts] if isinstance(t, Table))])
    assert not re.search(r"\bdistricts?\b|\bcounty\b|Leicestershire", shown)


def test_jsna_check_gets_the_reports_findings_through_qa(tmp_path: Path) -> None:
    """Importing the package registers its check with jsna.qa, which finds a prose problem at its file
    and line, the file named as qa names files: relative to the board's data folder."""
    assert ar.check_chapter in qa.CHECKS[ar.TEMPLATE]
    root = copy_book(tmp_path / "book")
    line = add_placeholder(root)
    found = qa.edition_findings(load_board(root / "data"), "annual-report-2025-26")
    assert [(f.file, f.row, f.rule) for f in found] == [("prose/2025-26/foreword.md", line, "placeholder_link")]

# --------------------------------------------------------------------------- builds


def add_placeholder(root: Path) -> int:
    """Append a placeholder link to the 2025-26 foreword; return its line number."""
    path = root / FOREWORD_2025_26
    lines = path.read_text().splitlines()
    lines.append("Read the Board's papers [online](#).")
    path.write_text("\n".join(lines) + "\n")
    return len(lines)


def visible_text(page: Path) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def draft_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """Both years in draft, with a placeholder link added to the 2025-26 foreword."""
    root = copy_book(tmp_path_factory.mktemp("ar-draft") / "book")
    reduce_book(root, [edition("annual-report-2025-26", "draft"), edition("annual-report-2023-24", "draft")])
    line = add_placeholder(root)
    proc = jupyter_book(root)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return root / "_build" / "html", line


def test_both_years_build_latest_first(draft_book: tuple[Path, int]) -> None:
    html, _ = draft_book
    for year in ("2025-26", "2023-24"):
        pages = sorted(p.name for p in (html / "_generated" / f"annual-report-{year}").glob("*.html"))
        assert pages[0] == "00-index.html" and pages[-1] == "09-review.html" and len(pages) == 10
    nav = (html / "index.html").read_text()
    assert nav.index("Annual report 2025-26") < nav.index("Annual report 2023-24")


def test_2023_24_bcf_page_shows_seed_figures(draft_book: tuple[Path, int]) -> None:
    page = visible_text(draft_book[0] / "_generated" / "annual-report-2023-24" / "06-better-care-fund.html")
    for amount in (*SEED_2023_24.values(), 75_735_254):
        assert f"£{amount:,}" in page
    assert "Not met" in page and "Met" in page


def test_draft_banner_on_every_page(draft_book: tuple[Path, int]) -> None:
    for page in (draft_book[0] / "_generated").rglob("annual-report-*/*.html"):
        assert "DRAFT" in visible_text(page), page.name


def test_draft_review_page_lists_problems_with_file_and_line(draft_book: tuple[Path, int]) -> None:
    html, line = draft_book
    page = visible_text(html / "_generated" / "annual-report-2025-26" / "09-review.html")
    assert f"{FOREWORD_2025_26}:{line}" in page and "placeholder_link" in page
    older = visible_text(html / "_generated" / "annual-report-2023-24" / "09-review.html")
    assert "Acknowledged discrepancies" in older and "£75,735,255" in older


def test_final_build_fails_on_placeholder_link_naming_file_and_line(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    reduce_book(root, [edition("annual-report-2025-26", "final", CORE)])
    line = add_placeholder(root)
    proc = jupyter_book(root)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"{FOREWORD_2025_26}:{line}: placeholder_link" in out


def test_final_build_has_no_draft_mark(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    reduce_book(root, [edition("annual-report-2025-26", "final", CORE)])
    proc = jupyter_book(root)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    html = root / "_build" / "html"
    marked = [str(p.relative_to(html)) for p in html.rglob("*.html") if "DRAFT" in p.read_text(encoding="utf-8")]
    assert marked == []
    assert "Quality checks" in visible_text(html / "_generated" / "annual-report-2025-26" / "06-review.html")


@pytest.mark.build
def test_2023_24_final_builds_without_draft_mark(html_dir: Path) -> None:
    """The board configuration publishes 2023-24 as final: the session's build of the whole book has it."""
    assert load_board(REPO / "data").edition("annual-report-2023-24").status == "final"
    pages = sorted((html_dir / "_generated" / "annual-report-2023-24").glob("*.html"))
    assert len(pages) == 10
    assert [p.name for p in pages if "DRAFT" in p.read_text(encoding="utf-8")] == []
    review = visible_text(pages[-1])
    assert "Quality checks" in review and "Acknowledged discrepancies" in review and "the draft text of" in review
