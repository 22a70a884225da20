"""The sample's calendar: which months, years and quarters an as-of date implies.

Everything in the sample is placed relative to one as-of date so that the
portfolio is always "current" and a given as-of always yields the same files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["Timeline", "add_months", "month_end", "random_day"]


def add_months(first: date, months: int) -> date:
    """First day of the month `months` after the month of `first` (negative goes back)."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    """Last day of the month holding `first`."""
    return add_months(first, 1) - timedelta(days=1)


def random_day(
    rng: random.Random,
    start: date,
    end: date,
    *,
    month_weights: tuple[float, ...] | None = None,
    workdays: bool = True,
) -> date:
    """A random day in [start, end], optionally seasonal and moved off weekends.

    Seasonality is applied by rejection (a month's weight over the heaviest
    month's weight is the chance a draw in it is kept), which keeps the draw
    cheap and the result inside the span whatever the weights.

    Raises
    ------
    ValueError
        When `end` is before `start`.
    """
    if end < start:
        msg = f"empty span: {start} .. {end}"
        raise ValueError(msg)
    span = (end - start).days
    top = max(month_weights) if month_weights else 1.0
    day = start
    for _ in range(12):
        day = start + timedelta(days=rng.randint(0, span))
        if month_weights is None or rng.random() * top <= month_weights[day.month - 1]:
            break
    if workdays and day.weekday() >= 5:
        back = day - timedelta(days=day.weekday() - 4)
        ahead = day + timedelta(days=7 - day.weekday())
        day = back if back >= start else ahead if ahead <= end else day
    return day


@dataclass(frozen=True)
class Timeline:
    """Months, budget years and quarters of a sample generated as of `as_of`.

    Attributes
    ----------
    as_of : date
        The day the sample is "run"; no file holds a later date.

    Notes
    -----
    * History: the 24 months ending in the as-of month (`start` .. `as_of`).
    * Budget years: the calendar years the window touches, from its first
      full year; always two, i.e. 24 months of plan.
    * Actuals are known up to `last_closed`, the last complete month.
    * Activity happens up to `last_day`, the day before the as-of date.
    """

    as_of: date

    @property
    def start(self) -> date:
        """First day of the 24-month history window."""
        return add_months(self.as_of.replace(day=1), -23)

    @property
    def years(self) -> tuple[int, int]:
        """The two budget years (calendar years)."""
        first = self.start.year if self.start.month == 1 else self.start.year + 1
        return first, first + 1

    @property
    def last_closed(self) -> date:
        """First day of the last complete month before the as-of month."""
        return add_months(self.as_of.replace(day=1), -1)

    @property
    def last_day(self) -> date:
        """Last day with recorded activity (reports are run on the as-of date)."""
        return self.as_of - timedelta(days=1)

    def budget_months(self) -> list[date]:
        """First days of the 24 budget months, January of the first year onwards."""
        first = date(self.years[0], 1, 1)
        return [add_months(first, i) for i in range(24)]

    def year_span(self, year: int) -> tuple[date, date]:
        """The part of calendar `year` that has happened: Jan 1 .. min(Dec 31, last day)."""
        return date(year, 1, 1), min(date(year, 12, 31), self.last_day)

    def closed_quarters(self) -> list[date]:
        """Quarter-end months (first days) of the budget years that are complete."""
        ends = [date(y, m, 1) for y in self.years for m in (3, 6, 9, 12)]
        return [q for q in ends if q <= self.last_closed]

    def closed_halves(self) -> list[date]:
        """Half-year-end months (June, December) of the budget years that are complete."""
        return [q for q in self.closed_quarters() if q.month in (6, 12)]

    def year_index(self, day: date) -> int:
        """0 for the first budget year, 1 for the second (earlier dates count as 0)."""
        return max(0, min(1, day.year - self.years[0]))

    @property
    def pilot_start(self) -> date:
        """The Monday about nine weeks before the as-of date, when the pilot began."""
        day = self.as_of - timedelta(days=63)
        return day - timedelta(days=day.weekday())
