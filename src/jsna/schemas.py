"""Pandera schemas for every table under ``data/``.

Each table is described by a :class:`pandera.DataFrameSchema` whose columns
declare the type, the allowed values and the ranges; ``metadata`` carries the
facts the loader and the quality rules need:

``key``
    columns that identify a row (checked for uniqueness);
``foreign``
    ``{column: "table.column"}`` references checked against another table;
``disclosive``
    True when small counts (1-9) must be suppressed before publication;
``counts``
    count columns that the small-number rule looks at;
``additive``
    columns where a parent area's figure is the sum of its child areas';
``value``
    the column compared when the same figure appears under two source_ids;
``totals``
    ``(group columns, value columns)``: rows flagged ``is_total`` must equal the sum of the
    other rows of their group;
``row_totals``
    ``{total column: (part columns)}`` summed across one row;
``rates``
    ``((count columns), denominator column, rate column, multiplier)`` recomputed per row;
``population``
    ``(column, age band, year column)``: a population or denominator that must agree with
    ``population.csv`` for the same area, year and age band ("65+" sums the older bands).

Row rules that compare several columns (``lower <= value <= upper``) are
dataframe-level checks made by :func:`row_rule`; :data:`RULE_COLUMNS` records
the columns each one involves so errors can name them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
import pandera.pandas as pa
from pandera import Check

from jsna.config import AREA_CODE

__all__ = [
    "GSS_PATTERN",
    "POLARITIES",
    "VALUE_TYPES",
    "UNITS",
    "AREA_TYPE_PATTERN",
    "SEXES",
    "SEVERITIES",
    "RULE_COLUMNS",
    "SCHEMAS",
    "row_rule",
    "schema_for",
    "table_names",
]

#: An ONS GSS code, or a board's own code for an area without one (a locality: LC-NORTH-WEST).
GSS_PATTERN = AREA_CODE.pattern
POLARITIES = ("higher_is_better", "lower_is_better", "no_judgement")
VALUE_TYPES = ("proportion", "crude_rate", "dsr", "ratio", "count", "mean", "rank")
UNITS = (
    "%",
    "per 1,000",
    "per 10,000",
    "per 100,000",
    "ratio",
    "count",
    "years",
    "score",
    "rank",
    "GBP",
    "days",
    "hours",
    "persons",
    "percentage points",
    "µg/m3",
    "per km2",
    "per billion vehicle miles",
    "items",
    "pharmacies",
)
#: The kind of area a row of areas.csv is (ONS's words, or a board's for its own areas): a snake_case word.
AREA_TYPE_PATTERN = r"^[a-z][a-z_]*$"
SEXES = ("Persons", "Male", "Female", "Not applicable")
SEVERITIES = ("error", "warning")
#: A health and wellbeing strategy's parts, and how the board takes part in a priority.
STRATEGY_ITEMS = ("theme", "priority", "cross_cutting", "plus_group", "other_group")
STRATEGY_CLASSES = ("do", "sponsor", "watch", "not stated", "n/a")
ACTUAL_STATUSES = ("final", "projected", "estimated", "best_month")
STAGES = ("plan", "year_end")

RULE_COLUMNS: dict[str, tuple[str, ...]] = {}


def row_rule(name: str, columns: Iterable[str], fn: Callable[[pd.DataFrame], pd.Series]) -> Check:
    """A dataframe-level check named ``name`` over ``columns``; rows where any is missing pass."""
    cols = tuple(columns)
    RULE_COLUMNS[name] = cols

    def _check(df: pd.DataFrame) -> pd.Series:
        missing = df[list(cols)].isna().any(axis=1)
        return missing | fn(df).fillna(False).astype(bool)

    return Check(_check, name=name, error=name)


def _gss() -> Check:
    return Check.str_matches(GSS_PATTERN, name="gss_code", error="an ONS GSS code like E06000016, or a local code like LC-NORTH")


def _one_of(values: Iterable[str], name: str) -> Check:
    vals = list(values)
    return Check.isin(vals, name=name, error=f"one of {', '.join(vals)}")


def _snake(name: str) -> Check:
    return Check.str_matches(r"^[a-z0-9][a-z0-9_]*$", name=name, error="a snake_case id")


def _fy() -> pa.Column:
    return pa.Column(str, Check.str_matches(r"^\d{4}-\d{2}$", name="financial_year", error="a financial year like 2024-25"))


def _nonneg() -> Check:
    return Check.ge(0, name="non_negative", error=">= 0")


def _pct() -> Check:
    return Check.in_range(0, 100, name="percentage_0_100", error="between 0 and 100")


def _year() -> Check:
    return Check.in_range(1990, 2100, name="year_range", error="a year between 1990 and 2100")


def _period() -> Check:
    return Check.str_matches(
        r"^\d{4}(/\d{2}|-\d{2}|-\d{4}| Q[1-4]| [A-Z][a-z]{2}|-\d{2}-\d{2})?$",
        name="period_format",
        error="a period like 2024, 2024/25, 2022-24, 2024 Q1 or 2024-06-15",
    )


def _src() -> pa.Column:
    return pa.Column(str, Check.str_matches(r"^[a-z0-9_]+$", name="source_id_format", error="a source_id in snake_case"))


def _line() -> pa.Column:
    return pa.Column(
        str,
        Check.str_matches(r"^\d+(-\d+)?(;\s*\d+(-\d+)?)*$", name="source_line_format", error="seed line(s) like 1578 or 1578;1580"),
        nullable=True,
        required=False,
    )


def _text(nullable: bool = False, required: bool = True) -> pa.Column:
    return pa.Column(str, nullable=nullable, required=required)


def _int(nullable: bool = True, checks: list[Check] | None = None, required: bool = True) -> pa.Column:
    return pa.Column("Int64", checks or [_nonneg()], nullable=nullable, required=required)


def _num(nullable: bool = True, checks: list[Check] | None = None, required: bool = True) -> pa.Column:
    return pa.Column("float64", checks or [], nullable=nullable, required=required)


def _le(name: str, lo: str, hi: str) -> Check:
    return row_rule(name, (lo, hi), lambda d: d[lo] <= d[hi])


def _schema(
    name: str,
    columns: dict[str, pa.Column],
    key: Iterable[str],
    checks: list[Check] | None = None,
    foreign: dict[str, str] | None = None,
    disclosive: bool = False,
    counts: Iterable[str] = (),
    additive: Iterable[str] = (),
    value: str | None = None,
    totals: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
    row_totals: dict[str, tuple[str, ...]] | None = None,
    rates: Iterable[tuple[tuple[str, ...], str, str, float]] = (),
    population: tuple[str, str, str] | None = None,
) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        columns,
        checks=checks or [],
        name=name,
        strict=False,
        ordered=False,
        unique=list(key),
        report_duplicates="all",
        metadata={
            "key": tuple(key),
            "foreign": dict(foreign or {}),
            "disclosive": disclosive,
            "counts": tuple(counts),
            "additive": tuple(additive),
            "value": value,
            "totals": totals,
            "row_totals": dict(row_totals or {}),
            "rates": tuple(rates),
            "population": population,
        },
    )


_AREA_FK = {"area_code": "areas.area_code"}

SCHEMAS: dict[str, pa.DataFrameSchema] = {}


def _register(schema: pa.DataFrameSchema) -> None:
    SCHEMAS[schema.name] = schema


_register(
    _schema(
        "areas",
        {
            "area_code": pa.Column(str, _gss()),
            "area_name": _text(),
            "area_type": pa.Column(str, Check.str_matches(AREA_TYPE_PATTERN, name="area_type_format", error="a snake_case word")),
            "parent_code": pa.Column(str, _gss(), nullable=True),
            "source_id": _src(),
        },
        key=["area_code"],
    )
)

_register(
    _schema(
        "population",
        {
            "area_code": pa.Column(str, _gss()),
            "year": pa.Column("Int64", _year()),
            "sex": pa.Column(str, _one_of(SEXES, "sex_vocabulary")),
            "age_band": _text(),
            "population": _int(nullable=False),
            "share_pct": _num(required=False, checks=[_pct()]),
            "rounded_to": _int(required=False, checks=[Check.isin([1, 10, 100, 1000], name="rounding_unit", error="one of 1, 10, 100, 1000")]),
            "source_id": _src(),
            "source_line": _line(),
        },
        key=["area_code", "year", "sex", "age_band"],
        foreign=_AREA_FK,
        additive=["population"],
    )
)


_register(
    _schema(
        "indicator_meta",
        {
            "indicator_id": pa.Column(str, Check.str_matches(r"^[a-z][a-z0-9_]*$", name="indicator_id_format", error="a snake_case indicator_id")),
            "title": _text(),
            "short_title": _text(),
            "unit": pa.Column(str, _one_of(UNITS, "unit_vocabulary")),
            "value_type": pa.Column(str, _one_of(VALUE_TYPES, "value_type_vocabulary")),
            "multiplier": pa.Column("float64", Check.isin([1, 100, 1000, 10000, 100000], name="multiplier_vocabulary", error="one of 1, 100, 1000, 10000, 100000")),
            "polarity": pa.Column(str, _one_of(POLARITIES, "polarity_vocabulary")),
            "definition": _text(),
            "source_id": _src(),
            "fingertips_id": _int(required=False),
            "benchmark": _text(nullable=True, required=False),
            "domain": _text(),
        },
        key=["indicator_id"],
        checks=[
            row_rule(
                "proportion_unit_is_percent",
                ("value_type", "unit"),
                lambda d: (d["value_type"] != "proportion") | (d["unit"] == "%"),
            )
        ],
    )
)

_register(
    _schema(
        "indicators",
        {
            "indicator_id": _text(),
            "area_code": pa.Column(str, _gss()),
            "period": pa.Column(str, Check.str_contains(r"\d{4}", name="period_has_year", error="a period containing a year, like 2024 or 2024/25"), nullable=True),
            "sex": pa.Column(str, _one_of(SEXES, "sex_vocabulary")),
            "age": _text(),
            "count": _int(),
            "denominator": _int(),
            "value": _num(),
            "lower_ci95": _num(),
            "upper_ci95": _num(),
            "lower_ci99_8": _num(),
            "upper_ci99_8": _num(),
            "rank": _int(required=False, checks=[Check.ge(1, name="rank_positive", error=">= 1")]),
            "rank_of": _int(required=False, checks=[Check.ge(1, name="rank_positive", error=">= 1")]),
            "source_id": _src(),
            "source_line": _line(),
            "note": _text(nullable=True, required=False),
        },
        key=["indicator_id", "area_code", "period", "sex", "age", "source_id"],
        checks=[
            row_rule("count <= denominator", ("count", "denominator"), lambda d: d["count"] <= d["denominator"]),
            _le("lower_ci95 <= value", "lower_ci95", "value"),
            _le("value <= upper_ci95", "value", "upper_ci95"),
            _le("lower_ci99_8 <= value", "lower_ci99_8", "value"),
            _le("value <= upper_ci99_8", "value", "upper_ci99_8"),
            _le("rank <= rank_of", "rank", "rank_of"),
        ],
        foreign=_AREA_FK,
        counts=["count"],
        value="value",
    )
)


_register(
    _schema(
        "pharmacies",
        {
            "area_code": pa.Column(str, _gss()),
            "period": _text(),
            "community_pharmacies": _int(nullable=False),
            "dispensing_gp_practices": _int(nullable=False),
            "population": _int(),
            "population_year": _int(required=False, checks=[_year()]),
            "pharmacies_per_10000": _num(checks=[_nonneg()]),
            "pharmacies_and_dispensing_gps_per_10000": _num(checks=[_nonneg()]),
            "source_id": _src(),
            "source_line": _line(),
        },
        key=["area_code", "period"],
        foreign=_AREA_FK,
        additive=["community_pharmacies", "dispensing_gp_practices"],
        rates=[
            (("community_pharmacies",), "population", "pharmacies_per_10000", 10000),
            (("community_pharmacies", "dispensing_gp_practices"), "population", "pharmacies_and_dispensing_gps_per_10000", 10000),
        ],
        population=("population", "All ages", "population_year"),
    )
)

_register(
    _schema(
        "bcf_metrics",
        {
            "metric": pa.Column(str, Check.str_matches(r"^[a-z][a-z0-9_]*$", name="metric_format", error="a snake_case metric id")),
            "title": _text(),
            "year": pa.Column(str, Check.str_matches(r"^\d{4}-\d{2}$", name="financial_year", error="a financial year like 2024-25")),
            "target": _num(),
            "unit": pa.Column(str, _one_of(UNITS, "unit_vocabulary")),
            "polarity": pa.Column(str, _one_of(POLARITIES, "polarity_vocabulary")),
            "actual": _num(),
            "source_id": _src(),
            "source_line": _line(),
            "actual_status": pa.Column(str, _one_of(ACTUAL_STATUSES, "actual_status_vocabulary"), nullable=True, required=False),
            "note": _text(nullable=True, required=False),
        },
        key=["metric", "year", "source_id"],
        value="actual",
    )
)

_register(
    _schema(
        "bcf_income",
        {
            "year": pa.Column(str, Check.str_matches(r"^\d{4}-\d{2}$", name="financial_year", error="a financial year like 2024-25")),
            "funding_stream": _text(),
            "stream_id": pa.Column(str, _snake("stream_id_format"), required=False),
            "is_total": pa.Column("boolean"),
            "planned_income_gbp": _num(checks=[_nonneg()]),
            "updated_income_gbp": _num(checks=[_nonneg()]),
            "actual_expenditure_gbp": _num(checks=[_nonneg()]),
            "source_id": _src(),
            "source_line": _line(),
            "note": _text(nullable=True, required=False),
        },
        key=["year", "funding_stream"],
        totals=(("year",), ("planned_income_gbp", "updated_income_gbp", "actual_expenditure_gbp")),
    )
)

_register(
    _schema(
        "jsna_chapter_register",
        {
            "record_type": _text(),
            "title": _text(),
            "status": _text(),
            "approved_month": _text(nullable=True),
            "approved_year": _int(checks=[_year()]),
            "due_year": _int(checks=[_year()]),
            "partial_jsna": pa.Column("boolean", nullable=True),
            "jsna_cycle": _text(nullable=True),
            "note": _text(nullable=True),
            "source_id": _src(),
            "source_line": _line(),
        },
        key=["record_type", "title", "source_line"],
    )
)

_register(
    _schema(
        "hwb_meetings",
        {
            "year": _int(checks=[_year()]),
            "month": _text(nullable=True),
            "day": _int(checks=[Check.in_range(1, 31, name="day_of_month", error="a day between 1 and 31")]),
            "event": _text(),
            "event_type": _text(),
            "hwb_involvement": _text(nullable=True),
            "status": _text(nullable=True),
            "source_id": _src(),
            "source_line": _line(),
        },
        key=["year", "month", "day", "event"],
    )
)

_register(
    _schema(
        "hwb_membership",
        {
            "year": _fy(),  # the report year the membership is described for
            "role": _text(),
            "organisation_or_portfolio": _text(),
            "person_named_in_report": _text(nullable=True),
            "basis": _text(nullable=True),
            "source_id": _src(),
            "source_line": _line(),
        },
        key=["year", "role", "organisation_or_portfolio", "person_named_in_report"],
    )
)


# --------------------------------------------------------------------------- BCF detail

def _bcf_expenditure(name: str, breakdowns: tuple[str, ...]) -> pa.DataFrameSchema:
    """Income and spend by a breakdown of the pooled budget (funding source, area of spend, scheme type)."""
    return _schema(
        name,
        {
            "year": _fy(),
            "stage": pa.Column(str, _one_of(STAGES, "stage_vocabulary")),
            "breakdown": pa.Column(str, _one_of(breakdowns, "breakdown_vocabulary")),
            "category_id": pa.Column(str, _snake("category_id_format")),
            "category": _text(),
            "is_total": pa.Column("boolean"),
            "income_gbp": _num(checks=[_nonneg()]),
            "expenditure_gbp": _num(checks=[_nonneg()]),
            "balance_gbp": _num(),
            "pct_of_spend": _num(checks=[_pct()]),
            "rounded_to": _int(checks=[Check.isin([1, 1000, 100000], name="rounding_unit", error="one of 1, 1000, 100000")]),
            "source_id": _src(),
            "source_line": _line(),
            "note": _text(nullable=True, required=False),
        },
        key=["year", "stage", "breakdown", "category_id"],
        totals=(("year", "stage", "breakdown"), ("income_gbp", "expenditure_gbp", "balance_gbp", "pct_of_spend")),
    )


_register(_bcf_expenditure("bcf_expenditure", ("funding_source", "spend_area")))
_register(_bcf_expenditure("bcf_expenditure_by_scheme_type", ("scheme_type",)))

_register(
    _schema(
        "bcf_national_conditions",
        {
            "year": _fy(),
            "stage": pa.Column(str, _one_of(STAGES, "stage_vocabulary")),
            "condition_id": pa.Column(str, _snake("condition_id_format")),
            "condition": _text(),
            "minimum_required_gbp": _num(nullable=False, checks=[_nonneg()]),
            "planned_gbp": _num(checks=[_nonneg()]),
            "source_id": _src(),
            "source_line": _line(),
            "note": _text(nullable=True, required=False),
        },
        key=["year", "stage", "condition_id"],
        checks=[_le("planned_meets_minimum", "minimum_required_gbp", "planned_gbp")],
    )
)

_register(
    _schema(
        "bcf_capacity_demand",
        {
            "year": _fy(),
            "hwb": _text(),
            "template_sheet": _text(),
            "measure": pa.Column(str, _one_of(("demand", "capacity"), "measure_vocabulary")),
            "setting": pa.Column(str, _one_of(("hospital_discharge", "community"), "setting_vocabulary")),
            "trust": _text(nullable=True),
            "service": _text(),
            "month": pa.Column(str, Check.str_matches(r"^\d{4} [A-Z][a-z]{2}$", name="month_format", error="a month like 2022 Oct")),
            "value": _num(nullable=False, checks=[_nonneg()]),
            "unit": _text(),
            "source_id": _src(),
            "source_line": _line(),
            "note": _text(nullable=True, required=False),
        },
        key=["year", "template_sheet", "measure", "setting", "trust", "service", "month"],
    )
)

_register(
    _schema(
        "bcf_schemes",
        {
            "year": _fy(),
            "stage": pa.Column(str, _one_of(STAGES, "stage_vocabulary")),
            "scheme_id": _text(),
            "scheme_name": _text(),
            "category": _text(),
            "area_of_spend": _text(nullable=True),
            "provider": _text(nullable=True),
            "funding_source": _text(),
            "planned_gbp": _num(checks=[_nonneg()]),
            "actual_gbp": _num(checks=[_nonneg()]),
            "source_id": _src(),
            "source_line": _line(),
            "note": _text(nullable=True, required=False),
        },
        key=["year", "stage", "scheme_id", "source_line"],
    )
)

def _bcf_metric_values(name: str, multiplier: int, population: tuple[str, str, str] | None) -> pa.DataFrameSchema:
    """A Better Care Fund metric's values with their counts and denominators, as a rate per `multiplier`."""
    return _schema(
        name,
        {
            "metric": pa.Column(str, _snake("metric_format")),
            "series": _text(),
            "period": _text(),
            "count": _int(),
            "denominator": _int(),
            "value": _num(checks=[_nonneg()]),
            "area_code": pa.Column(str, _gss()),
            "multiplier": pa.Column("float64", Check.isin([multiplier], name="multiplier_vocabulary", error=str(multiplier))),
            "population_year": _int(checks=[_year()]),
            "source_id": _src(),
            "source_line": _line(),
            "note": _text(nullable=True, required=False),
        },
        key=["metric", "series", "period"],
        foreign=_AREA_FK,
        rates=[(("count",), "denominator", "value", multiplier)],
        population=population,
    )


