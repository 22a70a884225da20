"""Pure planning functions: what to fund next.

Criterion scores on absolute scales, weighted and pairwise (AHP) scoring,
RICE, what-if budgets, budget-constrained selection and saved scenarios.
Like `metrics`, nothing here imports streamlit or reaches the database: every
function takes and returns polars frames or plain values, so the pages stay
thin and every number they show is tested here.
"""
