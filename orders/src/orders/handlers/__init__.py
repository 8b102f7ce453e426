"""Use cases of the orders service: one async function per command."""
