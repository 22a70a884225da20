"""`python -m loaders FILE [FILE...]`: see `loaders.cli`."""

import gc

from loaders.cli import main

status = main()
# Why: the interpreter's teardown then skips its garbage collections over every object
# left (SQLAlchemy's and polars' modules, about 100,000): 0.1 s of each command.
gc.freeze()
raise SystemExit(status)
