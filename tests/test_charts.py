"""Chart functions on small real data: spec encodings, sort order, significance labels, and alt
text / titles / tables whose numbers are the plotted data."""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import unquote

import altair as alt
import numpy as np
import pandas as pd
import pytest

from jsna import charts, compare, data, stats, text
from jsna.chapters import population
from jsna.page import context

COUNTY, ENGLAND = "E10000018", "E92000001"


# --------------------------------------------------------------------------- helpers


def layers(spec: dict) -> list[dict]:
    """Every unit (leaf) view of a spec, through layer / hconcat / vconcat."""
    out = []
    for key in ("layer", "hconcat", "vconcat"):
        for sub in spec.get(key, []):
            out += layers(sub)
    if "mark" in spec:
        out.append(spec)
    return out


def mark(view: dict) -> str:
    m = view["mark"]
    return m["type"] if isinstance(m, dict) else m


def dataset(spec: dict) -> list[dict]:
    (rows,) = spec["datasets"].values() if len(spec["datasets"]) == 1 else [max(spec["datasets"].values(), key=len)]
    return rows


def csv_frame(fig: charts.Figure) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(fig.csv()))


def numbers(s: str) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*\.?\d*", s)]


def assert_plotted_equals_table(fig: charts.Figure) -> None:
    """The CSV download holds exactly the rows and values of the plotted dataset."""
    rows = pd.DataFrame(dataset(fig.spec()))
    table = csv_frame(fig)
    assert len(rows) == len(table)
    assert list(table.columns) == list(fig.table.columns)
    for col_plot, col_table in zip(rows.columns, table.columns):
        a, b = rows[col_plot], table[col_table]
        if pd.api.types.is_numeric_dtype(b):
            pd.testing.assert_series_equal(pd.to_numeric(a).reset_index(drop=True), b.astype(float).reset_index(drop=True),
                                           check_names=False, check_dtype=False)
        else:
            assert a.fillna("").astype(str).tolist() == b.fillna("").astype(str).tolist()


@pytest.fixture(scope="module")
def ctx():
    return context("leicestershire", "jsna", "E07000133", "2025", "draft")


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    return data.load("indicators")


@pytest.fixture(scope="module")
def meta() -> pd.DataFrame:
    return data.load("indicator_meta").set_index("indicator_id")


@pytest.fixture(scope="module")
def names() -> pd.Series:
    return data.load("areas").set_index("area_code")["area_name"]


# --------------------------------------------------------------------------- theme


def test_one_theme_registered_and_enabled():
    assert charts.THEME in alt.theme.names()
    assert alt.theme.active == charts.THEME
    config = charts.jsna_theme()["config"]
    assert config["font"] == charts.FONT
    assert config["range"]["category"] == charts.PALETTE
    # every significance category has its own colour and its own shape
    assert len({c for c, _ in charts.SIGNIFICANCE.values()}) == len(charts.SIGNIFICANCE)
    assert len({s for _, s in charts.SIGNIFICANCE.values()}) == len(charts.SIGNIFICANCE)
    assert {"Better", "Similar", "Worse", "Higher", "Lower", "Not compared"} == set(charts.SIGNIFICANCE)


# --------------------------------------------------------------------------- compare areas


def _proportions_with_limits() -> pd.DataFrame:
    """Seven areas' 65+ counts out of their band totals, with Wilson limits from jsna.stats."""
    from jsna import stats

    counts = pd.DataFrame({"area": list("ABCDEFG"), "x": [240, 190, 210, 260, 205, 230, 300],
                           "n": [1000] * 7})
    lim = stats.proportion_ci(counts["x"], counts["n"])
    return pd.DataFrame({"area": counts["area"], "value": lim["value"], "lower": lim["lower"], "upper": lim["upper"]})


