import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.criteria import CRITERION_KEYS
from planning.scoring import (
    IMPACT_SCALE,
    SAATY_SCALE,
    ahp_weights,
    normalise_weights,
    pairwise_matrix,
    rice_scores,
    weighted_scores,
)
from tests.planning import planning_rows


def _scores(*rows: dict[str, float]) -> pl.DataFrame:
    """A criterion-scores frame; criteria not given score 0."""
    data = [{key: 0.0 for key in CRITERION_KEYS} | row for row in rows]
    return pl.DataFrame(
        data, schema={"product_id": pl.Int64, **dict.fromkeys(CRITERION_KEYS, pl.Float64)}
    )


def _by_id(df: pl.DataFrame, column: str) -> dict[int, object]:
    return dict(zip(df.get_column("product_id"), df.get_column(column), strict=True))


# --- normalise_weights --------------------------------------------------------------


def test_weights_are_scaled_to_sum_to_one() -> None:
    # computed by hand: 3 / (3 + 1) = 0.75, 1 / 4 = 0.25
    assert normalise_weights({"strategic_fit": 3, "reach": 1}) == {
        "strategic_fit": 0.75,
        "reach": 0.25,
    }


@pytest.mark.parametrize("weights", [{}, {"reach": 0.0, "strategic_fit": 0}])
def test_all_zero_weights_give_none(weights: dict[str, float]) -> None:
    assert normalise_weights(weights) is None


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_bad_weights_are_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="weight 'reach'"):
        normalise_weights({"strategic_fit": 1.0, "reach": bad})


# --- weighted_scores ----------------------------------------------------------------


def test_weighted_score_with_contributions() -> None:
    scores = _scores(
        {"product_id": 1, "strategic_fit": 0.75, "reach": 0.5},
        {"product_id": 2, "strategic_fit": 0.25, "reach": 1.0},
    )
    got = weighted_scores(scores, {"strategic_fit": 3, "reach": 1})
    assert got.columns == [
        "product_id",
        "score",
        "contribution_strategic_fit",
        "contribution_reach",
        "criteria_scored",
        "rank",
    ]
    # computed by hand: product 1: 100 × 0.75 × 0.75 = 56.25 and 100 × 0.25 × 0.5 = 12.5,
    # score 68.75; product 2: 100 × 0.75 × 0.25 = 18.75 and 25.0, score 43.75
    assert got.rows() == [
        (1, pytest.approx(68.75), pytest.approx(56.25), pytest.approx(12.5), 2, 1),
        (2, pytest.approx(43.75), pytest.approx(18.75), pytest.approx(25.0), 2, 2),
    ]


def test_ties_are_ranked_by_product_id() -> None:
    scores = _scores({"product_id": 9, "reach": 0.5}, {"product_id": 4, "reach": 0.5})
    got = weighted_scores(scores, {"reach": 1.0})
    assert got.select("product_id", "rank").rows() == [(4, 1), (9, 2)]


def test_all_zero_weights_leave_score_and_rank_null() -> None:
    scores = _scores({"product_id": 2, "reach": 0.5}, {"product_id": 1, "reach": 0.9})
    got = weighted_scores(scores, {"reach": 0.0, "strategic_fit": 0.0})
    assert got.get_column("product_id").to_list() == [1, 2]
    for column in ("score", "contribution_reach", "rank"):
        assert got.get_column(column).null_count() == 2
    assert weighted_scores(scores, {}).get_column("score").null_count() == 2


def test_a_criterion_not_tracked_is_left_out_and_the_weights_renormalised() -> None:
    scores = _scores(
        {"product_id": 1, "reach": 0.5, "strategic_fit": 0.8},
        {"product_id": 2, "reach": 0.5},
    ).with_columns(
        pl.when(pl.col("product_id") == 2)
        .then(None)
        .otherwise(pl.col("strategic_fit"))
        .alias("strategic_fit")
    )
    got = weighted_scores(scores, {"reach": 1.0, "strategic_fit": 3.0})
    rows = {r["product_id"]: r for r in got.iter_rows(named=True)}
    # computed by hand: product 1 has both: 100 × (0.25 × 0.5 + 0.75 × 0.8) = 12.5 + 60 = 72.5.
    assert rows[1]["score"] == pytest.approx(72.5)
    assert rows[1]["criteria_scored"] == 2
    # Product 2's fit is not tracked: reach alone, 100 × 0.25 × 0.5 ÷ 0.25 = 50, not the
    # 12.5 a zero for fit would give; its fit contribution is null (not tracked), not 0.
    assert rows[2]["score"] == pytest.approx(50.0)
    assert rows[2]["contribution_reach"] == pytest.approx(50.0)
    assert rows[2]["contribution_strategic_fit"] is None
    assert rows[2]["criteria_scored"] == 1


