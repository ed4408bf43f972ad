"""Importers' entries: import, which results notices decide them, what they cost, and the open liabilities."""