def test_compare_areas_with_intervals():
    share = _proportions_with_limits()
    share["significance"] = compare.compare(share["value"], share["lower"], share["upper"], 21.0).to_numpy()
    fig = charts.compare_areas(share, measure="Share aged 65 and over", unit="%", period="2023",
                               comparator=("England", 21.0), highlight="D", source="Source: test")
    spec = fig.spec()
    views = layers(spec)
    bars = next(v for v in views if mark(v) == "bar")
    # highest first, by the data's own order
    order = share.sort_values("value", ascending=False, kind="stable")["area"].tolist()
    assert bars["encoding"]["y"]["sort"] == order
    assert bars["encoding"]["x"]["field"] == "value"
    assert bars["encoding"]["color"]["field"] == "significance"
    # CI whiskers and the England line
    assert any(mark(v) == "rule" and v["encoding"].get("x2", {}).get("field") == "upper" for v in views)
    assert any(mark(v) == "rule" and v["encoding"]["x"].get("field") == "comparator_value" for v in views)
    # significance is labelled in text next to each bar, not only by colour
    assert any(mark(v) == "text" and "significance" in json.dumps(v.get("transform", [])) for v in views)
    rows = pd.DataFrame(dataset(spec)).set_index("area")
    # 300/1000 (27.2% to 32.9%) is above 21.0; 190/1000 (16.7% to 21.6%) straddles it
    assert rows.loc["G", "significance"] == "Higher" and rows.loc["B", "significance"] == "Similar"
    assert "England at 21.0%" in fig.alt_text
    assert "Highest: G (30.0%)" in fig.alt_text and "lowest: B (19.0%)" in fig.alt_text
    for label in set(rows["significance"]):
        assert text.significance_phrase(label, "England")[1:] in fig.alt_text
    assert fig.title.endswith(f"in D is {text.significance_phrase(rows.loc['D', 'significance'], 'England')} (2023)")
    assert_plotted_equals_table(fig)


def test_older_share_is_compared_without_significance(ctx):
    """Population estimates are counts of everyone, not samples: no intervals, no significance."""
    fig = population.older_share_figure(ctx)
    share = population.older_share(ctx.board)
    assert list(share.columns) == ["area", "value"]
    wide = population.population(ctx.board)
    eng = wide.loc[ENGLAND]
    eng_share = 100 * (eng["65-79"] + eng["80+"]) / eng[population.BANDS].sum()
    assert f"England at {text.format_value(eng_share, '%')}" in fig.alt_text
    assert "significantly" not in fig.title + fig.alt_text
    assert "no area is tested" in fig.alt_text
    assert_plotted_equals_table(fig)


def test_compare_areas_draws_the_labels_it_is_given():
    """The chart computes no significance: it colours, shapes and words the labels the engine gave."""
    df = pd.DataFrame({"area": ["A", "B", "C"], "value": [10.0, 5.0, 8.0], "lower": [9.0, 4.0, 6.0], "upper": [11.0, 6.0, 10.0]})
    df["significance"] = compare.compare(df["value"], df["lower"], df["upper"], 7.5, "lower_is_better").to_numpy()
    fig = charts.compare_areas(df, measure="Smoking prevalence", unit="%",
                               comparator=("England", 7.5), source="Source: test")
    rows = pd.DataFrame(dataset(fig.spec())).set_index("area")
    assert rows["significance"].to_dict() == {"A": "Worse", "B": "Better", "C": "Similar"}
    assert fig.title == "1 of 3 areas are significantly worse than England for smoking prevalence"
    unlabelled = charts.compare_areas(df.drop(columns="significance"), measure="Smoking prevalence", unit="%",
                                      comparator=("England", 7.5), source="Source: test")
    assert set(unlabelled.table["Compared with England"]) == {"Not compared"}


def test_child_population_uses_compare_areas(ctx):
    fig = population.child_population_figure(ctx)
    totals = population.child_totals(ctx.board)
    views = layers(fig.spec())
    bars = next(v for v in views if mark(v) == "bar")
    assert bars["encoding"]["y"]["sort"] == totals["area"].tolist()
    top, bottom = totals.iloc[0], totals.iloc[-1]
    assert f"{top['area']} ({text.format_number(top['population'])})" in fig.alt_text
    assert f"{bottom['area']} ({text.format_number(bottom['population'])})" in fig.alt_text
    county = population.population(ctx.board).loc[COUNTY, "All ages"]
    assert text.format_number(county) in fig.alt_text
    assert_plotted_equals_table(fig)


