"""The catalog's rules, without I/O: shows, seat maps, listings, sales, search terms."""
