"""Experiments registered in the app: what was tried, on which product, hoping for what.

Why in `models`: a registration is typed in a form, not imported, so it is
written here (with the acting user checked and logged); its results arrive
by import (`experiment_result`) and are matched to it by product and name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl
from sqlalchemy import Connection, Engine, text
from sqlmodel import select

from models.access import Actor, Role, require
from models.activity import log_activity
from models.db import bump_data_version, session_scope
from models.enums import ExperimentDesign
from models.tables import Experiment, Product

__all__ = [
    "DESIGNS",
    "Registration",
    "delete_experiment",
    "register_experiment",
    "registered_experiments",
]

DESIGNS: dict[ExperimentDesign, str] = {
    ExperimentDesign.ab: "A/B (randomised)",
    ExperimentDesign.pilot_control: "pilot vs control group",
    ExperimentDesign.before_after: "before/after",
}
"""Each design as the page words it."""


@dataclass(frozen=True)
class Registration:
    """What a user registers: "if we X for Y, then Z changes by N %", and how it is tested."""

    product: str
    name: str
    hypothesis: str
    design: ExperimentDesign
    primary_metric: str
    start: date
    end: date
    hoped_effect: float | None = None
    owner: str | None = None

    def problems(self) -> list[str]:
        """What stops this registration being saved, one line each (empty when none)."""
        found = []
        for label, value in (
            ("a name", self.name),
            ("a hypothesis", self.hypothesis),
            ("a primary metric", self.primary_metric),
        ):
            if not value.strip():
                found.append(f"give {label}")
        if self.end < self.start:
            found.append(f"the end {self.end} is before the start {self.start}")
        return found


def register_experiment(
    registration: Registration, *, actor: Actor, engine: Engine, replace: bool = False
) -> int:
    """Save a registration (replacing the product's experiment of that name when asked).

    Raises
    ------
    models.access.NotAllowedError
        When `actor` is a viewer; nothing is saved.
    ValueError
        Listing its problems, for an unknown product, or a name taken without `replace`.
    """
    require(actor, Role.editor, "register an experiment")
    problems = registration.problems()
    if problems:
        raise ValueError("; ".join(problems))
    name = " ".join(registration.name.split())[:200]
    with session_scope(engine) as session:
        product = session.exec(select(Product).where(Product.name == registration.product)).first()
        if product is None or product.id is None:
            msg = f"product {registration.product!r} does not exist"
            raise ValueError(msg)
        row = session.exec(
            select(Experiment)
            .where(Experiment.product_id == product.id)
            .where(Experiment.name == name)
        ).first()
        if row is not None and not replace:
            msg = f"{registration.product} already has an experiment named {name!r}"
            raise ValueError(msg)
        row = row or Experiment(
            product_id=product.id,
            name=name,
            hypothesis="",
            design=registration.design,
            primary_metric="",
            start=registration.start,
            end=registration.end,
            created_by=actor.name,
        )
        row.hypothesis = registration.hypothesis.strip()
        row.design = registration.design
        row.primary_metric = registration.primary_metric.strip()[:200]
        row.hoped_effect = registration.hoped_effect
        row.start, row.end = registration.start, registration.end
        row.owner = (registration.owner or "").strip()[:200] or None
        row.created_by = actor.name
        session.add(row)
        session.flush()
        log_activity(session, actor, "experiment_register", subject=f"{product.name}: {name}")
        bump_data_version(session=session)
        assert row.id is not None
        return row.id


def delete_experiment(product: str, name: str, *, actor: Actor, engine: Engine) -> bool:
    """Remove a registration (imported results stay, unmatched); False when there was none."""
    require(actor, Role.editor, "delete an experiment")
    with session_scope(engine) as session:
        found = session.exec(
            select(Experiment)
            .join(Product, Product.id == Experiment.product_id)  # type: ignore[arg-type]
            .where(Product.name == product)
            .where(Experiment.name == name)
        ).first()
        if found is None:
            return False
        session.delete(found)
        log_activity(session, actor, "experiment_delete", subject=f"{product}: {name}")
        bump_data_version(session=session)
    return True


_SCHEMA: dict[str, pl.DataType] = {
    "product_id": pl.Int64(),
    "experiment": pl.String(),
    "hypothesis": pl.String(),
    "design": pl.String(),
    "primary_metric": pl.String(),
    "hoped_effect": pl.Float64(),
    "start": pl.Date(),
    "end": pl.Date(),
    "owner": pl.String(),
}


def registered_experiments(conn: Connection) -> pl.DataFrame:
    """Every registration, by product and name."""
    rows = conn.execute(
        text(
            "SELECT product_id, name, hypothesis, design, primary_metric, hoped_effect, start, "
            '"end", owner FROM experiment ORDER BY product_id, name'
        )
    ).all()
    return pl.DataFrame(
        [
            (
                r[0], r[1], r[2], str(r[3]), r[4], r[5],
                r[6] if isinstance(r[6], date) else date.fromisoformat(str(r[6])),
                r[7] if isinstance(r[7], date) else date.fromisoformat(str(r[7])),
                r[8],
            )
            for r in rows
        ],
        schema=_SCHEMA,
        orient="row",
    )  # fmt: skip
