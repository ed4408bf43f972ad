"""Tests of worker/rules/."""
