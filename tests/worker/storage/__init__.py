"""Tests of worker/storage/."""
