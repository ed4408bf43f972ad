"""The web surface (`adcvd serve`): signed links from emails, preferences, health and metrics."""