_register(_bcf_metric_values("bcf_metric_rates", 100000, ("denominator", "65+", "population_year")))
_register(_bcf_metric_values("bcf_metric_percentages", 100, None))

_register(
    _schema(
        "dfg_by_area",
        {
            "area_code": pa.Column(str, _gss()),
            "year": _fy(),
            "dfg_allocation_gbp": _num(nullable=False, checks=[_nonneg()]),
            "dfg_scheme_expenditure_gbp": _num(checks=[_nonneg()]),
            "source_id": _src(),
            "source_line": _line(),
            "note": _text(nullable=True, required=False),
        },
        key=["area_code", "year"],
        foreign=_AREA_FK,
        additive=["dfg_allocation_gbp", "dfg_scheme_expenditure_gbp"],
        checks=[_le("scheme expenditure <= allocation", "dfg_scheme_expenditure_gbp", "dfg_allocation_gbp")],
    )
)

# --------------------------------------------------------------------------- demography and PNA

_register(
    _schema(
        "population_projections",
        {
            "area_code": pa.Column(str, _gss()),
            "age_band": _text(),
            "measure": pa.Column(str, _one_of(("population", "change", "pct_change"), "measure_vocabulary")),
            "period": pa.Column(str, Check.str_matches(r"^\d{4}(-\d{4})?$", name="period_format", error="a year or a span like 2025-2035")),
            "value": _num(nullable=False),
            "unit": pa.Column(str, _one_of(("persons", "%"), "unit_vocabulary")),
            "rounded_to": _int(checks=[Check.isin([1, 100], name="rounding_unit", error="one of 1, 100")]),
            "source_id": _src(),
            "source_line": _line(),
        },
        key=["area_code", "age_band", "measure", "period", "source_id"],
        foreign=_AREA_FK,
        value="value",
        checks=[row_rule("unit matches measure", ("measure", "unit"), lambda d: (d["measure"] == "pct_change") == (d["unit"] == "%"))],
    )
)