# --------------------------------------------------------------------------- age structure


def test_age_structure_pyramid(ctx):
    fig = population.age_structure_figure(ctx)
    shares = population.age_shares(ctx.board, ctx.area.code).pivot(index="age_band", columns="area", values="share")
    views = layers(fig.spec())
    bars = next(v for v in views if mark(v) == "bar")
    tick = next(v for v in views if mark(v) == "tick")
    assert bars["encoding"]["x"]["field"] == "area_share"
    assert tick["encoding"]["x"]["field"] == "comparator_share"
    assert bars["encoding"]["y"]["sort"] == population.BANDS[::-1]  # oldest at the top
    assert "not split by sex" in fig.alt_text
    for band in population.BANDS:
        a, e = shares.loc[band, "Melton"], shares.loc[band, "England"]
        assert f"{band}: {text.format_value(a, '%')} in Melton, {text.format_value(e, '%')} in England" in fig.alt_text
    older = shares.loc[["65-79", "80+"]].sum()
    direction = "older" if older["Melton"] > older["England"] else "younger"
    assert fig.title == f"Melton has an {direction} age profile than England"
    assert_plotted_equals_table(fig)


# --------------------------------------------------------------------------- trend


def test_trend_tb_incidence(indicators, meta, names):
    tb = indicators[(indicators["indicator_id"] == "tb_incidence") & indicators["area_code"].isin([COUNTY, ENGLAND])
                    & indicators["period"].notna()]
    tb = tb.assign(area=tb["area_code"].map(names)).rename(columns={"lower_ci95": "lower", "upper_ci95": "upper"})
    m = meta.loc["tb_incidence"]
    england = tb[tb["area"] == "England"].set_index("period")["value"]
    own = tb["area"] == "Leicestershire"
    tb.loc[own, "significance"] = compare.compare(tb.loc[own, "value"], tb.loc[own, "lower"], tb.loc[own, "upper"],
                                                  tb.loc[own, "period"].map(england), m["polarity"]).to_numpy()
    fig = charts.trend(tb, area="Leicestershire", comparator="England", measure="TB incidence", unit=m["unit"],
                       source=data.source_note(tb))
    spec = fig.spec()
    views = layers(spec)
    periods = list(dict.fromkeys(tb["period"]))
    assert all(v["encoding"]["x"]["sort"] == periods for v in views)
    assert any(mark(v) == "area" and v["encoding"]["y2"]["field"] == "upper" for v in views)  # CI band
    point = next(v for v in views if mark(v) == "point")
    assert point["encoding"]["shape"]["field"] == "significance" == point["encoding"]["fill"]["field"]
    last_c = tb[tb["area"] == "Leicestershire"].iloc[-1]
    last_e = tb[(tb["area"] == "England") & (tb["period"] == last_c["period"])].iloc[0]
    label = "Better" if last_c["upper"] < last_e["value"] else "Worse" if last_c["lower"] > last_e["value"] else "Similar"
    phrase = text.significance_phrase(label, "England")
    assert fig.title == f"TB incidence in Leicestershire was {phrase} in {last_c['period']}"
    assert (f"In {last_c['period']} Leicestershire was {text.format_value(last_c['value'], m['unit'])}" in fig.alt_text)
    assert f"{phrase} ({text.format_value(last_e['value'], m['unit'])})" in fig.alt_text
    assert_plotted_equals_table(fig)


# --------------------------------------------------------------------------- spine


