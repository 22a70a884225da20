"""The generic usage template (`usage.csv`).

For in-house programmes and any source without a vendor format. One row
per learner x content x date (event grain); the product comes from each
row's `product` column. `learner` holds an e-mail (anything with "@")
or an employee id. Numeric dates default to day/month/year, the house style
of the organisations this app is set up for; a file's own values override it.
"""

from __future__ import annotations

from loaders.formats.base import Format, UsageMap
from models.enums import Grain, ImportKind

__all__ = ["USAGE_TEMPLATE"]

_COLUMNS = (
    "product",
    "learner",
    "content_id",
    "content_title",
    "date",
    "minutes",
    "progress_pct",
    "completed",
    "completed_date",
    "org_unit",
)

USAGE_TEMPLATE = Format(
    name="usage",
    title="usage template (usage.csv)",
    kind=ImportKind.usage,
    grain=Grain.event,
    date_order="dmy",
    required=("product", "learner", ("content_id", "content_title")),
    optional=(
        "content_id",
        "content_title",
        "date",
        "minutes",
        "progress_pct",
        "completed",
        "completed_date",
        "org_unit",
    ),
    key_headers=("product", "learner", ("content_id", "content_title")),
    template=_COLUMNS,
    usage=UsageMap(
        product="product",
        learner="learner",
        org_unit="org_unit",
        content_id="content_id",
        content_title="content_title",
        activity_date="date",
        completed_date="completed_date",
        progress="progress_pct",
        minutes="minutes",
        completed="completed",
    ),
)
