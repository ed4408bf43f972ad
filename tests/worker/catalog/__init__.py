"""Tests of worker/catalog/."""
