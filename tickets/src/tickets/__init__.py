"""The tickets service: the catalog of events (shows) and resale listings."""
