"""Build the Leicester City Health and Wellbeing Board tables in data/leicester-city/ from seed 001.

Run from the repository root: ``python data/extract/leicester_city.py``. Inputs are the checked
extracts under ../shared/notes/seed-001-data/ (each row cites its line in seed 001, the Leicester
City HWB meeting pack of 26 January 2023). Numbers are carried over as printed (text in, text
out: nothing is re-rounded or recalculated). The tables use the schemas of the Leicestershire
tables in data/ (src/jsna/schemas.py); tables that no schema fits yet are written in the
columns proposed in data/leicester-city/README.md.

When the seed text itself is present (../shared/seeds/001_*.txt), :func:`verify` re-opens it and
checks that every number written here is printed on the line(s) its row cites; the build stops
if one is not. ``sources.yml`` and ``README.md`` in the output folder are written by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path("/work/shared") if Path("/work/shared").is_dir() else ROOT.parent / "shared"
NOTES = SHARED / "notes" / "seed-001-data"
SEED = SHARED / "seeds" / "001_ca1d80ec799912ac.txt"
OUT = ROOT / "data" / "leicester-city"

ENGLAND, REGION, CITY = "E92000001", "E12000004", "E06000016"
LOCALITIES = {  # name as printed in the PNA -> the board's own locality code
    "Central": "LC-CENTRAL", "East": "LC-EAST", "North": "LC-NORTH",
    "North West": "LC-NORTH-WEST", "South": "LC-SOUTH", "West": "LC-WEST",
}
AREA = {"England": ENGLAND, "East Midlands": REGION, "Leicester": CITY, "Leicester City": CITY, **LOCALITIES}

# source_ids (entries in data/leicester-city/sources.yml)
GSS = "ons_gss_codes"
PNA = "leicester_pna_2022"
T05 = "leicester_pna_2022_t05"
T06 = "ohid_fingertips_leicester_pna2022_t06"
T07 = "nhsd_qof_2020_21_leicester_pna2022_t07"
T08 = "leicester_pna_2022_t08"
BCF = "leicester_bcf_2022_23_planning_template"
CND = "leicester_bcf_2022_23_capacity_demand"
DAP = "leicester_hcws_2022_27_delivery_plan"

H, L, N = "higher_is_better", "lower_is_better", "no_judgement"
BCF_YEAR = "2022-23"


def read(name: str) -> pd.DataFrame:
    """A seed-001 extract as text columns (empty cells stay empty strings)."""
    return pd.read_csv(NOTES / f"{name}.csv", dtype=str, keep_default_na=False)


WRITTEN: dict[str, pd.DataFrame] = {}


def write(df: pd.DataFrame, name: str) -> None:
    df = df.fillna("").astype(str)
    WRITTEN[name] = df
    df.to_csv(OUT / f"{name}.csv", index=False, lineterminator="\n")


def lines_of(*specs: str) -> str:
    """Merge line references ('7040-7056', '7040-7054;7058') into one sorted spec ('7040-7056;7058')."""
    nums: set[int] = set()
    for spec in specs:
        for part in str(spec).split(";"):
            a, _, b = part.strip().partition("-")
            nums.update(range(int(a), int(b or a) + 1))
    out, run = [], []
    for n in sorted(nums):
        if run and n != run[-1] + 1:
            out.append(run)
            run = []
        run.append(n)
    out.append(run)
    return ";".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in out)


def period(p: str) -> str:
    """Normalise a printed period: '2018/19 - 2020/21' -> '2018/19-2020/21' (as build_indicators.py)."""
    return re.sub(r"\s*-\s*", "-", str(p).strip())


# --------------------------------------------------------------------------- geography


def areas() -> None:
    rows = [
        (ENGLAND, "England", "country", "", GSS),
        (REGION, "East Midlands", "region", ENGLAND, GSS),
        (CITY, "Leicester", "unitary", REGION, GSS),
    ]
    rows += [(code, name, "locality", CITY, PNA) for name, code in LOCALITIES.items()]
    write(pd.DataFrame(rows, columns=["area_code", "area_name", "area_type", "parent_code", "source_id"]), "areas")


def area_lookup() -> None:
    """Proposed table: the MSOAs (names as printed, codes not in the pack) that make up each locality."""
    d = read("pna_locality_msoa_lookup")
    note = {"Evington": "printed 'Evington and Thurnby Lodge' in a list that joins its last two items with 'and'; "
                        "read as two MSOAs, which gives the 5 that Table 5 counts for East",
            "Thurnby Lodge": "see Evington"}
    out = pd.DataFrame({
        "area_code": d.locality_area.map(LOCALITIES), "msoa_code": "", "msoa_name": d.msoa_name_as_printed,
        "source_id": PNA, "source_line": d.source_line, "note": d.msoa_name_as_printed.map(note).fillna(""),
    })
    assert out.area_code.notna().all()
    # the number of MSOAs per locality agrees with PNA Table 5 (row "Number of MSOAs")
    t5 = read("pna_t5_locality_demographics")
    n = t5[t5.indicator == "Number of MSOAs"].set_index("area").value.astype(int)
    counts = out.groupby("area_code").size()
    for name, code in LOCALITIES.items():
        assert counts[code] == n[name], (name, counts[code], n[name])
    assert len(out) == n["Leicester City"]
    write(out, "area_lookup")


# --------------------------------------------------------------------------- indicators

META: list[dict] = []
ROWS: list[dict] = []


def meta(i, title, short, unit, vtype, mult, pol, domain, definition, source):
    if any(m["indicator_id"] == i for m in META):
        return i
    META.append({"indicator_id": i, "title": title, "short_title": short, "unit": unit, "value_type": vtype,
                 "multiplier": mult, "polarity": pol, "definition": definition, "source_id": source,
                 "fingertips_id": "", "benchmark": "", "domain": domain})
    return i


def row(ind, area, per, value, src, line, sex="Persons", age="All ages", count="", note=""):
    ROWS.append({"indicator_id": ind, "area_code": AREA[area], "period": per, "sex": sex, "age": age, "count": count,
                 "denominator": "", "value": value, "lower_ci95": "", "upper_ci95": "", "lower_ci99_8": "",
                 "upper_ci99_8": "", "rank": "", "rank_of": "", "source_id": src, "source_line": line, "note": note})


HP = "Health profile"
FT = "Indicator and period as printed in PNA Table 6 (OHID Fingertips / PHOF); "
# Table 6, keyed by the row's source_line:
# (id, sex, age, title, short title, unit, value type, multiplier, polarity, definition tail)
# Ages follow the Fingertips definition of the indicator where the printed label gives none.
T6 = {
    "13491": ("life_expectancy_male_1yr", "Male", "All ages", "Life expectancy at birth, males (1 year range)", "Life expectancy, males (1 year)", "years", "mean", 1, H, "single-year figure (not the usual 3-year pooled value)."),
    "13493": ("life_expectancy_female_1yr", "Female", "All ages", "Life expectancy at birth, females (1 year range)", "Life expectancy, females (1 year)", "years", "mean", 1, H, "single-year figure (not the usual 3-year pooled value)."),
    "13495": ("healthy_life_expectancy_male", "Male", "All ages", "Healthy life expectancy at birth, males", "Healthy life expectancy, males", "years", "mean", 1, H, "years lived in self-reported good health."),
    "13497": ("healthy_life_expectancy_female", "Female", "All ages", "Healthy life expectancy at birth, females", "Healthy life expectancy, females", "years", "mean", 1, H, "years lived in self-reported good health."),
    "13499-13502": ("children_low_income", "Persons", "<16", "Children in relative low income families (under 16s)", "Children in low-income families", "%", "proportion", 100, L, "percentage of children under 16."),
    "13504-13508": ("violence_admissions", "Persons", "All ages", "Violent crime: hospital admissions for violence (including sexual violence) per 100,000", "Hospital admissions for violence", "per 100,000", "dsr", 100000, L, "rate per 100,000 population as printed."),
    "13510-13514": ("homelessness_duty", "Not applicable", "Not applicable", "Homelessness: households owed a duty under the Homelessness Reduction Act, per 1,000", "Households owed a homelessness duty", "per 1,000", "crude_rate", 1000, L, "the pack prints the unit as 'per 1,000 population'; the Fingertips indicator of this name is per 1,000 households. Unit to confirm before comparing."),
    "13516": ("u18_conception_rate", "Female", "<18", "Under 18s conception rate per 1,000", "Under-18 conceptions", "per 1,000", "crude_rate", 1000, L, "conceptions to women under 18 per 1,000 females aged 15-17 (Fingertips definition; the pack prints 'per 1,000')."),
    "13518": ("obesity_early_pregnancy", "Female", "All ages", "Obesity in early pregnancy", "Obesity in early pregnancy", "%", "proportion", 100, L, "percentage of women with a BMI of 30 or more at the booking appointment (Fingertips definition)."),
    "13520": ("smoking_early_pregnancy", "Female", "All ages", "Smoking in early pregnancy", "Smoking in early pregnancy", "%", "proportion", 100, L, "percentage of women known to smoke at the booking appointment (Fingertips definition)."),
    "13522": ("smoking_at_delivery", "Female", "All ages", "Smoking status at the time of delivery", "Smoking at delivery", "%", "proportion", 100, L, "percentage of maternities where the mother smoked at the time of delivery."),
    "13524-13527": ("reception_overweight", "Persons", "4-5", "Reception: prevalence of overweight (including obesity)", "Reception overweight", "%", "proportion", 100, L, "children in Reception (age 4-5), National Child Measurement Programme."),
    "13529-13532": ("year6_overweight", "Persons", "10-11", "Year 6: prevalence of overweight (including obesity)", "Year 6 overweight", "%", "proportion", 100, L, "children in Year 6 (age 10-11), National Child Measurement Programme."),
    "13534-13537": ("self_harm_admissions", "Persons", "All ages", "Emergency hospital admissions for intentional self-harm per 100,000", "Self-harm admissions", "per 100,000", "dsr", 100000, L, "rate per 100,000 as printed."),
    "13539-13542": ("overweight_adults", "Persons", "18+", "Percentage of adults (aged 18+) classified as overweight or obese", "Adult overweight and obesity", "%", "proportion", 100, L, "Active Lives Adult Survey."),
    "13544": ("physically_active_adults", "Persons", "19+", "Percentage of physically active adults", "Physically active adults", "%", "proportion", 100, H, "adults (19+, Fingertips definition) doing at least 150 minutes of moderate activity a week (Active Lives)."),
    "13546": ("physically_inactive_adults", "Persons", "19+", "Percentage of physically inactive adults", "Physically inactive adults", "%", "proportion", 100, L, "adults (19+, Fingertips definition) doing under 30 minutes of moderate activity a week (Active Lives)."),
    "13548-13551": ("smoking_prevalence_adults", "Persons", "18+", "Smoking prevalence in adults (18+): current smokers (APS)", "Adult smoking prevalence (APS)", "%", "proportion", 100, L, "Annual Population Survey. Not the same measure as the Health and Wellbeing Survey 2018 smoking prevalence of PNA Table 8 (smoking_hwb_survey)."),
    "13553": ("diabetes_diagnosis_rate", "Persons", "17+", "Estimated diabetes diagnosis rate", "Diabetes diagnosis rate", "%", "proportion", 100, H, "recorded diabetes (QOF, 17+) as a percentage of the modelled expected prevalence. Not a prevalence: see diabetes_qof and diabetes_systmone."),
    "13555-13558": ("alcohol_admissions_narrow", "Persons", "All ages", "Admission episodes for alcohol-related conditions (narrow, new method), per 100,000", "Alcohol-related admissions", "per 100,000", "dsr", 100000, L, "the pack prints no unit for this row; per 100,000 (directly standardised) is the Fingertips definition of the indicator."),
    "13560-13563": ("high_anxiety", "Persons", "16+", "Self-reported wellbeing: people with a high anxiety score", "High anxiety", "%", "proportion", 100, L, "Annual Population Survey, people aged 16+ (Fingertips definition)."),
    "13565-13568": ("flu_at_risk", "Persons", "6 months-64", "Population vaccination coverage: flu (at risk individuals)", "Flu vaccine: at risk", "%", "proportion", 100, H, "at-risk individuals aged 6 months to 64 (Fingertips definition)."),
    "13570-13573": ("flu_65plus", "Persons", "65+", "Population vaccination coverage: flu (aged 65+)", "Flu vaccine: 65+", "%", "proportion", 100, H, "people aged 65 and over."),
    "13575": ("infant_mortality", "Persons", "<1", "Infant mortality rate per 1,000", "Infant mortality", "per 1,000", "crude_rate", 1000, L, "deaths under 1 year per 1,000 live births (Fingertips definition; the pack prints 'per 1,000')."),
    "13577-13581": ("u75_preventable_mortality_1yr", "Persons", "<75", "Under 75 mortality rate from causes considered preventable (2019 definition), 1 year range, per 100,000", "Under-75 preventable mortality (1 year)", "per 100,000", "dsr", 100000, L, "single-year figure."),
    "13583-13586": ("u75_cvd_mortality_1yr", "Persons", "<75", "Under 75 mortality rate from all cardiovascular diseases, 1 year range, per 100,000", "Under-75 CVD mortality (1 year)", "per 100,000", "dsr", 100000, L, "single-year figure (the Leicestershire u75_cvd_mortality has no stated range)."),
    "13588-13591": ("u75_cancer_mortality_1yr", "Persons", "<75", "Under 75 mortality rate from cancer, 1 year range, per 100,000", "Under-75 cancer mortality (1 year)", "per 100,000", "dsr", 100000, L, "single-year figure."),
    "13593-13596": ("u75_respiratory_mortality_1yr", "Persons", "<75", "Under 75 mortality rate from respiratory disease, 1 year range, per 100,000", "Under-75 respiratory mortality (1 year)", "per 100,000", "dsr", 100000, L, "single-year figure."),
    "13598-13601": ("smi_premature_mortality", "Persons", "18-74", "Premature mortality in adults with severe mental illness (SMI) per 100,000", "Premature mortality, severe mental illness", "per 100,000", "dsr", 100000, L, "deaths under 75 in adults (18-74, Fingertips definition) with SMI, per 100,000."),
    "13603": ("suicide_rate", "Persons", "10+", "Suicide rate per 100,000", "Suicide rate", "per 100,000", "dsr", 100000, L, "age 10+ (Fingertips definition)."),
    "13605-13608": ("hip_fractures_65plus", "Persons", "65+", "Hip fractures in people aged 65 and over per 100,000", "Hip fractures 65+", "per 100,000", "dsr", 100000, L, "emergency admissions for fractured neck of femur, aged 65+."),
    "13610-13614": ("excess_winter_deaths_index", "Persons", "All ages", "Excess winter deaths index", "Excess winter deaths index", "%", "ratio", 100, L, "excess winter deaths as a percentage of expected deaths, August to July (older definition than the Leicestershire winter_mortality_index)."),
}
T6_NOTE = {
    "13510-13514": "unit printed 'per 1,000 population'; Fingertips uses per 1,000 households",
    "13555-13558": "unit not printed in the pack; per 100,000 from the Fingertips definition",
}


def build_t6() -> None:
    d = read("pna_t6_health_profile_leicester_vs_england")
    assert len(d) == 32 and set(d.source_line) == set(T6)
    for r in d.itertuples():
        ind, sex, age, title, short, unit, vt, mult, pol, tail = T6[r.source_line]
        meta(ind, title, short, unit, vt, mult, pol, HP, FT + tail, T06)
        per = period(r.period)
        note = T6_NOTE.get(r.source_line, "")
        row(ind, "Leicester", per, r.leicester_value, T06, r.source_line, sex, age, note=note)
        eng_note = "; ".join(x for x in (note, "England value marked * in the pack (not explained)" if r.note else "") if x)
        row(ind, "England", per, r.england_value, T06, r.source_line, sex, age, note=eng_note)


LTC = "Long-term conditions"
# Table 7 (QOF 2020/21): condition as printed -> (id, age, title)
T7 = {
    "Hypertension": ("hypertension_qof", "All ages", "Hypertension"),
    "CHD": ("chd_qof", "All ages", "Coronary heart disease (CHD)"),
    "Stroke or TIA": ("stroke_tia_qof", "All ages", "Stroke or transient ischaemic attack (TIA)"),
    "Heart Failure": ("heart_failure_qof", "All ages", "Heart failure"),
    "Diabetes (17+)": ("diabetes_qof", "17+", "Diabetes (aged 17+)"),
    "All cancers": ("cancer_qof", "All ages", "All cancers"),
    "CKD (18+)": ("ckd_qof", "18+", "Chronic kidney disease (CKD, aged 18+)"),
    "Asthma": ("asthma_qof", "All ages", "Asthma"),
    "COPD": ("copd_qof", "All ages", "Chronic obstructive pulmonary disease (COPD)"),
    "Mental Health": ("mental_health_qof", "All ages", "Mental health (serious mental illness register)"),
    "Dementia": ("dementia_qof", "All ages", "Dementia"),
}
CCG_NOTE = "registered patients of Leicester City CCG practices (E38000097), stored against the city code"


def build_t7() -> None:
    d = read("pna_t7_ltc_prevalence_qof_2020_21")
    assert len(d) == 11
    for r in d.itertuples():
        ind, age, title = T7[r.long_term_condition]
        meta(ind, f"{title}: QOF recorded prevalence", f"{title.split(' (')[0]} (QOF)", "%", "proportion", 100, N, LTC,
             f"Patients on the QOF {r.long_term_condition} register as a percentage of registered patients"
             f"{' of that age' if age != 'All ages' else ''}, QOF 2020/21 (PNA Table 7). GP-registered, not resident, "
             "population. The register count is stored in the count column." +
             (" Not the same measure as diabetes_systmone (SystmOne, June 2020, PNA Table 8)." if ind == "diabetes_qof" else ""), T07)
        row(ind, "Leicester", "2020/21", r.leicester_prevalence_pct, T07, r.source_line, age=age, count=r.leicester_register_count, note=CCG_NOTE)
        row(ind, "England", "2020/21", r.england_prevalence_pct, T07, r.source_line, age=age)


LOC = "Locality health and lifestyle"
SYSTM = "Recorded prevalence in GP records (SystmOne, June 2020) for the Leicester locality area (PNA Table 8); basis (residence or practice) not stated."
SURVEY = "Leicester Health and Wellbeing Survey 2018, adults, for the Leicester locality area (PNA Table 8); the question wording is not given in the pack."
# Table 8: indicator as printed -> (id, sex, age, period, title, short, unit, vtype, mult, polarity, definition)
T8 = {
    "Life expectancy at birth - Males": ("life_expectancy_male_5yr", "Male", "All ages", "2016-20", "Life expectancy at birth, males (2016-2020 pooled, locality)", "Life expectancy, males (2016-20)", "years", "mean", 1, H, "Life expectancy at birth from ONS deaths 2016-2020 and ONS mid-year population estimates 2016-2020 (PNA Table 8, group heading 'Life expectancy at birth (years)', row 'Males'). Not the same figure as life_expectancy_male_1yr (PNA Table 6)."),
    "Life expectancy at birth - Females": ("life_expectancy_female_5yr", "Female", "All ages", "2016-20", "Life expectancy at birth, females (2016-2020 pooled, locality)", "Life expectancy, females (2016-20)", "years", "mean", 1, H, "Life expectancy at birth from ONS deaths 2016-2020 and ONS mid-year population estimates 2016-2020 (PNA Table 8, group heading 'Life expectancy at birth (years)', row 'Females'). Not the same figure as life_expectancy_female_1yr (PNA Table 6)."),
    "Dementia prevalence": ("dementia_systmone", "Persons", "All ages", "2020 Jun", "Dementia: recorded prevalence (SystmOne)", "Dementia (SystmOne)", "%", "proportion", 100, N, SYSTM),
    "Mental Health prevalence": ("mental_health_systmone", "Persons", "All ages", "2020 Jun", "Mental health: recorded prevalence (SystmOne)", "Mental health (SystmOne)", "%", "proportion", 100, N, SYSTM),
    "Hypertension prevalence": ("hypertension_systmone", "Persons", "All ages", "2020 Jun", "Hypertension: recorded prevalence (SystmOne)", "Hypertension (SystmOne)", "%", "proportion", 100, N, SYSTM),
    "CHD prevalence": ("chd_systmone", "Persons", "All ages", "2020 Jun", "Coronary heart disease: recorded prevalence (SystmOne)", "CHD (SystmOne)", "%", "proportion", 100, N, SYSTM),
    "Stroke prevalence": ("stroke_systmone", "Persons", "All ages", "2020 Jun", "Stroke: recorded prevalence (SystmOne)", "Stroke (SystmOne)", "%", "proportion", 100, N, SYSTM),
    "Asthma prevalence": ("asthma_systmone", "Persons", "All ages", "2020 Jun", "Asthma: recorded prevalence (SystmOne)", "Asthma (SystmOne)", "%", "proportion", 100, N, SYSTM),
    "COPD prevalence": ("copd_systmone", "Persons", "All ages", "2020 Jun", "COPD: recorded prevalence (SystmOne)", "COPD (SystmOne)", "%", "proportion", 100, N, SYSTM),
    "Diabetes (17+) prevalence": ("diabetes_systmone", "Persons", "17+", "2020 Jun", "Diabetes (17+): recorded prevalence (SystmOne)", "Diabetes (SystmOne)", "%", "proportion", 100, N, SYSTM + " Not the same measure as diabetes_qof (QOF 2020/21, 9.6% for the city)."),
    "Cancer prevalence": ("cancer_systmone", "Persons", "All ages", "2020 Jun", "Cancer: recorded prevalence (SystmOne)", "Cancer (SystmOne)", "%", "proportion", 100, N, SYSTM),
    "Smoking prevalence": ("smoking_hwb_survey", "Persons", "Adults", "2018", "Smoking prevalence (Health and Wellbeing Survey 2018)", "Smoking (HWB Survey)", "%", "proportion", 100, L, SURVEY + " Not the same measure as smoking_prevalence_adults (APS, PNA Table 6)."),
    "Alcohol prevalence": ("alcohol_hwb_survey", "Persons", "Adults", "2018", "Alcohol prevalence (Health and Wellbeing Survey 2018)", "Alcohol (HWB Survey)", "%", "proportion", 100, N, SURVEY + " The pack does not say what 'alcohol prevalence' counts, so no polarity is assumed."),
    "Physical activity prevalence": ("physical_activity_hwb_survey", "Persons", "Adults", "2018", "Physical activity prevalence (Health and Wellbeing Survey 2018)", "Physical activity (HWB Survey)", "%", "proportion", 100, H, SURVEY + " Not the same measure as physically_active_adults (Active Lives, PNA Table 6)."),
    "Poor mental health and wellbeing prevalence": ("poor_mental_wellbeing_hwb_survey", "Persons", "Adults", "2018", "Poor mental health and wellbeing prevalence (Health and Wellbeing Survey 2018)", "Poor mental wellbeing (HWB Survey)", "%", "proportion", 100, L, SURVEY),
    "Carer prevalence": ("carers_hwb_survey", "Persons", "Adults", "2018", "Carer prevalence (Health and Wellbeing Survey 2018)", "Carers (HWB Survey)", "%", "proportion", 100, N, SURVEY),
}


def build_t8() -> None:
    d = read("pna_t8_locality_health_lifestyle")
    assert len(d) == 112 and set(d.indicator) == set(T8)
    for r in d.itertuples():
        ind, sex, age, per, title, short, unit, vt, mult, pol, definition = T8[r.indicator]
        meta(ind, title, short, unit, vt, mult, pol, LOC, definition, T08)
        row(ind, r.area, per, r.value, T08, r.source_line, sex, age)


DEM = "Locality demography"
# Table 5 indicator-like rows: indicator as printed -> (id, age, period, title, short, polarity, definition)
T5 = {
    "% Under 19": ("pop_share_0_19", "0-19", "2020", "Population aged under 19 (as printed)", "Aged 0-19", N, "Percentage of the ONS mid-2020 population in the band printed '% Under 19' (PNA Table 5). With the 20-29, 30-49, 50-64 and 65+ bands the printed shares sum to 100.0 in every area, so the band covers ages 0-19; the narrative and the CYP report call the same 27% '0-19'."),
    "% 20-29": ("pop_share_20_29", "20-29", "2020", "Population aged 20-29", "Aged 20-29", N, "Percentage of the ONS mid-2020 population aged 20-29 (PNA Table 5)."),
    "% 30-49": ("pop_share_30_49", "30-49", "2020", "Population aged 30-49", "Aged 30-49", N, "Percentage of the ONS mid-2020 population aged 30-49 (PNA Table 5)."),
    "% 50-64": ("pop_share_50_64", "50-64", "2020", "Population aged 50-64", "Aged 50-64", N, "Percentage of the ONS mid-2020 population aged 50-64 (PNA Table 5)."),
    "% 65+": ("pop_share_65plus", "65+", "2020", "Population aged 65 and over", "Aged 65+", N, "Percentage of the ONS mid-2020 population aged 65 and over (PNA Table 5)."),
    "BAME/Not White": ("ethnicity_bame_share", "All ages", "2011", "Residents of a Black, Asian or minority ethnic group (not White), Census 2011", "BAME (not White)", N, "Percentage of residents in an ethnic group other than White, Census 2011 (PNA Table 5, row 'BAME/Not White')."),
    "White": ("ethnicity_white_share", "All ages", "2011", "Residents of a White ethnic group, Census 2011", "White", N, "Percentage of residents in a White ethnic group, Census 2011 (PNA Table 5)."),
    "Of BAME % Asian": ("ethnicity_asian_share", "All ages", "2011", "Residents of an Asian ethnic group, Census 2011", "Asian", N, "Percentage of all residents in an Asian ethnic group, Census 2011 (PNA Table 5, row printed 'Of BAME % Asian'; the values are shares of all residents, not of the BAME group: the city's 37.1% matches the 37% Asian share in section 5.2)."),
    "% in most deprived 20%": ("imd_quintile1_share", "All ages", "2019", "Population living in the 20% most deprived areas of England (IMD 2019)", "Most deprived 20% (IMD 2019)", L, "Percentage of the population living in LSOAs in the most deprived national quintile of the Index of Multiple Deprivation 2019 (PNA Table 5)."),
    "% in 20-40% most deprived areas": ("imd_quintile2_share", "All ages", "2019", "Population living in the 20-40% most deprived areas of England (IMD 2019)", "20-40% most deprived (IMD 2019)", N, "Percentage of the population living in LSOAs in the second most deprived national IMD 2019 quintile (PNA Table 5)."),
    "% in 40-60% most deprived": ("imd_quintile3_share", "All ages", "2019", "Population living in the 40-60% most deprived areas of England (IMD 2019)", "40-60% most deprived (IMD 2019)", N, "Percentage of the population living in LSOAs in the middle national IMD 2019 quintile (PNA Table 5)."),
    "% in 60-80% most deprived": ("imd_quintile4_share", "All ages", "2019", "Population living in the 60-80% most deprived areas of England (IMD 2019)", "60-80% most deprived (IMD 2019)", N, "Percentage of the population living in LSOAs in the second least deprived national IMD 2019 quintile (PNA Table 5)."),
    "% in least deprived 20%": ("imd_quintile5_share", "All ages", "2019", "Population living in the 20% least deprived areas of England (IMD 2019)", "Least deprived 20% (IMD 2019)", H, "Percentage of the population living in LSOAs in the least deprived national IMD 2019 quintile (PNA Table 5)."),
}


def build_t5() -> None:
    d = read("pna_t5_locality_demographics")
    d = d[d.indicator.isin(list(T5))]
    assert len(d) == 7 * len(T5)
    for r in d.itertuples():
        ind, age, per, title, short, pol, definition = T5[r.indicator]
        meta(ind, title, short, "%", "proportion", 100, pol, DEM, definition, T05)
        row(ind, r.area, per, r.value, T05, r.source_line, "Persons", age)


INDICATOR_COLUMNS = ["indicator_id", "area_code", "period", "sex", "age", "count", "denominator", "value", "lower_ci95",
                     "upper_ci95", "lower_ci99_8", "upper_ci99_8", "rank", "rank_of", "source_id", "source_line", "note"]


def indicators() -> None:
    build_t6(); build_t7(); build_t8(); build_t5()
    write(pd.DataFrame(ROWS, columns=INDICATOR_COLUMNS), "indicators")
    write(pd.DataFrame(META), "indicator_meta")


# --------------------------------------------------------------------------- population and ethnicity


def population() -> None:
    """All-ages totals only: the pack prints no population counts by age band (only shares, in indicators)."""
    d = read("pna_t5_locality_demographics")
    d = d[d.indicator == "ONS Mid-2020 population estimate"]
    rows = [(AREA[r.area], "2020", "Persons", "All ages", r.value, "", "1", T05, r.source_line) for r in d.itertuples()]
    k = read("pna_population_key_figures").set_index("measure")
    c21 = k.loc["Leicester population, Census 2021"]
    rows.append((CITY, "2021", "Persons", "All ages", c21.value, "", "100", PNA, c21.source_line))
    m17 = k.loc["Population, ONS mid-2017 estimate (footnote marker run into number in the pack)"]
    rows.append((CITY, "2017", "Persons", "All ages", m17.value, "", "1", PNA, f"{m17.source_line};14044"))
    cols = ["area_code", "year", "sex", "age_band", "population", "share_pct", "rounded_to", "source_id", "source_line"]
    out = pd.DataFrame(rows, columns=cols).sort_values(["area_code", "year"], kind="stable")
    write(out, "population")


def ethnicity() -> None:
    """White and Asian shares of PNA Table 5 (Census 2011) in the ethnicity schema; 'BAME/Not White' has no group there."""
    d = read("pna_t5_locality_demographics")
    group = {"White": "White", "Of BAME % Asian": "Asian"}
    d = d[d.indicator.isin(list(group))]
    out = pd.DataFrame({"area_code": d.area.map(AREA), "period": "2011", "ethnic_group": d.indicator.map(group),
                        "share_pct": d.value, "source_id": T05, "source_line": d.source_line})
    write(out, "ethnicity")


# --------------------------------------------------------------------------- Better Care Fund 2022-23

STREAM = {"DFG": "dfg", "Minimum NHS Contribution": "nhs_minimum", "iBCF": "ibcf",
          "Additional LA Contribution": "additional_la", "Additional ICB Contribution": "additional_nhs", "Total": "total"}
# lines of the income sheet (4. Income) that repeat the summary sheet's figure
INCOME_SHEET = {"dfg": "5454;5480", "nhs_minimum": "5511;5525", "ibcf": "5484;5486", "additional_la": "5495",
                "additional_nhs": "5534", "total": "5540"}


def bcf_income() -> None:
    d = read("bcf_income_expenditure_summary_2022_23")
    ids = d.funding_source.map(STREAM)
    assert ids.notna().all()
    note = {"nhs_minimum": "from NHS Leicester, Leicestershire and Rutland ICB (line 5511)",
            "additional_nhs": "printed 'Additional ICB Contribution' (summary) and 'Additional NHS Contribution' (income sheet)",
            "total": "Total BCF Pooled Budget (line 5540)"}
    out = pd.DataFrame({
        "year": BCF_YEAR, "funding_stream": d.funding_source, "stream_id": ids, "is_total": ids.eq("total").map(str),
        "planned_income_gbp": d.income_gbp, "updated_income_gbp": "", "actual_expenditure_gbp": "",
        "source_id": BCF, "source_line": [f"{a};{INCOME_SHEET[s]}" for a, s in zip(d.source_line, ids)],
        "note": ids.map(note).fillna(""),
    })
    write(out, "bcf_income")


EXP_COLS = ["year", "stage", "breakdown", "category_id", "category", "is_total", "income_gbp", "expenditure_gbp",
            "balance_gbp", "pct_of_spend", "rounded_to", "source_id", "source_line", "note"]


def bcf_expenditure() -> None:
    d = read("bcf_income_expenditure_summary_2022_23")
    out = pd.DataFrame({
        "year": BCF_YEAR, "stage": "plan", "breakdown": "funding_source", "category_id": d.funding_source.map(STREAM),
        "category": d.funding_source, "is_total": d.funding_source.eq("Total").map(str), "income_gbp": d.income_gbp,
        "expenditure_gbp": d.expenditure_gbp, "balance_gbp": d.difference_gbp, "pct_of_spend": "", "rounded_to": "1",
        "source_id": BCF, "source_line": d.source_line, "note": "",
    })
    out.loc[out.category_id == "total", "note"] = "the expenditure by scheme type totals 48,405,389 (line 5329)"
    write(out[EXP_COLS], "bcf_expenditure")


def bcf_expenditure_by_scheme_type() -> None:
    """Proposed extension: bcf_expenditure rows with breakdown 'scheme_type' (not in the vocabulary yet)."""
    d = read("bcf_scheme_type_summary_2022_23")
    cat = d.scheme_type.map(lambda s: "total" if s == "Total" else re.sub(r"[^a-z0-9]+", "_", s.lower()).strip("_"))
    out = pd.DataFrame({
        "year": BCF_YEAR, "stage": "plan", "breakdown": "scheme_type", "category_id": cat, "category": d.scheme_type,
        "is_total": d.scheme_type.eq("Total").map(str), "income_gbp": "", "expenditure_gbp": d.expenditure_gbp,
        "balance_gbp": "", "pct_of_spend": d.pct_of_total_expenditure, "rounded_to": "1", "source_id": BCF,
        "source_line": d.source_line, "note": "",
    })
    out.loc[out.category_id == "total", "note"] = "printed total; the funding-source total is 48,405,390 (line 5288); no percentage printed"
    write(out[EXP_COLS], "bcf_expenditure_by_scheme_type")


def bcf_national_conditions() -> None:
    """Proposed table: national conditions 2 and 3, minimum required and planned spend."""
    d = read("bcf_national_conditions_spend_2022_23")
    rows = []
    for cid, short in (("nc3_nhs_out_of_hospital", "NC3"), ("nc2_adult_social_care", "NC2")):
        g = d[d.national_condition.str.startswith(short)]
        v = dict(zip(g.measure, g.value_gbp))
        lines = lines_of(*g.source_line)
        rows.append((BCF_YEAR, "plan", cid, g.national_condition.iloc[0], v["Minimum required spend"], v["Planned spend"],
                     BCF, lines, "printed again on the expenditure sheet (lines 5773-5781)"))
    cols = ["year", "stage", "condition_id", "condition", "minimum_required_gbp", "planned_gbp", "source_id", "source_line", "note"]
    write(pd.DataFrame(rows, columns=cols), "bcf_national_conditions")


def _untruncate(text: str) -> tuple[str, bool]:
    """Drop the extractor's '[truncated]' / '[...; truncated]' marker; say whether there was one."""
    new = re.sub(r"\s*\[[^\]]*truncated\]", "", text)
    return new.strip(), new != text


