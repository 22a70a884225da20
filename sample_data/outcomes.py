"""outcomes.csv: the chain of evidence per product, level 1 (reaction) to 4 (impact).

Sample sizes come from the generated usage (a survey's n is a share of the
people who took part in its period), so the figures agree with each other.
Only complete quarters and half-years are reported. Level-4 rows carry the
Phillips isolation: baseline, unit value (money per unit of the measure, in
the reporting currency with the same figures as the pounds of the stories),
attribution and confidence percents, and a direction where less is better.
Benefit of a row = (value - baseline) x unit value x attribution/100 x
confidence/100, sign flipped for direction "lower".
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from datetime import date

from loaders.formats.portfolio import OUTCOMES
from sample_data import portfolio as pf
from sample_data.money import SAMPLE_CURRENCY, written
from sample_data.timeline import Timeline, add_months, month_end

__all__ = ["Reach", "outcome_rows"]

NPS, RELEVANCE = "Learner NPS", "Relevance (1-5)"
GAIN, APPLYING = "Assessment score gain (pts)", "Applying on the job (%)"

Row = dict[str, str | None]


class Reach:
    """Who was active when, per product: the source of every survey's n.

    Parameters
    ----------
    touches
        product -> (learner e-mail, day of activity) pairs.
    """

    def __init__(self, touches: dict[str, list[tuple[str, date]]]) -> None:
        self._touches = touches
        self._first: dict[str, dict[str, date]] = {}
        for product, pairs in touches.items():
            first: dict[str, date] = {}
            for email, day in pairs:
                if email not in first or day < first[email]:
                    first[email] = day
            self._first[product] = first

    def active(self, product: str, start: date, end: date) -> int:
        """Distinct learners with activity in [start, end]."""
        pairs = self._touches.get(product, [])
        return len({email for email, day in pairs if start <= day <= end})

    def starters(self, product: str, start: date, end: date) -> int:
        """Distinct learners whose first activity falls in [start, end]."""
        return sum(start <= d <= end for d in self._first.get(product, {}).values())

    def cumulative(self, product: str, end: date) -> int:
        """Distinct learners who had started by `end`."""
        return sum(d <= end for d in self._first.get(product, {}).values())


def _fmt(value: float, decimals: int) -> str:
    """Fixed decimals, without a negative zero."""
    text = f"{value:.{decimals}f}"
    return text[1:] if text in ("-0", "-0.0", "-0.00") else text


class _Builder:
    """Collects the rows of one product, with its random stream and period spans."""

    def __init__(
        self, product: str, tl: Timeline, reach: Reach, rng: random.Random, currency: str
    ) -> None:
        self.product, self.tl, self.reach, self.rng = product, tl, reach, rng
        self.currency = currency
        self.rows: list[Row] = []

    def span(self, period: date, months: int) -> tuple[date, date]:
        """The `months` ending with the month of `period`."""
        return add_months(period, 1 - months), month_end(period)

    def series(
        self,
        level: int,
        measure: str,
        periods: Iterable[date],
        value: float | Callable[[int, date], float],
        n: Callable[[date], int],
        *,
        decimals: int = 0,
        noise: float = 0.0,
        impact: tuple[float, float, float, float, str] | None = None,
    ) -> None:
        """One row per period; skipped where n < 5 (too few to report).

        `value` is a number, or a function of (period index, period) for a
        trend. `impact` = (baseline, unit value in pounds, attribution %,
        confidence %, direction) for level-4 rows.
        """
        for k, period in enumerate(periods):
            count = n(period)
            if count < 5:
                continue
            central = value(k, period) if callable(value) else value
            shown = central + self.rng.uniform(-noise, noise)
            row: Row = dict.fromkeys(OUTCOMES.template)
            row |= {
                "product": self.product,
                "period": f"{period:%Y-%m}",
                "level": str(level),
                "measure": measure,
                "value": _fmt(shown, decimals),
                "n": str(count),
            }
            if impact is not None:
                baseline, unit_value, attribution, confidence, direction = impact
                row |= {
                    "baseline": _fmt(baseline, decimals),
                    "unit_value": written(round(unit_value * 100), self.currency),
                    "attribution_pct": _fmt(attribution, 0),
                    "confidence_pct": _fmt(confidence, 0),
                    "direction": direction,
                }
            self.rows.append(row)

    def share(self, fraction: float, months: int) -> Callable[[date], int]:
        """Survey n: a share of the people active in the `months` ending at the period."""
        return lambda p: round(fraction * self.reach.active(self.product, *self.span(p, months)))

    def reaction(
        self, periods: list[date], months: int, nps: float, relevance: float, *, trend: float = 0.0
    ) -> None:
        """Level 1: NPS and relevance from the end-of-course survey (about a third reply)."""
        n = self.share(0.35, months)
        self.series(1, NPS, periods, lambda k, _: nps + trend * k, n, noise=3)
        self.series(
            1, RELEVANCE, periods, lambda k, _: relevance + trend * k / 40, n, decimals=1, noise=0.1
        )

    def learning_and_application(self, periods: list[date], gain: float, applying: float) -> None:
        """Level 2 (assessment gain) and level 3 (applying it, 90-day manager survey)."""
        self.series(2, GAIN, periods, gain, self.share(0.8, 6), decimals=1, noise=1.5)
        self.series(3, APPLYING, periods, lambda k, _: applying + k, self.share(0.45, 6), noise=3)


def outcome_rows(
    tl: Timeline, reach: Reach, seed: int, currency: str = SAMPLE_CURRENCY
) -> list[Row]:
    """All outcome rows, product by product, each product with its own random stream.

    Unit values are written in `currency` with the figures of the stories.
    """
    rows: list[Row] = []
    for product, build in _PRODUCTS.items():
        rng = random.Random(f"{seed}:outcomes:{product}")
        builder = _Builder(product, tl, reach, rng, currency)
        build(builder)
        rows += builder.rows
    return rows


def _leadership(b: _Builder) -> None:
    """Flagship: strong chain of evidence; regretted leavers fall by about a third."""
    quarters, halves = b.tl.closed_quarters(), b.tl.closed_halves()
    b.reaction(quarters, 3, 64, 4.6)
    b.learning_and_application(halves, 18, 70)

    def teams(period: date) -> int:
        """People in the teams of managers who took part in the last 12 months (~8 each)."""
        return 8 * b.reach.active(b.product, *b.span(period, 12))

    b.series(
        4,
        "Regretted leavers in participants' teams (per quarter)",
        quarters,
        lambda k, _: 26.0 - min(7.0 + 0.6 * k, 11.5),
        teams,
        decimals=1,
        noise=0.4,
        impact=(26.0, 42_000, 55, 80, "lower"),
    )


def _onboarding(b: _Builder) -> None:
    """Time to proficiency down ~3 weeks; valued per week of each quarter's joiners."""
    quarters, halves = b.tl.closed_quarters(), b.tl.closed_halves()
    b.reaction(quarters, 3, 41, 4.3)
    b.learning_and_application(halves, 24, 64)
    for quarter in quarters:
        joiners = b.reach.starters(b.product, *b.span(quarter, 3))
        target = 10.3 - 0.7 * b.tl.year_index(quarter)
        b.series(
            4,
            "Time to proficiency (weeks)",
            [quarter],
            target,
            lambda _p, j=joiners: j,
            decimals=1,
            noise=0.25,
            impact=(13.0, joiners * 520, 45, 70, "lower"),
        )


