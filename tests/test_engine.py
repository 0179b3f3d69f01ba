"""Tests for jsna.engine.

Reference cases use published values, never the engine's own output:

* [SEED003-SERIES] tests/reference/hpar_fingertips_series.csv (copy of
  ../shared/notes/seed-003-data/hpar_fingertips_series.csv): OHID Fingertips charts printed in
  the Leicestershire Health Protection Assurance Report, with count, value, 95% limits, the
  England value and the recent-trend marker Fingertips printed (``recent_trend_as_printed``),
  each row citing its seed line (``source_line``).
* [SEED003-L471] /work/shared/notes/seed-003-notes.md line 471 (JHWS text [L593]):
  "Screening coverage performance in Leicestershire is significantly better than the national
  average, except for the Newborn and infant physical examination (NIPE) screening indicator."
* [OHID-TREND] OHID, Fingertips public health technical guidance, "Fingertips trend markers":
  the latest five points, significance at 99.8%, and a significant gradient discarded when
  leaving out any one point reverses its sign (as PHEindicatormethods::assign_trend_markers).
* [R-PROPTREND] R ``stats::prop.trend.test`` help-page example (smokers 83, 90, 129, 70 of
  86, 93, 136, 82 patients, scores 1..4), printed output posted by Rui Barradas to R-help on
  8 September 2023: "X-squared = 8.2249, df = 1, p-value = 0.004132".
* [PHE-QTOOL] tests/reference/phe_quantile_tool_deciles.csv: deciles within region and ranks
  within region printed by the PHE quantile tool (Excel) for PHOF 4.05i (low is good) and
  0.1ii (high is good), copied from ukhsa-collaboration/PHEindicatormethods fd_quantiles.csv
  (commit 6485d10adc2c940698f6677e33c6eb72055e3325); see tests/reference/README.md.

The engine must also agree, case for case, with jsna.compare.compare and
jsna.compare.recent_trend (tested against the same publications in tests/test_compare.py)
and with numpy.percentile (the linear method the spine charts' ranges have always used).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jsna import engine
from jsna.compare import POLARITIES, TREND_LABELS, chi_square_trend, compare, recent_trend
from jsna.engine import (DIRECTION_JUDGEMENTS, DIRECTIONS, JUDGEMENTS, KEY, NO_ROLE, SERIES,
                         SIGNIFICANCE, TREND_METHODS, TRENDS, evaluate, trends)
from jsna.stats import proportion_ci

REFERENCE = Path(__file__).parent / "reference"
HPAR = REFERENCE / "hpar_fingertips_series.csv"
QTOOL = REFERENCE / "phe_quantile_tool_deciles.csv"
AREA, ENGLAND = "Leicestershire", "England"
#: Rolling three-year periods as the HPAR prints them ("2001 - 03").
ROLLING = re.compile(r"^\d{4} - \d{2}$")
#: compare.recent_trend's labels, and the printed Fingertips markers, as engine categories.
TREND_CODE = dict(zip(TREND_LABELS, TRENDS)) | {
    "Increasing & getting better": "increasing_better",
    "Decreasing & getting worse": "decreasing_worse",
    "Could not be calculated": "cannot_calculate",
}
#: compare.compare's labels as (significance, judgement) categories.
COMPARE_CODE = {
    "Better": {("higher", "better"), ("lower", "better")},
    "Worse": {("higher", "worse"), ("lower", "worse")},
    "Higher": {("higher", "not_judged")},
    "Lower": {("lower", "not_judged")},
    "Similar": {("similar", "similar")},
}


def _hpar() -> pd.DataFrame:
    """The HPAR series as engine values: Leicestershire rows (NaN where printed "-") and
    England rows; denominators of the percentages as tests/test_compare.py derives them."""
    df = pd.read_csv(HPAR, dtype=str).replace("-", np.nan)
    for c in ("count", "value", "lower_ci_95", "upper_ci_95", "england"):
        df[c] = df[c].astype(float)
    pct = df["unit"] == "%"
    df["denominator"] = (df["count"] / (df["value"] / 100)).round().where(pct)
    common = {"indicator_id": df["indicator"], "period": df["period"], "sex": "Persons",
              "age": "All ages"}
    area = pd.DataFrame({**common, "area_code": AREA, "value": df["value"],
                         "lower_ci95": df["lower_ci_95"], "upper_ci95": df["upper_ci_95"],
                         "count": df["count"], "denominator": df["denominator"],
                         "source_line": df["source_line"], "printed": df["recent_trend_as_printed"]})
    england = pd.DataFrame({**common, "area_code": ENGLAND, "value": df["england"],
                            "lower_ci95": np.nan, "upper_ci95": np.nan})
    return pd.concat([area, england], ignore_index=True)


def _hpar_meta(values: pd.DataFrame, polarity: str | None = None) -> pd.DataFrame:
    """Coverage is higher-is-better and TB incidence lower-is-better (unless `polarity`)."""
    ids = values["indicator_id"].drop_duplicates()
    tb = ids.str.startswith("TB")
    return pd.DataFrame({"indicator_id": ids,
                         "polarity": polarity or np.where(tb, "lower_is_better", "higher_is_better"),
                         "value_type": np.where(tb, "crude_rate", "proportion")})


NATIONAL = pd.DataFrame({"area_code": [AREA], "comparator_code": [ENGLAND], "role": ["national"]})


def _frame(rows: list[tuple], polarity: str = "higher_is_better") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values from (area, value, lower, upper) rows of one indicator and period, and its meta."""
    values = pd.DataFrame(rows, columns=["area_code", "value", "lower_ci95", "upper_ci95"]).assign(
        indicator_id="i1", period="2024", sex="Persons", age="All ages")
    return values, pd.DataFrame({"indicator_id": ["i1"], "polarity": [polarity], "value_type": ["dsr"]})


