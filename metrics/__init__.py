"""Pure functions over polars frames: one public function per measure, named after it.

Never imports streamlit or the database; takes an explicit `as_of` date
instead of reading the clock.
"""
