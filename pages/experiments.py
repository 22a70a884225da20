"""Experiments: what each product tried, how it came out, and how big the next one must be."""

from __future__ import annotations

import streamlit as st

import boot  # noqa: F401  (every layer imported once, before this page's own imports)
from pages import experiment_reads, reads, router
from pages.views.experiment_views import (
    experiment_card,
    registration_form,
    sample_size_calculator,
)

router.use_app_router()

st.title("Experiments")
st.caption(
    "Each treatment is compared with its experiment's first variant (the control): the effect, "
    "its 95 % confidence interval and a two-sided p-value (pooled z-test for rates, Welch's "
    "t-test for means), and whether the sample could have detected the effect hoped for "
    "(80 % power). Results come from experiments.csv on the Import data page."
)
names = reads.product_names()
if not names:
    st.info("No products yet: import products.csv on the Import data page.")
    st.stop()
asked = st.query_params.get("product")
product = st.selectbox(
    "Product", names, index=names.index(asked) if asked in names else 0, key="experiments.product"
)
registry, results = experiment_reads.product_experiments(reads.product_ids()[product])
pid = reads.product_ids()[product]

tried, new, size = st.tabs(["Results", "Register an experiment", "Sample size"])
with tried:
    known = list(dict.fromkeys([*registry["experiment"], *results["experiment"]]))
    if not known:
        st.info(f"No experiment registered or imported for {product} yet.")
    by_name = {r["experiment"]: r for r in registry.iter_rows(named=True)}
    for name in known:
        experiment_card(
            name,
            by_name.get(name),
            experiment_reads.variants_of(pid, name),
            results.filter(experiment=name),
        )
with new:
    registration_form(names, product)
with size:
    sample_size_calculator()
