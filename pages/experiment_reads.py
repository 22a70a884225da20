"""What the Experiments page and panel read: registrations and each treatment's result."""

from __future__ import annotations

import polars as pl

from metrics.experiments import experiment_results
from models.experiments import registered_experiments
from models.frames import experiments_frame
from pages.cache import by_data_version, connect

__all__ = ["product_experiments", "variants_of"]


@by_data_version(max_entries=8)
def _all() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Registrations, variants and results for every product (one read, one computation)."""
    with connect() as conn:
        variants = experiments_frame(conn)
        registry = registered_experiments(conn)
    return registry, variants, experiment_results(variants)


def product_experiments(product_id: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A product's registrations and its treatments' results."""
    registry, _, results = _all()
    return (
        registry.filter(pl.col("product_id") == product_id),
        results.filter(pl.col("product_id") == product_id),
    )


def variants_of(product_id: int, experiment: str) -> pl.DataFrame:
    """The variants of one experiment as imported, control first."""
    _, variants, _ = _all()
    return variants.filter(
        (pl.col("product_id") == product_id) & (pl.col("experiment") == experiment)
    ).sort("position")
