"""Polling the sources: one adapter per source, recording, backfill, the watchdog."""