def _versus(rows: list[tuple], comparator_code: str = "ENG", polarity: str = "higher_is_better") -> pd.DataFrame:
    """evaluate() of `rows` with every area but ENG compared with `comparator_code`."""
    values, meta = _frame(rows, polarity)
    areas = [a for a in values["area_code"] if a != "ENG"]
    comps = pd.DataFrame({"area_code": areas, "comparator_code": comparator_code, "role": "national"})
    return evaluate(values, meta, comps).query("role == 'national'").set_index("area_code")


# --------------------------------------------------------------------------- published significance


SCREENING_LATEST = [
    # [SEED003-L471]: (indicator prefix, seed line of the latest point, published judgement)
    ("Cancer screening coverage: breast cancer", "4350", "better"),
    ("Cancer screening coverage: bowel cancer", "4381", "better"),
    ("Cancer screening coverage: cervical cancer (aged 25 to 49)", "4417", "better"),
    ("Cancer screening coverage: cervical cancer (aged 50 to 64)", "4452", "better"),
    ("Abdominal Aortic Aneurysm screening coverage", "4484", "better"),
    ("Newborn and Infant Physical Examination (NIPE) screening coverage", "4314", "similar"),
]


@pytest.mark.parametrize("indicator,line,judgement", SCREENING_LATEST)
def test_screening_judgement_vs_england_is_as_published(indicator, line, judgement):
    values = _hpar()
    out = evaluate(values.drop(columns=["source_line", "printed"]), _hpar_meta(values), NATIONAL)
    lines = values.loc[values["area_code"] == AREA, ["indicator_id", "period", "source_line"]]
    row = out.merge(lines, on=["indicator_id", "period"]).query("source_line == @line").iloc[0]
    assert row["indicator_id"].startswith(indicator)
    assert row["judgement"] == judgement and row["tested"]
    assert row["significance"] == {"better": "higher", "similar": "similar"}[judgement]


@pytest.mark.parametrize("polarity", POLARITIES)
@pytest.mark.parametrize("conf", [0.95, 0.998])
def test_agrees_with_compare_on_every_reference_row(polarity, conf):
    """Every Leicestershire value of the HPAR file against England, at 95% (printed limits) and
    at 99.8% (Wilson limits of the printed counts, percentages only)."""
    values = _hpar().drop(columns=["source_line", "printed"])
    has = values["denominator"].notna()
    limits = proportion_ci(values["count"].where(has, 0), values["denominator"].where(has, 1), conf=0.998)
    values["lower_ci99_8"] = limits["lower"].where(has)
    values["upper_ci99_8"] = limits["upper"].where(has)
    lo, hi, suffix = ("lower_ci95", "upper_ci95", "") if conf == 0.95 else ("lower_ci99_8", "upper_ci99_8", "_99_8")
    area = values[(values["area_code"] == AREA) & values["value"].notna()]
    england = values[values["area_code"] == ENGLAND].set_index(["indicator_id", "period"])["value"]
    against = england.reindex(pd.MultiIndex.from_frame(area[["indicator_id", "period"]])).to_numpy()
    expected = compare(area["value"], area[lo], area[hi], against, polarity, conf=conf)

    out = evaluate(values, _hpar_meta(values, polarity), NATIONAL).query("role == 'national'")
    assert len(out) == len(area) > 90
    assert (out["period"].to_numpy() == area["period"].to_numpy()).all()
    got = list(zip(out[f"significance{suffix}"], out[f"judgement{suffix}"]))
    for label, pair in zip(expected, got):
        assert pair in COMPARE_CODE.get(label, {("not_tested", "not_tested")})
    assert {"Similar", "Better" if polarity == "higher_is_better" else "Worse" if polarity == "lower_is_better"
            else "Higher"} <= set(expected) or conf == 0.998


# --------------------------------------------------------------------------- published trends


def _trend_input(values: pd.DataFrame) -> pd.DataFrame:
    return values[values["area_code"] == AREA].drop(columns=["source_line", "printed"])


@pytest.mark.parametrize("indicator", pd.read_csv(HPAR)["indicator"].unique())
def test_trend_is_the_printed_fingertips_marker(indicator):
    """[SEED003-SERIES] all nine series, including the TB rolling averages that Fingertips
    could not calculate and NIPE's series that starts with unpublished years."""
    values = _hpar()
    series = values[(values["area_code"] == AREA) & (values["indicator_id"] == indicator)]
    out = trends(_trend_input(series), _hpar_meta(series), overlapping=lambda p: bool(ROLLING.match(p)))
    assert len(out) == 1
    assert out["trend"].iloc[0] == TREND_CODE[series["printed"].iloc[0]]
    assert out["latest_period"].iloc[0] == series["period"].iloc[-1]


def test_overlapping_periods_alone_make_tb_cannot_calculate():
    values = _hpar()
    tb = _trend_input(values[values["indicator_id"].str.startswith("TB")])
    assert trends(tb, _hpar_meta(tb))["trend"].iloc[0] != "cannot_calculate"
    marked = trends(tb, _hpar_meta(tb), overlapping=lambda p: bool(ROLLING.match(p)))
    assert marked["trend"].iloc[0] == "cannot_calculate" and np.isnan(marked["p_value"].iloc[0])
    assert marked["method"].iloc[0] == "none" and marked["direction"].iloc[0] == 0


