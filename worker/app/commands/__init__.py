"""CLI command groups; each module has `register(app)` and reads settings from the typer context."""
