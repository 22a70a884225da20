"""The funding pack computes the scorecard's figures once, and the chain of evidence reuses them.

Issue 20: the chain of evidence recomputed every product's reach, active learners and
ROI (`metrics.scorecard.scorecard_figures`, a pass over the usage per figure) although
the pack, the Product page and the risks already hold the year's scorecard. It now takes
them from that scorecard (`figures`), with the same result.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import metrics.evidence
import metrics.scorecard
from metrics.evidence import chain_of_evidence
from metrics.onepager import evidence_and_risks
from metrics.risks import RiskThresholds
from metrics.scorecard import in_order, year_scorecard
from tests.metrics.factories import AS_OF, HEALTH, MIN_N, STALE_AFTER_DAYS, YEAR
from tests.test_pack_speed_paths import pack_work, portfolio


def _chain(frames: Any, **kw: Any) -> pl.DataFrame:
    return chain_of_evidence(
        *in_order(frames, year=YEAR),
        year=YEAR,
        as_of=AS_OF,
        currency=frames.currency,
        min_n=MIN_N,
        stale_after_days=STALE_AFTER_DAYS,
        **kw,
    )


def test_the_chain_from_the_scorecards_figures_is_the_chain_computed_afresh() -> None:
    frames = portfolio(12)
    card = year_scorecard(frames, year=YEAR, thresholds=HEALTH)
    assert_frame_equal(_chain(frames, figures=card), _chain(frames))
    # Given in another order, or with more products than the frames hold, the same rows.
    shuffled = card.sample(fraction=1.0, shuffle=True, seed=3)
    assert_frame_equal(_chain(frames, figures=shuffled), _chain(frames))


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    figures = metrics.scorecard.scorecard_figures

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return figures(*args, **kwargs)

    monkeypatch.setattr(metrics.scorecard, "scorecard_figures", counted)
    monkeypatch.setattr(metrics.evidence, "scorecard_figures", counted)
    return calls


def test_evidence_and_risks_take_the_scorecard_they_are_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frames = portfolio(12)
    card = year_scorecard(frames, year=YEAR, thresholds=HEALTH)
    calls = _counting(monkeypatch)
    evidence, risks = evidence_and_risks(
        frames,
        card,
        year=YEAR,
        as_of=AS_OF,
        min_n=MIN_N,
        stale_after_days=STALE_AFTER_DAYS,
        thresholds=RiskThresholds(),
    )
    assert calls == []
    assert evidence.height == 6 * 12 and risks.height > 0


def test_the_pack_computes_the_scorecards_figures_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    pack_work(10)
    assert len(calls) == 1, f"scorecard_figures ran {len(calls)} times for one pack"
