"""Tests for jsna.stats.

Reference cases compare against independently published numbers, never against
this module's own output. Sources:

* [NEWCOMBE] Newcombe RG. Two-sided confidence intervals for the single
  proportion: comparison of seven methods. Statistics in Medicine 1998;
  17:857-872, Table II, method 3 (Wilson score, no continuity correction).
* [SEED003] tests/reference/hpar_fingertips_series.csv, a copy of
  ../shared/notes/seed-003-data/hpar_fingertips_series.csv: OHID Fingertips
  charts reproduced in the Leicestershire HPAR (count, value and 95% limits as
  printed, one decimal). Each case cites the seed source line (column
  ``source_line``, line numbers of the seed pack text).
* [EPITOOLS] epitools ``pois.exact`` documentation
  (https://rdocumentation.org/link/pois.exact?package=epitools&version=0.5-10.1):
  "When x = 0, for the upper confidence limit pois.exact returns 3.689".
* [OHID-CI] OHID Technical Guide "Confidence Intervals" (Public Health Data
  Science, 25 May 2018, Appendix 1): "for 95% confidence intervals, Byar's
  method is within 0.2% of the exact value for numerators of 10 or more".
* [ESP2013] Eurostat (2013) Revision of the European Standard Population,
  report of Eurostat's task force, ESP 2013 weights in 19 five-year bands;
  the same vector is printed in PHEindicatormethods tests/testthat/testDSRs.R
  ("stdpop = c(5000, 5500, ... 1500, 1000)").
* [PHE-QTOOL] tests/reference/phe_quantile_tool_deciles.csv: deciles within
  region assigned by the PHE quantile tool (Excel) to two PHOF indicators,
  4.05i under 75 cancer mortality (low is good) and 0.1ii female life
  expectancy (high is good), county and unitary authorities, 18 regional
  groups. Copied from ukhsa-collaboration/PHEindicatormethods, fd_quantiles.csv
  (commit 6485d10adc2c940698f6677e33c6eb72055e3325), columns Value and
  "Tool Output Decile".
* [R-SLEEP] Student's sleep data (Cushny and Peebles 1905; Student 1908), R
  dataset ``sleep``: extra hours of sleep of 10 patients under two drugs.
  Paired t-test output printed in Meys J, de Vries A. R For Dummies, "How to
  compare paired data with R" (dummies.com): "mean of the differences -1.58",
  "95 percent confidence interval: -2.4598858 -0.7001142", "t = -4.0621,
  df = 9". A paired interval is the one-sample interval of the differences.
* [SPSS-ONE] Wadsworth/Cengage statistics workshop "t-test for One Sample"
  (wadsworth.com/psychology_d/special_features/ext/workshops/t_testsample2.html):
  SPSS one-sample statistics for the printed sample 6 5 4 3 7 5 5 5 6 6,
  "N 10, Mean 5.2000, Std. Deviation 1.1353, Std. Error Mean .3590". (The
  page's second sample does not reproduce its own printed mean, so it is not
  used.)
* [FAY-FEUER] Down syndrome births, birth order 5+, by maternal age (Stark and
  Mantel 1966; Fleiss 1981 Table 14.4; Fay and Feuer 1997 Table II), standard
  = all births. Printed output of the dsrTest vignette (cran/dsrTest,
  inst/doc/dsrTest-example.html, commit
  050392a53feb69c5400e42b6736507945dea31d1): "Dobson's method ... with Exact
  two-sided Poisson test: 95 percent confidence interval 67.63284 83.86703,
  Directly standardized rate per 1e+05 75.52901".
* [SAS-DIRECT] SAS/STAT PROC STDRATE Example "Comparing Directly Standardized
  Rates": Alaska and Florida deaths by age and sex (2000), standard = US
  person-years; the standardized rates per 1,000 as printed by the R dsr
  package vignette that reproduces it (cran/dsr, inst/doc/dsr.html):
  Alaska 2924 deaths, 626932 person-years, 8.0693; Florida 162795,
  15658229, 7.7342. (Their limits use a gamma method, not Dobson's.)
* [SAS-INDIRECT] SAS/STAT PROC STDRATE "Getting Started": Florida skin cancer
  deaths (2000) against the US, output tables "Indirectly Standardized Strata
  Statistics" and "Strata SMR Estimates" (expected events to 3 d.p., SMR to
  4 d.p., study crude rate per 100,000 to 4 d.p.), as printed in SAS's
  STDRATE user group material
  (www.sas.com/offices/asiapacific/japan/tools/asset/sug/usergroups12_B-10.zip).
* [MORRIS] Morris JK et al. Evaluation of stability of directly standardized
  rates for sparse data using simulation methods. Popul Health Metr 2018
  ("DSRs should not be given when the total observed number of events is less
  than 10"), the rule used by Fingertips.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jsna import stats
from jsna.stats import (ESP2013, dsr, isr, isratio, mean_ci, poisson_limits,
                        proportion_ci, quantiles, quintiles, rate_ci)

REFERENCE = Path(__file__).parent / "reference"
SEED = REFERENCE / "hpar_fingertips_series.csv"


def round_half_up(x: np.ndarray | float, dp: int = 1) -> np.ndarray:
    """Round as published tables do (half away from zero for positives)."""
    f = 10.0 ** dp
    return np.floor(np.asarray(x, dtype=float) * f + 0.5) / f


# ---------------------------------------------------------------------------
# Reference cases: Wilson score [NEWCOMBE]
# ---------------------------------------------------------------------------

NEWCOMBE_TABLE_II = [
    # (x, n, lower, upper) - Newcombe 1998 Table II, method 3, 4 d.p.
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize("x,n,lower,upper", NEWCOMBE_TABLE_II)
def test_wilson_newcombe_table_ii(x, n, lower, upper):
    out = proportion_ci(x, n, conf=0.95, multiplier=1)
    assert out["lower"].iloc[0] == pytest.approx(lower, abs=5e-5)
    assert out["upper"].iloc[0] == pytest.approx(upper, abs=5e-5)


# ---------------------------------------------------------------------------
# Reference cases: published Fingertips rows [SEED003]
# ---------------------------------------------------------------------------

def _seed_rows(unit: str) -> list[tuple]:
    df = pd.read_csv(SEED, dtype=str)
    df = df[(df["unit"] == unit) & (df["count"] != "-")]
    return [
        (int(r.source_line), float(r["count"]), float(r.value),
         float(r.lower_ci_95), float(r.upper_ci_95))
        for _, r in df.iterrows()
    ]


PROPORTION_ROWS = _seed_rows("%")


def _denominators_for(count: float, value: float, multiplier: float) -> np.ndarray:
    """Integer denominators consistent with the printed (1 d.p.) value."""
    lo = count * multiplier / (value + 0.05)
    hi = count * multiplier / (value - 0.05)
    return np.arange(math.ceil(lo), math.floor(hi) + 1, dtype=float)


@pytest.mark.parametrize("line,count,value,lower,upper", PROPORTION_ROWS,
                         ids=[f"seed003-L{r[0]}" for r in PROPORTION_ROWS])
def test_wilson_reproduces_published_fingertips_rows(line, count, value, lower, upper):
    """Seed 003 prints count, value and 95% limits but not the denominator.

    Some denominator consistent with the printed value must reproduce the
    printed value AND both printed limits at the published precision (1 d.p.).
    """
    ns = _denominators_for(count, value, 100)
    out = proportion_ci(np.full(ns.size, count), ns, conf=0.95, multiplier=100)
    match = ((round_half_up(out["value"]) == value)
             & (round_half_up(out["lower"]) == lower)
             & (round_half_up(out["upper"]) == upper))
    assert match.any(), f"seed 003 line {line}: no denominator reproduces {lower}-{upper}"


def test_seed_has_enough_proportion_rows():
    assert len(PROPORTION_ROWS) >= 90


RATE_ROWS = _seed_rows("per 100,000")
# TB rows (seed lines 4513, 4514, 4520, 4522, 4523) whose printed limits are not
# reproduced by Byar's (or the exact) method for any denominator consistent with
# the printed rate: one limit is off by 0.1 at a rounding boundary. (Treating the
# pooled rate as a proportion, Wilson's limits would reproduce 21 of the 22 rows,
# 4514 still failing, which suggests the report used narrower limits than the
# Poisson ones; OHID's guidance prescribes Byar for crude rates, so we keep
# Byar.) Kept visible as strict expected failures, not hidden.
TB_UNREPRODUCED = {4513, 4514, 4520, 4522, 4523}


@pytest.mark.parametrize(
    "line,count,value,lower,upper",
    [pytest.param(*r, marks=pytest.mark.xfail(strict=True, reason="printed limit off by 0.1"))
     if r[0] in TB_UNREPRODUCED else r for r in RATE_ROWS],
    ids=[f"seed003-L{r[0]}" for r in RATE_ROWS],
)
def test_byar_reproduces_published_tb_rates(line, count, value, lower, upper):
    """TB incidence, crude rate per 100,000 (three-year pooled), counts >= 10."""
    ns = _denominators_for(count, value, 100_000)
    out = rate_ci(np.full(ns.size, count), ns, conf=0.95, multiplier=100_000)
    match = ((round_half_up(out["value"]) == value)
             & (round_half_up(out["lower"]) == lower)
             & (round_half_up(out["upper"]) == upper))
    assert match.any(), f"seed 003 line {line}"


# ---------------------------------------------------------------------------
# Reference cases: exact Poisson and Byar [EPITOOLS], [OHID-CI]
# ---------------------------------------------------------------------------

def test_exact_poisson_zero_count_upper_limit():
    out = poisson_limits(0, conf=0.95)
    assert out["lower"].iloc[0] == 0.0
    assert round(out["upper"].iloc[0], 3) == 3.689  # [EPITOOLS]


def test_byar_within_0_2_percent_of_exact_for_10_or_more():
    """[OHID-CI] Appendix 1: Byar within 0.2% of exact for numerators >= 10 (95%)."""
    from scipy.stats import chi2

    o = np.arange(10, 2001, dtype=float)
    byar = poisson_limits(o, conf=0.95)
    exact_lo = chi2.ppf(0.025, 2 * o) / 2
    exact_hi = chi2.ppf(0.975, 2 * o + 2) / 2
    assert np.all(np.abs(byar["lower"] / exact_lo - 1) < 0.002)
    assert np.all(np.abs(byar["upper"] / exact_hi - 1) < 0.002)


def test_rate_ci_switches_to_exact_below_ten():
    from scipy.stats import chi2

    out = rate_ci([9, 10], [1000, 1000], multiplier=1000)
    # count 9: exact chi-square limits (OHID "Rates": counts of less than 10)
    assert out["lower"].iloc[0] == pytest.approx(chi2.ppf(0.025, 18) / 2)
    assert out["upper"].iloc[0] == pytest.approx(chi2.ppf(0.975, 20) / 2)
    # count 10: Byar's formula (OHID "Rates": counts of 10 or greater)
    z = 1.959963984540054
    assert out["lower"].iloc[1] == pytest.approx(10 * (1 - 1 / 90 - z / (3 * math.sqrt(10))) ** 3)
    assert out["upper"].iloc[1] == pytest.approx(11 * (1 - 1 / 99 + z / (3 * math.sqrt(11))) ** 3)


# ---------------------------------------------------------------------------
# Reference cases: ESP 2013 and DSR rules [ESP2013], [MORRIS]
# ---------------------------------------------------------------------------

def test_esp2013_weights_match_eurostat():
    assert ESP2013.tolist() == [5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000,
                                7000, 7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000]
    assert ESP2013.sum() == 100_000
    assert ESP2013.index[0] == "0-4" and ESP2013.index[-1] == "90+"


def _long(areas: dict[str, tuple[list[float], list[float]]]) -> pd.DataFrame:
    rows = []
    for area, (xs, ns) in areas.items():
        for band, x, n in zip(ESP2013.index, xs, ns):
            rows.append({"area": area, "age": band, "x": x, "n": n})
    return pd.DataFrame(rows)


def test_dsr_withheld_under_10_with_reason():
    xs = [0] * 18 + [9]
    df = _long({"A": (xs, [1000] * 19)})
    out = dsr(df, "x", "n", by="area")
    assert np.isnan(out["value"].iloc[0]) and np.isnan(out["lower"].iloc[0])
    assert out["count"].iloc[0] == 9
    assert "under 10" in out["note"].iloc[0]


def test_dsr_constant_rate_equals_that_rate_and_dobson_reduces_to_byar():
    # equal age-specific rates: the DSR equals the common rate (any weights);
    # with equal weights and populations Dobson's limits equal Byar's limits on
    # the crude rate (Dobson et al. 1991: the DSR is then a multiple of the count)
    df = _long({"A": ([10] * 19, [10_000] * 19)})
    assert dsr(df, "x", "n", by="area")["value"].iloc[0] == pytest.approx(100.0)
    out = dsr(df, "x", "n", stdpop=[1] * 19, by="area")
    crude = rate_ci(190, 190_000)
    assert out["value"].iloc[0] == pytest.approx(100.0)
    assert out["lower"].iloc[0] == pytest.approx(crude["lower"].iloc[0])
    assert out["upper"].iloc[0] == pytest.approx(crude["upper"].iloc[0])


def test_dsr_by_groups_and_age_labels_any_order():
    xs = list(range(1, 20))
    df = _long({"A": (xs, [1000] * 19), "B": ([2 * v for v in xs], [1000] * 19)})
    shuffled = df.sample(frac=1.0, random_state=1)
    a = dsr(df, "x", "n", by="area")
    b = dsr(shuffled, "x", "n", by="area", age="age").set_index("area").loc[["A", "B"]]
    np.testing.assert_allclose(a["value"], b["value"].to_numpy())
    assert a["value"].iloc[1] == pytest.approx(2 * a["value"].iloc[0])
    expected = (ESP2013.to_numpy() * np.array(xs) / 1000).sum() / 100_000 * 100_000
    assert a["value"].iloc[0] == pytest.approx(expected)


def test_dsr_other_standard_population_and_band_mismatch():
    df = pd.DataFrame({"x": [10, 20, 30], "n": [1000, 1000, 1000]})
    out = dsr(df, "x", "n", stdpop=[1, 1, 2])
    assert out["value"].iloc[0] == pytest.approx((0.01 + 0.02 + 2 * 0.03) / 4 * 1e5)
    with pytest.raises(ValueError, match="stdpop: age bands do not match"):
        dsr(df, "x", "n")  # 3 rows against the 19 ESP bands
    bad = _long({"A": ([5] * 19, [100] * 19)})
    bad.loc[3, "age"] = "15-20"
    with pytest.raises(ValueError, match="age band not in"):
        dsr(bad, "x", "n", age="age")


def test_dsr_errors_name_argument_and_row():
    df = _long({"A": ([5] * 19, [100] * 19)})
    df.loc[7, "x"] = -1
    with pytest.raises(ValueError, match=r"x: negative count at row 7"):
        dsr(df, "x", "n", by="area")
    df.loc[7, "x"] = 1
    df.loc[4, "n"] = 0
    with pytest.raises(ValueError, match=r"n: zero or negative denominator at row 4"):
        dsr(df, "x", "n", by="area")


def test_dsr_dobson_reproduces_fay_feuer_example():
    """[FAY-FEUER] 740 cases in 6 maternal-age bands, weights = all births.

    The published limits apply Dobson's method to exact Poisson limits for the
    total count; we apply it to Byar's limits, as OHID does for totals of 10
    or more. Byar's limits for 740 differ from the exact ones in the 6th
    significant figure, so the DSR limits agree to 2e-4 per 100,000 while the
    value agrees to all 5 printed decimals.
    """
    df = pd.DataFrame({
        "x": [0, 8, 63, 112, 262, 295],
        "n": [327, 30666, 123419, 149919, 104088, 34392],
        "w": [319933, 931318, 786511, 488235, 237863, 61313],
    })
    out = dsr(df, "x", "n", stdpop="w").iloc[0]
    assert out["count"] == 740
    assert out["value"] == pytest.approx(75.52901, abs=5e-6)
    assert out["lower"] == pytest.approx(67.63284, abs=2e-4)
    assert out["upper"] == pytest.approx(83.86703, abs=2e-4)
    assert out["note"] == ""


SAS_US_PYEARS = [30854207, 40199647, 40945028, 19948630, 6106351,
                 29399168, 38876268, 41881451, 22717040, 10494416]
SAS_STATES = {
    # state: (deaths by sex x age band, person-years, published count, pyears, DSR per 1,000)
    "Alaska": ([37, 68, 206, 369, 556, 78, 181, 395, 555, 479],
               [81205, 93662, 108615, 35139, 5491, 77203, 85412, 100386, 32118, 7701],
               2924, 626932, 8.0693),
    "Florida": ([1189, 2962, 10279, 26354, 42443, 906, 1234, 5630, 18309, 53489],
                [1505889, 1972157, 2197912, 1383533, 554632,
                 1445831, 1870430, 2246737, 1612270, 868838],
                162795, 15658229, 7.7342),
}


def test_dsr_values_reproduce_sas_alaska_florida():
    """[SAS-DIRECT] two groups in one call, 10 age-sex strata, per 1,000."""
    rows = [{"state": st, "stratum": i, "x": x, "n": n}
            for st, (xs, ns, *_) in SAS_STATES.items() for i, (x, n) in enumerate(zip(xs, ns))]
    out = dsr(pd.DataFrame(rows), "x", "n", stdpop=SAS_US_PYEARS, by="state",
              multiplier=1000).set_index("state")
    for state, (*_, count, pyears, value) in SAS_STATES.items():
        assert out.loc[state, "count"] == count
        assert out.loc[state, "denominator"] == pyears
        assert out.loc[state, "value"] == pytest.approx(value, abs=5e-5)


# ---------------------------------------------------------------------------
# ISR / ISRatio
# ---------------------------------------------------------------------------

SAS_FLORIDA_C43 = pd.DataFrame({
    "age": ["00-04", "05-14", "15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+"],
    "x": [0, 0, 4, 14, 43, 72, 70, 126, 136, 73],
    "n": [953785, 1997935, 1885014, 1957573, 2356649, 2088000, 1548371, 1447432, 1087524, 335944],
    "ref_x": [0, 1, 41, 186, 626, 1199, 1303, 1637, 1624, 803],
    "ref_n": [19175798, 41077577, 39183891, 39892024, 45148527, 37677952, 24274684,
              18390986, 12361180, 4239587],
})
# printed: expected events (3 d.p.); study crude rate per 100,000 (4 d.p.)
SAS_EXPECTED = [0.000, 0.049, 1.972, 9.127, 32.676, 66.445, 83.112, 128.837, 142.878, 63.630]
SAS_STUDY_RATE = [0.0000, 0.0000, 0.2122, 0.7152, 1.8246, 3.4483, 4.5209, 8.7051, 12.5055, 21.7298]
# printed stratum SMRs (4 d.p.) for 15-24 ... 55-64
SAS_STRATUM_SMR = {"15-24": 2.0280, "25-34": 1.5339, "35-44": 1.3160, "45-54": 1.0836,
                   "55-64": 0.8422}


def test_isratio_reproduces_sas_expected_events_and_stratum_smrs():
    """[SAS-INDIRECT] each age band as its own group, then the state as one."""
    df = SAS_FLORIDA_C43
    by_band = isratio(df, "x", "n", "ref_x", "ref_n", by="age").set_index("age")
    np.testing.assert_allclose(by_band.loc[df["age"], "expected"], SAS_EXPECTED, atol=5e-4)
    for band, smr in SAS_STRATUM_SMR.items():
        assert by_band.loc[band, "value"] == pytest.approx(smr, abs=5e-5)
    # within one band the indirectly standardised rate (SMR x reference rate)
    # is the band's own crude rate; band 00-04 has no expected events
    rates = isr(df, "x", "n", "ref_x", "ref_n", by="age").set_index("age")
    np.testing.assert_allclose(rates.loc[df["age"][1:], "value"], SAS_STUDY_RATE[1:], atol=5e-5)
    assert np.isnan(rates.loc["00-04", "value"])
    whole = isratio(df, "x", "n", "ref_x", "ref_n").iloc[0]
    assert whole["observed"] == 538
    assert whole["expected"] == pytest.approx(sum(SAS_EXPECTED), abs=10 * 5e-4)


def test_isratio_and_isr():
    df = pd.DataFrame({"area": ["A", "A", "B", "B"], "x": [30, 20, 5, 3],
                       "n": [1000, 2000, 500, 100]})
    ref_x, ref_n = [100, 50], [10_000, 10_000]
    out = isratio(df, "x", "n", ref_x, ref_n, by="area")
    # A: expected = 1000*0.01 + 2000*0.005 = 20, observed 50
    assert out["expected"].iloc[0] == pytest.approx(20.0)
    assert out["value"].iloc[0] == pytest.approx(2.5)
    lim = poisson_limits(50)
    assert out["lower"].iloc[0] == pytest.approx(lim["lower"].iloc[0] / 20)
    # B: observed 8 < 10 -> exact limits
    limb = poisson_limits(8)
    exp_b = 500 * 0.01 + 100 * 0.005
    assert out["upper"].iloc[1] == pytest.approx(limb["upper"].iloc[0] / exp_b)
    rate = isr(df, "x", "n", ref_x, ref_n, by="area")
    ref_rate = 150 / 20_000 * 100_000
    assert rate["value"].iloc[0] == pytest.approx(2.5 * ref_rate)
    smr = isratio(df, "x", "n", ref_x, ref_n, by="area", multiplier=100)
    assert smr["value"].iloc[0] == pytest.approx(250.0)


# ---------------------------------------------------------------------------
# vectorisation, NaN, errors
# ---------------------------------------------------------------------------

def test_vectorised_equals_scalar_and_index_kept():
    x = pd.Series([5, 50, 500, np.nan], index=["a", "b", "c", "d"])
    n = pd.Series([100, 1000, 10_000, 100], index=["a", "b", "c", "d"])
    for fn in (proportion_ci, rate_ci):
        vec = fn(x, n, conf=0.998)
        assert list(vec.index) == ["a", "b", "c", "d"]
        for key in "abc":
            one = fn(float(x[key]), float(n[key]), conf=0.998)
            np.testing.assert_allclose(vec.loc[key].to_numpy(), one.iloc[0].to_numpy())
        assert vec.loc["d"].isna().all()  # NaN in, NaN out, row kept


def test_many_areas_periods_and_sexes_in_one_call():
    """A long table indexed by (area, period, sex): one call, rows and index kept."""
    index = pd.MultiIndex.from_product(
        [["E10000018", "E07000129"], ["2022/23", "2023/24"], ["Male", "Female"]],
        names=["area", "period", "sex"])
    x = pd.Series([3349, 3656, 3370, 3487, 40, 45, 38, np.nan], index=index)
    n = pd.Series([4563, 4519, 4554, 4252, 90, 100, 85, 95], index=index)
    for fn, kwargs in ((proportion_ci, {"conf": 0.95}), (rate_ci, {"conf": 0.998})):
        out = fn(x, n, **kwargs)
        assert out.index.equals(index)
        for key in index[:-1]:
            one = fn(x[key], n[key], **kwargs).iloc[0]
            np.testing.assert_allclose(out.loc[key].to_numpy(), one.to_numpy())
        assert out.loc[("E07000129", "2023/24", "Female")].isna().all()


def test_99_8_wider_than_95():
    a = proportion_ci(30, 100, conf=0.95)
    b = proportion_ci(30, 100, conf=0.998)
    assert b["lower"].iloc[0] < a["lower"].iloc[0] < a["upper"].iloc[0] < b["upper"].iloc[0]


@pytest.mark.parametrize("fn", [proportion_ci, rate_ci])
def test_input_errors(fn):
    with pytest.raises(ValueError, match=r"x: negative count at row 1"):
        fn([1, -1], [10, 10])
    with pytest.raises(ValueError, match=r"n: zero or negative denominator at row 0"):
        fn([1, 1], [0, 10])
    with pytest.raises(ValueError, match=r"conf: confidence level"):
        fn(1, 10, conf=95)
    with pytest.raises(ValueError, match=r"mismatched lengths"):
        fn([1, 2, 3], [10, 10])


def test_proportion_numerator_above_denominator_names_row():
    with pytest.raises(ValueError, match=r"x: numerator greater than denominator n at row 'b'"):
        proportion_ci(pd.Series([1, 11], index=["a", "b"]), pd.Series([10, 10], index=["a", "b"]))


# ---------------------------------------------------------------------------
# means and quantiles
# ---------------------------------------------------------------------------

SLEEP_DRUG_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_DRUG_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_mean_ci_reproduces_r_paired_t_interval():
    """[R-SLEEP] mean -1.58, 95% CI -2.4598858 to -0.7001142 (7 d.p. printed)."""
    diff = np.subtract(SLEEP_DRUG_1, SLEEP_DRUG_2)
    out = mean_ci(diff).iloc[0]
    assert out["value"] == pytest.approx(-1.58, abs=5e-9)
    assert out["lower"] == pytest.approx(-2.4598858, abs=5e-8)
    assert out["upper"] == pytest.approx(-0.7001142, abs=5e-8)
    # t = mean / (sd / sqrt(n)), printed -4.0621
    assert out["value"] / (out["sd"] / math.sqrt(out["count"])) == pytest.approx(-4.0621, abs=5e-5)


def test_mean_ci_matches_spss_one_sample_statistics():
    """[SPSS-ONE] mean, standard deviation and standard error as printed (4 d.p.);
    the limits are the mean plus or minus t(0.975, 9) standard errors."""
    from scipy.stats import t

    mean, sd, se = 5.2000, 1.1353, 0.3590
    out = mean_ci([6, 5, 4, 3, 7, 5, 5, 5, 6, 6]).iloc[0]
    assert out["count"] == 10
    assert out["value"] == pytest.approx(mean, abs=5e-5)
    assert out["sd"] == pytest.approx(sd, abs=5e-5)
    assert out["sd"] / math.sqrt(10) == pytest.approx(se, abs=5e-5)
    assert out["upper"] - out["value"] == pytest.approx(t.ppf(0.975, 9) * se, abs=5e-4)


def test_mean_ci_student_t():
    from scipy.stats import t

    vals = [1.0, 2.0, 3.0, 4.0, 5.0, np.nan]
    out = mean_ci(vals)
    half = t.ppf(0.975, 4) * math.sqrt(2.5) / math.sqrt(5)
    assert out["value"].iloc[0] == 3.0 and out["count"].iloc[0] == 5
    assert out["lower"].iloc[0] == pytest.approx(3.0 - half)
    grouped = mean_ci([1, 2, 3, 10, 20, 30], by=["a", "a", "a", "b", "b", "b"])
    assert grouped.loc["b", "value"] == 20.0


def test_quantiles_phe_method():
    # 10 distinct values into quintiles: two per quintile; invert=True puts the
    # highest values in quintile 1 (PHEindicatormethods phe_quantile default)
    vals = np.arange(10.0)
    assert quintiles(vals).tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert quantiles(vals, 5, invert=False).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # NaN kept as NaN; too few values for the number of quantiles -> NaN
    q = quantiles([1.0, np.nan, 3.0], 10)
    assert q.isna().all()
    byq = quantiles(np.r_[np.arange(5.0), np.arange(5.0)], 5, by=["r1"] * 5 + ["r2"] * 5)
    assert byq.tolist() == [5, 4, 3, 2, 1] * 2


QTOOL = pd.read_csv(REFERENCE / "phe_quantile_tool_deciles.csv")


def _qtool_groups(complete: bool, enough: bool) -> list:
    groups = []
    for (ind, region), g in QTOOL.groupby(["indicator_id", "region_code"]):
        has_blank = g["value"].isna().any()
        if complete == (not has_blank) and enough == (g["value"].count() >= 10):
            groups.append(pytest.param(g, id=f"{ind}-{region}"))
    return groups


def _tool_deciles(g: pd.DataFrame) -> pd.Series:
    # the worst area is decile 1: the highest value when low is good
    return quantiles(g["value"], 10, invert=g["polarity"].iloc[0] == "low")


def test_quantile_reference_file_is_transcribed_faithfully():
    """The tool's own rank column must follow from the transcribed values."""
    for _, g in QTOOL.groupby(["indicator_id", "region_code"]):
        v = g["value"]
        worst_first = (v.max() - v) if g["polarity"].iloc[0] == "low" else v
        valued = v.notna()
        assert (worst_first[valued].rank(method="min") == g["rank_in_region"][valued]).all()
        assert (g["areas_in_tool"][valued] == len(g)).all()


