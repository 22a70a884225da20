"""budgets.csv: plan and actual per product, month and cost category.

Shapes follow how money really moves: most licences are paid once a year
up front in January (the coaching app monthly), design and development are
front-loaded into a build or refresh, delivery follows the cohorts, overhead
is flat. Actuals are known up to the last complete month and blank after
(not yet known); a 0.00 actual is a known zero. Money is handled in pence
and written with the reporting currency's decimals (`sample_data.money`).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date

from sample_data import portfolio as pf
from sample_data.money import SAMPLE_CURRENCY, written
from sample_data.portfolio import ContractTerm
from sample_data.timeline import Timeline, add_months

__all__ = ["budget_rows"]


Plan = dict[tuple[date, str], int]  # (month, category) -> pounds planned
Months = Mapping[int, int]  # calendar month -> pounds

# Relative month-to-month spread of actuals around plan x bias, per category.
_NOISE = {
    "licence": 0.0,
    "design_development": 0.12,
    "delivery": 0.08,
    "evaluation": 0.05,
    "overhead": 0.03,
    "other": 0.10,
}
# Average actual / plan, per product and category, for (first year, second year).
_BIAS: dict[str, dict[str, tuple[float, float]]] = {
    pf.LEADERSHIP: {"design_development": (1.10, 1.0), "delivery": (0.98, 1.01)},
    pf.ONBOARDING: {"delivery": (1.02, 1.04), "design_development": (1.0, 1.08)},
    pf.SALES: {"design_development": (1.22, 1.0), "delivery": (1.03, 1.02)},
    pf.EXCEL: {"delivery": (1.18, 1.2)},
    pf.DATA_LITERACY: {"delivery": (0.88, 0.95), "design_development": (0.9, 1.0)},
    pf.SERVICE: {"delivery": (1.0, 1.03)},
}
# Spending nobody planned: (product, year index, month, category) -> pounds.
_UNPLANNED = {
    (pf.EXCEL, 1, 3, "other"): 1850,
    (pf.EXCEL, 1, 6, "other"): 2200,
    (pf.EXCEL, 1, 9, "other"): 1950,
}
# Planned but did not happen, so the actual is a known zero: (product, year index or
# None for both years, month, category).
_KNOWN_ZERO = {
    (pf.WELLBEING, 0, 8, "delivery"),  # the August workshop was cancelled
    (pf.MENTORING, None, 8, "delivery"),  # circles pause in August
}


def _every(
    tl: Timeline, category: str, amounts: tuple[int, int], skip: tuple[int, ...] = ()
) -> Plan:
    """The same amount every month of each budget year (but the `skip` months)."""
    return {
        (month, category): amounts[tl.year_index(month)]
        for month in tl.budget_months()
        if month.month not in skip
    }


def _at(tl: Timeline, category: str, first: Months, second: Months | None = None) -> Plan:
    """Given amounts in given months: `first` in year one, `second` (default: same) in year two."""
    plan: Plan = {}
    for i, year in enumerate(tl.years):
        for month, pounds in (first if i == 0 or second is None else second).items():
            plan[date(year, month, 1), category] = pounds
    return plan


def _licence(tl: Timeline, terms: list[ContractTerm], product: str, *, monthly: bool) -> Plan:
    """Licence cost of each term: all in January, or a twelfth each month."""
    plan: Plan = {}
    for term in terms:
        if term.product != product:
            continue
        pounds = term.total_pence // 100
        if monthly:
            for m in range(1, 13):
                plan[date(term.year, m, 1), "licence"] = pounds // 12
        else:
            plan[date(term.year, 1, 1), "licence"] = pounds
    return plan


def _plans(tl: Timeline, terms: list[ContractTerm]) -> dict[str, Plan]:
    """Every product's plan, line by line."""
    cohort_months = {1: 12_000, 2: 48_000, 3: 12_000, 5: 48_000, 6: 12_000, 8: 12_000}
    cohort_months |= {9: 36_000, 10: 12_000, 11: 36_000, 12: 24_000}
    sales_delivery = {m: 9_000 for m in range(3, 13) if m != 8}
    sales_delivery_2 = {m: 9_500 for m in range(1, 13) if m != 8}
    bimonthly = (1, 3, 5, 7, 9, 11)
    return {
        pf.LINKEDIN: _licence(tl, terms, pf.LINKEDIN, monthly=False)
        | _every(tl, "overhead", (500, 500)),
        pf.TECH_LIBRARY: _licence(tl, terms, pf.TECH_LIBRARY, monthly=False)
        | _every(tl, "overhead", (350, 350)),
        pf.LEADERSHIP: _at(tl, "delivery", cohort_months)
        | _at(tl, "other", {2: 9_000, 5: 9_000, 9: 9_000, 11: 9_000})
        | _at(tl, "design_development", {1: 18_000, 2: 14_000, 3: 8_000}, {1: 6_000})
        | _at(tl, "evaluation", {6: 6_000, 12: 6_000})
        | _every(tl, "overhead", (2_500, 2_500)),
        pf.ONBOARDING: _every(tl, "delivery", (5_500, 5_500))
        | _every(tl, "overhead", (1_800, 1_800))
        | _at(tl, "evaluation", {3: 1_500, 6: 1_500, 9: 1_500, 12: 1_500})
        | _at(
            tl,
            "design_development",
            {1: 3_000, 4: 3_000, 7: 3_000, 10: 3_000},
            {1: 12_000, 2: 10_000, 3: 8_000},
        ),
        pf.SALES: _at(
            tl, "design_development", {1: 25_000, 2: 25_000, 3: 15_000, 4: 10_000}, {1: 10_000}
        )
        | _at(tl, "delivery", sales_delivery, sales_delivery_2)
        | _at(tl, "evaluation", {6: 5_000, 12: 5_000})
        | _every(tl, "overhead", (2_500, 2_500)),
        pf.COACHING: _licence(tl, terms, pf.COACHING, monthly=True)
        | _every(tl, "overhead", (800, 800)),
        pf.PILOT: _pilot(tl),
        pf.EXCEL: _every(tl, "delivery", (5_500, 4_000), skip=(8, 12))
        | _every(tl, "overhead", (400, 400)),
        pf.COMPLIANCE: _licence(tl, terms, pf.COMPLIANCE, monthly=False)
        | _at(tl, "design_development", {11: 6_000, 12: 6_000})
        | _every(tl, "overhead", (600, 600)),
        pf.DATA_LITERACY: _at(tl, "design_development", {1: 10_000, 2: 10_000}, {1: 5_000})
        | _at(tl, "delivery", dict.fromkeys(bimonthly, 11_000), dict.fromkeys(bimonthly, 11_500))
        | _at(tl, "evaluation", {6: 2_000, 12: 2_000})
        | _every(tl, "overhead", (1_500, 1_500)),
        pf.MANAGER_ESSENTIALS: _at(tl, "delivery", dict.fromkeys((1, 3, 6, 9, 11), 9_000))
        | _at(tl, "evaluation", {12: 2_000})
        | _every(tl, "overhead", (1_200, 1_200)),
        pf.WELLBEING: _every(tl, "delivery", (3_800, 3_800), skip=(12,))
        | _every(tl, "overhead", (300, 300)),
        pf.SERVICE: _every(tl, "delivery", (8_000, 8_000))
        | _at(tl, "design_development", dict.fromkeys((1, 4, 7, 10), 4_000))
        | _at(tl, "evaluation", {6: 3_000, 12: 3_000})
        | _every(tl, "overhead", (1_000, 1_000)),
        pf.MENTORING: _every(tl, "delivery", (500, 500))
        | _at(tl, "delivery", {3: 1_500, 9: 1_500})  # intake events
        | _every(tl, "overhead", (600, 600)),
        pf.LANGUAGES: _licence(tl, terms, pf.LANGUAGES, monthly=False)
        | _every(tl, "overhead", (150, 150)),
    }


