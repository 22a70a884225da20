"""Views of the pages that have several: one module per Prioritise view, the review's parts.

Each view gathers its widgets, calls `planning` or reads the pack, and draws.
"""