def test_hpv_male_outlier_rule():
    """[SEED003-SERIES] HPV male is printed "No significant change" although the chi-square test
    on the five points is significant at 99.8%: [OHID-TREND]'s leave-one-out rule."""
    values = _hpar()
    hpv = _trend_input(values[values["indicator_id"] == "HPV one dose coverage 12-13y Male"])
    out = trends(hpv, _hpar_meta(hpv)).iloc[0]
    assert out["p_value"] < 0.002 and out["method"] == "chi_square"
    assert out["trend"] == "no_change"


def test_outlier_rule_both_methods():
    """[OHID-TREND]: the first point alone makes the fall significant; a steady fall is reported."""
    def series(area, value_type, count=None, value=None):
        k = len(count if count is not None else value)
        v = np.asarray(value if value is not None else np.asarray(count) / 10, dtype=float)
        return pd.DataFrame({"indicator_id": value_type, "area_code": area, "period": [str(2020 + i) for i in range(k)],
                             "sex": "Persons", "age": "All ages", "value": v, "lower_ci95": v - 1, "upper_ci95": v + 1,
                             "count": count, "denominator": 1000.0})
    values = pd.concat([series("jump", "proportion", count=[900, 500, 510, 520, 530]),
                        series("steady", "proportion", count=[600, 560, 520, 480, 440]),
                        series("jump", "dsr", value=[80, 40, 41, 42, 43]),
                        series("steady", "dsr", value=[80, 70, 60, 50, 40])])
    meta = pd.DataFrame({"indicator_id": ["proportion", "dsr"], "polarity": "lower_is_better",
                         "value_type": ["proportion", "dsr"]})
    out = trends(values, meta).set_index(["indicator_id", "area_code"])
    assert out.loc[("proportion", "jump"), "p_value"] < 0.002
    assert out["trend"].to_dict() == {("proportion", "jump"): "no_change", ("proportion", "steady"): "decreasing_better",
                                      ("dsr", "jump"): "no_change", ("dsr", "steady"): "decreasing_better"}
    assert out["method"].tolist() == ["chi_square", "chi_square", "weighted_regression", "weighted_regression"]


def test_proportion_without_usable_counts_falls_back_to_the_limits():
    """A proportion with a missing count or a zero denominator among the latest five points is
    tested on its 95% limits (weighted regression), as recent_trend tests a mean."""
    v = np.array([40.0, 42, 44, 46, 48, 50])
    base = pd.DataFrame({"indicator_id": "i1", "period": [str(2018 + i) for i in range(6)], "sex": "Persons",
                         "age": "All ages", "value": v, "lower_ci95": v - 1, "upper_ci95": v + 1,
                         "count": v * 10, "denominator": 1000.0})
    values = pd.concat([base.assign(area_code="counts"),
                        base.assign(area_code="missing", count=[400, 420, np.nan, 460, 480, 500]),
                        base.assign(area_code="zero", denominator=[1000, 1000, 1000, 0, 1000, 1000],
                                    count=[400, 420, 440, 0, 480, 500])])
    meta = pd.DataFrame({"indicator_id": ["i1"], "polarity": ["higher_is_better"], "value_type": ["proportion"]})
    out = trends(values, meta).set_index("area_code")
    assert out["method"].to_dict() == {"counts": "chi_square", "missing": "weighted_regression",
                                       "zero": "weighted_regression"}
    expected = recent_trend(base, "mean", "higher_is_better", lower="lower_ci95", upper="upper_ci95")
    assert out.loc["missing", "trend"] == TREND_CODE[expected] == "increasing_better"


def test_flat_and_degenerate_proportions_show_no_change():
    """Equal proportions, and proportions of 0% or 100% throughout (no variance), are tested and
    show no significant change, as recent_trend says."""
    cases = {"flat": [100] * 5, "none": [0] * 5, "all": [1000] * 5}
    values = pd.concat([pd.DataFrame({"indicator_id": "i1", "area_code": area, "period": [str(2020 + i) for i in range(5)],
                                      "sex": "Persons", "age": "All ages", "value": np.array(x) / 10,
                                      "lower_ci95": np.nan, "upper_ci95": np.nan, "count": x, "denominator": 1000.0})
                        for area, x in cases.items()])
    meta = pd.DataFrame({"indicator_id": ["i1"], "polarity": ["higher_is_better"], "value_type": ["proportion"]})
    out = trends(values, meta).set_index("area_code")
    for area, g in values.groupby("area_code"):
        assert out.loc[area, "trend"] == TREND_CODE[recent_trend(g, "proportion", "higher_is_better")] == "no_change"
        assert out.loc[area, "p_value"] == 1.0 and out.loc[area, "direction"] == 0


def test_chi_square_matches_r_prop_trend_test():
    """[R-PROPTREND] p-value to 4 significant figures; the proportions fall, direction -1."""
    p, direction = engine._chi_square(np.array([[83.0, 90, 129, 70]]), np.array([[86.0, 93, 136, 82]]))
    assert p[0] == pytest.approx(0.004132, abs=5e-7)
    assert direction[0] == -1


# --------------------------------------------------------------------------- trends agree with recent_trend