def _pilot(tl: Timeline) -> Plan:
    """Build, run and evaluate the pilot over the four months from its start."""
    first = tl.pilot_start.replace(day=1)
    steps = (
        {"design_development": 12_000},
        {"design_development": 8_000, "delivery": 4_000},
        {"delivery": 4_000},
        {"delivery": 2_000, "evaluation": 3_000},
    )
    plan: Plan = {}
    for offset, lines in enumerate(steps):
        month = add_months(first, offset)
        if month.year in tl.years:
            plan |= {(month, category): pounds for category, pounds in lines.items()}
    return plan


def _actual_pence(
    rng: random.Random, product: str, month: date, category: str, plan: int, tl: Timeline
) -> int | None:
    """What was really spent, in pence; None for months not closed yet."""
    if month > tl.last_closed:
        return None
    year = tl.year_index(month)
    if (product, year, month.month, category) in _KNOWN_ZERO or (
        product,
        None,
        month.month,
        category,
    ) in _KNOWN_ZERO:
        return 0
    bias = _BIAS.get(product, {}).get(category, (1.0, 1.0))[year]
    spread = _NOISE[category]
    factor = bias * (1.0 + rng.uniform(-spread, spread))
    return round(plan * 100 * factor)


# Next year's plan (the ask in the funding review), as a share of this year's plan:
# the pilot scales up, the idle library is cut at renewal, the classroom winds down.
_NEXT_YEAR: dict[str, float] = {
    pf.PILOT: 4.0,
    pf.LINKEDIN: 0.6,
    pf.EXCEL: 0.25,
    pf.LEADERSHIP: 1.05,
    pf.COACHING: 1.0,
    pf.COMPLIANCE: 1.0,
}
_NEXT_YEAR_DEFAULT = 1.03  # everything else: last year's plan plus inflation


