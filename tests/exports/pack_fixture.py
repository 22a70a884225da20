"""A hand-made funding pack in the full schema, for the HTML and PDF writer tests.

Four products, chosen for what they exercise:

* "Leadership Academy": every figure tracked, benefits and ROI, a full chain
  of evidence, a licence with idle seats.
* ``=HYPERLINK("http://x","y")``: a formula-like name that must export inert.
* ``Ops "Quick" Wins 🚀 & <Co> אקדמיה``: quotes, an emoji, markup characters and
  right-to-left text in one name.
* "Untracked Pilot": nothing tracked but the plan (every null must read
  "not tracked", never 0).

Suppliers (issue 19): three vendors ("Acme Learning", the formula-like
"@vendor", and one without a contract), two renewals to decide (one with usage
not tracked) and seats to reclaim on the tracked products.

`make_pack(scenario=False)` leaves the scenario out (null).
"""

from __future__ import annotations

import copy
from typing import Any

INJECTION = '=HYPERLINK("http://x","y")'
TRICKY = 'Ops "Quick" Wins 🚀 & <Co> אקדמיה'
RTL_ONLY = "أكاديمية المبيعات"
UNTRACKED = "Untracked Pilot"


def _months(plan: float, actual: float | None, active: int | None) -> list[dict[str, Any]]:
    out = []
    for m in range(1, 13):
        out.append(
            {
                "month": f"2026-{m:02d}",
                "plan": plan,
                "actual": (actual if m <= 10 else None) if actual is not None else None,
                "active_learners": active if m <= 10 else None,
            }
        )
    return out


def _evidence(*, tracked: bool) -> list[dict[str, Any]]:
    links = [
        ("reach", 0, "Reach", "reach", 0.62, "%", 250, "moderate"),
        ("reaction", 1, "Reaction (L1)", "Learner NPS", 41.0, "NPS", 180, "moderate"),
        ("learning", 2, "Learning (L2)", "Score gain (points)", 12.5, "points", 150, "moderate"),
        ("behaviour", 3, "Behaviour (L3)", "application_rate", 0.48, "%", 22, "weak"),
        ("results", 4, "Results (L4)", "Regretted attrition %", 0.091, "%", 400, "strong"),
        ("roi", 5, "ROI (L5)", "roi", 1.85, "%", 400, "strong"),
    ]
    out = []
    for link, level, label, measure, value, unit, n, strength in links:
        keep = tracked
        out.append(
            {
                "link": link,
                "level": level,
                "label": label,
                "measure": measure if keep else None,
                "value": value if keep else None,
                "unit": unit,
                "n": n if keep else None,
                "as_of": "2026-09" if keep else None,
                "age_days": 54 if keep else None,
                "strength": strength if keep else "none",
            }
        )
    return out


def _tdrp(spend_plan: float | None, spend_ytd: float | None) -> list[dict[str, Any]]:
    return [
        {
            "group": "Efficiency",
            "measure": "Spend",
            "unit": "GBP",
            "last_year": 150_000.0,
            "plan": spend_plan,
            "ytd": spend_ytd,
            "ytd_pct_of_plan": 0.97 if spend_ytd is not None else None,
            "forecast": spend_plan,
            "forecast_pct_of_plan": 1.0 if spend_plan else None,
            "status": "green",
        },
        {
            "group": "Efficiency",
            "measure": "Active learners",
            "unit": "people",
            "last_year": 210,
            "plan": None,
            "ytd": 250 if spend_ytd is not None else None,
            "ytd_pct_of_plan": None,
            "forecast": 300 if spend_ytd is not None else None,
            "forecast_pct_of_plan": None,
            "status": None,
        },
        {
            "group": "Effectiveness",
            "measure": "Learner NPS (L1)",
            "unit": "NPS",
            "last_year": 35.0,
            "plan": 40.0,
            "ytd": 41.0 if spend_ytd is not None else None,
            "ytd_pct_of_plan": 1.025 if spend_ytd is not None else None,
            "forecast": 41.0 if spend_ytd is not None else None,
            "forecast_pct_of_plan": 1.025 if spend_ytd is not None else None,
            "status": "green" if spend_ytd is not None else None,
        },
        {
            "group": "Outcome",
            "measure": "ROI",
            "unit": "%",
            "last_year": 1.2,
            "plan": 1.5,
            "ytd": 1.85 if spend_ytd is not None else None,
            "ytd_pct_of_plan": 1.23 if spend_ytd is not None else None,
            "forecast": 1.85 if spend_ytd is not None else None,
            "forecast_pct_of_plan": 1.23 if spend_ytd is not None else None,
            "status": "green" if spend_ytd is not None else None,
        },
    ]


def _risks(level: str) -> list[dict[str, Any]]:
    return [
        {"kind": "value", "level": level, "reason": "Benefits rest on one level-4 measure."},
        {"kind": "usability", "level": "low", "reason": "Learners rate it highly (NPS 41)."},
        {"kind": "feasibility", "level": "medium", "reason": "Two facilitators only."},
        {"kind": "viability", "level": "low", "reason": "Within plan; sponsor committed."},
    ]


