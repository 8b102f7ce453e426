"""Use cases: one async function each, against the store protocols of `ports` (Mongo in
production, see tickets.catalog; in-memory fakes in unit tests)."""