def test_a_product_with_no_weighted_criterion_tracked_has_no_score() -> None:
    scores = _scores({"product_id": 1, "reach": 0.5}).with_columns(
        pl.lit(None, dtype=pl.Float64).alias("reach")
    )
    got = weighted_scores(scores, {"reach": 1.0})
    assert got.select("score", "rank", "criteria_scored").row(0) == (None, None, 0)


def test_an_unknown_weight_key_is_refused() -> None:
    with pytest.raises(ValueError, match="'popularity'"):
        weighted_scores(_scores({"product_id": 1}), {"popularity": 1.0})


_score = st.floats(0.0, 1.0)
_product_scores = st.fixed_dictionaries(dict.fromkeys(CRITERION_KEYS, _score))
_portfolios = st.lists(_product_scores, min_size=1, max_size=8).map(
    lambda rows: _scores(*({**row, "product_id": i + 1} for i, row in enumerate(rows)))
)
# A weight is 0 or a real setting (a slider moves in steps of 0.5; AHP weights are ≥ 1/9 of
# the largest): subnormal floats such as 5e-324 underflow to 0 when scaled, which is not a
# ranking question.
_weight = st.one_of(st.just(0.0), st.floats(0.001, 10.0))
_weights = st.fixed_dictionaries(dict.fromkeys(CRITERION_KEYS, _weight)).filter(
    lambda w: sum(w.values()) > 0
)


@settings(max_examples=30, deadline=None)
@given(_portfolios, _weights)
def test_scores_lie_between_0_and_100_and_contributions_add_up(
    scores: pl.DataFrame, weights: dict[str, float]
) -> None:
    got = weighted_scores(scores, weights)
    total = got.select(pl.sum_horizontal(pl.col("^contribution_.*$"))).to_series()
    for score, added in zip(got.get_column("score"), total, strict=True):
        assert -1e-9 <= score <= 100 + 1e-9
        assert score == pytest.approx(added)
    assert sorted(got.get_column("rank")) == list(range(1, scores.height + 1))


@settings(max_examples=30, deadline=None)
@given(_portfolios, _product_scores, _weights)
def test_adding_a_product_leaves_the_others_scores_unchanged(
    scores: pl.DataFrame, newcomer: dict[str, float], weights: dict[str, float]
) -> None:
    before = weighted_scores(scores, weights)
    more = pl.concat([scores, _scores({**newcomer, "product_id": 999})])
    after = weighted_scores(more, weights).filter(pl.col("product_id") != 999)
    assert _by_id(after, "score") == _by_id(before, "score")
    # the others keep their order among themselves
    assert after.get_column("product_id").to_list() == before.get_column("product_id").to_list()


@settings(max_examples=30, deadline=None)
@given(_portfolios, _weights, st.sampled_from([0.25, 0.5, 2.0, 8.0, 1024.0]))
def test_scaling_the_weights_keeps_the_ranking(
    scores: pl.DataFrame, weights: dict[str, float], factor: float
) -> None:
    # Powers of two scale exactly, so the normalised weights are bit-for-bit the same.
    scaled = {key: value * factor for key, value in weights.items()}
    assert weighted_scores(scores, scaled).equals(weighted_scores(scores, weights))


def test_scaling_by_any_constant_keeps_the_scores() -> None:
    scores = _scores(
        {"product_id": 1, "strategic_fit": 0.2, "reach": 0.9},
        {"product_id": 2, "strategic_fit": 0.7, "reach": 0.1},
        {"product_id": 3, "strategic_fit": 0.4, "reach": 0.4},
    )
    base = weighted_scores(scores, {"strategic_fit": 2, "reach": 1})
    tripled = weighted_scores(scores, {"strategic_fit": 6, "reach": 3})
    assert tripled.get_column("product_id").to_list() == base.get_column("product_id").to_list()
    assert tripled.get_column("score").to_list() == pytest.approx(
        base.get_column("score").to_list()
    )


@settings(max_examples=30, deadline=None)
@given(_portfolios, _weights, st.randoms(use_true_random=False))
def test_row_order_changes_nothing(scores: pl.DataFrame, weights: dict, rnd) -> None:
    order = list(range(scores.height))
    rnd.shuffle(order)
    assert weighted_scores(scores[order], weights).equals(weighted_scores(scores, weights))


# --- AHP ----------------------------------------------------------------------------