def _windows(values: pd.DataFrame) -> pd.DataFrame:
    """Each HPAR series cut at every one of its periods, one pseudo-area per cut."""
    series = _trend_input(values)
    cuts = []
    for _, g in series.groupby("indicator_id", sort=False):
        for end in range(1, len(g) + 1):
            cuts.append(g.iloc[:end].assign(area_code=f"to {g['period'].iloc[end - 1]}"))
    return pd.concat(cuts, ignore_index=True)


def _recent(g: pd.DataFrame, method: str, polarity: str) -> str:
    if method == "chi_square":
        return recent_trend(g, "proportion", polarity)
    return recent_trend(g, "dsr", polarity, lower="lower_ci95", upper="upper_ci95")


@pytest.mark.parametrize("polarity", POLARITIES)
@pytest.mark.parametrize("counts", [True, False], ids=["chi_square", "weighted_regression"])
def test_trends_agree_with_recent_trend_on_every_reference_window(polarity, counts):
    """Every cut of every HPAR series (about 115 series of 1 to 22 points), by each method."""
    windows = _windows(_hpar())
    if not counts:
        windows = windows.assign(count=np.nan, denominator=np.nan)
    meta = _hpar_meta(windows, polarity)
    out = trends(windows, meta).set_index(["indicator_id", "area_code"])
    assert len(out) == len(windows.groupby(["indicator_id", "area_code"]))
    for (ind, area), g in windows.groupby(["indicator_id", "area_code"], sort=False):
        row = out.loc[(ind, area)]
        chi = counts and not ind.startswith("TB")
        assert row["trend"] == TREND_CODE[_recent(g, "chi_square" if chi else "regression", polarity)], (ind, area)
        if row["trend"] != "cannot_calculate":
            assert row["method"] == ("chi_square" if chi else "weighted_regression")
        if chi and len(g) >= 5 and g["count"].iloc[-5:].notna().all():
            p = chi_square_trend(g["count"].iloc[-5:], g["denominator"].iloc[-5:])[1]
            assert row["p_value"] == pytest.approx(p, rel=1e-12, abs=1e-300)
    assert {"no_change", "cannot_calculate"} < set(out["trend"])
    assert len(set(out["trend"])) >= 4


@pytest.mark.parametrize("polarity", POLARITIES)
def test_trends_agree_with_recent_trend_on_seeded_series(polarity):
    """600 random series near the 99.8% boundary, with outliers, gaps, and zero-width or inverted
    limits (which recent_trend cannot test)."""
    rng = np.random.default_rng(7)
    frames = []
    for s in range(600):
        k = int(rng.integers(3, 9))
        n = rng.integers(200, 5000, k).astype(float)
        p = np.clip(0.3 + rng.normal(0, 0.01) * np.arange(k) + rng.normal(0, 0.02, k), 0.01, 0.99)
        if s % 7 == 0:
            p[-int(rng.integers(1, min(k, 5) + 1))] += 0.2  # an outlying point
        x = rng.binomial(n.astype(int), p).astype(float)
        value = x / n * 100
        half = rng.uniform(0.5, 3, k) * (s % 11 != 0)  # every 11th series: zero-width intervals
        f = pd.DataFrame({"indicator_id": "prop" if s % 2 else "rate", "area_code": f"A{s}",
                          "period": [f"{2000 + i}" for i in range(k)], "sex": "Persons", "age": "All ages",
                          "value": value, "lower_ci95": value - half, "upper_ci95": value + half,
                          "count": x, "denominator": n})
        if s % 13 == 0:
            f.loc[f.index[-2], ["count", "value"]] = np.nan  # a gap among the latest five
        if s % 17 == 0:
            f.loc[f.index[-1], ["lower_ci95", "upper_ci95"]] = [value[-1] + 1, value[-1] - 1]  # inverted
        frames.append(f.sample(frac=1, random_state=s))  # row order must not matter
    values = pd.concat(frames, ignore_index=True)
    meta = pd.DataFrame({"indicator_id": ["prop", "rate"], "polarity": polarity, "value_type": ["proportion", "crude_rate"]})
    out = trends(values, meta).set_index("area_code")
    for area, g in values.groupby("area_code"):
        g = g.sort_values("period")
        prop = g["indicator_id"].iloc[0] == "prop"
        usable = prop and g["count"].iloc[-5:].notna().all()
        expected = _recent(g, "chi_square" if usable else "regression", polarity)
        assert out.loc[area, "trend"] == TREND_CODE[expected], area
    significant = out["trend"].isin(TRENDS[:6]).sum()
    assert significant > 20 and (out["trend"] == "no_change").sum() > 20


# --------------------------------------------------------------------------- peers: published deciles


def _range(values: pd.Series | list, polarity: str) -> dict[str, float]:
    """Worst, quartiles, median and best as the spine chart's range has them: numpy's linear
    percentiles; the worst is the highest value when lower is better, else the lowest."""
    v = np.asarray(values, dtype="float64")
    q25, median, q75 = np.percentile(v, [25, 50, 75])
    worst, best = (v.max(), v.min()) if polarity == "lower_is_better" else (v.min(), v.max())
    return {"worst": worst, "q25": q25, "median": median, "q75": q75, "best": best}


def _qtool() -> pd.DataFrame:
    q = pd.read_csv(QTOOL, dtype={"indicator_id": str})
    values = q.assign(period="2016-18", sex="Persons", age="All ages", lower_ci95=np.nan, upper_ci95=np.nan)
    meta = pd.DataFrame({"indicator_id": ["40501", "90366"], "polarity": ["lower_is_better", "higher_is_better"],
                         "value_type": "dsr"})
    peers = q[["area_code", "region_code"]].drop_duplicates().rename(columns={"region_code": "group"})
    empty = pd.DataFrame(columns=["area_code", "comparator_code", "role"])
    out = evaluate(values, meta, empty, peers)
    return out.merge(q[["indicator_id", "region_code", "area_code", "rank_in_region", "areas_in_tool", "tool_decile"]].astype(
        {"indicator_id": str}), on=["indicator_id", "area_code"], how="right")