SCHEME_NOTE = {
    "30": "scheme name 'Additonal' sic",
    "36": "sub-type 'Risk Stratification' for a day centre looks like a mis-selection in the template",
}


def bcf_schemes() -> None:
    d = read("bcf_expenditure_schemes_2022_23")
    assert len(d) == 37
    rows = []
    for r in d.itertuples():
        name, cut_name = _untruncate(r.scheme_name)
        sub, cut_sub = _untruncate(r.sub_type)
        desc, cut_desc = _untruncate(r.brief_description_as_printed)
        notes = [n for n, on in (("scheme name cut off in the pack", cut_name), ("sub-type cut off in the pack", cut_sub),
                                 ("description cut off in the pack", cut_desc)) if on]
        for label, detail in (("sub-type detail", r.sub_type_other_detail), ("area of spend detail", r.area_of_spend_other_detail)):
            if detail:
                text, cut = _untruncate(detail)
                notes.append(f"{label}: {text}" + (" (cut off in the pack)" if cut else ""))
        if r.scheme_id in SCHEME_NOTE:
            notes.append(SCHEME_NOTE[r.scheme_id])
        rows.append((BCF_YEAR, "plan", r.scheme_id, name, r.scheme_type, r.area_of_spend, r.provider, r.source_of_funding,
                     r.expenditure_gbp, "", BCF, r.source_line, "; ".join(notes), sub, r.commissioner, r.new_or_existing, desc))
    cols = ["year", "stage", "scheme_id", "scheme_name", "category", "area_of_spend", "provider", "funding_source",
            "planned_gbp", "actual_gbp", "source_id", "source_line", "note", "sub_type", "commissioner", "new_or_existing",
            "description"]
    write(pd.DataFrame(rows, columns=cols), "bcf_schemes")