@pytest.mark.parametrize("g", _qtool_groups(complete=True, enough=True))
def test_quantiles_match_phe_quantile_tool(g):
    """[PHE-QTOOL] 12 regional groups, 220 areas, every decile as the tool printed."""
    assert _tool_deciles(g).tolist() == g["tool_decile"].tolist()


@pytest.mark.parametrize("g", _qtool_groups(complete=True, enough=False))
def test_quantiles_withheld_when_fewer_areas_than_quantiles(g):
    """East Midlands has 9 areas. The Excel tool still numbers them 1-9;
    PHEindicatormethods::phe_quantile (the maintained OHID implementation)
    returns NA with a warning when a group has fewer areas than quantiles, and
    so do we: a 'decile' of 9 areas is not a decile."""
    assert len(g) == 9 and g["tool_decile"].notna().all()
    assert _tool_deciles(g).isna().all()


@pytest.mark.parametrize("g", _qtool_groups(complete=False, enough=True))
def test_quantiles_count_only_areas_with_values(g):
    """London and the South West include an area with no value (City of London,
    Isles of Scilly). The Excel tool counted the blank area in N (its
    'number of areas' column is one more than the areas ranked), which moves
    some boundaries; PHEindicatormethods counts areas with values only. We
    follow PHEindicatormethods: the blank area gets no decile, the worst area is
    decile 1, the best decile 10, and the deciles agree with the tool's wherever
    N and N + 1 give the same decile.
    """
    ours = _tool_deciles(g)
    blank = g["value"].isna()
    assert ours[blank].isna().all()
    assert ours[g["rank_in_region"] == 1].tolist() == [1]
    assert ours[g["rank_in_region"] == g["rank_in_region"].max()].tolist() == [10]
    n = int(g["value"].count())
    rank = g["rank_in_region"][~blank]

    def decile(size: int) -> pd.Series:
        return np.maximum(np.floor(11 - np.ceil((size + 1 - rank) / (size / 10))), 1)

    # the tool's printed deciles are the formula with N + 1 areas ...
    assert (decile(n + 1) == g["tool_decile"][~blank]).all()
    # ... and ours agree with them wherever N and N + 1 give the same decile
    stable = decile(n) == decile(n + 1)
    assert stable.any()
    assert (ours[~blank][stable] == g["tool_decile"][~blank][stable]).all()
