"""`python -m exports --format json ...`: see `exports.cli`."""

from exports.cli import main

raise SystemExit(main())