METRIC = {  # same ids, titles, units and polarities as the Leicestershire tables (data/extract/build_domain.py)
    "sheet6-8.1": ("avoidable_admissions_isr", "Unplanned admissions for chronic ambulatory care sensitive conditions (ISR per 100,000)", "per 100,000", L),
    "sheet6-8.3": ("discharge_to_usual_place_of_residence", "Discharged from acute hospital to their normal place of residence", "%", H),
    "sheet6-8.4": ("residential_nursing_admissions_65plus", "Long-term support needs of older people (65+) met by admission to residential and nursing care homes, per 100,000", "per 100,000", L),
    "sheet6-8.5": ("reablement_at_home_91_days", "Older people still at home 91 days after discharge into reablement", "%", H),
}
SUMMARY = {"sheet3-avoidable": "sheet6-8.1", "sheet3-discharge": "sheet6-8.3", "sheet3-residential": "sheet6-8.4",
           "sheet3-reablement": "sheet6-8.5"}
STATUS = {"actual": "final", "estimated": "estimated"}


def _metric_frame() -> pd.DataFrame:
    d = read("bcf_metrics_2022_23")
    d["ref"] = d.metric_ref.map(lambda m: SUMMARY.get(m, m))
    d["metric_id"] = d.ref.map(lambda m: METRIC[m][0])
    d["kind"] = d.measure.map(lambda m: "count" if m == "numerator" else "denominator" if m == "denominator" else "value")
    return d


