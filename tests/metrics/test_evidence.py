from datetime import date

import polars as pl
import pytest

from metrics.evidence import CHAIN_LINKS, chain_of_evidence
from metrics.experiments import experiment_results
from metrics.schema import EXPERIMENTS
from metrics.scorecard import product_scorecard
from tests.metrics import factories as f
from tests.metrics.factories import AS_OF, HEALTH, MIN_N, STALE_AFTER_DAYS, YEAR


def m(month: int) -> date:
    return date(YEAR, month, 1)


@pytest.fixture
def frames() -> dict[str, pl.DataFrame]:
    """1 Leadership: 40 of an audience of 100 active (last on 2 Nov), NPS 42 (n 88, Sep) and a
    newer relevance 4.5 (Oct), score gain 12 (n 20, Jun), 64 % applying (n 46, Jun), two
    monetised level-4 rows (n 35 in Mar, n 40 in Sep), actual cost 100.00.
    2 Coaching: 5 active, no audience size; relevance 3.9 (n 12, Jan); a level-3 score that is
    not a rate (n 50, Feb); a level-4 row without attribution (n 100, Apr).
    3 Pilot: nothing."""
    products = f.products(
        {"product_id": 1, "product": "Leadership", "lifecycle_stage": "mature",
         "strategic_fit": 4, "target_audience_size": 100},
        {"product_id": 2, "product": "Coaching", "lifecycle_stage": "growth", "strategic_fit": 3},
        {"product_id": 3, "product": "Pilot", "lifecycle_stage": "pilot", "strategic_fit": 5},
    )  # fmt: skip
    usage = f.usage(
        *({"learner_id": i, "date": date(2026, 3, 1 + i % 28), "minutes": 10.0} for i in range(39)),
        {"learner_id": 39, "date": date(2026, 11, 2), "minutes": 10.0},
        *({"product_id": 2, "learner_id": i, "date": m(2), "minutes": 5.0} for i in range(5)),
    )
    outcomes = f.outcomes(
        {"level": 1, "measure": "Relevance (1-5)", "value": 4.5, "n": 60, "period": m(10)},
        {"level": 1, "measure": "Learner NPS", "value": 42.0, "n": 88, "period": m(9)},
        {"level": 2, "measure": "Assessment score gain (pts)", "value": 12.0, "n": 20,
         "period": m(6)},
        {"level": 3, "measure": "Applying on the job (%)", "value": 64.0, "n": 46, "period": m(6)},
        f.monetised(value=105.0, n=35, period=m(3)),
        f.monetised(n=40, period=m(9)),
        {"product_id": 2, "level": 1, "measure": "Relevance (1-5)", "value": 3.9, "n": 12,
         "period": m(1)},
        {"product_id": 2, "level": 3, "measure": "Manager observation score", "value": 3.2,
         "n": 50, "period": m(2)},
        {"product_id": 2, "level": 4, "measure": "Repeat contacts", "value": 9.0, "n": 100,
         "baseline": 11.0, "period": m(4)},
    )  # fmt: skip
    budgets = f.budgets({"month": m(1), "actual_minor": 100_00, "plan_minor": 100_00})
    return {"products": products, "usage": usage, "outcomes": outcomes, "budgets": budgets,
            "contracts": f.contracts()}  # fmt: skip


def chain(frames: dict, **kw: object) -> pl.DataFrame:
    thresholds = {"min_n": MIN_N, "stale_after_days": STALE_AFTER_DAYS}
    return chain_of_evidence(
        **frames, **{"year": YEAR, "as_of": AS_OF, **thresholds, **kw}, currency="GBP"
    )


def links(df: pl.DataFrame, product: int) -> dict[str, dict]:
    return {r["link"]: r for r in df.filter(pl.col("product_id") == product).iter_rows(named=True)}


def test_six_links_per_product_in_chain_order(frames: dict) -> None:
    got = chain(frames)
    assert got.columns == [
        "product_id", "link", "level", "measure", "value", "unit", "n", "period", "age_days",
        "strength", "source",
    ]  # fmt: skip
    assert got.get_column("product_id").to_list() == [1] * 6 + [2] * 6 + [3] * 6
    assert got.get_column("link").to_list()[:6] == list(CHAIN_LINKS)
    assert got.get_column("level").to_list()[:6] == [0, 1, 2, 3, 4, 5]


