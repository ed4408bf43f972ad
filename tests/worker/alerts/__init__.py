"""Tests of worker/alerts/."""