_register(
    _schema(
        "ethnicity",
        {
            "area_code": pa.Column(str, _gss()),
            "period": pa.Column(str, _period()),
            "ethnic_group": pa.Column(str, _one_of(("Asian", "Black", "Mixed or Multiple", "White", "Other"), "ethnic_group_vocabulary")),
            "share_pct": _num(nullable=False, checks=[_pct()]),
            "source_id": _src(),
            "source_line": _line(),
        },
        key=["area_code", "period", "ethnic_group"],
        foreign=_AREA_FK,
    )
)

_HOURS = ("pharmacies_under_40_hours", "pharmacies_40_to_71_hours", "pharmacies_72_to_100_hours")
_register(
    _schema(
        "pharmacy_opening_hours",
        {
            "area_code": pa.Column(str, _gss()),
            "period": pa.Column(str, _period()),
            **{c: _int() for c in _HOURS},
            "pharmacies_total": _int(nullable=False),
            **{c: _int() for c in ("weekday_evening", "saturday", "sunday", "saturday_night", "sunday_night")},
            "source_id": _src(),
            "source_line": _line(),
            "note": _text(nullable=True, required=False),
        },
        key=["area_code", "period"],
        foreign=_AREA_FK,
        additive=[*_HOURS, "pharmacies_total", "weekday_evening", "saturday", "sunday", "saturday_night", "sunday_night"],
        row_totals={"pharmacies_total": _HOURS},
    )
)