def _next_year_rows(
    plans: dict[str, Plan], tl: Timeline, currency: str
) -> list[dict[str, str | None]]:
    """The plan of the year after the budget years (no actuals): what each product asks for.

    Built from the second budget year's lines, moved on a year and scaled by
    `_NEXT_YEAR`; a product asked to stop (share 0) has no lines, so its ask
    reads "not set" rather than an invented zero.
    """
    rows: list[dict[str, str | None]] = []
    year = tl.years[1]
    for product, plan in plans.items():
        share = _NEXT_YEAR.get(product, _NEXT_YEAR_DEFAULT)
        for (month, category), pounds in sorted(plan.items()):
            asked = round(pounds * share)
            if month.year != year or asked <= 0:
                continue
            rows.append(
                {
                    "product": product,
                    "month": f"{year + 1}-{month.month:02d}",
                    "cost_category": category,
                    "plan": written(asked * 100, currency),
                    "actual": None,
                }
            )
    return rows


def budget_rows(
    rng: random.Random, tl: Timeline, terms: list[ContractTerm], currency: str = SAMPLE_CURRENCY
) -> list[dict[str, str | None]]:
    """All budget lines, by product, month and category, then next year's plan.

    Lines with nothing planned and nothing spent are left out; unplanned
    spending appears with a 0.00 plan. The year after the two budget years
    carries plans only (the ask for next year, `_next_year_rows`). Amounts
    are written in `currency` with the same figures (`sample_data.money`).
    """
    rows = []
    plans = _plans(tl, terms)
    for product, plan in plans.items():
        lines = dict(plan)
        for (name, year, month, category), _ in _UNPLANNED.items():
            if name == product:
                lines.setdefault((date(tl.years[year], month, 1), category), 0)
        for month, category in sorted(lines):
            pounds = lines[month, category]
            actual = _actual_pence(rng, product, month, category, pounds, tl)
            extra = _UNPLANNED.get((product, tl.year_index(month), month.month, category))
            if extra is not None and actual is not None:
                actual += extra * 100
            if pounds == 0 and not actual:
                continue
            rows.append(
                {
                    "product": product,
                    "month": f"{month:%Y-%m}",
                    "cost_category": category,
                    "plan": written(pounds * 100, currency),
                    "actual": written(actual, currency),
                }
            )
    return rows + _next_year_rows(plans, tl, currency)
