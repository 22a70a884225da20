"""planning.decisions: the user's decisions honoured by the best set, and its one sentence."""

from __future__ import annotations

import polars as pl

from planning.decisions import CUT, SUNSET, best_set_sentence, decided_out


def test_a_cut_to_minus_100_and_a_sunset_label_are_decisions() -> None:
    inputs = pl.DataFrame(
        {"product_id": [1, 2, 3, 4], "health": ["Invest", "Sunset", "Fix", "Sunset"]}
    )
    # 1 stopped in the what-if; 2 Sunset; 3 only halved (not a decision to stop);
    # 4 both: the user's own cut is the reason given.
    assert decided_out(inputs, {1: -1.0, 3: -0.5, 4: -1.0}) == {1: CUT, 2: SUNSET, 4: CUT}


def test_the_sentence_says_what_each_group_gets_and_why() -> None:
    names = {1: "Alpha", 2: "Beta", 3: "Gamma", 4: "Delta", 5: "Eps"}
    levels = {1: 1.25, 2: 1.25, 3: 0.5, 4: 1.0, 5: 0.0}
    got = best_set_sentence(levels, names, {})
    assert got == (
        "The best set puts extra money (125 % of plan) into Alpha and Beta, where more money "
        "buys the most value points; trims Gamma (50 %), whose value falls least for the money "
        "saved; keeps Delta at plan; and leaves out Eps (the least value for its cost)."
    )


def test_a_product_left_out_by_a_decision_says_so_and_long_lists_are_shortened() -> None:
    names = {i: f"P{i}" for i in range(1, 7)}
    levels = {1: 0.0, 2: 1.25, 3: 1.25, 4: 1.25, 5: 1.25, 6: 1.25}
    got = best_set_sentence(levels, names, {1: SUNSET})
    assert got == (
        "The best set puts extra money (125 % of plan) into P2, P3, P4 and 2 more, where more "
        "money buys the most value points; and leaves out P1 (labelled Sunset)."
    )


def test_nothing_funded_says_so() -> None:
    assert best_set_sentence({1: 0.0}, {1: "A"}, {1: CUT}) == (
        "The best set leaves out A (cut to −100 % in your what-if)."
    )
