"""Mongo documents <-> domain objects, and the indexes behind every query."""
