"""Delivery of queued alerts: claim, render, send, mark sent."""