def _sales(b: _Builder) -> None:
    """Win rate climbs once the first cohorts are certified (from the second quarter)."""
    quarters = [q for q in b.tl.closed_quarters() if q >= date(b.tl.years[0], 6, 1)]
    b.reaction(b.tl.closed_quarters(), 3, 42, 4.2, trend=1.2)
    b.learning_and_application(b.tl.closed_halves(), 15, 58)
    b.series(
        4,
        "Win rate on qualified opportunities (%)",
        quarters,
        lambda k, _: 21.0 + min(1.0 + 0.55 * k, 4.2),
        lambda p: b.reach.cumulative(b.product, month_end(p)),
        decimals=1,
        noise=0.2,
        impact=(21.0, 60_000, 40, 75, "higher"),
    )


def _service(b: _Builder) -> None:
    """Some impact (fewer repeat contacts), but it covers only part of the cost."""
    quarters = b.tl.closed_quarters()
    b.reaction(quarters, 3, 36, 4.1)
    b.learning_and_application(b.tl.closed_halves(), 20, 68)
    b.series(
        4,
        "Repeat contacts (% of contacts)",
        quarters,
        lambda k, _: 16.6 - 0.03 * k,
        lambda p: b.reach.cumulative(b.product, month_end(p)),
        decimals=1,
        noise=0.25,
        impact=(18.0, 88_000, 25, 60, "lower"),
    )