def test_deciles_and_ranks_match_the_phe_quantile_tool():
    """[PHE-QTOOL] the 7 regions x 2 indicators with a value for each of 10 or more areas (188
    areas): every decile as the tool printed it, and the tool's rank (1 = worst) from the
    engine's rank_best (1 = best; the file has no tied values)."""
    out = _qtool()
    complete = out.groupby(["indicator_id", "region_code"])["value"].transform(lambda v: v.notna().all())
    checked = out[complete & (out["areas_in_tool"] >= 10)]
    assert len(checked) == 188 and not checked.duplicated(["indicator_id", "region_code", "value"]).any()
    assert (checked["decile"] == checked["tool_decile"]).all()
    assert (checked["n_peers"] + 1 - checked["rank_best"] == checked["rank_in_region"]).all()
    assert (checked["n_peers"] == checked["areas_in_tool"]).all()
    assert (out["role"].dropna() == NO_ROLE).all()


def test_deciles_withheld_under_ten_areas_and_blank_areas_not_counted():
    """[PHE-QTOOL] East Midlands (9 areas) gets no deciles, as PHEindicatormethods; London and
    the South West count only areas with a value (the tool's N includes the blank area), and the
    worst area is decile 1 and the best decile 10."""
    out = _qtool()
    em = out[out["region_code"] == "E12000004"]
    assert len(em) == 18 and em["decile"].isna().all() and (em["n_peers"] == 9).all()
    for _, g in out.groupby(["indicator_id", "region_code"]):
        if g["value"].isna().any():
            valued = g[g["value"].notna()]
            assert (valued["n_peers"] == valued["areas_in_tool"] - 1).all()
            assert valued.loc[valued["rank_in_region"] == 1, "decile"].tolist() == [1]
            assert valued.loc[valued["rank_in_region"].idxmax(), "decile"] == 10


def test_peer_ranges_agree_with_numpy():
    """Worst, quartiles, median and best of each regional group exactly as numpy gives them."""
    out = _qtool()
    for (ind, region), g in out.dropna(subset=["value"]).groupby(["indicator_id", "region_code"]):
        expected = _range(g["value"], "lower_is_better" if ind == "40501" else "higher_is_better")
        for name, value in expected.items():
            assert (g[name] == value).all(), (ind, region, name)
        assert (g["min"] == g["value"].min()).all() and (g["max"] == g["value"].max()).all()


@pytest.mark.parametrize("decimals", [1, None], ids=["ties", "no_ties"])
def test_percentiles_equal_numpy_on_random_groups(decimals):
    """Bit for bit, in 300 groups of 1 to 39 areas (one decimal place makes ties)."""
    rng = np.random.default_rng(3)
    sizes = rng.integers(1, 40, 300)
    raw = rng.normal(50, 10, sizes.sum())
    values = pd.DataFrame({"indicator_id": "i1", "period": "2024", "sex": "Persons", "age": "All ages",
                           "area_code": [f"A{i}" for i in range(sizes.sum())],
                           "value": raw if decimals is None else np.round(raw, decimals),
                           "lower_ci95": np.nan, "upper_ci95": np.nan})
    peers = pd.DataFrame({"area_code": values["area_code"], "group": np.repeat(np.arange(300), sizes)})
    meta = pd.DataFrame({"indicator_id": ["i1"], "polarity": ["no_judgement"]})
    out = evaluate(values, meta, pd.DataFrame(columns=["area_code", "comparator_code", "role"]), peers)
    for g, rows in out.groupby("group", observed=True):
        q25, median, q75 = np.percentile(rows["value"], [25, 50, 75])
        assert (rows["q25"] == q25).all() and (rows["median"] == median).all() and (rows["q75"] == q75).all()
        assert (rows["rank"] == rows["value"].rank(method="min", ascending=False)).all()


def test_percentiles_are_numpys_to_the_last_bit():
    """numpy interpolates from the upper neighbour when the fraction is 0.5 or more; starting
    from the lower one gives 42.025 and 50.099999999999994 here, not numpy's values."""
    groups = {"g1": [14.8, 51.1, 75.3, 82.0], "g2": [21.5, 28.2, 72.0, 83.6]}
    values = pd.DataFrame([(f"{g}{i}", v, np.nan, np.nan) for g, vs in groups.items() for i, v in enumerate(vs)],
                          columns=["area_code", "value", "lower_ci95", "upper_ci95"]).assign(
        indicator_id="i1", period="2024", sex="Persons", age="All ages")
    peers = values[["area_code"]].assign(group=values["area_code"].str[:2])
    meta = pd.DataFrame({"indicator_id": ["i1"], "polarity": ["higher_is_better"]})
    out = evaluate(values, meta, pd.DataFrame(columns=["area_code", "comparator_code", "role"]), peers)
    for g, vs in groups.items():
        row = out[out["group"] == g].iloc[0]
        expected = _range(vs, "higher_is_better")
        assert [row[k] for k in ("q25", "median", "q75")] == [expected[k] for k in ("q25", "median", "q75")]
    assert out.loc[out["group"] == "g1", "q25"].iloc[0] != 42.025
    assert out.loc[out["group"] == "g2", "median"].iloc[0] != 50.099999999999994