def bcf_metrics() -> None:
    """Annual metrics (residential admissions, reablement): plan, estimate and actual per financial year.

    The avoidable-admissions and discharge metrics have quarterly plans only; they are in the rate tables.
    """
    d = _metric_frame()
    d = d[(d.template_sheet == "6. Metrics") & (d.kind == "value") & d.ref.isin(["sheet6-8.4", "sheet6-8.5"])]
    rows = []
    for (ref, year), g in d.groupby(["ref", "period"], sort=False):
        mid, title, unit, pol = METRIC[ref]
        plan = g[g.period_type == "plan"]
        act = g[g.period_type.isin(["actual", "estimated"])]
        status = STATUS[act.period_type.iloc[0]] if len(act) else ""
        note = {"estimated": "2021-22 estimated outturn entered in the 2022-23 planning template",
                "final": "2020-21 actual pre-populated in the 2022-23 planning template"}.get(status, "")
        rows.append((mid, title, year, plan.value.iloc[0] if len(plan) else "", unit, pol,
                     act.value.iloc[0] if len(act) else "", BCF, g.source_line.iloc[0], status, note))
    cols = ["metric", "title", "year", "target", "unit", "polarity", "actual", "source_id", "source_line", "actual_status", "note"]
    write(pd.DataFrame(rows, columns=cols), "bcf_metrics")


