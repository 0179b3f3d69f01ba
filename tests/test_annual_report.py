"""The HWB annual report edition: tables from data, computed checks, and draft/final builds."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from jsna.chapters import annual_report as ar
from jsna.config import load_board
from jsna.page import PageContext
from tests.conftest import REPO, copy_book, edition, jupyter_book, reduce_book

SEED_2023_24 = {  # seed 004, BCF contributions table
    "ICB minimum NHS contribution": 48_748_385,
    "Improved BCF grant": 17_690_614,
    "Disabled Facilities Grant": 4_447_228,
}
CORE = ["index", "foreword", "statutory", "jsna", "bcf", "looking_forward", "review"]
FOREWORD_2025_26 = Path("chapters/annual_report/prose/2025-26/foreword.md")


def report(edition_id: str, root: Path = REPO, status: str | None = None) -> ar.Report:
    board = load_board(root / "data")
    edition = board.edition(edition_id)
    return ar.Report(PageContext(board, edition, board.county, edition.period, status or edition.status), root)


# --------------------------------------------------------------------------- units


def test_years() -> None:
    assert ar.previous_year("2023-24") == "2022-23" and ar.previous_year("2000-01") == "1999-00"
    assert ar.by_year_end(2024, "March", "2023-24") and ar.by_year_end(2019, "May", "2023-24")
    assert not ar.by_year_end(2024, "April", "2023-24") and not ar.by_year_end(2024, None, "2023-24")
    assert ar.in_financial_year(2023, "April", "2023-24") and ar.in_financial_year(2024, "March", "2023-24")
    assert not ar.in_financial_year(2024, "April", "2023-24") and not ar.in_financial_year(2023, None, "2023-24")


def test_met_and_change_follow_polarity() -> None:
    assert ar.metric_met(209.8, 163.5, "lower_is_better") == ar.NOT_MET
    assert ar.metric_met(510.8, 515, "lower_is_better") == ar.MET
    assert ar.metric_met(92.2, 92.6, "higher_is_better") == ar.NOT_MET
    assert ar.change_direction(-10, "lower_is_better") == "improved"
    assert ar.change_direction(-10, "higher_is_better") == "worsened"
    assert ar.change_direction(0, "higher_is_better") == "no change"


def test_2023_24_funding_table_equals_data_and_seed() -> None:
    r = report("annual-report-2023-24")
    table, findings = ar.funding_table(r)
    shown = dict(zip(table.frame["Funding stream"], table.frame["Income"]))
    for stream, amount in SEED_2023_24.items():
        assert shown[stream] == f"£{amount:,}"
    income = pd.read_csv(REPO / "data" / "bcf_income.csv")
    data = income[income["year"] == "2023-24"]
    for stream, amount in zip(data["funding_stream"], data["planned_income_gbp"]):
        assert ar.parse_number(shown[stream]) == amount
    # the printed total is £1 short of its streams: found, not hidden
    assert [f.rule for f in findings] == ["bcf_total_mismatch"]
    assert "£75,735,255" in findings[0].message and "£75,735,254" in findings[0].message
    assert findings[0].file == "data/bcf_income.csv" and findings[0].line > 1


def test_2023_24_chart_names_the_stated_total_and_notes_the_difference() -> None:
    fig = ar.funding_figure(report("annual-report-2023-24"))
    assert "£75,735,254" in fig.title and "£75,735,255" not in fig.title + fig.alt_text
    assert fig.note.startswith("The streams add up to £75,735,255, £1 more than the total of £75,735,254")
    assert ar.funding_figure(report("annual-report-2025-26")).note == ""


def test_2023_24_metrics_met_is_computed() -> None:
    m = report("annual-report-2023-24").metrics
    assert len(m) == 5 and (m["met"] == ar.MET).sum() == 1
    assert m.loc[m["metric"] == "residential_nursing_admissions_65plus", "met"].item() == ar.MET


def test_2025_26_metrics_carry_qualifiers_and_compute_no_change_across_a_new_measure() -> None:
    r = report("annual-report-2025-26")
    table, findings = ar.metrics_table(r)
    assert "Change from 2024-25" in table.frame.columns and findings == []
    rows = table.frame.set_index(table.frame["Metric"].str.split().str[0])
    assert rows.loc["Long-term", "2024-25 actual"] == "583.8 (projected)"
    assert rows.loc["Long-term", "Change from 2024-25"] == "not compared: measured differently"
    assert rows.loc["Acute", "Actual"] == "86.2 (best month)" and rows.loc["Emergency", "Actual"] == "1,469"
    assert rows.loc["Emergency", "Change from 2024-25"] == "not recorded"
    intro = ar.metrics_intro(r)
    assert "no change from 2024-25 is computed" in intro and "“best month” is the best single month" in intro


def test_change_is_computed_when_the_measure_is_the_same() -> None:
    r = report("annual-report-2025-26")
    r.measure_changed = {}
    m = r.metrics.set_index("metric")
    assert round(m.loc["residential_nursing_admissions_65plus", "change"], 1) == 274.2
    assert m.loc["residential_nursing_admissions_65plus", "direction"] == "worsened"


@pytest.mark.parametrize("edition_id", ["annual-report-2025-26", "annual-report-2023-24"])
def test_metrics_text_and_chart_count_the_same_targets(edition_id: str) -> None:
    r = report(edition_id)
    met, n = int((r.metrics["met"] == ar.MET).sum()), len(r.metrics)
    assert ar.metrics_intro(r).startswith(f"{met} of the {n} metrics")
    assert ar.metrics_figure(r).title.startswith(f"{met} of {n} Better Care Fund targets were met")


def test_blank_spend_cells_say_not_reported() -> None:
    table, _ = ar.funding_table(report("annual-report-2025-26"))
    spent = table.frame["Spent by year end"]
    assert "" not in spent.tolist() and (spent == ar.NOT_REPORTED).sum() == 4
    assert ar.parse_number("86.2 (best month)") == 86.2 and ar.parse_number(ar.NOT_REPORTED) is None


def test_2023_24_jsna_counts_agree_with_the_register_table() -> None:
    r = report("annual-report-2023-24")
    (approved, _), _ = ar.jsna_tables(r)
    in_year = (approved.frame["Approved in 2023-24?"] == "Yes").sum()
    by_end = sum(ar.by_year_end(int(when.split()[1]), when.split()[0], "2023-24") for when in approved.frame["Approved"])
    assert r.names["jsna"]["approved_in_year"] == in_year == 7
    assert r.names["jsna"]["approved_by_year_end"] == by_end == 8 < len(approved.frame)
    page = " ".join(ar.build_section(r, "jsna").markdown().split())
    assert "approved seven chapters during 2023-24" in page and "eight chapters of this cycle had been approved" in page


def test_2025_26_register_says_when_it_is_from_and_marks_this_books_chapters() -> None:
    r = report("annual-report-2025-26")
    (_, developing), _ = ar.jsna_tables(r)
    assert developing.caption.endswith("as listed in the Leicestershire HWB Annual Report 2023-24 (draft)")
    marked = dict(zip(developing.frame["Needs assessment"], developing.frame["In this book's JSNA"]))
    assert marked["Carers"] == "Yes, as a chapter" and marked["Air Quality"] == "No chapter of that title"
    assert "as it stood in the Leicestershire HWB Annual Report 2023-24" in ar.register_intro(r)
    older = report("annual-report-2023-24")
    assert ar.register_intro(older) is None and "In this book's JSNA" not in ar.jsna_tables(older)[0][1].frame.columns


def test_stream_total_and_duplicate_and_number_checks() -> None:
    streams = pd.DataFrame({"income": [10.0, 20.0]})
    total = pd.Series({"income": 31.0, "_line": 4})
    (finding,) = ar.stream_total_check(streams, total, "income", "data/bcf_income.csv", "2030-31", "error")
    assert finding.line == 4 and "difference -£1" in finding.message.replace("£-1", "-£1")
    frame = pd.DataFrame({"a": ["x", "y", "x"], "b": [1, 2, 1]})
    (dup,) = ar.duplicate_rows(frame, "t.csv", "T", "warning", pd.Series([2, 3, 4]))
    assert dup.line == 4 and "row 3 repeats row 1" in dup.message
    shown = pd.DataFrame({"v": ["£10", "£21"]})
    (bad,) = ar.numbers_match(shown, pd.DataFrame({"v": [10, 20]}), {"v": "v"}, "t.csv", "T", "error")
    assert "shows £21, data has 20" in bad.message


def test_acknowledged_discrepancy_does_not_block_final_but_is_listed() -> None:
    r = report("annual-report-2023-24", status="final")
    page = ar.build("bcf", r.ctx, REPO)  # the £1 in the source is acknowledged in qa_accepted.yml
    assert page.findings == [] and [f.rule for f, _ in page.acknowledged] == ["bcf_total_mismatch"]
    review = ar.build("review", r.ctx, REPO).markdown()
    assert "All checks passed" in review and "Acknowledged discrepancies" in review
    assert "found 1 difference within the published sources" in review and "£75,735,255" in review
    # written for readers: no repository files, rule ids or seed line numbers, and no "(s)" plurals
    for internal in ("qa_accepted.yml", "data/", "bcf_total_mismatch", "seed 004", "(s)"):
        assert internal not in review, internal


def test_methods_say_figures_were_checked_against_the_draft_source() -> None:
    older = ar.checked_against(report("annual-report-2023-24"))
    assert "checked against, the draft text of the Leicestershire Health and Wellbeing Board Annual Report 2023-24," in older
    assert "draft" not in ar.checked_against(report("annual-report-2025-26"))


@pytest.mark.parametrize("status, title", [("draft", "Review: checks on this edition"), ("final", "Quality checks")])
def test_review_title_reads_right_whether_or_not_checks_pass(status: str, title: str) -> None:
    assert ar.title_of("review", report("annual-report-2025-26", status=status)) == title


def test_final_status_raises_on_unacknowledged_data_findings(tmp_path: Path) -> None:
    root = copy_book(tmp_path / "book")
    accepted = root / "data" / "qa_accepted.yml"
    entries = [e for e in yaml.safe_load(accepted.read_text()) if e["table"] != "bcf_income"]
    accepted.write_text(yaml.safe_dump(entries, sort_keys=False))
    r = report("annual-report-2023-24", root, status="final")
    with pytest.raises(ValueError, match="bcf_total_mismatch"):
        ar.build("bcf", r.ctx, root)


def test_acknowledgement_matches_like_jsna_qa() -> None:
    finding = ar.Finding("data/bcf_income.csv", 7, "bcf_total_mismatch", "m", "error", "planned_income_gbp")
    ack = {"rule": "total_row_matches_parts", "table": "bcf_income", "row": 7, "column": "planned_income_gbp", "reason": "r", "who": "w", "when": "d"}
    assert ar.acknowledgement(finding, [ack]) is ack  # the data rule it repeats covers it
    assert ar.acknowledgement(finding, [{**ack, "row": 8}]) is None
    assert ar.acknowledgement(finding, [{**ack, "rule": "bcf_total_mismatch", "column": None}]) is not None
    assert ar.acknowledgement(ar.Finding("data/bcf_income.csv", 7, "duplicate_row", "m", "error"), [ack]) is None


def test_appendix_leaves_out_empty_sections_and_names_districts_without_a_case_study() -> None:
    s = ar.build_section(report("annual-report-2025-26"), "appendix")
    assert s.findings == []
    text = " ".join(s.markdown().split())
    assert "## Community Health and Wellbeing Plans" not in text and "## Case studies" not in text and "Not reported" not in text
    assert text.count("give no case study, and no Community Health and Wellbeing Plan status, for Blaby, Charnwood,") == 1
    older = " ".join(ar.build_section(report("annual-report-2023-24"), "appendix").markdown().split())
    assert "## Melton" in older and "give no case study for Blaby and Harborough." in older


PUBLIC_LEAKS = re.compile(r"\bL\d+\b|\blines? \d+|seed \d|qa_accepted|\.yml|\.csv|\(s\)|\(not named")


@pytest.mark.parametrize("edition_id", ["annual-report-2025-26", "annual-report-2023-24"])
def test_pages_have_no_internal_notes_or_empty_cells(edition_id: str) -> None:
    r = report(edition_id)
    for name in [*ar.BUILDERS, "review"]:
        s = ar.build_review(r) if name == "review" else ar.build_section(r, name)
        tables = [p for p in s.parts if isinstance(p, ar.Table)]
        figures = [p for p in s.parts if isinstance(p, ar.Figure)]
        shown = [s.markdown(), *(f"{t.caption} {t.frame.to_csv()}" for t in tables), *(f"{f.title} {f.note} {f.alt_text}" for f in figures)]
        leaks = [m.group(0) for text in shown for m in PUBLIC_LEAKS.finditer(text)]
        assert leaks == [], (name, leaks)
        for t in tables:
            assert not (t.frame.astype(str).apply(lambda c: c.str.strip()) == "").any().any(), (name, t.caption)


def test_only_required_tables_count_as_missing() -> None:
    r = report("annual-report-2025-26")
    r.required = frozenset({"chwp_status"})
    s = ar.build_section(r, "appendix")
    assert [(f.file, f.rule) for f in s.findings] == [("data/chwp_status.csv", "missing_data")]
    assert "## Community Health and Wellbeing Plans" not in s.markdown()


def test_2025_26_tables_come_from_seed_003() -> None:
    r = report("annual-report-2025-26")
    members, _ = ar.membership_table(r)
    named = dict(zip(members.frame["Named member"], members.frame["Role"]))
    assert named["Mr. M. Squires CC"] == "Chair" and named["Matt Gaunt"] == "Vice Chair" and len(members.frame) == 17
    meetings, _ = ar.meetings_table(r)
    assert meetings.frame["Date"].tolist() == ["29 May 2025", "4 December 2025", "27 January 2026", "26 February 2026"]
    priorities, _ = ar.priorities_table(r)
    assert "Cross-cutting: Health protection and emergency preparedness" in priorities.frame["Strategic priority"].tolist()
    delivery, findings = ar.delivery_table(r)
    assert findings == [] and "1,241" in delivery.frame["Reach as reported"].tolist()
    assert ar.check(REPO, "annual-report-2025-26") == []


def test_planned_milestones_only_from_sources_the_year_could_know() -> None:
    assert ar.known_by_report("2024", "2023-24") and not ar.known_by_report("2026-06-15", "2023-24")
    assert ar.known_by_report("2026-06-15", "2025-26") and not ar.known_by_report(None, "2025-26")
    older = "\n".join(p.data for p in ar.planned_list(report("annual-report-2023-24")))
    assert "September 2026" not in older and "2025" in older


def test_contents_are_generated_from_headings() -> None:
    page = ar.build_contents(report("annual-report-2023-24")).markdown()
    assert "{doc}`Better Care Fund <06-better-care-fund>`" in page
    assert "   - Funding by stream" in page and "   - From the Chair" in page


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
