"""Import every layer of the app once, in one thread, before any page's own imports.

Why: Streamlit runs each session's script in a thread of its own. On a cold
server, two sessions importing the layers at once can deadlock on Python's
per-module import locks (one thread holds `metrics.health` and waits for the
`metrics` package, the other holds `metrics` and needs `metrics.health`);
Python then hands one of them a half-initialised module and the page shows
an ImportError. `app.py` and every page file import this module first:
Python's lock on `boot` itself makes the second session wait, holding
nothing, until the first has imported everything.
"""

import exports.payload  # noqa: F401
import loaders  # noqa: F401
import metrics  # noqa: F401
import models  # noqa: F401
import planning.criteria  # noqa: F401
import settings  # noqa: F401
