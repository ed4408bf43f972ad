"""Tests of worker/ingest/."""
