"""Tests of worker/portfolios/."""