def test_ahp_textbook_example() -> None:
    a = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    got = ahp_weights(a, ["fit", "reach", "cost"])
    # The standard worked example: principal eigenvector (0.637, 0.258, 0.105),
    # λmax 3.039, CI (3.039 − 3)/2 = 0.019, CR 0.019/0.58 = 0.033.
    assert [round(w, 3) for w in got.weights.values()] == [0.637, 0.258, 0.105]
    assert list(got.weights) == ["fit", "reach", "cost"]
    assert round(got.lambda_max, 3) == 3.039
    assert round(got.consistency_index, 3) == 0.019
    assert round(got.consistency_ratio, 3) == 0.033
    assert got.consistent
    assert math.fsum(got.weights.values()) == pytest.approx(1.0)


def test_pairwise_matrix_from_labels_fills_reciprocals_and_unjudged_pairs() -> None:
    got = pairwise_matrix(
        {("fit", "reach"): "more important", ("cost", "fit"): "much less important"},
        ["fit", "reach", "cost"],
    )
    # fit vs reach 3 (reach vs fit 1/3); cost vs fit 1/5 (fit vs cost 5); reach vs cost unjudged: 1
    expected = np.array([[1, 3, 5], [1 / 3, 1, 1], [1 / 5, 1, 1]])
    np.testing.assert_allclose(got, expected)


def test_the_saaty_labels() -> None:
    assert list(SAATY_SCALE.values()) == [1 / 9, 1 / 5, 1 / 3, 1, 3, 5, 9]


def test_a_custom_scale() -> None:
    got = pairwise_matrix({("a", "b"): "more"}, ["a", "b"], scale={"more": 2.0})
    np.testing.assert_allclose(got, [[1, 2], [0.5, 1]])


def test_pairwise_from_the_textbook_judgements_gives_the_textbook_weights() -> None:
    judgements = {("fit", "reach"): 3.0, ("fit", "cost"): 5.0, ("reach", "cost"): 3.0}
    keys = ["fit", "reach", "cost"]
    got = ahp_weights(pairwise_matrix(judgements, keys), keys)
    assert round(got.weights["fit"], 3) == 0.637


def test_contradictory_judgements_are_flagged() -> None:
    # a ≫ b, b ≫ c and yet c ≫ a: a cycle, as inconsistent as it gets
    keys = ["a", "b", "c"]
    judgements = {("a", "b"): 9.0, ("b", "c"): 9.0, ("c", "a"): 9.0}
    got = ahp_weights(pairwise_matrix(judgements, keys), keys)
    assert got.consistency_ratio > 0.10
    assert not got.consistent


@pytest.mark.parametrize("n", [1, 2])
def test_one_or_two_criteria_are_always_consistent(n: int) -> None:
    keys = ["a", "b"][:n]
    got = ahp_weights(pairwise_matrix({("a", "b"): 4.0} if n == 2 else {}, keys), keys)
    assert got.consistency_index == 0.0
    assert got.consistency_ratio == 0.0
    # computed by hand: a 4× b → 4/5 and 1/5
    expected = {"a": 0.8, "b": 0.2} if n == 2 else {"a": 1.0}
    assert got.weights == pytest.approx(expected)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.05, 20.0), min_size=3, max_size=9))
def test_a_perfectly_consistent_matrix_gives_back_its_weights(raw: list[float]) -> None:
    w = np.array(raw) / sum(raw)
    keys = [f"k{i}" for i in range(len(raw))]
    got = ahp_weights(np.outer(w, 1 / w), keys)
    assert list(got.weights.values()) == pytest.approx(list(w), rel=1e-6)
    assert got.consistency_ratio == pytest.approx(0.0, abs=1e-9)
    assert got.consistent