def _rates(pct: bool) -> pd.DataFrame:
    d = _metric_frame()
    d = d[d.ref.isin(["sheet6-8.3", "sheet6-8.5"]) == pct]  # the percentage metrics
    rows = []
    for (ref, sheet, per, ptype), g in d.groupby(["ref", "template_sheet", "period", "period_type"], sort=False):
        v = dict(zip(g.kind, g.value))
        lines = lines_of(*g.source_line)
        mid = METRIC[ref][0]
        series = f"2022-23 planning template, sheet {sheet}"
        label = f"{per} {ptype.capitalize()}"
        note = ""
        if sheet == "3. Summary":
            note = {"avoidable_admissions_isr": "summary sheet prints 0.0; sheet 6 plans 243.2, 241.2, 239.8, 236.1",
                    "residential_nursing_admissions_65plus": "summary sheet rounds to whole numbers"}.get(mid, "summary sheet echo of sheet 6")
        elif mid == "avoidable_admissions_isr":
            note = "indirectly standardised rate" + ("; the denominator is the all-ages population (flat 354,000), not 65+" if "denominator" in v else "")
        elif mid == "residential_nursing_admissions_65plus":
            note = "65+ denominator from 2018-based subnational population projections (calendar year; base year not stated, lines 7294-7296)"
        rows.append((mid, series, label, v.get("count", ""), v.get("denominator", ""), v["value"], CITY,
                     "100" if pct else "100000", "", BCF, lines, note))
    cols = ["metric", "series", "period", "count", "denominator", "value", "area_code", "multiplier", "population_year",
            "source_id", "source_line", "note"]
    return pd.DataFrame(rows, columns=cols)


