"""Data kept in the app: edits made in a table, saved as an import of their own.

Why an import: an edit then goes through exactly the validation a file gets
(a negative seat count, an unknown product, a bad month or amount: refused
with row and column), is all-or-nothing, shows in the import history with
who made it and when, and can be undone like any import; reads already take
the newest import per key (`models.frames`), so the edited row wins.

Only the rows that changed (or were added) are written, as the template's
CSV; a refusal's row numbers are turned back into the table's own rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import polars as pl
from sqlalchemy import Connection, Engine

from loaders.formats import TEMPLATES
from loaders.pipeline import import_file
from loaders.result import ImportResult
from metrics.currency import minor_per_major
from models.access import Actor, Role, require
from models.frames import budgets_frame, contracts_frame, outcomes_frame, products_frame

__all__ = ["EDITABLE", "Editable", "add_release", "changed_rows", "editable_rows", "save_edits"]


@dataclass(frozen=True)
class Editable:
    """One table the Manage data page edits: its template, columns and the columns naming a row.

    The columns and key come from the template's own format, so what can be
    edited is always what can be imported.
    """

    template: str

    @property
    def columns(self) -> tuple[str, ...]:
        """The template's columns, in its order."""
        return TEMPLATES[self.template].template

    @property
    def key(self) -> tuple[str, ...]:
        """Locked on existing rows: changing them would add a row, not edit one."""
        extra = ("kind",) if self.template == "outcomes.csv" else ()  # actual vs forecast
        return (*(k for k in TEMPLATES[self.template].key_headers if isinstance(k, str)), *extra)

    @property
    def label(self) -> str:
        """The table's name as the page says it ("budgets")."""
        return self.template.removesuffix(".csv")


EDITABLE: dict[str, Editable] = {
    name: Editable(f"{name}.csv") for name in ("products", "contracts", "budgets", "outcomes")
}
"""The tables a user edits in the app (usage comes from reports, not typed in)."""


def _month(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%Y-%m")


def _money(column: str, per: int) -> pl.Expr:
    return (pl.col(f"{column}_minor") / per).alias(column)


def editable_rows(
    conn: Connection, table: str, *, currency: str, product: str | None, year: int | None
) -> pl.DataFrame:
    """The rows of `table` as its template writes them (money in major units, months as text).

    `product` narrows to one product; `year` narrows budgets to its months and
    outcomes to its periods (contracts: those in force in it).
    """
    spec = EDITABLE[table]
    names = products_frame(conn).select("product_id", "product")
    per = minor_per_major(currency)
    if table == "products":
        rows = products_frame(conn).rename({"is_core": "core"})
    elif table == "contracts":
        rows = contracts_frame(conn).with_columns(_money("price_per_seat", per))
        if year is not None:
            rows = rows.filter(
                (pl.col("start").dt.year() <= year) & (pl.col("end").dt.year() >= year)
            )
    elif table == "budgets":
        rows = budgets_frame(conn).with_columns(_money("plan", per), _money("actual", per))
        if year is not None:
            rows = rows.filter(pl.col("month").dt.year() == year)
        rows = rows.with_columns(_month("month"))
    else:
        rows = outcomes_frame(conn).with_columns(_money("unit_value", per))
        if year is not None:
            rows = rows.filter(pl.col("period").dt.year() == year)
        rows = rows.with_columns(_month("period"))
    if "product" not in rows.columns:
        rows = rows.join(names, on="product_id", how="left")
    if product is not None:
        rows = rows.filter(pl.col("product") == product)
    return rows.select(spec.columns).sort(list(spec.key), nulls_last=True)


def changed_rows(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """The rows of `after` that differ from `before` at the same position, or were added.

    Adds `row`, the 1-based position in the edited table, so a refusal names
    the row the user sees.
    """
    after = after.with_row_index("row", offset=1)
    old = before.with_row_index("row", offset=1)
    compared = after.join(old, on="row", how="left", suffix="_before")
    same = pl.all_horizontal(
        pl.col(c).cast(pl.String).eq_missing(pl.col(f"{c}_before").cast(pl.String))
        for c in before.columns
    )
    return compared.filter(~same | (pl.col("row") > before.height)).select(
        ["row", *after.columns[1:]]
    )


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Every cell as the text a spreadsheet would hold (dates ISO, blanks empty)."""
    return frame.with_columns(
        pl.col(c).cast(pl.String) if frame.schema[c] != pl.String else pl.col(c)
        for c in frame.columns
    )


def save_edits(
    table: str, before: pl.DataFrame, after: pl.DataFrame, *, engine: Engine, actor: Actor
) -> ImportResult | None:
    """Save what changed between `before` and `after` as one import; None when nothing did.

    Raises
    ------
    models.access.NotAllowedError
        When `actor` is a viewer; nothing is changed.
    """
    require(actor, Role.editor, "edit data")
    spec = EDITABLE[table]
    changed = changed_rows(before.select(spec.columns), after.select(spec.columns))
    if changed.is_empty():
        return None
    stamp = datetime.now(UTC).isoformat(timespec="microseconds")
    rows = _as_text(changed.drop("row")).with_columns(
        # Makes every save's content its own: saving back an earlier state is not a duplicate.
        pl.lit(f"edited by {actor.name} at {stamp}").alias("edit")
    )
    result = import_file(
        rows.write_csv().encode("utf-8"),
        file_name=f"{spec.template} (edited in the app)",
        engine=engine,
        actor=actor,
        formats=(TEMPLATES[spec.template],),
        logged_as="edit",
    )
    positions = changed["row"].to_list()
    errors = [
        {**e, "row": positions[e["row"] - 2]}
        if isinstance(e.get("row"), int) and 2 <= e["row"] < len(positions) + 2
        else e
        for e in result.errors
    ]
    result.errors = errors
    return result


def add_release(
    product: str, day: date, title: str, kind: str, *, engine: Engine, actor: Actor
) -> ImportResult:
    """Record one release typed on the Product page, as an import of its own (undoable).

    It goes through releases.csv's validation, so a blank title or an
    unknown kind is refused with its column named.

    Raises
    ------
    models.access.NotAllowedError
        When `actor` is a viewer; nothing is changed.
    """
    require(actor, Role.editor, "add a release")
    stamp = datetime.now(UTC).isoformat(timespec="microseconds")
    row = pl.DataFrame(
        {
            "product": [product],
            "date": [day.isoformat()],
            "title": [title],
            "kind": [kind],
            "edit": [f"added by {actor.name} at {stamp}"],
        }
    )
    return import_file(
        row.write_csv().encode("utf-8"),
        file_name="releases.csv (added in the app)",
        engine=engine,
        actor=actor,
        formats=(TEMPLATES["releases.csv"],),
        date_order="dmy",
        logged_as="edit",
    )
