"""HTTP routes: requests in, use cases out, JSON schemas next to them."""