def test_spine_chart_orientation_and_numbers(indicators, meta):
    rows = []
    for iid in ["smoking_prevalence_adults", "physically_active_adults", "life_expectancy_male"]:
        m = meta.loc[iid]
        x = indicators[(indicators["indicator_id"] == iid) & indicators["period"].isna()].set_index("area_code")["value"]
        peers = x[[c for c in x.index if c.startswith("E07")]].to_numpy()
        q25, median, q75 = np.percentile(peers, [25, 50, 75])
        worst, best = (peers.max(), peers.min()) if m["polarity"] == "lower_is_better" else (peers.min(), peers.max())
        rows.append(dict(indicator=m["short_title"], unit=m["unit"], polarity=m["polarity"], value=x[COUNTY],
                         lower=None, upper=None, comparator_value=x[ENGLAND], worst=worst, q25=q25, median=median,
                         q75=q75, best=best, significance="Not compared"))
    frame = pd.DataFrame(rows)
    smoking = frame.iloc[0]
    assert smoking["worst"] >= smoking["best"]  # lower is better: worst is the highest value
    fig = charts.spine_chart(frame, area="Leicestershire", range_name="Leicestershire district", source="Source: test")
    spec = fig.spec()
    calc = json.dumps(spec)
    assert "Lower is better" in calc and "x_worst" in calc and "x_best" in calc
    assert "lower_is_better" not in fig.display_table().to_string()  # no raw ids in the shown table
    marker = next(v for v in layers(spec) if mark(v) == "point")
    assert marker["encoding"]["shape"]["field"] == "significance"
    assert marker["encoding"]["y"]["sort"] == frame["indicator"].tolist()
    for r in frame.itertuples():
        assert f"{r.indicator} {text.format_value(r.value, r.unit)}" in fig.alt_text
        assert f"range {text.format_value(r.worst, r.unit)} (worst) to {text.format_value(r.best, r.unit)} (best)" in fig.alt_text
    assert_plotted_equals_table(fig)


def test_spine_scaling_puts_better_right():
    frame = pd.DataFrame([dict(indicator="Smoking", unit="%", polarity="lower_is_better", value=5.0, lower=4.0, upper=6.0,
                               comparator_value=10.0, worst=20.0, q25=12.0, median=10.0, q75=8.0, best=2.0,
                               significance="Better")])
    fig = charts.spine_chart(frame, area="A", source="Source: test")
    assert fig.table["Compared with England"].tolist() == ["Better"]
    import vl_convert as vlc

    # Evaluate the positions Vega computes: compile to Vega and run the expression semantics by hand.
    half = max(abs(20 - 10), abs(2 - 10))
    assert 0.5 + -1 * (5 - 10) / (2 * half) > 0.5  # a better value sits right of England
    assert "triangle-up" in json.dumps(fig.spec())  # Better's shape
    assert vlc.vegalite_to_vega(charts._fixed_width(fig.spec()))


# --------------------------------------------------------------------------- tile map


def test_tile_map_quintiles(names):
    ph = data.load("pharmacies")
    ph = ph[ph["area_code"].str.startswith("E07")]
    df = ph.assign(area=ph["area_code"].map(names), value=ph["pharmacies_per_10000"])
    df["quantile"] = stats.quantiles(df["value"], 5, invert=True).to_numpy()
    fig = charts.tile_map(df, measure="Community pharmacies per 10,000", period="2024", source=data.source_note(ph))
    rows = pd.DataFrame(dataset(fig.spec())).set_index("area")
    top = df.loc[df["value"].idxmax(), "area"]
    bottom = df.loc[df["value"].idxmin(), "area"]
    assert rows.loc[top, "quantile"] == 1 and rows.loc[bottom, "quantile"] == 5
    assert fig.title.startswith(f"{top} has the highest community pharmacies per 10,000")
    for r in df.itertuples():
        assert f"{r.area} {text.format_value(r.value, '')} (quantile {rows.loc[r.area, 'quantile']})" in fig.alt_text
    rect = next(v for v in layers(fig.spec()) if mark(v) == "rect")
    assert rect["encoding"]["color"]["field"] == "quantile"
    assert_plotted_equals_table(fig)


# --------------------------------------------------------------------------- BCF


