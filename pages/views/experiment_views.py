"""The Experiments page's parts: one experiment's card, the registration form, the calculator."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

from metrics.experiments import sample_size_means, sample_size_rates
from models.access import NotAllowedError
from models.enums import ExperimentDesign
from models.experiments import DESIGNS, Registration
from pages import access, display, evidence_writes, experiment_reads
from pages.safe_text import literal

__all__ = ["experiment_card", "experiment_panel", "registration_form", "sample_size_calculator"]

_REGISTERED = "experiments.registered"


def _variants_table(variants: pl.DataFrame, results: pl.DataFrame) -> None:
    """Each variant's numbers, and each treatment's effect against the control, as numbers."""
    rate = variants["conversions"].is_not_null().all()
    table = variants.select(
        Variant=pl.col("variant"),
        Participants=pl.col("participants"),
        **(
            {"Rate (%)": pl.col("conversions") / pl.col("participants") * 100}
            if rate
            else {"Mean": pl.col("mean"), "SD": pl.col("sd")}
        ),
    ).join(
        results.select(
            Variant=pl.col("variant"),
            **{
                "Effect": pl.col("effect") * (100 if rate else 1),
                "95% CI low": pl.col("ci_low") * (100 if rate else 1),
                "95% CI high": pl.col("ci_high") * (100 if rate else 1),
                "p": pl.col("p_value"),
            },
        ),
        on="Variant",
        how="left",
    )
    unit = " points" if rate else ""
    number = st.column_config.NumberColumn
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "Variant": st.column_config.TextColumn(pinned=True),
            "Participants": number(format="%,d"),
            "Rate (%)": number(format="%.1f%%"),
            "Effect": number(format=f"%+.1f{unit}" if rate else "%+.2f"),
            "95% CI low": number(format="%.1f" if rate else "%.2f"),
            "95% CI high": number(format="%.1f" if rate else "%.2f"),
            "p": number(format="%.3f"),
        },
    )


def experiment_card(name: str, registration: dict | None, variants: pl.DataFrame,
                    results: pl.DataFrame) -> None:  # fmt: skip
    """One experiment: what was hoped for, each treatment's verdict, the numbers."""
    with st.container(border=True):
        st.subheader(literal(name), anchor=False)
        if registration:
            design = DESIGNS.get(ExperimentDesign(registration["design"]), registration["design"])
            st.markdown(f"*{literal(registration['hypothesis'])}*")
            st.caption(
                f"{design} · {literal(registration['primary_metric'])} · "
                f"{display.day(registration['start'])} – {display.day(registration['end'])}"
                + (f" · owner {literal(registration['owner'])}" if registration["owner"] else "")
            )
        if results.is_empty():
            st.info("No results imported yet: import experiments.csv on the Import data page.")
            return
        for row in results.iter_rows(named=True):
            show = st.success if row["p_value"] < 0.05 else st.info
            show(literal(row["verdict"]), icon=":material/science:")
        _variants_table(variants, results)


def registration_form(products: list[str], chosen: str) -> None:
    """Register an experiment (editors): hypothesis, design, primary metric, dates, owner."""
    if not access.may_write():
        access.read_only_note()
        return
    if done := st.session_state.pop(_REGISTERED, None):
        st.success(done)
    with st.form("experiments.register", clear_on_submit=False):
        left, right = st.columns(2)
        product = left.selectbox("Product", products, index=products.index(chosen))
        name = right.text_input("Name", max_chars=200, placeholder="Reminder nudge")
        hypothesis = st.text_area(
            "Hypothesis",
            placeholder="If we send a reminder after 7 days to new starters, "
            "then completion rises by 5 %.",
            max_chars=2000,
        )
        a, b, c, g = st.columns(4)
        design = a.selectbox("Design", list(DESIGNS), format_func=DESIGNS.get)
        metric = b.text_input("Primary metric", max_chars=200, placeholder="completion")
        kind = c.selectbox("It is", ["a rate (%)", "a mean"])
        hoped = g.number_input(
            "Effect hoped for",
            value=None,
            step=1.0,
            help="In percentage points for a rate, else in the metric's unit",
        )
        d, e, f = st.columns(3)
        start = d.date_input("Start", value=date.today())
        end = e.date_input("End", value=date.today())
        owner = f.text_input("Owner", max_chars=200)
        submitted = st.form_submit_button("Register", type="primary")
    if not submitted:
        return
    try:
        evidence_writes.register(
            Registration(
                product=product, name=name, hypothesis=hypothesis,
                design=ExperimentDesign(design), primary_metric=metric, start=start, end=end,
                hoped_effect=None if hoped is None else hoped / 100 if kind != "a mean" else hoped,
                owner=owner or None,
            )
        )  # fmt: skip
    except (ValueError, NotAllowedError) as exc:
        st.error(f"Not registered: {literal(exc)}.")
        return
    # Rerun so the Results tab, drawn before this form, shows the registration at once.
    st.session_state[_REGISTERED] = f"Registered “{literal(name)}” on {literal(product)}."
    st.rerun()


def sample_size_calculator() -> None:
    """Participants per group needed to detect an effect, at 5 % two-sided and 80 % power."""
    rate, mean = st.tabs(["A rate (completion, pass rate…)", "A mean (score, minutes…)"])
    with rate:
        a, b = st.columns(2)
        base = a.number_input("Today's rate (%)", 0.1, 99.9, 30.0, step=1.0, key="ss.base")
        target = b.number_input("Rate hoped for (%)", 0.1, 99.9, 35.0, step=1.0, key="ss.target")
        if base == target:
            st.warning("The two rates are the same: there is no effect to detect.")
        else:
            n = sample_size_rates(base / 100, target / 100)
            st.metric("Participants per group", f"{n:,}", border=True)
    with mean:
        a, b = st.columns(2)
        diff = a.number_input("Difference hoped for", value=5.0, key="ss.diff")
        sd = b.number_input("Standard deviation", min_value=0.01, value=10.0, key="ss.sd")
        if diff == 0:
            st.warning("A difference of 0 cannot be detected.")
        else:
            st.metric("Participants per group", f"{sample_size_means(diff, sd):,}", border=True)
    st.caption("Two-sided test at 5 %, 80 % power; each group (control and each treatment).")


def experiment_panel(product_id: int, product: str) -> None:
    """The Product page's experiments: each treatment's verdict, and the way to the details."""
    registry, results = experiment_reads.product_experiments(product_id)
    if registry.is_empty() and results.is_empty():
        return
    st.subheader("Experiments")
    for row in results.iter_rows(named=True):
        show = st.success if row["p_value"] < 0.05 else st.info
        show(
            f"**{literal(row['experiment'])}**: {literal(row['verdict'])}",
            icon=":material/science:",
        )
    waiting = [n for n in registry["experiment"] if n not in set(results["experiment"])]
    if waiting:
        st.caption("Registered, no results imported yet: " + ", ".join(literal(n) for n in waiting))
    st.page_link(
        "pages/experiments.py",
        label="Details, registration and sample size",
        icon=":material/science:",
        query_params={"product": product},
    )