def _tracked_product(name: str, *, health: str, plan: float, actual: float) -> dict[str, Any]:
    forecast = actual + 2 * plan / 12
    return {
        "product": name,
        "category": "programme",
        "lifecycle_stage": "mature",
        "vendor": "Acme Learning",
        "budget_plan": plan,
        "actual_cost": actual,
        "forecast_cost": forecast,
        "unique_learners": 320,
        "active_learners": 250,
        "target_audience_size": 400,
        "reach": 0.625,
        "seats": 300,
        "seat_utilisation": 250 / 300,
        "over_subscribed_by": None,
        "idle_seats": 50,
        "idle_spend": 12_500.0,
        "completions": 180,
        "cost_per_active_learner": actual / 250,
        "cost_per_completion": actual / 180,
        "benefits": 360_000.0,
        "bcr": 360_000.0 / actual,
        "roi": (360_000.0 - actual) / actual,
        "payback_months": actual / (360_000.0 / 12),
        "usage_tracked": True,
        "health": health,
        "health_reasons": ["ROI 185% on level-4 evidence", "83% of seats in use"],
        "profile": {
            "owner": "Sofia Marin",
            "sponsor": "Chief People Officer",
            "target_audience": "People managers",
            "business_problem": "Regretted attrition was highest in teams whose managers "
            "had no leadership development.",
            "business_goal": "Retain and grow our talent",
            "strategic_fit": 5,
        },
        "summary": "£126k of £150k spent; 17% of seats idle; ROI 185% on level-4 evidence.",
        "fully_loaded_cost": 171_400.0,
        "cost_by_category": [
            {"category": "delivery", "plan": plan * 0.6, "actual": actual * 0.6},
            {"category": "licence", "plan": plan * 0.3, "actual": actual * 0.3},
            {"category": "evaluation", "plan": plan * 0.1, "actual": actual * 0.1},
        ],
        "monthly": _months(plan / 12, actual / 10, 250),
        "evidence": _evidence(tracked=True),
        "assumptions": [
            {
                "measure": "Regretted attrition %",
                "period": "2026-09",
                "value": 9.1,
                "baseline": 14.0,
                "delta": 4.9,
                "direction": "lower",
                "unit_value": 45_000.0,
                "attribution_pct": 50.0,
                "confidence_pct": 80.0,
                "n": 400,
                "benefit": 360_000.0,
                "missing": [],
            }
        ],
        "tdrp": _tdrp(plan, actual),
        "ask": {"year": 2027, "plan": plan * 1.1, "change": 0.1, "source": "budgets"},
        "risks": _risks("medium"),
    }


def _untracked_product(name: str) -> dict[str, Any]:
    return {
        "product": name,
        "category": "other",
        "lifecycle_stage": "pilot",
        "vendor": None,
        "budget_plan": 20_000.0,
        "actual_cost": None,
        "forecast_cost": 20_000.0,
        "unique_learners": None,
        "active_learners": None,
        "target_audience_size": None,
        "reach": None,
        "seats": None,
        "seat_utilisation": None,
        "over_subscribed_by": None,
        "idle_seats": None,
        "idle_spend": None,
        "completions": None,
        "cost_per_active_learner": None,
        "cost_per_completion": None,
        "benefits": None,
        "bcr": None,
        "roi": None,
        "payback_months": None,
        "usage_tracked": False,
        "health": "Fix",
        "health_reasons": ["usage not tracked"],
        "profile": {
            "owner": None,
            "sponsor": None,
            "target_audience": None,
            "business_problem": None,
            "business_goal": None,
            "strategic_fit": None,
        },
        "summary": "No spend recorded yet; usage not tracked; no level-3 evidence yet.",
        "fully_loaded_cost": None,
        "cost_by_category": [],
        "monthly": _months(20_000.0 / 12, None, None),
        "evidence": _evidence(tracked=False),
        "assumptions": [],
        "tdrp": _tdrp(20_000.0, None),
        "ask": {"year": 2027, "plan": None, "change": None, "source": "not set"},
        "risks": _risks("high"),
    }


RECONCILIATION = (
    "Idle seats 50 and seats to reclaim 35 differ: 20 seats were never assigned to anyone "
    "(idle, but no one to reclaim them from); 5 people were active earlier in the term but not "
    "in the last 60 days (reclaimable, not idle)."
)