# --------------------------------------------------------------------------- hand-worked cases


def test_ranks_and_quartiles_hand_worked():
    """Four districts 10, 20, 20, 40 (lower is better): ties share the lowest rank; numpy's
    linear quartiles sit at positions 0.75, 1.5 and 2.25 of the sorted values."""
    rows = [("ENG", 15, 14, 16), ("D1", 10, 9, 11), ("D2", 20, np.nan, np.nan), ("D3", 20, 19, 21), ("D4", 40, 30, 50)]
    values, meta = _frame(rows, "lower_is_better")
    comps = pd.DataFrame({"area_code": ["D1", "D2", "D3", "D4"], "comparator_code": "ENG", "role": "national"})
    peers = pd.DataFrame({"area_code": ["D1", "D2", "D3", "D4"], "group": "county"})
    out = evaluate(values, meta, comps, peers).set_index("area_code")
    assert out.loc[["D1", "D2", "D3", "D4"], "rank"].tolist() == [4, 2, 2, 1]
    assert out.loc[["D1", "D2", "D3", "D4"], "rank_best"].tolist() == [1, 2, 2, 4]
    d1 = out.loc["D1"]
    assert (d1["min"], d1["q25"], d1["median"], d1["q75"], d1["max"]) == (10, 17.5, 20, 25, 40)
    assert (d1["worst"], d1["best"], d1["n_peers"]) == (40, 10, 4)
    assert np.isnan(d1["decile"])
    assert out.loc["ENG", "n_peers"] == 0 and np.isnan(out.loc["ENG", "rank"])
    # z: (10 - 15) / ((11 - 9) / (2 x 1.959964))
    assert d1["z"] == pytest.approx(-5 * 1.959964, rel=1e-6)
    assert d1["relative_difference"] == pytest.approx(-1 / 3)


@pytest.mark.parametrize("polarity,decile,rank_best", [
    ("higher_is_better", [1, 2, 2, 4, 5, 6, 7, 8, 9, 10], [10, 8, 8, 7, 6, 5, 4, 3, 2, 1]),
    ("lower_is_better", [10, 8, 8, 7, 6, 5, 4, 3, 2, 1], [1, 2, 2, 4, 5, 6, 7, 8, 9, 10]),
    ("no_judgement", [10, 8, 8, 7, 6, 5, 4, 3, 2, 1], [np.nan] * 10),
])
def test_deciles_hand_worked(polarity, decile, rank_best):
    """Ten areas 1, 2, 2, 4, ..., 10: with N = 10, decile = floor(11 - ceil((11 - r) / 1)) = r,
    r the worst-first rank (ties share the lowest), i.e. decile 1 = worst (no_judgement: highest)."""
    vals = [1, 2, 2, 4, 5, 6, 7, 8, 9, 10]
    values, meta = _frame([(f"A{i}", v, np.nan, np.nan) for i, v in enumerate(vals)], polarity)
    peers = pd.DataFrame({"area_code": values["area_code"], "group": "all"})
    out = evaluate(values, meta, pd.DataFrame(columns=["area_code", "comparator_code", "role"]), peers)
    assert out["decile"].tolist() == decile
    np.testing.assert_array_equal(out["rank_best"], rank_best)
    assert (out["worst"] == (10 if polarity == "lower_is_better" else 1)).all()
    assert (out["best"] == (1 if polarity == "lower_is_better" else 10)).all()


# --------------------------------------------------------------------------- edge cases


def test_missing_comparator():
    out = _versus([("ENG", np.nan, np.nan, np.nan), ("A", 10, 9, 11)])
    absent = _versus([("A", 10, 9, 11)], comparator_code="NOWHERE")
    for row in (out.loc["A"], absent.loc["A"]):
        assert (row["direction"], row["significance"], row["significance_99_8"], row["judgement"],
                row["direction_judgement"]) == ("not_compared",) * 5
        assert not row["tested"] and np.isnan(row["difference"]) and np.isnan(row["z"])
    assert absent.loc["A", "comparator_code"] == "NOWHERE" and np.isnan(absent.loc["A", "comparator_value"])


def test_missing_interval_is_not_tested_but_has_a_direction():
    out = _versus([("ENG", 10, 9, 11), ("A", 12, np.nan, np.nan), ("B", 8, 7, np.nan)], polarity="lower_is_better")
    for area, judged in (("A", "worse"), ("B", "better")):
        row = out.loc[area]
        assert not row["tested"] and row["significance"] == "not_tested" and row["judgement"] == "not_tested"
        assert row["direction_judgement"] == judged and np.isnan(row["z"])
    assert out.loc["A", "direction"] == "higher" and out.loc["A", "difference"] == 2


def test_equal_values_and_comparator_on_a_limit():
    out = _versus([("ENG", 10, 9, 11), ("A", 10, 9, 11), ("B", 10, np.nan, np.nan), ("C", 12, 10, 14),
                   ("D", 8, 6, 10)])
    assert out.loc["A", ["direction", "significance", "judgement"]].tolist() == ["same", "similar", "similar"]
    assert out.loc["A", "difference"] == 0 and out.loc["A", "z"] == 0
    assert out.loc["B", ["direction", "direction_judgement", "significance"]].tolist() == ["same", "same", "not_tested"]
    # a comparator exactly on a limit is inside the interval (Fingertips)
    assert out.loc[["C", "D"], "significance"].tolist() == ["similar", "similar"]


