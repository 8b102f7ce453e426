"""Mongo adapters: the catalog replica, inventory (counters and units) and orders."""
