"""The application: CLI commands, settings, scheduler, runtime seams and the demo."""