def bcf_metric_rates() -> None:
    write(_rates(pct=False), "bcf_metric_rates")


def bcf_metric_percentages() -> None:
    """Proposed extension: bcf_metric_rates rows whose multiplier is 100 (percentage metrics)."""
    write(_rates(pct=True), "bcf_metric_percentages")


def _month(m: str) -> str:
    """'Oct-22' -> '2022 Oct'."""
    mon, yy = m.split("-")
    return f"20{yy} {mon}"


def bcf_capacity_demand() -> None:
    """Proposed table: the Capacity & Demand template, expected demand and planned capacity by month (Oct-22 to Mar-23)."""
    parts = [
        ("bcf_cd_demand_hospital_discharge_2022_23", "3.1 Demand - Hospital Discharge", "demand", "hospital_discharge",
         "trust", "pathway", "expected_discharges_requiring_support_count", "discharges requiring support",
         "UHL is the only trust entered, so the Totals Summary equals these rows"),
        ("bcf_cd_demand_community_2022_23", "3.2 Demand - Community", "demand", "community", None, "service_type",
         "expected_community_referrals_count", "referrals",
         "the sheet's assumptions add 10% for Nov-Feb (line 4598) but the community figures are flat"),
        ("bcf_cd_capacity_discharge_2022_23", "4.1 Capacity - Discharge", "capacity", "hospital_discharge", None,
         "service_area", "capacity_new_clients_count", "new clients", ""),
        ("bcf_cd_capacity_community_2022_23", "4.2 Capacity - Community", "capacity", "community", None, "service_area",
         "capacity_new_clients_count", "new clients", ""),
    ]
    frames = []
    for name, sheet, measure, setting, trust, service, col, unit, note in parts:
        d = read(name)
        frames.append(pd.DataFrame({
            "year": BCF_YEAR, "hwb": d.hwb, "template_sheet": sheet, "measure": measure, "setting": setting,
            "trust": d[trust] if trust else "", "service": d[service], "month": d.month.map(_month), "value": d[col],
            "unit": unit, "source_id": CND, "source_line": d.source_line.map(lines_of), "note": note,
        }))
    write(pd.concat(frames, ignore_index=True), "bcf_capacity_demand")