@pytest.mark.parametrize(
    ("judgements", "match"),
    [
        ({("a", "z"): 3.0}, "unknown criterion 'z'"),
        ({("a", "a"): 3.0}, "itself or twice"),
        ({("a", "b"): 3.0, ("b", "a"): 1 / 3}, "itself or twice"),
        ({("a", "b"): 0.0}, "positive"),
        ({("a", "b"): "hugely more"}, "unknown label"),
    ],
)
def test_bad_judgements_are_refused(judgements: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        pairwise_matrix(judgements, ["a", "b"])


@pytest.mark.parametrize(
    ("matrix", "keys", "match"),
    [
        (np.ones((2, 3)), ["a", "b"], "square"),
        (np.ones((11, 11)), [str(i) for i in range(11)], "1-10"),
        (np.array([[1, 2], [2, 1]]), ["a", "b"], "reciprocal"),
        (np.array([[1, -1], [-1, 1]]), ["a", "b"], "positive"),
        (np.ones((2, 2)), ["a", "a"], "repeat"),
    ],
)
def test_bad_matrices_are_refused(matrix: np.ndarray, keys: list[str], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        ahp_weights(matrix, keys)


# --- RICE ---------------------------------------------------------------------------


def test_rice_worked_example() -> None:
    rows = planning_rows(
        {
            "product_id": 1,
            "active_learners": 5000,
            "bcr": 1.6,
            "evidence_level": 3,
            "budget": 2000.0,
        }
    )
    got = rice_scores(rows).row(0, named=True)
    # computed by hand: impact 2 (BCR 1.6 ≥ 1.5), confidence 0.8 (level 3),
    # effort 2,000 / 1,000 = 2 (£k); 5000 × 2 × 0.8 / 2 = 4,000
    assert got == {
        "product_id": 1,
        "rice_reach": 5000,
        "rice_impact": 2.0,
        "rice_confidence": 0.8,
        "rice_effort": 2.0,
        "rice": pytest.approx(4000.0),
        "rice_rank": 1,
    }


@pytest.mark.parametrize(
    ("bcr", "level", "impact", "confidence"),
    [
        (3.0, 4, 3.0, 1.0),
        (1.5, 3, 2.0, 0.8),
        (1.0, 2, 1.0, 0.5),
        (0.9, 2, 0.5, 0.5),  # BCR below 1, evidence of learning: low
        (None, 1, 0.25, 0.5),  # no value, reaction only: minimal
        (None, 0, 0.25, 0.5),
    ],
)
def test_rice_defaults_from_the_evidence(
    bcr: float | None, level: int, impact: float, confidence: float
) -> None:
    rows = planning_rows(
        {"product_id": 1, "active_learners": 10, "bcr": bcr, "evidence_level": level}
    )
    got = rice_scores(rows).row(0, named=True)
    assert (got["rice_impact"], got["rice_confidence"]) == (impact, confidence)


def test_rice_is_null_without_reach_or_budget() -> None:
    rows = planning_rows(
        {"product_id": 1, "active_learners": None, "budget": 1000.0},
        {"product_id": 2, "active_learners": 100, "budget": 0.0},
        {"product_id": 3, "active_learners": 100, "budget": 0.0, "budget_known": False},
        {"product_id": 4, "active_learners": 100, "budget": 1000.0},
    )
    got = rice_scores(rows)
    # computed by hand: product 4: 100 × 0.25 × 0.5 / 1 = 12.5
    assert _by_id(got, "rice") == {1: None, 2: None, 3: None, 4: pytest.approx(12.5)}
    assert _by_id(got, "rice_rank") == {1: None, 2: None, 3: None, 4: 1}
    assert got.get_column("product_id").to_list()[0] == 4  # ranked first, unranked after


def test_rice_overrides_and_ranking() -> None:
    rows = planning_rows(
        {"product_id": 1, "active_learners": 1000, "budget": 10_000.0},
        {"product_id": 2, "active_learners": 1000, "budget": 10_000.0},
    )
    got = rice_scores(rows, impact={2: IMPACT_SCALE["massive"], 99: 1.0}, confidence={2: 1.0})
    # computed by hand: product 2: 1000 × 3 × 1.0 / 10 = 300;
    # product 1 (defaults): 1000 × 0.25 × 0.5 / 10 = 12.5
    assert got.select("product_id", "rice", "rice_rank").rows() == [
        (2, pytest.approx(300.0), 1),
        (1, pytest.approx(12.5), 2),
    ]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"impact": {1: 4.0}}, "impact of product 1"),
        ({"confidence": {1: 1.5}}, "confidence of product 1"),
        ({"confidence": {1: -0.1}}, "confidence of product 1"),
    ],
)
def test_rice_overrides_out_of_range_are_refused(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        rice_scores(planning_rows({"product_id": 1}), **kwargs)


def test_ranking_names_products_and_counts_the_move() -> None:
    from planning.scoring import ranking

    inputs = pl.DataFrame(
        {"product_id": [1, 2], "product": ["A", "B"], "health": ["Invest", "Fix"]}
    )
    scores = pl.DataFrame(
        {
            "product_id": [1, 2],
            **{key: [0.0, 0.0] for key in CRITERION_KEYS},
        }
    ).with_columns(strategic_fit=pl.Series([1.0, 0.0]), reach=pl.Series([0.0, 1.0]))
    # baseline: fit only → A first; now reach only → B first, one place up; A one down
    got = ranking(inputs, scores, {"reach": 1.0}, baseline={"strategic_fit": 1.0})
    assert got["product"].to_list() == ["B", "A"]
    assert got["moved"].to_list() == [1, -1]
    assert got["health"].to_list() == ["Fix", "Invest"]