def test_zero_width_interval_is_tested_but_has_no_z():
    out = _versus([("ENG", 10, 9, 11), ("A", 12, 12, 12)])
    assert out.loc["A", "tested"] and out.loc["A", "significance"] == "higher" and np.isnan(out.loc["A", "z"])


def test_relative_difference_is_against_the_size_of_the_comparator():
    out = _versus([("ENG", 0, 0, 0), ("A", 2, 1, 3)])
    assert np.isnan(out.loc["A", "relative_difference"]) and out.loc["A", "significance"] == "higher"
    negative = _versus([("ENG", -4, -5, -3), ("A", -2, -3, -1)])
    assert negative.loc["A", "relative_difference"] == 0.5 and negative.loc["A", "direction"] == "higher"


@pytest.mark.parametrize("polarity,higher,lower", [("higher_is_better", "better", "worse"),
                                                   ("lower_is_better", "worse", "better"),
                                                   ("no_judgement", "not_judged", "not_judged")])
def test_polarity(polarity, higher, lower):
    out = _versus([("ENG", 10, 9, 11), ("UP", 20, 18, 22), ("DOWN", 5, 4, 6), ("SAME", 11, 9, 13)], polarity=polarity)
    assert out.loc[["UP", "DOWN", "SAME"], "judgement"].tolist() == [higher, lower, "similar"]
    assert out.loc[["UP", "DOWN", "SAME"], "direction_judgement"].tolist() == [higher, lower, higher]
    assert out.loc[["UP", "DOWN", "SAME"], "significance"].tolist() == ["higher", "lower", "similar"]


def test_significance_99_8_uses_its_own_limits():
    values, meta = _frame([("ENG", 10, np.nan, np.nan), ("A", 12, 11, 13), ("B", 12, 11, 13)])
    values["lower_ci99_8"] = [np.nan, 10.5, 9.5]
    values["upper_ci99_8"] = [np.nan, 13.5, 14.5]
    comps = pd.DataFrame({"area_code": ["A", "B"], "comparator_code": "ENG", "role": "national"})
    out = evaluate(values, meta, comps).set_index("area_code")
    assert out.loc[["A", "B"], "significance"].tolist() == ["higher", "higher"]
    assert out.loc[["A", "B"], "significance_99_8"].tolist() == ["higher", "similar"]
    assert out.loc[["A", "B"], "judgement_99_8"].tolist() == ["better", "similar"]


@pytest.mark.parametrize("columns", [("lower_ci95", "upper_ci95"), ("lower_ci99_8", "upper_ci99_8")])
def test_inverted_interval_names_indicator_area_and_period(columns):
    values, meta = _frame([("ENG", 10, 9, 11), ("A", 12, 11, 13)])
    values[list(columns)] = [[9, 11], [13, 11]]
    with pytest.raises(ValueError, match="indicator 'i1', area 'A', period '2024'"):
        evaluate(values, meta, pd.DataFrame({"area_code": ["A"], "comparator_code": ["ENG"], "role": ["national"]}))


def test_input_errors():
    values, meta = _frame([("ENG", 10, 9, 11), ("A", 12, 11, 13)])
    comps = pd.DataFrame({"area_code": ["A"], "comparator_code": ["ENG"], "role": ["national"]})
    with pytest.raises(ValueError, match="more than one row for indicator 'i1', area 'A'"):
        evaluate(pd.concat([values, values.iloc[[1]]]), meta, comps)
    with pytest.raises(ValueError, match="polarity"):
        evaluate(values, meta.assign(polarity="up"), comps)
    with pytest.raises(ValueError, match=r"no row for indicator\(s\) \['i1'\]"):
        evaluate(values, meta.assign(indicator_id="other"), comps)
    with pytest.raises(ValueError, match="more than one group"):
        evaluate(values, meta, comps, pd.DataFrame({"area_code": ["A", "A"], "group": ["x", "y"]}))
    with pytest.raises(ValueError, match="role 'national' more than once"):
        evaluate(values, meta, pd.concat([comps, comps]))
    with pytest.raises(ValueError, match="reserved"):
        evaluate(values, meta, comps.assign(role=NO_ROLE))
    with pytest.raises(ValueError, match=r"column\(s\) \['upper_ci95'\]"):
        evaluate(values.drop(columns="upper_ci95"), meta, comps)


def test_trend_errors():
    values = pd.DataFrame({"indicator_id": "i1", "area_code": "A", "period": ["2023", "2024"], "sex": "Persons",
                           "age": "All ages", "value": 50.0, "lower_ci95": 40.0, "upper_ci95": 60.0,
                           "count": [5.0, 20.0], "denominator": [10.0, 10.0]})
    meta = pd.DataFrame({"indicator_id": ["i1"], "polarity": ["no_judgement"], "value_type": ["proportion"]})
    with pytest.raises(ValueError, match="numerator greater than denominator at indicator 'i1', area 'A', period '2024'"):
        trends(values, meta)
    with pytest.raises(ValueError, match="more than one row"):
        trends(pd.concat([values, values]).assign(count=1.0), meta)


# --------------------------------------------------------------------------- shape of the output