# --------------------------------------------------------------------------- JHWS and annual report

_register(
    _schema(
        "jhws_priorities",
        {
            "year": _fy(),  # the report year the strategy's priorities are stated for
            "hwb_subgroup": _text(),
            "jhws_strategic_priority": _text(),
            "priority_area": _text(),
            "report_section": _text(),
            "note": _text(nullable=True),
            "source_id": _src(),
            "source_line": _line(),
        },
        key=["year", "jhws_strategic_priority", "priority_area"],
    )
)

_register(
    _schema(
        "area_lookup",
        {
            "area_code": pa.Column(str, _gss()),
            "msoa_code": pa.Column(str, Check.str_matches(r"^E02\d{6}$", name="msoa_code_format", error="an MSOA code like E02002345"), nullable=True),
            "msoa_name": _text(),
            "source_id": _src(),
            "source_line": _line(),
            "note": _text(nullable=True, required=False),
        },
        key=["area_code", "msoa_name"],
        foreign=_AREA_FK,
    )
)

_register(
    _schema(
        "jhws_strategy",
        {
            "year": _fy(),  # the year the strategy's structure was stated in
            "strategy": _text(),
            "item_type": pa.Column(str, _one_of(STRATEGY_ITEMS, "strategy_item_vocabulary")),
            "item_id": _text(),
            "theme": _text(nullable=True),
            "title_as_printed": _text(),
            "strapline": _text(nullable=True, required=False),
            "classification": pa.Column(str, _one_of(STRATEGY_CLASSES, "strategy_class_vocabulary"), nullable=True),
            "outcome_statement": _text(nullable=True, required=False),
            "source_id": _src(),
            "source_line": _line(),
            "note": _text(nullable=True, required=False),
        },
        key=["year", "strategy", "item_id"],
    )
)

