"""A realistic, deterministic sample portfolio for Northwind Group, and its generator.

The committed files in `files/` seed an empty database on first run (through
the real import, in the order `seed_files()` gives). Regenerate them with
`python -m sample_data --as-of YYYY-MM-DD`.
"""

from __future__ import annotations

from sample_data.generator import FILES_DIR, SAMPLE_DIR, WrittenFile, generate, seed_files

__all__ = ["FILES_DIR", "SAMPLE_DIR", "WrittenFile", "generate", "seed_files"]
