"""pages.label_layout: scatter labels never cover each other nor leave the plot."""

from hypothesis import given, settings
from hypothesis import strategies as st

from pages.label_layout import Plot, label_box, log_ticks, place_labels

AREA = Plot(width=380, height=330, x_range=(-0.05, 1.15), y_range=(0.5, 4.5), y_log=True)

points = st.lists(
    st.tuples(
        st.floats(0, 1.1),
        st.floats(10**0.5, 10**4.5),
        st.text(alphabet="abcdefgh &", min_size=1, max_size=30),
        st.floats(6, 25),
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(points)
def test_placed_labels_never_overlap_and_stay_inside(pts: list) -> None:
    xs, ys, texts, radii = (list(c) for c in zip(*pts, strict=True)) if pts else ([], [], [], [])
    sides = place_labels(xs, ys, texts, radii, priority=radii, plot=AREA)
    boxes = []
    for x, y, text, r, side in zip(xs, ys, texts, radii, sides, strict=True):
        if side is None:
            continue
        px, py = AREA.to_pixels(x, y)
        box = label_box(side, px, py, r, text, AREA)
        assert box[0] >= 0 and box[2] <= AREA.width and box[1] >= 0 and box[3] <= AREA.height
        boxes.append(box)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_four_neighbours_of_the_sample_are_not_all_stacked() -> None:
    # The overview's crowded corner (sample portfolio, 2026): four academies within a few
    # percent of reach and cost. Before: all four labels drawn on top of each other.
    xs, ys = [0.02, 0.03, 0.05, 0.06], [1150.0, 1000.0, 900.0, 850.0]
    names = ["Excel Classroom Courses", "Sales Academy", "Customer Service Academy",
             "Data Literacy Bootcamp"]  # fmt: skip
    sides = place_labels(xs, ys, names, [8, 15, 12, 10], priority=[53, 127, 109, 77], plot=AREA)
    assert sides[1] is not None  # the biggest spend always keeps its name
    assert len({s for s in sides if s}) == sum(s is not None for s in sides)


def test_log_ticks_cover_yen_sized_costs() -> None:
    # cost per learner of ¥40,000 .. ¥900,000: ticks in that range (the fixed £1..£30,000
    # ticks left a yen axis blank above 30,000)
    assert log_ticks(4.3, 6.1) == [30_000, 100_000, 300_000, 1_000_000]