def test_target_vs_actual(names):
    bm = data.load("bcf_metrics")
    bm = bm[bm["year"].isin(["2023-24", "2024-25"]) & bm["target"].notna() & bm["actual"].notna()]
    bm = bm.drop_duplicates(["metric", "year"]).reset_index(drop=True)
    fig = charts.target_vs_actual(bm, source=data.source_note(bm))
    met = sum(charts.target_met(r.actual, r.target, r.polarity) == "Met" for r in bm.itertuples())
    assert fig.title == f"{met} of {len(bm)} Better Care Fund targets were met, 2023-24 to 2024-25"
    for r in bm.itertuples():
        assert f"{text.format_value(r.actual, r.unit)} against a target of {text.format_value(r.target, r.unit)}" in fig.alt_text
    views = layers(fig.spec())
    assert sum(mark(v) == "tick" for v in views) == bm["metric"].nunique()  # one target tick layer per metric
    assert any(v["encoding"].get("shape", {}).get("field") == "status" for v in views)
    assert_plotted_equals_table(fig)
    with pytest.raises(ValueError, match="more than one row"):
        charts.target_vs_actual(pd.concat([bm, bm.iloc[[0]]]), source="x")


def test_target_met_polarity():
    assert charts.target_met(5, 6, "lower_is_better") == "Met"
    assert charts.target_met(7, 6, "lower_is_better") == "Not met"
    assert charts.target_met(92.2, 92.6, "higher_is_better") == "Not met"
    assert charts.target_met(float("nan"), 6, "higher_is_better") == "Not compared"


def test_funding_breakdown():
    bi = data.load("bcf_income")
    year = "2025-26"
    fig = charts.funding_breakdown(bi, year=year, source=data.source_note(bi))
    rows = bi[(bi["year"] == year) & ~bi["is_total"].astype(bool)]
    total = rows["planned_income_gbp"].sum()
    stated = bi[(bi["year"] == year) & bi["is_total"].astype(bool)]["planned_income_gbp"]
    if len(stated):
        assert stated.iloc[0] == total
    assert f"total {text.format_value(total, '£')}" in fig.alt_text
    top = rows.loc[rows["planned_income_gbp"].idxmax()]
    assert fig.title.startswith(f"{top['funding_stream']} provides {text.format_value(100 * top['planned_income_gbp'] / total, '%')}")
    bars = next(v for v in layers(fig.spec()) if mark(v) == "bar")
    assert bars["encoding"]["y"]["sort"] == rows.sort_values("planned_income_gbp", ascending=False, kind="stable")["funding_stream"].tolist()
    assert_plotted_equals_table(fig)
    broken = bi.copy()
    broken.loc[(broken["year"] == year) & broken["is_total"].astype(bool), "planned_income_gbp"] += 1000
    with pytest.raises(ValueError, match="add up"):
        charts.funding_breakdown(broken, year=year, source="x")


# --------------------------------------------------------------------------- HTML, SVG, static


