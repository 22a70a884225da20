"""Where a scatter chart's text labels go so that none covers another.

Why: plotly draws every point's text where it is told, so neighbours'
names pile up on each other (four academies at similar cost and reach read
as one smudge on a projector). Here labels are placed greedily, most
important point first, on the first side of its marker where the label
neither overlaps a label already placed nor leaves the plot (a label may
cross another bubble: they are translucent); a point with no
free side keeps its marker and hover text only. Drawing geometry, not a
figure: nothing here changes a number shown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Plot", "label_box", "log_ticks", "place_labels"]

_SIDES = ("top center", "bottom center", "middle right", "middle left")
_CHAR_WIDTH = 0.6  # of the font size: a generous average for proportional sans fonts
_GAP = 3.0


@dataclass(frozen=True)
class Plot:
    """The plot area in pixels and the data ranges it shows (a log axis by its exponents)."""

    width: float
    height: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    y_log: bool = False
    font_size: float = 11.0

    def to_pixels(self, x: float, y: float) -> tuple[float, float]:
        """Pixel position of a data point, origin bottom left."""
        x0, x1 = self.x_range
        y0, y1 = self.y_range
        yy = math.log10(y) if self.y_log else y
        return (x - x0) / (x1 - x0) * self.width, (yy - y0) / (y1 - y0) * self.height


def label_box(
    side: str, px: float, py: float, radius: float, text: str, plot: Plot
) -> tuple[float, float, float, float]:
    """The pixel box (left, bottom, right, top) `text` takes on `side` of a marker at (px, py)."""
    w = len(text) * plot.font_size * _CHAR_WIDTH
    h = plot.font_size * 1.3
    if side == "top center":
        return px - w / 2, py + radius + _GAP, px + w / 2, py + radius + _GAP + h
    if side == "bottom center":
        return px - w / 2, py - radius - _GAP - h, px + w / 2, py - radius - _GAP
    if side == "middle right":
        return px + radius + _GAP, py - h / 2, px + radius + _GAP + w, py + h / 2
    return px - radius - _GAP - w, py - h / 2, px - radius - _GAP, py + h / 2


_CLEARANCE = 3.0
"""Pixels kept between two labels: the browser's text box differs from the estimate by ~1 px."""


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    c = _CLEARANCE
    return a[0] < b[2] + c and b[0] < a[2] + c and a[1] < b[3] + c and b[1] < a[3] + c


def place_labels(
    xs: Sequence[float],
    ys: Sequence[float],
    texts: Sequence[str],
    radii: Sequence[float],
    *,
    priority: Sequence[float],
    plot: Plot,
) -> list[str | None]:
    """A plotly `textposition` per point, or None where its label would cover another.

    Parameters
    ----------
    xs, ys, texts, radii
        Each point's data position, label and marker radius in pixels.
    priority
        Larger first: the points whose labels matter most (e.g. spend).
    plot
        The plot area the labels must stay inside.

    Examples
    --------
    Two points at the same spot: the bigger one is labelled above, the other
    below it; a third on the right edge is labelled on its left.

    >>> area = Plot(width=400, height=300, x_range=(0, 1), y_range=(0, 1))
    >>> place_labels([0.5, 0.5, 1.0], [0.5, 0.5, 0.2], ["Big", "Small", "Edge"], [10, 10, 5],
    ...              priority=[2, 1, 0], plot=area)
    ['top center', 'bottom center', 'middle left']
    """
    placed: list[tuple[float, float, float, float]] = []
    sides: list[str | None] = [None] * len(texts)
    order = sorted(range(len(texts)), key=lambda i: -priority[i])
    for i in order:
        px, py = plot.to_pixels(xs[i], ys[i])
        for side in _SIDES:
            box = label_box(side, px, py, radii[i], texts[i], plot)
            inside = box[0] >= 0 and box[2] <= plot.width and box[1] >= 0 and box[3] <= plot.height
            clear = not any(_overlaps(box, other) for other in placed)
            if inside and clear:
                placed.append(box)
                sides[i] = side
                break
    return sides


def log_ticks(low: float, high: float) -> list[float]:
    """1-3-10 tick values whose exponents lie in [low, high] (a log axis's range).

    Examples
    --------
    >>> log_ticks(1.2, 3.1)
    [30, 100, 300, 1000]
    """
    return [
        m * 10**e
        for e in range(math.floor(low), math.ceil(high) + 1)
        for m in (1, 3)
        if low <= math.log10(m * 10**e) <= high
    ]
