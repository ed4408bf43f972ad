"""Tests of worker/app/."""
