"""The catalog's rules, without I/O: the show and listing aggregates (with the events
their changes record), drafts and patches, ticket types, seat maps, sales, search terms."""