# --------------------------------------------------------------------------- Health, Care and Wellbeing Strategy

STRATEGY = "Leicester Health, Care and Wellbeing Strategy 2022-2027"
YEAR = "2022-23"  # the board year of the pack (26 January 2023)
THEME_LINES = {"A": "9798-9802", "B": "9812-9816", "C": "9826-9830", "D": "9840-9844", "E": "9854-9858"}
# the cover report's list of the six 'do' priorities (lines 7643-7663), by priority number
COVER_DO = {"2": "7643-7647", "13": "7643-7644;7649-7650", "14": "7643-7644;7652-7653", "7": "7643-7644;7655-7656",
            "10": "7643-7644;7658-7659", "17": "7643-7644;7661-7663"}
NOT_STATED = "not stated"


def _theme(t: str) -> tuple[str, str]:
    letter, name = t.split(". ", 1)
    return letter, name


def strategy_items() -> pd.DataFrame:
    p = read("jhws_priorities_2022_27")
    assert len(p) == 19 and p.do_priority.eq("yes").sum() == 6
    rows = []
    for t, g in p.groupby("theme", sort=False):
        letter, name = _theme(t)
        note = "printed in capitals on the slide"
        if letter == "C":
            note += "; 'Healthy Living' in the minutes of 28 July 2022 (lines 788, 816)"
        rows.append(("theme", letter, name, name, g.theme_strapline.iloc[0], "n/a", "", THEME_LINES[letter], note))
    for r in p.itertuples():
        letter, name = _theme(r.theme)
        do = r.do_priority == "yes"
        line = lines_of(r.source_line, COVER_DO[r.priority_number]) if do else r.source_line
        note = ""
        if r.priority_number == "11":
            note = "'We will promoting' as printed"
        if r.priority_number == "17":
            note = "'through a through a' as printed on the all-priorities slide; the cover report and the 'do' slide print it once"
        if not do:
            unnamed = ("the pack says the 19 priorities were divided into do, sponsor and watch (line 7643) "
                       "but names only the six 'do' priorities")
            note = "; ".join(x for x in (note, unnamed) if x)
        rows.append(("priority", r.priority_number, name, r.priority_as_printed, "", "do" if do else NOT_STATED,
                     r.outcome_statement_for_do_priority, line, note))
    rows += [
        ("cross_cutting", "CC1", "", "Health Inequalities", "", "n/a", "", "9587;10002",
         ("'Golden thread of addressing Health Inequalities throughout' (line 9587); guiding principle 1 'Help reduce "
          "health inequalities' (line 10002); the Core20PLUS5 report appended to the BCF plan calls health inequalities "
          "'a cross cutting theme across all the life course stages' (line 4018-4020)")),
        ("cross_cutting", "CC2", "",
         ("INVOLVE OUR PEOPLE: We will co-ordinate partnership communications and engagement to include appropriate "
          "opportunities for Co-Design/ Co-Production through harnessing local populations and using community assets "
          "with support from the local VCSE"), "", "do",
         ("All people to receive consistent messages about planned transformation and have appropriate opportunities for "
          "local communities and/or populations to contribute to delivery of actions that affect them"), "9881-9917",
         ("shown on the 'Do' Priorities slide beside the six do priorities but not one of the 19; the slide is footnoted "
          "'Added Following HWB Development Day 171122' (line 9999)")),
        ("plus_group", "PLUS1", "", "Learning Disabilities", "", "n/a", "", "7672-7676;10158-10160",
         "cover report: 'people with learning disabilities'; chosen for the largest life-expectancy gap (line 10193-10195)"),
        ("plus_group", "PLUS2", "", "Homelessness", "", "n/a", "", "7672-7678;10158-10162",
         "cover report: 'people who are homeless'"),
        ("plus_group", "PLUS3", "", "Severe Mental Illness (SMI)", "", "n/a", "", "7672-7680;10158-10164",
         "cover report: 'people with severe mental illness'"),
        ("other_group", "OG1", "", "Asylum Seekers", "", "n/a", "", "10148;10166-10172",
         "not a focus group in the initial years; communications and engagement needs to be captured, focus to be reviewed"),
        ("other_group", "OG2", "", "Ethnic Minorities", "", "n/a", "", "10150;10173-10179",
         "captured through the focus on deprivation and targeted actions; the Census shows this group is now the majority"),
        ("other_group", "OG3", "", "Intersectionality", "", "n/a", "", "10154;10180-10185", "considered in everything"),
        ("other_group", "OG4", "", "Limited English Speaking Population", "", "n/a", "", "10156;10186-10190",
         "to be taken into account in the communications and engagement plan across all priorities"),
        ("other_group", "OG5", "", "Traveller Communities", "", "n/a", "", "10139-10152",
         "listed among the existing PLUS groups for consideration; not discussed further in the pack"),
    ]
    cols = ["item_type", "item_id", "theme", "title_as_printed", "strapline", "classification", "outcome_statement",
            "source_line", "note"]
    out = pd.DataFrame(rows, columns=cols)
    out.insert(0, "strategy", STRATEGY)
    out.insert(0, "year", YEAR)
    out["source_id"] = DAP
    return out[["year", "strategy", "item_type", "item_id", "theme", "title_as_printed", "strapline", "classification",
                "outcome_statement", "source_id", "source_line", "note"]]


