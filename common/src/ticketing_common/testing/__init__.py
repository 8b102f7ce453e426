"""Test fixtures: embedded servers on free ports, fresh databases, an in-process HTTP server."""
