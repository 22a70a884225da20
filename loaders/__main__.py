"""`python -m loaders FILE [FILE...]`: see `loaders.cli`."""

from loaders.cli import main

raise SystemExit(main())
