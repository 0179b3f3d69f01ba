"""Rows for the 2025-26 annual report, read by hand from the Board pack of 15 June 2026 (seed 003).

Each record carries the seed line(s) it was checked against. The builders append these rows to
the tables they write from the seed 004 extracts (2023-24). Names and organisations are as
printed; where the pack does not say something (an organisation, a lead group) the record says
so rather than guessing.
"""

from __future__ import annotations

import pandas as pd

PACK = "lcc_hwb_pack_2026_06_15"
MINUTES = "lcc_hwb_minutes_2026_02_26"
BCF_YEAR_END = "lcc_bcf_2025_26_year_end"
YEAR = "2025-26"
NOT_STATED = "organisation not stated"
NOT_LISTED = "not listed in the June 2026 Board pack"


def _member(role: str, organisation: str, person: str, basis: str, lines: str, source: str = PACK) -> dict:
    return {"year": YEAR, "role": role, "organisation_or_portfolio": organisation, "person_named_in_report": person,
            "basis": basis, "source_line": lines, "source_id": source}


# Membership list of the pack (lines 17-26, two names a line) with organisations from the PRESENT
# list of the 26 February 2026 minutes (lines 74-105) or the minutes' text. People present on 26 February
# who are not on the list (lines 79, 80, 93) are not recorded as members.
MEMBERSHIP = [
    _member("Chair", "Leicestershire County Council", "Mr. M. Squires CC",
            "in the Chair at the meeting of 26 February 2026 (line 76); Mr. P. Harrison CC became Chairman "
            "on 15 June 2026 (line 36)", "20;76", MINUTES),
    _member("Vice Chair", "Integrated Care Board", "Matt Gaunt",
            "elected Vice Chairman for two years on 26 February 2026 (line 153)", "24;89;153", MINUTES),
    _member("Member", "Leicestershire County Council: Cabinet Lead Member for Health and Public Health", "Mr. P. Harrison CC",
            "Chairman from the meeting of 15 June 2026 (lines 17, 36)", "17;36"),
    _member("Member", "Leicestershire County Council", "Mr. C. Pugsley CC", "", "21;77"),
    _member("Member", "Leicestershire County Council: Director for Public Health, Law and Governance", "Mike Sandys",
            "title as printed on line 630", "21;78;630"),
    _member("Member", "District Councils", "Cllr. J. Kaufman", "", "22;84"),
    _member("Member", "District Councils: Chief Executive, Melton Borough Council", "Edd de Coverly",
            "title from minute 58 (line 284)", "20;85;284"),
    _member("Member", "Leicestershire Partnership NHS Trust", "Jean Knight", "", "23;97"),
    _member("Member", "Healthwatch Leicester and Leicestershire", "Fiona Barber", "", "26;101"),
    _member("Member", "Voluntary Action Leicestershire", "Kevin Allen-Khimani", "", "25;105"),
    *[_member("Member", NOT_STATED, name, basis, lines) for name, basis, lines in (
        ("Barney Thorne", "", "19"),
        ("Siobhan Peters", "sent apologies on 26 February 2026 (line 121)", "19;121"),
        ("Jon Wilson", "", "22"),
        ("Cllr Cheryl Cashmore", "sent apologies on 26 February 2026 (line 121)", "23;121"),
        ("Simon Pizzey", "", "24"),
        ("Sharon Cooke", "", "25"),
        ("Yasmin Sidyot", "", "26"),
    )],
]


def _event(year: int, month: str, day: int | None, event: str, kind: str, involvement: str, status: str, lines: str, source: str) -> dict:
    return {"year": year, "month": month, "day": day, "event": event, "event_type": kind, "hwb_involvement": involvement,
            "status": status, "source_line": lines, "source_id": source}


MEETINGS = [
    _event(2025, "May", 29, "Staying Healthy, Safe and Well progress report received",
           "hwb_board_meeting", "yes", "past", "333;618", PACK),
    _event(2025, "December", 4, "Business not in the pack; its minutes were confirmed on 26 February 2026",
           "hwb_board_meeting", "yes", "past", "125", MINUTES),
    _event(2026, "January", 27, "Workshop of Board members and the Integration Executive on the priorities and schemes "
           "of the Better Care Fund plan for 2026-27", "hwb_development_session", "yes", "past", "1582;2360", PACK),
    _event(2026, "February", 26, "Best Start for Life update; strategy wording change and easy read version "
           "approved; BCF quarter 3; JSNA steering group agreed and demography dashboard welcomed; terms of reference revised",
           "hwb_board_meeting", "yes", "past", "70;155-296", MINUTES),
    _event(2026, "February", None, "Healthy Placemaking event sponsored by the Staying Healthy Partnership",
           "engagement_event", "subgroup (Staying Healthy Partnership)", "past", "370", PACK),
    _event(2026, "June", 15, "BCF 2025-26 year end and 2026-27 plan, Staying Healthy, Safe and Well "
           "progress, carers' strategy consultation, health protection annual report",
           "hwb_board_meeting", "yes", "past", "1-66", PACK),
    _event(2026, "September", 17, "Next Board meeting", "hwb_board_meeting", "yes", "planned", "62-64", PACK),
    _event(2027, "April", None, "Refreshed Physical Activity Framework in place for 2027-2031, after consultation in 2026",
           "planned_milestone", "no", "planned", "970", PACK),
]


def _priority(subgroup: str, priority: str, area: str, section: str, note: str, lines: str, source: str = PACK) -> dict:
    return {"year": YEAR, "hwb_subgroup": subgroup, "jhws_strategic_priority": priority, "priority_area": area,
            "report_section": section, "note": note, "source_id": source, "source_line": lines}