def _suppliers(products: list[dict[str, Any]]) -> dict[str, Any]:
    """The portfolio's supplier keys; sets each product's (tracked: 35 seats at £250)."""
    for p in products:
        tracked = p["usage_tracked"]
        p["seats_to_reclaim"] = 35 if tracked else None
        p["reclaim_value"] = 35 * 250.0 if tracked else None
        p["reclaim_reconciliation"] = RECONCILIATION if tracked else None
        p["renewal_to_decide"] = p["product"] in (INJECTION, UNTRACKED)
    vendor = {
        "vendor": "Acme Learning", "contracts": 3, "seats": 900, "contract_value": 225_000.0,
        "actual_cost": 260_000.0, "active_learners": 750, "completions": 540,
        "cost_per_active_learner": 346.67, "cost_per_completion": 481.48,
        "seat_utilisation": 750 / 900, "idle_spend": 37_500.0,
    }  # fmt: skip
    return {
        "seats_to_reclaim": 35 * 4,
        "reclaim_value": 35 * 4 * 250.0,
        "vendors": [
            vendor,
            {
                **vendor,
                "vendor": "@vendor",
                "contracts": 1,
                "seats": 300,
                "contract_value": 75_000.0,
                "actual_cost": 38_000.0,
                "active_learners": 250,
                "completions": 180,
                "cost_per_active_learner": 152.0,
                "cost_per_completion": 211.11,
                "seat_utilisation": 250 / 300,
                "idle_spend": 12_500.0,
            },
            {
                **vendor,
                "vendor": "Coaching Co",
                "contracts": None,
                "seats": None,
                "contract_value": None,
                "actual_cost": 12_000.0,
                "active_learners": None,
                "completions": None,
                "cost_per_active_learner": None,
                "cost_per_completion": None,
                "seat_utilisation": None,
                "idle_spend": None,
            },
        ],
        "renewals_to_decide": [
            {
                "product": INJECTION,
                "vendor": "@vendor",
                "renewal_date": "2026-12-31",
                "days_to_renewal": 38,
                "reason": "low utilisation",
                "seat_utilisation": 0.42,
                "idle_spend": 12_500.0,
                "seats": 300,
            },
            {
                "product": UNTRACKED,
                "vendor": "Coaching Co",
                "renewal_date": "2027-01-31",
                "days_to_renewal": 69,
                "reason": "usage not tracked",
                "seat_utilisation": None,
                "idle_spend": None,
                "seats": 40,
            },
        ],
    }


def make_pack(*, scenario: bool = True) -> dict[str, Any]:
    """The fixture pack for 2026, as of 2026-11-23, in GBP."""
    products = [
        _tracked_product("Leadership Academy", health="Invest", plan=150_000.0, actual=126_000.0),
        _tracked_product(INJECTION, health="Sunset", plan=40_000.0, actual=38_000.0),
        _tracked_product(TRICKY, health="Fix", plan=60_000.0, actual=64_000.0),
        _tracked_product(RTL_ONLY, health="Invest", plan=80_000.0, actual=70_000.0),
        _untracked_product(UNTRACKED),
    ]
    products[1]["vendor"] = "@vendor"
    products[1]["profile"] = {**products[1]["profile"], "owner": "-owner", "sponsor": "+sponsor"}
    plan = sum(p["budget_plan"] for p in products)
    actual = sum(p["actual_cost"] or 0 for p in products)
    pack: dict[str, Any] = {
        "generated_at": "2026-11-23T09:00:00+00:00",
        "year": 2026,
        "as_of": "2026-11-23",
        "currency": "GBP",
        "products": products,
        "portfolio": {
            "budget_plan": plan,
            "actual_cost": actual,
            "forecast_cost": sum(p["forecast_cost"] or 0 for p in products),
            "active_learners": 900,
            "seats": 1200,
            "seat_utilisation": 0.83,
            "idle_seats": 200,
            "idle_spend": 50_000.0,
            "benefits": 1_440_000.0,
            "bcr": 1_440_000.0 / actual,
            "roi": (1_440_000.0 - actual) / actual,
            "products": len(products),
            "products_by_health": {"Invest": 2, "Fix": 2, "Sunset": 1},
            "tdrp": _tdrp(plan, actual),
            "monthly": _months(plan / 12, actual / 10, 900),
            **_suppliers(products),
        },
        "assumptions": {
            "amortisation_years": 2.0,
            "loaded_hourly_rate": 45.0,
            "health_thresholds": {
                "utilisation_fix_below": 0.5,
                "utilisation_sunset_below": 0.2,
                "roi_invest_at_least": 0.0,
                "roi_sunset_below": -0.5,
                "overspend_fix_above": 0.1,
                "strategic_fit_sunset_at_most": 2,
                "compliance_reach_fix_below": 0.9,
            },
            "currency": "GBP",
            "rag_amber": 0.05,
            "rag_red": 0.1,
            "evidence_min_n": 30,
            "evidence_stale_after_days": 365,
            "reclaim_after_days": 60,
        },
        "scenario": None,
    }
    if scenario:
        pack["scenario"] = {
            "name": "Cap at £300k",
            "cap": 300_000.0,
            "rows": [
                {
                    "product": p["product"],
                    "budget": p["budget_plan"],
                    "scenario_budget": 0.0 if p["health"] == "Sunset" else p["budget_plan"],
                    "change": -1.0 if p["health"] == "Sunset" else 0.0,
                    "funded": p["health"] != "Sunset",
                }
                for p in products
            ],
            "totals": {
                "budget": plan,
                "scenario_budget": plan - 40_000.0,
                "cap": 300_000.0,
                "gap": 300_000.0 - (plan - 40_000.0),
            },
            "added": [],
            "dropped": [INJECTION],
            "notes": "=1+1 drop the sunset product",
            "value": 412.5,
        }
    return copy.deepcopy(pack)
