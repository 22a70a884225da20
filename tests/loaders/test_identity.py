"""`loaders.identity.learner_identity`: who a row is about, whatever the cells hold."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from loaders.identity import learner_identity

_CELL = st.one_of(st.none(), st.sampled_from(["", " ", "Ann@X.example ", " ANN  Lee", "u-7"]))


def _by_normalised_cells(frame: pl.DataFrame) -> pl.DataFrame:
    """The rule written out: the first of e-mail, user id and name that is not null once
    normalised (trimmed, case-folded, spaces collapsed) is the key."""
    email = pl.col("email").str.strip_chars().str.to_lowercase()
    user_id = pl.col("user_id").str.strip_chars().str.to_lowercase()
    name = pl.col("name").str.strip_chars().str.replace_all(r"\s+", " ")
    kind = (
        pl.when(email.is_not_null())
        .then(pl.lit("email"))
        .when(user_id.is_not_null())
        .then(pl.lit("user_id"))
        .when(name.is_not_null())
        .then(pl.lit("name"))
    )
    return frame.select(kind.alias("key_kind"), pl.coalesce(email, user_id, name).alias("ident"))


@given(st.lists(st.tuples(_CELL, _CELL, _CELL), max_size=12))
def test_the_kind_and_identity_follow_the_normalised_cells(
    rows: list[tuple[str | None, str | None, str | None]],
) -> None:
    frame = pl.DataFrame(
        rows, schema=dict.fromkeys(("email", "user_id", "name"), pl.String), orient="row"
    )
    got = frame.select(learner_identity())
    assert got.to_dicts() == _by_normalised_cells(frame).to_dicts()


def test_worked_rows() -> None:
    frame = pl.DataFrame(
        {
            "email": [" Ann@X.example", None, None, None],
            "user_id": ["u-1", " U-7 ", None, None],
            "name": ["Ann", "Bo", " Cy   Dee ", None],
        }
    )
    assert frame.select(learner_identity()).rows() == [
        ("email", "ann@x.example"),
        ("user_id", "u-7"),
        ("name", "Cy Dee"),
        (None, None),
    ]