_register(
    _schema(
        "jhws_progress",
        {
            "year": _fy(),
            "jhws_priority": _text(),
            "activity": _text(),
            "detail": _text(nullable=True),
            "outcomes": _text(nullable=True),
            "beneficiaries_as_printed": _text(nullable=True),
            "beneficiaries": _int(),
            "bcf_investment_gbp": _num(checks=[_nonneg()]),
            "bcf_investment_as_printed": _text(nullable=True),
            "source_id": _src(),
            "source_line": _line(),
        },
        key=["year", "jhws_priority", "activity", "source_line"],
    )
)

_register(
    _schema(
        "jhws_progress_measures",
        {
            "year": _fy(),
            "table_id": _int(),
            "activity": _text(),
            "measure": pa.Column(str, _snake("measure_format")),
            "value": _num(),
            "unit": _text(nullable=True),
            "note": _text(nullable=True),
            "source_id": _src(),
            "source_line": _line(),
        },
        key=["year", "activity", "measure", "source_line"],
    )
)

_register(
    _schema(
        "case_studies",
        {
            "year": _fy(),
            "case_study_id": pa.Column(str, Check.str_matches(r"^CS\d{2}$", name="case_study_id_format", error="an id like CS01")),
            "title": _text(),
            "report_section": _text(),
            "locality_or_setting": _text(),
            "area_code": pa.Column(str, _gss()),
            "theme": _text(),
            "format": _text(),
            "labelled_case_study_heading": pa.Column("boolean"),
            "has_quantitative_detail": pa.Column("boolean"),
            "identifies_person_or_organisation": _text(),
            "chwp_table_label": _text(nullable=True),
            "chwp_table_line": _int(),
            "start_line": _int(nullable=False),
            "end_line": _int(nullable=False),
            "source_id": _src(),
            "source_line": _line(),
        },
        key=["case_study_id"],
        foreign=_AREA_FK,
        checks=[_le("start_line <= end_line", "start_line", "end_line")],
    )
)