def _random_catalogue(seed: int = 11) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Values for 30 areas x 4 indicators x 3 periods x 2 sexes, some missing, in random order,
    and comparators giving each area 0 to 3 roles."""
    rng = np.random.default_rng(seed)
    areas = [f"A{i:02d}" for i in range(30)]
    idx = pd.MultiIndex.from_product([[f"i{i}" for i in range(4)], areas, ["2022", "2023", "2024"],
                                      ["Male", "Female"], ["All ages"]], names=KEY).to_frame(index=False)
    n = len(idx)
    value = rng.normal(50, 10, n)
    half = rng.uniform(0.5, 8, n)
    values = idx.assign(value=np.where(rng.random(n) < 0.1, np.nan, value), lower_ci95=value - half,
                        upper_ci95=value + half)
    values.loc[rng.random(n) < 0.2, ["lower_ci95", "upper_ci95"]] = np.nan
    values = values.sample(frac=1, random_state=seed).reset_index(drop=True)
    roles = [(a, rng.choice(areas), role) for a in areas[3:] for role in ("national", "region", "parent")
             if rng.random() < 0.6]  # the first three areas have no comparator
    comps = pd.DataFrame(roles, columns=["area_code", "comparator_code", "role"])
    meta = pd.DataFrame({"indicator_id": [f"i{i}" for i in range(4)], "polarity": list(POLARITIES) + ["higher_is_better"]})
    return values, meta, comps


def test_no_row_lost_or_duplicated():
    values, meta, comps = _random_catalogue()
    out = evaluate(values, meta, comps)
    valued = values[values["value"].notna()]
    per_area = comps.groupby("area_code").size()
    expected = valued["area_code"].map(per_area).fillna(1)
    assert len(out) == expected.sum()
    assert not out.duplicated([*KEY, "role"]).any()
    assert set(map(tuple, out[list(KEY)].to_numpy())) == set(map(tuple, valued[list(KEY)].to_numpy()))
    no_role = set(valued["area_code"]) - set(comps["area_code"])
    assert no_role and set(out.loc[out["role"] == NO_ROLE, "area_code"]) == no_role
    assert (out["comparator_code"].isna() == (out["role"] == NO_ROLE)).all()
    # rows in the order of `values`, roles in the order of `comparators`
    first = out.drop_duplicates(list(KEY))[list(KEY)].reset_index(drop=True)
    pd.testing.assert_frame_equal(first, valued[list(KEY)].reset_index(drop=True), check_dtype=False)


def test_comparator_values_and_labels_agree_with_a_merge_and_compare():
    """An independent join (pandas merge) and a compare() call per polarity give the same rows."""
    values, meta, comps = _random_catalogue(12)
    out = evaluate(values, meta, comps).query("role != @NO_ROLE")
    joined = (values[values["value"].notna()].merge(comps, on="area_code")
              .merge(values[["indicator_id", "area_code", "period", "sex", "age", "value"]].rename(
                  columns={"area_code": "comparator_code", "value": "expected"}),
                  on=["indicator_id", "comparator_code", "period", "sex", "age"], how="left")
              .merge(meta, on="indicator_id"))
    both = out.merge(joined, on=[*KEY, "role"], suffixes=("", "_j"), validate="one_to_one")
    assert len(both) == len(out) == len(joined)
    np.testing.assert_array_equal(both["comparator_value"], both["expected"])
    assert (both["comparator_code"].astype(str) == both["comparator_code_j"]).all()
    for polarity, g in both.groupby("polarity"):
        labels = compare(g["value"], g["lower_ci95"], g["upper_ci95"], g["expected"], polarity)
        for label, sig, judged in zip(labels, g["significance"], g["judgement"]):
            assert (sig, judged) in COMPARE_CODE.get(label, {("not_tested", "not_tested"), ("not_compared", "not_compared")})


def test_output_vocabularies():
    values, meta, comps = _random_catalogue()
    out = evaluate(values, meta, comps, pd.DataFrame({"area_code": values["area_code"].unique(), "group": "all"}))
    for column, vocab in [("direction", DIRECTIONS), ("direction_judgement", DIRECTION_JUDGEMENTS),
                          ("significance", SIGNIFICANCE), ("significance_99_8", SIGNIFICANCE),
                          ("judgement", JUDGEMENTS), ("judgement_99_8", JUDGEMENTS)]:
        assert list(out[column].cat.categories) == list(vocab)
        assert out[column].notna().all()
    t = trends(values, meta.assign(value_type="mean"))
    assert list(t["trend"].cat.categories) == list(TRENDS)
    assert list(t["method"].cat.categories) == list(TREND_METHODS)
    assert len(t) == len(values.drop_duplicates(list(SERIES))) and not t.duplicated(list(SERIES)).any()


def test_trend_period_order_and_points():
    """Periods are ordered by `period_key`; string order would put "p10" before "p2"."""
    v = [10.0, 20, 30, 40, 50, 60, 70, 80, 90, 100, 5]
    values = pd.DataFrame({"indicator_id": "i1", "area_code": "A", "period": [f"p{i}" for i in range(1, 12)],
                           "sex": "Persons", "age": "All ages", "value": v,
                           "lower_ci95": [x - 1 for x in v], "upper_ci95": [x + 1 for x in v]})
    values.loc[0, "value"] = np.nan
    meta = pd.DataFrame({"indicator_id": ["i1"], "polarity": ["higher_is_better"], "value_type": ["dsr"]})
    by_number = trends(values, meta, period_key=lambda p: int(p[1:])).iloc[0]
    assert by_number["latest_period"] == "p11" and by_number["points"] == 10
    assert by_number["trend"] == "no_change"  # 70, 80, 90, 100, 5: the last point reverses it
    by_string = trends(values, meta).iloc[0]
    assert by_string["latest_period"] == "p9" and by_string["trend"] == "increasing_better"