def test_a_full_chain(frames: dict) -> None:
    got = links(chain(frames), 1)
    summary = {k: (v["measure"], v["value"], v["unit"], v["n"], v["age_days"], v["strength"])
               for k, v in got.items()}  # fmt: skip
    # computed by hand:
    # reach: 40 active / 100 = 0.4, last activity 2 Nov -> age 21 days, n 40 -> moderate
    # reaction: the NPS row wins over the newer relevance row; 1 Sep .. 23 Nov = 83 days
    # learning: n 20 < 30 -> weak; 1 Jun .. 23 Nov = 175 days
    # behaviour: 64 % -> 0.64, n 46 -> moderate
    # results: the September row, isolated (attribution and confidence), n 40 -> strong
    # roi: benefits (105 - 100) x 100 x 0.4 + (110 - 100) x 100 x 0.4 = 200 + 400 = 600.00 on
    #   100.00 -> (600 - 100) / 100 = 5.0; n = min(35, 40) = 35, newest row Sep -> strong
    assert summary == {
        "reach": ("active learners ÷ target audience", 0.4, "%", 40, 21, "moderate"),
        "reaction": ("Learner NPS", 42.0, "NPS", 88, 83, "moderate"),
        "learning": ("Assessment score gain (pts)", 12.0, "points", 20, 175, "weak"),
        "behaviour": ("Applying on the job (%)", 0.64, "%", 46, 175, "moderate"),
        "results": ("sales", 110.0, "as recorded", 40, 83, "strong"),
        "roi": ("ROI on actual cost", pytest.approx(5.0), "%", 35, 83, "strong"),
    }
    assert got["reach"]["period"] == m(11)


def test_reach_and_roi_are_the_scorecards(frames: dict) -> None:
    card = product_scorecard(
        frames["products"], frames["budgets"], frames["contracts"], frames["usage"],
        frames["outcomes"], year=YEAR, thresholds=HEALTH, currency="GBP",
    )  # fmt: skip
    got = chain(frames)
    for link, column in (("reach", "reach"), ("roi", "roi")):
        values = got.filter(pl.col("link") == link).get_column("value").to_list()
        assert values == card.get_column(column).to_list()


def test_weak_and_missing_links(frames: dict) -> None:
    got = links(chain(frames), 2)
    # reach: no audience size -> no value -> none (its n, 5 active learners, is still shown)
    assert (got["reach"]["value"], got["reach"]["n"], got["reach"]["strength"]) == (None, 5, "none")
    # reaction: relevance only, n 12 -> weak, unit as recorded
    assert (got["reaction"]["unit"], got["reaction"]["strength"]) == ("as recorded", "weak")
    assert got["learning"]["strength"] == "none" and got["learning"]["value"] is None
    # behaviour: not a rate, so the latest level-3 row as recorded, n 50 -> moderate
    assert (got["behaviour"]["value"], got["behaviour"]["unit"]) == (3.2, "as recorded")
    assert got["behaviour"]["strength"] == "moderate"
    # results: no attribution or confidence, so at most moderate; ROI cannot be monetised
    assert got["results"]["strength"] == "moderate"
    assert (got["roi"]["value"], got["roi"]["strength"]) == (None, "none")


def test_a_product_with_nothing_has_no_evidence(frames: dict) -> None:
    got = links(chain(frames), 3)
    assert {link: row["strength"] for link, row in got.items()} == dict.fromkeys(
        CHAIN_LINKS, "none"
    )
    assert all(row["value"] is None for row in got.values())


def test_evidence_older_than_a_year_is_weak(frames: dict) -> None:
    # Looking at 2026 from 1 Dec 2027: 1 Sep 2026 .. 1 Dec 2027 = 456 days > 365
    got = links(chain(frames, as_of=date(2027, 12, 1)), 1)
    assert got["reaction"]["age_days"] == 456
    assert {k: v["strength"] for k, v in got.items()} == dict.fromkeys(CHAIN_LINKS, "weak")