# The strategy as revised in 2025 (item 6, paragraphs 4-8).
PRIORITIES = [
    _priority("Children and Families Partnership; CYP Place Based Group from February 2026", "Best Start for Life", NOT_LISTED,
              "Item 6 para 4; minute 50", "lead group changed by minute 50 (line 161), to be reviewed after one year", "314;161", PACK),
    _priority("Staying Healthy Partnership", "Staying Healthy, Safe and Well", "Building strong foundations", "Item 6 para 8",
              "commitments: health and equity in all policies; healthy placemaking (key area of focus 2025-26); healthy "
              "workplaces and local economy; healthy homes; healthy and safe communities", "323-328;332"),
    _priority("Staying Healthy Partnership", "Staying Healthy, Safe and Well", "Enabling healthy choices and behaviours", "Item 6 para 8",
              "commitments: healthy choices and behaviours; healthy weight, food and nutrition (key area of focus 2025-26)", "329-332"),
    _priority("(not named in the pack)", "Living and Supported Well", NOT_LISTED, "Item 6 para 4", "", "316"),
    _priority("(not named in the pack)", "Dying Well", NOT_LISTED, "Item 6 para 4",
              "minute 51 (line 189): progress to rely more on qualitative data and case studies", "317;189"),
    _priority("All four subgroups", "Cross-cutting: Reducing health inequalities", "Across all four life-course priorities",
              "Item 6 para 6", "", "319"),
    _priority("All four subgroups", "Cross-cutting: Health protection and emergency preparedness", "Across all four life-course priorities",
              "Item 6 para 7", "replaced the COVID-19 Recovery cross-cutting priority", "321"),
]


def _progress(priority: str, activity: str, detail: str, printed: str, people: int | None, lines: str, source: str = PACK) -> dict:
    return {"year": YEAR, "jhws_priority": priority, "activity": activity, "detail": detail, "outcomes": "",
            "beneficiaries_as_printed": printed, "beneficiaries": people, "bcf_investment_gbp": None,
            "bcf_investment_as_printed": "", "source_id": source, "source_line": lines}


FOUNDATIONS = "Building strong foundations"
CHOICES = "Enabling healthy choices and behaviours"
INEQUALITIES = "Cross-cutting: Reducing health inequalities"
PROTECTION = "Cross-cutting: Health protection and emergency preparedness"

# Delivery highlights that the pack itself reports for 2025-26 (item 6, and the BCF year end).
PROGRESS = [
    _progress(FOUNDATIONS, "WorkWell programme",
              "Twelve weeks of personalised support towards a Thrive in Work or Return to Work plan; 26 Work and Health "
              "Coaches now work in general practice", "1241 participants started (1 April 2025 to 31 March)", 1241, "394;396"),
    _progress(FOUNDATIONS, "Healthy Workplaces programme",
              "38 organisations across LLR working through accreditation; Melton the first district council to reach "
              "Empowered (February 2026)", "Over 350 Health MOT checks; over 50 Mental Health First Aiders trained", None, "408;410;416;417"),
    _progress(FOUNDATIONS, "Healthy Placemaking event (February 2026)",
              "Planning, public health, transport, housing, NHS, district council and voluntary sector partners on creating healthy places",
              "around 50 attendees", None, "370;372"),
    _progress(FOUNDATIONS, "Warm Homes: Home Upgrade Grant phase 2",
              "Capital works of £1.2m completed in 2025", "145 energy efficiency measures across 108 homes", None, "423"),
    _progress(FOUNDATIONS, "Housing and Respiratory Illness Project",
              "Referrals from frontline health and social care staff, 1 April 2025 to 19 March 2026: 69 with repairs raised, "
              "58 closed after resolution", "102 cases", None, "435-437"),
    _progress(FOUNDATIONS, "County Council volunteers", "Volunteers supporting Leicestershire communities in a variety of roles",
              "over 1400 volunteers", None, "470"),
    _progress(CHOICES, "Physical activity (Active Together)",
              "Active Practice accreditation in general practice and support for local sports clubs",
              "58 GP practices accredited or working towards it; over 100 clubs supported", None, "520;521"),
    _progress(CHOICES, "Whole systems approach to healthy weight, food and nutrition",
              "Two partnership workshops in summer 2025 agreed five shared priority areas; one steering group with four "
              "sub-groups replaced earlier arrangements", "", None, "542;543"),
    _progress(INEQUALITIES, "Learning disability annual health checks",
              "People aged 14 and over on the learning disability register who had a health check in 2025-26 (local target 80%)",
              "84.2% of the register", None, "576"),
    _progress(INEQUALITIES, "Women's health needs assessment", "Resident engagement led by Healthwatch; final analysis under way",
              "over 2,000 responses", None, "587"),
    _progress(PROTECTION, "Vaccination and screening",
              "Infant vaccines and first MMR dose at the 95% target; second MMR dose at pre-school below target at 91.0%; "
              "screening coverage significantly better than England except newborn and infant physical examination", "", None, "593;594"),
    _progress(PROTECTION, "Emergency preparedness",
              "Multi-agency major incident exercise (Exercise Mercury) and pandemic preparedness exercising (Pegasus)", "", None, "600;602"),
    _progress("Living and Supported Well (Better Care Fund)", "Neighbourhood model of care, West Leicestershire",
              "National neighbourhood health implementer site: multidisciplinary teams for housebound people with COPD, with "
              "BCF-funded Care Co-ordinators", "120 of a cohort of 450 linked to services (the 2026-27 plan says 100, line 2235)",
              None, "1450;2235", BCF_YEAR_END),
]


def append(table: pd.DataFrame, rows: list[dict]) -> pd.DataFrame:
    """The seed 004 rows followed by the 2025-26 rows, in the table's column order."""
    extra = pd.DataFrame(rows).reindex(columns=table.columns)
    return pd.concat([table, extra], ignore_index=True)
