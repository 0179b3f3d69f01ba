"""Rebuild data/indicators.csv and data/indicator_meta.csv from the checked seed extracts.

Run from the repository root: ``python data/extract/build_indicators.py``. Inputs are the
tidy CSVs under ../shared/notes/seed-00N-data/ (each row cites its seed line); every value
was compared with its seed line before being added here. Metadata (unit, value type,
polarity, domain) follows the OHID Fingertips definitions of each indicator.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
NOTES = Path("/work/shared/notes") if Path("/work/shared/notes").is_dir() else ROOT.parent / "shared" / "notes"
OUT = ROOT / "data"

AREA = {
    "England": "E92000001", "East Midlands": "E12000004", "Leicestershire": "E10000018",
    "Blaby": "E07000129", "Charnwood": "E07000130", "Harborough": "E07000131",
    "Hinckley and Bosworth": "E07000132", "Melton": "E07000133",
    "North West Leicestershire": "E07000134", "Oadby and Wigston": "E07000135",
    "Leicester": "E06000016", "Rutland": "E06000017",
}
SEX = {"P": "Persons", "F": "Female", "M": "Male", "N/A": "Not applicable"}

SHSW = "Staying healthy, safe and well"
HP = "Health protection"
# (id, title, short, unit, value_type, multiplier, polarity, domain, benchmark)
META: list[tuple] = []


def meta(i, title, short, unit, vtype, mult, pol, domain, bench="", definition="", source="ohid_fingertips"):
    META.append(dict(indicator_id=i, title=title, short_title=short, unit=unit, value_type=vtype,
                     multiplier=mult, polarity=pol, definition=definition or title, source_id=source,
                     fingertips_id="", benchmark=bench, domain=domain))
    return i


H, L, N = "higher_is_better", "lower_is_better", "no_judgement"
DASH = {
    649: meta("ahah_index", "Access to Healthy Assets & Hazards Index (% of population in the worst-scoring areas)", "Access to healthy assets and hazards", "%", "proportion", 100, L, SHSW),
    650: meta("pm25_concentration", "Air pollution: fine particulate matter, concentration of total PM2.5 (µg/m3)", "Fine particulate matter (PM2.5)", "µg/m3", "mean", 1, L, SHSW),
    651: meta("pm25_mortality_fraction", "Fraction of mortality attributable to particulate air pollution (aged 30+)", "Mortality attributable to air pollution", "%", "proportion", 100, L, SHSW),
    652: meta("employment_gap_ltc", "Gap in the employment rate between people with a long-term health condition (16-64) and the overall rate", "Employment gap: long-term condition", "percentage points", "ratio", 1, L, SHSW),
    653: meta("employment_gap_ld", "Gap in the employment rate between people receiving long-term support for a learning disability (18-64) and the overall rate", "Employment gap: learning disability", "percentage points", "ratio", 1, L, SHSW),
    656: meta("employment_gap_smh", "Gap in the employment rate between people in contact with secondary mental health services on the Care Plan Approach (18-69) and the overall rate", "Employment gap: secondary mental health", "percentage points", "ratio", 1, L, SHSW),
    660: meta("sickness_absence_employees", "Sickness absence: employees with at least one day off in the previous week", "Sickness absence (employees)", "%", "proportion", 100, L, SHSW),
    661: meta("sickness_absence_days", "Sickness absence: working days lost due to sickness absence", "Sickness absence (days lost)", "%", "proportion", 100, L, SHSW),
    662: meta("outdoor_space_use", "Utilisation of outdoor space for exercise or health reasons", "Use of outdoor space", "%", "proportion", 100, H, SHSW),
    663: meta("fuel_poverty", "Fuel poverty (low income, low energy efficiency methodology)", "Fuel poverty", "%", "proportion", 100, L, SHSW),
    664: meta("fast_food_density", "Density of fast food outlets per 100,000 population", "Fast food outlets", "per 100,000", "crude_rate", 100000, L, SHSW),
    665: meta("food_insecurity_risk", "Population living in areas at highest risk of food insecurity (indirect measure)", "Food insecurity risk", "%", "proportion", 100, L, SHSW),
    666: meta("alcohol_premises_density", "Premises licensed to sell alcohol per square kilometre", "Alcohol premises per km2", "per km2", "crude_rate", 1, N, SHSW),
    667: meta("walking_for_travel", "Adults walking for travel at least three days per week", "Walking for travel", "%", "proportion", 100, H, SHSW),
    694: meta("sti_all_new_rate", "All new STI diagnoses per 100,000 population", "New STI diagnoses", "per 100,000", "crude_rate", 100000, N, SHSW),
    695: meta("sti_new_excl_chlamydia_u25", "New STI diagnoses (excluding chlamydia aged under 25) per 100,000", "New STIs (excl. chlamydia <25)", "per 100,000", "crude_rate", 100000, L, SHSW),
    696: meta("chlamydia_detection_15_24", "Chlamydia detection rate per 100,000 aged 15 to 24", "Chlamydia detection 15-24", "per 100,000", "crude_rate", 100000, H, SHSW, bench="<2,400 | 2,400 to 3,250 | >=3,250"),
    699: meta("larc_rate", "Total prescribed LARC excluding injections per 1,000 women", "LARC prescribing", "per 1,000", "crude_rate", 1000, H, SHSW),
    700: meta("u18_conception_rate", "Under 18s conception rate per 1,000 females aged 15-17", "Under-18 conceptions", "per 1,000", "crude_rate", 1000, L, SHSW),
    701: meta("abortion_rate_25plus", "Abortion rate per 1,000 women aged 25 and over", "Abortions 25+", "per 1,000", "crude_rate", 1000, N, SHSW),
    702: meta("abortion_rate_total", "Total abortion rate per 1,000 women", "Abortions (all ages)", "per 1,000", "crude_rate", 1000, N, SHSW),
    703: meta("smoking_at_delivery", "Smoking status at time of delivery", "Smoking at delivery", "%", "proportion", 100, L, SHSW),
    704: meta("smoking_attributable_mortality", "Smoking attributable mortality per 100,000 aged 35+", "Smoking attributable deaths", "per 100,000", "dsr", 100000, L, SHSW),
    705: meta("smoking_prevalence_adults", "Smoking prevalence in adults (18+), current smokers (APS)", "Adult smoking prevalence", "%", "proportion", 100, L, SHSW),
    708: meta("smoking_prevalence_routine_manual", "Smoking prevalence in adults in routine and manual occupations (18-64), current smokers (APS)", "Smoking: routine and manual", "%", "proportion", 100, L, SHSW),
    709: meta("five_a_day", "Adults meeting the 5-a-day fruit and vegetable recommendation", "5-a-day", "%", "proportion", 100, H, SHSW),
    710: meta("overweight_adults", "Overweight (including obesity) prevalence in adults (18+)", "Adult overweight and obesity", "%", "proportion", 100, L, SHSW),
    711: meta("physically_active_adults", "Physically active adults (19+)", "Physically active adults", "%", "proportion", 100, H, SHSW),
    712: meta("physically_inactive_adults", "Physically inactive adults (19+)", "Physically inactive adults", "%", "proportion", 100, L, SHSW),
    713: meta("alcohol_admissions_narrow", "Admission episodes for alcohol-related conditions (narrow) per 100,000", "Alcohol-related admissions", "per 100,000", "dsr", 100000, L, SHSW),
    716: meta("alcohol_specific_mortality", "Alcohol-specific mortality per 100,000", "Alcohol-specific deaths", "per 100,000", "dsr", 100000, L, SHSW),
    717: meta("drug_treatment_opiate", "Successful completion of drug treatment: opiate users", "Drug treatment: opiate", "%", "proportion", 100, H, SHSW),
    718: meta("drug_treatment_non_opiate", "Successful completion of drug treatment: non-opiate users", "Drug treatment: non-opiate", "%", "proportion", 100, H, SHSW),
    719: meta("alcohol_treatment", "Successful completion of alcohol treatment", "Alcohol treatment completion", "%", "proportion", 100, H, SHSW),
    720: meta("substance_misuse_admissions_15_24", "Hospital admissions due to substance misuse (15-24) per 100,000", "Substance misuse admissions 15-24", "per 100,000", "dsr", 100000, L, SHSW),
    723: meta("hiv_testing_rate", "HIV testing rate per 100,000 population", "HIV testing", "per 100,000", "crude_rate", 100000, H, SHSW),
    750: meta("screening_breast", "Cancer screening coverage: breast cancer (53-70)", "Breast screening", "%", "proportion", 100, H, HP, bench="<70% | 70% to 80% | >=80%"),
    751: meta("screening_cervical_25_49", "Cancer screening coverage: cervical cancer (25-49)", "Cervical screening 25-49", "%", "proportion", 100, H, HP, bench="<70% | 70% to 80% | >=80%"),
    752: meta("screening_cervical_50_64", "Cancer screening coverage: cervical cancer (50-64)", "Cervical screening 50-64", "%", "proportion", 100, H, HP, bench="<70% | 70% to 80% | >=80%"),
    753: meta("screening_bowel", "Cancer screening coverage: bowel cancer (60-74)", "Bowel screening", "%", "proportion", 100, H, HP, bench="<55% | 55% to 60% | >=60%"),
    754: meta("screening_aaa", "Abdominal aortic aneurysm screening coverage (men aged 65)", "AAA screening", "%", "proportion", 100, H, HP, bench="<75% | 75% to 85% | >=85%"),
    755: meta("health_check_offered_received", "Eligible population aged 40-74 offered an NHS Health Check who received one (cumulative)", "NHS Health Check uptake", "%", "proportion", 100, H, SHSW),
    756: meta("health_check_received", "Eligible population aged 40-74 who received an NHS Health Check (cumulative)", "NHS Health Checks received", "%", "proportion", 100, H, SHSW),
    757: meta("ld_health_check", "Eligible adults with a learning disability having a GP health check", "Learning disability health checks", "%", "proportion", 100, H, SHSW),
    758: meta("flu_2_3", "Flu vaccination coverage: children aged 2 to 3", "Flu vaccine: age 2-3", "%", "proportion", 100, H, HP, bench="<40% | 40% to 65% | >=65%"),
    759: meta("flu_primary_school", "Flu vaccination coverage: primary school aged children", "Flu vaccine: primary school", "%", "proportion", 100, H, HP, bench="<40% | 40% to 65% | >=65%"),
    760: meta("flu_at_risk", "Flu vaccination coverage: at-risk individuals (6 months to 64)", "Flu vaccine: at risk", "%", "proportion", 100, H, HP, bench="<55% | 55% | >=55%"),
    761: meta("flu_65plus", "Flu vaccination coverage: aged 65 and over", "Flu vaccine: 65+", "%", "proportion", 100, H, HP, bench="<75% | 75% | >=75%"),
    762: meta("shingles_71", "Shingles vaccination coverage (71 years)", "Shingles vaccine: 71", "%", "proportion", 100, H, HP, bench="<50% | 50% to 60% | >=60%"),
}
for a, b in ((654, 653), (655, 653), (657, 656), (658, 656), (697, 696), (698, 696), (706, 705), (707, 705),
             (714, 713), (715, 713), (721, 720), (722, 720)):
    DASH[a] = DASH[b]


def period(p: str) -> str:
    """Normalise a printed period: '2021 - 23' -> '2021-23', '2021/22 - 23/24' -> '2021/22-23/24'."""
    return re.sub(r"\s*-\s*", "-", str(p).strip())


def age(a: str) -> str:
    return str(a).replace(" yrs", "").strip()


ROWS: list[dict] = []


def row(ind, area, per, value, src, line, sex="Persons", ag="All ages", count=None, lo=None, hi=None, rank=None, rank_of=None, note=""):
    ROWS.append(dict(indicator_id=ind, area_code=AREA[area], period=per, sex=sex, age=ag, count=count,
                     denominator=None, value=value, lower_ci95=lo, upper_ci95=hi, lower_ci99_8=None,
                     upper_ci99_8=None, rank=rank, rank_of=rank_of, source_id=src, source_line=str(line), note=note))


def build_dashboard() -> None:
    d = pd.read_csv(NOTES / "seed-003-data/jhws_shsw_dashboard.csv", dtype=str, keep_default_na=False)
    for r in d.itertuples():
        line = int(r.source_line)
        if line not in DASH:
            continue  # line 659: unlabelled orphan row in the source, not attributable
        ind, sex, ag, per = DASH[line], SEX[r.sex], age(r.age), period(r.period)
        rk, of = (r.rank_nearest_neighbours.split("/") + [None])[:2]
        row(ind, "Leicestershire", per, float(r.value), "lcc_jhws_shsw_dashboard_2026", line, sex, ag, rank=rk, rank_of=of)
        if r.england not in ("Null", ""):
            row(ind, "England", per, float(r.england), "lcc_jhws_shsw_dashboard_2026", line, sex, ag)


FT = {
    "HPV one dose coverage 12-13y Female": (meta("hpv_one_dose_female", "HPV vaccination coverage for one dose (12-13 year olds), females", "HPV vaccine: girls", "%", "proportion", 100, H, HP, bench="<80% | 80% to 90% | >=90%"), "Female", "12-13"),
    "HPV one dose coverage 12-13y Male": (meta("hpv_one_dose_male", "HPV vaccination coverage for one dose (12-13 year olds), males", "HPV vaccine: boys", "%", "proportion", 100, H, HP, bench="<80% | 80% to 90% | >=90%"), "Male", "12-13"),
    "Newborn and Infant Physical Examination (NIPE) screening coverage": (meta("screening_nipe", "Newborn and infant physical examination (NIPE) screening coverage", "NIPE screening", "%", "proportion", 100, H, HP, bench="<95% | 95% to 99.5% | >=99.5%"), "Persons", "<1"),
    "Cancer screening coverage: breast cancer": ("screening_breast", "Female", "53-70"),
    "Cancer screening coverage: bowel cancer": ("screening_bowel", "Persons", "60-74"),
    "Cancer screening coverage: cervical cancer (aged 25 to 49)": ("screening_cervical_25_49", "Female", "25-49"),
    "Cancer screening coverage: cervical cancer (aged 50 to 64)": ("screening_cervical_50_64", "Female", "50-64"),
    "Abdominal Aortic Aneurysm screening coverage": ("screening_aaa", "Male", "65"),
    "TB incidence (three year average), crude rate per 100,000": (meta("tb_incidence", "TB incidence (three year average), crude rate per 100,000", "TB incidence", "per 100,000", "crude_rate", 100000, L, HP), "Persons", "All ages"),
}


def num(x):
    return None if pd.isna(x) or str(x).strip() in ("-", "") else float(str(x).replace(",", ""))


def build_fingertips() -> None:
    d = pd.read_csv(NOTES / "seed-003-data/hpar_fingertips_series.csv", dtype=str, keep_default_na=False)
    for r in d.itertuples():
        ind, sex, ag = FT[r.indicator]
        per, line = period(r.period), r.source_line
        cnt = num(r.count)
        row(ind, "Leicestershire", per, num(r.value), "ukhsa_hpar_2025_fingertips", line, sex, ag,
            count=int(cnt) if cnt is not None else None, lo=num(r.lower_ci_95), hi=num(r.upper_ci_95))
        if num(r.england) is not None:
            row(ind, "England", per, num(r.england), "ukhsa_hpar_2025_fingertips", line, sex, ag)


VACC_AGE = {"12 months": "12 months", "24 months": "24 months", "5 years": "5 years"}


def build_vaccination() -> None:
    d = pd.read_csv(NOTES / "seed-003-data/hpar_childhood_vaccination_cover_2024_25.csv", dtype=str, keep_default_na=False)
    goal = "<90% | 90% to 95% | >=95%"
    for r in d.itertuples():
        slug = re.sub(r"[^a-z0-9]+", "_", r.vaccine.lower().replace("6-in-1", "six_in_one").replace("4-in-1", "four_in_one")).strip("_")
        cohort = {"12 months": "12m", "24 months": "24m", "5 years": "5y"}[r.age_cohort]
        ind = f"vacc_{slug}_{cohort}"
        if ind not in {m["indicator_id"] for m in META}:
            meta(ind, f"{r.vaccine} vaccination coverage at {r.age_cohort}", f"{r.vaccine} at {r.age_cohort}", "%", "proportion", 100, H, HP, bench=goal,
                 definition=f"Children reaching {r.age_cohort} in 2024/25 (cohort up to and including 31 March 2025) who completed {r.vaccine} vaccination (COVER)")
        for area, col in (("England", "england"), ("East Midlands", "east_midlands"), ("Leicestershire", "leicestershire")):
            note = "Rutland combined with and reported as Leicestershire" if area == "Leicestershire" else ""
            row(ind, area, "2024/25", float(getattr(r, col)), "ukhsa_cover_2024_25_hpar", r.source_line, "Persons", r.age_cohort, note=note)


T03 = {
    1: ("imd_score", "score", "mean", 1, L, "Deprivation score (IMD 2019)"),
    2: ("children_low_income", "%", "proportion", 100, L, "Children in relative low-income families (under 16s)"),
    3: ("homelessness_duty", "per 1,000", "crude_rate", 1000, L, "Homelessness: households owed a duty under the Homelessness Reduction Act, per 1,000 households"),
    4: ("attainment8", "score", "mean", 1, H, "Average Attainment 8 score"),
    5: ("violence_admissions", "per 100,000", "dsr", 100000, L, "Hospital admissions for violence (including sexual violence) per 100,000"),
    6: ("employment_rate", "%", "proportion", 100, H, "Percentage of people in employment"),
    7: ("smoking_at_delivery", None, None, None, None, None),
    8: ("first_feed_breastmilk", "%", "proportion", 100, H, "Baby's first feed breastmilk"),
    9: ("year6_obesity", "%", "proportion", 100, L, "Year 6 prevalence of obesity (including severe obesity)"),
    10: ("alcohol_admissions_u18", "per 100,000", "crude_rate", 100000, L, "Admission episodes for alcohol-specific conditions, under 18s, per 100,000"),
    11: ("u18_conception_rate", None, None, None, None, None),
    12: ("smoking_prevalence_adults", None, None, None, None, None),
    13: ("physically_active_adults", None, None, None, None, None),
    14: ("overweight_adults", None, None, None, None, None),
    15: ("cancer_early_stage", "%", "proportion", 100, H, "Percentage of cancers diagnosed at stages 1 and 2"),
    16: ("self_harm_admissions", "per 100,000", "dsr", 100000, L, "Emergency hospital admissions for intentional self-harm per 100,000"),
    17: ("alcohol_admissions_narrow", None, None, None, None, None),
    18: ("diabetes_qof", "%", "proportion", 100, N, "QOF diabetes registration (aged 17+)"),
    19: ("tb_incidence", None, None, None, None, None),
    20: ("sti_new_excl_chlamydia_u25", None, None, None, None, None),
    21: ("hip_fractures_65plus", "per 100,000", "dsr", 100000, L, "Hip fractures in people aged 65 and over per 100,000"),
    22: ("life_expectancy_male", "years", "mean", 1, H, "Life expectancy at birth (male)"),
    23: ("life_expectancy_female", "years", "mean", 1, H, "Life expectancy at birth (female)"),
    24: ("infant_mortality", "per 1,000", "crude_rate", 1000, L, "Infant mortality rate per 1,000 live births"),
    25: ("ksi_roads", "per billion vehicle miles", "crude_rate", 1, L, "Killed and seriously injured casualties on England's roads per billion vehicle miles"),
    26: ("suicide_rate", "per 100,000", "dsr", 100000, L, "Suicide rate per 100,000"),
    27: ("smoking_attributable_mortality", None, None, None, None, None),
    28: ("u75_cvd_mortality", "per 100,000", "dsr", 100000, L, "Under 75 mortality rate from cardiovascular disease per 100,000"),
    29: ("u75_cancer_mortality", "per 100,000", "dsr", 100000, L, "Under 75 mortality rate from cancer per 100,000"),
    30: ("winter_mortality_index", "%", "ratio", 100, L, "Winter mortality index (excess winter deaths as % of expected)"),
}
T03_SEX = {22: "Male", 23: "Female", 7: "Female", 11: "Female"}


def build_t03() -> None:
    d = pd.read_csv(NOTES / "seed-000-data/pna_t03_health_profile_summary.csv", dtype=str, keep_default_na=False)
    have = {m["indicator_id"] for m in META}
    for r in d.itertuples():
        n = int(r.indicator_number)
        ind, unit, vt, mult, pol, title = T03[n]
        if ind not in have:
            meta(ind, title, title.split(" per ")[0], unit, vt, mult, pol, "Health profile", definition=title)
            have.add(ind)
        row(ind, r.area, "", num(r.value), "ohid_health_profile_pna2025_t03", r.source_line, T03_SEX.get(n, "Persons"),
            "All ages", note="suppressed or not available ('*' in source)" if num(r.value) is None else "")


T04 = {1793: ("smoking_prevalence_adults", "18+"), 1794: ("alcohol_admissions_narrow", "All ages"),
       1795: ("overweight_adults", "18+"), 1796: (meta("reception_overweight", "Reception: prevalence of overweight (including obesity)", "Reception overweight", "%", "proportion", 100, L, SHSW), "4-5"),
       1797: (meta("year6_overweight", "Year 6: prevalence of overweight (including obesity)", "Year 6 overweight", "%", "proportion", 100, L, SHSW), "10-11"),
       1798: ("physically_inactive_adults", "19+"),
       1799: (meta("low_happiness", "Self-reported wellbeing: people with a low happiness score", "Low happiness", "%", "proportion", 100, L, SHSW), "16+"),
       1800: (meta("high_anxiety", "Self-reported wellbeing: people with a high anxiety score", "High anxiety", "%", "proportion", 100, L, SHSW), "16+")}


def build_t04() -> None:
    d = pd.read_csv(NOTES / "seed-000-data/pna_t04_lifestyle_statistics.csv", dtype=str, keep_default_na=False)
    for r in d.itertuples():
        ind, ag = T04[int(r.source_line)]
        row(ind, r.area, period(r.time_period), float(r.value), "ohid_fingertips_pna2025_t04", r.source_line, "Persons", ag)


SH7 = {4538: (meta("syphilis_rate", "Syphilis diagnostic rate per 100,000", "Syphilis diagnoses", "per 100,000", "crude_rate", 100000, N, HP), "Persons", "All ages"),
       4539: (meta("gonorrhoea_rate", "Gonorrhoea diagnostic rate per 100,000", "Gonorrhoea diagnoses", "per 100,000", "crude_rate", 100000, N, HP), "Persons", "All ages"),
       4540: ("chlamydia_detection_15_24", "Female", "15-24"),
       4541: (meta("chlamydia_screened_f15_24", "Proportion of females aged 15-24 screened for chlamydia", "Chlamydia screening, women 15-24", "%", "proportion", 100, H, HP), "Female", "15-24"),
       4542: ("sti_new_excl_chlamydia_u25", "Persons", "All ages"),
       4543: ("hiv_testing_rate", "Persons", "All ages"),
       4544: (meta("hiv_late_diagnosis", "HIV late diagnosis in people first diagnosed with HIV in the UK", "HIV late diagnosis", "%", "proportion", 100, L, HP, bench="<25% | 25% to 50% | >=50%"), "Persons", "15+"),
       4545: (meta("hiv_new_diagnosis_rate", "New HIV diagnosis rate per 100,000", "New HIV diagnoses", "per 100,000", "crude_rate", 100000, L, HP), "Persons", "15+"),
       4546: (meta("hiv_prevalence", "HIV diagnosed prevalence rate per 1,000 aged 15-59", "HIV prevalence", "per 1,000", "crude_rate", 1000, L, HP, bench="<2 | 2 to 5 | >=5"), "Persons", "15-59"),
       4547: ("hpv_one_dose_female", "Female", "12-13"),
       4548: (meta("u25_repeat_abortions", "Under 25s repeat abortions", "Repeat abortions under 25", "%", "proportion", 100, L, HP), "Female", "<25"),
       4549: (meta("abortions_under_10_weeks", "Abortions under 10 weeks", "Abortions under 10 weeks", "%", "proportion", 100, H, HP), "Female", "All ages"),
       4550: ("larc_rate", "Female", "All ages"),
       4551: ("u18_conception_rate", "Female", "<18"),
       4552: (meta("u18_conceptions_abortion", "Under 18s conceptions leading to abortion", "Under-18 conceptions to abortion", "%", "proportion", 100, N, HP), "Female", "<18"),
       4553: (meta("sexual_offences_rate", "Violent crime: sexual offences per 1,000", "Sexual offences", "per 1,000", "crude_rate", 1000, L, HP), "Persons", "All ages")}


def build_sh7() -> None:
    d = pd.read_csv(NOTES / "seed-003-data/hpar_sexual_health_appendix7.csv", dtype=str, keep_default_na=False)
    for r in d.itertuples():
        ind, sex, ag = SH7[int(r.source_line)]
        for area, col in (("Leicestershire", "leicestershire"), ("England", "england"), ("East Midlands", "east_midlands")):
            row(ind, area, period(r.time_period), num(getattr(r, col)), "ukhsa_hpar_2025_sexual_health", r.source_line, sex, ag)


def main() -> None:
    build_dashboard(); build_fingertips(); build_vaccination(); build_t03(); build_t04(); build_sh7()
    ind = pd.DataFrame(ROWS)
    for c in ("count", "rank", "rank_of"):
        ind[c] = ind[c].astype("Int64")
    ind.to_csv(OUT / "indicators.csv", index=False)
    m = pd.DataFrame(META).drop_duplicates("indicator_id")
    m.to_csv(OUT / "indicator_meta.csv", index=False)
    print(f"indicators: {len(ind)} rows, indicator_meta: {len(m)} rows")


if __name__ == "__main__":
    main()
