"""Importer portfolios: reading, validating and saving product files."""