class _Figure(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_figure_html_has_title_alt_table_csv_source(ctx):
    fig = population.age_structure_figure(ctx)
    html = fig.to_html()
    parser = _Figure()
    parser.feed(html)
    tags = parser.tags
    assert tags[0] == ("figure", {"class": "jsna-chart"})
    chart = next(a for t, a in tags if a.get("class") == "jsna-vega")
    assert chart["role"] == "img" and chart["aria-label"] == fig.alt_text and chart["tabindex"] == "0"
    assert f'<figcaption class="jsna-chart-title">{fig.title}</figcaption>' in html
    assert fig.source in html and fig.source.startswith("Source:")
    assert "<caption>Data for: " in html and '<th scope="col">' in html
    href = next(a["href"] for t, a in tags if t == "a")
    assert unquote(href.split(",", 1)[1]) == fig.csv()
    spec = json.loads(re.search(r'class="jsna-spec">(.*?)</script>', html).group(1))
    assert spec == json.loads(json.dumps(fig.spec()))


def test_static_svg_and_html(ctx):
    fig = population.older_share_figure(ctx)
    svg = fig.to_svg()
    assert svg.startswith("<svg") and 'aria-hidden="true"' in svg and "Melton" in svg
    static = fig.to_static_html()
    assert "<script" not in static and "<svg" in static
    assert f'aria-label="{fig.alt_text}"' in static and fig.title in static and fig.source in static
    page = "<main>" + fig.to_html() + "</main>"
    converted = charts.static_html(page)
    assert "jsna-spec" not in converted and converted.count("<svg") == 1
    assert f'aria-label="{fig.alt_text}"' in converted


# --------------------------------------------------------------------------- data tables and labels


def test_every_chart_table_shows_formatted_numbers(ctx):
    """Shown tables hold formatted text, never a raw float such as 57070979.0; the CSV keeps numbers."""
    figs = [population.child_population_figure(ctx), population.older_share_figure(ctx), population.age_structure_figure(ctx)]
    bm = data.load("bcf_metrics")
    bm = bm[bm["target"].notna() & bm["actual"].notna()].drop_duplicates(["metric", "year"])
    figs.append(charts.target_vs_actual(bm, source="Source: test"))
    for fig in figs:
        shown = fig.display_table()
        assert list(shown.columns) == list(fig.table.columns)
        for col in shown.columns:
            for cell in shown[col].astype(str):
                assert not re.fullmatch(r"-?\d{4,}\.\d+|-?\d+\.\d{3,}", cell), (fig.title, col, cell)
                assert "_" not in cell, (fig.title, col, cell)  # no ids such as lower_is_better
        html = fig.to_html()
        assert "57070979" not in html.split("<details>", 1)[1].split("download=")[0]
    totals = figs[0]
    england = population.child_totals(ctx.board)["population"].max()
    assert text.format_number(england) in totals.display_table().iloc[:, 1].tolist()
    assert ".0," not in totals.csv() and ".0\n" not in totals.csv()


def test_display_frame_formats_by_column():
    df = pd.DataFrame({"Area": ["A"], "Count": [57070979], "Rate": [12.345], "Whole": [57070979.0], "Missing": [float("nan")]})
    shown = charts.display_frame(df, decimals=1, formats={"Whole": 0})
    assert shown.iloc[0].tolist() == ["A", "57,070,979", "12.3", "57,070,979", "not available"]


def test_bar_end_labels_fit_inside_the_plot():
    # A label drawn after the longest bar must end inside the plot width.
    df = pd.DataFrame({"area": ["A", "B"], "value": [1000.0, 10.0]})
    fig = charts.compare_areas(df, measure="Residents", source="Source: test", decimals=0)
    bars = next(v for v in layers(fig.spec()) if mark(v) == "bar")
    top = bars["encoding"]["x"]["scale"]["domainMax"]
    label = "1,000"
    assert 1000 / top * charts.CONTAINER_WIDTH + 4 + len(label) * charts.CHAR_PX <= charts.CONTAINER_WIDTH + 1e-6
    assert charts._label_room([100.0], ["x" * 10]) > 100.0
    assert charts._label_room([100.0], [""], dx=0) == pytest.approx(100.0)


def test_csv_has_whole_numbers_as_integers_and_no_float_noise():
    table = pd.DataFrame({"area": ["A", "B"], "count": [2.0, 3.0], "share": [0.1 + 0.2, 100 * 0.6545]})
    fig = charts.Figure(alt.Chart(table).mark_bar(), "t", "alt", table, "Source: test")
    lines = fig.csv().splitlines()
    assert lines[1] == "A,2,0.3" and lines[2] == "B,3,65.45"


def test_tables_right_align_figures_and_left_align_words():
    from jsna.tables import numeric_columns, table_html

    cols = {"Area": ["A", "B"], "Rate": ["169 per 100,000", "not reported"], "Money": ["£75,735,254", "-£1"],
            "Result": ["Met", "Not met"], "Name": ["name not published", "Jo Bloggs"]}
    assert numeric_columns(list(cols.values())) == [False, True, True, False, False]
    html = table_html(pd.DataFrame(cols), "c")
    assert '<th scope="col" class="num">Rate</th>' in html and '<td class="num">£75,735,254</td>' in html
    assert "<td>Met</td>" in html and "<td>Jo Bloggs</td>" in html
