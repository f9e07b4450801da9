"""Data-quality rules: the Great Expectations suite for reports and the checks on marts."""