def _coaching(b: _Builder) -> None:
    """Popular but unproven: great reaction from many users, nothing beyond level 1."""
    n = b.share(0.22, 3)
    quarters = b.tl.closed_quarters()
    b.series(1, NPS, quarters, lambda k, _: 58 + 0.8 * k, n, noise=2)
    b.series(1, RELEVANCE, quarters, 4.5, n, decimals=1, noise=0.1)


def _pilot(b: _Builder) -> None:
    """One small pulse survey after the first sessions: too early to judge."""
    month = b.tl.last_closed
    n = min(15, round(0.4 * b.reach.active(b.product, *b.span(month, 2))))
    b.series(1, NPS, [month], 45, lambda _: n)


def _excel(b: _Builder) -> None:
    """Reaction falls from lukewarm to negative as the libraries cover the same ground."""
    quarters = b.tl.closed_quarters()
    n = b.share(0.8, 3)  # paper forms at the end of a classroom day: most reply
    b.series(1, NPS, quarters, lambda k, _: 16 - 4.2 * k, n, noise=3)
    b.series(1, RELEVANCE, quarters, lambda k, _: 3.3 - 0.1 * k, n, decimals=1, noise=0.1)


def _compliance(b: _Builder) -> None:
    """Done by everyone, rated so-so; the end-of-course test is passed at the first attempt."""
    periods = [date(y, 3, 1) for y in b.tl.years if date(y, 3, 1) <= b.tl.last_closed]

    def done(period: date) -> int:
        """Completions of the year's campaign by the end of the survey period."""
        return b.reach.active(b.product, date(period.year, 1, 1), month_end(period))

    answered = lambda p: round(0.28 * done(p))  # noqa: E731  (the survey is optional)
    b.series(1, RELEVANCE, periods, 3.4, answered, decimals=1, noise=0.1)
    b.series(2, "Assessment pass rate (%)", periods, 96.8, done, decimals=1, noise=0.6)


def _linkedin(b: _Builder) -> None:
    """Lukewarm and cooling reaction from the few who use it."""
    halves = b.tl.closed_halves()
    b.series(1, NPS, halves, lambda k, _: 14 - 3 * k, b.share(0.3, 6), noise=2)
    b.series(1, RELEVANCE, halves, 3.5, b.share(0.3, 6), decimals=1, noise=0.1)


def _tech_library(b: _Builder) -> None:
    """Engineers like it and use what they learn; no business measure tracked."""
    halves = b.tl.closed_halves()
    b.series(1, NPS, halves, 44, b.share(0.3, 6), noise=3)
    b.series(2, GAIN, halves, 12, b.share(0.25, 6), decimals=1, noise=1)
    b.series(3, APPLYING, halves, 66, b.share(0.2, 6), noise=3)


def _data_literacy(b: _Builder) -> None:
    """Good evidence up to level 3."""
    halves = b.tl.closed_halves()
    b.reaction(halves, 6, 48, 4.4)
    b.learning_and_application(halves, 22, 61)


def _manager_essentials(b: _Builder) -> None:
    """Modest, steady evidence up to level 3."""
    halves = b.tl.closed_halves()
    b.reaction(halves, 6, 31, 4.0)
    b.learning_and_application(halves, 14, 55)


def _wellbeing(b: _Builder) -> None:
    """Well liked; reaction only."""
    b.reaction(b.tl.closed_quarters(), 3, 56, 4.4)


def _mentoring(b: _Builder) -> None:
    """Loved by a small group; mentees say they use their development plans."""
    halves = b.tl.closed_halves()
    b.reaction(halves, 6, 72, 4.7)
    b.series(3, APPLYING, halves, 78, b.share(0.5, 6), noise=3)


_PRODUCTS: dict[str, Callable[[_Builder], None]] = {
    pf.LINKEDIN: _linkedin,
    pf.TECH_LIBRARY: _tech_library,
    pf.LEADERSHIP: _leadership,
    pf.ONBOARDING: _onboarding,
    pf.SALES: _sales,
    pf.COACHING: _coaching,
    pf.PILOT: _pilot,
    pf.EXCEL: _excel,
    pf.COMPLIANCE: _compliance,
    pf.DATA_LITERACY: _data_literacy,
    pf.MANAGER_ESSENTIALS: _manager_essentials,
    pf.WELLBEING: _wellbeing,
    pf.SERVICE: _service,
    pf.MENTORING: _mentoring,
}
