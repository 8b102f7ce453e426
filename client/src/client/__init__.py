"""Ticketing web client: server-rendered pages that talk to the API through the gateway."""
