"""The service layer: every business rule lives here, called by pages and API alike."""