_register(
    _schema(
        "chwp_status",
        {
            "year": _fy(),
            "area_code": pa.Column(str, _gss()),
            "area_name": _text(),
            "chwp_status": pa.Column(str, _one_of(("approved", "in development"), "chwp_status_vocabulary")),
            "expected_by_as_printed": _text(nullable=True),
            "appendix_a_case_study_lines": _line(),
            "note": _text(nullable=True),
            "source_id": _src(),
            "source_line": _line(),
        },
        key=["year", "area_code"],
        foreign=_AREA_FK,
    )
)

# --------------------------------------------------------------------------- carers and health protection

_register(
    _schema(
        "carers",
        {
            "measure": pa.Column(str, _snake("measure_format")),
            "area_code": pa.Column(str, _gss()),
            "period": pa.Column(str, _period()),
            "value": _num(nullable=False, checks=[_nonneg()]),
            "unit": pa.Column(str, _one_of(UNITS, "unit_vocabulary")),
            "qualifier": _text(nullable=True),
            "value_as_printed": _text(),
            "note": _text(nullable=True),
            "source_id": _src(),
            "source_line": _line(),
        },
        key=["measure", "area_code", "period"],
        foreign=_AREA_FK,
    )
)

_register(
    _schema(
        "flu_uptake",
        {
            "area_code": pa.Column(str, _gss()),
            "area_name": _text(),
            "season": _fy(),
            "cohort": pa.Column(str, _snake("cohort_format")),
            "cohort_title": _text(),
            "uptake_pct": _num(nullable=False, checks=[_pct()]),
            "target_pct": _num(checks=[_pct()]),
            "source_id": _src(),
            "source_line": _line(),
            "note": _text(nullable=True, required=False),
        },
        key=["area_code", "season", "cohort"],
        foreign=_AREA_FK,
        value="uptake_pct",
    )
)

_register(
    _schema(
        "hcai",
        {
            "area_code": pa.Column(str, _gss()),
            "period": pa.Column(str, _period()),
            "organism": _text(),
            "total_infections": _int(nullable=False),
            "healthcare_associated": _int(nullable=False),
            "source_id": _src(),
            "source_line": _line(),
            "note": _text(nullable=True, required=False),
        },
        key=["area_code", "period", "organism"],
        foreign=_AREA_FK,
        disclosive=True,
        counts=["total_infections", "healthcare_associated"],
        checks=[_le("healthcare_associated <= total_infections", "healthcare_associated", "total_infections")],
    )
)


def schema_for(name: str) -> pa.DataFrameSchema:
    """The schema of table ``name``; KeyError names the known tables."""
    try:
        return SCHEMAS[name]
    except KeyError:
        raise KeyError(f"no schema for table {name!r}; known tables: {', '.join(sorted(SCHEMAS))}") from None


def table_names() -> list[str]:
    """Names of all tables with a schema, in registration order."""
    return list(SCHEMAS)