def test_the_thresholds_can_be_set(frames: dict) -> None:
    got = links(chain(frames, min_n=50, stale_after_days=100), 1)
    # n 88 and 83 days: moderate; n 46 < 50: weak; results n 40 < 50: weak; reach age 21, n 40 < 50
    strengths = {k: v["strength"] for k, v in got.items()}
    assert strengths == {
        "reach": "weak",
        "reaction": "moderate",
        "learning": "weak",
        "behaviour": "weak",
        "results": "weak",
        "roi": "weak",
    }


def test_outcome_rows_after_as_of_are_not_evidence_yet(frames: dict) -> None:
    got = links(chain(frames, as_of=date(2026, 7, 15)), 1)
    # On 15 July the September NPS and level-4 rows do not exist yet: the reaction link has no
    # NPS, so it shows the latest level-1 row before then (none: relevance is from October).
    assert got["reaction"]["value"] is None
    assert (got["results"]["measure"], got["results"]["period"]) == ("sales", m(3))
    assert (got["results"]["value"], got["results"]["n"]) == (105.0, 35)
    assert got["results"]["strength"] == "strong"


def _variants(rows: list[tuple[int, str, str, int, int, str, float | None]]) -> pl.DataFrame:
    """(product, experiment, variant, participants, conversions, metric, hoped), ended 31 Oct."""
    return pl.DataFrame(
        [
            {"product_id": p, "experiment": e, "variant": v, "position": i % 2,
             "participants": n, "conversions": c, "mean": None, "sd": None, "metric": metric,
             "hoped_effect": hoped, "ended": date(2026, 10, 31)}
            for i, (p, e, v, n, c, metric, hoped) in enumerate(rows)
        ],
        schema=EXPERIMENTS,
    )  # fmt: skip


def test_a_proven_experiment_is_isolated_evidence_for_its_metrics_link(frames: dict) -> None:
    # Product 2: complaints 100 of 500 (20%) without the nudge, 70 of 500 (14%) with it:
    # effect −6 points, pooled z = 0.06 / sqrt(0.17 x 0.83 x 2/500) = 2.53, p = 0.012 < 0.05,
    # the way hoped (down). Its level-4 row has no attribution (moderate); the experiment's
    # control group isolates the effect: n 1,000 >= MIN_N, 23 days old, strong, so it wins.
    # Product 3: completion 50 of 100 vs 52 of 100, p = 0.78: not proven, not evidence.
    variants = _variants(
        [
            (2, "Nudge", "control", 500, 100, "customer complaints rate", -0.05),
            (2, "Nudge", "nudge", 500, 70, "customer complaints rate", -0.05),
            (3, "Reminder", "control", 100, 50, "completion rate", None),
            (3, "Reminder", "email", 100, 52, "completion rate", None),
        ]
    )
    got = chain(frames, experiments=experiment_results(variants))
    results = links(got, 2)["results"]
    assert results["source"] == "experiment"
    assert results["strength"] == "strong"
    assert results["value"] == pytest.approx(-6.0)
    assert (results["unit"], results["n"], results["age_days"]) == ("points", 1000, 23)
    assert results["measure"] == "effect on customer complaints rate (Nudge: nudge vs control)"
    assert links(got, 3)["reach"]["strength"] == "none"
    # Product 1's links keep their outcome rows, which say where they came from.
    assert {k: v["source"] for k, v in links(got, 1).items()} == {
        "reach": "usage", "reaction": "template", "learning": "template",
        "behaviour": "template", "results": "template", "roi": "benefits",
    }  # fmt: skip


def test_each_link_says_which_import_its_evidence_came_from(frames: dict) -> None:
    sources = pl.DataFrame(
        {"product_id": [1], "period": [m(9)], "level": [1], "measure": ["Learner NPS"],
         "kind": ["actual"], "source": ["survey"]}
    )  # fmt: skip
    got = links(chain(frames, sources=sources), 1)
    assert (got["reaction"]["measure"], got["reaction"]["source"]) == ("Learner NPS", "survey")
    assert got["learning"]["source"] == "template"
    assert links(chain(frames), 3)["reaction"]["source"] is None  # no evidence, no source
