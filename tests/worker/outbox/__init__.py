"""Tests of worker/outbox/."""
