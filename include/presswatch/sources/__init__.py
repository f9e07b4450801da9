"""Readers of input files: correspondent workbooks and registry dumps."""