def jhws_strategy() -> None:
    """Proposed table: themes, priorities (with classification), cross-cutting items and PLUS groups."""
    write(strategy_items(), "jhws_strategy")


def jhws_priorities() -> None:
    """The 19 priorities and the two cross-cutting items in the existing jhws_priorities schema."""
    s = strategy_items()
    pri = s[s.item_type == "priority"]
    out = pd.DataFrame({
        "year": YEAR, "hwb_subgroup": "not stated",
        "jhws_strategic_priority": pri.theme, "priority_area": pri.item_id + ". " + pri.title_as_printed,
        "report_section": "Appendix C (Delivery and Action Plan presentation, 3. All Priorities)",
        "note": [("do priority; outcome statement: " + o) if c == "do" else "classification (do, sponsor or watch) not stated in the pack"
                 for c, o in zip(pri.classification, pri.outcome_statement)],
        "source_id": DAP, "source_line": pri.source_line,
    })
    cc = s[s.item_type == "cross_cutting"]
    out = pd.concat([out, pd.DataFrame({
        "year": YEAR, "hwb_subgroup": "not stated", "jhws_strategic_priority": "Cross-cutting",
        "priority_area": cc.title_as_printed.str.split(":").str[0],
        "report_section": ["Appendix C (Delivery and Action Plan presentation, 1. Journey to date; 3. Guiding Principles)",
                           "Appendix C (Delivery and Action Plan presentation, 3. 'Do' Priorities)"],
        "note": cc.note, "source_id": DAP, "source_line": cc.source_line,
    })], ignore_index=True)
    write(out, "jhws_priorities")


# --------------------------------------------------------------------------- verification against the seed

NUM = re.compile(r"\d+(?:\.\d+)?")
# table -> columns holding figures copied from the seed
FIGURES = {
    "indicators": ["value", "count"], "population": ["population"], "ethnicity": ["share_pct"],
    "bcf_income": ["planned_income_gbp"], "bcf_expenditure": ["income_gbp", "expenditure_gbp", "balance_gbp"],
    "bcf_expenditure_by_scheme_type": ["expenditure_gbp", "pct_of_spend"],
    "bcf_national_conditions": ["minimum_required_gbp", "planned_gbp"], "bcf_schemes": ["planned_gbp"],
    "bcf_metrics": ["target", "actual"], "bcf_metric_rates": ["count", "denominator", "value"],
    "bcf_metric_percentages": ["count", "denominator", "value"], "bcf_capacity_demand": ["value"],
}


def _lines(text: list[str], spec: str) -> str:
    out = []
    for part in spec.split(";"):
        a, _, b = part.strip().partition("-")
        out += text[int(a) - 1:int(b or a)]
    return "\n".join(out)


def verify() -> None:
    """Every figure written appears, as a number, on the seed line(s) its row cites."""
    if not SEED.is_file():
        print(f"seed text not found ({SEED}): figures not re-verified")
        return
    text = SEED.read_text(encoding="utf-8").splitlines()
    bad, loose, n = [], [], 0
    for name, cols in FIGURES.items():
        for i, r in WRITTEN[name].iterrows():
            cited = _lines(text, r.source_line).replace(",", "").replace("£", "")
            printed = {float(x) for x in NUM.findall(cited)}
            for c in cols:
                if not r[c]:
                    continue
                n += 1
                if float(r[c]) in printed:
                    continue
                if r[c].replace(".", "") in cited.replace(".", ""):
                    loose.append(f"{name} row {i + 2} {c}={r[c]} (run into a footnote marker)")
                else:
                    bad.append(f"{name} row {i + 2} {c}={r[c]} not on line(s) {r.source_line}")
    s = WRITTEN["jhws_strategy"]
    for i, r in s.iterrows():
        cited = re.sub(r"\s+", " ", _lines(text, r.source_line)).lower()
        words = re.sub(r"\s+", " ", r.title_as_printed.split(":")[0]).lower()[:40]
        if words not in cited:
            bad.append(f"jhws_strategy row {i + 2} title '{words}' not on line(s) {r.source_line}")
    for m in loose:
        print("  loose match:", m)
    if bad:
        raise SystemExit("figures not found on their cited lines:\n  " + "\n  ".join(bad))
    print(f"verified {n} figures and {len(s)} strategy items against seed 001")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    areas(); area_lookup(); indicators(); population(); ethnicity()
    bcf_income(); bcf_expenditure(); bcf_expenditure_by_scheme_type(); bcf_national_conditions(); bcf_schemes()
    bcf_metrics(); bcf_metric_rates(); bcf_metric_percentages(); bcf_capacity_demand()
    jhws_strategy(); jhws_priorities()
    verify()
    for name, df in WRITTEN.items():
        print(f"{name}.csv: {len(df)} rows")


if __name__ == "__main__":
    main()
